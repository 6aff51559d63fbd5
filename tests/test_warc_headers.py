"""Hostile WARC header blocks: an enormous line, millions of folded lines, in the WARC or the HTTP headers.

warcio built such a header by appending to a bytes or str object, so the time grew with the
square of its length (142 s for a 60 MB line). Read through warc/bounded.py, the record is one
`failed:` line and the records after it are imported. The sizes here are small enough to run
in a second yet large enough that the old quadratic path took many seconds; the tests assert
on the outcome only.
"""

from __future__ import annotations

import gzip
import io
import json
import re

import pytest
from warcio.statusandheaders import StatusAndHeadersParser

from scraper.warc.bounded import MAX_HEADER_BYTES, BoundedParser, LinearReader

from .conftest import one_line_error
from .crawl_site import article, story

LONG = 8 * MAX_HEADER_BYTES


def record(url: str, *, warc_extra: bytes = b"", http_extra: bytes = b"", body: bytes | None = None) -> bytes:
    body = body if body is not None else article(f"Story at {url}", story(len(url)), story(len(url) + 1)).encode()
    http = b"HTTP/1.1 200 OK\r\nContent-Type: text/html; charset=utf-8\r\n" + http_extra + b"\r\n" + body
    head = (b"WARC/1.0\r\nWARC-Type: response\r\n" + warc_extra + b"WARC-Target-URI: " + url.encode()
            + b"\r\nWARC-Date: 2024-05-01T10:00:00Z\r\nContent-Type: application/http; msgtype=response\r\n"
            b"Content-Length: " + str(len(http)).encode() + b"\r\n\r\n")
    return head + http + b"\r\n\r\n"


HOSTILE = {
    "warc line": {"warc_extra": b"X-Padding: " + b"a" * LONG + b"\r\n"},
    "warc folded": {"warc_extra": b"X-Padding: a\r\n" + b" a\r\n" * (LONG // 4)},
    "http line": {"http_extra": b"Set-Cookie: " + b"a" * LONG + b"\r\n"},
    "http folded": {"http_extra": b"X-Padding: a\r\n" + b"\ta\r\n" * (LONG // 4)},
}


@pytest.mark.parametrize("compressed", [False, True], ids=["plain", "gzip"])
@pytest.mark.parametrize("where", list(HOSTILE))
def test_an_enormous_header_block_is_one_failed_record(scrape, tmp_path, where: str, compressed: bool) -> None:
    records = [record("https://example.org/before"), record("https://example.org/hostile", **HOSTILE[where]),
               record("https://example.org/after")]
    data = b"".join(gzip.compress(r) for r in records) if compressed else b"".join(records)
    path = tmp_path / ("h.warc.gz" if compressed else "h.warc")
    path.write_bytes(data)
    result = scrape("import-warc", str(path), "--db", str(tmp_path / "a.db"), "-q")
    assert result.exit_code == 1
    problem, summary = result.stderr.splitlines()
    assert re.fullmatch(rf"failed: {re.escape(str(path))}: https://example.org/hostile: headers longer than 1 MiB "
                        r"\(record at byte \d+\)", one_line_error(problem)), problem
    # -q: the summary is dated for cron's log
    assert re.fullmatch(r"\d{4}-\d\d-\d\dT\S+ imported: 2 stored, 0 updated, 0 unchanged, 0 duplicate, 0 skipped, 1 failed",
                        summary), summary
    found = scrape("search", "Story", "--db", str(tmp_path / "a.db"), "--json")
    assert sorted(hit["url"] for hit in json.loads(found.stdout)) == \
        ["https://example.org/after", "https://example.org/before"]


BLOCKS = [
    b"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nX-A:  spaced \r\n\r\nbody",
    b"HTTP/1.0 404 Not Found\r\nX-Folded: one\r\n two\r\n\tthree\r\nno colon here\r\n continued\r\nX-B: b\r\n\r\n",
    b"HTTP/1.1 301\nLocation: /x\n\n",
    b"HTTP/1.1 200 OK\r\n",
    b"\r\n",
]


@pytest.mark.parametrize("block", BLOCKS)
def test_the_bounded_parser_reads_ordinary_headers_as_warcio_does(block: bytes) -> None:
    theirs = StatusAndHeadersParser(["HTTP/1.0", "HTTP/1.1"], verify=False).parse(io.BytesIO(block))
    ours = BoundedParser(["HTTP/1.0", "HTTP/1.1"], verify=False, to_the_end=True).parse(io.BytesIO(block))
    assert (ours.protocol, ours.statusline, ours.headers, ours.total_len) == \
        (theirs.protocol, theirs.statusline, theirs.headers, theirs.total_len)
    assert not ours.overlong


@pytest.mark.parametrize("block_size", [5, 7, 13, 64, 16384])
def test_an_oversized_warc_block_keeps_the_headers_that_say_where_the_record_ends(monkeypatch, block_size: int) -> None:
    """Past the bound the block is drained a buffer at a time; the lines that say where the record
    ends (Content-Length, WARC-Type...) are kept even when they straddle two buffers."""
    monkeypatch.setattr("scraper.warc.bounded.MAX_HEADER_BYTES", 100)
    block = (b"WARC/1.0\r\nWARC-Record-ID: <urn:x>\r\nX-A: a\r\n" + b" a\r\n" * 1000 + b"Content-Length: 12\r\n"
             + b" b\r\n" * 10 + b"X-Long: " + b"c" * 3000 + b"\r\nwarc-type:response\r\n \t \r\nBODY")
    reader = LinearReader(io.BytesIO(block), block_size=block_size)
    parsed = BoundedParser(["WARC/1.0"], to_the_end=True).parse(reader)
    assert parsed.overlong
    assert parsed.get_header("Content-Length") == "12" and parsed.get_header("WARC-Type") == "response"
    assert parsed.get_header("WARC-Record-ID") == "<urn:x>" and parsed.get_header("X-Long") is None
    assert reader.read() == b"BODY"
