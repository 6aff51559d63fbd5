"""Text scraped from the web, made into HTML that is safe to show: Markdown, paragraphs, links, diffs.

Everything here starts from untrusted text. Markdown is rendered with raw HTML turned off and the
result is sanitised again with nh3 (the Ammonia sanitiser), so a page can never smuggle a tag, an
event handler or a ``javascript:`` link into the archive's pages. Links whose scheme is not
http(s) or mailto are shown as text.
"""

from __future__ import annotations

import difflib
import json
import re
from collections.abc import Iterable
from urllib.parse import urlsplit

import nh3
from markdown_it import MarkdownIt
from markupsafe import Markup, escape

SAFE_SCHEMES = frozenset({"http", "https", "mailto"})
# What an article body may contain once rendered: the blocks body_markdown is made of.
BODY_TAGS = frozenset(
    {"p", "br", "h1", "h2", "h3", "h4", "h5", "h6", "ul", "ol", "li", "blockquote", "a", "em", "strong",
     "code", "pre", "img", "hr", "figure", "figcaption"}
)
BODY_ATTRIBUTES = {"a": {"href", "title"}, "img": {"src", "alt", "title"}, "ol": {"start"}}

_markdown = MarkdownIt("commonmark", {"html": False, "linkify": False, "typographer": False})
_PARAGRAPH_BREAK = re.compile(r"\n\s*\n")
# Tags that are site furniture, not topics: paths ("/article"), URLs, bare punctuation or numbers.
_JUNK_TAG = re.compile(r"^\s*$|^[/#]|://|^[\W\d_]+$")
_TOKENS = re.compile(r"\s+|\w+|[^\w\s]")


def safe_href(url: str | None) -> str | None:
    """``url`` if a browser may follow it from the archive (http, https, mailto), else None."""
    if not url:
        return None
    url = url.strip()
    try:
        scheme = urlsplit(url).scheme.lower()
    except ValueError:
        return None
    return url if scheme in SAFE_SCHEMES else None


def link(url: str | None, text: str | None = None) -> Markup:
    """An <a> to ``url`` showing ``text``, or the text alone (escaped) when the URL is not safe."""
    label = escape(text if text else (url or ""))
    href = safe_href(url)
    if href is None:
        return Markup(f'<span class="unsafe-link">{label}</span>')
    return Markup(f'<a href="{escape(href)}" rel="noopener noreferrer nofollow">{label}</a>')


def sanitise(html: str) -> Markup:
    """HTML cut down to the body's tags and attributes, with unsafe link schemes dropped."""
    cleaned = nh3.clean(
        html,
        tags=set(BODY_TAGS),
        attributes={tag: set(names) for tag, names in BODY_ATTRIBUTES.items()},
        url_schemes=set(SAFE_SCHEMES),
        link_rel="noopener noreferrer nofollow",
    )
    return Markup(cleaned)


def markdown_html(text: str) -> Markup:
    """Markdown (raw HTML off, so tags in it stay text) rendered and then sanitised."""
    return Markup(f'<div class="article-body markdown">{sanitise(_markdown.render(text))}</div>')


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


def body_html(body: str, body_markdown: str | None) -> Markup:
    """The body from its Markdown when the extractor stored one, else from the plain paragraphs."""
    if body_markdown and body_markdown.strip():
        return markdown_html(body_markdown)
    return paragraphs_html(body)


def json_list(value: object) -> list[str]:
    """A JSON list column (authors, tags) as strings; anything else as an empty list."""
    if not isinstance(value, str):
        return []
    try:
        items = json.loads(value)
    except ValueError:
        return []
    return [str(item).strip() for item in items if str(item).strip()] if isinstance(items, list) else []


def topical_tags(tags: Iterable[str]) -> list[str]:
    """The tags worth a chip: no paths like "/article", URLs or punctuation, no repeats."""
    seen: dict[str, str] = {}
    for tag in tags:
        if not _JUNK_TAG.search(tag):
            seen.setdefault(tag.casefold(), tag)
    return list(seen.values())


def word_diff(old: str, new: str) -> Markup:
    """``new`` against ``old`` word by word: removed words in <del>, added ones in <ins>.

    Words and punctuation are tokens apart, so a changed word is marked without the quote mark
    beside it. Whitespace is kept as its own token so paragraphs survive (the diff is shown pre-wrapped), and
    a change of spacing alone is not marked.
    """
    a, b = _TOKENS.findall(old), _TOKENS.findall(new)
    parts: list[str] = []
    matcher = difflib.SequenceMatcher(None, [t if t.strip() else " " for t in a],
                                      [t if t.strip() else " " for t in b], autojunk=False)
    for op, i1, i2, j1, j2 in matcher.get_opcodes():
        if op == "equal":
            parts.append(str(escape("".join(b[j1:j2]))))
            continue
        removed, added = "".join(a[i1:i2]), "".join(b[j1:j2])
        if removed.strip():
            parts.append(f"<del>{escape(removed)}</del>")
        elif removed and not added:
            parts.append(str(escape(removed)))
        if added.strip():
            parts.append(f"<ins>{escape(added)}</ins>")
        elif added:
            parts.append(str(escape(added)))
    return Markup("".join(parts))


def diff_counts(old: str, new: str) -> tuple[int, int]:
    """Words removed and words added from ``old`` to ``new``."""
    a, b = old.split(), new.split()
    removed = added = 0
    for op, i1, i2, j1, j2 in difflib.SequenceMatcher(None, a, b, autojunk=False).get_opcodes():
        if op != "equal":
            removed += i2 - i1
            added += j2 - j1
    return removed, added
