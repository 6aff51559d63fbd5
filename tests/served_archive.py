"""An archive built by `scrape fetch` from the fixtures, served by `scrape serve`: for the datasette tests.

Both run as real subprocesses, the way a user runs them: the fixtures come from a local HTTP
server on 127.0.0.1, and datasette listens on another loopback port.
"""

from __future__ import annotations

import json
import os
import re
import socket
import sqlite3
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from contextlib import closing, contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pytest_httpserver import HTTPServer
from werkzeug import Request, Response

from tests.conftest import FIXTURES, ROOT, SEED_FIXTURE, TEST_CONFIG
from tests.crawl_site import article, story

SEED_TITLE = "CONFIRMED: Iran declares victory over ISIS"
SEED_PATH = f"/news/{SEED_FIXTURE.stem}"
# The edits made to the seed article between its three fetches, so it has three versions.
EDIT_FROM = "Today, Syrian President Bashar al-Assad met"
EDIT_TO = "Earlier today, Syrian President Bashar al-Assad met"
EDIT2_FROM = "hailed a “great victory” over"
EDIT2_TO = "hailed a “historic and decisive victory” over"
HOSTILE_PATH = "/news/hostile"
HOSTILE_TITLE = 'Hostile <script>document.title="PWNED"</script> headline'
# Everything a page could try: scripts, event handlers, javascript: links, in every field. Any of
# them running would set the marker (a "PWNED" title, console line, dialog or data-pwned attribute).
MARK = "document.title='PWNED';console.log('PWNED');document.documentElement.setAttribute('data-pwned','1')"
HOSTILE_HTML = f"""<!doctype html>
<html lang="en"><head><meta charset="utf-8">
<title>Hostile &lt;script&gt;document.title="PWNED"&lt;/script&gt; headline</title>
<meta name="author" content="Mallory &lt;img src=x onerror=&quot;{MARK}&quot;&gt;">
<meta property="og:site_name" content="Evil &lt;script&gt;{MARK}&lt;/script&gt; Times">
<meta name="keywords" content="&lt;script&gt;{MARK}&lt;/script&gt;, /article, javascript:{MARK}, security">
<meta property="article:published_time" content="2024-03-05T10:00:00Z">
<script>{MARK}</script>
</head><body onload="{MARK}">
<article>
<h1>Hostile &lt;script&gt;document.title="PWNED"&lt;/script&gt; headline</h1>
<p class="byline">By <a rel="author" href="javascript:{MARK}">Mallory &lt;img src=x onerror=&quot;{MARK}&quot;&gt;</a></p>
<p>This article tries every trick a page can play on an archive that shows it again. It carries
<script>{MARK}</script> script tags, an image with an error handler <img src="x" onerror="{MARK}">,
and text that only looks like markup: &lt;script&gt;{MARK}&lt;/script&gt; and &lt;b onmouseover="{MARK}"&gt;bold&lt;/b&gt;.</p>
<p>Readers who follow <a href="javascript:{MARK}">this javascript link</a> or
<a href="data:text/html,&lt;script&gt;{MARK}&lt;/script&gt;">this data link</a> must see text, not a live link,
and the archive must show both of them without running anything at all.</p>
<p>“Nothing on this page should ever run in the archive,” said Mallory &lt;img src=x onerror={MARK}&gt;, who wrote it
for the test. The paragraph goes on long enough to count as the body of a real article.</p>
<p>A last paragraph keeps the extractor convinced that this is an article, with enough words in it to
pass any threshold the extractor might hold for the length of a body, and then it ends here.</p>
</article>
<aside class="related"><h2>Related</h2><ul><li><a href="javascript:{MARK}">Related: a javascript link</a></li></ul></aside>
</body></html>
"""
CRAWL_FEED = "/feed.xml"
CRAWLED_TITLE = "Council story {n}, found by the crawl"
STARTUP_S = 30.0


@dataclass(frozen=True)
class Archive:
    db: Path
    seed_url: str  # the seed article's URL, as fetched (three times, changed each time)
    urls: tuple[str, ...]  # every fixture URL fetched
    hostile_url: str  # the hostile article's URL
    crawled: tuple[str, ...]  # the URLs `scrape crawl` found through the feed

    @property
    def articles(self) -> int:
        """How many articles the archive holds: every fixture, the hostile page, the crawled ones."""
        return len(self.urls) + 1 + len(self.crawled)


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
    """`scrape fetch` every fixture page and a hostile one from a loopback server, `scrape crawl` a
    feed of two more, then fetch the seed page twice again, edited each time (three versions)."""
    workdir.mkdir(parents=True, exist_ok=True)
    db = workdir / "archive.db"
    pages = {f"/news/{html.stem}": html.read_bytes() for html in fixture_pages()}
    fixtures = dict(pages)
    seed = pages[SEED_PATH].decode("utf-8")
    assert EDIT_FROM in seed and EDIT2_FROM in seed, "the seed fixture changed: update EDIT_FROM and EDIT2_FROM"
    # The crawl finds two more stories through a feed.
    crawled_paths = [f"/crawled/story-{n}" for n in (1, 2)]
    for n, path in enumerate(crawled_paths, start=1):
        pages[path] = article(CRAWLED_TITLE.format(n=n), story(n), story(n + 10, "The crawl found this one.")).encode()
    pages[HOSTILE_PATH] = HOSTILE_HTML.encode("utf-8")

    def respond(request: Request) -> Response:
        if request.path == "/robots.txt":
            return Response("User-agent: *\nAllow: /\n", content_type="text/plain")
        if request.path == CRAWL_FEED:
            items = "".join(f"<item><link>{server.url_for(path)}</link></item>" for path in crawled_paths)
            feed = f'<?xml version="1.0"?><rss version="2.0"><channel>{items}</channel></rss>'
            return Response(feed, content_type="application/rss+xml")
        if request.path in pages:
            # No charset in the header: the pages declare their own (one fixture is windows-1251).
            return Response(pages[request.path], content_type="text/html")
        return Response("not found", status=404)

    server = HTTPServer(host="127.0.0.1", port=0)
    # One handler for every path, so the served pages can change between fetches.
    server.expect_request(re.compile(".*")).respond_with_handler(respond)
    server.start()
    config = workdir / "config.toml"
    config.write_text(
        TEST_CONFIG + f'\n[[sources]]\nname = "local"\nfeeds = ["{server.url_for(CRAWL_FEED)}"]\n', encoding="utf-8"
    )
    try:
        urls = tuple(server.url_for(path) for path in sorted(fixtures))
        hostile_url = server.url_for(HOSTILE_PATH)

        def run(*args: str) -> str:
            done = scrape(*args, cwd=workdir)
            assert done.returncode == 0, f"scrape {' '.join(args)}:\n{done.stdout}{done.stderr}"
            return done.stdout + done.stderr

        run("fetch", "--config", str(config), "--db", str(db), *urls, hostile_url)
        run("crawl", "--config", str(config), "--db", str(db))
        seed_url = server.url_for(SEED_PATH)
        for edit_from, edit_to in ((EDIT_FROM, EDIT_TO), (EDIT2_FROM, EDIT2_TO)):
            seed = seed.replace(edit_from, edit_to)
            pages[SEED_PATH] = seed.encode("utf-8")
            assert "updated" in run("fetch", "--config", str(config), "--db", str(db), seed_url)
        run("fetch", "--config", str(config), "--db", str(db), hostile_url)  # the same bytes: a revisit
    finally:
        server.clear()
        server.stop()
    crawled = tuple(server.url_for(path) for path in crawled_paths)
    return Archive(db=db, seed_url=seed_url, urls=urls, hostile_url=hostile_url, crawled=crawled)


_built: dict[str, Archive] = {}


def shared_archive(base: Path) -> Archive:
    """build_archive once per test session (both datasette test modules read the same archive)."""
    if "archive" not in _built:
        _built["archive"] = build_archive(base / "archive")
    return _built["archive"]


def query(archive: Archive, sql: str, params: list[Any] | None = None) -> list[tuple[Any, ...]]:
    """Read the archive directly, to compare what datasette shows with what is stored."""
    with closing(sqlite3.connect(f"file:{archive.db}?mode=ro", uri=True)) as conn:
        return conn.execute(sql, params or []).fetchall()


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
