"""Progress bars, as a person at a terminal sees them and as cron does not.

The real `scrape` process runs against a real server on 127.0.0.1 with its stderr on a pseudo-
terminal (python's pty): rich draws its bar there, with done out of total. With stderr on a pipe
the same run writes plain lines only, never an escape code.
"""

from __future__ import annotations

import fcntl
import io
import os
import pty
import re
import select
import struct
import subprocess
import sys
import termios
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from rich.console import Console

from scraper.crawl.progress import Plan, RichReporter
from scraper.summary import Tally

from .conftest import ROOT, TEST_CONFIG
from .crawl_site import Site, article, hub, serve, story
from .scale_warcs import three_warcs

SCRAPE = Path(sys.executable).with_name("scrape")
COLOUR = re.compile(r"\x1b\[[0-9;]*m")
MOVE = re.compile(r"\x1b\[[0-9;?]*[A-Za-z]|\x1b\][^\x07]*\x07|\r")
STAMP = r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d[+-]\d\d:\d\d "
ARTICLES = 6


def environment() -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in ("NO_COLOR", "FORCE_COLOR", "TTY_COMPATIBLE", "COLUMNS")}
    return {**env, "TERM": "xterm-256color", "PYTHONPATH": str(ROOT)}


def command() -> list[str]:
    return [str(SCRAPE)] if SCRAPE.exists() else [sys.executable, "-m", "scraper"]


def on_terminal(args: list[str], cwd: Path, timeout: float = 90) -> tuple[int, str, str]:
    """(exit code, what the terminal showed with escapes removed, stdout) of `scrape ARGS`, stderr on a pty."""
    master, slave = pty.openpty()
    fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", 40, 200, 0, 0))
    proc = subprocess.Popen([*command(), *args], cwd=cwd, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                            stderr=slave, env=environment())
    os.close(slave)
    assert proc.stdout is not None
    screen, out = bytearray(), bytearray()
    open_fds = {master, proc.stdout.fileno()}
    deadline = time.monotonic() + timeout
    while open_fds and time.monotonic() < deadline:
        ready, _, _ = select.select(list(open_fds), [], [], 1.0)
        for fd in ready:
            try:
                data = os.read(fd, 65536)
            except OSError:  # the pty's other end is closed: Linux says EIO
                data = b""
            if not data:
                open_fds.discard(fd)
            else:
                (screen if fd == master else out).extend(data)
    code = proc.wait(timeout=10)
    os.close(master)
    proc.stdout.close()
    return code, screen.decode("utf-8", "replace"), out.decode("utf-8", "replace")


def plain(text: str) -> str:
    """The terminal's text: colours dropped, each cursor move a line break."""
    return MOVE.sub("\n", COLOUR.sub("", text))


def off_terminal(args: list[str], cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run([*command(), *args], cwd=cwd, capture_output=True, text=True, timeout=90,
                          env=environment(), check=False)


@pytest.fixture
def slow_site() -> Iterator[Site]:
    """A front page linking to ARTICLES articles, each answer a little slow so the bar is seen moving."""
    site = Site()
    with serve(site):
        links = [f"/2024/01/a{n}" for n in range(1, ARTICLES + 1)]
        site.html("/", hub(*links))
        for n, path in enumerate(links, 1):
            site.html(path, article(f"Story number {n}", story(60 + n)))
        site.delay_s = 0.15
        yield site


@pytest.fixture
def setup(tmp_path: Path, slow_site: Site) -> tuple[Path, Path]:
    (tmp_path / "config.toml").write_text(TEST_CONFIG, encoding="utf-8")
    urls = tmp_path / "urls.txt"
    urls.write_text("".join(slow_site.url(f"/2024/01/a{n}") + "\n" for n in range(1, ARTICLES + 1)))
    return tmp_path, urls


def totals(screen: str, label: str) -> list[tuple[int, int]]:
    """Every done/total the bar labelled ``label`` showed, in order."""
    return [(int(a), int(b)) for a, b in re.findall(rf"{label}\s.*?(\d+)/(\d+)", plain(screen))]


def test_fetch_list_shows_done_out_of_total_on_a_terminal(setup) -> None:
    folder, urls = setup
    code, screen, out = on_terminal(["fetch", "-f", str(urls), "--db", "a.db"], folder)
    assert code == 0, screen
    seen = totals(screen, "fetching")
    assert seen and {total for _, total in seen} == {ARTICLES}, plain(screen)
    assert max(done for done, _ in seen) >= 1
    assert "URLs/s" in plain(screen) and "ETA" in plain(screen)
    assert f"fetched: {ARTICLES} stored" in plain(screen)  # the closing line stays on the terminal
    assert out.count("stored: ") == ARTICLES and "\x1b" not in out  # stdout, a pipe, gets plain lines


def test_without_a_terminal_there_is_no_bar_and_no_escape_code(setup) -> None:
    folder, urls = setup
    done = off_terminal(["fetch", "-f", str(urls), "--db", "a.db"], folder)
    assert done.returncode == 0, done.stderr
    assert "\x1b" not in done.stderr + done.stdout and "fetching" not in done.stderr
    assert done.stderr.strip().splitlines()[-1].startswith(f"fetched: {ARTICLES} stored")


def test_import_warc_counts_bytes_out_of_the_files_size_and_reextract_knows_its_count(tmp_path: Path) -> None:
    warcs = three_warcs(tmp_path / "warcs")
    (tmp_path / "config.toml").write_text(TEST_CONFIG, encoding="utf-8")
    code, screen, _ = on_terminal(["import-warc", *map(str, warcs), "--db", "a.db", "--workers", "1"], tmp_path)
    assert code == 0, screen
    size = sum(w.stat().st_size for w in warcs)
    shown = re.findall(r"importing\s.*?([\d.]+)/([\d.]+) (bytes|kB|MB)", plain(screen))
    assert shown, plain(screen)
    total = {float(t) * {"bytes": 1, "kB": 1e3, "MB": 1e6}[unit] for _, t, unit in shown}
    assert len(total) == 1 and abs(total.pop() - size) / size < 0.01
    assert re.search(r"imported: \d+ stored", plain(screen))

    import sqlite3

    with sqlite3.connect(tmp_path / "a.db") as conn:
        (count,) = conn.execute("SELECT count(*) FROM articles").fetchone()
    code, screen, out = on_terminal(["reextract", "--db", "a.db", "--workers", "1"], tmp_path)
    assert code == 0, screen
    seen = totals(screen, "reextracting")
    assert seen and seen[-1][1] == count and max(done for done, _ in seen) == count, plain(screen)
    assert out.startswith("reextracted: ") and "\x1b" not in out


def test_crawl_bar_grows_with_the_frontier_not_max_pages(tmp_path: Path, slow_site: Site) -> None:
    cfg = tmp_path / "crawl.toml"
    cfg.write_text(TEST_CONFIG + f'\n[[sources]]\nname = "local"\nstart_urls = ["{slow_site.url("/")}"]\nmax_depth = 1\n')
    code, screen, out = on_terminal(["crawl", "--config", str(cfg), "--db", "a.db"], tmp_path)
    assert code == 0, plain(screen) + out
    seen = totals(screen, "local")
    assert seen, plain(screen)
    grown = [total for _, total in seen]
    assert grown[0] == 1 and max(grown) == 1 + ARTICLES and 200 not in grown  # not the default max_pages
    assert "stored: local:" in plain(screen)


def test_quiet_summaries_are_dated(setup, scrape) -> None:
    _, urls = setup
    assert scrape("fetch", "-f", str(urls), "--db", "a.db").exit_code == 0
    result = scrape("reextract", "--db", "a.db", "--quiet")
    assert result.exit_code == 0, result.stderr
    assert re.fullmatch(STAMP + r"reextracted: 0 stored, 0 updated, 6 unchanged, 0 duplicate, 0 skipped, 0 failed\n",
                        result.stdout)
    loud = scrape("reextract", "--db", "a.db")
    assert loud.stdout.startswith("reextracted: ")  # without --quiet, as before
    warcs = three_warcs(urls.parent / "warcs")
    imported = scrape("import-warc", *map(str, warcs), "--db", "b.db", "--quiet", "--workers", "1")
    assert imported.exit_code == 0, imported.stderr
    assert re.fullmatch(STAMP + r"imported: \d+ stored, .* 0 failed", imported.stderr.strip().splitlines()[-1])


def test_crawl_reporter_total_follows_what_is_found() -> None:
    screen = io.StringIO()
    reporter = RichReporter(console=Console(file=screen, force_terminal=True, width=120))
    counts = Tally()
    reporter.start({"a": Plan(due=2, max_pages=5, counts=counts)})
    bar = reporter.progress.bars
    assert bar is not None
    task = bar.tasks[0]
    assert task.total == 2
    counts.discovered += 10
    reporter.event("a", "read", "https://ex.com/", "10 links, 10 new")
    assert (task.completed, task.total) == (1, 5)  # 12 known, but the run visits at most max_pages
    reporter.event("a", "listed", "https://ex.com/feed", "3 URLs, 0 new")
    assert task.total == 6  # a feed does not use up max_pages
    reporter.finished("a")
    assert task.total == task.completed == 2
    reporter.stop()
