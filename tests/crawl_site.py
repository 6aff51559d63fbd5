"""A small news site on 127.0.0.1 for the crawl tests: feed, sitemaps, links, and traps.

Pages live in a dict the test can change between runs; every request is logged. The
server answers If-None-Match with 304 like a real CDN, and can be slowed down so a test
can kill a crawl in the middle.
"""

from __future__ import annotations

import gzip
import hashlib
import sys
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


@dataclass
class Resp:
    body: bytes = b""
    status: int = 200
    content_type: str = "text/html; charset=utf-8"
    headers: dict[str, str] = field(default_factory=dict)


@dataclass
class Hit:
    path: str
    headers: dict[str, str]


class Site:
    def __init__(self) -> None:
        self.pages: dict[str, Resp] = {}
        self.hits: list[Hit] = []
        self.delay_s = 0.0
        self.lock = threading.Lock()
        self.host = "127.0.0.1"
        self.port = 0

    def url(self, path: str = "/") -> str:
        return f"http://{self.host}:{self.port}{path}"

    def paths(self) -> list[str]:
        with self.lock:
            return [h.path for h in self.hits]

    def count(self, path: str) -> int:
        return self.paths().count(path)

    def conditional_hits(self, path: str) -> int:
        with self.lock:
            return sum(1 for h in self.hits if h.path == path and "if-none-match" in h.headers)

    def html(self, path: str, html: str) -> None:
        self.pages[path] = Resp(html.encode())

    def xml(self, path: str, text: str | bytes, *, gz: bool = False) -> None:
        data = text.encode() if isinstance(text, str) else text
        self.pages[path] = Resp(gzip.compress(data) if gz else data, content_type="application/gzip" if gz else "application/xml")

    def redirect(self, path: str, to: str) -> None:
        self.pages[path] = Resp(b"", status=301, headers={"Location": to})


def article(title: str, *paragraphs: str, canonical: str | None = None, links: tuple[str, ...] = ()) -> str:
    head = f"<title>{title}</title>" + (f'<link rel="canonical" href="{canonical}">' if canonical else "")
    nav = "".join(f'<a href="{href}">link</a> ' for href in links)
    body = "".join(f"<p>{p}</p>" for p in paragraphs)
    return f"<!doctype html><html><head>{head}</head><body><nav>{nav}</nav><article><h1>{title}</h1>{body}</article></body></html>"


def story(n: int, extra: str = "") -> str:
    """Distinct text for article n, long enough for the extractor."""
    return (f"Story number {n} begins with a paragraph about the town council meeting held on day {n}, "
            f"where members discussed the budget, the bridge repairs and the new library opening hours. {extra}")


def hub(*links: str) -> str:
    items = "".join(f'<li><a href="{href}">item</a></li>' for href in links)
    return f"<!doctype html><html><head><title>Index</title></head><body><ul>{items}</ul></body></html>"


class _Server(ThreadingHTTPServer):
    def handle_error(self, request: object, client_address: object) -> None:
        # A client that hangs up mid-request (a run that stops on an error closes its pool) is
        # not a server fault: socketserver would print its traceback to stderr, which the CLI
        # tests capture in-process and read as the CLI's own output.
        if isinstance(sys.exc_info()[1], (ConnectionResetError, BrokenPipeError)):
            return
        super().handle_error(request, client_address)  # type: ignore[arg-type]


@contextmanager
def serve(site: Site) -> Iterator[Site]:
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def do_GET(self) -> None:  # http.server's name for it
            headers = {k.lower(): v for k, v in self.headers.items()}
            with site.lock:
                site.hits.append(Hit(self.path, headers))
            if site.delay_s:
                time.sleep(site.delay_s)
            if self.path == "/robots.txt" and "/robots.txt" not in site.pages:
                resp = Resp(b"User-agent: *\nAllow: /\n", content_type="text/plain")
            else:
                resp = site.pages.get(self.path, Resp(b"<html><body>not found</body></html>", status=404))
            etag = '"' + hashlib.sha1(resp.body).hexdigest()[:16] + '"'
            if resp.status == 200 and headers.get("if-none-match") == etag:
                self.send_response(304)
                self.send_header("ETag", etag)
                self.send_header("Content-Length", "0")
                self.end_headers()
                return
            self.send_response(resp.status)
            self.send_header("Content-Type", resp.content_type)
            self.send_header("Content-Length", str(len(resp.body)))
            if resp.status == 200:
                self.send_header("ETag", etag)
            for key, value in resp.headers.items():
                self.send_header(key, value)
            self.end_headers()
            self.wfile.write(resp.body)

        def log_message(self, *args: object) -> None:
            pass

    server = _Server(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    site.port = server.server_address[1]
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield site
    finally:
        server.shutdown()
        server.server_close()
