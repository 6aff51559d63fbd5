"""The Store's read-only queries: search, counts, versions, what reextract works on.

A mixin of ``Store`` (store.py), kept apart so each module stays one screenful of concerns.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING, Any

from scraper.models import Article
from scraper.store_rows import ARTICLE_COLUMNS, SearchHit, article_of, either, mapped

if TYPE_CHECKING:
    import contextlib

    import sqlite_utils


class Reads:
    db: sqlite_utils.Database

    if TYPE_CHECKING:
        def errors(self) -> contextlib.AbstractContextManager[None]: ...

    @mapped
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
        return [SearchHit(*row) for row in self.db.execute(sql, [self.db.quote_fts(query), limit]).fetchall()]

    @mapped
    def count(self, table: str) -> int:
        return int(self.db.execute(f"SELECT count(*) FROM [{table}]").fetchone()[0])

    def articles(self) -> Iterator[Article]:
        """Every stored article as the record the extractor made, with its quotes and links, oldest first."""
        with self.errors():
            ids = [row[0] for row in self.db.execute("SELECT id FROM articles ORDER BY id").fetchall()]
        for article_id in ids:
            with self.errors():
                row = self.db.execute(f"SELECT {ARTICLE_COLUMNS} FROM articles WHERE id = ?", [article_id]).fetchone()
                if row is None:
                    continue  # deleted since the list was read
                quotes = self.db.execute(
                    "SELECT text, speaker FROM quotes WHERE article_id = ? ORDER BY position", [article_id]).fetchall()
                links = self.db.execute(
                    "SELECT url, text, kind FROM links WHERE article_id = ? ORDER BY position", [article_id]).fetchall()
            yield article_of(row, quotes, links)

    @mapped
    def versions(self, keys: list[str]) -> tuple[str, tuple[Any, ...], list[tuple[Any, ...]]] | None:
        """(URL, current text, earlier texts oldest first) of the article at any of ``keys``, or None.

        Texts are (title, body, content_hash, first_seen, last_seen). Besides its URL and canonical
        URL, an article is found by any address the crawl knows it by (a redirect, the same text).
        """
        columns = "id, url, title, body, content_hash, changed_at, last_seen"
        row = self.db.execute(*either(keys, columns)).fetchone()
        if row is None and "crawl_urls" in self.db.table_names():
            marks = ",".join("?" * len(keys))
            row = self.db.execute(
                f"SELECT a.id, a.url, a.title, a.body, a.content_hash, a.changed_at, a.last_seen FROM crawl_urls c "
                f"JOIN articles a ON a.id = c.article_id WHERE c.url IN ({marks}) LIMIT 1", keys,
            ).fetchone()
        if row is None:
            return None
        old = self.db.execute(
            "SELECT title, body, content_hash, first_seen, last_seen FROM article_versions WHERE article_id = ? ORDER BY id",
            [row[0]],
        ).fetchall()
        return row[1], tuple(row[2:]), [tuple(r) for r in old]

    def reextract_jobs(self) -> list[tuple[str, int, str, str | None]]:
        """(URL, capture id, final URL, charset): the latest capture of every article, and of every
        crawled page whose extraction failed (the frontier's reason is ``extraction``)."""
        return self.article_jobs() + self.failed_extraction_jobs()

    @mapped
    def article_jobs(self, first: int | None = None, last: int | None = None) -> list[tuple[str, int, str, str | None]]:
        """Every article's (URL, capture id, final URL, charset), or those whose capture id is in first..last."""
        where = " AND a.capture_id BETWEEN ? AND ?" if first is not None else ""
        rows = self.db.execute(
            "SELECT a.url, c.id, c.final_url, c.charset FROM articles a JOIN captures c ON c.id = a.capture_id "
            f"WHERE c.status = 200{where} ORDER BY a.id", [first, last] if where else [],
        ).fetchall()
        return [tuple(row) for row in rows]  # type: ignore[misc]

    @mapped
    def failed_extraction_jobs(self) -> list[tuple[str, int, str, str | None]]:
        """The latest capture of every crawled page whose extraction failed, as ``article_jobs``."""
        if "crawl_urls" not in self.db.table_names():
            return []
        rows = self.db.execute(
            "SELECT u.url, max(c.id), c.final_url, c.charset FROM crawl_urls u JOIN captures c ON c.url = u.url "
            "WHERE u.state = 'failed' AND u.reason = 'extraction' AND c.status = 200 "
            "AND NOT EXISTS (SELECT 1 FROM articles a WHERE a.url IN (u.url, c.final_url)) GROUP BY u.url"
        ).fetchall()
        return [tuple(row) for row in rows]  # type: ignore[misc]

    @mapped
    def article_capture_ids(self) -> set[int]:
        return {cid for (cid,) in self.db.execute("SELECT DISTINCT capture_id FROM articles WHERE capture_id IS NOT NULL")}

    @mapped
    def stored_hash(self, url: str) -> str | None:
        """The content hash of the article stored at exactly ``url``."""
        row = self.db.execute("SELECT content_hash FROM articles WHERE url = ?", [url]).fetchone()
        return row[0] if row else None

    @mapped
    def crawl_source(self, url: str) -> str | None:
        """The source that crawled ``url``, if a crawl did."""
        if "crawl_urls" not in self.db.table_names():
            return None
        row = self.db.execute("SELECT source FROM crawl_urls WHERE url = ?", [url]).fetchone()
        return row[0] if row else None

    @mapped
    def crawled_by(self, sources: list[str]) -> dict[str, str]:
        """URL -> the source that crawled it, for the named sources."""
        if not sources or "crawl_urls" not in self.db.table_names():
            return {}
        marks = ",".join("?" * len(sources))
        return dict(self.db.execute(f"SELECT url, source FROM crawl_urls WHERE source IN ({marks})", sources).fetchall())
