"""<meta> tags: OpenGraph, Twitter, Dublin Core, Parse.ly and the plain name= ones, read once
into a dict, and the keys each field is read from, in order of trust; and the one walk over
the tree that finds them with the other elements the metadata stages read (marked_nodes)."""

from __future__ import annotations

from collections.abc import Iterator
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


# Lexbor's cost is the walk, and each part's test of every element: one query for all of these
# is cheaper than one per kind. Each part names its own tag, so no node comes back twice.
# The dates' elements are another walk, asked only when the JSON-LD and meta tags give no date
# (on fewer than half the pages): an attribute test of every element costs as much as the walk.
_LD_SCRIPT = 'script[type="application/ld+json"]'
_MARKED = f'meta, {_LD_SCRIPT}, h1, a[rel~="tag"], link[rel="canonical"][href]'
# Wider than [itemprop="datePublished"], [itemprop="dateModified"] (one test per element, not
# two): DateNodes keeps only those two itemprops.
_DATES = '[itemprop^="date"], time[datetime]'
Attributes = dict[str, str | None]


class DateNodes:
    """[itemprop=datePublished], [itemprop=dateModified] and <time datetime>, in document order,
    found when first read (most pages never read them)."""

    __slots__ = ("_nodes", "_tree")

    def __init__(self, tree: LexborHTMLParser) -> None:
        self._tree = tree
        self._nodes: list[LexborNode] | None = None

    def __iter__(self) -> Iterator[LexborNode]:
        if self._nodes is None:
            nodes: list[LexborNode] = []
            seen: set[int] = set()  # (a <time datetime itemprop="date…"> comes back once per part)
            for node in self._tree.css(_DATES):
                if node.mem_id in seen:
                    continue
                seen.add(node.mem_id)
                attrs = node.attributes
                if attrs.get("itemprop") in ("datePublished", "dateModified") or (
                    node.tag == "time" and "datetime" in attrs
                ):
                    nodes.append(node)
            self._nodes = nodes
        return iter(self._nodes)


@dataclass(frozen=True, slots=True)
class Marked:
    """The elements the metadata stages read, each in document order."""

    metas: list[Attributes]  # every <meta>'s attributes
    ld_scripts: list[LexborNode]  # <script type="application/ld+json">
    h1s: list[LexborNode]
    tag_links: list[LexborNode]  # <a rel="tag">
    canonical: LexborNode | None  # the first <link rel="canonical" href>
    dates: DateNodes  # [itemprop=datePublished], [itemprop=dateModified], <time datetime>


def marked_nodes(tree: LexborHTMLParser) -> Marked:
    """One query in place of one per kind."""
    metas: list[Attributes] = []
    scripts: list[LexborNode] = []
    h1s: list[LexborNode] = []
    tag_links: list[LexborNode] = []
    canonical: LexborNode | None = None
    for node in tree.css(_MARKED):
        tag = node.tag
        if tag == "meta":
            metas.append(node.attributes)
        elif tag == "script":
            scripts.append(node)
        elif tag == "h1":
            h1s.append(node)
        elif tag == "a":
            tag_links.append(node)
        elif tag == "link" and canonical is None:
            canonical = node
    return Marked(metas, scripts, h1s, tag_links, canonical, DateNodes(tree))


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
