"""The headline: without the site name, the section, or the marks a docs theme puts on headings.

Sources: the JSON-LD headline, og:title / twitter:title, <title>, and the page's <h1>s. An h1
that a declared title agrees with wins (it is the headline as printed); else the declared
title with the site's name and sections cut off, judged by the separators it is built with.
"""

from __future__ import annotations

import re
from typing import Any

from selectolax.lexbor import LexborHTMLParser

from scraper.extract.metatags import TITLE_KEYS
from scraper.extract.text import normalise

SEPARATORS = re.compile(r"\s+[|\-–—:·•»«/]+\s+|\s+::\s+")
# Heading anchors ("¶", "#", "🔗") that docs themes append are not words of the title.
_ANCHOR_MARKS = re.compile(r"[¶§🔗]|\s#$")
_MAX_H1S = 10
_MAX_H1_CHARS = 400
_MIN_CONTAINED_WORDS = 4  # an h1 this long may be a part of a declared title, not all of it
_MIN_HEADLINE_WORDS = 3  # the longest piece of a split title is the headline if it is this long


def squash(text: str) -> str:
    return re.sub(r"\W+", " ", text).strip().casefold()


def choose_title(tree: LexborHTMLParser, meta: dict[str, str], art: dict[str, Any], site_name: str | None) -> str:
    """The h1 that the metadata agrees with, else the metadata title with its site suffix cut
    off, else the first h1."""
    declared = declared_titles(tree, meta, art)
    h1s = headings(tree)
    agreeing = _agreeing_h1s(h1s, declared, site_name)
    if agreeing:
        return max(agreeing, key=len)
    for candidate in declared:
        cleaned = strip_site(candidate, site_name)
        if cleaned:
            return cleaned
    return h1s[0] if h1s else ""


def declared_titles(tree: LexborHTMLParser, meta: dict[str, str], art: dict[str, Any]) -> list[str]:
    node = tree.css_first("title")
    values = [art.get("headline"), *(meta.get(k) for k in TITLE_KEYS), node.text() if node is not None else None]
    return [normalise(v) for v in values if isinstance(v, str) and v.strip()]


def headings(tree: LexborHTMLParser) -> list[str]:
    h1s = [normalise(_ANCHOR_MARKS.sub("", n.text())) for n in tree.css("h1")[:_MAX_H1S]]
    return [h for h in h1s if 0 < len(h) < _MAX_H1_CHARS]


def _agreeing_h1s(h1s: list[str], declared: list[str], site_name: str | None) -> list[str]:
    squashed = [squash(d) for d in declared] + [squash(strip_site(d, site_name)) for d in declared]
    squashed += [squash(part) for d in declared for part in SEPARATORS.split(d)]
    site_key = squash(site_name or "")
    agreeing = []
    for h1 in h1s:
        key = squash(h1)
        if not key or key == site_key:
            continue  # a logo in an <h1> is not the headline
        # Equal to a declared title, or a long part of one (a logo h1 "Daily Bugle" is
        # contained in "Headline | Daily Bugle" too, hence the length condition).
        if key in squashed or (len(key.split()) >= _MIN_CONTAINED_WORDS and any(key in d for d in squashed)):
            agreeing.append(h1)
    return agreeing


def strip_site(title: str, site_name: str | None) -> str:
    """'Headline | Site' or 'Section - Headline - Site' -> 'Headline'."""
    if site_name:
        # "Site: Headline" (a colon right after the name is not a separator elsewhere)
        head = title[: len(site_name)]
        if head.casefold() == site_name.casefold() and title[len(site_name) : len(site_name) + 1] in (":", "|"):
            rest = title[len(site_name) + 1 :].strip()
            if rest:
                title = rest
    parts = [p for p in SEPARATORS.split(title) if p.strip()]
    if len(parts) <= 1:
        return title
    site = squash(site_name or "")
    if site:
        kept = [p for p in parts if squash(p) != site and site not in squash(p).replace(" ", "")]
        if kept and len(kept) < len(parts):
            parts = kept
    if len(parts) == 1:
        return parts[0].strip()
    # What is left: the headline is the longest piece; sections and site names are short.
    longest = max(parts, key=len)
    if len(longest.split()) >= _MIN_HEADLINE_WORDS:
        return longest.strip()
    return title
