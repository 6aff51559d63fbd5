"""<meta> tags: OpenGraph, Twitter, Dublin Core, Parse.ly and the plain name= ones, read once
into a dict, and the keys each field is read from, in order of trust; and the one walk over
the tree that finds them with the other elements the metadata stages read (marked_nodes)."""

from __future__ import annotations

import re
from dataclasses import dataclass

from selectolax.lexbor import LexborHTMLParser, LexborNode

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


# Lexbor's cost is the walk over the tree, not the matching: one query for all of these costs
# about what one of them did alone. Each part but the dates' names its own tag. The dates' part
# is wider than [itemprop="datePublished"], [itemprop="dateModified"] (one test per element,
# not two); marked_nodes keeps only those two itemprops, and tells the other parts' nodes by
# their own attributes, so the extra elements it lets in change nothing.
_LD_SCRIPT = 'script[type="application/ld+json"]'
_MARKED = f'meta, {_LD_SCRIPT}, h1, a[rel~="tag"], link[rel="canonical"][href], [itemprop^="date"], time[datetime]'
# How CSS splits a word list (rel~=) and compares rel values: ASCII white space, ASCII case.
_CSS_SPACE = re.compile("[ \t\n\f\r]+")
Attributes = dict[str, str | None]


@dataclass(frozen=True, slots=True)
class Marked:
    """The elements the metadata stages read, each list in document order."""

    metas: list[Attributes]  # every <meta>'s attributes
    ld_scripts: list[LexborNode]  # <script type="application/ld+json">
    h1s: list[LexborNode]
    tag_links: list[LexborNode]  # <a rel="tag">
    canonical: LexborNode | None  # the first <link rel="canonical" href>
    dates: list[LexborNode]  # [itemprop=datePublished], [itemprop=dateModified], <time datetime>


def marked_nodes(tree: LexborHTMLParser) -> Marked:
    """One query in place of one per kind. A node that matches several parts of a selector list
    comes back once per part, so each is kept once, at its first place."""
    metas: list[Attributes] = []
    scripts: list[LexborNode] = []
    h1s: list[LexborNode] = []
    tag_links: list[LexborNode] = []
    canonical: LexborNode | None = None
    dates: list[LexborNode] = []
    seen: set[int] = set()
    for node in tree.css(_MARKED):
        if node.mem_id in seen:
            continue
        seen.add(node.mem_id)
        tag = node.tag
        attrs = node.attributes
        if tag == "meta":
            metas.append(attrs)
        elif tag == "script" and ("itemprop" not in attrs or node.css_matches(_LD_SCRIPT)):
            scripts.append(node)  # (a script with an itemprop may be here for the date parts only)
        elif tag == "h1":
            h1s.append(node)
        elif tag == "a" and "tag" in _CSS_SPACE.split((attrs.get("rel") or "").lower()):
            tag_links.append(node)
        elif tag == "link" and canonical is None and (attrs.get("rel") or "").lower() == "canonical" and "href" in attrs:
            canonical = node
        if attrs.get("itemprop") in ("datePublished", "dateModified") or (tag == "time" and "datetime" in attrs):
            dates.append(node)
    return Marked(metas, scripts, h1s, tag_links, canonical, dates)


def read_meta(metas: list[Attributes]) -> dict[str, str]:
    """name/property/itemprop -> content of the first <meta> with that key (lower-cased)."""
    found: dict[str, str] = {}
    for attrs in metas:
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


def meta_all(metas: list[Attributes], key: str) -> list[str]:
    """Every value of a repeatable tag (article:tag), named by property= or name=."""
    return [attrs.get("content") or "" for attrs in metas if attrs.get("property") == key or attrs.get("name") == key]
