"""The Store's merge queries: another archive attached and folded in (scale/merge.py drives them).

A mixin of ``Store`` (store.py). ``attached`` attaches a shard under the schema name ``shard``;
``merging`` is the one transaction a shard is merged in, with the FTS triggers set aside;
``copy_attached`` copies the new rows in bulk (store_copy.py); ``shard_states`` and
``holds_state`` serve the replay of the articles the archive already has; ``merged_shards`` is
the ledger of what was merged. ``shard_tables`` and ``shard_identity`` read a shard file before
it is attached. The shard_info table marks an archive written as a shard (scale/shards.py).
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import sqlite3
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

from scraper.models import Article, Link, Quote
from scraper.store_copy import SHARD, Copied, copy_shard
from scraper.store_rows import content_hash, either, translate

if TYPE_CHECKING:
    import sqlite_utils

ARCHIVE_TABLES = ("captures", "articles", "quotes", "links", "article_versions")

LEDGER = """
CREATE TABLE IF NOT EXISTS merged_shards (
    shard TEXT PRIMARY KEY,           -- the shard's id (shard_info), or a fingerprint of its contents
    path TEXT NOT NULL,
    merged_at TEXT NOT NULL,
    captures INTEGER NOT NULL,        -- new captures copied
    articles INTEGER NOT NULL,        -- new articles copied
    replayed INTEGER NOT NULL,        -- articles the archive had, saved again through Store
    indexed INTEGER NOT NULL DEFAULT 0  -- 1 once the full-text index covers this shard
)
"""

SHARD_INFO = """
CREATE TABLE IF NOT EXISTS shard_info (
    id TEXT NOT NULL,        -- unique per shard written: `scrape merge` records it once merged
    source TEXT NOT NULL,    -- the WARC's path or URL
    made_at TEXT NOT NULL
)
"""

State = tuple[Article, str, str, str, int | None]  # article, url, first seen, last seen, archive capture id


def _read_only(path: Path) -> sqlite3.Connection:
    return sqlite3.connect(f"file:{path.resolve()}?mode=ro", uri=True)


def shard_tables(path: Path) -> set[str] | None:
    """The tables of the SQLite file at ``path``; None when it is not one, or is corrupt."""
    try:
        with _read_only(path) as conn:
            return {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
    except sqlite3.Error:
        return None


def shard_identity(path: Path) -> str:
    """A shard's id from its shard_info table; for any other archive, a fingerprint of what it holds."""
    with _read_only(path) as conn:
        if conn.execute("SELECT 1 FROM sqlite_master WHERE name = 'shard_info'").fetchone():
            return str(conn.execute("SELECT id FROM shard_info").fetchone()[0])
        # A crawl archive keeps growing: merged again later, what it gained is merged too.
        facts = [conn.execute(f"SELECT count(*), max(id) FROM [{t}]").fetchone() for t in ARCHIVE_TABLES]
        facts.append(conn.execute("SELECT max(last_seen) FROM articles").fetchone())
    return "archive:" + hashlib.sha1(json.dumps([path.name, facts]).encode()).hexdigest()


def article_from(record: dict[str, Any]) -> Article:
    """An Article again from a stored row (or a version's JSON record), the inverse of Store's columns."""
    links = record.get("links") or []
    return Article(
        url=record["url"], title=record["title"], body=record["body"],
        body_markdown=record.get("body_markdown") or "", canonical_url=record.get("canonical_url"),
        authors=tuple(json.loads(record.get("authors") or "[]")), published=record.get("published"),
        modified=record.get("modified"), language=record.get("language"), site_name=record.get("site_name"),
        description=record.get("description"), tags=tuple(json.loads(record.get("tags") or "[]")),
        image=record.get("image"), quotes=tuple(Quote(q["text"], q["speaker"]) for q in record.get("quotes") or []),
        links=tuple(Link(x["url"], x["text"]) for x in links if x["kind"] == "inline"),
        related_links=tuple(Link(x["url"], x["text"]) for x in links if x["kind"] == "related"),
    )


def fts_triggers(conn: sqlite3.Connection) -> list[tuple[str, str]]:
    """(name, CREATE statement) of the triggers that keep articles_fts in step with articles."""
    rows = conn.execute("SELECT name, sql FROM main.sqlite_master WHERE type = 'trigger' AND tbl_name = 'articles'")
    return [(name, sql) for name, sql in rows if "articles_fts" in sql]


class Merges:
    db: sqlite_utils.Database
    path: str

    # -- being a shard -------------------------------------------------------------

    def mark_shard(self, identity: str, source: str, made_at: str) -> None:
        """Record that this archive is a shard (its id is what a merge remembers it by)."""
        conn = self.db.conn
        conn.execute(SHARD_INFO)
        conn.execute("INSERT INTO shard_info VALUES (?, ?, ?)", [identity, source, made_at])
        conn.commit()

    def single_file(self) -> None:
        """No -wal beside the file any more: a finished shard can be moved, attached and served as it is."""
        self.db.conn.execute("PRAGMA journal_mode = DELETE")

    def snapshot(self, path: Path) -> None:
        """A consistent copy of the archive at ``path``, with an index that lets a worker find its capture range."""
        try:
            self.db.conn.execute("VACUUM INTO ?", [str(path)])
            with sqlite3.connect(path) as conn:
                conn.execute("CREATE INDEX IF NOT EXISTS articles_capture ON articles(capture_id)")
        except sqlite3.Error as exc:
            raise translate(exc, str(path)) from None

    # -- the ledger ----------------------------------------------------------------

    def ensure_ledger(self) -> None:
        self.db.conn.execute(LEDGER)

    def is_merged(self, identity: str) -> bool:
        return self.db.conn.execute("SELECT 1 FROM merged_shards WHERE shard = ?", [identity]).fetchone() is not None

    def record_merge(self, identity: str, shard: Path, copied: Copied, merged_at: str) -> None:
        self.db.conn.execute(
            "INSERT INTO merged_shards (shard, path, merged_at, captures, articles, replayed) VALUES (?, ?, ?, ?, ?, ?)",
            [identity, str(shard), merged_at, copied.captures, copied.articles, len(copied.replay)],
        )

    def rebuild_index(self) -> None:
        """One full-text rebuild for every shard merged since the last one (this run's or a killed run's)."""
        conn = self.db.conn
        if not conn.execute("SELECT 1 FROM merged_shards WHERE indexed = 0 LIMIT 1").fetchone():
            return
        try:
            with self.db.atomic():
                conn.execute("INSERT INTO articles_fts (articles_fts) VALUES ('rebuild')")
                conn.execute("UPDATE merged_shards SET indexed = 1 WHERE indexed = 0")
        except sqlite3.Error as exc:
            raise translate(exc, self.path) from None

    # -- one shard -----------------------------------------------------------------

    @contextlib.contextmanager
    def attached(self, shard: Path) -> Iterator[None]:
        """The shard file attached as schema ``shard`` while the block runs."""
        conn = self.db.conn
        try:
            conn.execute(f"ATTACH DATABASE ? AS {SHARD}", [str(shard)])
        except sqlite3.Error as exc:
            raise translate(exc, str(shard)) from None
        try:
            yield
        finally:
            conn.execute(f"DETACH DATABASE {SHARD}")

    @contextlib.contextmanager
    def merging(self) -> Iterator[None]:
        """The one transaction a shard is merged in, with the FTS triggers dropped until just before it commits."""
        conn = self.db.conn
        try:
            conn.execute("BEGIN IMMEDIATE")  # the ids are offset from the largest: no writer may slip in
            try:
                triggers = fts_triggers(conn)
                for name, _ in triggers:
                    conn.execute(f"DROP TRIGGER [{name}]")
                yield
                for _, sql in triggers:
                    conn.execute(sql)
                conn.execute("COMMIT")
            except BaseException:
                if conn.in_transaction:
                    conn.execute("ROLLBACK")
                raise
        except sqlite3.Error as exc:
            raise translate(exc, self.path) from None

    def copy_attached(self) -> Copied:
        """Copy the attached shard's new captures and new articles (inside ``merging``)."""
        return copy_shard(self.db.conn)

    def shard_states(self, article_id: int) -> list[State]:
        """Each version of the attached shard's article, oldest first, with the archive's id of its capture."""
        conn = self.db.conn
        cursor = conn.execute(f"SELECT * FROM {SHARD}.articles WHERE id = ?", [article_id])
        names = [c[0] for c in cursor.description]
        row = dict(zip(names, cursor.fetchone(), strict=True))
        quotes = conn.execute(f"SELECT text, speaker FROM {SHARD}.quotes WHERE article_id = ? ORDER BY position",
                              [article_id])
        links = conn.execute(f"SELECT url, text, kind FROM {SHARD}.links WHERE article_id = ? ORDER BY position",
                             [article_id])
        current = {**row, "quotes": [{"text": t, "speaker": s} for t, s in quotes],
                   "links": [{"url": u, "text": t, "kind": k} for u, t, k in links]}
        capture = conn.execute("SELECT target_id FROM temp.capmap WHERE shard_id = ?", [row["capture_id"]]).fetchone()
        out: list[State] = []
        for record, first, last in conn.execute(
            f"SELECT record, first_seen, last_seen FROM {SHARD}.article_versions WHERE article_id = ? ORDER BY id",
            [article_id],
        ):
            out.append((article_from(json.loads(record)), row["url"], first, last, None))
        out.append((article_from(current), row["url"], row["changed_at"], row["last_seen"], capture[0] if capture else None))
        return out

    def holds_state(self, url: str, article: Article, first_seen: str) -> bool:
        """True when the archive holds this very state (same text, first seen at the same time): merged before."""
        digest = content_hash(article)
        conn = self.db.conn
        keys = list(dict.fromkeys(k for k in (url, article.canonical_url) if k))
        row = conn.execute(*either(keys, "id, content_hash, changed_at", table="main.articles")).fetchone()
        if row is None:
            return False
        if (row[1], row[2]) == (digest, first_seen):
            return True
        return conn.execute(
            "SELECT 1 FROM main.article_versions WHERE article_id = ? AND content_hash = ? AND first_seen = ? LIMIT 1",
            [row[0], digest, first_seen],
        ).fetchone() is not None
