"""body_markdown in the archive: written beside body, outside the content hash, and added to
archives made before the column existed (a real SQLite file each time)."""

from __future__ import annotations

import dataclasses
import sqlite3
from pathlib import Path

import sqlite_utils

from scraper import schema
from scraper.models import Article
from scraper.store import Store

PLAIN = Article(
    url="https://news.example/a",
    title="How to prune",
    body="Pruning\n\nCut above a bud.",
)
WITH_MARKDOWN = dataclasses.replace(PLAIN, body_markdown="## Pruning\n\nCut above a [bud](https://news.example/bud).")


def columns(path: Path) -> list[str]:
    with sqlite3.connect(path) as conn:
        return [row[1] for row in conn.execute("PRAGMA table_info(articles)")]


def make_old_archive(path: Path) -> None:
    """An archive as the version before body_markdown made it: same schema, no such column."""
    with Store.open(path) as store:
        store.save_article(PLAIN, url=PLAIN.url, seen="2024-01-01T00:00:00+00:00")
        store.db.conn.execute("ALTER TABLE articles DROP COLUMN body_markdown")
        store.db.conn.commit()
    assert "body_markdown" not in columns(path)


def test_markdown_is_stored_beside_the_body(db_path: Path) -> None:
    with Store.open(db_path) as store:
        assert store.save_article(WITH_MARKDOWN, url=PLAIN.url) == "stored"
        row = store.db["articles"].get(1)
        assert row["body"] == PLAIN.body
        assert row["body_markdown"] == WITH_MARKDOWN.body_markdown


def test_old_archive_gets_the_column_on_open_and_keeps_its_rows(db_path: Path) -> None:
    make_old_archive(db_path)
    with Store.open(db_path, create=False) as store:
        row = store.db["articles"].get(1)
        assert row["body"] == PLAIN.body and row["body_markdown"] is None
        assert [h.url for h in store.search("bud")] == [PLAIN.url]
    with Store.open(db_path, create=False) as store:  # a second open changes nothing
        assert store.count("articles") == 1
    assert columns(db_path).count("body_markdown") == 1


def test_reextracting_with_markdown_makes_no_new_version(db_path: Path) -> None:
    make_old_archive(db_path)
    with Store.open(db_path) as store:
        assert store.save_article(WITH_MARKDOWN, url=PLAIN.url, seen="2024-02-01T00:00:00+00:00") == "unchanged"
        assert store.count("article_versions") == 0
        row = store.db["articles"].get(1)
        assert row["body_markdown"] == WITH_MARKDOWN.body_markdown
        assert row["changed_at"] == "2024-01-01T00:00:00+00:00"
        # a changed body still is a new version, and the old row's Markdown goes with it
        changed = dataclasses.replace(WITH_MARKDOWN, body="Pruning\n\nCut below a bud.")
        assert store.save_article(changed, url=PLAIN.url, seen="2024-03-01T00:00:00+00:00") == "updated"
        assert '"body_markdown": "## Pruning' in store.db["article_versions"].get(1)["record"]


def test_read_only_old_archive_is_left_as_it_is(db_path: Path) -> None:
    make_old_archive(db_path)
    conn = sqlite3.connect(f"file:{db_path}?mode=ro", uri=True)
    try:
        schema.migrate(sqlite_utils.Database(conn))
        assert conn.execute("SELECT title FROM articles").fetchone() == (PLAIN.title,)
    finally:
        conn.close()
    assert "body_markdown" not in columns(db_path)
