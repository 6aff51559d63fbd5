"""`scrape crawl` end to end against a real site on 127.0.0.1 and a real SQLite archive."""

from __future__ import annotations

import re
import sqlite3
from collections.abc import Iterator
from pathlib import Path

import pytest

from .crawl_site import Site, article, hub, serve, story

FAST_FETCH = """
[fetch]
per_host_delay_s = 0.0
backoff_s = 0.01
attempts = 1
deadline_s = 5.0
connect_timeout_s = 1.0
read_timeout_s = 3.0
http2 = false
"""


def build_site(site: Site) -> None:
    """Articles 1-4 in the feed, 5-7 in a gzipped news sitemap, 8-9 only reachable by links."""
    for n in range(1, 10):
        site.html(f"/2024/01/a{n}", article(f"Article {n}", story(n), f"Second paragraph of story {n}, with more words."))
    site.xml("/feed.xml", f"""<?xml version="1.0"?>
<rss version="2.0"><channel><title>Local news</title>
<item><title>One</title><link>{site.url('/2024/01/a1')}?utm_source=rss&amp;utm_medium=feed</link></item>
<item><title>Two</title><link>{site.url('/2024/01/a2')}</link><pubDate>Tue, 02 Jan 2024 10:00:00 GMT</pubDate></item>
<item><title>No link here</title></item>
<item><title>Three</title><link>/2024/01/a3</link></item>
<item><title>Four</title><guid isPermaLink="true">{site.url('/2024/01/a4')}</guid></item>
<item><title>Bad</title><link>javascript:alert(1)</link></item>
</channel></rss>""")
    site.xml("/sitemap_index.xml", f"""<?xml version="1.0" encoding="UTF-8"?>
<sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">
<sitemap><loc>{site.url('/sitemap-news.xml.gz')}</loc></sitemap>
<sitemap><loc>{site.url('/sitemap-broken.xml')}</loc></sitemap>
</sitemapindex>""")
    site.xml("/sitemap-news.xml.gz", f"""<?xml version="1.0" encoding="UTF-8"?>
<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9" xmlns:news="http://www.google.com/schemas/sitemap-news/0.9">
<url><loc>{site.url('/2024/01/a5')}</loc><news:news><news:publication_date>2024-01-05</news:publication_date></news:news></url>
<url><loc>{site.url('/2024/01/a6')}#comments</loc><lastmod>2024-01-06T10:00:00Z</lastmod></url>
<url><loc>not a url</loc></url>
<url><loc>{site.url('/2024/01/a7')}</loc></url>
</urlset>""", gz=True)
    site.xml("/sitemap-broken.xml", "this is <not xml")
    site.html("/", hub(
        "/section/world", "/2024/01/a8", "/calendar/2024/01", "/loop", "/2024/01/a1#top",
        f"http://localhost:{site.port}/2024/01/elsewhere", "/amp/a2", "mailto:desk@example.org",
        "/photo.jpg",
    ))
    # The copy is found a level below the feed's a1, so a1 is always fetched first and the copy is the duplicate.
    site.html("/section/world", hub("/2024/01/a9", "/2024/01/a2?fbclid=xyz", "/2024/01/copy-of-a1"))
    for month in range(1, 40):  # the endless calendar: every month links to the next
        site.html(f"/calendar/2024/{month:02d}", hub(f"/calendar/2024/{month + 1:02d}"))
    site.redirect("/loop", "/loop2")
    site.redirect("/loop2", "/loop")
    site.html("/2024/01/elsewhere", article("Elsewhere", story(99)))
    site.html("/2024/01/copy-of-a1", article("Article 1", story(1), "Second paragraph of story 1, with more words."))
    site.html("/amp/a2", article("Article 2 (AMP)", story(2), "AMP version.", canonical=site.url("/2024/01/a2")))


def config_text(site: Site, extra_source: str = "", **keys: object) -> str:
    lines = [FAST_FETCH, "[[sources]]", 'name = "local"', f'feeds = ["{site.url("/feed.xml")}"]',
             f'sitemaps = ["{site.url("/sitemap_index.xml")}"]', f'start_urls = ["{site.url("/")}"]', "max_depth = 2"]
    lines += [f"{k} = {v!r}".replace("'", '"') if isinstance(v, str) else f"{k} = {str(v).lower() if isinstance(v, bool) else v}"
              for k, v in keys.items()]
    return "\n".join(lines) + "\n" + extra_source


@pytest.fixture
def site() -> Iterator[Site]:
    s = Site()
    with serve(s):
        build_site(s)
        yield s


def write_config(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "crawl.toml"
    path.write_text(text, encoding="utf-8")
    return path


def articles(db: Path) -> list[str]:
    with sqlite3.connect(db) as conn:
        return [r[0] for r in conn.execute("SELECT url FROM articles ORDER BY url")]


def article_paths(db: Path) -> list[str]:
    return sorted(url.split(":", 2)[2].partition("/")[2] for url in articles(db))


EXPECTED = sorted(f"2024/01/a{n}" for n in range(1, 10))


def summary(stdout: str) -> dict[str, list[str]]:
    """The summary table at the end of stdout: source name -> its cells."""
    lines = stdout.strip().splitlines()
    start = max(i for i, line in enumerate(lines) if line.split()[:2] == ["source", "discovered"])
    assert lines[-1].startswith("crawl "), stdout
    return {line.split()[0]: line.split() for line in lines[start + 1 : -1]}


def test_crawl_finds_every_article_once_and_avoids_the_traps(site: Site, tmp_path: Path, scrape) -> None:
    cfg = write_config(tmp_path, config_text(site))
    db = tmp_path / "archive.db"
    result = scrape("crawl", "--config", str(cfg), "--db", str(db))

    assert article_paths(db) == EXPECTED  # each exactly once: tracking params, fragments, canonical, same text
    assert result.exit_code == 1, result.stderr  # the redirect loop failed
    assert "redirect loop" in result.stderr
    assert "warning: local:" in result.stderr and "has no link; skipped" in result.stderr
    assert "has no usable <loc>" in result.stderr and "not a valid sitemap" in result.stderr
    assert "javascript:alert(1)" in result.stderr
    # Traps stayed bounded: the calendar by max_depth, the other host never asked.
    calendar = [p for p in site.paths() if p.startswith("/calendar/")]
    assert calendar == ["/calendar/2024/01", "/calendar/2024/02"]  # depth 1 and 2, no further
    assert site.count("/2024/01/elsewhere") == 0
    assert site.count("/photo.jpg") == 0
    # The same article at two addresses, and the same text at another, are fetched but not stored twice.
    with sqlite3.connect(db) as conn:
        states = dict(conn.execute("SELECT url, state FROM crawl_urls"))
    assert states[site.url("/2024/01/copy-of-a1")] == "duplicate"
    assert states[site.url("/amp/a2")] == "duplicate"  # its canonical URL won
    # Every fetch is kept, the feed, the sitemap index and the start page included.
    with sqlite3.connect(db) as conn:
        captured = {r[0] for r in conn.execute("SELECT url FROM captures")}
    assert {site.url("/feed.xml"), site.url("/sitemap_index.xml"), site.url("/")} <= captured
    assert site.url("/2024/01/a5") in captured
    row = summary(result.stdout)["local"]
    assert row[3] == "9" and row[7] == "0" and row[8] == "2"  # none gone; failed: loop and broken sitemap
    assert result.stdout.strip().splitlines()[-1].startswith("crawl finished in")
    assert f"stored: local: {site.url('/2024/01/a5')} — Article 5" in result.stdout


def test_second_run_is_idempotent_and_conditional(site: Site, tmp_path: Path, scrape) -> None:
    cfg = write_config(tmp_path, config_text(site))
    db = tmp_path / "archive.db"
    scrape("crawl", "--config", str(cfg), "--db", str(db))
    hits_before = len(site.paths())
    result = scrape("crawl", "--config", str(cfg), "--db", str(db), "--quiet")

    # The broken sitemap is read (and reported) at every refresh; the redirect loop, a page, is given up.
    assert result.exit_code == 1
    assert result.stderr.count("failed:") == 1 and "sitemap-broken.xml: not a valid sitemap" in result.stderr
    assert article_paths(db) == EXPECTED
    new_hits = site.paths()[hits_before:]
    # Only robots.txt, the feed, the sitemaps and the start page are read again, with If-None-Match.
    assert sorted(set(new_hits)) == sorted(
        {"/robots.txt", "/feed.xml", "/sitemap_index.xml", "/sitemap-news.xml.gz", "/sitemap-broken.xml", "/"}
    )
    assert len(new_hits) == 6
    assert site.conditional_hits("/feed.xml") == 1 and site.conditional_hits("/") == 1
    assert site.conditional_hits("/sitemap-news.xml.gz") == 1
    assert summary(result.stdout)["local"][3] == "0"  # nothing new
    first, header = result.stdout.strip().splitlines()[:2]  # --quiet: only the summary, dated for cron's log
    assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d[+-]\d\d:\d\d crawl run \d+:", first) and header.startswith("source")
    assert "warning" not in result.stderr  # --quiet: no warnings, no URL lines


def test_changed_article_becomes_a_version_with_a_diff(site: Site, tmp_path: Path, scrape) -> None:
    cfg = write_config(tmp_path, config_text(site, recheck_every_h=0.0))
    db = tmp_path / "archive.db"
    scrape("crawl", "--config", str(cfg), "--db", str(db))
    site.html("/2024/01/a3", article("Article 3", story(3), "A correction was appended to story 3 today."))
    result = scrape("crawl", "--config", str(cfg), "--db", str(db))

    row = summary(result.stdout)["local"]
    assert (row[4], row[5]) == ("1", "8")  # a3 updated, the other eight unchanged
    assert site.conditional_hits("/2024/01/a1") == 1  # the unchanged ones were asked conditionally
    with sqlite3.connect(db) as conn:
        versions = conn.execute("SELECT body FROM article_versions").fetchall()
        current = conn.execute("SELECT body FROM articles WHERE url LIKE '%/a3'").fetchone()[0]
    assert len(versions) == 1 and "Second paragraph of story 3" in versions[0][0]
    assert "A correction was appended" in current

    history = scrape("history", site.url("/2024/01/a3?utm_campaign=x"), "--db", str(db))
    assert history.exit_code == 0, history.stderr
    assert "2 versions:" in history.stdout and "(current)" in history.stdout
    assert "-Second paragraph of story 3, with more words." in history.stdout
    assert "+A correction was appended to story 3 today." in history.stdout


def test_unreachable_source_is_reported_while_others_go_on(site: Site, tmp_path: Path, scrape) -> None:
    dead = '\n[[sources]]\nname = "dead"\nfeeds = ["http://127.0.0.1:9/feed.xml"]\n'
    cfg = write_config(tmp_path, config_text(site, dead))
    db = tmp_path / "archive.db"
    result = scrape("crawl", "--config", str(cfg), "--db", str(db), "--quiet")

    assert result.exit_code == 1
    assert article_paths(db) == EXPECTED
    assert "failed: dead: http://127.0.0.1:9/feed.xml:" in result.stderr
    lines = summary(result.stdout)
    assert lines["dead"][8] == "1" and lines["local"][3] == "9"
    assert lines["total"][3] == "9"


def test_source_filter_and_page_budget(site: Site, tmp_path: Path, scrape) -> None:
    other = f'\n[[sources]]\nname = "other"\nfeeds = ["{site.url("/other-feed.xml")}"]\n'
    cfg = write_config(tmp_path, config_text(site, other, max_pages=3))
    db = tmp_path / "archive.db"
    first = scrape("crawl", "--config", str(cfg), "--db", str(db), "--source", "local")
    assert "other" not in first.stdout
    assert len(articles(db)) == 2  # three pages: the start page and two articles (new URLs before re-checks)
    second = scrape("crawl", "--config", str(cfg), "--db", str(db), "--source", "local", "--max-pages", "100")
    assert second.exit_code == 1  # the loop
    assert article_paths(db) == EXPECTED  # the second run carried on where the first stopped


def test_unknown_source_and_bad_max_time_are_usage_errors(site: Site, tmp_path: Path, scrape) -> None:
    from .conftest import one_line_error

    cfg = write_config(tmp_path, config_text(site))
    result = scrape("crawl", "--config", str(cfg), "--source", "nope")
    assert result.exit_code == 2
    assert one_line_error(result.stderr) == "error: --source: no source named 'nope' (configured: local)"
    result = scrape("crawl", "--config", str(cfg), "--max-time", "soon")
    assert result.exit_code == 2 and "--max-time" in one_line_error(result.stderr)
    empty = write_config(tmp_path, FAST_FETCH)
    result = scrape("crawl", "--config", str(empty))
    assert result.exit_code == 2 and "no [[sources]]" in one_line_error(result.stderr)


def test_reextract_uses_the_captures_without_the_network(site: Site, tmp_path: Path, scrape) -> None:
    cfg = write_config(tmp_path, config_text(site))
    db = tmp_path / "archive.db"
    scrape("crawl", "--config", str(cfg), "--db", str(db))
    hits = len(site.paths())
    # The "improved extractor": site selectors that drop the second paragraph.
    improved = write_config(tmp_path, config_text(site) + '\n[extract.sites."127.0.0.1"]\nremove = ["article p:nth-of-type(2)"]\n')
    result = scrape("reextract", "--config", str(improved), "--db", str(db))

    assert result.exit_code == 0, result.stderr
    assert len(site.paths()) == hits  # no request at all
    assert "reextracted: 0 stored, 9 updated, 0 unchanged, 0 duplicate, 0 skipped, 0 failed" in result.stdout
    with sqlite3.connect(db) as conn:
        bodies = [r[0] for r in conn.execute("SELECT body FROM articles")]
        assert conn.execute("SELECT count(*) FROM article_versions").fetchone()[0] == 9
    assert all("Second paragraph" not in body for body in bodies)


def test_source_overrides_fetch_settings_and_selectors(site: Site, tmp_path: Path, scrape) -> None:
    extra = '[sources.fetch]\nuser_agent = "special-agent/1.0"\n[sources.extract]\nremove = ["article p:nth-of-type(2)"]\n'
    cfg = write_config(tmp_path, config_text(site, extra))
    db = tmp_path / "archive.db"
    scrape("crawl", "--config", str(cfg), "--db", str(db))

    agents = {hit.headers.get("user-agent") for hit in site.hits}
    assert agents == {"special-agent/1.0"}
    with sqlite3.connect(db) as conn:
        bodies = [r[0] for r in conn.execute("SELECT body FROM articles")]
    assert len(bodies) == 9 and all("Second paragraph" not in b for b in bodies)


def test_recheck_window_and_listed_dates(site: Site, tmp_path: Path, scrape) -> None:
    # Re-checked every run, but only during the first 0 hours: never again after the first fetch...
    cfg = write_config(tmp_path, config_text(site, recheck_every_h=0.0, recheck_for_h=0.0))
    db = tmp_path / "archive.db"
    scrape("crawl", "--config", str(cfg), "--db", str(db))
    scrape("crawl", "--config", str(cfg), "--db", str(db))
    assert site.count("/2024/01/a5") == 1
    # ...unless the sitemap says the article changed after we fetched it.
    site.xml("/sitemap-news.xml.gz", f"""<?xml version="1.0"?>
<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">
<url><loc>{site.url('/2024/01/a5')}</loc><lastmod>2999-01-01T00:00:00Z</lastmod></url></urlset>""", gz=True)
    site.html("/2024/01/a5", article("Article 5", story(5), "Updated: the bridge opens next week."))
    result = scrape("crawl", "--config", str(cfg), "--db", str(db))
    assert site.count("/2024/01/a5") == 2
    assert summary(result.stdout)["local"][4] == "1"  # updated


def test_max_time_stops_the_run_and_the_next_goes_on(site: Site, tmp_path: Path, scrape) -> None:
    cfg = write_config(tmp_path, config_text(site))
    db = tmp_path / "archive.db"
    site.delay_s = 0.3
    result = scrape("crawl", "--config", str(cfg), "--db", str(db), "--max-time", "1s", "--quiet")
    assert result.exit_code in (0, 1)  # 1 only if the redirect loop was reached
    assert "stopped at --max-time" in result.stdout
    assert len(articles(db)) < 9
    site.delay_s = 0.0
    scrape("crawl", "--config", str(cfg), "--db", str(db))
    assert article_paths(db) == EXPECTED


def test_canonical_url_wins_unless_it_cannot_be_had(site: Site, tmp_path: Path, scrape) -> None:
    # A canonical URL that redirects back to the page itself (trailing slash), and one the rules deny.
    site.html("/2024/02/slash/", article("Slash", story(50), canonical=site.url("/2024/02/slash")))
    site.redirect("/2024/02/slash", "/2024/02/slash/")
    site.html("/2024/02/copy", article("Copy", story(51), canonical=site.url("/private/original")))
    # A syndicated copy whose canonical URL is on a site this source does not crawl (and cannot reach).
    site.html("/2024/02/syndicated", article("Syndicated", story(52), canonical="https://publisher.invalid/original"))
    site.html("/", hub("/2024/02/slash/", "/2024/02/copy", "/amp/a2", "/2024/02/syndicated"))
    cfg = write_config(tmp_path, config_text(site, 'deny = ["/private/"]\n'))
    db = tmp_path / "archive.db"
    scrape("crawl", "--config", str(cfg), "--db", str(db))

    with sqlite3.connect(db) as conn:
        titles = [r[0] for r in conn.execute("SELECT title FROM articles ORDER BY title")]
    assert titles.count("Slash") == 1 and titles.count("Copy") == 1 and titles.count("Syndicated") == 1
    assert "Article 2 (AMP)" not in titles and titles.count("Article 2") == 1
    assert site.count("/private/original") == 0
    with sqlite3.connect(db) as conn:
        row = conn.execute("SELECT url, canonical_url FROM articles WHERE title = 'Syndicated'").fetchone()
    assert row == (site.url("/2024/02/syndicated"), "https://publisher.invalid/original")


def test_start_url_redirecting_to_another_host_follows_that_site(site: Site, tmp_path: Path, scrape) -> None:
    site.redirect("/go", site.url("/"))
    config = FAST_FETCH + f'[[sources]]\nname = "moved"\nstart_urls = ["http://localhost:{site.port}/go"]\nmax_depth = 1\n'
    cfg = write_config(tmp_path, config)
    db = tmp_path / "archive.db"
    scrape("crawl", "--config", str(cfg), "--db", str(db))

    # Without taking the redirect's host as the site, no link of the start page would be followed.
    assert site.count("/section/world") == 1 and site.count("/calendar/2024/01") == 1
    assert "2024/01/a8" in article_paths(db)
    assert site.count("/2024/01/a9") == 0  # two links away: beyond max_depth = 1


def test_robots_refusals_are_skipped_not_failed_and_fetch_ignores_sources(site: Site, tmp_path: Path, scrape) -> None:
    site.html("/robots.txt", "")
    site.pages["/robots.txt"].body = b"User-agent: *\nDisallow: /section/\nDisallow: /loop\nDisallow: /sitemap-broken.xml\n"
    site.pages["/robots.txt"].content_type = "text/plain"
    cfg = write_config(tmp_path, config_text(site))
    db = tmp_path / "archive.db"
    result = scrape("crawl", "--config", str(cfg), "--db", str(db))
    assert result.exit_code == 0, result.stderr  # nothing failed: the site's refusals are outcomes
    assert site.count("/section/world") == 0 and site.count("/loop") == 0
    assert "skipped: local: " + site.url("/section/world") in result.stdout
    assert "2024/01/a9" not in article_paths(db)  # only linked from the refused section page

    # `scrape fetch` reads the same file and leaves the sources alone.
    fetched = scrape("fetch", site.url("/2024/01/a1"), "--config", str(cfg), "--db", str(tmp_path / "other.db"))
    assert fetched.exit_code == 0, fetched.stderr
    with sqlite3.connect(tmp_path / "other.db") as conn:
        tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
    assert "crawl_urls" not in tables


def test_article_urls_and_allow_shape_the_crawl(site: Site, tmp_path: Path, scrape) -> None:
    rules = 'article_urls = ["/2024/\\\\d\\\\d/"]\nallow = ["/2024/", "/section/", "/calendar/"]\n'
    cfg = write_config(tmp_path, config_text(site, rules))
    db = tmp_path / "archive.db"
    result = scrape("crawl", "--config", str(cfg), "--db", str(db))

    assert result.exit_code == 1  # the broken sitemap; the loop is not allowed, so never fetched
    assert site.count("/loop") == 0 and site.count("/amp/a2") == 0
    assert article_paths(db) == EXPECTED
    # Pages that are not articles are only read for links, and only while links are followed:
    # the calendar's first month (depth 1) is read, the second (depth 2, not an article) never asked.
    assert f"read: local: {site.url('/calendar/2024/01')} — 0 links, 0 new" in result.stdout
    assert site.count("/calendar/2024/02") == 0
    assert f"read: local: {site.url('/section/world')}" in result.stdout
