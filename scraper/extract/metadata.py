"""Title, authors, dates, language, site, canonical URL, tags, image and description.

Sources in order of trust: JSON-LD (jsonld.py), OpenGraph / Twitter / other meta tags
(metatags.py), microdata and <time>, and finally the visible page (h1, <title>, bylines).
Each field is one named stage: titles.py, authors.py, page_dates.py, site.py, and the small
ones below.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from selectolax.lexbor import LexborHTMLParser

from scraper.extract import jsonld, page_dates, site
from scraper.extract.authors import find_authors
from scraper.extract.bylines import lines_after_headline
from scraper.extract.metatags import DESCRIPTION_KEYS, IMAGE_KEYS, Marked, first, marked_nodes, meta_all, read_meta
from scraper.extract.text import normalise
from scraper.extract.titles import choose_title

_MAX_TAGS = 50
_MAX_TAG_LINKS = 30


@dataclass(slots=True)
class Metadata:
    title: str = ""
    authors: list[str] = field(default_factory=list)
    published: str | None = None
    modified: str | None = None
    language: str | None = None
    site_name: str | None = None
    description: str | None = None
    tags: list[str] = field(default_factory=list)
    image: str | None = None
    canonical_url: str | None = None
    ld_body: str = ""  # JSON-LD articleBody, tags stripped: a fallback when the page's own text is missing
    # The short lines after the headline, read before cleaning, for a byline when nothing named the author.
    headline_lines: list[str] = field(default_factory=list)


def extract_metadata(tree: LexborHTMLParser, url: str | None) -> Metadata:
    marked = marked_nodes(tree)
    meta = read_meta(marked.metas)
    ld = jsonld.read_jsonld(marked.ld_scripts)
    art = ld[0] if ld else {}
    declared_site = site.site_label(meta.get("og:site_name") or jsonld.publisher(ld) or meta.get("application-name"))
    canonical = site.canonical_url(marked.canonical, meta, url)
    h1 = marked.h1s[0] if marked.h1s else None
    authors = find_authors(tree, h1, meta, ld, url)
    return Metadata(
        title=choose_title(tree, marked.h1s, meta, art, declared_site, canonical or url),
        authors=authors,
        published=page_dates.published(marked.dates, meta, art),
        modified=page_dates.modified(marked.dates, meta, art),
        language=site.page_language(tree, meta, art),
        # A site that does not name itself is known by its host, as trafilatura does: records stay
        # groupable by site. The canonical address says whose article it is better than a mirror's.
        site_name=declared_site or site.site_label(canonical or url),
        description=_description(meta, art),
        tags=_tags(marked, meta, art),
        image=site.absolute(first(meta, IMAGE_KEYS) or jsonld.first_str(art.get("image")), url),
        canonical_url=canonical,
        ld_body=jsonld.article_body(ld),
        headline_lines=[] if authors else lines_after_headline(h1),
    )


def _description(meta: dict[str, str], art: dict[str, Any]) -> str | None:
    ld_description = art.get("description") if isinstance(art.get("description"), str) else None
    return normalise(first(meta, DESCRIPTION_KEYS) or ld_description or "") or None


def _tags(marked: Marked, meta: dict[str, str], art: dict[str, Any]) -> list[str]:
    """article:tag, else the JSON-LD keywords, else the keyword metas, else the visible rel=tag links."""
    tags = meta_all(marked.metas, "article:tag")
    keywords = art.get("keywords")
    if not tags and isinstance(keywords, str):
        tags = keywords.split(",")
    elif not tags and isinstance(keywords, list):
        tags = [k for k in keywords if isinstance(k, str)]
    for key in ("news_keywords", "keywords"):
        if not tags and meta.get(key):
            tags = meta[key].split(",")
    if not tags:
        tags = [n.text() for n in marked.tag_links[:_MAX_TAG_LINKS]]
    seen: set[str] = set()
    unique = []
    for tag in (normalise(t) for t in tags):
        if tag and tag.casefold() not in seen:
            seen.add(tag.casefold())
            unique.append(tag)
    return unique[:_MAX_TAGS]
