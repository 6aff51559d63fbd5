"""SIGTERM (cron's timeout, systemd, kill) on `scrape fetch -f` and `scrape import-warc`, as real processes.

Each must stop the way Ctrl-C does: what was done is committed, the totals line is printed,
the exit code is 130, and the archive holds exactly what the totals say.
"""

from __future__ import annotations

import os
import re
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

from .conftest import ROOT
from .crawl_site import Site, article, serve, story
from .scale_warcs import fixture_pages, write_warc
from .test_concurrent_writers import stored_count
from .test_crawl import FAST_FETCH

INTERRUPTED = "error: interrupted; everything fetched so far is stored"


ENV = {**os.environ, "PYTHONPATH": str(ROOT)}


def scrape(tmp_path: Path, *args: str) -> subprocess.Popen[str]:
    return subprocess.Popen([sys.executable, "-m", "scraper", *args], cwd=tmp_path, text=True,
                            env=ENV, stdout=subprocess.PIPE, stderr=subprocess.PIPE)


def scrape_to_end(tmp_path: Path, *args: str) -> subprocess.CompletedProcess[str]:
    """The command run uninterrupted, as the rerun after a stop is."""
    return subprocess.run([sys.executable, "-m", "scraper", *args], check=False, cwd=tmp_path, capture_output=True,
                          text=True, timeout=600, env=ENV)


def wait_for(db: Path, at_least: int, timeout_s: float = 60) -> None:
    deadline = time.monotonic() + timeout_s
    while stored_count(db) < at_least:
        assert time.monotonic() < deadline, f"fewer than {at_least} articles in {db} after {timeout_s} s"
        time.sleep(0.1)


def totals(stderr: str, verb: str) -> dict[str, int]:
    """The counts of the `verb: N stored, N updated, ...` line, which must come right before the error line."""
    lines = stderr.splitlines()
    assert "Traceback" not in stderr, stderr
    assert lines[-1] == INTERRUPTED, stderr
    return counts_of(lines[-2], verb)


def counts_of(line: str, verb: str) -> dict[str, int]:
    found = re.fullmatch(rf"{verb}: (.*)", line)
    assert found, line
    return {name: int(n) for n, name in (part.split(" ") for part in found.group(1).split(", "))}


def test_sigterm_stops_fetch_like_ctrl_c(tmp_path: Path) -> None:
    site = Site()
    with serve(site):
        for n in range(30):
            site.html(f"/s/{n}", article(f"Slow {n}", story(n)))
        site.delay_s = 0.3
        (tmp_path / "u.txt").write_text("\n".join(site.url(f"/s/{n}") for n in range(30)) + "\n")
        (tmp_path / "c.toml").write_text(FAST_FETCH + "per_host_concurrency = 1\n")
        proc = scrape(tmp_path, "fetch", "-c", "c.toml", "--db", "a.db", "-f", "u.txt")
        wait_for(tmp_path / "a.db", 3)
        proc.send_signal(signal.SIGTERM)
        out, err = proc.communicate(timeout=20)
    assert proc.returncode == 130, (out, err)
    counts = totals(err, "fetched")
    done = stored_count(tmp_path / "a.db")
    assert 3 <= done < 30
    assert counts["stored"] == done and counts["failed"] == 0  # no page in flight was failed by the stop
    assert out.count("stored: ") == done  # every page reported stored is in the archive


def test_sigterm_stops_import_warc_with_its_batch_committed(tmp_path: Path) -> None:
    records = [(f"https://example.org/news/{n}", 200, "text/html; charset=utf-8",
                article(f"Imported {n}", *(story(n, f"part {k}") for k in range(4))).encode(),
                f"2024-05-01T10:{n // 60 % 60:02d}:{n % 60:02d}Z") for n in range(4000)]
    warc = write_warc(tmp_path / "big.warc.gz", records)
    proc = scrape(tmp_path, "import-warc", "-q", "--db", "a.db", "--workers", "1", str(warc))
    wait_for(tmp_path / "a.db", 50)
    proc.send_signal(signal.SIGTERM)
    out, err = proc.communicate(timeout=60)
    assert proc.returncode == 130, (out, err)
    counts = totals(err, "imported")
    done = stored_count(tmp_path / "a.db")
    assert 50 <= done < len(records)
    assert counts["stored"] == done and counts["failed"] == 0
    with sqlite3.connect(tmp_path / "a.db") as conn:
        assert conn.execute("SELECT count(*) FROM captures").fetchone()[0] == done  # no capture without its article

    again = scrape_to_end(tmp_path, "import-warc", "-q", "--db", "a.db", str(warc))
    assert again.returncode == 0, again
    assert stored_count(tmp_path / "a.db") == len(records)  # the next import adds the rest


def many_copies(path: Path, n: int, tag: str) -> Path:
    """A WARC of ``n`` fixture pages, each at its own URL."""
    pages = fixture_pages()
    return write_warc(path, [(f"{url}?{tag}={i}", 200, "text/html; charset=utf-8", body, f"2024-05-01T{i // 60 % 24:02d}:{i % 60:02d}:00Z")
                             for i in range(n) for url, body in [pages[i % len(pages)]]])


def wait_for_file(folder: Path, pattern: str, timeout_s: float = 120) -> None:
    deadline = time.monotonic() + timeout_s
    while not list(folder.glob(pattern)):
        assert time.monotonic() < deadline, f"no {pattern} in {folder} after {timeout_s} s"
        time.sleep(0.05)


def test_sigterm_stops_a_dask_import_with_whole_shards(tmp_path: Path) -> None:
    warcs = [str(many_copies(tmp_path / f"w{n}.warc.gz", 120, f"w{n}")) for n in range(5)]
    shards = tmp_path / "shards"
    command = ("import-warc", "-q", "--engine", "dask", "--workers", "1", "--shards", str(shards), *warcs)
    proc = scrape(tmp_path, *command)
    wait_for_file(shards, "*.db")  # one WARC done: the run is under way
    proc.send_signal(signal.SIGTERM)
    out, err = proc.communicate(timeout=120)
    assert proc.returncode == 130, (out, err)
    lines = err.splitlines()
    assert lines[-1] == INTERRUPTED and "Traceback" not in err, err
    written = re.fullmatch(r"shards: (\d+) written, 0 already there, 0 failed", lines[-2])
    assert written, err
    done = sorted(shards.glob("*.db"))
    assert 1 <= len(done) == int(written.group(1)) < len(warcs)  # the rest were never started
    assert not list(shards.glob("*.part"))  # the WARC in hand was finished, not cut off
    counts = counts_of(lines[-3], "imported")
    assert counts["stored"] == sum(stored_count(db) for db in done)
    assert counts["stored"] + counts["unchanged"] == 120 * len(done) and counts["failed"] == 0

    again = scrape_to_end(tmp_path, *command)
    assert again.returncode == 0, again.stderr
    assert f"shards: {len(warcs) - len(done)} written, {len(done)} already there, 0 failed" in again.stderr


def test_sigterm_stops_a_dask_reextract_with_its_ranges_merged(tmp_path: Path) -> None:
    warc = many_copies(tmp_path / "w.warc.gz", 400, "r")
    imported = scrape_to_end(tmp_path, "import-warc", "-q", "--db", "a.db", str(warc))
    assert imported.returncode == 0, imported.stderr
    with sqlite3.connect(tmp_path / "a.db") as conn:  # what an older extractor made of every page
        conn.execute("UPDATE articles SET title = 'Old headline', content_hash = 'old'")
    conn.close()
    shards = tmp_path / "s"
    proc = scrape(tmp_path, "reextract", "-q", "--db", "a.db", "--engine", "dask", "--workers", "1", "--shards", str(shards))
    wait_for_file(shards / "reextract", "reextract-*.db.part")  # the range is being worked on (not the snapshot)
    proc.send_signal(signal.SIGTERM)
    out, err = proc.communicate(timeout=120)
    assert proc.returncode == 130, (out, err)
    assert err.splitlines()[-1] == INTERRUPTED and "Traceback" not in err, err
    counts = totals(out + err, "reextracted")
    with sqlite3.connect(tmp_path / "a.db") as conn:
        renewed = conn.execute("SELECT count(*) FROM articles WHERE title != 'Old headline'").fetchone()[0]
        stored = conn.execute("SELECT count(*) FROM articles").fetchone()[0]
        versions = conn.execute("SELECT count(*) FROM article_versions").fetchone()[0]
    conn.close()
    assert counts["updated"] == renewed == stored > 100  # the range in hand was finished and merged
    assert versions == stored  # each old text kept as a version
    assert not (shards / "reextract").exists()
