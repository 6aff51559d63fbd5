"""Whatever a server sends, fetch() returns a Page or raises a FetchError: never anything else."""

from __future__ import annotations

import gzip
import socket
import time
from collections.abc import Callable

import pytest

from scraper.errors import ConnectError, FetchError
from scraper.models import Page
from tests.servers import Request, fetch_error, fetch_many, raw_server, reset, response, run, settings

Behaviour = Callable[[socket.socket], None]

BEHAVIOURS: dict[str, Behaviour] = {
    "garbage": lambda c: c.sendall(b"\x00\xffthis is not http at all\r\n\r\n"),
    "close-at-once": lambda c: c.close(),
    "reset-at-once": reset,
    "headers-then-close": lambda c: (c.sendall(b"HTTP/1.1 200 OK\r\nContent-Length: 50\r\n\r\n"), c.close()),
    "bad-status-line": lambda c: c.sendall(b"HTTP/1.1 abc Weird\r\nContent-Length: 0\r\n\r\n"),
    "status-999": lambda c: c.sendall(response(999, b"odd")),
    "bad-content-length": lambda c: c.sendall(b"HTTP/1.1 200 OK\r\nContent-Length: banana\r\n\r\nhello"),
    "two-content-lengths": lambda c: c.sendall(b"HTTP/1.1 200 OK\r\nContent-Length: 3\r\nContent-Length: 5\r\n\r\nabcde"),
    "bad-chunking": lambda c: c.sendall(b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\nabc\r\n0\r\n\r\n"),
    "lying-gzip": lambda c: c.sendall(response(200, b"plain text", {"Content-Encoding": "gzip",
                                                                    "Content-Type": "text/html"})),
    "truncated-gzip": lambda c: c.sendall(response(200, gzip.compress(b"<p>" + b"x" * 5000 + b"</p>")[:40],
                                                   {"Content-Encoding": "gzip", "Content-Type": "text/html"})),
    "unknown-encoding": lambda c: c.sendall(response(200, b"x", {"Content-Encoding": "snappy",
                                                                 "Content-Type": "text/html"})),
    "redirect-no-location": lambda c: c.sendall(response(302, b"")),
    "redirect-garbage-location": lambda c: c.sendall(response(301, b"", {"Location": "http://[::1"})),
    "redirect-empty-host": lambda c: c.sendall(response(301, b"", {"Location": "http:///nohost"})),
    "retry-after-garbage": lambda c: c.sendall(response(503, b"", {"Retry-After": "tomorrow-ish"})),
    "huge-header": lambda c: c.sendall(b"HTTP/1.1 200 OK\r\nX-Big: " + b"a" * 200_000 + b"\r\n\r\n"),
    "binary-as-html": lambda c: c.sendall(response(200, bytes(range(256)) * 8, {"Content-Type": "text/html"})),
    "weird-charset": lambda c: c.sendall(response(200, b"<p>\xff\xfe\x00</p>",
                                                  {"Content-Type": "text/html; charset=x-user-defined-9"})),
    "utf16-header-ascii-body": lambda c: c.sendall(response(200, b"<p>odd length</p>",
                                                            {"Content-Type": "text/html; charset=utf-16"})),
    "http-1.0-no-length": lambda c: (c.sendall(b"HTTP/1.0 200 OK\r\nContent-Type: text/html\r\n\r\n<p>old</p>"),
                                     c.close()),
}


def hostile(request: Request, conn: socket.socket) -> None:
    behaviour = BEHAVIOURS.get(request.path.strip("/"))
    if behaviour is None:
        conn.sendall(response(404, b"no such behaviour"))
    else:
        behaviour(conn)


def test_every_hostile_answer_is_a_page_or_a_fetch_error() -> None:
    started = time.monotonic()
    with raw_server(hostile) as server:
        urls = [server.url(f"/{name}") for name in BEHAVIOURS]
        results = run(fetch_many(urls, settings(attempts=2, read_timeout_s=1.0, deadline_s=2.0,
                                                per_host_concurrency=8)))
    outcomes = dict(zip(BEHAVIOURS, results, strict=True))
    for name, outcome in outcomes.items():
        assert isinstance(outcome, (Page, FetchError)), (name, outcome)
        if isinstance(outcome, FetchError):
            assert "unexpected error" not in outcome.reason, (name, outcome.reason)
            assert "\n" not in str(outcome)
    assert isinstance(outcomes["garbage"], ConnectError)
    assert isinstance(outcomes["http-1.0-no-length"], Page) and outcomes["http-1.0-no-length"].text == "<p>old</p>"
    assert isinstance(outcomes["binary-as-html"], Page) and not outcomes["binary-as-html"].is_html
    assert isinstance(outcomes["weird-charset"], Page) and outcomes["weird-charset"].charset == "cp1252"
    assert isinstance(outcomes["utf16-header-ascii-body"], Page)
    assert outcomes["utf16-header-ascii-body"].text == "<p>odd length</p>"
    assert time.monotonic() - started < 20


@pytest.mark.parametrize(("name", "reason"), [
    ("close-at-once", "connection closed before a response"),
    ("headers-then-close", "truncated body: received 0 of 50 bytes"),
    ("unknown-encoding", "cannot decode body (snappy): unsupported content encoding 'snappy'"),
    ("truncated-gzip", "truncated body: the gzip stream ends early"),
    ("redirect-garbage-location", "redirect to an invalid URL (Invalid port: ':1'.)"),
])
def test_hostile_answers_have_plain_reasons(name: str, reason: str) -> None:
    with raw_server(hostile) as server:
        error = fetch_error(server.url(f"/{name}"), settings(attempts=1))
    assert error.reason == reason
