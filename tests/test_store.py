"""The archive on a real SQLite file: schema, upserts, versions, FTS that datasette detects, bad files."""

from __future__ import annotations

import asyncio
import dataclasses
import sqlite3
from pathlib import Path

import pytest

from scraper.errors import StoreError
from scraper.models import Article, Link, Page, Quote
from scraper.store import Store, decompress

ARTICLE = Article(
    url="https://news.example/a",
    canonical_url="https://news.example/a",
    title="Iran declares victory",
    body="All of the major powers have declared the defeat.\n\nA second paragraph about victory.",
    authors=("Alex Christoforou",),
    published="2017-11-21T00:00:00+00:00",
    quotes=(Quote("We never imagined that the criminals would do this", "Hassan Rouhani"),),
    links=(Link("https://news.example/inline", "inline"),),
    related_links=(Link("https://news.example/b", "Other story"),),
)


def test_first_save_stores_and_second_changes_nothing(db_path: Path) -> None:
    with Store.open(db_path) as store:
        assert store.save_article(ARTICLE, url=ARTICLE.url) == "stored"
        assert store.save_article(ARTICLE, url=ARTICLE.url) == "unchanged"
        assert [store.count(t) for t in ("articles", "quotes", "links", "article_versions")] == [1, 1, 2, 0]
        kinds = [r[0] for r in store.db.execute("SELECT kind FROM links ORDER BY position")]
        assert kinds == ["inline", "related"]


def test_same_article_under_its_canonical_url_is_not_duplicated(db_path: Path) -> None:
    with Store.open(db_path) as store:
        store.save_article(ARTICLE, url=ARTICLE.url)
        assert store.save_article(ARTICLE, url="https://news.example/a?utm_source=x") == "unchanged"
        assert store.count("articles") == 1


def test_changed_text_keeps_the_old_version(db_path: Path) -> None:
    with Store.open(db_path) as store:
        store.save_article(ARTICLE, url=ARTICLE.url, seen="2024-01-01T00:00:00+00:00")
        changed = dataclasses.replace(ARTICLE, body="A corrected first paragraph.", quotes=())
        assert store.save_article(changed, url=ARTICLE.url, seen="2024-01-02T00:00:00+00:00") == "updated"
        version = store.db["article_versions"].get(1)
        assert version["body"] == ARTICLE.body
        assert version["first_seen"] == "2024-01-01T00:00:00+00:00"
        row = store.db["articles"].get(1)
        assert row["body"] == "A corrected first paragraph."
        assert row["first_seen"] == "2024-01-01T00:00:00+00:00"
        assert row["changed_at"] == "2024-01-02T00:00:00+00:00"
        assert store.count("quotes") == 0
        # the index follows the new text, and a re-check that only moves last_seen keeps it intact
        assert [h.url for h in store.search("corrected")] == [ARTICLE.url]
        assert store.search("paragraph about victory") == []
        assert store.touch(ARTICLE.url, seen="2024-01-03T00:00:00+00:00") == ARTICLE.title
        assert store.db["articles"].get(1)["last_seen"] == "2024-01-03T00:00:00+00:00"
        assert [h.url for h in store.search("corrected")] == [ARTICLE.url]
        # raises "database disk image is malformed" if the index and the articles table disagree
        store.db.conn.execute("INSERT INTO articles_fts(articles_fts, rank) VALUES ('integrity-check', 1)")


def test_full_text_search_ranks_and_highlights(db_path: Path) -> None:
    other = dataclasses.replace(ARTICLE, url="https://news.example/c", canonical_url=None, title="Weather", body="Rain. Some victory.")
    with Store.open(db_path) as store:
        store.save_article(other, url=other.url)
        store.save_article(ARTICLE, url=ARTICLE.url)
        hits = store.search("victory")
        assert [h.url for h in hits] == [ARTICLE.url, other.url]  # a title match ranks first
        assert "[victory]" in hits[0].snippet
        assert store.search('unbalanced "quote') == []  # user syntax never breaks the query


def test_capture_keeps_raw_body_compressed(db_path: Path) -> None:
    page = Page(
        url="http://h/a",
        final_url="http://h/a",
        status=200,
        headers=(("Content-Type", "text/html"), ("ETag", '"v1"')),
        content=b"<html>" + b"x" * 5000,
        fetched_at="2024-01-01T00:00:00+00:00",
        content_type="text/html",
    )
    with Store.open(db_path) as store:
        capture_id = store.add_capture(page)
        assert store.capture_body(capture_id) == page.content
        raw = store.db.execute("SELECT body FROM captures").fetchone()[0]
        assert len(raw) < len(page.content) and decompress(raw) == page.content
        assert store.validators("http://h/a") == ('"v1"', None)


def test_datasette_detects_search_and_foreign_keys(db_path: Path) -> None:
    from datasette.app import Datasette

    with Store.open(db_path) as store:
        store.save_article(ARTICLE, url=ARTICLE.url)

    async def inspect() -> tuple[str | None, list[dict]]:
        ds = Datasette([str(db_path)])
        db = ds.get_database("archive")
        return await db.fts_table("articles"), await db.foreign_keys_for_table("quotes")

    fts, fks = asyncio.run(inspect())
    assert fts == "articles_fts"
    assert fks[0]["other_table"] == "articles"


def test_wal_mode(db_path: Path) -> None:
    Store.open(db_path).close()
    assert sqlite3.connect(db_path).execute("PRAGMA journal_mode").fetchone()[0] == "wal"


def test_missing_directory_is_one_clear_error(tmp_path: Path) -> None:
    with pytest.raises(StoreError, match="does not exist"):
        Store.open(tmp_path / "no" / "such" / "archive.db")


def test_not_a_database(tmp_path: Path) -> None:
    path = tmp_path / "archive.db"
    path.write_bytes(b"this is a text file, not SQLite" * 100)
    with pytest.raises(StoreError, match="not an SQLite database"):
        Store.open(path)
    assert path.read_bytes().startswith(b"this is a text file")  # left untouched


def test_locked_database_fails_cleanly_and_keeps_data(db_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("scraper.store.BUSY_TIMEOUT_MS", 200)
    with Store.open(db_path) as store:
        store.save_article(ARTICLE, url=ARTICLE.url)
    holder = sqlite3.connect(db_path, isolation_level=None)
    holder.execute("BEGIN EXCLUSIVE")
    try:
        with pytest.raises(StoreError, match="locked"), Store.open(db_path) as store:
            store.save_article(dataclasses.replace(ARTICLE, url="https://news.example/z", canonical_url=None), url="https://news.example/z")
    finally:
        holder.execute("ROLLBACK")
        holder.close()
    with Store.open(db_path) as store:
        assert store.count("articles") == 1
        assert store.db["articles"].get(1)["title"] == ARTICLE.title


def test_same_bytes_fetched_again_are_stored_once(db_path: Path) -> None:
    page = Page(
        url="http://h/a", final_url="http://h/a", status=200, headers=(("Content-Type", "text/html"),),
        content=b"<html>same page</html>" * 200, fetched_at="2024-01-01T00:00:00+00:00", content_type="text/html",
    )
    with Store.open(db_path) as store:
        first = store.add_capture(page)
        again = store.add_capture(dataclasses.replace(page, fetched_at="2024-01-02T00:00:00+00:00"))
        changed = store.add_capture(dataclasses.replace(page, content=b"<html>new</html>", fetched_at="2024-01-03T00:00:00+00:00"))
        rows = store.db.execute("SELECT id, revisit_of, body IS NULL FROM captures ORDER BY id").fetchall()
        assert rows == [(first, None, 0), (again, first, 1), (changed, None, 0)]
        assert store.capture_body(again) == page.content
        assert [c["body"] for c in store.iter_captures()] == [page.content, page.content, b"<html>new</html>"]
        assert [c["fetched_at"][:10] for c in store.iter_captures(since="2024-01-02")] == ["2024-01-02", "2024-01-03"]


def test_every_query_maps_sqlite_errors_to_store_error(db_path: Path) -> None:
    with Store.open(db_path) as store:
        store.add_capture(Page("https://news.example/a", "https://news.example/a", 200, (), b"<html></html>", "2024-01-01T00:00:00+00:00"))
        # Another process breaks the archive under us: every read is one StoreError, never a raw sqlite3 error.
        with sqlite3.connect(db_path) as other:
            other.executescript("DROP TABLE captures; DROP TABLE articles_fts; DROP TABLE quotes; DROP TABLE links; "
                                "DROP TABLE article_versions; DROP TABLE articles;")
        calls = [
            lambda: store.has_capture("https://news.example/a", "2024-01-01T00:00:00+00:00", "sha1:X"),
            lambda: list(store.iter_captures()),
            lambda: store.capture_body(1),
            lambda: store.has_article("https://news.example/a"),
            lambda: store.count("articles"),
            lambda: store.article_id("https://news.example/a"),
            lambda: store.versions(["https://news.example/a"]),
            lambda: store.touch("https://news.example/a"),
            lambda: store.save_article(ARTICLE, url=ARTICLE.url or ""),
        ]
        for call in calls:
            with pytest.raises(StoreError, match="no such table"):
                call()
