"""Related links: previous/next post, "Related" / "Read more" / "See also" boxes, and the
inline teasers body.py finds. Each is an absolute URL with its text; none is ever body text.

Boxes are read from the untouched tree (clean.py removes them afterwards).
"""

from __future__ import annotations

import re
from urllib.parse import urldefrag, urljoin

from selectolax.lexbor import LexborNode

from scraper.extract.classify import RELATED
from scraper.extract.clean import Named
from scraper.extract.selectors import PREV_NEXT_LABEL, RELATED_HEADING, TEASER_LABEL, UI_LINK
from scraper.extract.text import normalise
from scraper.extract.tree import by_tag
from scraper.models import Link

MIN_WORDS = 3
_WORDS = re.compile(r"[^\W_]{2,}")
_MAX_PER_BOX = 12
_MAX_LINKS = 60
_MAX_CANDIDATES = 400
_PREV_NEXT = 'a[rel~="prev"], a[rel~="next"]'
_HEADINGS = "h2, h3, h4, h5, h6"
_HEADING_TAGS = frozenset(tag.strip() for tag in _HEADINGS.split(","))
_LINKS_AND_HEADINGS = [(_PREV_NEXT, frozenset({"a"})), (_HEADINGS, _HEADING_TAGS)]


def absolute(href: str, base: str | None) -> str | None:
    href = href.strip()
    if not href or href.startswith(("#", "javascript:", "mailto:", "tel:", "data:")):
        return None
    if href.startswith(("https://", "http://")) and "#" not in href:
        return href  # already absolute: skip urljoin, the costliest step here
    try:
        url = urljoin(base, href) if base else href
    except ValueError:
        return None
    return urldefrag(url)[0] or None


def link_text(text: str) -> str:
    """Link text without the UI label in front of it ("Previous post", "Read more:")."""
    text = normalise(text)
    stripped = PREV_NEXT_LABEL.sub("", text, count=1)
    stripped = TEASER_LABEL.sub("", stripped, count=1) if TEASER_LABEL.match(stripped) else stripped
    stripped = stripped.strip().strip("«‹←»›→<>").strip()
    return stripped or text


def _anchors(box: LexborNode, base: str | None, page: str | None) -> list[Link]:
    links: list[Link] = []
    for a in box.css("a[href]")[: _MAX_PER_BOX * 3]:
        text = link_text(a.text())
        if len(text.split()) < MIN_WORDS:
            continue
        url = absolute(a.attributes.get("href") or "", base)
        if url and url != page:
            links.append(Link(url, text))
        if len(links) >= _MAX_PER_BOX:
            break
    return links


def related_boxes(root: LexborNode, named: list[Named], base: str | None) -> list[Link]:
    """Links from prev/next navigation and related-article boxes."""
    page = urldefrag(base)[0] if base else None
    rel_links, headings = by_tag(root, _LINKS_AND_HEADINGS)  # one walk of the tree
    boxes = rel_links[:_MAX_CANDIDATES]
    for node, flags, _ in named:
        if flags & RELATED:
            boxes.append(node)
    for heading in headings[: _MAX_CANDIDATES * 10]:
        text = heading.text(deep=False).strip()
        if text and len(text) < 60 and RELATED_HEADING.match(text):
            box = heading.parent
            if box is not None and box.tag not in ("body", "html") and len(box.css("a[href]")) <= 30:
                boxes.append(box)
    return _unique(
        link for box in boxes for link in (_single(box, base, page) if box.tag == "a" else _anchors(box, base, page))
    )


def _single(anchor: LexborNode, base: str | None, page: str | None) -> list[Link]:
    url = absolute(anchor.attributes.get("href") or "", base)
    text = link_text(anchor.text())
    if url and url != page and len(text.split()) >= MIN_WORDS:
        return [Link(url, text)]
    return []


def is_article_link(text: str) -> bool:
    """Whether a link text reads like an article's title rather than a button."""
    return len(_WORDS.findall(text)) >= MIN_WORDS and not UI_LINK.search(text)


def _unique(links: object) -> list[Link]:
    seen: set[str] = set()
    result: list[Link] = []
    for link in links:  # type: ignore[attr-defined]
        if link.url not in seen and is_article_link(link.text):
            seen.add(link.url)
            result.append(link)
            if len(result) >= _MAX_LINKS:
                break
    return result
