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

SEED_TITLE = "CONFIRMED: Iran declares victory over ISIS"
SEED_PATH = f"/news/{SEED_FIXTURE.stem}"
# The edit made to the seed article between its two fetches, so it has an earlier version.
EDIT_FROM = "Today, Syrian President Bashar al-Assad met"
EDIT_TO = "Earlier today, Syrian President Bashar al-Assad met"
STARTUP_S = 30.0


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
    """`scrape fetch` every fixture page from a loopback server, then the seed page again, edited."""
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
            # No charset in the header: the pages declare their own (one fixture is windows-1251).
            return Response(pages[request.path], content_type="text/html")
        return Response("not found", status=404)

    server = HTTPServer(host="127.0.0.1", port=0)
    # One handler for every path, so the served pages can change between the two fetches.
    server.expect_request(re.compile(".*")).respond_with_handler(respond)
    server.start()
    try:
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
