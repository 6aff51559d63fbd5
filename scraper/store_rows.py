"""The Store's helpers: records to rows and back, hashes, compression, and sqlite3 errors in words.

Only store.py uses these (and workers that compress a body before it reaches the Store).
"""

from __future__ import annotations

import base64
import functools
import hashlib
import json
import sqlite3
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any, ParamSpec, TypeVar

import sqlite_utils
import zstandard

from scraper.errors import StoreError
from scraper.models import Article, Link, Page, Quote

BUSY_TIMEOUT_MS = 10_000

P = ParamSpec("P")
T = TypeVar("T")


def mapped(method: Callable[P, T]) -> Callable[P, T]:
    """A Store method whose sqlite3 errors reach the caller as StoreError."""

    @functools.wraps(method)
    def wrapper(*args: P.args, **kwargs: P.kwargs) -> T:
        with args[0].errors():  # type: ignore[attr-defined]
            return method(*args, **kwargs)

    return wrapper


def either(urls: tuple[str, ...] | list[str], columns: str = "*", table: str = "articles") -> tuple[str, list[str]]:
    """The one lookup of an article by any of its addresses: its URL or its canonical URL."""
    marks = ",".join("?" * len(urls))
    return (f"SELECT {columns} FROM {table} WHERE url IN ({marks}) OR canonical_url IN ({marks}) ORDER BY id LIMIT 1",
            [*urls, *urls])


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


def content_hash(article: Article) -> str:
    """Hash of what the article says (not where or when it was seen): a change means a new version."""
    data = article.to_dict()
    data.pop("url", None)
    # body_markdown is another rendering of the body, not more text: kept out so that an archive
    # re-extracted once Markdown was added (or with a better renderer) makes no new version of
    # every article. Store.save_article refreshes it in place when the hash is unchanged.
    data.pop("body_markdown", None)
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


def encode_headers(headers: tuple[tuple[str, str], ...]) -> str:
    return json.dumps([list(h) for h in headers], ensure_ascii=False)


def decode_headers(text: str) -> list[tuple[str, str]]:
    """The stored headers column (a JSON list of [name, value]) as pairs."""
    return [(name, value) for name, value in json.loads(text)]


def capture_row(page: Page, digest: str) -> dict[str, Any]:
    return {
        "url": page.url,
        "final_url": page.final_url,
        "status": page.status,
        "headers": encode_headers(page.headers),
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


def article_columns(article: Article, digest: str) -> dict[str, Any]:
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


def translate(exc: sqlite3.Error, path: str, waited_s: float | None = None) -> StoreError:
    """One line for the user from a sqlite3 error; ``waited_s``: how long the failed step took."""
    text = str(exc)
    if "locked" in text or "busy" in text:
        waited = f"waited {waited_s:.1f} s" if waited_s is not None else f"busy timeout {BUSY_TIMEOUT_MS // 1000} s"
        return StoreError(f"{path}: database is locked by another process ({waited} for its write lock)")
    if "unable to open" in text:
        parent = Path(path).parent
        if not parent.is_dir():
            return StoreError(f"{path}: cannot create database: directory {str(parent)!r} does not exist")
        return StoreError(f"{path}: cannot open database file (permissions?)")
    if "not a database" in text or "malformed" in text:
        return StoreError(f"{path}: not an SQLite database, or it is corrupt")
    if "readonly" in text:
        return StoreError(f"{path}: database is read-only")
    if "disk is full" in text:  # SQLITE_FULL: ENOSPC, or the disk quota; the open write was rolled back
        return StoreError(f"{path}: disk full: the archive cannot grow (what was stored before is kept)")
    if "disk I/O error" in text:
        return StoreError(f"{path}: disk I/O error writing the archive (disk full or failing?)")
    return StoreError(f"{path}: database error: {text}")


def archive_version(db: sqlite_utils.Database, old: dict[str, Any], replaced_at: str) -> None:
    """Keep the article's text as it was (with its quotes and links) before it is replaced."""
    record = {k: old[k] for k in old if k not in ("id", "capture_id", "published_month")}
    record["quotes"] = [
        {"text": t, "speaker": s}
        for t, s in db.execute("SELECT text, speaker FROM quotes WHERE article_id = ? ORDER BY position", [old["id"]])
    ]
    record["links"] = [
        {"url": u, "text": t, "kind": k}
        for u, t, k in db.execute("SELECT url, text, kind FROM links WHERE article_id = ? ORDER BY position", [old["id"]])
    ]
    insert(db, "article_versions", {
        "article_id": old["id"], "title": old["title"], "body": old["body"], "content_hash": old["content_hash"],
        "record": json.dumps(record, ensure_ascii=False), "first_seen": old["changed_at"],
        "last_seen": old["last_seen"], "replaced_at": replaced_at,
    })


def write_children(db: sqlite_utils.Database, article_id: int, article: Article) -> None:
    """The article's quotes and links, replacing what an earlier version had."""
    db.execute("DELETE FROM quotes WHERE article_id = ?", [article_id])
    db.execute("DELETE FROM links WHERE article_id = ?", [article_id])
    db.conn.executemany(
        "INSERT INTO quotes (article_id, position, text, speaker) VALUES (?, ?, ?, ?)",
        [(article_id, i, q.text, q.speaker) for i, q in enumerate(article.quotes)],
    )
    links = [(link, "inline") for link in article.links] + [(link, "related") for link in article.related_links]
    db.conn.executemany(
        "INSERT INTO links (article_id, position, url, text, kind) VALUES (?, ?, ?, ?, ?)",
        [(article_id, i, link.url, link.text, kind) for i, (link, kind) in enumerate(links)],
    )


ARTICLE_COLUMNS = ("url, canonical_url, title, body, authors, published, modified, language, site_name, description, "
                   "tags, image, coalesce(body_markdown, '')")


def article_of(row: tuple[Any, ...], quotes: list[tuple[Any, ...]], links: list[tuple[Any, ...]]) -> Article:
    """The Article a stored row (ARTICLE_COLUMNS) and its quotes and links (url, text, kind) were made from."""
    url, canonical, title, body, authors, published, modified, language, site, description, tags, image, markdown = row
    return Article(
        url=url, title=title, body=body, body_markdown=markdown, canonical_url=canonical, authors=tuple(json.loads(authors)),
        published=published, modified=modified, language=language, site_name=site, description=description,
        tags=tuple(json.loads(tags)), image=image, quotes=tuple(Quote(t, s) for t, s in quotes),
        links=tuple(Link(u, t) for u, t, k in links if k == "inline"),
        related_links=tuple(Link(u, t) for u, t, k in links if k == "related"),
    )
