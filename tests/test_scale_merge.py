"""`scrape merge`: shard archives folded into one give what a single import gives, once."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from scraper.scale.merge import merge

from .conftest import one_line_error
from .scale_warcs import dump, three_warcs, view


@pytest.fixture
def warcs(tmp_path: Path) -> list[Path]:
    return three_warcs(tmp_path / "warcs")


@pytest.fixture
def plain(scrape, tmp_path: Path, warcs: list[Path]) -> Path:
    db = tmp_path / "plain.db"
    result = scrape("import-warc", *map(str, warcs), "--db", str(db), "-q")
    assert result.exit_code == 0, result.stderr
    return db


def import_each(scrape, warcs: list[Path], folder: Path) -> list[Path]:
    """One archive per WARC, made by the plain import: merge must take any archive, not only Dask's shards."""
    folder.mkdir()
    shards = []
    for warc in warcs:
        shard = folder / f"{warc.name.split('.')[0]}.db"
        result = scrape("import-warc", str(warc), "--db", str(shard), "-q")
        assert result.exit_code == 0, result.stderr
        shards.append(shard)
    return shards


def test_merged_shards_equal_one_import(scrape, tmp_path, warcs, plain) -> None:
    shards = import_each(scrape, warcs, tmp_path / "shards")
    merged = tmp_path / "merged.db"
    result = scrape("merge", *map(str, shards), "--into", str(merged))
    assert result.exit_code == 0, result.stderr
    assert "merged 3 shards" in result.stdout
    expected, got = view(plain), view(merged)
    assert got["versions"], "the page captured twice must have an earlier version"
    assert all(got["fts"].values())
    for key in expected:
        assert got[key] == expected[key], key


def test_merge_twice_changes_nothing(scrape, tmp_path, warcs) -> None:
    shards = import_each(scrape, warcs, tmp_path / "shards")
    merged = tmp_path / "merged.db"
    assert scrape("merge", *map(str, shards), "--into", str(merged)).exit_code == 0
    before = dump(merged)
    again = scrape("merge", *map(str, shards), "--into", str(merged))
    assert again.exit_code == 0, again.stderr
    assert "merged 0 shards (3 already merged)" in again.stdout
    assert dump(merged) == before


def test_an_archive_that_grew_is_merged_again_without_duplicates(scrape, tmp_path, warcs, plain) -> None:
    one = tmp_path / "one.db"
    merged = tmp_path / "merged.db"
    assert scrape("import-warc", str(warcs[0]), "--db", str(one), "-q").exit_code == 0
    assert scrape("merge", str(one), "--into", str(merged)).exit_code == 0
    # the same archive file, now holding the other two WARCs as well: a fingerprint, not a name
    assert scrape("import-warc", *map(str, warcs[1:]), "--db", str(one), "-q").exit_code == 0
    assert scrape("merge", str(one), "--into", str(merged)).exit_code == 0
    expected, got = view(plain), view(merged)
    for key in expected:
        assert got[key] == expected[key], key


def test_a_killed_merge_is_resumed(scrape, tmp_path, warcs, plain) -> None:
    shards = import_each(scrape, warcs, tmp_path / "shards")
    merged = tmp_path / "merged.db"
    # the first two shards are committed, the index not yet rebuilt: what a kill before the end leaves
    merge(shards[:2], merged)
    with sqlite3.connect(merged) as conn:
        conn.execute("UPDATE merged_shards SET indexed = 0")
        conn.execute("INSERT INTO articles_fts (articles_fts) VALUES ('delete-all')")
    assert scrape("merge", *map(str, shards), "--into", str(merged)).exit_code == 0
    expected, got = view(plain), view(merged)
    for key in expected:
        assert got[key] == expected[key], key


def test_merge_failures_are_one_line(scrape, tmp_path, warcs) -> None:
    notes = tmp_path / "notes.db"
    notes.write_text("not a database at all " * 100)
    result = scrape("merge", str(notes), "--into", str(tmp_path / "m.db"))
    assert result.exit_code == 1
    assert "not an SQLite database" in one_line_error(result.stderr)

    empty = tmp_path / "empty.db"
    sqlite3.connect(empty).execute("CREATE TABLE t (x)").connection.close()
    result = scrape("merge", str(empty), "--into", str(tmp_path / "m.db"))
    assert "not a scraper archive" in one_line_error(result.stderr)

    result = scrape("merge", str(tmp_path / "missing.db"), "--into", str(tmp_path / "m.db"))
    assert "no such archive file" in one_line_error(result.stderr)

    same = tmp_path / "same.db"
    assert scrape("import-warc", str(warcs[0]), "--db", str(same), "-q").exit_code == 0
    result = scrape("merge", str(same), "--into", str(same))
    assert "is the archive being merged into" in one_line_error(result.stderr)
