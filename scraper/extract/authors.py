"""Author names as names: no "By", no roles ("AP Auto Writer"), dates, @handles, e-mail
addresses, places or link labels ("All posts"), and "Kooman, F." kept as one name.

Sources in order of trust: the JSON-LD article's author, the author meta tags, the byline
markup (bylines.py). A declared author that is only an organisation ("Süddeutsche.de GmbH")
gives way to a person the byline names.
"""

from __future__ import annotations

import html
import re
from collections.abc import Sequence
from typing import Any
from urllib.parse import urlsplit

from selectolax.lexbor import LexborHTMLParser, LexborNode

from scraper.extract.bylines import visible_authors
from scraper.extract.dates import to_iso
from scraper.extract.jsonld import ld_names
from scraper.extract.metatags import AUTHOR_KEYS, WRITTEN_BY
from scraper.extract.text import normalise

_PREFIX = re.compile(
    r"^(?:(?:alle?s?|mehr|more|all|show all|articles?|posts?|beiträge)\s+(?:artikel\s+|posts\s+|stories\s+|articles\s+)?"
    r"(?:von|by|from|de|par|of)"
    r"|(?:promoted|sponsored|written|posted|reported|published|text|words|story|photos?|edited|recipe)\s+by"
    r"|(?:erstellt|verfasst|geschrieben|eingestellt|veröffentlicht|artikel|gepostet)\s+von"
    r"|(?:escrito|publicado|redactado)\s+por|(?:écrit|publié|rédigé)\s+par"
    r"|autor(?:in)?|auteur|author|text|texte|interview|fotos?|über|about"
    r"|by|von|vom|par|por|door|di|av|af|from)\s*[:\-–—]?\s*(?=\S)(?<=[\s:\-–—])",
    re.IGNORECASE,
)
_SUFFIX = re.compile(
    r"(?:\s+(?:am|on|le|el|il|says)|\s*(?:alle artikel|all posts|more posts|alle beiträge))$", re.IGNORECASE
)
# A photo or illustration credit after the author's name is someone else's.
_CREDIT = re.compile(r"\s*\b(?:fotos?|photos?|bilder?|illustrations?|grafik)\s*:.*$", re.IGNORECASE)
# Roles and affiliations written after a name ("Jane Doe, AP Auto Writer", "Jane Doe | Reuters").
_ROLE = re.compile(
    r"\b(?:(?:senior|chief|staff|contributing|special|guest|associate|deputy|managing|executive|auto|sports?|political|"
    r"science|business|tech|travel|food|health|national|foreign|white house|national security)\s+)*"
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
_SPLIT = re.compile(r"\s*(?:,|;|&|\band\b|\bund\b|\bet\b|\by\b|\||/)\s*")
_INITIALS = re.compile(r"^(?:[A-ZÀ-Þ]\.\s*){1,3}$")
_NOT_A_NAME = re.compile(
    r"^(?:alle artikel|alle beiträge|all posts|more posts|admin|administrator|"
    r"editor|editors|guest|anonymous|unknown|uncategori[sz]ed|posted on|posted|"
    r"veröffentlicht am|veröffentlicht|autor(?:in)?|auteur|author|authors|von|by|par|text|texte|interview|"
    r"gesponserte inhalte|multiple sources|ceo|letters to the|letters|home|startseite|profil|profile|"
    r"(?:copyright|©).*)$",
    re.IGNORECASE,
)
# A desk or agency credited as a whole ("Redaktion", "The Associated Press"): the author when a
# field holds only the author, but never read from running text.
_DESK_WORDS = r"(?:redaktion|redacción|rédaction|redazione|redakcja|staff|team|news ?desk|newsroom|associated press)"
# ... alone, or naming its paper ("Redaktion Polizeiticker Schweiz", "TVT-Redaktion", "Staff and news service reports").
_DESK = re.compile(
    rf"^(?:the )?{_DESK_WORDS}(?:\s+[^,;|]{{1,40}})?$|^[^,;|\s]{{2,30}}[ -]{_DESK_WORDS}$",
    re.IGNORECASE,
)
_BARE_DESK = re.compile(rf"^(?:the )?{_DESK_WORDS}$", re.IGNORECASE)
_SPONSOR = re.compile(r"^(?:promoted|sponsored|presented|paid for|gesponsert|anzeige)\b", re.IGNORECASE)
# A publisher, not a person: legal forms, newsroom words, a domain name.
_ORGANISATION = re.compile(
    r"\b(?:gmbh|ag|e\.\s?v\.?|inc|ltd|llc|s\.a\.|verlag|media|news|online|press|presse|zeitung|magazin|magazine|"
    r"redaktion|redacción|rédaction|redazione|redakcja|team|staff|newsroom|blog|stiftung|foundation|associated press|"
    r"afp|dpa|reuters)\b|\w\.(?:com|de|net|org|pl|fr|it|at|ch|co|uk|es)\b",
    re.IGNORECASE,
)
_PLACES = frozenset(
    {
        *("germany", "deutschland", "austria", "österreich", "switzerland", "schweiz", "suisse", "france", "usa", "uk"),
        *("london", "berlin", "munich", "münchen", "paris", "wien", "vienna", "zürich", "zurich", "hamburg"),
        *("frankfurt", "washington", "brussels", "brüssel", "new york", "moscow", "moskau", "madrid", "rome", "rom"),
    }
)
_LABEL_END = frozenset({"von", "by", "par", "de", "am", "of", "por"})  # "Artikel von": a label, its name elsewhere
_QUOTES = "'\"“”‘’«»"
_MAX_WORDS = 5
# "By Jane Doe" in a visible byline line: the word opens the line or follows a date or a
# separator ("Posted on 3 May 2019 by Walter"), never mid-sentence ("Rabatte von Händlern");
# capitalised, it opens a line of its own ("Quelle: dpa-AFX Von David Hutzler").
_BYLINE_NAME = re.compile(
    r"(?:(?:^|[|·•,–—:-]\s*|\d\s+)(?:by|von|par|por)|(?:^|\s)(?:By|Von|Par|Por|BY|VON|PAR|POR))\s+"
    r"((?:[A-ZÀ-ÖØ-Þ][\w.'’-]+)(?:\s+(?:and|und|et|,)?\s*[A-ZÀ-ÖØ-Þ][\w.'’-]+){0,5})"
)
_MAX_BYLINE_LINES = 4
# Compiled once: re.sub() with a pattern string looks it up in re's cache on every call.
_NON_WORD = re.compile(r"\W+")


def find_authors(
    tree: LexborHTMLParser, h1: LexborNode | None, meta: dict[str, str], ld: list[dict[str, Any]], url: str | None
) -> list[str]:
    """Names from JSON-LD, else the author meta tags, else the visible byline markup; a person
    the byline names beats a declared organisation or bare user name."""
    host = _NON_WORD.sub("", urlsplit(url or "").netloc.casefold())
    declared = [n for n in _declared(meta, ld) if not _site_handle(n, host)]
    if declared and not all(_weak(n) for n in declared):
        return _dedupe(declared)
    visible = [n for n in visible_authors(tree, h1, author_names) if not _site_handle(n, host)]
    people = [n for n in visible if not _weak(n)]
    return _dedupe(people or declared or visible)


def _weak(name: str) -> bool:
    return is_organisation(name) or name.islower()


def _site_handle(name: str, host: str) -> bool:
    """A lower-case user name that is the site's own ("mywakenews" on mywakenews.wordpress.com)."""
    return name.islower() and bool(host) and _NON_WORD.sub("", name) in host


def _declared(meta: dict[str, str], ld: list[dict[str, Any]]) -> list[str]:
    for obj in ld:
        names = [n for raw in ld_names(obj.get("author")) for n in author_names(raw, handles=True)]
        if names:
            return names
    values = [meta.get(key) for key in AUTHOR_KEYS]
    if meta.get("twitter:label1", "").casefold() in WRITTEN_BY:
        values.append(meta.get("twitter:data1"))  # Yoast's "Written by" card
    for value in values:
        if value and not value.startswith("http"):
            names = author_names(value, handles=True)
            if names:
                return names
    return []


def _dedupe(names: list[str]) -> list[str]:
    seen: set[str] = set()
    unique = []
    for name in names:
        if name.casefold() not in seen:
            seen.add(name.casefold())
            unique.append(name)
    return unique


def is_organisation(name: str) -> bool:
    return bool(_ORGANISATION.search(name))


def author_names(raw: str, handles: bool = False) -> list[str]:
    """The person names in one author string ("By Jane Doe and John Roe, AP Auto Writers").

    `handles`: the string comes from a field that holds only the author (JSON-LD, a meta tag,
    rel=author), so a lower-case user name ("gizzmo", "giampiero maggio") is the name shown."""
    text = normalise(_NOISE.sub(" ", html.unescape(raw))).strip(_QUOTES + " ")
    if _SPONSOR.match(text):
        return []  # an advertiser, not an author
    if _DESK.match(text):
        if handles:
            return [text]
        if _BARE_DESK.match(text):
            return []  # "Redaktion" in running text: no one in particular
    for _ in range(2):  # "Text: Interview: Jane Doe"
        text = _PREFIX.sub("", text)
    text = _SUFFIX.sub("", _DATE_TAIL.sub("", _CREDIT.sub("", text)))
    parts = [p.strip(_QUOTES + " ") for p in _SPLIT.split(text) if p]
    names: list[str] = []
    for i, part in enumerate(p for p in parts if p):
        if _INITIALS.match(part) and names:
            names[-1] = f"{names[-1]}, {part}"  # "Kooman, F." is one name
            continue
        name = _SUFFIX.sub("", _ROLE.sub("", part)).strip(" ,:-–—|")
        if i > 0 and name != part:
            continue  # "…, AP Auto Writer": a role after the names, with its agency
        if i > 0 and names and name.casefold() in _PLACES:
            continue  # "Jane Doe, London": where she wrote from
        if _plausible(name, handles):
            names.append(name)
    return names


def _plausible(name: str, handles: bool = False) -> bool:
    words = name.split()
    if not words or len(words) > _MAX_WORDS or _NOT_A_NAME.match(name) or name.casefold() in _PLACES:
        return False
    if words[-1].casefold() in _LABEL_END or any(ch.isdigit() for ch in name):
        return False
    if len({w.casefold() for w in words}) < len(words):
        return False  # "N-Land N-Land": a logo's text twice, not a person
    if any(w[:1].isupper() for w in words):
        return True
    # A lower-case user name: one token, not a domain or an abbreviation ("kath.net", "red.").
    return handles and len(words) == 1 and "." not in name


def byline_fallback(
    published: str | None, authors: list[str], lines: list[str], after_headline: Sequence[str] = ()
) -> tuple[str | None, list[str]]:
    """No metadata: what the visible byline lines say ("Posted on 3 May 2019 by Walter"), then
    the short lines after the headline (a byline the body's region left out)."""
    if published is not None and authors:
        return published, authors
    for line in lines[:_MAX_BYLINE_LINES]:
        published = published or to_iso(line)
        authors = authors or _byline_names(line)
    for line in after_headline:
        authors = authors or _byline_names(line)
    return published, authors


def _byline_names(line: str) -> list[str]:
    if line.endswith(","):
        return []  # "von Künstlern, Bands, DJs,": a sentence cut short
    match = _BYLINE_NAME.search(line)
    if match is None or line[match.end() :].lstrip()[:1].islower():
        return []  # "von Verena Stegemann ist nun im Verlag": a sentence about someone, not a byline
    return author_names(match.group(1))
