"""`scrape history`: versions and diffs, looked up by any address of the article."""

from __future__ import annotations

from pathlib import Path

from scraper.history import diff, render, versions
from scraper.models import Article
from scraper.store import Store

from .conftest import one_line_error


def archive_with_three_versions(db: Path) -> None:
    with Store.open(db) as store:
        url = "https://news.example/story"
        store.save_article(Article(url, "Story", "First line.\nSecond line."), url=url, seen="2024-01-01T00:00:00+00:00")
        store.save_article(Article(url, "Story", "First line.\nSecond line, corrected."), url=url,
                           seen="2024-01-02T00:00:00+00:00")
        store.save_article(Article(url, "Story (updated)", "First line.\nSecond line, corrected.\nThird line."),
                           url=url, seen="2024-01-03T00:00:00+00:00")


def test_versions_oldest_first_with_their_times(tmp_path: Path) -> None:
    db = tmp_path / "a.db"
    archive_with_three_versions(db)
    with Store.open(db) as store:
        url, items = versions(store, "HTTPS://NEWS.example/story?utm_source=x#top")
    assert url == "https://news.example/story"
    assert [(v.number, v.first_seen[:10], v.current) for v in items] == [
        (1, "2024-01-01", False), (2, "2024-01-02", False), (3, "2024-01-03", True)]
    assert items[0].last_seen.startswith("2024-01-01")
    text = diff(items[1], items[2])
    assert "-Story\n+Story (updated)" in text
    assert "+Third line." in text and "-Second line, corrected." not in text
    assert "3 versions:" in render(url, items)


def test_history_cli(tmp_path: Path, scrape) -> None:
    db = tmp_path / "a.db"
    archive_with_three_versions(db)
    result = scrape("history", "https://news.example/story", "--db", str(db))
    assert result.exit_code == 0
    assert "-Second line.\n+Second line, corrected." in result.stdout
    listed = scrape("history", "https://news.example/story", "--db", str(db), "--no-diff")
    assert "@@" not in listed.stdout and "v3" in listed.stdout
    as_json = scrape("history", "https://news.example/story", "--db", str(db), "--json")
    assert '"number": 3' in as_json.stdout
    missing = scrape("history", "https://news.example/other", "--db", str(db))
    assert missing.exit_code == 1
    assert one_line_error(missing.stderr) == f"error: https://news.example/other: no article with this URL in {db}"
