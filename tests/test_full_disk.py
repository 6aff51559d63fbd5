"""A disk that fills up under `scrape`: one line, a non-zero exit, what was stored kept, a true crawl_runs.

Real processes writing into a real tmpfs (or, where mounting is refused, under a real file-size
limit: see small_disk.py), and SQLite's own SQLITE_FULL through PRAGMA max_page_count.
"""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from scraper.errors import StoreError
from scraper.extract import extract
from scraper.store import Store

from .conftest import ROOT
from .crawl_site import Site, article, serve, story
from .small_disk import SmallDisk, small_disk
from .test_crawl import FAST_FETCH

PAGES = 150
FULL = ("disk full", "cannot write", "disk I/O error")


@pytest.fixture
def news() -> Iterator[Site]:
    site = Site()
    with serve(site):
        for n in range(PAGES):
            site.html(f"/c/{n}", article(f"Crawled {n}", *(story(n, f"part {k}") for k in range(6))))
        items = "".join(f"<item><link>{site.url(f'/c/{n}')}</link></item>" for n in range(PAGES))
        site.xml("/feed.xml", f'<?xml version="1.0"?><rss version="2.0"><channel>{items}</channel></rss>')
        yield site


@pytest.fixture
def disk(tmp_path: Path) -> Iterator[SmallDisk]:
    with small_disk(tmp_path / "disk", 1_000_000) as d:
        yield d


def scrape(disk: SmallDisk, cwd: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "scraper", *args], check=False, cwd=cwd, capture_output=True, text=True,
                          timeout=180, preexec_fn=disk.limit(), env={**os.environ, "PYTHONPATH": str(ROOT)})


def one_error(stderr: str) -> str:
    lines = [line for line in stderr.splitlines() if line.strip()]
    assert "Traceback" not in stderr, stderr
    assert len(lines) == 1 and lines[0].startswith("error: "), stderr
    assert any(words in lines[0] for words in FULL), stderr
    return lines[0]


def test_a_crawl_that_fills_the_disk_says_so_and_records_no_success(news: Site, disk: SmallDisk, tmp_path: Path) -> None:
    db = disk.path / "a.db"
    config = tmp_path / "c.toml"
    config.write_text(f'[archive]\nwarc_dir = "{disk.path / "warcs"}"\n' + FAST_FETCH
                      + f'\n[[sources]]\nname = "news"\nmax_pages = {PAGES}\nfeeds = ["{news.url("/feed.xml")}"]\n')
    first = scrape(disk, tmp_path, "crawl", "-q", "-c", str(config), "--db", str(db))
    assert first.returncode == 1, first
    one_error(first.stderr)
    with sqlite3.connect(db) as conn:
        assert conn.execute("PRAGMA integrity_check").fetchone() == ("ok",)
        stored = conn.execute("SELECT count(*) FROM articles").fetchone()[0]
        run = conn.execute("SELECT outcome, exit_code FROM crawl_runs").fetchall()
    assert 0 < stored < PAGES  # it filled mid-crawl, and what was stored before is kept
    # The end is recorded as a failure when a page still fits; when not even that does, the row stays
    # 'running' and the next run, holding the lock, marks it as one that never recorded its end.
    assert run in ([("failed", 1)], [("running", None)]), run

    disk.grow(50_000_000)  # space freed: the next cron run goes on where this one stopped
    second = scrape(disk, tmp_path, "crawl", "-q", "-c", str(config), "--db", str(db))
    assert second.returncode == 0, second
    with sqlite3.connect(db) as conn:
        assert conn.execute("SELECT count(*) FROM articles").fetchone()[0] == PAGES
        runs = conn.execute("SELECT outcome, exit_code FROM crawl_runs ORDER BY id").fetchall()
    assert runs[0] in (("failed", 1), ("killed", None)) and runs[1] == ("finished", 0), runs


def test_a_fetch_that_fills_the_disk_says_so(news: Site, disk: SmallDisk, tmp_path: Path) -> None:
    (tmp_path / "urls.txt").write_text("".join(news.url(f"/c/{n}") + "\n" for n in range(PAGES)))
    (tmp_path / "c.toml").write_text(FAST_FETCH)
    done = scrape(disk, tmp_path, "fetch", "-c", "c.toml", "--db", str(disk.path / "a.db"), "-f", "urls.txt")
    assert done.returncode == 1, done
    one_error("\n".join(line for line in done.stderr.splitlines() if not line.startswith("fetched ")))
    with sqlite3.connect(disk.path / "a.db") as conn:
        assert conn.execute("PRAGMA integrity_check").fetchone() == ("ok",)
        assert 0 < conn.execute("SELECT count(*) FROM articles").fetchone()[0] < PAGES


def test_a_full_disk_before_the_crawl_starts_is_one_line(news: Site, disk: SmallDisk, tmp_path: Path) -> None:
    """The lock file is the first thing written: its ENOSPC was a traceback from crawl/lock.py."""
    disk.fill()
    config = tmp_path / "c.toml"
    config.write_text(FAST_FETCH + f'\n[[sources]]\nname = "news"\nfeeds = ["{news.url("/feed.xml")}"]\n')
    done = scrape(disk, tmp_path, "crawl", "-q", "-c", str(config), "--db", str(disk.path / "a.db"))
    assert done.returncode == 1, done
    assert "lock" in one_error(done.stderr) or "a.db" in done.stderr


def test_sqlite_full_is_one_store_error_and_keeps_what_was_written(tmp_path: Path) -> None:
    """SQLITE_FULL from SQLite itself: the archive capped by PRAGMA max_page_count on the Store's connection."""
    with Store.open(tmp_path / "a.db") as store:
        pages = store.db.execute("PRAGMA page_count").fetchone()[0]
        store.db.execute(f"PRAGMA max_page_count = {pages + 40}")
        saved = 0
        with pytest.raises(StoreError) as caught:
            for n in range(500):
                html = article(f"Full {n}", *(story(n, f"part {k}") for k in range(8)))
                store.save_article(extract(html, f"https://example.org/{n}"), url=f"https://example.org/{n}")
                saved += 1
    assert str(caught.value) == f"{tmp_path / 'a.db'}: disk full: the archive cannot grow (what was stored before is kept)"
    assert 0 < saved < 500
    with sqlite3.connect(tmp_path / "a.db") as conn:
        assert conn.execute("PRAGMA integrity_check").fetchone() == ("ok",)
        assert conn.execute("SELECT count(*) FROM articles").fetchone()[0] == saved


def test_a_full_warc_folder_stops_the_run_with_one_line(news: Site, disk: SmallDisk, tmp_path: Path) -> None:
    """[archive] warc_dir on the small disk, the archive beside the test: the WARC output fills first."""
    (tmp_path / "urls.txt").write_text("".join(news.url(f"/c/{n}") + "\n" for n in range(PAGES)))
    (tmp_path / "c.toml").write_text(f'[archive]\nwarc_dir = "{disk.path / "warcs"}"\nwarc_max_bytes = 100000000\n'
                                     + FAST_FETCH)
    disk.grow(60_000) if disk.tmpfs else None
    done = scrape(disk, tmp_path, "fetch", "-c", "c.toml", "--db", str(tmp_path / "a.db"), "-f", "urls.txt")
    assert done.returncode == 1, done
    line = one_error("\n".join(line for line in done.stderr.splitlines() if not line.startswith("fetched ")))
    if disk.tmpfs:
        assert line.startswith(f"error: {disk.path / 'warcs'}") and line.endswith("cannot write WARC (No space left on device)")
    with sqlite3.connect(tmp_path / "a.db") as conn:
        assert conn.execute("PRAGMA integrity_check").fetchone() == ("ok",)
        assert 0 < conn.execute("SELECT count(*) FROM articles").fetchone()[0] < PAGES
