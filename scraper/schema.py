"""The archive's tables, as data: DDL in one place, applied once to a new database.

store.py reads and writes these tables; the crawl adds its own (crawl/tables.py).
"""

from __future__ import annotations

import sqlite3

import sqlite_utils

SCHEMA = """
CREATE TABLE IF NOT EXISTS captures (
    id INTEGER PRIMARY KEY,
    url TEXT NOT NULL,
    final_url TEXT NOT NULL,
    status INTEGER NOT NULL,
    headers TEXT NOT NULL,            -- JSON list of [name, value]
    fetched_at TEXT NOT NULL,         -- ISO 8601 UTC
    content_type TEXT,
    charset TEXT,
    etag TEXT,
    last_modified TEXT,
    elapsed_s REAL,
    body_size INTEGER NOT NULL,       -- bytes before compression
    payload_digest TEXT NOT NULL,     -- "sha1:BASE32" of the body, as WARC writes it
    revisit_of INTEGER REFERENCES captures(id),  -- same URL, same bytes as that capture: body not stored again
    body BLOB                         -- zstandard-compressed raw body
);
CREATE INDEX IF NOT EXISTS captures_digest ON captures(payload_digest);
CREATE INDEX IF NOT EXISTS captures_url ON captures(url, fetched_at);

CREATE TABLE IF NOT EXISTS articles (
    id INTEGER PRIMARY KEY,
    url TEXT NOT NULL UNIQUE,
    canonical_url TEXT,
    title TEXT NOT NULL,
    body TEXT NOT NULL,
    body_markdown TEXT,                   -- the body as Markdown (NULL in rows stored before it existed)
    authors TEXT NOT NULL DEFAULT '[]',   -- JSON list
    published TEXT,
    -- YYYY-MM of published, derived by SQLite so datasette can facet by month
    published_month TEXT GENERATED ALWAYS AS (substr(published, 1, 7)) VIRTUAL,
    modified TEXT,
    language TEXT,
    site_name TEXT,
    description TEXT,
    tags TEXT NOT NULL DEFAULT '[]',      -- JSON list
    image TEXT,
    word_count INTEGER NOT NULL,
    content_hash TEXT NOT NULL,
    first_seen TEXT NOT NULL,         -- when the URL was first archived
    changed_at TEXT NOT NULL,         -- when the current text was first seen
    last_seen TEXT NOT NULL,          -- when it was last fetched with this text
    capture_id INTEGER REFERENCES captures(id)
);
CREATE INDEX IF NOT EXISTS articles_canonical_url ON articles(canonical_url);
CREATE INDEX IF NOT EXISTS articles_published ON articles(published);
CREATE INDEX IF NOT EXISTS articles_content_hash ON articles(content_hash);
-- Store.same_text ("the same text is stored once") looks articles up by title before comparing bodies.
CREATE INDEX IF NOT EXISTS articles_title ON articles(title);

CREATE TABLE IF NOT EXISTS quotes (
    id INTEGER PRIMARY KEY,
    article_id INTEGER NOT NULL REFERENCES articles(id),
    position INTEGER NOT NULL,
    text TEXT NOT NULL,
    speaker TEXT
);
CREATE INDEX IF NOT EXISTS quotes_article ON quotes(article_id);
CREATE INDEX IF NOT EXISTS quotes_speaker ON quotes(speaker);

CREATE TABLE IF NOT EXISTS links (
    id INTEGER PRIMARY KEY,
    article_id INTEGER NOT NULL REFERENCES articles(id),
    position INTEGER NOT NULL,
    url TEXT NOT NULL,
    text TEXT NOT NULL,
    kind TEXT NOT NULL CHECK (kind IN ('inline', 'related'))
);
CREATE INDEX IF NOT EXISTS links_article ON links(article_id);

CREATE TABLE IF NOT EXISTS article_versions (
    id INTEGER PRIMARY KEY,
    article_id INTEGER NOT NULL REFERENCES articles(id),
    title TEXT NOT NULL,
    body TEXT NOT NULL,
    content_hash TEXT NOT NULL,
    record TEXT NOT NULL,             -- the whole record as JSON
    first_seen TEXT NOT NULL,         -- when this version was first seen
    last_seen TEXT NOT NULL,          -- when it was last seen before it changed
    replaced_at TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS article_versions_article ON article_versions(article_id);
"""


FTS_UPDATE_TRIGGER = """
CREATE TRIGGER articles_au AFTER UPDATE OF title, body ON articles BEGIN
  INSERT INTO articles_fts (articles_fts, rowid, title, body) VALUES ('delete', old.rowid, old.title, old.body);
  INSERT INTO articles_fts (rowid, title, body) VALUES (new.rowid, new.title, new.body);
END
"""


# Columns added to a table after archives were made with it: (table, column, declaration).
# migrate() adds the missing ones when an archive is opened.
ADDED_COLUMNS = (("articles", "body_markdown", "TEXT"),)


def create(db: sqlite_utils.Database) -> None:
    """Create every table, index and trigger of a new archive, in one transaction."""
    with db.atomic():
        for statement in SCHEMA.split(";"):
            if statement.strip():
                db.conn.execute(statement)
        # content=articles + triggers: datasette detects the FTS table and shows a search box.
        db.table("articles").enable_fts(["title", "body"], create_triggers=True, tokenize="porter")
        # sqlite-utils' update trigger re-indexes the whole body on any update; a re-check only
        # moves last_seen, so re-index only when the indexed text itself changes.
        db.conn.execute("DROP TRIGGER articles_au")
        db.conn.execute(FTS_UPDATE_TRIGGER)


def outdated(db: sqlite_utils.Database) -> bool:
    """True when the archive lacks a column or index that SCHEMA has (made by an earlier version)."""
    for table, column, _ in ADDED_COLUMNS:
        present = {row[1] for row in db.conn.execute(f"PRAGMA table_info([{table}])")}
        if present and column not in present:
            return True
    return not db.conn.execute("SELECT 1 FROM sqlite_master WHERE type = 'index' AND name = 'articles_title'").fetchone()


def migrate(db: sqlite_utils.Database) -> None:
    """Bring an archive made by an earlier version up to SCHEMA: add the columns it lacks.

    Idempotent: an archive that has them all is not written to. A read-only old archive is
    left as it is, so it can still be read (searched, served) without the new columns.
    """
    for table, column, declaration in ADDED_COLUMNS:
        present = {row[1] for row in db.conn.execute(f"PRAGMA table_info([{table}])")}
        if present and column not in present:
            try:
                db.conn.execute(f"ALTER TABLE [{table}] ADD COLUMN [{column}] {declaration}")
            except sqlite3.OperationalError as exc:
                if "readonly" not in str(exc):
                    raise
    # Store.same_text looks articles up by title; archives made before the Store created it lack it.
    db.conn.execute("CREATE INDEX IF NOT EXISTS articles_title ON articles(title)")
