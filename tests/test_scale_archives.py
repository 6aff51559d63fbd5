"""Monthly archives used together: `scrape search` over several --db, `scrape serve a.db b.db …`."""

from __future__ import annotations

import json
import shutil
import sqlite3
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from contextlib import closing
from pathlib import Path

import pytest

from tests.served_archive import env, free_port

from .conftest import one_line_error
from .scale_warcs import three_warcs


@pytest.fixture
def months(scrape, tmp_path: Path) -> list[Path]:
    warcs = three_warcs(tmp_path / "warcs")
    may, june = tmp_path / "archive-2024-05.db", tmp_path / "archive-2024-06.db"
    assert scrape("import-warc", str(warcs[0]), str(warcs[1]), "--db", str(may), "-q").exit_code == 0
    assert scrape("import-warc", str(warcs[2]), "--db", str(june), "-q").exit_code == 0
    return [may, june]


def test_search_over_several_archives(scrape, months) -> None:
    one = json.loads(scrape("search", "ferry", "--db", str(months[0]), "--json").stdout)
    assert one and all("archive" not in hit for hit in one)  # one archive: the output as before
    result = scrape("search", "the", "--limit", "50", "--db", str(months[0]), "--db", str(months[1]), "--json")
    assert result.exit_code == 0, result.stderr
    hits = json.loads(result.stdout)
    assert {hit["archive"] for hit in hits} == {str(m) for m in months}
    assert [hit["rank"] for hit in hits] == sorted(hit["rank"] for hit in hits)
    text = scrape("search", "ferry", "--db", str(months[0]), "--db", str(months[1]))
    assert f"[{months[0]}]" in text.stdout or f"[{months[1]}]" in text.stdout
    missing = scrape("search", "ferry", "--db", str(months[0]), "--db", str(months[0].with_name("none.db")))
    assert missing.exit_code == 1 and "no archive here yet" in one_line_error(missing.stderr)


def has(db: Path, word: str) -> bool:
    with closing(sqlite3.connect(db)) as conn:
        return conn.execute("SELECT count(*) FROM articles_fts WHERE articles_fts MATCH ?", [word]).fetchone()[0] > 0


def get_json(base: str, path: str) -> dict:
    with urllib.request.urlopen(base + path, timeout=10) as response:
        return json.load(response)


def test_serve_several_archives_with_one_search(months, tmp_path) -> None:
    # eleven files: two months and nine more, one past what SQLite attaches at once
    files = [*months]
    for n in range(9):
        files.append(shutil.copy(months[n % 2], tmp_path / f"archive-2023-{n + 1:02d}.db"))
    port = free_port()
    log = tmp_path / "serve.log"
    with log.open("w") as out:
        process = subprocess.Popen([sys.executable, "-m", "scraper", "serve", *map(str, files), "--port", str(port)],
                                   cwd=tmp_path, env=env(), stdout=out, stderr=subprocess.STDOUT)
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 30
        while True:
            assert process.poll() is None, log.read_text()
            try:
                get_json(base, "/-/versions.json")
                break
            except (urllib.error.URLError, ConnectionError, TimeoutError):
                assert time.monotonic() < deadline, log.read_text()
                time.sleep(0.1)
        assert "SQLite attaches at most 10 at once" in log.read_text()
        assert f"{base}/_memory/search_archives" in log.read_text()
        assert get_json(base, "/archive-2024-06/articles.json?_size=1")["rows"]  # each file is served on its own
        found = get_json(base, "/_memory/search_archives.json?" + urllib.parse.urlencode({"q": "ferry", "_shape": "objects"}))
        expected = {f.stem for f in files[:10] if has(f, "ferry")}
        assert {row["archive"] for row in found["rows"]} == expected and len(expected) > 1
        assert has(files[10], "ferry") and files[10].stem not in expected  # the eleventh is not attached
        assert all("⟦" in row["snippet"] for row in found["rows"])
    finally:
        process.terminate()
        process.wait(timeout=10)
