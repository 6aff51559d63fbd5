"""Local servers with bad behaviours for the fetch tests, on 127.0.0.x only.

pytest-httpserver covers ordinary answers; RawServer is for what a well-behaved HTTP
library cannot do: trickle bytes, reset the connection, cut the body short, lie about
the encoding. Each handler gets the request line and headers and writes raw bytes.
"""

from __future__ import annotations

import asyncio
import dataclasses
import socket
import socketserver
import threading
import time
from collections.abc import Callable, Coroutine, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any, TypeVar

import pytest

from scraper.config import FetchSettings
from scraper.errors import FetchError
from scraper.fetch import Fetcher
from scraper.models import Page


@dataclass
class Request:
    method: str
    path: str
    headers: dict[str, str]
    at: float  # time.monotonic() when the request arrived


Handler = Callable[[Request, socket.socket], None]


@dataclass
class RawServer:
    host: str
    port: int
    requests: list[Request] = field(default_factory=list)

    def url(self, path: str = "/") -> str:
        return f"http://{self.host}:{self.port}{path}"

    def paths(self) -> list[str]:
        return [r.path for r in self.requests]


def read_request(conn: socket.socket) -> Request | None:
    data = b""
    while b"\r\n\r\n" not in data:
        chunk = conn.recv(65536)
        if not chunk:
            return None
        data += chunk
    head = data.split(b"\r\n\r\n", 1)[0].decode("latin-1")
    line, *header_lines = head.split("\r\n")
    method, path, _ = line.split(" ", 2)
    headers = {}
    for h in header_lines:
        key, _, value = h.partition(":")
        headers[key.strip().lower()] = value.strip()
    return Request(method, path, headers, time.monotonic())


def response(status: int, body: bytes = b"", headers: dict[str, str] | None = None,
             reason: str = "X") -> bytes:
    """A complete HTTP/1.1 response; Content-Length is added unless given."""
    headers = dict(headers or {})
    headers.setdefault("Content-Length", str(len(body)))
    lines = [f"HTTP/1.1 {status} {reason}"] + [f"{k}: {v}" for k, v in headers.items()]
    return ("\r\n".join(lines) + "\r\n\r\n").encode("latin-1") + body


@contextmanager
def raw_server(handler: Handler, host: str = "127.0.0.1") -> Iterator[RawServer]:
    """Serve every connection with ``handler`` (one request per connection) in threads."""
    state: RawServer

    class Handle(socketserver.BaseRequestHandler):
        def handle(self) -> None:
            conn: socket.socket = self.request
            try:
                while True:
                    request = read_request(conn)
                    if request is None:
                        return
                    state.requests.append(request)
                    handler(request, conn)
                    if request.headers.get("connection", "").lower() == "close":
                        return
            except OSError:
                pass

    class Server(socketserver.ThreadingTCPServer):
        daemon_threads = True
        allow_reuse_address = True

    server = Server((host, 0), Handle)
    state = RawServer(host, server.server_address[1])
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
    thread.start()
    try:
        yield state
    finally:
        server.shutdown()
        server.server_close()


def reset(conn: socket.socket) -> None:
    """Close with RST instead of FIN: the peer sees 'connection reset'."""
    conn.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, b"\x01\x00\x00\x00\x00\x00\x00\x00")
    conn.close()


# --- running the Fetcher from synchronous tests -------------------------------------------

T = TypeVar("T")

# Loopback servers answer at once: no politeness delay, tiny backoff, short timeouts.
FAST = FetchSettings(per_host_delay_s=0.0, backoff_s=0.01, connect_timeout_s=2.0, read_timeout_s=2.0,
                     deadline_s=5.0, respect_robots=False, max_retry_after_s=2.0)


def settings(**changes: Any) -> FetchSettings:
    return dataclasses.replace(FAST, **changes)


def run(coro: Coroutine[Any, Any, T]) -> T:
    return asyncio.run(coro)


async def fetch_one(url: str, fetch_settings: FetchSettings = FAST, fetcher_options: dict[str, Any] | None = None,
                    **kwargs: Any) -> Page:
    async with Fetcher(fetch_settings, **(fetcher_options or {})) as fetcher:
        return await fetcher.fetch(url, **kwargs)


def fetch_error(url: str, fetch_settings: FetchSettings = FAST, fetcher_options: dict[str, Any] | None = None,
                **kwargs: Any) -> FetchError:
    with pytest.raises(FetchError) as info:
        run(fetch_one(url, fetch_settings, fetcher_options, **kwargs))
    return info.value


async def fetch_many(urls: list[str], fetch_settings: FetchSettings) -> list[Page | FetchError]:
    async with Fetcher(fetch_settings) as fetcher:
        async def one(url: str) -> Page | FetchError:
            try:
                return await fetcher.fetch(url)
            except FetchError as exc:
                return exc
        return list(await asyncio.gather(*(one(u) for u in urls)))
