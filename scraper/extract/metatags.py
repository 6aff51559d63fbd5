"""<meta> tags: OpenGraph, Twitter, Dublin Core, Parse.ly and the plain name= ones, read once
into a dict, and the keys each field is read from, in order of trust."""

from __future__ import annotations

from selectolax.lexbor import LexborHTMLParser

PUBLISHED_KEYS = (
    "article:published_time",
    "og:published_time",
    "datepublished",
    "date",
    "pubdate",
    "publishdate",
    "publish-date",
    "dc.date",
    "dc.date.issued",
    "dcterms.created",
    "sailthru.date",
    "parsely-pub-date",
    "cxenseparse:recs:publishtime",
)
MODIFIED_KEYS = ("article:modified_time", "og:updated_time", "datemodified", "last-modified", "dcterms.modified")
AUTHOR_KEYS = ("author", "article:author", "dc.creator", "dcterms.creator", "parsely-author", "sailthru.author", "byl")
# twitter:label1 values that make twitter:data1 the author (Yoast writes them in the site's language).
WRITTEN_BY = frozenset({"written by", "geschrieben von", "verfasst von", "écrit par", "escrito por", "scritto da"})
DESCRIPTION_KEYS = ("og:description", "description", "twitter:description")
IMAGE_KEYS = ("og:image", "og:image:url", "twitter:image")
TITLE_KEYS = ("og:title", "twitter:title")
_KEY_ATTRS = ("property", "name", "itemprop", "http-equiv")


def read_meta(tree: LexborHTMLParser) -> dict[str, str]:
    """name/property/itemprop -> content of the first <meta> with that key (lower-cased)."""
    found: dict[str, str] = {}
    for node in tree.css("meta[content]"):
        attrs = node.attributes
        content = attrs.get("content")
        if not content or not content.strip():
            continue
        for key_attr in _KEY_ATTRS:
            key = attrs.get(key_attr)
            if key:
                found.setdefault(key.strip().lower(), content.strip())
    return found


def first(meta: dict[str, str], keys: tuple[str, ...]) -> str | None:
    return next((meta[k] for k in keys if meta.get(k)), None)


def meta_all(tree: LexborHTMLParser, key: str) -> list[str]:
    """Every value of a repeatable tag (article:tag)."""
    return [n.attributes.get("content") or "" for n in tree.css(f'meta[property="{key}"], meta[name="{key}"]')]
