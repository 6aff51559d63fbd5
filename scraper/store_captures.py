"""The Store's captures: every fetch as received, its body stored once however often it is fetched.

A mixin of ``Store`` (store.py), as store_reads.py is.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING, Any

from scraper.models import Page
from scraper.store_rows import capture_row, compress, decode_headers, decompress, insert, mapped, payload_digest

if TYPE_CHECKING:
    import contextlib

    import sqlite_utils


class Captures:
    db: sqlite_utils.Database

    if TYPE_CHECKING:
        def errors(self) -> contextlib.AbstractContextManager[None]: ...
        def writing(self) -> contextlib.AbstractContextManager[None]: ...

    def add_capture(self, page: Page, digest: str | None = None, blob: bytes | None = None) -> int:
        """Store one fetch; ``digest`` and the compressed ``blob`` may come precomputed from a worker.

        A page fetched again with the same bytes (a server without ETags, re-checked by every
        crawl) is recorded as a revisit of the earlier capture, so its body is stored only once.
        """
        digest = digest or payload_digest(page.content)
        row = capture_row(page, digest)
        with self.writing():
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

    @mapped
    def validators(self, url: str) -> tuple[str | None, str | None]:
        """ETag and Last-Modified of the latest successful capture of ``url``, for a conditional GET."""
        row = self.db.execute(
            "SELECT etag, last_modified FROM captures WHERE url = ? AND status = 200 ORDER BY id DESC LIMIT 1", [url],
        ).fetchone()
        return (row[0], row[1]) if row else (None, None)

    @mapped
    def has_capture(self, url: str, fetched_at: str, digest: str) -> bool:
        """True when this exact fetch (same URL, time and body) is already archived: imports stay idempotent."""
        row = self.db.execute(
            "SELECT 1 FROM captures WHERE url = ? AND fetched_at = ? AND payload_digest = ? LIMIT 1",
            [url, fetched_at, digest],
        ).fetchone()
        return row is not None

    def iter_captures(self, since: str | None = None) -> Iterator[dict[str, Any]]:
        """Every capture in fetch order (optionally from ``since`` on), body decompressed, headers as pairs."""
        sql = (
            "SELECT c.*, coalesce(c.body, earlier.body) AS body FROM captures c "
            "LEFT JOIN captures earlier ON earlier.id = c.revisit_of"
            + (" WHERE c.fetched_at >= ?" if since else "")
            + " ORDER BY c.id"
        )
        with self.errors():
            cursor = self.db.conn.execute(sql, [since] if since else [])
            names = [c[0] for c in cursor.description]
            for values in cursor:
                row = dict(zip(names, values, strict=True))  # the later "body", the resolved one, wins
                row["body"] = decompress(row["body"]) if row["body"] else b""
                row["headers"] = decode_headers(row["headers"])
                yield row

    @mapped
    def capture_body(self, capture_id: int) -> bytes:
        """The raw body of a capture, followed to the earlier capture when it was a revisit."""
        row = self.db.execute(
            "SELECT coalesce(c.body, earlier.body) FROM captures c "
            "LEFT JOIN captures earlier ON earlier.id = c.revisit_of WHERE c.id = ?",
            [capture_id],
        ).fetchone()
        return decompress(row[0]) if row and row[0] else b""

    @mapped
    def capture(self, capture_id: int) -> dict[str, Any]:
        """One capture's row, its body (still compressed) followed to the earlier capture when it was a revisit."""
        cursor = self.db.execute(
            "SELECT c.*, coalesce(c.body, e.body) AS body FROM captures c LEFT JOIN captures e ON e.id = c.revisit_of "
            "WHERE c.id = ?", [capture_id])
        return dict(zip([c[0] for c in cursor.description], cursor.fetchone(), strict=False))
