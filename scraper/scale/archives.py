"""Monthly archives used together: `scrape search --db a.db --db b.db`, `scrape serve a.db b.db`.

One archive per month (``archive-YYYY-MM.db``) keeps every SQLite file far below its limits
and lets a finished month be copied, served read-only or dropped whole. Searching several is a
fan-out: each file answers with its best hits and the ranks are merged. bm25 weighs a word by
how rare it is in its own file, so ranks across files are comparable only roughly: fine for
a month against the next, where the vocabulary is much the same.
"""

from __future__ import annotations

from pathlib import Path

from scraper.store import SearchHit, Store

# SQLite's default SQLITE_MAX_ATTACHED: datasette's cross-database queries (and the
# cross-archive search) see at most this many files at once.
MAX_ATTACHED = 10


def search_archives(paths: list[Path], query: str, limit: int) -> list[tuple[Path, SearchHit]]:
    """The best ``limit`` hits over every archive, best first, each with the file it came from."""
    hits: list[tuple[Path, SearchHit]] = []
    for path in dict.fromkeys(paths):
        with Store.open_read_only(path) as store:
            hits += [(path, hit) for hit in store.search(query, limit)]
    return sorted(hits, key=lambda item: item[1].rank)[:limit]


def attach_note(count: int) -> str | None:
    """What to say when more archives are served than SQLite attaches at once."""
    if count <= MAX_ATTACHED:
        return None
    return (f"note: {count} archives served, but SQLite attaches at most {MAX_ATTACHED} at once: the cross-archive "
            f"search covers the first {MAX_ATTACHED}; merge past months into one archive a year "
            "(scrape merge archive-2023-*.db --into archive-2023.db) and serve those")
