"""The archive: SQLite through sqlite-utils.

Tables (defined in schema.py; foreign keys declared, so datasette links them):

- ``captures``  every HTTP fetch as received: URL, final URL, status, headers, timings and the
  raw body (zstandard-compressed), so extraction can be redone without the network.
- ``articles``  one row per article URL, with FTS5 on (title, body) kept in sync by triggers.
- ``quotes`` / ``links``  the article's quotations and its inline and related links.
- ``article_versions``  earlier texts of an article, written only when its content hash changes.

Every article is written in one transaction, so a crash never leaves half a record; WAL mode and
a busy timeout let a reader (datasette) and a writer share the file.
"""

from __future__ import annotations

import base64
import contextlib
import hashlib
import json
import sqlite3
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, Literal

import sqlite_utils
import zstandard

from scraper import schema
from scraper.errors import StoreError
from scraper.models import Article, Page

BUSY_TIMEOUT_MS = 10_000
Outcome = Literal["stored", "updated", "unchanged"]

def insert(db: sqlite_utils.Database, table: str, row: dict[str, Any]) -> int:
    """A plain INSERT: sqlite-utils' insert() re-reads the schema on every call, too slow per page."""
    columns = ", ".join(f"[{name}]" for name in row)
    marks = ", ".join("?" * len(row))
    cursor = db.conn.execute(f"INSERT INTO [{table}] ({columns}) VALUES ({marks})", list(row.values()))
    return int(cursor.lastrowid or 0)


@dataclass(frozen=True, slots=True)
class SearchHit:
    id: int
    url: str
    title: str
    published: str | None
    snippet: str
    rank: float


def now_iso() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


def content_hash(article: Article) -> str:
    """Hash of what the article says (not where or when it was seen): a change means a new version."""
    data = article.to_dict()
    # body_markdown is another rendering of the body, not more text: kept out so that an archive
    # re-extracted once Markdown was added (or with a better renderer) makes no new version of
    # every article. save_article refreshes it in place when the hash is unchanged.
    for key in ("url", "body_markdown"):
        data.pop(key, None)
    canonical = json.dumps(data, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


def compress(body: bytes) -> bytes:
    # zstandard level 3: the size of zlib -6 at a tenth of the time, which matters on bulk imports.
    return zstandard.ZstdCompressor(level=3).compress(body)


def decompress(blob: bytes) -> bytes:
    return zstandard.ZstdDecompressor().decompress(blob)


def payload_digest(content: bytes) -> str:
    """The body's digest in WARC's notation, so captures and WARC records can be matched."""
    return "sha1:" + base64.b32encode(hashlib.sha1(content).digest()).decode("ascii")


def translate(exc: sqlite3.Error, path: str) -> StoreError:
    """One line for the user from a sqlite3 error."""
    text = str(exc)
    if "locked" in text or "busy" in text:
        return StoreError(f"{path}: database is locked by another process (gave up after {BUSY_TIMEOUT_MS // 1000} s)")
    if "unable to open" in text:
        parent = Path(path).parent
        if not parent.is_dir():
            return StoreError(f"{path}: cannot create database: directory {str(parent)!r} does not exist")
        return StoreError(f"{path}: cannot open database file (permissions?)")
    if "not a database" in text or "malformed" in text:
        return StoreError(f"{path}: not an SQLite database, or it is corrupt")
    if "readonly" in text:
        return StoreError(f"{path}: database is read-only")
    return StoreError(f"{path}: database error: {text}")


class Store:
    """The archive database. Open with ``Store.open(path)``; use as a context manager."""

    def __init__(self, db: sqlite_utils.Database, path: str) -> None:
        self.db = db
        self.path = path

    @classmethod
    def open(cls, path: str | Path, *, create: bool = True) -> Store:
        path = str(path)
        if not create and not Path(path).exists():
            raise StoreError(f"{path}: no archive here yet (run `scrape fetch URL` first)")
        if Path(path).is_dir():
            raise StoreError(f"{path}: is a directory, not a database file")
        try:
            conn = sqlite3.connect(path, timeout=BUSY_TIMEOUT_MS / 1000)
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
            schema.create(self.db)
        else:
            schema.migrate(self.db)

    def close(self) -> None:
        self.db.close()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # -- captures ---------------------------------------------------------------

    def add_capture(self, page: Page, digest: str | None = None, blob: bytes | None = None) -> int:
        """Store one fetch; ``digest`` and the compressed ``blob`` may come precomputed from a worker.

        A page fetched again with the same bytes (a server without ETags, re-checked by every
        crawl) is recorded as a revisit of the earlier capture, so its body is stored only once.
        """
        digest = digest or payload_digest(page.content)
        row = {
            "url": page.url,
            "final_url": page.final_url,
            "status": page.status,
            "headers": json.dumps([list(h) for h in page.headers], ensure_ascii=False),
            "fetched_at": page.fetched_at,
            "content_type": page.content_type or None,
            "charset": page.charset,
            "etag": page.header("etag"),
            "last_modified": page.header("last-modified"),
            "elapsed_s": round(page.elapsed_s, 4),
            "body_size": len(page.content),
            "payload_digest": digest,
            "revisit_of": None,
            "body": None,
        }
        try:
            with self.db.atomic():
                if page.content:
                    earlier = self.db.execute(
                        "SELECT id FROM captures WHERE payload_digest = ? AND final_url = ? AND body IS NOT NULL "
                        "ORDER BY id DESC LIMIT 1",
                        [digest, page.final_url],
                    ).fetchone()
                    if earlier:
                        row["revisit_of"] = earlier[0]
                    else:
                        row["body"] = blob or compress(page.content)
                return insert(self.db, "captures", row)
        except sqlite3.Error as exc:
            raise translate(exc, self.path) from None

    def validators(self, url: str) -> tuple[str | None, str | None]:
        """ETag and Last-Modified of the latest successful capture of ``url``, for a conditional GET."""
        try:
            row = self.db.execute(
                "SELECT etag, last_modified FROM captures WHERE url = ? AND status = 200 "
                "ORDER BY id DESC LIMIT 1",
                [url],
            ).fetchone()
        except sqlite3.Error as exc:
            raise translate(exc, self.path) from None
        return (row[0], row[1]) if row else (None, None)

    @contextlib.contextmanager
    def batches(self, size: int) -> Iterator[Callable[[], None]]:
        """Group writes into transactions of about ``size`` steps; call the yielded tick once a step.

        Writes inside keep their own all-or-nothing savepoints; whatever completed is committed
        on the way out, error or not.
        """
        done = 0

        def tick() -> None:
            nonlocal done
            done += 1
            if done % size == 0:
                self.db.commit()
                self.db.begin()

        try:
            self.db.begin()
            yield tick
        finally:
            try:
                self.db.commit()
            except sqlite3.Error as exc:
                raise translate(exc, self.path) from None

    def has_capture(self, url: str, fetched_at: str, digest: str) -> bool:
        """True when this exact fetch (same URL, time and body) is already archived: imports stay idempotent."""
        row = self.db.execute(
            "SELECT 1 FROM captures WHERE url = ? AND fetched_at = ? AND payload_digest = ? LIMIT 1",
            [url, fetched_at, digest],
        ).fetchone()
        return row is not None

    def iter_captures(self, since: str | None = None) -> Iterator[dict[str, Any]]:
        """Every capture in fetch order (optionally from ``since`` on), body decompressed, one at a time."""
        sql = (
            "SELECT c.*, coalesce(c.body, earlier.body) AS body FROM captures c "
            "LEFT JOIN captures earlier ON earlier.id = c.revisit_of"
            + (" WHERE c.fetched_at >= ?" if since else "")
            + " ORDER BY c.id"
        )
        cursor = self.db.conn.execute(sql, [since] if since else [])
        names = [c[0] for c in cursor.description]
        for values in cursor:
            row = dict(zip(names, values, strict=True))  # the later "body", the resolved one, wins
            row["body"] = decompress(row["body"]) if row["body"] else b""
            yield row

    def capture_body(self, capture_id: int) -> bytes:
        """The raw body of a capture, followed to the earlier capture when it was a revisit."""
        row = self.db.execute(
            "SELECT coalesce(c.body, earlier.body) FROM captures c "
            "LEFT JOIN captures earlier ON earlier.id = c.revisit_of WHERE c.id = ?",
            [capture_id],
        ).fetchone()
        return decompress(row[0]) if row and row[0] else b""

    def has_article(self, url: str) -> bool:
        row = self.db.execute("SELECT 1 FROM articles WHERE url = ? OR canonical_url = ?", [url, url]).fetchone()
        return row is not None

    def same_text(self, article: Article, url: str) -> str | None:
        """The URL of another archived article with this title and body: the same story at a second address."""
        if not article.body.strip():
            return None
        try:
            row = self.db.execute(
                "SELECT url FROM articles WHERE content_hash = ? AND url != ? LIMIT 1", [content_hash(article), url]
            ).fetchone() or self.db.execute(
                "SELECT url FROM articles WHERE title = ? AND body = ? AND url != ? LIMIT 1", [article.title, article.body, url]
            ).fetchone()
        except sqlite3.Error as exc:
            raise translate(exc, self.path) from None
        return row[0] if row else None

    def touch(self, *urls: str, seen: str | None = None) -> str:
        """Record that the article at any of ``urls`` was seen unchanged (a 304); return its title or ''."""
        marks = ",".join("?" * len(urls))
        try:
            with self.db.atomic():
                self.db.execute(
                    f"UPDATE articles SET last_seen = ? WHERE url IN ({marks}) OR canonical_url IN ({marks})",
                    [seen or now_iso(), *urls, *urls],
                )
                row = self.db.execute(
                    f"SELECT title FROM articles WHERE url IN ({marks}) OR canonical_url IN ({marks}) LIMIT 1",
                    [*urls, *urls],
                ).fetchone()
        except sqlite3.Error as exc:
            raise translate(exc, self.path) from None
        return row[0] if row else ""

    # -- articles ---------------------------------------------------------------

    def save_article(self, article: Article, *, url: str, capture_id: int | None = None, seen: str | None = None) -> Outcome:
        """Insert or update the article at ``url``; keep the old text in article_versions if it changed."""
        seen = seen or now_iso()
        digest = content_hash(article)
        try:
            with self.db.atomic():
                existing = self._find(url, article.canonical_url)
                if existing is None:
                    article_id = self._insert(article, url, digest, capture_id, seen)
                    outcome: Outcome = "stored"
                elif existing["content_hash"] == digest:
                    self.db.execute(
                        "UPDATE articles SET last_seen = ?, capture_id = coalesce(?, capture_id), body_markdown = ? "
                        "WHERE id = ?",
                        [seen, capture_id, article.body_markdown, existing["id"]],
                    )
                    return "unchanged"
                else:
                    article_id = existing["id"]
                    self._archive_version(existing, seen)
                    self._update(article_id, article, digest, capture_id, seen)
                    outcome = "updated"
                self._write_children(article_id, article)
        except sqlite3.Error as exc:
            raise translate(exc, self.path) from None
        return outcome

    def _find(self, url: str, canonical: str | None) -> dict[str, Any] | None:
        keys = [url] + ([canonical] if canonical and canonical != url else [])
        marks = ",".join("?" * len(keys))
        cursor = self.db.execute(
            f"SELECT * FROM articles WHERE url IN ({marks}) OR canonical_url IN ({marks}) ORDER BY id LIMIT 1",
            keys + keys,
        )
        row = cursor.fetchone()
        if row is None:
            return None
        return dict(zip([c[0] for c in cursor.description], row, strict=True))

    @staticmethod
    def _columns(article: Article, digest: str) -> dict[str, Any]:
        return {
            "canonical_url": article.canonical_url,
            "title": article.title,
            "body": article.body,
            "body_markdown": article.body_markdown,
            "authors": json.dumps(list(article.authors), ensure_ascii=False),
            "published": article.published,
            "modified": article.modified,
            "language": article.language,
            "site_name": article.site_name,
            "description": article.description,
            "tags": json.dumps(list(article.tags), ensure_ascii=False),
            "image": article.image,
            "word_count": article.word_count,
            "content_hash": digest,
        }

    def _insert(self, article: Article, url: str, digest: str, capture_id: int | None, seen: str) -> int:
        row = {
            "url": url,
            **self._columns(article, digest),
            "first_seen": seen,
            "changed_at": seen,
            "last_seen": seen,
            "capture_id": capture_id,
        }
        return insert(self.db, "articles", row)

    def _update(self, article_id: int, article: Article, digest: str, capture_id: int | None, seen: str) -> None:
        row = {**self._columns(article, digest), "changed_at": seen, "last_seen": seen}
        if capture_id is not None:
            row["capture_id"] = capture_id
        assignments = ", ".join(f"[{name}] = ?" for name in row)
        self.db.conn.execute(f"UPDATE articles SET {assignments} WHERE id = ?", [*row.values(), article_id])

    def _archive_version(self, old: dict[str, Any], replaced_at: str) -> None:
        record = {k: old[k] for k in old if k not in ("id", "capture_id", "published_month")}
        record["quotes"] = [
            {"text": t, "speaker": s}
            for t, s in self.db.execute("SELECT text, speaker FROM quotes WHERE article_id = ? ORDER BY position", [old["id"]])
        ]
        record["links"] = [
            {"url": u, "text": t, "kind": k}
            for u, t, k in self.db.execute("SELECT url, text, kind FROM links WHERE article_id = ? ORDER BY position", [old["id"]])
        ]
        insert(
            self.db,
            "article_versions",
            {
                "article_id": old["id"],
                "title": old["title"],
                "body": old["body"],
                "content_hash": old["content_hash"],
                "record": json.dumps(record, ensure_ascii=False),
                "first_seen": old["changed_at"],
                "last_seen": old["last_seen"],
                "replaced_at": replaced_at,
            },
        )

    def _write_children(self, article_id: int, article: Article) -> None:
        self.db.execute("DELETE FROM quotes WHERE article_id = ?", [article_id])
        self.db.execute("DELETE FROM links WHERE article_id = ?", [article_id])
        self.db.conn.executemany(
            "INSERT INTO quotes (article_id, position, text, speaker) VALUES (?, ?, ?, ?)",
            [(article_id, i, q.text, q.speaker) for i, q in enumerate(article.quotes)],
        )
        links = [(link, "inline") for link in article.links] + [(link, "related") for link in article.related_links]
        self.db.conn.executemany(
            "INSERT INTO links (article_id, position, url, text, kind) VALUES (?, ?, ?, ?, ?)",
            [(article_id, i, link.url, link.text, kind) for i, (link, kind) in enumerate(links)],
        )

    # -- reading ----------------------------------------------------------------

    def search(self, query: str, limit: int = 10) -> list[SearchHit]:
        """Full-text search over title and body, best match first, with a highlighted snippet."""
        sql = """
            SELECT articles.id, articles.url, articles.title, articles.published,
                   snippet(articles_fts, 1, '[', ']', '…', 16) AS snippet,
                   bm25(articles_fts, 5.0, 1.0) AS rank
            FROM articles_fts JOIN articles ON articles.id = articles_fts.rowid
            WHERE articles_fts MATCH ?
            ORDER BY rank LIMIT ?
        """
        try:
            rows = self.db.execute(sql, [self.db.quote_fts(query), limit]).fetchall()
        except sqlite3.Error as exc:
            raise translate(exc, self.path) from None
        return [SearchHit(*row) for row in rows]

    def count(self, table: str) -> int:
        return int(self.db.execute(f"SELECT count(*) FROM [{table}]").fetchone()[0])
