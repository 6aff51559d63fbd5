"""datasette plugin (loaded by ``scrape serve`` through --plugins-dir): the archive made for reading.

- ``render_cell``: authors as links to their articles, tags as chips, captures as links to the
  archived page, search snippets with <mark>, titles and speakers linked to their pages.
- ``extra_template_vars``: the home page's counts and chart, and the article's reading view.
- ``register_routes``: diffs between versions, one version, the archived page (scraper/datasette/routes.py).
- ``register_output_renderer``: ``.atom`` feeds of queries with atom_* columns (scraper/datasette/atom.py).

Every piece of text is escaped or sanitised before it is shown (scraper/datasette/render.py).
"""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from datasette import hookimpl  # type: ignore[import-untyped]
from markupsafe import Markup, escape

from scraper.datasette import MARK_CLOSE, MARK_OPEN, atom, pages, render, routes

BODY_TABLES = frozenset({"articles", "article_versions"})
# Labels for canned-query parameters, so a form asks for "Words", not ":q".
PARAMETER_LABELS = {
    "q": "Words",
    "site": "Site",
    "speaker": "Speaker contains",
    "name": "Speaker",
    "article": "Article URL or id",
}


def paragraphs_html(text: str) -> Markup:
    return render.paragraphs_html(text)


def marked_html(snippet: str) -> Markup:
    """The snippet escaped, with each ⟦match⟧ as <mark>match</mark>."""
    html = str(escape(snippet)).replace(MARK_OPEN, "<mark>").replace(MARK_CLOSE, "</mark>")
    # An unpaired delimiter (one cut off by the snippet) must not leave an open tag.
    if html.count("<mark>") != html.count("</mark>"):
        html = str(escape(snippet.replace(MARK_OPEN, "").replace(MARK_CLOSE, "")))
    return Markup(f'<span class="snippet">{html}</span>')


def _keys(row: Any) -> list[str]:
    return list(row.keys()) if hasattr(row, "keys") else []


def articles_by(datasette: Any, database: str, column: str, value: str) -> str:
    return datasette.urls.table(database, "articles") + "?" + urlencode({f"{column}__arraycontains": value})


def speaker_url(datasette: Any, database: str, speaker: str) -> str:
    return datasette.urls.database(database) + "/speaker?" + urlencode({"name": speaker})


def authors_html(datasette: Any, database: str, authors: list[str]) -> Markup:
    links = [
        f'<a class="author" href="{escape(articles_by(datasette, database, "authors", name))}">{escape(name)}</a>'
        for name in authors
    ]
    # An empty Markup is falsy, and datasette would then show the raw "[]": an empty span is not.
    return Markup(", ".join(links) or '<span class="none"></span>')


def tags_html(datasette: Any, database: str, tags: list[str]) -> Markup:
    chips = [
        f'<a class="chip" href="{escape(articles_by(datasette, database, "tags", tag))}">{escape(tag)}</a>'
        for tag in render.topical_tags(tags)
    ]
    return Markup(f'<span class="chips">{"".join(chips)}</span>')


def _link(href: str, text: str) -> Markup:
    return Markup(f'<a href="{escape(href)}">{escape(text)}</a>')


@hookimpl
def render_cell(row: Any, value: Any, column: str, table: str | None, database: str, datasette: Any) -> Markup | None:
    keys = _keys(row)
    if table == "captures" and column == "body":
        base = datasette.urls.database(database) + f"/captures/{row['id']}"
        return Markup(f'{_link(base + "/page", "archived page")} · {_link(base + "/raw?download=1", "raw bytes")}')
    if table == "articles" and column == "capture_id" and value is not None:
        return _link(datasette.urls.database(database) + f"/captures/{value}/page", f"archived page ({value})")
    if not isinstance(value, str):
        return None
    if table in BODY_TABLES and column == "body":
        return render.paragraphs_html(value)
    if table == "articles" and column == "authors":
        return authors_html(datasette, database, render.json_list(value))
    if table == "articles" and column == "tags":
        return tags_html(datasette, database, render.json_list(value))
    if table is None and column == "snippet":
        return marked_html(value)
    if table is None and column == "title" and "article_id" in keys and row["article_id"] is not None:
        return _link(datasette.urls.row(database, "articles", str(row["article_id"])), value)
    if table is None and column == "speaker" and value:
        return _link(speaker_url(datasette, database, value), value)
    if table is None and column == "url":
        return render.link(value)
    return None


@hookimpl
def extra_template_vars(template: str, database: str | None, table: str | None, view_name: str, request: Any,
                        datasette: Any) -> Any:
    async def inner() -> dict[str, Any]:
        extra: dict[str, Any] = {"parameter_labels": PARAMETER_LABELS, "archive_title": datasette.metadata("title") or "Archive"}
        if database is None or request is None:
            return extra
        db = datasette.get_database(database)
        if view_name == "database":
            extra["home"] = await pages.home(db)
        elif view_name == "row" and table == "articles":
            pks = request.url_vars.get("pks", "")
            if pks.isdigit():
                found = await pages.article(db, int(pks))
                if found is not None:
                    extra["reading"] = reading_view(datasette, database, found)
        return extra

    return inner


def reading_view(datasette: Any, database: str, found: dict[str, Any]) -> dict[str, Any]:
    """What the article template shows, every value already escaped or sanitised."""
    row = found["row"]
    site = row.get("site_name")
    return {
        **found,
        "title": row["title"],
        "authors": authors_html(datasette, database, render.json_list(row.get("authors"))),
        "tags": tags_html(datasette, database, render.json_list(row.get("tags"))),
        "has_tags": bool(render.topical_tags(render.json_list(row.get("tags")))),
        "site": _link(datasette.urls.table(database, "articles") + "?" + urlencode({"site_name": site}), site)
        if site
        else None,
        "original": render.link(row.get("canonical_url") or row["url"]),
        "body": render.body_html(row["body"], row.get("body_markdown")),
        "quotes": [
            {"text": q["text"], "speaker": _link(speaker_url(datasette, database, q["speaker"]), q["speaker"])
             if q["speaker"] else None}
            for q in found["quotes"]
        ],
        "links": [{"kind": link["kind"], "html": render.link(link["url"], link["text"])} for link in found["links"]],
        "base": datasette.urls.database(database),
    }


@hookimpl
def register_routes(datasette: Any) -> list[tuple[str, Any]]:
    return routes.ROUTES


@hookimpl
def register_output_renderer(datasette: Any) -> dict[str, Any]:
    return {"extension": "atom", "render": atom.render, "can_render": atom.can_render}
