"""The crawl's memory, in the archive database: every URL a source found, and what became of it.

Tables (created by ``ensure_schema``, next to store.py's):

- ``crawl_urls``  one row per normalised URL: which source found it, where (``found_on``) and
  how (``kind``), its state, when it was last fetched, its ETag/Last-Modified, and when it is
  due again (``next_due``; NULL means never). A row is written in the same transaction as
  the links found on its page, after the article is stored, so a run killed at any moment
  leaves the frontier consistent: at worst one page is fetched again (conditionally).
- ``crawl_runs`` / ``crawl_run_sources``  one row per run and its summary per source.
"""

from __future__ import annotations

import os
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any, Literal

from scraper.outcome import Reason
from scraper.store import Store, now_iso

Kind = Literal["feed", "sitemap", "start", "page"]
State = Literal["new", "done", "failed", "skipped", "duplicate"]

SCHEMA = """
CREATE TABLE IF NOT EXISTS crawl_runs (
    id INTEGER PRIMARY KEY,
    started_at TEXT NOT NULL,
    finished_at TEXT,
    pid INTEGER NOT NULL,
    outcome TEXT NOT NULL DEFAULT 'running',   -- running, finished, interrupted, time limit, failed, killed
    exit_code INTEGER
);

CREATE TABLE IF NOT EXISTS crawl_urls (
    id INTEGER PRIMARY KEY,
    url TEXT NOT NULL UNIQUE,                  -- normalised
    source TEXT NOT NULL,
    kind TEXT NOT NULL CHECK (kind IN ('feed', 'sitemap', 'start', 'page')),
    depth INTEGER NOT NULL DEFAULT 0,          -- links away from a start URL
    follow INTEGER NOT NULL DEFAULT 0,         -- 1: its links are read
    article INTEGER NOT NULL DEFAULT 1,        -- 1: stored as an article; 0: only read for links
    found_on TEXT,                             -- the feed, sitemap or page that listed it
    found_at TEXT NOT NULL,
    listed_modified TEXT,                      -- the date the feed or sitemap gave for it
    state TEXT NOT NULL DEFAULT 'new' CHECK (state IN ('new', 'done', 'failed', 'skipped', 'duplicate')),
    fetched_at TEXT,
    http_status INTEGER,
    etag TEXT,
    last_modified TEXT,
    next_due TEXT,                             -- NULL: never again
    failures INTEGER NOT NULL DEFAULT 0,       -- in a row
    error TEXT,
    reason TEXT,                               -- the kind of skip or failure (scraper/outcome.py Reason)
    article_id INTEGER REFERENCES articles(id),
    run_id INTEGER REFERENCES crawl_runs(id)   -- the last run that handled it
);
CREATE INDEX IF NOT EXISTS crawl_urls_due ON crawl_urls(source, next_due);
CREATE INDEX IF NOT EXISTS crawl_urls_article ON crawl_urls(article_id);

CREATE TABLE IF NOT EXISTS crawl_run_sources (
    run_id INTEGER NOT NULL REFERENCES crawl_runs(id),
    source TEXT NOT NULL,
    discovered INTEGER NOT NULL,
    fetched INTEGER NOT NULL,
    new INTEGER NOT NULL,
    updated INTEGER NOT NULL,
    unchanged INTEGER NOT NULL,
    skipped INTEGER NOT NULL,
    failed INTEGER NOT NULL,
    seconds REAL NOT NULL,
    PRIMARY KEY (run_id, source)
);
"""

PRIORITY = "CASE kind WHEN 'feed' THEN 0 WHEN 'sitemap' THEN 0 WHEN 'start' THEN 1 ELSE 2 END"


def later(start: str, hours: float) -> str:
    return (datetime.fromisoformat(start) + timedelta(hours=hours)).isoformat(timespec="seconds")


def hours_between(start: str, end: str) -> float:
    return (datetime.fromisoformat(end) - datetime.fromisoformat(start)).total_seconds() / 3600


@dataclass(frozen=True, slots=True)
class Row:
    """One frontier URL as the crawl loop sees it."""

    id: int
    url: str
    source: str
    kind: Kind
    depth: int
    follow: bool
    article: bool
    found_on: str | None
    found_at: str
    state: State
    etag: str | None
    last_modified: str | None
    failures: int

    @property
    def counts_as_page(self) -> bool:
        """Feeds and sitemaps do not use up a source's max_pages."""
        return self.kind in ("start", "page")


@dataclass(frozen=True, slots=True)
class Link:
    """A URL to add: where it came from and what to do with it."""

    url: str
    kind: Kind
    depth: int = 0
    follow: bool = False
    article: bool = True
    listed_modified: str | None = None


COLUMNS = "id, url, source, kind, depth, follow, article, found_on, found_at, state, etag, last_modified, failures"


def ensure_schema(store: Store) -> None:
    """Create the crawl tables if missing (every statement is IF NOT EXISTS, so this is idempotent)."""
    with store.errors():
        store.db.conn.executescript(SCHEMA)
        if "reason" not in {c.name for c in store.db.table("crawl_urls").columns}:  # an archive from before the column
            store.db.conn.execute("ALTER TABLE crawl_urls ADD COLUMN reason TEXT")


class Frontier:
    """Queries and updates of ``crawl_urls`` for one run; every write is its own transaction."""

    def __init__(self, store: Store) -> None:
        self.store = store
        self.db = store.db
        ensure_schema(store)
        self.run_id = 0

    def _write(self, sql: str, params: Iterable[Any] = ()) -> int:
        with self.store.writing():
            return self.db.execute(sql, list(params)).rowcount

    # -- runs -------------------------------------------------------------------

    def start_run(self) -> int:
        with self.store.writing():
            # We hold the lock, so a run still marked running was killed (SIGKILL, power cut).
            self.db.execute("UPDATE crawl_runs SET outcome = 'killed' WHERE outcome = 'running'")
            cursor = self.db.execute("INSERT INTO crawl_runs (started_at, pid) VALUES (?, ?)", [now_iso(), os.getpid()])
            self.run_id = int(cursor.lastrowid or 0)
        return self.run_id

    def finish_run(self, outcome: str, exit_code: int, summaries: Iterable[dict[str, Any]]) -> None:
        with self.store.writing():
            self.db.execute(
                "UPDATE crawl_runs SET finished_at = ?, outcome = ?, exit_code = ? WHERE id = ?",
                [now_iso(), outcome, exit_code, self.run_id],
            )
            self.db.table("crawl_run_sources").insert_all(
                ({"run_id": self.run_id, **row} for row in summaries), replace=True
            )

    # -- seeds ------------------------------------------------------------------

    def seed(self, source: str, links: list[Link], refresh_minutes: float) -> None:
        """Put a source's configured URLs in the frontier; retire the ones no longer configured.

        A seed is due now unless it was read less than ``refresh_minutes`` ago.
        """
        now = now_iso()
        urls = [link.url for link in links]
        with self.store.writing():
            for link in links:
                self.db.execute(
                    "INSERT INTO crawl_urls (url, source, kind, depth, follow, article, found_at, next_due) "
                    "VALUES (?, ?, ?, 0, ?, ?, ?, ?) "
                    "ON CONFLICT(url) DO UPDATE SET source = excluded.source, kind = excluded.kind, depth = 0, "
                    "follow = excluded.follow, article = excluded.article, found_on = NULL",
                    [link.url, source, link.kind, int(link.follow), int(link.article), now, now],
                )
                # Seeds are read again every refresh_minutes, however their last read ended.
                fetched = self._fetched_at(link.url)
                due = later(fetched, refresh_minutes / 60) if fetched else now
                self.db.execute("UPDATE crawl_urls SET next_due = ? WHERE url = ?", [due, link.url])
            marks = ",".join("?" * len(urls))
            self.db.execute(
                f"UPDATE crawl_urls SET next_due = NULL WHERE source = ? AND found_on IS NULL "
                f"AND kind IN ('feed', 'sitemap', 'start') AND url NOT IN ({marks})",
                [source, *urls],
            )

    def _fetched_at(self, url: str) -> str | None:
        row = self.db.execute("SELECT fetched_at FROM crawl_urls WHERE url = ?", [url]).fetchone()
        return row[0] if row else None

    # -- picking ----------------------------------------------------------------

    def due(self, source: str, *, pages: bool, exclude: set[int], limit: int = 50) -> list[Row]:
        """The next URLs of ``source`` to fetch in this run.

        Feeds and sitemaps first, then start pages; then pages, new ones (shallowest, most
        recently found first, so today's feed entries do not wait behind a sitemap's backlog)
        and due re-checks (longest due first) interleaved three to one, so a backlog of new
        URLs never starves the re-checks that notice changed articles.
        """
        kinds = "" if pages else "AND kind IN ('feed', 'sitemap')"
        where = (
            f"source = ? AND next_due IS NOT NULL AND next_due <= ? AND (run_id IS NULL OR run_id != ?) {kinds}"
        )
        params = [source, now_iso(), self.run_id, limit + len(exclude)]
        with self.store.errors():
            fresh = self._rows(f"SELECT {COLUMNS} FROM crawl_urls WHERE {where} AND state = 'new' "
                               f"ORDER BY {PRIORITY}, depth, found_at DESC, id LIMIT ?", params, exclude)
            again = self._rows(f"SELECT {COLUMNS} FROM crawl_urls WHERE {where} AND state != 'new' "
                               f"ORDER BY {PRIORITY}, next_due, id LIMIT ?", params, exclude)
        seeds = sorted((r for r in fresh + again if r.kind != "page"), key=lambda r: r.kind not in ("feed", "sitemap"))
        new_pages = [r for r in fresh if r.kind == "page"]
        old_pages = [r for r in again if r.kind == "page"]
        mixed: list[Row] = []
        while new_pages or old_pages:
            mixed += new_pages[:3] + old_pages[:1]
            del new_pages[:3], old_pages[:1]
        return (seeds + mixed)[:limit]

    def _rows(self, sql: str, params: list[Any], exclude: set[int]) -> list[Row]:
        result = []
        for values in self.db.execute(sql, params).fetchall():
            if values[0] in exclude:
                continue
            result.append(Row(
                id=values[0], url=values[1], source=values[2], kind=values[3], depth=values[4], follow=bool(values[5]),
                article=bool(values[6]), found_on=values[7], found_at=values[8], state=values[9], etag=values[10],
                last_modified=values[11], failures=values[12],
            ))
        return result

    def pending(self, url: str) -> bool:
        """True if ``url`` is in the frontier and not fetched yet (it will be, in this run or the next)."""
        with self.store.errors():
            row = self.db.execute("SELECT state FROM crawl_urls WHERE url = ?", [url]).fetchone()
        return row is None or row[0] == "new"

    # -- outcomes ---------------------------------------------------------------

    def add(self, source: str, found_on: str, links: Iterable[Link]) -> int:
        """Insert URLs not yet known (returns how many); a newer listed date makes a known URL due again."""
        now = now_iso()
        added = 0
        for link in links:
            added += self.db.execute(
                "INSERT OR IGNORE INTO crawl_urls (url, source, kind, depth, follow, article, found_on, found_at, "
                "listed_modified, next_due) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                [link.url, source, link.kind, link.depth, int(link.follow), int(link.article), found_on, now,
                 link.listed_modified, now],
            ).rowcount
            if link.follow:
                # Found again closer to a start URL (it came from a feed first, say): read its links too.
                self.db.execute(
                    "UPDATE crawl_urls SET follow = 1, depth = ? WHERE url = ? AND kind = 'page' AND follow = 0 "
                    "AND depth >= ?",
                    [link.depth, link.url, link.depth],
                )
            if link.listed_modified:
                # The feed or sitemap says the article changed after we last fetched it: check again.
                self.db.execute(
                    "UPDATE crawl_urls SET listed_modified = ?, next_due = ? WHERE url = ? AND fetched_at IS NOT NULL "
                    "AND fetched_at < ? AND (listed_modified IS NULL OR listed_modified < ?) "
                    "AND state IN ('done', 'failed')",
                    [link.listed_modified, now, link.url, link.listed_modified, link.listed_modified],
                )
        return added

    def done(self, row: Row, *, status: int, fetched_at: str, etag: str | None, last_modified: str | None,
             next_due: str | None, state: State = "done", article_id: int | None = None,
             found: Iterable[Link] = (), aliases: Iterable[str] = (), error: str | None = None,
             reason: Reason | None = None) -> int:
        """Record a fetched URL and what it led to, in one transaction; returns how many URLs were new."""
        with self.store.writing():
            added = self.add(row.source, row.url, found)
            self.db.execute(
                "UPDATE crawl_urls SET state = ?, fetched_at = ?, http_status = ?, etag = ?, last_modified = ?, "
                "next_due = ?, failures = 0, error = ?, reason = ?, article_id = coalesce(?, article_id), run_id = ? "
                "WHERE id = ?",
                [state, fetched_at, status, etag, last_modified, next_due, error, reason, article_id, self.run_id,
                 row.id],
            )
            for alias in aliases:
                # Another address of a stored article (its canonical URL, a redirect target):
                # known now, so it is never fetched as a second article.
                self.db.execute(
                    "INSERT OR IGNORE INTO crawl_urls (url, source, kind, depth, found_on, found_at, state, article_id, run_id) "
                    "VALUES (?, ?, 'page', ?, ?, ?, 'duplicate', ?, ?)",
                    [alias, row.source, row.depth, row.url, fetched_at, article_id, self.run_id],
                )
                self.db.execute(
                    "UPDATE crawl_urls SET state = 'duplicate', next_due = NULL, article_id = ? "
                    "WHERE url = ? AND state = 'new' AND id != ?",
                    [article_id, alias, row.id],
                )
        return added

    def failed(self, row: Row, error: str, *, retry_at: str | None, status: int | None = None,
               reason: Reason | None = None) -> None:
        self._write(
            "UPDATE crawl_urls SET state = 'failed', fetched_at = ?, http_status = ?, error = ?, reason = ?, next_due = ?, "
            "failures = failures + 1, etag = NULL, last_modified = NULL, run_id = ? WHERE id = ?",
            [now_iso(), status, error, reason, retry_at, self.run_id, row.id],
        )
