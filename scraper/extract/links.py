"""Related links: previous/next post, "Related" / "Read more" / "See also" boxes, and the
inline teasers body.py finds. Each is an absolute URL with its text; none is ever body text.

Boxes are read from the untouched tree (clean.py removes them afterwards).
"""

from __future__ import annotations

import re
from functools import lru_cache
from urllib.parse import urldefrag, urljoin, urlsplit

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
    fast = _joined(href, base)
    if fast is not None:
        return fast
    try:
        # urldefrag, like urljoin, raises on a malformed IPv6 host ("https://[::1/x#b").
        return urldefrag(urljoin(base, href) if base else href)[0] or None
    except ValueError:
        return None


# Characters that make urlsplit/urlunsplit give back other text than they were given: removed
# (tab, CR, LF), params (";"), an empty query ("?" with nothing after it) and IPv6 brackets.
_UNSAFE = frozenset("\t\r\n;[]")


@lru_cache(maxsize=64)
def _base_origin(base: str) -> tuple[bool, str | None]:
    """Whether urljoin can parse `base` (it raises ValueError on a bad IPv6 host), and its
    "scheme://host" when it is an http(s) URL with a host. One base serves a whole page."""
    try:
        parts = urlsplit(base)
    except ValueError:
        return False, None
    if parts.scheme in ("http", "https") and parts.netloc:
        return True, f"{parts.scheme}://{parts.netloc}"
    return True, None


def _joined(href: str, base: str | None) -> str | None:
    """What urldefrag(urljoin(base, href))[0] gives, for the two shapes most links have, without
    parsing them; None for any other (urljoin decides). `href` is stripped and non-empty.

    - "/path?query" on an http(s) base: urljoin keeps a root-relative path as it is unless it
      has dot segments ("/." is ruled out, more than needed) and puts the base's origin before it.
    - "http(s)://host/path#fragment": urljoin and urldefrag split it and put it back together
      without the fragment, which gives back the text before "#" when that text has no character
      urlsplit/urlunsplit would change, and an ASCII host without brackets (which urlsplit
      checks and may reject)."""
    if base is None or _UNSAFE.intersection(href):
        return None
    if href[0] == "/":
        if href[1:2] == "/" or "/." in href or "#" in href or href[-1] == "?":
            return None
        _, origin = _base_origin(base)
        return origin + href if origin is not None else None
    if href.startswith(("https://", "http://")):
        before = href.partition("#")[0]
        host = before.partition("://")[2]
        for delimiter in "/?":
            host = host.partition(delimiter)[0]
        if not host or not host.isascii() or before[-1] == "?" or not base or not _base_origin(base)[0]:
            return None
        return before
    return None


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
