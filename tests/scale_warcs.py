"""Three WARCs written with warcio from the fixture pages, and a view of an archive to compare by.

The files overlap the way a month of CC-NEWS does: one page is captured again later with a
changed text (a new version, in another file), one capture is repeated byte for byte in two
files, and there are records that are not articles (an image, a 404).
"""

from __future__ import annotations

import hashlib
import io
import json
import sqlite3
from pathlib import Path
from typing import Any

from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

from .conftest import FIXTURES

Record = tuple[str, int, str, bytes, str]  # url, status, content type, body, WARC-Date


def fixture_pages() -> list[tuple[str, bytes]]:
    """(the page's URL from its golden file, its HTML) for every fixture page."""
    pages = []
    for html in sorted(FIXTURES.glob("*.html")):
        golden = html.with_suffix(".json")
        url = json.loads(golden.read_text(encoding="utf-8"))["url"] if golden.exists() else f"https://fixture.test/{html.stem}"
        pages.append((url, html.read_bytes()))
    return pages


def write_warc(path: Path, records: list[Record]) -> Path:
    with path.open("wb") as stream:
        writer = WARCWriter(stream, gzip=True)
        for url, status, content_type, body, date in records:
            headers = StatusAndHeaders(f"{status} X", [("Content-Type", content_type)], protocol="HTTP/1.1")
            writer.write_record(writer.create_warc_record(
                url, "response", payload=io.BytesIO(body), http_headers=headers, warc_headers_dict={"WARC-Date": date}))
    return path


def three_warcs(folder: Path) -> list[Path]:
    pages = fixture_pages()
    html = "text/html; charset=utf-8"
    files: list[list[Record]] = [[], [], []]
    for i, (url, body) in enumerate(pages):
        files[i % 3].append((url, 200, html, body, f"2024-05-{1 + i:02d}T10:00:00Z"))
    changed_url, changed_body = pages[0]
    changed = changed_body.replace(b"</p>", b" A correction was added later to this paragraph.</p>", 1)
    assert changed != changed_body
    files[2].append((changed_url, 200, html, changed, "2024-05-28T10:00:00Z"))  # a new version, two files on
    files[1].append(files[0][1])  # the same capture in two files
    files[0].append(("https://fixture.test/logo.png", 200, "image/png", b"\x89PNG\r\n\x1a\nbinary", "2024-05-02T00:00:00Z"))
    files[1].append(("https://fixture.test/gone", 404, html, b"<html><body>Not found</body></html>", "2024-05-03T00:00:00Z"))
    folder.mkdir(parents=True, exist_ok=True)
    return [write_warc(folder / f"cc-news-{n}.warc.gz", records) for n, records in enumerate(files)]


SEARCH_WORDS = ("library", "council", "solar", "bundestag", "rust", "radio", "correction", "ferry")


def view(db: Path, skip: tuple[str, ...] = ()) -> dict[str, Any]:
    """Everything an archive says, keyed by URL and content, without ids or the time of the run."""
    with sqlite3.connect(db) as conn:
        def rows(sql: str, *args: Any) -> list[tuple[Any, ...]]:
            return sorted(conn.execute(sql, args).fetchall(), key=repr)

        article_columns = [r[1] for r in conn.execute("PRAGMA table_info(articles)") if r[1] not in ("id", "capture_id", *skip)]
        picked = ", ".join(f"a.[{c}]" for c in article_columns)
        return {
            "articles": rows(f"SELECT {picked}, c.url, c.fetched_at FROM articles a LEFT JOIN captures c ON c.id = a.capture_id"),
            "quotes": rows("SELECT a.url, q.position, q.text, q.speaker FROM quotes q JOIN articles a ON a.id = q.article_id"),
            "links": rows("SELECT a.url, l.position, l.url, l.text, l.kind FROM links l JOIN articles a ON a.id = l.article_id"),
            "versions": rows("SELECT a.url, v.title, v.body, v.content_hash, v.record, v.first_seen, v.last_seen, v.replaced_at "
                             "FROM article_versions v JOIN articles a ON a.id = v.article_id"),
            "captures": [
                (*row[:-1], hashlib.sha1(row[-1] or b"").hexdigest()) for row in rows(
                    "SELECT c.url, c.final_url, c.status, c.headers, c.fetched_at, c.charset, c.payload_digest, "
                    "c.body IS NULL, coalesce(c.body, e.body) FROM captures c LEFT JOIN captures e ON e.id = c.revisit_of")
            ],
            "fts": {word: rows("SELECT a.url FROM articles_fts JOIN articles a ON a.id = articles_fts.rowid "
                               "WHERE articles_fts MATCH ?", word) for word in SEARCH_WORDS},
            "integrity": conn.execute("INSERT INTO articles_fts (articles_fts) VALUES ('integrity-check')").rowcount,
        }


def dump(db: Path) -> list[str]:
    """The whole file as SQL, for 'changes nothing' checks."""
    with sqlite3.connect(db) as conn:
        return list(conn.iterdump())
