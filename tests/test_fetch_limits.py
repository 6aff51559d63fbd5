"""Limits: size cap (plain and compression bombs), deadline, timeouts, broken connections."""

from __future__ import annotations

import gzip
import socket
import time
import zlib

import brotli
import pytest
from pytest_httpserver import HTTPServer
from werkzeug import Response

from scraper.errors import ConnectError, FetchTimeout, TooLarge
from tests.servers import Request, fetch_error, fetch_one, raw_server, reset, response, run, settings

CAP = 100_000


def test_declared_huge_body_is_refused_before_reading(httpserver: HTTPServer) -> None:
    httpserver.expect_request("/big").respond_with_data(b"x" * (CAP + 1), content_type="text/html")
    error = fetch_error(httpserver.url_for("/big"), settings(max_bytes=CAP))
    assert isinstance(error, TooLarge)
    assert error.reason == f"body larger than {CAP} bytes"


def test_endless_chunked_body_stops_at_the_cap() -> None:
    sent = []

    def endless(request: Request, conn: socket.socket) -> None:
        conn.sendall(b"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nTransfer-Encoding: chunked\r\n\r\n")
        chunk = b"<p>" + b"y" * 8000 + b"</p>"
        try:
            for _ in range(10_000):  # 80 MB if nobody stops reading
                conn.sendall(f"{len(chunk):x}\r\n".encode() + chunk + b"\r\n")
                sent.append(len(chunk))
        except OSError:
            pass

    with raw_server(endless) as server:
        error = fetch_error(server.url("/endless"), settings(max_bytes=CAP))
    assert isinstance(error, TooLarge)
    assert sum(sent) < 50 * CAP  # the fetcher hung up long before the end


@pytest.mark.parametrize("encoding", ["gzip", "deflate", "br"])
def test_compression_bomb_stops_at_the_cap(encoding: str) -> None:
    plain = b"\0" * 5_000_000
    bomb = {"gzip": lambda: gzip.compress(plain, 9), "deflate": lambda: zlib.compress(plain, 9),
            "br": lambda: brotli.compress(plain, quality=5)}[encoding]()
    assert len(bomb) < CAP

    def serve(request: Request, conn: socket.socket) -> None:
        conn.sendall(response(200, bomb, {"Content-Type": "text/html", "Content-Encoding": encoding}))

    started = time.monotonic()
    with raw_server(serve) as server:
        error = fetch_error(server.url("/bomb"), settings(max_bytes=CAP))
    assert isinstance(error, TooLarge)
    assert error.reason == f"body larger than {CAP} bytes"
    assert time.monotonic() - started < 5


def test_compressed_page_is_decoded(httpserver: HTTPServer) -> None:
    html = "<html><body>" + "<p>compressed words</p>" * 500 + "</body></html>"
    httpserver.expect_request("/gz").respond_with_response(Response(
        gzip.compress(html.encode()), headers={"Content-Encoding": "gzip"}, content_type="text/html; charset=utf-8"))
    page = run(fetch_one(httpserver.url_for("/gz"), settings(max_bytes=CAP)))
    assert page.text == html
    assert page.content == html.encode()


def test_trickling_server_hits_the_deadline() -> None:
    def trickle(request: Request, conn: socket.socket) -> None:
        conn.sendall(b"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nContent-Length: 1000\r\n\r\n")
        try:
            for _ in range(1000):
                conn.sendall(b"x")
                time.sleep(0.05)  # always faster than the read timeout, so only the deadline stops it
        except OSError:
            pass

    started = time.monotonic()
    with raw_server(trickle) as server:
        error = fetch_error(server.url("/slow"), settings(deadline_s=0.6, read_timeout_s=2.0, attempts=1))
    assert isinstance(error, FetchTimeout)
    assert error.reason == "timed out after 0.6 s"
    assert time.monotonic() - started < 2.5


def test_silent_server_hits_the_read_timeout() -> None:
    def silent(request: Request, conn: socket.socket) -> None:
        time.sleep(1.0)

    with raw_server(silent) as server:
        error = fetch_error(server.url("/silent"), settings(read_timeout_s=0.2, attempts=1))
    assert isinstance(error, FetchTimeout)
    assert error.reason == "timed out after 0.2 s waiting for data"


def test_timeouts_are_retried_then_reported() -> None:
    def silent(request: Request, conn: socket.socket) -> None:
        time.sleep(0.5)

    with raw_server(silent) as server:
        error = fetch_error(server.url("/silent"), settings(read_timeout_s=0.1, attempts=3))
        assert len(server.requests) == 3
    assert isinstance(error, FetchTimeout)


def test_connection_reset_is_reported_and_retried() -> None:
    def rst(request: Request, conn: socket.socket) -> None:
        reset(conn)

    with raw_server(rst) as server:
        error = fetch_error(server.url("/reset"), settings(attempts=2))
        assert len(server.requests) == 2
    assert isinstance(error, ConnectError)
    assert error.reason in ("connection reset", "connection closed before a response")


def test_reset_mid_body_is_reported() -> None:
    def rst(request: Request, conn: socket.socket) -> None:
        conn.sendall(b"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nContent-Length: 5000\r\n\r\n<html>")
        time.sleep(0.05)
        reset(conn)

    with raw_server(rst) as server:
        error = fetch_error(server.url("/reset"), settings(attempts=1))
    assert isinstance(error, ConnectError)
    assert error.reason.startswith(("connection reset", "truncated body"))


def test_truncated_body_is_reported() -> None:
    def cut(request: Request, conn: socket.socket) -> None:
        conn.sendall(b"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nContent-Length: 1000\r\n\r\n" + b"x" * 100)
        conn.shutdown(socket.SHUT_WR)

    with raw_server(cut) as server:
        error = fetch_error(server.url("/cut"), settings(attempts=1))
    assert isinstance(error, ConnectError)
    assert error.reason == "truncated body: received 100 of 1000 bytes"


def test_truncated_body_recovers_on_retry() -> None:
    def flaky(request: Request, conn: socket.socket) -> None:
        if len(server.requests) == 1:
            conn.sendall(b"HTTP/1.1 200 OK\r\nContent-Length: 1000\r\n\r\n" + b"x" * 10)
            conn.shutdown(socket.SHUT_WR)
        else:
            conn.sendall(response(200, b"<p>whole</p>", {"Content-Type": "text/html"}))

    with raw_server(flaky) as server:
        page = run(fetch_one(server.url("/flaky"), settings(attempts=2)))
    assert page.text == "<p>whole</p>"


def test_corrupt_gzip_is_a_fetch_error_not_a_crash() -> None:
    def bad(request: Request, conn: socket.socket) -> None:
        conn.sendall(response(200, b"this is not gzip at all", {"Content-Type": "text/html", "Content-Encoding": "gzip"}))

    with raw_server(bad) as server:
        error = fetch_error(server.url("/bad"), settings(attempts=1))
    assert "cannot decode body (gzip)" in error.reason


def test_large_error_body_still_reports_the_status(httpserver: HTTPServer) -> None:
    httpserver.expect_request("/err").respond_with_data(b"e" * (CAP * 3), status=404)
    error = fetch_error(httpserver.url_for("/err"), settings(max_bytes=CAP))
    assert error.reason == "HTTP 404"


def test_deadline_covers_the_whole_redirect_chain() -> None:
    def slow_hops(request: Request, conn: socket.socket) -> None:
        time.sleep(0.25)  # each hop alone is well inside the deadline
        hop = int(request.path.strip("/") or 0)
        conn.sendall(response(302, b"", {"Location": f"/{hop + 1}"}))

    started = time.monotonic()
    with raw_server(slow_hops) as server:
        error = fetch_error(server.url("/0"), settings(deadline_s=0.6, attempts=1, max_redirects=10))
        hops = len(server.requests)
    assert isinstance(error, FetchTimeout)
    assert error.reason == "timed out after 0.6 s"
    assert hops <= 3
    assert time.monotonic() - started < 2
