"""`scrape crawl`: scheduled, incremental, resumable crawls of the [[sources]] in config.toml.

Modules, in the order a run uses them:

- lock.py       the exclusive lock next to the archive (overlapping cron runs)
- urls.py       URL normalisation (courlan) and a source's allow/deny/same-site rules
- tables.py     the crawl's tables in the archive database, and their migrations
- frontier.py   the URL state table's queries: found, fetched, due again; the run records
- sources.py    reading feeds, sitemaps and a page's links (pure, safe XML)
- judge.py      which extracted articles a crawl stores (one text, one article)
- visit.py      one source's share of a run: pick, fetch, extract/store, record
- run.py        the run: sources in parallel, signals, --max-time, the summary
- progress.py   a rich bar on a terminal, plain lines for cron
"""
