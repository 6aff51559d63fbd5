"""Browsing the archive in datasette: `scrape serve` over an archive `scrape fetch` built from the fixtures.

The server is real (datasette under `scrape serve`, on a loopback port); the assertions go through
its JSON API and HTML pages, the way a browser or a script would see them.
"""

from __future__ import annotations

import asyncio
import re
import socket
import sqlite3
import urllib.parse
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml

from scraper import datasette as browse
from scraper.serve import metadata_for
from tests.conftest import one_line_error
from tests.served_archive import (
    EDIT_FROM,
    EDIT_TO,
    SEED_TITLE,
    Archive,
    Served,
    query,
    serve,
    shared_archive,
)


@pytest.fixture(scope="module")
def archive(tmp_path_factory: pytest.TempPathFactory) -> Archive:
    return shared_archive(tmp_path_factory.getbasetemp())


@pytest.fixture(scope="module")
def served(archive: Archive, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Served]:
    with serve(archive, tmp_path_factory.mktemp("serve-api")) as running:
        yield running


def q(path: str, **params: str) -> str:
    return f"{path}?{urllib.parse.urlencode(params)}" if params else path


def rows(data: dict[str, Any]) -> list[dict[str, Any]]:
    """Rows of a table or query JSON answer as dicts, whatever the shape."""
    found = data["rows"]
    if found and not isinstance(found[0], dict):
        return [dict(zip(data["columns"], row, strict=True)) for row in found]
    return list(found)


# -- the articles table ------------------------------------------------------------


def test_search_box_finds_the_article(served: Served) -> None:
    data = served.get_json(q("/archive/articles.json", _search="Soleimani", _shape="objects"))
    assert [row["title"] for row in data["rows"]] == [SEED_TITLE]
    assert served.get_json(q("/archive/articles.json", _search="zeppelinwords", _shape="objects"))["rows"] == []


# What the archive holds, straight from SQLite: datasette must show the same.
STORED_FACETS = {
    "site_name": "SELECT site_name, count(*) FROM articles WHERE site_name IS NOT NULL GROUP BY 1",
    "language": "SELECT language, count(*) FROM articles WHERE language IS NOT NULL GROUP BY 1",
    "published_month": "SELECT published_month, count(*) FROM articles WHERE published_month IS NOT NULL GROUP BY 1",
    "authors": "SELECT j.value, count(DISTINCT articles.id) FROM articles, json_each(articles.authors) j GROUP BY 1",
}


def test_articles_are_newest_first(served: Served, archive: Archive) -> None:
    data = served.get_json(q("/archive/articles.json", _shape="objects", _size="max"))
    assert "order by published desc" in data["query"]["sql"]
    assert data["filtered_table_rows_count"] == len(archive.urls) >= 10
    published = [row["published"] for row in data["rows"]]
    dated = [p for p in published if p is not None]
    assert published == dated + [None] * (len(published) - len(dated))  # undated ones last
    assert dated == sorted(dated, reverse=True)
    assert len(set(dated)) >= 5


def test_articles_have_the_configured_facets(served: Served, archive: Archive) -> None:
    facets = served.get_json(q("/archive/articles.json", _shape="objects"))["facet_results"]
    assert set(facets) >= set(STORED_FACETS)
    assert facets["authors"]["type"] == "array"
    for name, sql in STORED_FACETS.items():
        shown = {item["value"]: item["count"] for item in facets[name]["results"]}
        assert shown == dict(query(archive, sql)), name
        assert len(shown) >= 3, f"{name}: the fixtures should give this facet several values"
    for name in STORED_FACETS:  # text decoded with each page's own charset, e.g. windows-1251
        assert not any("\ufffd" in str(item["value"]) for item in facets[name]["results"]), name
    seed = {name: {item["value"]: item["count"] for item in facets[name]["results"]} for name in STORED_FACETS}
    assert seed["site_name"]["The Duran"] == 1
    assert seed["authors"]["Adam Garrie"] == 1
    assert seed["published_month"]["2017-11"] >= 1


def test_facet_values_filter_the_table(served: Served, archive: Archive) -> None:
    def titles(**params: str) -> set[str]:
        found = served.get_json(q("/archive/articles.json", _shape="objects", _size="max", **params))["rows"]
        return {row["title"] for row in found}

    def stored(sql: str, *params: str) -> set[str]:
        return {row[0] for row in query(archive, sql, list(params))}

    assert SEED_TITLE in titles(published_month="2017-11")
    assert titles(published_month="1999-01") == set()
    assert titles(authors__arraycontains="Adam Garrie") == {SEED_TITLE}
    for language in ("de", "fr", "en"):
        assert titles(language=language) == stored("SELECT title FROM articles WHERE language = ?", language)
        assert titles(language=language), language


def test_quotes_and_links_show_their_articles_title(served: Served) -> None:
    for table in ("quotes", "links"):
        data = served.get_json(q(f"/archive/{table}.json", _labels="on", _shape="objects"))
        assert data["rows"], table
        assert {row["article_id"]["label"] for row in data["rows"]} >= {SEED_TITLE}, table


def test_row_page_keeps_the_paragraphs(served: Served, archive: Archive) -> None:
    article_id = served.get_json(q("/archive/articles.json", _search="Soleimani", _shape="objects"))["rows"][0]["id"]
    html = served.get_text(f"/archive/articles/{article_id}")
    body = re.search(r'<div class="article-body">(.*?)</div>', html, re.DOTALL)
    assert body, html[:2000]
    paragraphs = re.findall(r"<p>(.*?)</p>", body.group(1), re.DOTALL)
    with sqlite3.connect(archive.db) as conn:
        stored = conn.execute("SELECT body FROM articles WHERE id = ?", [article_id]).fetchone()[0]
    assert len(paragraphs) == len(stored.split("\n\n")) >= 5
    assert paragraphs[-1].startswith(EDIT_TO)  # the current text, not the earlier one
    assert '<table class="rows-and-columns record">' in html  # one field a line
    assert '<h2 class="record-title">CONFIRMED: Iran declares victory over ISIS</h2>' in html
    assert "/scraper-static/browse.css" in html
    css = served.get_text("/scraper-static/browse.css")
    assert ".article-body" in css


def test_index_page_has_the_archive_title_and_description(served: Served) -> None:
    html = served.get_text("/")
    assert re.search(r"<title>Article archive\b", html)
    assert "quotes by speaker" in html


# -- canned queries ------------------------------------------------------------------


def test_search_query_ranks_and_marks_the_words(served: Served) -> None:
    data = served.get_json(q("/archive/search.json", q="Soleimani victory"))
    assert data["ok"], data.get("error")
    hits = rows(data)
    assert hits[0]["title"] == SEED_TITLE
    assert f"{browse.MARK_OPEN}Soleimani{browse.MARK_CLOSE}" in hits[0]["snippet"]
    relevance = [hit["relevance"] for hit in hits]
    assert relevance == sorted(relevance, reverse=True)


def test_search_query_takes_words_not_fts_syntax(served: Served) -> None:
    for text in ('"unbalanced', "don't -Iran", "", "   ", "AND OR NOT"):
        data = served.get_json(q("/archive/search.json", q=text))
        assert data["ok"], (text, data.get("error"))
    assert rows(served.get_json(q("/archive/search.json", q=""))) == []


def test_search_query_page_highlights_matches(served: Served) -> None:
    html = served.get_text(q("/archive/search", q="Soleimani"))
    assert "<mark>Soleimani</mark>" in html
    assert re.search(r'<a href="/archive/articles/\d+">CONFIRMED: Iran declares victory over ISIS</a>', html)


def test_latest_query_lists_newest_archived_first(served: Served, archive: Archive) -> None:
    latest = rows(served.get_json("/archive/latest.json"))
    assert len(latest) == len(archive.urls)
    assert SEED_TITLE in [row["title"] for row in latest]
    first_seen = [row["first_seen"] for row in latest]
    assert first_seen == sorted(first_seen, reverse=True)


def test_quotes_by_speaker_query(served: Served) -> None:
    found = rows(served.get_json(q("/archive/quotes_by_speaker.json", speaker="rouhani")))
    assert [(row["speaker"], row["title"]) for row in found] == [("Hassan Rouhani", SEED_TITLE)]
    assert found[0]["quote"].startswith("We never imagined that the criminals")
    assert rows(served.get_json(q("/archive/quotes_by_speaker.json", speaker="Nobody Atall"))) == []
    everyone = rows(served.get_json(q("/archive/quotes_by_speaker.json", speaker="")))
    assert "Hassan Rouhani" in {row["speaker"] for row in everyone}
    assert all(row["speaker"] for row in everyone)


def test_article_history_query_shows_both_versions(served: Served, archive: Archive) -> None:
    history = rows(served.get_json(q("/archive/article_history.json", article=archive.seed_url)))
    assert [row["version"] for row in history] == ["current", "earlier"]
    current, earlier = history
    assert current["content_hash"] != earlier["content_hash"]
    assert current["first_seen"] >= earlier["first_seen"]
    assert earlier["replaced_at"] == current["first_seen"]
    by_id = rows(served.get_json(q("/archive/article_history.json", article=str(current["article_id"]))))
    assert by_id == history
    with sqlite3.connect(archive.db) as conn:
        old_body = conn.execute("SELECT body FROM article_versions").fetchone()[0]
    assert EDIT_FROM in old_body and EDIT_TO not in old_body


# -- the configuration itself --------------------------------------------------------


def shipped_metadata() -> dict[str, Any]:
    return yaml.safe_load(browse.METADATA.read_text(encoding="utf-8"))


def test_every_table_and_column_is_described(archive: Archive) -> None:
    tables = shipped_metadata()["databases"]["archive"]["tables"]
    with sqlite3.connect(archive.db) as conn:
        names = [
            row[0]
            for row in conn.execute(
                "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'articles_fts%'"
            )
        ]
        for table in names:
            assert tables.get(table, {}).get("description"), f"metadata.yml: no description for table {table}"
            described = tables[table].get("columns", {})
            columns = [row[1] for row in conn.execute(f"PRAGMA table_xinfo([{table}])")]
            missing = [c for c in columns if c != "id" and c not in described]
            assert not missing, f"metadata.yml: {table} columns without a description: {missing}"


def test_canned_queries_are_the_four_asked_for() -> None:
    queries = shipped_metadata()["databases"]["archive"]["queries"]
    assert set(queries) == {"search", "latest", "quotes_by_speaker", "article_history"}
    assert all(query.get("title") and query.get("description") for query in queries.values())


def test_search_query_uses_the_plugins_marks() -> None:
    sql = shipped_metadata()["databases"]["archive"]["queries"]["search"]["sql"]
    assert f"'{browse.MARK_OPEN}', '{browse.MARK_CLOSE}'" in sql


def test_metadata_follows_the_database_name() -> None:
    metadata = metadata_for("news-2024")
    assert list(metadata["databases"]) == ["news-2024"]
    assert "/news-2024/search" in metadata["description_html"]
    assert "/archive/" not in metadata["description_html"]
    assert list(metadata_for("archive")["databases"]) == ["archive"]


def test_plain_datasette_still_finds_search_and_facets(archive: Archive) -> None:
    """`datasette archive.db` with no configuration: search from the FTS table, facets from the schema."""
    from datasette.app import Datasette

    async def fetch() -> tuple[dict[str, Any], dict[str, Any]]:
        ds = Datasette([str(archive.db)])
        searched = (await ds.client.get("/archive/articles.json?_search=Soleimani&_shape=objects")).json()
        faceted = (await ds.client.get("/archive/articles.json?_facet=published_month&_facet_array=authors")).json()
        return searched, faceted

    searched, faceted = asyncio.run(fetch())
    assert [row["title"] for row in searched["rows"]] == [SEED_TITLE]
    for name in ("published_month", "authors"):
        shown = {item["value"]: item["count"] for item in faceted["facet_results"][name]["results"]}
        assert shown == dict(query(archive, STORED_FACETS[name])), name


# -- `scrape serve` failures -----------------------------------------------------------


def test_serve_without_an_archive_is_one_line(scrape, tmp_path: Path) -> None:
    result = scrape("serve", "--db", str(tmp_path / "missing.db"))
    assert result.exit_code == 1
    assert (
        one_line_error(result.stderr)
        == f"error: {tmp_path / 'missing.db'}: no archive here yet (run `scrape fetch URL` first)"
    )


def test_serve_on_a_database_that_is_no_archive(scrape, tmp_path: Path) -> None:
    other = tmp_path / "other.db"
    with sqlite3.connect(other) as conn:
        conn.execute("CREATE TABLE t (x)")
    result = scrape("serve", "--db", str(other))
    assert result.exit_code == 1
    assert "not a scraper archive" in one_line_error(result.stderr)


def test_serve_on_a_busy_port_is_one_line(scrape, archive: Archive) -> None:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        sock.listen(1)
        port = sock.getsockname()[1]
        result = scrape("serve", "--db", str(archive.db), "--port", str(port))
    assert result.exit_code == 1
    assert (
        one_line_error(result.stderr)
        == f"error: port {port} is already in use on 127.0.0.1 (choose another with --port)"
    )


# -- the render plugin ------------------------------------------------------------------


def load_plugin() -> Any:
    import importlib.util

    path = browse.PLUGINS / "scraper_render.py"
    spec = importlib.util.spec_from_file_location("scraper_render_under_test", path)
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_body_paragraphs_are_escaped_html() -> None:
    plugin = load_plugin()
    html = str(plugin.paragraphs_html("First <script>alert(1)</script> & more.\n\nSecond line one\nline two.\n\n\n"))
    assert html == (
        '<div class="article-body"><p>First &lt;script&gt;alert(1)&lt;/script&gt; &amp; more.</p>'
        "<p>Second line one<br>line two.</p></div>"
    )
    # No blank lines at all: each line is a paragraph.
    assert str(plugin.paragraphs_html("one\ntwo")) == '<div class="article-body"><p>one</p><p>two</p></div>'


def test_snippet_marks_become_mark_tags_and_nothing_else() -> None:
    plugin = load_plugin()
    o, c = browse.MARK_OPEN, browse.MARK_CLOSE
    assert str(plugin.marked_html(f"a {o}<b>{c} c")) == '<span class="snippet">a <mark>&lt;b&gt;</mark> c</span>'
    # An unpaired mark never leaves an open tag.
    assert str(plugin.marked_html(f"a {o}b c")) == '<span class="snippet">a b c</span>'
