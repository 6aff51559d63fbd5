"""Several real `scrape` processes writing one archive at once, as cron and a user do."""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from .conftest import ROOT, one_line_error
from .crawl_site import Site, article, serve, story
from .test_crawl import FAST_FETCH

CRAWLED, FETCHED, IMPORTED, FETCHERS, SHARED_WITH_CRAWL = 120, 40, 60, 3, 10


@pytest.fixture
def news() -> Iterator[Site]:
    site = Site()
    with serve(site):
        for n in range(CRAWLED):
            site.html(f"/c/{n}", article(f"Crawled {n}", story(n)))
        for k in range(FETCHERS):
            for n in range(FETCHED):
                site.html(f"/f{k}/{n}", article(f"Fetched {k}-{n}", story(1000 * (k + 1) + n)))
        for n in range(IMPORTED):
            site.html(f"/w/{n}", article(f"Imported {n}", story(9000 + n)))
        items = "".join(f"<item><link>{site.url(f'/c/{n}')}</link></item>" for n in range(CRAWLED))
        site.xml("/feed.xml", f'<?xml version="1.0"?><rss version="2.0"><channel>{items}</channel></rss>')
        yield site


def scrape(tmp_path: Path, *args: str) -> subprocess.Popen[str]:
    return subprocess.Popen([sys.executable, "-m", "scraper", *args], cwd=tmp_path, text=True,
                            env={**os.environ, "PYTHONPATH": str(ROOT)}, stdout=subprocess.PIPE, stderr=subprocess.PIPE)


def test_crawl_three_fetches_and_an_import_share_one_archive(news: Site, tmp_path: Path) -> None:
    # A WARC of the /w/ pages, written by an earlier fetch into another archive.
    (tmp_path / "warc.toml").write_text(f'[archive]\nwarc_dir = "{tmp_path / "warcs"}"\n' + FAST_FETCH)
    (tmp_path / "w.txt").write_text("".join(news.url(f"/w/{n}") + "\n" for n in range(IMPORTED)))
    prep = scrape(tmp_path, "fetch", "-c", "warc.toml", "--db", "prep.db", "-f", "w.txt", "--concurrency", "8")
    assert prep.wait(timeout=120) == 0, prep.communicate()
    warcs = sorted(str(p) for p in (tmp_path / "warcs").iterdir())

    (tmp_path / "crawl.toml").write_text(FAST_FETCH + f'\n[[sources]]\nname = "news"\nfeeds = ["{news.url("/feed.xml")}"]\n')
    (tmp_path / "fetch.toml").write_text(FAST_FETCH)
    for k in range(FETCHERS):
        urls = [news.url(f"/f{k}/{n}") for n in range(FETCHED)] + [news.url(f"/c/{n}") for n in range(SHARED_WITH_CRAWL)]
        (tmp_path / f"f{k}.txt").write_text("\n".join(urls) + "\n")
    procs = [scrape(tmp_path, "crawl", "-c", "crawl.toml", "--db", "a.db")]
    procs += [scrape(tmp_path, "fetch", "-c", "fetch.toml", "--db", "a.db", "-f", f"f{k}.txt") for k in range(FETCHERS)]
    procs += [scrape(tmp_path, "import-warc", "--db", "a.db", *warcs)]
    results = [(p.args, *p.communicate(timeout=300), p.returncode) for p in procs]
    for args, out, err, code in results:
        assert code == 0, (args, out, err)
        assert "error" not in err and "Traceback" not in err, (args, err)

    with sqlite3.connect(tmp_path / "a.db") as conn:
        assert conn.execute("PRAGMA integrity_check").fetchone() == ("ok",)
        rows = conn.execute("SELECT url, count(*) FROM articles GROUP BY url").fetchall()
        runs = conn.execute("SELECT outcome, exit_code FROM crawl_runs").fetchall()
    expected = {news.url(f"/c/{n}") for n in range(CRAWLED)} | {news.url(f"/w/{n}") for n in range(IMPORTED)}
    expected |= {news.url(f"/f{k}/{n}") for k in range(FETCHERS) for n in range(FETCHED)}
    assert {url for url, _ in rows} == expected
    assert all(count == 1 for _, count in rows)
    assert runs == [("finished", 0)]


def stored_count(db: Path) -> int:
    try:
        with sqlite3.connect(db, timeout=5) as conn:
            return int(conn.execute("SELECT count(*) FROM articles").fetchone()[0])
    except sqlite3.OperationalError:
        return 0


def test_a_locked_archive_stops_every_fetch_worker_with_one_line(scrape, tmp_path: Path, monkeypatch) -> None:
    """The first worker to give up on the lock ends the run: the others are cancelled before the HTTP
    client closes, not left to fail with 'Cannot send a request, as the client has been closed'."""
    monkeypatch.setattr("scraper.store.BUSY_TIMEOUT_MS", 300)
    site = Site()
    with serve(site):
        for n in range(40):
            site.html(f"/p/{n}", article(f"Page {n}", story(n)))
        site.delay_s = 0.05
        # Pages that fail without a write (404) keep the other workers fetching while one waits for the lock.
        urls = [site.url(f"/p/{n}") for n in range(1, 4)] + [site.url(f"/missing/{n}") for n in range(200)]
        (tmp_path / "u.txt").write_text("\n".join(urls) + "\n")
        (tmp_path / "c.toml").write_text(FAST_FETCH + "per_host_concurrency = 8\nconcurrency = 8\n")
        db = tmp_path / "a.db"
        sqlite3.connect(db).close()
        first = scrape("fetch", "-c", str(tmp_path / "c.toml"), "--db", str(db), site.url("/p/0"))
        assert first.exit_code == 0, first.stderr
        holder = sqlite3.connect(db, isolation_level=None)
        holder.execute("BEGIN EXCLUSIVE")
        try:
            result = scrape("fetch", "-c", str(tmp_path / "c.toml"), "--db", str(db), "-f", str(tmp_path / "u.txt"))
        finally:
            holder.execute("ROLLBACK")
            holder.close()
    assert result.exit_code == 1
    # 404s reported before the lock gave out are true; nothing after it may be reported at all.
    line = one_line_error("\n".join(x for x in result.stderr.splitlines() if not x.endswith(": HTTP 404")))
    assert line.startswith("error: ") and "database is locked by another process (waited 0." in line, line
    assert stored_count(db) == 1
    assert len(site.paths()) < 150  # the run stopped at the error, not after every URL
