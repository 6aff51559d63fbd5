"""The crawl's tables in the archive database, created beside store.py's (schema.py) on first use.

- ``crawl_urls``  one row per normalised URL: which source found it, where (``found_on``) and
  how (``kind``), its state, when it was last fetched, its ETag/Last-Modified, and when it is
  due again (``next_due``; NULL means never).
- ``crawl_runs`` / ``crawl_run_sources``  one row per run and its summary per source.
"""

from __future__ import annotations

from scraper.store import Store

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
    gone INTEGER NOT NULL DEFAULT 0,           -- found links that answered 4xx (not failures)
    failed INTEGER NOT NULL,
    seconds REAL NOT NULL,
    PRIMARY KEY (run_id, source)
);
"""

# Columns added after the first archives were made: (table, column, declaration).
ADDED_COLUMNS = (
    ("crawl_urls", "reason", "TEXT"),
    ("crawl_run_sources", "gone", "INTEGER NOT NULL DEFAULT 0"),
)


def ensure_schema(store: Store) -> None:
    """Create the crawl tables if missing, and add the columns an older archive lacks; idempotent."""
    with store.errors():
        store.db.conn.executescript(SCHEMA)
        for table, column, declaration in ADDED_COLUMNS:
            if column not in {c.name for c in store.db.table(table).columns}:
                store.db.conn.execute(f"ALTER TABLE [{table}] ADD COLUMN [{column}] {declaration}")
