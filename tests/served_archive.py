"""An archive built by `scrape fetch` from the fixtures, served by `scrape serve`: for the datasette tests.

Both run as real subprocesses, the way a user runs them: the fixtures come from a local HTTP
server on 127.0.0.1, and datasette listens on another loopback port.
"""

from __future__ import annotations

import json
import os
import re
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from html import escape
from pathlib import Path
from typing import Any

from pytest_httpserver import HTTPServer
from werkzeug import Request, Response

from tests.conftest import FIXTURES, ROOT, SEED_FIXTURE, TEST_CONFIG

SEED_TITLE = "CONFIRMED: Iran declares victory over ISIS"
SEED_PATH = f"/news/{SEED_FIXTURE.stem}"
# The edit made to the seed article between its two fetches, so it has an earlier version.
EDIT_FROM = "Today, Syrian President Bashar al-Assad met"
EDIT_TO = "Earlier today, Syrian President Bashar al-Assad met"
STARTUP_S = 30.0


@dataclass(frozen=True)
class Page:
    """A small article page written here, so facets and sorting have more than one value to show."""

    slug: str
    title: str
    site: str
    lang: str
    published: str
    author: str
    paragraphs: tuple[str, ...]

    def html(self, url: str) -> str:
        body = "\n".join(f"<p>{escape(p)}</p>" for p in self.paragraphs)
        return f"""<!DOCTYPE html>
<html lang="{self.lang}">
<head>
<meta charset="utf-8">
<title>{escape(self.title)} | {escape(self.site)}</title>
<link rel="canonical" href="{url}">
<meta property="og:type" content="article">
<meta property="og:title" content="{escape(self.title)}">
<meta property="og:site_name" content="{escape(self.site)}">
<meta property="og:url" content="{url}">
<meta property="article:published_time" content="{self.published}">
<meta name="author" content="{escape(self.author)}">
</head>
<body>
<header><nav><a href="/">Home</a> <a href="/world">World</a> <a href="/science">Science</a></nav></header>
<main>
<article>
<h1>{escape(self.title)}</h1>
<p class="byline">By <a rel="author" href="/authors/1">{escape(self.author)}</a></p>
{body}
</article>
</main>
<footer>Loopback Gazette, 127.0.0.1</footer>
</body>
</html>
"""


EXTRA_PAGES = (
    Page(
        slug="glass-bridge",
        title="Glass bridge opens over the river",
        site="Loopback Gazette",
        lang="en",
        published="2023-07-14T09:30:00+00:00",
        author="Jane Roe",
        paragraphs=(
            "The new glass footbridge over the river opened to walkers on Friday morning, two years after work began.",
            (
                "About four thousand people crossed it in the first hour, the city said, many of them stopping in the "
                "middle to look down at the water."
            ),
            "“It feels like walking on air,” said Maria Lopez, who came with her two children before school.",
            (
                "Engineers tested the deck with sandbags for a week before the opening, and the bridge will close for "
                "inspection every spring."
            ),
            (
                "The project cost less than planned because the steel frame was built on the bank and lifted into "
                "place in one piece."
            ),
        ),
    ),
    Page(
        slug="stadtbibliothek",
        title="Stadtbibliothek öffnet am Sonntag",
        site="Loopback Gazette",
        lang="de",
        published="2024-03-05T07:00:00+01:00",
        author="Jane Roe",
        paragraphs=(
            "Die Stadtbibliothek öffnet von April an auch am Sonntag, zunächst für ein Jahr zur Probe.",
            (
                "Der Stadtrat hat dafür am Dienstag zwei zusätzliche Stellen bewilligt, die Kosten trägt zur Hälfte "
                "das Land."
            ),
            (
                "Viele Leserinnen und Leser hatten sich längere Öffnungszeiten gewünscht, vor allem Familien und "
                "Berufstätige."
            ),
            "Am Sonntag sollen Lesesäle, Ausleihe und das Lerncafé geöffnet sein, die Werkstätten bleiben geschlossen.",
        ),
    ),
)


@dataclass(frozen=True)
class Archive:
    db: Path
    seed_url: str  # the seed article's URL, as fetched
    urls: tuple[str, ...]  # every fixture URL fetched


@dataclass(frozen=True)
class Served:
    archive: Archive
    base: str  # http://127.0.0.1:PORT

    def url(self, path: str) -> str:
        return self.base + path

    def get_json(self, path: str) -> Any:
        with urllib.request.urlopen(self.url(path), timeout=10) as response:
            return json.load(response)

    def get_text(self, path: str) -> str:
        with urllib.request.urlopen(self.url(path), timeout=10) as response:
            return response.read().decode("utf-8")


def env() -> dict[str, str]:
    return {**os.environ, "PYTHONPATH": str(ROOT)}


def scrape(*args: str, cwd: Path, timeout: float = 120) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "scraper", *args],
        check=False,
        cwd=cwd,
        env=env(),
        capture_output=True,
        text=True,
        timeout=timeout,
    )


def fixture_pages() -> list[Path]:
    """The seed fixture and every other fixture that has a golden record beside it (so is an article)."""
    pages = {SEED_FIXTURE} | {html for html in FIXTURES.glob("*.html") if html.with_suffix(".json").exists()}
    return sorted(pages)


def build_archive(workdir: Path) -> Archive:
    """`scrape fetch` the fixture pages and EXTRA_PAGES from a loopback server, then the seed page again, edited."""
    workdir.mkdir(parents=True, exist_ok=True)
    config = workdir / "config.toml"
    config.write_text(TEST_CONFIG, encoding="utf-8")
    db = workdir / "archive.db"
    pages = {f"/news/{html.stem}": html.read_bytes() for html in fixture_pages()}
    seed = pages[SEED_PATH].decode("utf-8")
    assert EDIT_FROM in seed, "the seed fixture changed: update EDIT_FROM"

    def respond(request: Request) -> Response:
        if request.path == "/robots.txt":
            return Response("User-agent: *\nAllow: /\n", content_type="text/plain")
        if request.path in pages:
            return Response(pages[request.path], content_type="text/html; charset=utf-8")
        return Response("not found", status=404)

    server = HTTPServer(host="127.0.0.1", port=0)
    # One handler for every path, so the served pages can change between the two fetches.
    server.expect_request(re.compile(".*")).respond_with_handler(respond)
    server.start()
    try:
        for page in EXTRA_PAGES:  # written once the port is known: each names its own URL as canonical
            path = f"/news/{page.slug}"
            pages[path] = page.html(server.url_for(path)).encode("utf-8")
        urls = tuple(server.url_for(path) for path in sorted(pages))
        first = scrape("fetch", "--config", str(config), "--db", str(db), *urls, cwd=workdir)
        assert first.returncode == 0, first.stdout + first.stderr
        pages[SEED_PATH] = seed.replace(EDIT_FROM, EDIT_TO).encode("utf-8")
        seed_url = server.url_for(SEED_PATH)
        second = scrape("fetch", "--config", str(config), "--db", str(db), seed_url, cwd=workdir)
        assert second.returncode == 0, second.stdout + second.stderr
        assert "updated" in second.stdout + second.stderr, second.stdout + second.stderr
    finally:
        server.clear()
        server.stop()
    return Archive(db=db, seed_url=seed_url, urls=urls)


_built: dict[str, Archive] = {}


def shared_archive(base: Path) -> Archive:
    """build_archive once per test session (both datasette test modules read the same archive)."""
    if "archive" not in _built:
        _built["archive"] = build_archive(base / "archive")
    return _built["archive"]


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@contextmanager
def serve(archive: Archive, workdir: Path) -> Iterator[Served]:
    """`scrape serve --db ARCHIVE --port N` from another directory; wait until it answers; stop it."""
    workdir.mkdir(parents=True, exist_ok=True)
    port = free_port()
    log = workdir / "serve.log"
    with log.open("w") as out:
        process = subprocess.Popen(
            [sys.executable, "-m", "scraper", "serve", "--db", str(archive.db), "--port", str(port)],
            cwd=workdir,
            env=env(),
            stdout=out,
            stderr=subprocess.STDOUT,
        )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + STARTUP_S
        while True:
            if process.poll() is not None:
                raise AssertionError(f"scrape serve exited with {process.returncode}:\n{log.read_text()}")
            try:
                with urllib.request.urlopen(base + "/-/versions.json", timeout=2) as response:
                    if response.status == 200:
                        break
            except (urllib.error.URLError, ConnectionError, TimeoutError):
                pass
            if time.monotonic() > deadline:
                raise AssertionError(f"scrape serve did not answer within {STARTUP_S} s:\n{log.read_text()}")
            time.sleep(0.1)
        yield Served(archive=archive, base=base)
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
