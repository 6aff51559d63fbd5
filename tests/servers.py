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
import ssl
import subprocess
import threading
import time
from collections.abc import Callable, Coroutine, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
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
    connections: int = 0  # TCP connections accepted, whether or not a request followed

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
            state.connections += 1
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


# --- an HTTP/2 server over TLS ---------------------------------------------------------------

def self_signed_certificate(folder: Path) -> tuple[Path, Path]:
    """A throwaway certificate for 127.0.0.1, made with the openssl command."""
    cert, key = folder / "cert.pem", folder / "key.pem"
    subprocess.run(
        ["openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes",
         "-keyout", str(key), "-out", str(cert), "-days", "1", "-subj", "/CN=127.0.0.1",
         "-addext", "subjectAltName=IP:127.0.0.1"],
        check=True, capture_output=True,
    )
    return cert, key


@contextmanager
def h2_server(cert: Path, key: Path, body: bytes, content_type: str = "text/html; charset=utf-8",
              ) -> Iterator[RawServer]:
    """A TLS server that speaks only HTTP/2 (ALPN 'h2') and answers every request with ``body``."""
    import h2.config
    import h2.connection
    import h2.events

    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    context.load_cert_chain(cert, key)
    context.set_alpn_protocols(["h2"])
    listener = socket.create_server(("127.0.0.1", 0))
    state = RawServer("127.0.0.1", listener.getsockname()[1])
    stopping = threading.Event()

    def serve(raw: socket.socket) -> None:
        try:
            with context.wrap_socket(raw, server_side=True) as conn:
                if conn.selected_alpn_protocol() != "h2":
                    return
                h2conn = h2.connection.H2Connection(h2.config.H2Configuration(client_side=False))
                h2conn.initiate_connection()
                conn.sendall(h2conn.data_to_send())
                while not stopping.is_set():
                    data = conn.recv(65536)
                    if not data:
                        return
                    for event in h2conn.receive_data(data):
                        if isinstance(event, h2.events.RequestReceived):
                            headers = {k.decode() if isinstance(k, bytes) else k: v.decode() if isinstance(v, bytes)
                                       else v for k, v in event.headers}
                            state.requests.append(Request(headers[":method"], headers[":path"], headers,
                                                          time.monotonic()))
                            h2conn.send_headers(event.stream_id, [(":status", "200"), ("content-type", content_type),
                                                                  ("content-length", str(len(body)))])
                            h2conn.send_data(event.stream_id, body, end_stream=True)
                    conn.sendall(h2conn.data_to_send())
        except (OSError, ssl.SSLError):
            pass

    def accept() -> None:
        while not stopping.is_set():
            try:
                raw, _ = listener.accept()
            except OSError:
                return
            threading.Thread(target=serve, args=(raw,), daemon=True).start()

    threading.Thread(target=accept, daemon=True).start()
    try:
        yield state
    finally:
        stopping.set()
        listener.close()
