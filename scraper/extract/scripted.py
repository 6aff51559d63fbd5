"""Text that lives only in the page's data, for a page whose markup holds none: pages
rendered by script carry their text as JSON in a data attribute (`data-react-props`,
`data-props`), a `<script type="application/json">` or JSON-LD (HowTo steps, articleBody).

Only a second opinion, asked when the markup gave an empty body: the strings that hold
HTML paragraphs are read as paragraphs, else the long prose strings, in document order.
"""

from __future__ import annotations

import json
from typing import Any

from selectolax.lexbor import LexborHTMLParser

from scraper.extract.options import DEFAULT, Options
from scraper.extract.text import normalise

_DATA_SCRIPTS = 'script[type="application/ld+json"], script[type="application/json"]'
_PARAGRAPHS = "p, li, h2, h3, h4, blockquote"


def scripted_paragraphs(html: str, options: Options = DEFAULT) -> list[str]:
    """The paragraphs of the longest text found in the page's JSON data (empty if none)."""
    tree = LexborHTMLParser(html)
    documents: list[str] = [node.text() for node in tree.css(_DATA_SCRIPTS)[: options.scripted_max_sources]]
    for node in tree.css("body [data-react-props], body [data-props], body [data-page]")[: options.scripted_max_sources]:
        attrs = node.attributes
        documents.append(attrs.get("data-react-props") or attrs.get("data-props") or attrs.get("data-page") or "")
    marked: list[str] = []
    prose: list[str] = []
    for document in documents:
        if len(document) < options.scripted_min_chars:
            continue
        try:
            data = json.loads(document)
        except ValueError:
            continue
        for value in _strings(data, 0):
            if "<p" in value or "<br" in value:
                marked.extend(_html_paragraphs(value))
            elif len(value) >= options.scripted_min_chars and " " in value and not value.startswith(("http", "{")):
                prose.append(normalise(value))
    paragraphs = marked if sum(map(len, marked)) >= options.scripted_min_chars else prose
    seen: set[str] = set()
    unique = []
    for paragraph in paragraphs:
        if paragraph and paragraph not in seen:
            seen.add(paragraph)
            unique.append(paragraph)
    return unique


def _strings(data: Any, depth: int) -> list[str]:
    if depth > 40:
        return []
    if isinstance(data, str):
        return [data]
    if isinstance(data, dict):
        # JSON-LD's articleBody is the metadata's own fallback, with its paragraphs kept.
        return [s for key, value in data.items() if key != "articleBody" for s in _strings(value, depth + 1)]
    if isinstance(data, list):
        return [s for value in data for s in _strings(value, depth + 1)]
    return []


def _html_paragraphs(fragment: str) -> list[str]:
    tree = LexborHTMLParser(fragment.replace("<br>", "\n\n").replace("<br/>", "\n\n"))
    nodes = tree.css(_PARAGRAPHS)
    texts = [normalise(node.text()) for node in nodes] if nodes else [normalise(tree.text())]
    return [t for t in texts if t]
