"""`--engine dask` on a real LocalCluster (2 worker processes on 127.0.0.1, no dashboard)."""

from __future__ import annotations

import os
import re
import shutil
import signal
import sqlite3
import threading
import time
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

from scraper.config import Settings
from scraper.crawl.tables import SCHEMA as FRONTIER
from scraper.scale import engine
from scraper.scale.run import RunProgress, import_sharded

from .scale_warcs import dump, fixture_pages, three_warcs, view, write_warc


@pytest.fixture(scope="module")
def client() -> Iterator[Any]:
    with engine.client(workers=2, dashboard=False) as dask_client:
        yield dask_client


@pytest.fixture
def warcs(tmp_path: Path) -> list[Path]:
    return three_warcs(tmp_path / "warcs")


def plain_import(scrape, files: list[Path], db: Path) -> Path:
    result = scrape("import-warc", *map(str, files), "--db", str(db), "-q")
    assert result.exit_code == 0, result.stderr
    return db


def test_cluster_shards_merge_to_the_plain_import(scrape, tmp_path, warcs, httpserver) -> None:
    # one WARC comes over HTTP, streamed by the worker; the list of inputs is an @FILE
    httpserver.expect_request("/crawl-data/cc-news-2.warc.gz").respond_with_data(
        warcs[2].read_bytes(), content_type="application/octet-stream")
    listing = tmp_path / "warc.paths"
    listing.write_text(f"# May\n{warcs[0]}\n\n{warcs[1]}\n{httpserver.url_for('/crawl-data/cc-news-2.warc.gz')}\n")
    shards = tmp_path / "shards"
    result = scrape("import-warc", "--engine", "dask", "--workers", "2", "--shards", str(shards), f"@{listing}")
    assert result.exit_code == 0, result.stderr
    assert "shards: 3 written, 0 already there, 0 failed" in result.stderr
    assert sorted(p.name for p in shards.iterdir()) == ["cc-news-0.db", "cc-news-1.db", "cc-news-2.db"]

    merged = tmp_path / "merged.db"
    assert scrape("merge", *sorted(map(str, shards.glob("*.db"))), "--into", str(merged)).exit_code == 0
    expected, got = view(plain_import(scrape, warcs, tmp_path / "plain.db")), view(merged)
    assert got["versions"] and all(got["fts"].values())
    for key in expected:
        assert got[key] == expected[key], key

    before = {p.name: p.stat().st_mtime_ns for p in shards.iterdir()}
    again = scrape("import-warc", "--engine", "dask", "--workers", "2", "--shards", str(shards), f"@{listing}")
    assert again.exit_code == 0, again.stderr
    assert "shards: 0 written, 3 already there, 0 failed" in again.stderr
    assert {p.name: p.stat().st_mtime_ns for p in shards.iterdir()} == before


def test_a_damaged_warc_fails_alone(scrape, tmp_path, warcs) -> None:
    data = warcs[1].read_bytes()
    cut = tmp_path / "warcs" / "cut.warc.gz"
    cut.write_bytes(data[: len(data) - 300])
    missing = tmp_path / "warcs" / "missing.warc.gz"
    shards = tmp_path / "shards"
    result = scrape("import-warc", "--engine", "dask", "--workers", "2", "--shards", str(shards),
                    str(warcs[0]), str(cut), str(missing), str(warcs[2]))
    assert result.exit_code == 1
    assert "Traceback" not in result.stderr
    failed = [line for line in result.stderr.splitlines() if line.startswith("failed:")]
    assert len(failed) == 2, result.stderr
    assert any(str(cut) in line and "corrupt or truncated" in line for line in failed)
    assert any(str(missing) in line and "cannot read" in line for line in failed)
    assert "shards: 2 written, 0 already there, 2 failed" in result.stderr
    # the damaged file keeps the records before the damage, as the plain import does; the missing one has no shard
    assert sorted(p.name for p in shards.iterdir()) == ["cc-news-0.db", "cc-news-2.db", "cut.db"]


def test_a_worker_killed_mid_file_loses_nothing(scrape, client, tmp_path) -> None:
    pages = fixture_pages()
    records = [(f"{url}?copy={i}", 200, "text/html; charset=utf-8", body, f"2024-05-01T{i // 60:02d}:{i % 60:02d}:00Z")
               for i in range(150) for url, body in [pages[i % len(pages)]]]
    big = write_warc(tmp_path / "big.warc.gz", records)
    shards = tmp_path / "shards"
    part = shards / "big.db.part"
    summary: list[Any] = []
    runner = threading.Thread(target=lambda: summary.append(
        import_sharded([str(big)], shards, Settings(), client, RunProgress(1, quiet=True))))
    runner.start()
    deadline = time.monotonic() + 60
    while not part.exists() and time.monotonic() < deadline:
        time.sleep(0.01)
    assert part.exists(), "the task never started"
    processing = client.processing()
    pids = client.run(os.getpid)
    victim = next(addr for addr, keys in processing.items() if "shard-big" in keys)
    os.kill(pids[victim], signal.SIGKILL)
    runner.join(120)
    assert not runner.is_alive()
    (result,) = summary[0].results
    assert result.status == "done", result
    assert sorted(p.name for p in shards.iterdir()) == ["big.db"]
    expected = view(plain_import(scrape, [big], tmp_path / "plain.db"))
    got = view(shards / "big.db")
    for key in expected:
        assert got[key] == expected[key], key


def timeless(data: Any) -> str:
    """The view with every time of today replaced: reextract stamps what it changes with the clock."""
    today = datetime.now(UTC).date().isoformat()
    return re.sub(today + r"T\d\d:\d\d:\d\d\+00:00", "NOW", repr(data))


def test_reextract_on_dask_equals_reextract(scrape, tmp_path, warcs) -> None:
    first = plain_import(scrape, warcs, tmp_path / "first.db")
    conn = sqlite3.connect(first)  # what an older extractor had made of three pages
    with conn:
        conn.execute("UPDATE articles SET title = 'Old headline', content_hash = 'old' WHERE id IN (1, 4, 7)")
        conn.execute("DELETE FROM quotes WHERE article_id = 4")
        # a crawled page whose extraction failed then: no article, its capture kept
        lost = conn.execute("SELECT url FROM articles WHERE id = 10").fetchone()[0]
        for table in ("quotes", "links", "article_versions"):
            conn.execute(f"DELETE FROM {table} WHERE article_id = 10")
        conn.execute("DELETE FROM articles WHERE id = 10")
        conn.executescript(FRONTIER)
        conn.execute("INSERT INTO crawl_urls (url, source, kind, found_at, state, error, reason) "
                     "VALUES (?, 'news', 'page', '2024-05-01', 'failed', 'extraction failed: no text', 'extraction')", [lost])
    conn.close()  # the last connection: the WAL is folded into the file, which is then copied
    second = tmp_path / "second.db"
    shutil.copy(first, second)
    plain = scrape("reextract", "--db", str(first), "-q")
    assert plain.exit_code == 0, plain.stderr
    assert "1 stored, 3 updated" in plain.stdout
    on_dask = scrape("reextract", "--db", str(second), "--engine", "dask", "--workers", "2", "--shards", str(tmp_path / "s"), "-q")
    assert on_dask.exit_code == 0, on_dask.stderr
    assert "1 stored, 3 updated" in on_dask.stdout
    # the plain run also stamps last_seen on the articles that came out unchanged
    expected, got = view(first, skip=("last_seen",)), view(second, skip=("last_seen",))
    assert "Old headline" not in repr(got["articles"]) and "Old headline" in repr(got["versions"])
    for key in expected:
        assert timeless(got[key]) == timeless(expected[key]), key
    assert not (tmp_path / "s" / "reextract").exists()
    assert dump(second)  # still a readable archive


def test_a_download_cut_off_leaves_no_shard(client, tmp_path, warcs) -> None:
    from .test_scale_inputs import cut_off

    shards = tmp_path / "shards"
    with cut_off(warcs[0].read_bytes()) as server:
        summary = import_sharded([server.url("/cc-news-0.warc.gz"), str(warcs[1])], shards, Settings(), client,
                                 RunProgress(2, quiet=True))
    by_source = {Path(r.source).name: r for r in summary.results}
    assert by_source["cc-news-0.warc.gz"].status == "failed"
    (line,) = by_source["cc-news-0.warc.gz"].failures
    assert line.startswith("failed: ") and "download failed after" in line
    assert by_source["cc-news-1.warc.gz"].status == "done"
    assert sorted(p.name for p in shards.iterdir()) == ["cc-news-1.db"]  # a rerun tries the cut-off one again
