"""`python -m scraper crawl` as cron runs it: killed with SIGKILL, overlapping, stopped with SIGTERM."""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from .conftest import ROOT
from .crawl_site import Site, article, serve, story
from .test_crawl import FAST_FETCH

ARTICLES = 24


@pytest.fixture
def slow_site() -> Iterator[Site]:
    """A feed of 24 articles served slowly enough to interrupt a crawl in the middle."""
    site = Site()
    with serve(site):
        for n in range(ARTICLES):
            site.html(f"/news/{n}", article(f"Slow story {n}", story(n), f"More about slow story {n}."))
        items = "".join(f"<item><link>{site.url(f'/news/{n}')}</link></item>" for n in range(ARTICLES))
        site.xml("/feed.xml", f'<?xml version="1.0"?><rss version="2.0"><channel>{items}</channel></rss>')
        site.delay_s = 0.25
        yield site


def start(tmp_path: Path, site: Site) -> subprocess.Popen[str]:
    config = tmp_path / "crawl.toml"
    config.write_text(FAST_FETCH + f'\n[[sources]]\nname = "slow"\nfeeds = ["{site.url("/feed.xml")}"]\n')
    return subprocess.Popen(
        [sys.executable, "-m", "scraper", "crawl", "--config", str(config), "--db", str(tmp_path / "archive.db")],
        cwd=tmp_path, env={**os.environ, "PYTHONPATH": str(ROOT)}, text=True,
        stdout=subprocess.PIPE, stderr=subprocess.PIPE,
        start_new_session=True,  # its own process group: the test can kill it and its extraction workers
    )


def wait_for(condition: Callable[[], bool], timeout: float = 20.0) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, "condition not met in time"
        time.sleep(0.05)


def stored(db: Path) -> int:
    if not db.exists():
        return 0
    try:
        with sqlite3.connect(db, timeout=5) as conn:
            return int(conn.execute("SELECT count(*) FROM articles").fetchone()[0])
    except sqlite3.OperationalError:
        return 0  # the crawl has not created the table yet


def test_sigkill_in_the_middle_then_a_rerun_stores_every_article_once(slow_site: Site, tmp_path: Path) -> None:
    db = tmp_path / "archive.db"
    proc = start(tmp_path, slow_site)
    try:
        wait_for(lambda: stored(db) >= 4)
    finally:
        os.killpg(proc.pid, signal.SIGKILL)
        proc.communicate(timeout=10)
    assert proc.returncode == -signal.SIGKILL
    first = stored(db)
    assert 4 <= first < ARTICLES
    with sqlite3.connect(db) as conn:
        done_first = {r[0] for r in conn.execute("SELECT url FROM articles")}
    assert done_first <= {slow_site.url(f"/news/{n}") for n in range(ARTICLES)}

    rerun = start(tmp_path, slow_site)
    out, err = rerun.communicate(timeout=60)
    assert rerun.returncode == 0, err

    with sqlite3.connect(db) as conn:
        titles = [r[0] for r in conn.execute("SELECT title FROM articles ORDER BY title")]
        runs = conn.execute("SELECT outcome FROM crawl_runs ORDER BY id").fetchall()
        states = conn.execute("SELECT state, count(*) FROM crawl_urls WHERE kind = 'page' GROUP BY state").fetchall()
    assert titles == sorted(f"Slow story {n}" for n in range(ARTICLES))  # every article, exactly once
    assert runs == [("killed",), ("finished",)]
    assert states == [("done", ARTICLES)]
    # The re-run fetched only what the killed run had not stored: a page in flight, or fetched and
    # waiting for an extraction worker, is fetched twice (2 a host at a time, 2 workers at most).
    fetched_twice = [n for n in range(ARTICLES) if slow_site.count(f"/news/{n}") > 1]
    assert not {slow_site.url(f"/news/{n}") for n in fetched_twice} & done_first
    assert len(fetched_twice) <= 4
    new = next(line for line in out.splitlines() if line.split()[:1] == ["slow"]).split()
    assert int(new[3]) == ARTICLES - first  # the summary's "new" column


def test_overlapping_run_is_refused_and_sigterm_stops_with_a_summary(slow_site: Site, tmp_path: Path) -> None:
    db = tmp_path / "archive.db"
    slow_site.delay_s = 0.5  # 24 pages, two at a time: about 6 s, long enough to start a second run
    first = start(tmp_path, slow_site)
    try:
        wait_for(lambda: stored(db) >= 1)
        second = start(tmp_path, slow_site)
        out, err = second.communicate(timeout=30)
        assert second.returncode == 75
        assert err == f"error: another crawl is running (pid {first.pid})\n"
        assert out == ""

        sent = time.monotonic()
        first.send_signal(signal.SIGTERM)
        out, err = first.communicate(timeout=15)
        assert time.monotonic() - sent < 6  # stops within seconds, not after the whole feed
    finally:
        if first.poll() is None:
            os.killpg(first.pid, signal.SIGKILL)
            first.communicate()
    assert first.returncode == 130, (out, err)
    assert "interrupted; what was fetched is stored" in out
    done = stored(db)
    assert 1 <= done < ARTICLES
    with sqlite3.connect(db) as conn:
        assert conn.execute("SELECT outcome, exit_code FROM crawl_runs").fetchall() == [("interrupted", 130)]
        summary = conn.execute("SELECT new FROM crawl_run_sources").fetchall()
    assert summary == [(done,)]
