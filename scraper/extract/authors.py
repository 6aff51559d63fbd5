"""Author names as names: no "By", no roles ("AP Auto Writer"), dates, @handles or e-mail
addresses, and "Kooman, F." kept as one name."""

from __future__ import annotations

import re
from typing import Any

from selectolax.lexbor import LexborHTMLParser, LexborNode

from scraper.extract.jsonld import ld_names
from scraper.extract.metatags import AUTHOR_KEYS
from scraper.extract.text import normalise

_PREFIX = re.compile(
    r"^(?:(?:alle?s?|mehr|more|all|articles?|posts?)\s+(?:artikel\s+|posts\s+|stories\s+)?(?:von|by|from|de|par)|(?:promoted|sponsored|written|posted|reported|published|text|words|story|photos?|edited|recipe)\s+by|author:|autor:|auteur:|by|von|par|por|door|di|av|af|from)\s*[:\-–—]?\s+",
    re.IGNORECASE,
)
# Roles and affiliations written after a name ("Jane Doe, AP Auto Writer", "Jane Doe | Reuters").
_ROLE = re.compile(
    r"\b(?:(?:senior|chief|staff|contributing|special|guest|associate|deputy|managing|executive|auto|sports?|political|"
    r"science|business|tech|travel|food|health|national|foreign|white house)\s+)*"
    r"(?:writer|reporter|correspondent|editor|journalist|columnist|contributor|producer|photographer|analyst|"
    r"staff|redakteur(?:in)?|redaktion|korrespondent(?:in)?)s?\b.*$",
    re.IGNORECASE,
)
_NOISE = re.compile(r"<[^>]+>|(?<=[A-Za-z])Associated Press\b|@\w+|\S+@\S+\.\w+|https?://\S+|\(.*?\)")
_DATE_TAIL = re.compile(
    r"\s*(?:[|,·•–—-]\s*)?(?:updated|published|posted|on)?\s*(?:\d{1,2}[./-]\d{1,2}[./-]\d{2,4}|\d{4}-\d{2}-\d{2}|"
    r"(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\.?\s+\d{1,2}).*$",
    re.IGNORECASE,
)
_SPLIT = re.compile(r"\s*(?:,|;|&|\band\b|\bund\b|\bet\b|\by\b|\|)\s*")
_INITIALS = re.compile(r"^(?:[A-ZÀ-Þ]\.\s*){1,3}$")
_NOT_A_NAME = re.compile(
    r"^(?:alle artikel|all posts|associated press|the associated press|staff|admin|administrator|editor|editors|redaktion|team|news ?desk|newsroom|guest|anonymous|unknown)$",
    re.IGNORECASE,
)
_SPONSOR = re.compile(r"^(?:promoted|sponsored|presented|paid for)\b", re.IGNORECASE)
_MAX_WORDS = 5


def find_authors(tree: LexborHTMLParser, meta: dict[str, str], ld: list[dict[str, Any]]) -> list[str]:
    """Names from JSON-LD, else the author meta tags, else the visible byline markup."""
    return _dedupe(_declared(meta, ld) or visible_authors(tree))


def _declared(meta: dict[str, str], ld: list[dict[str, Any]]) -> list[str]:
    for obj in ld:
        names = [n for raw in ld_names(obj.get("author")) for n in author_names(raw)]
        if names:
            return names
    for key in AUTHOR_KEYS:
        value = meta.get(key)
        if value and not value.startswith("http"):
            names = author_names(value)
            if names:
                return names
    return []


def _dedupe(names: list[str]) -> list[str]:
    seen: set[str] = set()
    return [n for n in names if not (n.casefold() in seen or seen.add(n.casefold()))]


def author_names(raw: str) -> list[str]:
    """The person names in one author string ("By Jane Doe and John Roe, AP Auto Writers")."""
    text = normalise(_NOISE.sub(" ", raw))
    if _SPONSOR.match(text):
        return []  # an advertiser, not an author
    text = _PREFIX.sub("", text)
    text = _DATE_TAIL.sub("", text)
    parts = [p for p in _SPLIT.split(text) if p]
    names: list[str] = []
    for i, part in enumerate(parts):
        if _INITIALS.match(part) and names:
            names[-1] = f"{names[-1]}, {part}"  # "Kooman, F." is one name
            continue
        name = _ROLE.sub("", part).strip(" ,:-–—|")
        if i > 0 and name != part:
            continue  # "…, AP Auto Writer": a role after the names, with its agency
        if _plausible(name):
            names.append(name)
    return names


def _plausible(name: str) -> bool:
    words = name.split()
    if not words or len(words) > _MAX_WORDS or _NOT_A_NAME.match(name):
        return False
    return any(w[:1].isupper() for w in words) and not any(ch.isdigit() for ch in name)


def _in_comments(node: LexborNode) -> bool:
    """Inside a comment thread or form, where "author" names a commenter (or a field label)."""
    current: LexborNode | None = node
    for _ in range(12):
        if current is None:
            return False
        if current.tag == "form":
            return True
        names = f"{current.attributes.get('class') or ''} {current.attributes.get('id') or ''}".lower()
        if "comment" in names or "respond" in names or "reply" in names:
            return True
        current = current.parent
    return False


def visible_authors(tree: LexborHTMLParser) -> list[str]:
    """Names the page shows in its byline markup, when metadata names none."""
    for selector in (
        '[rel="author"]',
        '[itemprop="author"] [itemprop="name"]',
        '[itemprop="author"]',
        '[class*="author-name"]',
        '[class*="byline"] a',
        '[class*="author"] a[href*="author"]',
        '[class*="byline"]',
        'a[href*="/author/"], a[href*="/autor/"], a[href*="/auteur/"]',
        '[class*="author"]',
    ):
        names: list[str] = []
        for node in tree.css(selector)[:5]:
            text = normalise(node.text())
            if 2 < len(text) < 80 and "*" not in text and not _in_comments(node):
                names.extend(author_names(text))
        if names:
            return names
    return []
