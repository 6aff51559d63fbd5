"""Hostile sources through a real `scrape crawl` process: catastrophic patterns, entity bombs."""

from __future__ import annotations

import sqlite3
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from .conftest import one_line_error
from .crawl_site import Site, article, hub, serve, story
from .test_crawl import FAST_FETCH
from .test_crawl_units import billion_laughs


@pytest.fixture
def news() -> Iterator[Site]:
    site = Site()
    with serve(site):
        yield site


def write_config(tmp_path: Path, source: str) -> Path:
    path = tmp_path / "crawl.toml"
    path.write_text(FAST_FETCH + "\n[[sources]]\n" + source)
    return path


def test_catastrophic_pattern_runs_in_linear_time(news: Site, tmp_path: Path, scrape_process) -> None:
    # (a+)+$ against 30 a's and a '!' takes Python's re about 2^30 steps; RE2 takes 31.
    trap = "/" + "a" * 30 + "!"
    news.html("/", hub("/news/1", trap))
    news.html("/news/1", article("One", story(1)))
    news.html(trap, article("Trap", story(2)))
    config = write_config(tmp_path, f'name = "n"\nstart_urls = ["{news.url("/")}"]\nallow = ["(a+)+$", "/news/"]\n')
    started = time.monotonic()
    result = scrape_process("crawl", "--config", str(config), "--db", "a.db", "--max-time", "30s", timeout=60)
    assert result.exit_code == 0, result.stderr
    assert time.monotonic() - started < 20
    with sqlite3.connect(tmp_path / "a.db") as conn:
        assert conn.execute("SELECT count(*) FROM articles").fetchone()[0] == 1


@pytest.mark.parametrize(("pattern", "why"), [
    (r"(\\w+)-\\1", "backreferences need backtracking"),
    ("/news/(?!old)", "lookahead and lookbehind need backtracking"),
])
def test_backtracking_pattern_is_a_config_error(pattern: str, why: str, tmp_path: Path, scrape_process) -> None:
    config = write_config(tmp_path, f'name = "n"\nstart_urls = ["http://127.0.0.1:9/"]\ndeny = ["{pattern}"]\n')
    result = scrape_process("crawl", "--config", str(config), "--db", "a.db")
    assert result.exit_code == 2  # the CLI's exit code for a bad config
    line = one_line_error(result.stderr)
    assert line.startswith(f"error: {config}: [[sources]] #1 (n) deny: bad regular expression "), line
    assert why in line


def test_entity_bomb_in_a_feed_is_a_warning_naming_the_feed(news: Site, tmp_path: Path, scrape_process) -> None:
    items = "".join(f"<item><title>{'&l9;' if n == 1 else 'ok'}</title><link>{news.url(f'/news/{n}')}</link></item>"
                    for n in range(3))
    news.xml("/feed.xml", billion_laughs(f"<rss><channel>{items}</channel></rss>"))
    for n in range(3):
        news.html(f"/news/{n}", article(f"Story {n}", story(n)))
    config = write_config(tmp_path, f'name = "n"\nfeeds = ["{news.url("/feed.xml")}"]\n')
    result = scrape_process("crawl", "--config", str(config), "--db", "a.db")
    assert result.exit_code == 0, result.stderr
    warnings = [line.partition(" ")[2] for line in result.stderr.splitlines() if " warning: " in line]
    expected = (f"warning: n: {news.url('/feed.xml')}: the feed declares its own entities "
                "(a possible entity bomb); they were not expanded")
    assert warnings == [expected], result.stderr
    with sqlite3.connect(tmp_path / "a.db") as conn:
        assert conn.execute("SELECT count(*) FROM articles").fetchone()[0] == 3


@pytest.mark.parametrize(("location", "scheme"), [("javascript:alert(1)", "javascript"), ("data:text/html,<p>x</p>", "data")])
def test_redirect_to_a_script_or_data_url_is_one_failed_line(news: Site, tmp_path: Path, scrape_process,
                                                              location: str, scheme: str) -> None:
    news.redirect("/go", location)
    (tmp_path / "fetch.toml").write_text(FAST_FETCH)
    result = scrape_process("fetch", "-c", "fetch.toml", "--db", "a.db", news.url("/go"))
    assert result.exit_code == 1
    assert f"failed: {news.url('/go')}: redirect to non-http scheme: {scheme}" in result.stdout + result.stderr
    assert "unexpected error" not in result.stdout + result.stderr and "Traceback" not in result.stderr
