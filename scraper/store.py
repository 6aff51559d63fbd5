"""The archive: SQLite through sqlite-utils. Every query of the archive's tables lives here and
in the Store's mixins: store_captures.py (captures), store_reads.py (search, versions, what
reextract works on), store_merge.py and store_copy.py (shards merged in); store_rows.py has the
row helpers. (The browse pages query through datasette's own connection, datasette/pages.py.)

Tables (defined in schema.py; foreign keys declared, so datasette links them):

- ``captures``  every HTTP fetch as received: URL, final URL, status, headers, timings and the
  raw body (zstandard-compressed), so extraction can be redone without the network.
- ``articles``  one row per article URL, with FTS5 on (title, body) kept in sync by triggers.
- ``quotes`` / ``links``  the article's quotations and its inline and related links.
- ``article_versions``  earlier texts of an article, written only when its content hash changes.

Every article is written in one transaction, so a crash never leaves half a record; WAL mode and
a busy timeout let a reader (datasette) and a writer share the file. Every sqlite3 error becomes
a StoreError in one place (``Store.errors``); every write transaction starts in ``Store.writing``
or ``Store.batches``.
"""

from __future__ import annotations

import contextlib
import os
import sqlite3
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Self

import sqlite_utils

from scraper import schema
from scraper.errors import StoreError
from scraper.models import Article, now_iso
from scraper.outcome import Status
from scraper.store_captures import Captures
from scraper.store_merge import Merges
from scraper.store_reads import Reads
from scraper.store_rows import (
    BUSY_TIMEOUT_MS,
    SearchHit,
    archive_version,
    article_columns,
    compress,
    content_hash,
    decompress,
    either,
    insert,
    mapped,
    payload_digest,
    translate,
    write_children,
)

# Longest a batch of writes (a WARC import) keeps the write lock before committing.
BATCH_HOLD_S = 1.0

__all__ = ["SearchHit", "Store", "compress", "content_hash", "decompress", "now_iso", "payload_digest", "translate"]

class Store(Captures, Merges, Reads):
    """The archive database. Open with ``Store.open(path)``; use as a context manager."""

    def __init__(self, db: sqlite_utils.Database, path: str) -> None:
        self.db = db
        self.path = path

    @classmethod
    def open_read_only(cls, path: str | Path, *, immutable: bool = False) -> Store:
        """An existing archive for reading commands (search, history, export): never created,
        migrated or written, so a read-only file or mount can be read and a foreign SQLite file
        is refused instead of getting our tables. ``immutable``: nobody writes it any more (a
        snapshot), so readers need no locks."""
        path = str(path)
        file = Path(path)
        if not file.exists():
            raise StoreError(f"{path}: no archive here yet (run `scrape fetch URL` first)")
        if file.is_dir():
            raise StoreError(f"{path}: is a directory, not a database file")
        # A file nobody may change (its mode, or its directory's) cannot get the WAL's -shm file:
        # open it immutable, as `datasette -i` does; otherwise read-only beside live writers.
        frozen = immutable or not (os.access(file, os.W_OK) and os.access(file.resolve().parent, os.W_OK)) or not file.stat().st_mode & 0o222
        uri = f"{file.resolve().as_uri()}?{'immutable=1' if frozen else 'mode=ro'}"
        try:
            conn = sqlite3.connect(uri, uri=True, timeout=BUSY_TIMEOUT_MS / 1000, isolation_level=None)
            conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
            db = sqlite_utils.Database(conn)
            tables = set(db.table_names())
        except sqlite3.Error as exc:
            raise translate(exc, path) from None
        if not {"articles", "articles_fts", "captures"} <= tables:
            db.close()
            raise StoreError(f"{path}: not a scraper archive")
        return cls(db, path)

    @classmethod
    def open(cls, path: str | Path, *, create: bool = True) -> Store:
        path = str(path)
        if not create and not Path(path).exists():
            raise StoreError(f"{path}: no archive here yet (run `scrape fetch URL` first)")
        if Path(path).is_dir():
            raise StoreError(f"{path}: is a directory, not a database file")
        try:
            # isolation_level=None: no implicit deferred BEGIN. Every write transaction is opened
            # here with BEGIN IMMEDIATE, so it waits for the write lock up front (the busy timeout
            # applies) instead of reading first and failing with SQLITE_BUSY_SNAPSHOT, which
            # SQLite never retries, once another process has written in between.
            conn = sqlite3.connect(path, timeout=BUSY_TIMEOUT_MS / 1000, isolation_level=None)
            db = sqlite_utils.Database(conn)
            store = cls(db, path)
            store._prepare()
        except sqlite3.Error as exc:
            raise translate(exc, path) from None
        return store

    def _prepare(self) -> None:
        conn = self.db.conn
        conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
        conn.execute("PRAGMA foreign_keys = ON")
        mode = conn.execute("PRAGMA journal_mode").fetchone()[0]
        if mode != "wal":
            conn.execute("PRAGMA journal_mode = WAL")
        conn.execute("PRAGMA synchronous = NORMAL")
        if "articles_fts" not in self.db.table_names():
            with self.writing():  # several processes may open a new file at once: one creates it
                if "articles_fts" not in self.db.table_names():
                    schema.create(self.db)
        elif schema.outdated(self.db):
            try:
                with self.writing():  # under the write lock, so two processes never add a column twice
                    schema.migrate(self.db)
            except StoreError as exc:
                if "read-only" not in str(exc):
                    raise  # a read-only old archive stays readable, without the new columns

    def close(self) -> None:
        self.db.close()

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    @contextlib.contextmanager
    def errors(self) -> Iterator[None]:
        """The one place a sqlite3 error becomes the StoreError the user reads."""
        started = time.monotonic()
        try:
            yield
        except sqlite3.Error as exc:
            raise translate(exc, self.path, waited_s=time.monotonic() - started) from None

    @contextlib.contextmanager
    def _immediate(self) -> Iterator[None]:
        """A write transaction that holds the write lock from its first statement."""
        self.db.conn.execute("BEGIN IMMEDIATE")
        try:
            yield
        except BaseException:
            if self.db.conn.in_transaction:
                self.db.conn.execute("ROLLBACK")
            raise
        self.db.conn.execute("COMMIT")

    @contextlib.contextmanager
    def writing(self) -> Iterator[None]:
        """One all-or-nothing write (a savepoint inside ``batches``): every single write goes through here."""
        with self.errors():
            if self.db.conn.in_transaction:
                with self.db.atomic():  # a savepoint inside the open transaction
                    yield
            else:
                with self._immediate():
                    yield

    @contextlib.contextmanager
    def batches(self, size: int) -> Iterator[Callable[[], None]]:
        """Group writes into transactions of about ``size`` steps; call the yielded tick once a step.

        Writes inside keep their own all-or-nothing savepoints; whatever completed is committed
        on the way out, error or not.
        """
        done = 0
        began = time.monotonic()

        def tick() -> None:
            nonlocal done, began
            done += 1
            # Other writers wait while a batch holds the lock: keep it well under their busy timeout.
            if done % size == 0 or time.monotonic() - began > BATCH_HOLD_S:
                with self.errors():
                    self.db.commit()
                    self.db.conn.execute("BEGIN IMMEDIATE")
                began = time.monotonic()

        with self.errors():
            self.db.conn.execute("BEGIN IMMEDIATE")
        try:
            yield tick
        finally:
            with self.errors():
                self.db.commit()

    # -- looking articles up ----------------------------------------------------

    @mapped
    def has_article(self, url: str) -> bool:
        return self.article_id(url) is not None

    @mapped
    def article_id(self, *urls: str) -> int | None:
        """The id of the article stored at any of ``urls`` (as its URL or its canonical URL)."""
        row = self.db.execute(*either(urls, "id")).fetchone()
        return int(row[0]) if row else None

    @mapped
    def same_text(self, article: Article, url: str) -> str | None:
        """The URL of another archived article with this title and body: the same story at a second address."""
        if not article.body.strip():
            return None
        row = self.db.execute(
            "SELECT url FROM articles WHERE content_hash = ? AND url != ? LIMIT 1", [content_hash(article), url]
        ).fetchone() or self.db.execute(
            "SELECT url FROM articles WHERE title = ? AND body = ? AND url != ? LIMIT 1", [article.title, article.body, url]
        ).fetchone()
        return row[0] if row else None

    def touch(self, *urls: str, seen: str | None = None) -> str:
        """Record that the article at any of ``urls`` was seen unchanged (a 304); return its title or ''."""
        with self.writing():
            found = self.db.execute(*either(urls, "id, title")).fetchone()
            if found is None:
                return ""
            self.db.execute("UPDATE articles SET last_seen = ? WHERE id = ?", [seen or now_iso(), found[0]])
        return str(found[1])

    # -- articles ---------------------------------------------------------------

    def save_article(self, article: Article, *, url: str, capture_id: int | None = None, seen: str | None = None) -> Status:
        """Insert or update the article at ``url``; keep the old text in article_versions if it changed."""
        seen = seen or now_iso()
        digest = content_hash(article)
        with self.writing():
            keys = [url] + ([article.canonical_url] if article.canonical_url and article.canonical_url != url else [])
            cursor = self.db.execute(*either(keys))
            found = cursor.fetchone()
            existing = dict(zip([c[0] for c in cursor.description], found, strict=True)) if found else None
            if existing is None:
                row = {"url": url, **article_columns(article, digest), "first_seen": seen, "changed_at": seen,
                       "last_seen": seen, "capture_id": capture_id}
                article_id = insert(self.db, "articles", row)
                outcome = Status.STORED
            elif existing["content_hash"] == digest:
                self.db.execute(  # the same text: its Markdown (outside the hash) may still be new
                    "UPDATE articles SET last_seen = ?, capture_id = coalesce(?, capture_id), body_markdown = ? "
                    "WHERE id = ?",
                    [seen, capture_id, article.body_markdown, existing["id"]],
                )
                return Status.UNCHANGED
            else:
                article_id = existing["id"]
                archive_version(self.db, existing, seen)
                update = {**article_columns(article, digest), "changed_at": seen, "last_seen": seen}
                if capture_id is not None:
                    update["capture_id"] = capture_id
                assignments = ", ".join(f"[{name}] = ?" for name in update)
                self.db.execute(f"UPDATE articles SET {assignments} WHERE id = ?", [*update.values(), article_id])
                outcome = Status.UPDATED
            write_children(self.db, article_id, article)
        return outcome
