"""The headline: without the site name, the section, or the marks a docs theme puts on headings.

Sources: the JSON-LD headline, og:title / twitter:title, <title>, and the page's <h1>s. An h1
that a declared title agrees with wins (it is the headline as printed); else the declared
title with the site's name and sections cut off, judged by the separators it is built with.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache
from typing import Any
from urllib.parse import urlsplit

from selectolax.lexbor import LexborHTMLParser, LexborNode

from scraper.extract.metatags import TITLE_KEYS
from scraper.extract.text import normalise

SEPARATORS = re.compile(r"\s+[|\-–—:·•»«/]+\s+|\s+::\s+")
# Heading anchors ("¶", "#", "🔗") that docs themes append are not words of the title.
_ANCHOR_MARKS = re.compile(r"[¶§🔗]|\s#$")
_MAX_H1S = 10
_MAX_H1_CHARS = 400
_MIN_CONTAINED_WORDS = 4  # an h1 this long may be a part of a declared title, not all of it
_MIN_HEADLINE_WORDS = 3  # the longest piece of a split title is the headline if it is this long
_MAX_SECTION_WORDS = 3  # "Headline | Politics | Site": a piece this short beside the site is a section
_MIN_HOST_LABEL = 3
_FOLDS = str.maketrans({"ä": "ae", "ö": "oe", "ü": "ue", "ß": "ss"})


_NON_WORD = re.compile(r"\W+")


@lru_cache(maxsize=4096)
def squash(text: str) -> str:
    """Memoised: a page's titles are squashed whole, in pieces and again once cut (one string
    is often og:title, twitter:title and <title> at once), and fold squashes its pieces again."""
    return _NON_WORD.sub(" ", text).strip().casefold()


@lru_cache(maxsize=4096)
def fold(text: str) -> str:
    """Squashed, with umlauts spelt out and accents dropped, as host names write them
    ("Ökologisch Bauen" -> "oekologisch bauen", the host oekologisch-bauen.info).

    Memoised: a title's pieces are folded again for every site key they are compared with."""
    if text.isascii():  # nothing to spell out, decompose or drop
        return squash(text.casefold().replace("_", " "))
    text = unicodedata.normalize("NFKD", text.casefold().translate(_FOLDS))
    return squash("".join(ch for ch in text if not unicodedata.combining(ch)).replace("_", " "))


def site_keys(site_name: str | None, url: str | None) -> set[str]:
    """What the site is called, folded and without spaces: its declared name, its host, and the
    host's own label ("starwars.fandom.com" -> fandom), so "Page | Wookieepedia | Fandom" shows
    its tail. Subdomains ("advertising.", "blog.") name sections, not the site."""
    keys = {fold(site_name).replace(" ", "")} if site_name else set()
    host = (urlsplit(url or "").hostname or "").removeprefix("www.")
    labels = host.split(".")
    if len(labels) >= 2:
        keys.add(fold(host).replace(" ", ""))
        # "bbc.co.uk": the name is before the second-level domain
        name = labels[-3] if len(labels) >= 3 and len(labels[-2]) <= 3 else labels[-2]
        if len(name) >= _MIN_HOST_LABEL:
            keys.add(fold(name).replace(" ", ""))
    return {k for k in keys if k}


def _is_site(part: str, keys: set[str]) -> bool:
    key = fold(part).replace(" ", "")
    return bool(key) and any(key == k or (len(k) >= 5 and k in key and len(key) <= len(k) + 12) for k in keys)


def choose_title(
    tree: LexborHTMLParser,
    h1_nodes: list[LexborNode],
    meta: dict[str, str],
    art: dict[str, Any],
    site_name: str | None,
    url: str | None = None,
) -> str:
    """The h1 that the metadata agrees with, else the metadata title with its site and section
    cut off, else the first h1."""
    keys = site_keys(site_name, url)
    declared = declared_titles(tree, meta, art)
    h1s = headings(h1_nodes)
    # strip_site is pure and costly: each declared title is cut once, for both uses below, and
    # once for all its copies (og:title, twitter:title and <title> are often one string).
    stripped: list[str] = []
    if h1s:  # with no h1 nothing can agree, and the declared titles are cut only until one holds
        cut = {d: strip_site(d, site_name, keys) for d in dict.fromkeys(declared)}
        stripped = [cut[d] for d in declared]
        agreeing = _agreeing_h1s(h1s, declared, stripped, site_name)
        if agreeing:
            # A logo h1 ("Mäscot das Schaf") can agree with a part of the title too: prefer the others.
            named = [h for h in agreeing if not _mentions_site(h, keys)]
            return strip_site(max(named or agreeing, key=len), site_name, keys, guess=False)
    tried: set[str] = set()  # a copy of a title that cut to nothing cuts to nothing again
    for i, candidate in enumerate(declared):
        if candidate in tried:
            continue
        tried.add(candidate)
        cleaned = stripped[i] if stripped else strip_site(candidate, site_name, keys)
        if cleaned:
            return cleaned
    return h1s[0] if h1s else ""


def _mentions_site(text: str, keys: set[str]) -> bool:
    key = fold(text).replace(" ", "")
    return any(len(k) >= 5 and k in key for k in keys)


def declared_titles(tree: LexborHTMLParser, meta: dict[str, str], art: dict[str, Any]) -> list[str]:
    node = tree.css_first("title")
    values = [art.get("headline"), *(meta.get(k) for k in TITLE_KEYS), node.text() if node is not None else None]
    return [normalise(_ANCHOR_MARKS.sub("", v)) for v in values if isinstance(v, str) and v.strip()]


def headings(h1_nodes: list[LexborNode]) -> list[str]:
    h1s = [normalise(_ANCHOR_MARKS.sub("", n.text())) for n in h1_nodes[:_MAX_H1S]]
    return [h for h in h1s if 0 < len(h) < _MAX_H1_CHARS]


def _agreeing_h1s(h1s: list[str], declared: list[str], stripped: list[str], site_name: str | None) -> list[str]:
    """`stripped`: each of `declared` with its site cut off (strip_site)."""
    squashed = [squash(d) for d in declared] + [squash(s) for s in stripped]
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


def strip_site(title: str, site_name: str | None, keys: set[str] | None = None, guess: bool = True) -> str:
    """'Headline | Site', 'Site: Headline', 'Headline | Section | Site' -> 'Headline'.

    `guess`: with no site named in it, take the longest piece of a split title as the headline
    (right for a <title>, wrong for an h1, whose dashes are the headline's own)."""
    keys = keys if keys is not None else site_keys(site_name, None)
    if site_name:
        # "Site: Headline" (a colon right after the name is not a separator elsewhere)
        head = title[: len(site_name)]
        rest = title[len(site_name) :].lstrip()
        if head.casefold() == site_name.casefold() and rest[:1] in (":", "|") and rest[1:].strip():
            title = rest[1:].strip()
    pieces = SEPARATORS.split(title)
    parts = [p.strip() for p in pieces if p.strip()]
    if len(parts) <= 1:
        return title
    by_structure = _by_structure(title, keys)
    if by_structure:
        return by_structure
    kept = [p for p in parts if not _is_site(p, keys)]
    if kept and len(kept) < len(parts):
        parts = kept
    if len(parts) == 1:
        return parts[0]
    if not guess:
        return title
    # What is left: the headline is the longest piece; sections and site names are short.
    longest = max(parts, key=len)
    if len(longest.split()) >= _MIN_HEADLINE_WORDS:
        return longest
    return title


def _by_structure(title: str, keys: set[str]) -> str | None:
    """The site at one end of the title, split on the separator written next to it: the
    headline is at the other end, and short pieces between are sections ("| Politics |")."""
    matches = list(SEPARATORS.finditer(title))
    if not matches or not keys:
        return None
    for end, sep in (("last", matches[-1].group(0)), ("first", matches[0].group(0))):
        parts = [p.strip() for p in title.split(sep)]
        if len(parts) < 2 or not all(parts):
            continue
        ordered = parts if end == "last" else parts[::-1]
        if not _is_site(ordered[-1], keys):
            continue
        rest = [p for p in ordered[:-1] if not _is_site(p, keys)]
        if not rest:
            return None
        long = [p for p in rest if len(p.split()) > _MAX_SECTION_WORDS]
        if len(long) == 1:
            return long[0]  # "News - Site Update - Leseprobe Band 14 / Kapitel 121 - Love Hina"
        if not long:
            return rest[0]  # "Character | Some Wiki | Fandom": the sections come after the headline
        kept = rest if end == "last" else rest[::-1]
        return sep.join(kept)
    return None
