"""Browsing the archive in datasette: `scrape serve` over an archive `scrape fetch` built from the fixtures.

The server is real (datasette under `scrape serve`, on a loopback port); the assertions go through
its JSON API and HTML pages, the way a browser or a script would see them.
"""

from __future__ import annotations

import asyncio
import re
import socket
import sqlite3
import urllib.error
import urllib.parse
import urllib.request
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
    HOSTILE_HTML,
    HOSTILE_TITLE,
    MARK,
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
    assert data["filtered_table_rows_count"] == archive.articles >= 10
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


def test_article_page_renders_the_body_from_its_markdown(served: Served, archive: Archive) -> None:
    article_id = served.get_json(q("/archive/articles.json", _search="Soleimani", _shape="objects"))["rows"][0]["id"]
    html = served.get_text(f"/archive/articles/{article_id}")
    body = re.search(r'<div class="article-body markdown">(.*?)</div>', html, re.DOTALL)
    assert body, html[:2000]
    paragraphs = re.findall(r"<p>(.*?)</p>", body.group(1), re.DOTALL)
    stored = query(archive, "SELECT body, body_markdown FROM articles WHERE id = ?", [article_id])[0]
    assert stored[1], "the extractor stored no Markdown for the seed article"
    assert len(paragraphs) >= 5
    assert paragraphs[-1].startswith(EDIT_TO)  # the current text, not an earlier one
    # An in-sentence link of the Markdown is a link in the page.
    assert re.search(r'<a href="https?://[^"]+" rel="noopener noreferrer nofollow">United States</a>', body.group(1))
    assert '<h1 class="headline">CONFIRMED: Iran declares victory over ISIS</h1>' in html
    assert "/scraper-static/browse.css" in html
    css = served.get_text("/scraper-static/browse.css")
    assert ".article-body" in css


def test_article_page_without_markdown_shows_paragraphs_of_the_body(tmp_path: Path, archive: Archive) -> None:
    """An archive written before body_markdown existed (the column null) still reads as paragraphs."""
    copy = tmp_path / "archive.db"
    with sqlite3.connect(archive.db) as source, sqlite3.connect(copy) as target:
        source.backup(target)
    with sqlite3.connect(copy) as conn:
        conn.execute("UPDATE articles SET body_markdown = NULL")
    from datasette.app import Datasette

    from scraper.datasette import PLUGINS, TEMPLATES

    async def fetch() -> str:
        ds = Datasette([str(copy)], plugins_dir=str(PLUGINS), template_dir=str(TEMPLATES), metadata=metadata_for("archive"))
        article_id = (await ds.client.get("/archive/articles.json?_search=Soleimani&_shape=objects")).json()["rows"][0]["id"]
        return (await ds.client.get(f"/archive/articles/{article_id}")).text

    html = asyncio.run(fetch())
    body = re.search(r'<div class="article-body">(.*?)</div>', html, re.DOTALL)
    assert body, html[:2000]
    stored = query(archive, "SELECT body FROM articles WHERE title = ?", [SEED_TITLE])[0][0]
    assert len(re.findall(r"<p>", body.group(1))) == len(stored.split("\n\n"))
    assert query(archive, "SELECT count(*) FROM articles WHERE body_markdown IS NULL")[0][0] == 0


def test_index_page_has_the_archive_title_and_description(served: Served) -> None:
    html = served.get_text("/")
    assert re.search(r"<title>Article archive\b", html)
    assert "quotes by speaker" in html


def test_home_page_counts_what_is_stored(served: Served, archive: Archive) -> None:
    html = served.get_text("/archive")
    stored = {
        "articles": query(archive, "SELECT count(*) FROM articles")[0][0],
        "sites": query(archive, "SELECT count(DISTINCT site_name) FROM articles")[0][0],
        "versions": query(archive, "SELECT (SELECT count(*) FROM articles) + (SELECT count(*) FROM article_versions)")[0][0],
        "quotes": query(archive, "SELECT count(*) FROM quotes")[0][0],
    }
    for name, count in stored.items():
        assert re.search(rf"<strong>{count}</strong> {name}", html), name
    assert '<svg class="chart"' in html
    assert 'type="application/atom+xml"' in html


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
    assert len(latest) == archive.articles
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


def test_article_history_query_shows_all_three_versions(served: Served, archive: Archive) -> None:
    history = rows(served.get_json(q("/archive/article_history.json", article=archive.seed_url)))
    assert [row["version"] for row in history] == ["current", "earlier", "earlier"]
    current, second, first = history
    assert len({current["content_hash"], second["content_hash"], first["content_hash"]}) == 3
    assert current["first_seen"] >= second["first_seen"] >= first["first_seen"]
    assert second["replaced_at"] == current["first_seen"]
    by_id = rows(served.get_json(q("/archive/article_history.json", article=str(current["article_id"]))))
    assert by_id == history
    first_body = query(archive, "SELECT body FROM article_versions ORDER BY id LIMIT 1")[0][0]
    assert EDIT_FROM in first_body and EDIT_TO not in first_body


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


def test_canned_queries_each_have_a_title_and_description() -> None:
    queries = shipped_metadata()["databases"]["archive"]["queries"]
    assert set(queries) == {
        "search", "latest", "quotes_by_speaker", "article_history", "speakers", "speaker", "feed", "changes_feed"
    }
    assert all(query.get("title") and query.get("description") for query in queries.values())


def test_search_query_uses_the_plugins_marks() -> None:
    sql = shipped_metadata()["databases"]["archive"]["queries"]["search"]["sql"]
    assert f"'{browse.MARK_OPEN}', '{browse.MARK_CLOSE}'" in sql


def test_metadata_follows_the_database_name() -> None:
    metadata = metadata_for("news-2024")
    assert list(metadata["databases"]) == ["news-2024"]
    assert "/news-2024/search" in metadata["description_html"]
    assert "/archive/" not in metadata["description_html"]
    feeds = metadata["databases"]["news-2024"]["queries"]
    assert "'/news-2024/articles/'" in feeds["feed"]["sql"] and "'/archive/" not in feeds["changes_feed"]["sql"]
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


# -- what changed, the archived page, speakers, feeds ----------------------------------


def seed_id(archive: Archive) -> int:
    return int(query(archive, "SELECT id FROM articles WHERE title = ?", [SEED_TITLE])[0][0])


def test_what_changed_between_any_two_versions(served: Served, archive: Archive) -> None:
    seed = seed_id(archive)

    def diff(query_string: str) -> str:
        return served.get_text(f"/archive/articles/{seed}/changes{query_string}").split('class="diff diff-body"')[1]

    html = diff("?from=1&to=2")
    assert re.findall(r"<ins>(.*?)</ins>", html) == ["Earlier today"]
    assert re.findall(r"<del>(.*?)</del>", html) == ["Today"]
    latest = diff("")  # the last change by default
    assert re.findall(r"<ins>(.*?)</ins>", latest) == ["historic and decisive"]
    backwards = diff("?from=3&to=1")
    assert "Earlier today" in "".join(re.findall(r"<del>(.*?)</del>", backwards))
    for bad in ("?from=0&to=2", "?from=1&to=9", "?from=x"):
        with pytest.raises(urllib.error.HTTPError) as caught:
            served.get_text(f"/archive/articles/{seed}/changes{bad}")
        assert caught.value.code == 404, bad
    first = served.get_text(f"/archive/articles/{seed}/versions/1")
    assert EDIT_FROM in first and EDIT_TO not in first


def test_archived_page_is_served_sandboxed(served: Served, archive: Archive) -> None:
    capture = query(archive, "SELECT capture_id FROM articles WHERE title = ?", [HOSTILE_TITLE])[0][0]
    with urllib.request.urlopen(served.url(f"/archive/captures/{capture}/raw"), timeout=10) as response:
        raw = response.read()
        policy = response.headers["Content-Security-Policy"]
        assert response.headers["Content-Type"].startswith("text/html")
    assert policy.split(";")[0].strip() == "sandbox" and "allow-scripts" not in policy
    assert raw == HOSTILE_HTML.encode("utf-8")  # the bytes as fetched, not rewritten
    with urllib.request.urlopen(served.url(f"/archive/captures/{capture}/raw?download=1"), timeout=10) as response:
        assert response.headers["Content-Disposition"].startswith("attachment")
        assert response.read() == raw
    page = served.get_text(f"/archive/captures/{capture}/page")
    assert re.search(r'<iframe class="capture-frame" sandbox="" ', page)
    assert MARK not in page and "tries every trick" not in page  # the capture is only in the frame


def test_a_revisit_shows_the_earlier_captures_bytes(served: Served, archive: Archive) -> None:
    # build_archive fetched the hostile page twice, unchanged: the second capture is a revisit.
    capture, earlier = query(
        archive, "SELECT id, revisit_of FROM captures WHERE revisit_of IS NOT NULL AND url = ?", [archive.hostile_url]
    )[0]
    assert served.get_text(f"/archive/captures/{capture}/raw") == served.get_text(f"/archive/captures/{earlier}/raw")
    assert f"/captures/{earlier}/page" in served.get_text(f"/archive/captures/{capture}/page")


def test_speakers_and_a_speakers_quotes(served: Served, archive: Archive) -> None:
    speakers = {row["speaker"]: row["quotes"] for row in rows(served.get_json("/archive/speakers.json"))}
    stored = dict(query(archive, "SELECT speaker, count(*) FROM quotes WHERE speaker != '' GROUP BY speaker"))
    assert speakers == stored and "Hassan Rouhani" in speakers
    quotes = rows(served.get_json(q("/archive/speaker.json", name="Hassan Rouhani")))
    assert [(row["title"], row["published"][:7]) for row in quotes] == [(SEED_TITLE, "2017-11")]
    html = served.get_text("/archive/speakers")
    assert '<a href="/archive/speaker?name=Hassan+Rouhani">Hassan Rouhani</a>' in html
    assert re.search(r"<title>Speakers · Article archive</title>", html)
    assert "SQL" not in html.split('<section class="content">')[1]


def feed(served: Served, path: str) -> Any:
    import feedparser

    with urllib.request.urlopen(served.url(path), timeout=10) as response:
        assert response.headers["Content-Type"].startswith("application/atom+xml")
        parsed = feedparser.parse(response.read())
    assert not parsed.bozo, parsed.get("bozo_exception")
    assert parsed.version == "atom10"
    return parsed


def test_feeds_parse_as_atom(served: Served, archive: Archive) -> None:
    latest = feed(served, "/archive/feed.atom")
    assert len(latest.entries) == archive.articles
    assert latest.entries[0].link.startswith(served.base + "/archive/articles/")
    searched = feed(served, "/archive/feed.atom?q=Soleimani")
    assert [entry.title for entry in searched.entries] == [SEED_TITLE]
    one_site = feed(served, "/archive/feed.atom?" + urllib.parse.urlencode({"site": "The Duran"}))
    assert [entry.title for entry in one_site.entries] == [SEED_TITLE]
    changes = feed(served, "/archive/changes_feed.atom?q=Soleimani")
    assert [entry.title for entry in changes.entries] == [f"Changed: {SEED_TITLE}"] * 2
    assert changes.entries[0].link.endswith("/changes?from=2&to=3")
    assert feed(served, "/archive/changes_feed.atom?q=zeppelinwords").entries == []  # empty, still a feed
    assert feed(served, "/archive/changes_feed.atom?q=Ciara").entries == []


def test_no_page_carries_the_hostile_markup(served: Served, archive: Archive) -> None:
    hostile = int(query(archive, "SELECT id FROM articles WHERE title = ?", [HOSTILE_TITLE])[0][0])
    for path in ("/archive", "/archive/articles", f"/archive/articles/{hostile}", "/archive/latest",
                 "/archive/search?q=trick", "/archive/feed.atom", f"/archive/articles/{hostile}/versions/1"):
        html = served.get_text(path).split('<section class="content">')[-1]
        assert "<script>document" not in html and "<script>" + MARK not in html, path
        assert not re.search(r"<[^>]+\son(error|load|mouseover)=", html), path
        assert not re.search(r"href=\"\s*(javascript|data):", html, re.IGNORECASE), path


# -- `scrape serve` on a read-only archive ---------------------------------------------


def test_serve_on_a_read_only_file_serves_it_immutable(archive: Archive, tmp_path: Path) -> None:
    copy = tmp_path / "ro" / "archive.db"
    copy.parent.mkdir()
    with sqlite3.connect(archive.db) as source, sqlite3.connect(copy) as target:
        source.backup(target)
    copy.chmod(0o444)
    read_only_archive = Archive(copy, archive.seed_url, archive.urls, archive.hostile_url, archive.crawled)
    with serve(read_only_archive, tmp_path / "serve") as running:
        databases = running.get_json("/-/databases.json")
        assert [(db["name"], db["is_mutable"]) for db in databases] == [("archive", False)]
        assert f"<strong>{archive.articles}</strong> articles" in running.get_text("/archive")
    assert sorted(p.name for p in copy.parent.iterdir()) == ["archive.db"]  # no -wal or -shm written


def test_serve_in_a_read_only_directory_serves_it_immutable(archive: Archive, tmp_path: Path) -> None:
    folder = tmp_path / "ro"
    folder.mkdir()
    copy = folder / "archive.db"
    with sqlite3.connect(archive.db) as source, sqlite3.connect(copy) as target:
        source.backup(target)
    folder.chmod(0o555)
    try:
        read_only_archive = Archive(copy, archive.seed_url, archive.urls, archive.hostile_url, archive.crawled)
        with serve(read_only_archive, tmp_path / "serve") as running:
            assert [db["is_mutable"] for db in running.get_json("/-/databases.json")] == [False]
            assert SEED_TITLE in running.get_text(f"/archive/articles/{seed_id(archive)}")
    finally:
        folder.chmod(0o755)


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


# -- rendering what came from the web ---------------------------------------------------


def test_markdown_is_rendered_without_raw_html_or_unsafe_links() -> None:
    from scraper.datasette import render

    html = str(render.markdown_html(
        "## Sub-heading\n\n- one\n- two\n\n> quoted\n\n"
        "<script>alert(1)</script> <img src=x onerror=alert(2)>\n\n"
        "[js](javascript:alert(3)) [data](data:text/html,hi) [web](https://example.org/a) "
        "![a chart](https://example.org/c.png)"
    ))
    assert "<h2>Sub-heading</h2>" in html and "<li>one</li>" in html and "<blockquote>" in html
    assert "<script>" not in html and "onerror" not in html.replace("onerror=alert(2)&gt;", "")
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert 'href="javascript:' not in html and 'href="data:' not in html
    assert "[js](javascript:alert(3))" in html  # shown as text
    assert '<a href="https://example.org/a" rel="noopener noreferrer nofollow">web</a>' in html
    assert '<img src="https://example.org/c.png" alt="a chart">' in html


def test_links_are_links_only_for_safe_schemes() -> None:
    from scraper.datasette import render

    assert str(render.link("https://example.org/?a=1&b=<2>", "x")) == (
        '<a href="https://example.org/?a=1&amp;b=&lt;2&gt;" rel="noopener noreferrer nofollow">x</a>'
    )
    for bad in ("javascript:alert(1)", " JavaScript:alert(1)", "data:text/html,x", "vbscript:x", "file:///etc/passwd"):
        assert str(render.link(bad, "<b>")) == '<span class="unsafe-link">&lt;b&gt;</span>', bad


def test_tags_drop_paths_urls_and_punctuation() -> None:
    from scraper.datasette import render

    tags = ["Iran", "/article", "https://x.org/t", "#", "123", "iran", "Climate change", " "]
    assert render.topical_tags(tags) == ["Iran", "Climate change"]


def test_word_diff_marks_words_and_escapes_them() -> None:
    from scraper.datasette import render

    diff = str(render.word_diff("a <b> great day.\n\nsecond", "a <b> historic, decisive day.\n\nsecond"))
    assert diff == "a &lt;b&gt; <del>great</del><ins>historic, decisive</ins> day.\n\nsecond"
    assert render.diff_counts("a great day", "a historic, decisive day") == (1, 2)
