"""datasette plugin (loaded by ``scrape serve`` through --plugins-dir): cells made for reading.

- ``body`` of articles and article_versions: plain text with blank lines between paragraphs,
  rendered as <p> paragraphs so the row page reads like the article.
- ``snippet`` in query results: the ⟦ ⟧ marks of the `search` query become <mark>.
- ``title`` in query results, beside an ``article_id``: a link to the article's row page.

Every piece of text is HTML-escaped before any markup is added: bodies are scraped from the web.
datasette-render-markdown would treat plain text as Markdown (a line starting "1." or "#" would
change meaning), so this small hook does only what the archive needs.
"""

from __future__ import annotations

import re
from typing import Any

from datasette import hookimpl
from markupsafe import Markup, escape

from scraper.datasette import MARK_CLOSE, MARK_OPEN

BODY_TABLES = frozenset({"articles", "article_versions"})
_PARAGRAPH_BREAK = re.compile(r"\n\s*\n")


def paragraphs_html(text: str) -> Markup:
    """Blank-line separated paragraphs as <p>; a single newline inside one becomes <br>."""
    parts = [part.strip() for part in _PARAGRAPH_BREAK.split(text.replace("\r\n", "\n"))]
    if len(parts) == 1 and "\n" in parts[0]:
        # No blank lines at all: treat each line as a paragraph.
        parts = [line.strip() for line in parts[0].split("\n")]
    html = "".join(
        "<p>" + "<br>".join(str(escape(line)) for line in part.split("\n")) + "</p>" for part in parts if part
    )
    return Markup(f'<div class="article-body">{html}</div>')


def marked_html(snippet: str) -> Markup:
    """The snippet escaped, with each ⟦match⟧ as <mark>match</mark>."""
    html = str(escape(snippet)).replace(MARK_OPEN, "<mark>").replace(MARK_CLOSE, "</mark>")
    # An unpaired delimiter (one cut off by the snippet) must not leave an open tag.
    if html.count("<mark>") != html.count("</mark>"):
        html = str(escape(snippet.replace(MARK_OPEN, "").replace(MARK_CLOSE, "")))
    return Markup(f'<span class="snippet">{html}</span>')


def _keys(row: Any) -> list[str]:
    return list(row.keys()) if hasattr(row, "keys") else []


@hookimpl
def render_cell(row: Any, value: Any, column: str, table: str | None, database: str, datasette: Any) -> Markup | None:
    if not isinstance(value, str):
        return None
    if table in BODY_TABLES and column == "body":
        return paragraphs_html(value)
    if table is None and column == "snippet":
        return marked_html(value)
    if table is None and column == "title" and "article_id" in _keys(row) and row["article_id"] is not None:
        href = datasette.urls.row(database, "articles", str(row["article_id"]))
        return Markup(f'<a href="{escape(href)}">{escape(value)}</a>')
    return None
