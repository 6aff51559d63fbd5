"""Title, authors, dates, language, site, canonical URL, tags, image and description.

Sources in order of trust: JSON-LD (NewsArticle and friends), OpenGraph / Twitter / other
meta tags, microdata, <time>, and finally the visible page (h1, <title>, rel=author).
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urljoin, urlsplit

from selectolax.lexbor import LexborHTMLParser, LexborNode

from scraper.extract.authors import author_names, visible_authors
from scraper.extract.dates import to_iso
from scraper.extract.text import normalise

ARTICLE_TYPES = frozenset(
    {
        "article",
        "newsarticle",
        "reportagenewsarticle",
        "analysisnewsarticle",
        "opinionnewsarticle",
        "backgroundnewsarticle",
        "reviewnewsarticle",
        "blogposting",
        "socialmediaposting",
        "liveblogposting",
        "report",
        "scholarlyarticle",
        "techarticle",
        "webpage",
        "medicalwebpage",
        "creativework",
        "posting",
    }
)
_MAX_JSONLD_CHARS = 500_000
_TITLE_SEPARATORS = re.compile(r"\s+[|\-–—:·•»«/]+\s+|\s+::\s+")


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


def read_meta(tree: LexborHTMLParser) -> dict[str, str]:
    """name/property/itemprop -> content of the first <meta> with that key (lower-cased)."""
    found: dict[str, str] = {}
    for node in tree.css("meta[content]"):
        attrs = node.attributes
        content = attrs.get("content")
        if not content or not content.strip():
            continue
        for key_attr in ("property", "name", "itemprop", "http-equiv"):
            key = attrs.get(key_attr)
            if key:
                found.setdefault(key.strip().lower(), content.strip())
    return found


def read_jsonld(tree: LexborHTMLParser) -> list[dict[str, Any]]:
    """Every JSON-LD object of an article-like type, outermost first."""
    objects: list[dict[str, Any]] = []
    for node in tree.css('script[type="application/ld+json"]'):
        raw = node.text(deep=True) or ""
        if not raw.strip() or len(raw) > _MAX_JSONLD_CHARS:
            continue
        try:
            data = json.loads(raw.strip().rstrip(";"))
        except (ValueError, RecursionError):
            continue
        for obj in _walk(data):
            types = obj.get("@type")
            names = types if isinstance(types, list) else [types]
            if any(isinstance(t, str) and t.lower() in ARTICLE_TYPES for t in names):
                objects.append(obj)
    # Real articles before the page wrappers that merely contain them.
    objects.sort(key=lambda o: _type_rank(o.get("@type")))
    return objects


def _type_rank(types: Any) -> int:
    names = types if isinstance(types, list) else [types]
    lowered = {t.lower() for t in names if isinstance(t, str)}
    if lowered & {"webpage", "medicalwebpage", "creativework"} and not lowered & (ARTICLE_TYPES - {"webpage"}):
        return 1
    return 0


def _walk(data: Any) -> Iterator[dict[str, Any]]:
    """Depth-first over nested JSON without recursion (pages nest @graph arbitrarily deep)."""
    stack = [data]
    seen = 0
    while stack and seen < 5000:
        item = stack.pop()
        seen += 1
        if isinstance(item, dict):
            yield item
            stack.extend(reversed([v for v in item.values() if isinstance(v, (dict, list))]))
        elif isinstance(item, list):
            stack.extend(reversed(item))


def _names(value: Any) -> list[str]:
    """Person names from a JSON-LD author value (str, dict, or list of either)."""
    items = value if isinstance(value, list) else [value]
    names: list[str] = []
    for item in items[:20]:
        name = item.get("name") if isinstance(item, dict) else item
        if isinstance(name, list):
            name = name[0] if name else None
        if isinstance(name, str):
            clean = normalise(name)
            if clean and not clean.startswith("http") and len(clean) < 100:
                names.append(clean)
    return names


def _first_str(value: Any) -> str | None:
    if isinstance(value, list):
        value = value[0] if value else None
    if isinstance(value, dict):
        value = value.get("url") or value.get("@id") or value.get("name")
    return normalise(value) if isinstance(value, str) and value.strip() else None


def _dedupe(values: list[str]) -> list[str]:
    seen: set[str] = set()
    result = []
    for value in values:
        key = value.casefold()
        if key not in seen:
            seen.add(key)
            result.append(value)
    return result


def _authors(tree: LexborHTMLParser, meta: dict[str, str], ld: list[dict[str, Any]]) -> list[str]:
    """Names from JSON-LD, else the author meta tags, else the visible byline markup."""
    for obj in ld:
        names = [n for raw in _names(obj.get("author")) for n in author_names(raw)]
        if names:
            return names
    for key in ("author", "article:author", "dc.creator", "parsely-author", "sailthru.author", "byl"):
        value = meta.get(key)
        if value and not value.startswith("http"):
            names = author_names(value)
            if names:
                return names
    return visible_authors(tree)


def extract_metadata(tree: LexborHTMLParser, url: str | None) -> Metadata:
    meta = read_meta(tree)
    ld = read_jsonld(tree)
    art = ld[0] if ld else {}
    md = Metadata()

    md.site_name = site_label(meta.get("og:site_name") or _publisher(ld) or meta.get("application-name"))
    md.title = choose_title(tree, meta, art, md.site_name)

    md.authors = _dedupe(_authors(tree, meta, ld))

    md.published = _date(
        [art.get("datePublished"), art.get("dateCreated")]
        + [
            meta.get(k)
            for k in (
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
        ]
        + [_time_element(tree, "datePublished")]
    )
    md.modified = _date(
        [art.get("dateModified")]
        + [
            meta.get(k)
            for k in ("article:modified_time", "og:updated_time", "datemodified", "last-modified", "dcterms.modified")
        ]
        + [_time_element(tree, "dateModified")]
    )

    html = tree.css_first("html")
    lang = (html.attributes.get("lang") if html else None) or meta.get("content-language") or meta.get("og:locale")
    if not lang and isinstance(art.get("inLanguage"), str):
        lang = art["inLanguage"]
    md.language = language_code(lang)

    ld_description = art.get("description") if isinstance(art.get("description"), str) else None
    md.description = (
        normalise(
            meta.get("og:description")
            or meta.get("description")
            or meta.get("twitter:description")
            or ld_description
            or ""
        )
        or None
    )

    tags = [v for k, v in _meta_all(tree, "article:tag")]
    keywords = art.get("keywords")
    if not tags and isinstance(keywords, str):
        tags = keywords.split(",")
    elif not tags and isinstance(keywords, list):
        tags = [k for k in keywords if isinstance(k, str)]
    if not tags and meta.get("news_keywords"):
        tags = meta["news_keywords"].split(",")
    if not tags and meta.get("keywords"):
        tags = meta["keywords"].split(",")
    if not tags:
        tags = [n.text() for n in tree.css('a[rel~="tag"]')[:30]]  # the visible tag list
    md.tags = _dedupe([normalise(t) for t in tags if normalise(t)])[:50]

    image = (
        meta.get("og:image") or meta.get("og:image:url") or meta.get("twitter:image") or _first_str(art.get("image"))
    )
    md.image = _absolute(image, url)

    for obj in ld:
        raw_body = obj.get("articleBody")
        if isinstance(raw_body, str) and raw_body.strip():
            md.ld_body = _plain_paragraphs(raw_body)
            break

    canonical = tree.css_first('link[rel="canonical"][href]')
    href = canonical.attributes.get("href") if canonical else None
    md.canonical_url = _absolute(href or meta.get("og:url"), url)
    # A site that does not name itself is known by its host, as trafilatura does: records stay
    # groupable by site. The canonical address says whose article it is better than a mirror's.
    md.site_name = md.site_name or site_label(md.canonical_url or url)
    return md


def _plain_paragraphs(raw: str) -> str:
    """articleBody as paragraphs: some sites put HTML in it, most plain text with newlines."""
    raw = raw[:_MAX_JSONLD_CHARS]
    if "<" in raw and ">" in raw:
        fragment = LexborHTMLParser(raw)
        blocks = [normalise(n.text()) for n in fragment.css("p, h2, h3, h4, li, blockquote")]
        text = "\n\n".join(b for b in blocks if b)
        if text:
            return text
        raw = fragment.text(separator="\n")
    return "\n\n".join(p for p in (normalise(line) for line in raw.splitlines()) if p)


def _publisher(ld: list[dict[str, Any]]) -> str | None:
    for obj in ld:
        publisher = obj.get("publisher")
        names = _names(publisher) if publisher else []
        if names:
            return names[0]
    return None


def _meta_all(tree: LexborHTMLParser, key: str) -> list[tuple[str, str]]:
    return [(key, n.attributes.get("content") or "") for n in tree.css(f'meta[property="{key}"], meta[name="{key}"]')]


def site_label(name: str | None) -> str | None:
    """The site's name as people read it: some sites put their URL in og:site_name."""
    if not name or not name.strip():
        return None
    name = name.strip()
    if name.lower().startswith(("http://", "https://", "//")):
        host = urlsplit(name if not name.startswith("//") else "https:" + name).hostname or ""
        return host.removeprefix("www.") or None
    return name


def language_code(tag: str | None) -> str | None:
    """The ISO 639 code of a language tag: "en" from "en-US", "en_GB" or "EN"; None for junk.

    The region says where, not what language: keeping it would split one language into many
    values (en, en-US, en-GB) wherever records are grouped or filtered by language.
    """
    primary = (tag or "").strip().replace("_", "-").partition("-")[0].lower()
    return primary if 2 <= len(primary) <= 3 and primary.isascii() and primary.isalpha() else None


def _time_element(tree: LexborHTMLParser, itemprop: str) -> str | None:
    node = tree.css_first(f'[itemprop="{itemprop}"]')
    if node is not None:
        return node.attributes.get("content") or node.attributes.get("datetime") or normalise(node.text())
    if itemprop == "datePublished":
        node = tree.css_first("time[datetime]")
        if node is not None:
            return node.attributes.get("datetime")
    return None


def _date(candidates: list[Any]) -> str | None:
    for value in candidates:
        iso = to_iso(value)
        if iso:
            return iso
    return None


def _absolute(href: str | None, base: str | None) -> str | None:
    if not href or not href.strip():
        return None
    href = href.strip()
    if base:
        try:
            return urljoin(base, href)
        except ValueError:
            return href
    return href


def _squash(text: str) -> str:
    return re.sub(r"\W+", " ", text).strip().casefold()


_ANCHOR_MARKS = re.compile(r"[¶§🔗]|\s#$")


def choose_title(tree: LexborHTMLParser, meta: dict[str, str], art: dict[str, Any], site_name: str | None) -> str:
    """The headline, without site name or section: the h1 that the metadata agrees with,
    else the metadata title with its site suffix cut off, else the first h1."""
    declared = [
        normalise(v)
        for v in (art.get("headline"), meta.get("og:title"), meta.get("twitter:title"), _doc_title(tree))
        if isinstance(v, str) and v.strip()
    ]
    # Heading anchors ("¶", "#", "🔗") that docs themes append are not words of the title.
    h1s = [normalise(_ANCHOR_MARKS.sub("", n.text())) for n in tree.css("h1")[:10]]
    h1s = [h for h in h1s if 0 < len(h) < 400]
    squashed = [_squash(d) for d in declared] + [_squash(strip_site(d, site_name)) for d in declared]
    squashed += [_squash(part) for d in declared for part in _TITLE_SEPARATORS.split(d)]
    site_key = _squash(site_name or "")
    agreeing = []
    for h1 in h1s:
        key = _squash(h1)
        if not key or key == site_key:
            continue  # a logo in an <h1> is not the headline
        # Equal to a declared title, or a long part of one (a logo h1 "Daily Bugle" is
        # contained in "Headline | Daily Bugle" too, hence the length condition).
        if key in squashed or (len(key.split()) >= 4 and any(key in d for d in squashed)):
            agreeing.append(h1)
    if agreeing:
        return max(agreeing, key=len)
    for candidate in declared:
        cleaned = strip_site(candidate, site_name)
        if cleaned:
            return cleaned
    return h1s[0] if h1s else ""


def _doc_title(tree: LexborHTMLParser) -> str | None:
    node = tree.css_first("title")
    return node.text() if node is not None else None


def strip_site(title: str, site_name: str | None) -> str:
    """'Headline | Site' or 'Section - Headline - Site' -> 'Headline'."""
    if site_name:
        # "Site: Headline" (a colon right after the name is not a separator elsewhere)
        head = title[: len(site_name)]
        if head.casefold() == site_name.casefold() and title[len(site_name) : len(site_name) + 1] in (":", "|"):
            rest = title[len(site_name) + 1 :].strip()
            if rest:
                title = rest
    parts = [p for p in _TITLE_SEPARATORS.split(title) if p.strip()]
    if len(parts) <= 1:
        return title
    site = _squash(site_name or "")
    if site:
        kept = [p for p in parts if _squash(p) != site and site not in _squash(p).replace(" ", "")]
        if kept and len(kept) < len(parts):
            parts = kept
    if len(parts) == 1:
        return parts[0].strip()
    # What is left: the headline is the longest piece; sections and site names are short.
    longest = max(parts, key=len)
    if len(longest.split()) >= 3:
        return longest.strip()
    return title


def page_title_node(tree: LexborHTMLParser, title: str) -> LexborNode | None:
    key = _squash(title)
    for node in tree.css("h1")[:10]:
        if _squash(node.text()) == key:
            return node
    return None
