"""`scrape merge SHARD... --into ARCHIVE`: fold shard archives (or any archives) into one.

Each shard is merged in one transaction: the FTS triggers are dropped, the new rows are copied
in bulk (copy.py), the articles the archive already has are replayed through the normal
``Store.save_article`` path oldest state first (so an article seen in two shards gets its
versions as a single import would have made them), the triggers are put back and the shard is
recorded in ``merged_shards``. One full-text rebuild follows the last shard.

- Resumable: a merge killed mid-shard leaves that shard's transaction rolled back; the next run
  merges it again, and rebuilds the index if a committed shard is still waiting for it.
- Idempotent: a shard recorded in ``merged_shards`` is skipped, and a capture already archived
  (same URL, fetch time and payload digest) is never copied twice.

Only the archive's own tables are merged; a crawl's frontier stays with the machine that crawled.
"""

from __future__ import annotations

import hashlib
import json
import sqlite3
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from time import monotonic
from typing import Any

from scraper.errors import ScraperError
from scraper.models import Article, Link, Quote
from scraper.scale.copy import SHARD, copy_shard
from scraper.store import Store, content_hash, now_iso, translate

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


class MergeError(ScraperError):
    """A file given to `scrape merge` is not an archive, or is the archive being merged into."""


@dataclass
class MergeCounts:
    shards: int = 0
    skipped: int = 0  # already merged
    captures: int = 0
    duplicates: int = 0
    articles: int = 0
    replayed: dict[str, int] = field(default_factory=lambda: {"stored": 0, "updated": 0, "unchanged": 0})
    seconds: float = 0.0

    def line(self) -> str:
        saved = ", ".join(f"{n} {k}" for k, n in self.replayed.items())
        return (f"merged {self.shards} shards ({self.skipped} already merged): {self.captures} captures "
                f"({self.duplicates} duplicates), {self.articles} new articles copied, replayed: {saved}")


def merge(shards: Iterable[Path], into: Path, report: Callable[[str], None] = lambda line: None) -> MergeCounts:
    """Merge every shard into ``into`` (created if missing), in the order given."""
    started = monotonic()
    counts = MergeCounts()
    with Store.open(into) as store:
        conn = store.db.conn
        conn.execute(LEDGER)
        for shard in shards:
            if shard.resolve() == into.resolve():
                raise MergeError(f"{shard}: is the archive being merged into")
            check_shard(shard)
            identity = shard_identity(shard)
            if conn.execute("SELECT 1 FROM merged_shards WHERE shard = ?", [identity]).fetchone():
                counts.skipped += 1
                report(f"skipped: {shard}: already merged")
                continue
            merge_one(store, shard, identity, counts)
            counts.shards += 1
            report(f"merged: {shard}")
        rebuild_index(store)
    counts.seconds = round(monotonic() - started, 3)
    return counts


def check_shard(path: Path) -> None:
    if not path.is_file():
        raise MergeError(f"{path}: no such archive file")
    try:
        with sqlite3.connect(f"file:{path.resolve()}?mode=ro", uri=True) as conn:
            tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
    except sqlite3.Error:
        raise MergeError(f"{path}: not an SQLite database, or it is corrupt") from None
    missing = [t for t in ARCHIVE_TABLES if t not in tables]
    if missing:
        raise MergeError(f"{path}: not a scraper archive (no {', '.join(missing)} table)")


def shard_identity(path: Path) -> str:
    """A shard's id from its shard_info table; for any other archive, a fingerprint of what it holds."""
    with sqlite3.connect(f"file:{path.resolve()}?mode=ro", uri=True) as conn:
        if conn.execute("SELECT 1 FROM sqlite_master WHERE name = 'shard_info'").fetchone():
            return str(conn.execute("SELECT id FROM shard_info").fetchone()[0])
        # A crawl archive keeps growing: merged again later, what it gained is merged too.
        facts = [conn.execute(f"SELECT count(*), max(id) FROM [{t}]").fetchone() for t in ARCHIVE_TABLES]
        facts.append(conn.execute("SELECT max(last_seen) FROM articles").fetchone())
    return "archive:" + hashlib.sha1(json.dumps([path.name, facts]).encode()).hexdigest()


def merge_one(store: Store, shard: Path, identity: str, counts: MergeCounts) -> None:
    conn = store.db.conn
    try:
        conn.execute(f"ATTACH DATABASE ? AS {SHARD}", [str(shard)])
    except sqlite3.Error as exc:
        raise translate(exc, str(shard)) from None
    try:
        conn.execute("BEGIN IMMEDIATE")  # the ids are offset from the largest: no writer may slip in
        try:
            triggers = fts_triggers(conn)
            for name, _ in triggers:
                conn.execute(f"DROP TRIGGER [{name}]")
            copied = copy_shard(conn)
            saved = replay(store, copied.replay)
            for _, sql in triggers:
                conn.execute(sql)
            conn.execute(
                "INSERT INTO merged_shards (shard, path, merged_at, captures, articles, replayed) VALUES (?, ?, ?, ?, ?, ?)",
                [identity, str(shard), now_iso(), copied.captures, copied.articles, len(copied.replay)],
            )
            conn.execute("COMMIT")
        except BaseException:
            if conn.in_transaction:
                conn.execute("ROLLBACK")
            raise
    except sqlite3.Error as exc:
        raise translate(exc, store.path) from None
    finally:
        conn.execute(f"DETACH DATABASE {SHARD}")
    counts.captures += copied.captures
    counts.duplicates += copied.duplicates
    counts.articles += copied.articles
    for outcome, n in saved.items():
        counts.replayed[outcome] += n


def fts_triggers(conn: sqlite3.Connection) -> list[tuple[str, str]]:
    """(name, CREATE statement) of the triggers that keep articles_fts in step with articles."""
    rows = conn.execute("SELECT name, sql FROM main.sqlite_master WHERE type = 'trigger' AND tbl_name = 'articles'")
    return [(name, sql) for name, sql in rows if "articles_fts" in sql]


def rebuild_index(store: Store) -> None:
    """One full-text rebuild for every shard merged since the last one (this run's or a killed run's)."""
    conn = store.db.conn
    if not conn.execute("SELECT 1 FROM merged_shards WHERE indexed = 0 LIMIT 1").fetchone():
        return
    try:
        with store.db.atomic():
            conn.execute("INSERT INTO articles_fts (articles_fts) VALUES ('rebuild')")
            conn.execute("UPDATE merged_shards SET indexed = 1 WHERE indexed = 0")
    except sqlite3.Error as exc:
        raise translate(exc, store.path) from None


# -- the save path, for articles the archive already has ---------------------------------------


def replay(store: Store, article_ids: tuple[int, ...]) -> dict[str, int]:
    """Save each shard article's states (earlier versions, then the current) as an import would."""
    saved = {"stored": 0, "updated": 0, "unchanged": 0}
    for article_id in article_ids:
        for article, url, first_seen, last_seen, capture_id in states(store.db.conn, article_id):
            if already_there(store, url, article, first_seen):
                continue
            saved[store.save_article(article, url=url, capture_id=capture_id, seen=first_seen)] += 1
            if last_seen != first_seen:  # seen again unchanged until then
                store.save_article(article, url=url, capture_id=capture_id, seen=last_seen)
    return saved


def states(conn: sqlite3.Connection, article_id: int) -> list[tuple[Article, str, str, str, int | None]]:
    """(article, url, first seen, last seen, archive capture id) for each version, oldest first."""
    cursor = conn.execute(f"SELECT * FROM {SHARD}.articles WHERE id = ?", [article_id])
    names = [c[0] for c in cursor.description]
    row = dict(zip(names, cursor.fetchone(), strict=True))
    quotes = conn.execute(f"SELECT text, speaker FROM {SHARD}.quotes WHERE article_id = ? ORDER BY position", [article_id])
    links = conn.execute(f"SELECT url, text, kind FROM {SHARD}.links WHERE article_id = ? ORDER BY position", [article_id])
    current = {**row, "quotes": [{"text": t, "speaker": s} for t, s in quotes],
               "links": [{"url": u, "text": t, "kind": k} for u, t, k in links]}
    capture = conn.execute("SELECT target_id FROM temp.capmap WHERE shard_id = ?", [row["capture_id"]]).fetchone()
    out: list[tuple[Article, str, str, str, int | None]] = []
    for record, first, last in conn.execute(
        f"SELECT record, first_seen, last_seen FROM {SHARD}.article_versions WHERE article_id = ? ORDER BY id", [article_id]
    ):
        out.append((article_from(json.loads(record)), row["url"], first, last, None))
    out.append((article_from(current), row["url"], row["changed_at"], row["last_seen"], capture[0] if capture else None))
    return out


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


def already_there(store: Store, url: str, article: Article, first_seen: str) -> bool:
    """True when the archive holds this very state (same text, first seen at the same time): merged before."""
    digest = content_hash(article)
    conn = store.db.conn
    keys = list(dict.fromkeys(k for k in (url, article.canonical_url) if k))
    marks = ",".join("?" * len(keys))
    row = conn.execute(
        f"SELECT id, content_hash, changed_at FROM main.articles WHERE url IN ({marks}) OR canonical_url IN ({marks}) "
        "ORDER BY id LIMIT 1", keys + keys,
    ).fetchone()
    if row is None:
        return False
    if (row[1], row[2]) == (digest, first_seen):
        return True
    return conn.execute(
        "SELECT 1 FROM main.article_versions WHERE article_id = ? AND content_hash = ? AND first_seen = ? LIMIT 1",
        [row[0], digest, first_seen],
    ).fetchone() is not None

