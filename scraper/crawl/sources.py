"""Reading the places a source lists: RSS/Atom feeds, sitemaps, and the links of an HTML page.

Pure functions over bytes or text: no network, no database. XML is parsed by lxml with
entities, DTDs and the network switched off (no billion laughs, no XXE), and gzipped
sitemaps are inflated under a size cap (no gzip bomb). A broken entry is skipped with a
warning; a document that is not a feed or sitemap at all raises NotAFeed.
"""

from __future__ import annotations

import re
import zlib
from dataclasses import dataclass, field
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime

from lxml import etree  # type: ignore[import-untyped]
from selectolax.lexbor import LexborHTMLParser

from scraper.errors import ScraperError

# The sitemap protocol's own limits: 50,000 URLs and 50 MB uncompressed per file.
MAX_SITEMAP_BYTES = 50 * 1024 * 1024
MAX_ENTRIES = 50_000
# A DOCTYPE comes before the root element, so only the head of a document can hold one.
MAX_DTD_SCAN = 1024 * 1024


class NotAFeed(ScraperError):
    """A feed or sitemap URL answered with something that is neither (HTML, junk, a bomb)."""


@dataclass(frozen=True, slots=True)
class Entry:
    """A URL found in a feed or sitemap, and when the document says it last changed (ISO, UTC)."""

    url: str
    modified: str | None = None


@dataclass(slots=True)
class Found:
    """What one feed or sitemap lists: article URLs, child sitemaps, and the entries it had to skip."""

    pages: list[Entry] = field(default_factory=list)
    sitemaps: list[Entry] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)


# An internal DTD subset, where entity bombs live; ``[^\]]*`` keeps the match linear.
INTERNAL_SUBSET = re.compile(rb"<!DOCTYPE[^\[>]*\[[^\]]*\]\s*>", re.IGNORECASE)


def parse_xml(content: bytes, what: str, warnings: list[str]) -> etree._Element:
    """The document's root. Its internal DTD is dropped (feeds and sitemaps need none), so a
    bomb's entities stay unexpanded references and every entry around them is still read."""
    content = content.lstrip()
    head = content[:MAX_DTD_SCAN]
    match = INTERNAL_SUBSET.search(head)
    if match and b"<!ENTITY" in match.group().upper():
        content = content[: match.start()] + content[match.end() :]
        warnings.append(f"the {what} declares its own entities (a possible entity bomb); they were not expanded")
    parser = etree.XMLParser(
        resolve_entities=False, no_network=True, load_dtd=False, dtd_validation=False, huge_tree=False, recover=True
    )
    try:
        root = etree.fromstring(content, parser)
    except etree.XMLSyntaxError as exc:
        raise NotAFeed(f"not a valid {what}: {exc}") from None
    if root is None:
        raise NotAFeed(f"not a valid {what}: no XML document")
    stopped = [e for e in parser.error_log if e.type_name == "ERR_RESOURCE_LIMIT"]
    if stopped:
        warnings.append(f"the {what} was read only up to line {stopped[0].line}: {stopped[0].message}")
    return root


def local(element: etree._Element) -> str:
    tag = element.tag
    if not isinstance(tag, str):
        return ""  # comments, processing instructions, entity references
    return tag.rpartition("}")[2].lower()


def children(element: etree._Element, name: str) -> list[etree._Element]:
    return [child for child in element if local(child) == name]


def text_of(element: etree._Element | None) -> str:
    if element is None:
        return ""
    return "".join(t for t in element.itertext() if isinstance(t, str)).strip()


def parse_date(value: str) -> str | None:
    """An RFC 822 (RSS) or ISO 8601 (Atom, sitemaps) date as ISO UTC; None if unreadable."""
    value = value.strip()
    if not value:
        return None
    when: datetime | None = None
    try:
        when = datetime.fromisoformat(value)
    except ValueError:
        try:
            when = parsedate_to_datetime(value)
        except (TypeError, ValueError, IndexError):
            return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)  # a date without a zone: sitemaps mean UTC
    return when.astimezone(UTC).isoformat(timespec="seconds")


def parse_feed(content: bytes) -> Found:
    """Entry links of an RSS 2.0, RSS 1.0 (RDF) or Atom feed."""
    found = Found()
    root = parse_xml(content, "feed", found.warnings)
    kind = local(root)
    if kind == "feed":
        items = children(root, "entry")
    elif kind == "rss":
        channel = children(root, "channel")
        items = children(channel[0], "item") if channel else []
    elif kind == "rdf":
        items = children(root, "item")
    else:
        raise NotAFeed(f"not an RSS or Atom feed (root element <{kind or '?'}>)")
    for number, item in enumerate(items[:MAX_ENTRIES], start=1):
        link = atom_link(item) if kind == "feed" else rss_link(item)
        if not link:
            title = text_of(next(iter(children(item, "title")), None))[:60]
            found.warnings.append(f"entry {number}{f' ({title!r})' if title else ''} has no link; skipped")
            continue
        dates = [text_of(d) for name in ("updated", "published", "pubdate", "date", "modified") for d in children(item, name)]
        found.pages.append(Entry(link, next((d for d in map(parse_date, dates) if d), None)))
    return found


def atom_link(item: etree._Element) -> str:
    links = children(item, "link")
    for link in links:
        if link.get("rel", "alternate") == "alternate" and link.get("href", "").strip():
            return link.get("href", "").strip()
    return ""


def rss_link(item: etree._Element) -> str:
    link = text_of(next(iter(children(item, "link")), None))
    if link:
        return link
    for guid in children(item, "guid"):
        if guid.get("isPermaLink", "true").lower() == "true" and text_of(guid).startswith(("http://", "https://")):
            return text_of(guid)
    return ""


def inflate(content: bytes, limit: int = MAX_SITEMAP_BYTES) -> bytes:
    """The body itself, or inflated if it is gzip (a .xml.gz sitemap), never more than ``limit`` bytes."""
    if not content.startswith(b"\x1f\x8b"):
        return content
    decoder = zlib.decompressobj(wbits=31)
    try:
        data = decoder.decompress(content, limit + 1)
    except zlib.error as exc:
        raise NotAFeed(f"broken gzip data: {exc}") from None
    if len(data) > limit or decoder.unconsumed_tail:
        raise NotAFeed(f"sitemap larger than {limit / (1024 * 1024):g} MB once inflated")
    if not decoder.eof:
        raise NotAFeed("broken gzip data: truncated")
    return data


def parse_sitemap(content: bytes) -> Found:
    """URLs of a sitemap (news and image sitemaps are sitemaps too) or child sitemaps of an index."""
    found = Found()
    root = parse_xml(inflate(content), "sitemap", found.warnings)
    kind = local(root)
    if kind not in ("urlset", "sitemapindex"):
        raise NotAFeed(f"not a sitemap (root element <{kind or '?'}>)")
    child = "url" if kind == "urlset" else "sitemap"
    target = found.pages if kind == "urlset" else found.sitemaps
    for number, item in enumerate(children(root, child)[:MAX_ENTRIES], start=1):
        loc = text_of(next(iter(children(item, "loc")), None))
        if not loc.startswith(("http://", "https://")):
            found.warnings.append(f"{child} entry {number} has no usable <loc> ({loc[:80]!r}); skipped")
            continue
        modified = parse_date(text_of(next(iter(children(item, "lastmod")), None)))
        if modified is None:
            # News sitemaps date the article in <news:news><news:publication_date>.
            for news in children(item, "news"):
                modified = parse_date(text_of(next(iter(children(news, "publication_date")), None)))
        target.append(Entry(loc, modified))
    return found


def page_links(html: str) -> list[str]:
    """The href of every <a> in the page, as written, and the page's <base href> first if any."""
    tree = LexborHTMLParser(html)
    hrefs = []
    for anchor in tree.css("a[href]"):
        href = (anchor.attributes.get("href") or "").strip()
        if href and not href.startswith("#"):
            hrefs.append(href)
    return hrefs


def base_href(html: str, url: str) -> str:
    """The URL relative links resolve against: <base href> if the page sets one."""
    from urllib.parse import urljoin

    node = LexborHTMLParser(html).css_first("base[href]")
    href = (node.attributes.get("href") or "").strip() if node is not None else ""
    return urljoin(url, href) if href else url
