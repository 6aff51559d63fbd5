"""extract(html, url=None, selectors=None) -> Article: the clean record of one article page.

Steps, in order, each a function of the parsed tree (selectolax lexbor):

decode.py    bytes -> text (BOM, <meta charset>, UTF-8), NULs out, size and nesting bounded
metadata.py  title, authors, dates, language, site, tags, image, canonical URL, one stage each:
             jsonld.py, metatags.py, titles.py, authors.py + bylines.py, page_dates.py, site.py
clean.py     drop scripts and embeds; classify class/id names; drop widgets, nav, comments
links.py     related boxes and prev/next, read before clean.py removes them
body.py      text blocks in page order; score containers; keep the article's region; drop
             furniture lines, link lists, teasers (which become related links)
quotes.py    quotations and their speakers
markdown.py  the same blocks as Markdown (headings, lists, quotations, links, figures)

Pure: no network, disk or clock; the only state is an LRU memo of the pure class-name
classifier (same answer, less work). Any input gives an Article (possibly with an empty body)
or raises ExtractionError, never another exception. Per-site selectors (config.toml) win over
the generic rules: title, body element, and elements to remove.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Literal

from selectolax.lexbor import LexborDocumentOptions, LexborHTMLParser, LexborNode

from scraper.config import SiteSelectors
from scraper.errors import ExtractionError
from scraper.extract.authors import byline_fallback
from scraper.extract.body import Block, collect_blocks, select
from scraper.extract.clean import clean, named_nodes, strip_junk
from scraper.extract.dates import htmldate_fallback
from scraper.extract.decode import Decoded, decode
from scraper.extract.links import absolute, is_article_link, link_text, related_boxes
from scraper.extract.markdown import figure_captions, render
from scraper.extract.metadata import extract_metadata
from scraper.extract.options import DEFAULT, Options
from scraper.extract.page_dates import url_date
from scraper.extract.quotes import Paragraph, find_quotes
from scraper.extract.scripted import scripted_paragraphs
from scraper.extract.selectors import HIDDEN
from scraper.extract.text import normalise
from scraper.models import Article, Link

__all__ = ["BodySource", "extract", "extract_traced"]


def extract(html: str | bytes, url: str | None = None, selectors: SiteSelectors | None = None) -> Article:
    """The clean record of an article page. Raises ExtractionError if the input is not HTML text."""
    return extract_traced(html, url, selectors)[0]


def extract_traced(
    html: str | bytes, url: str | None = None, selectors: SiteSelectors | None = None
) -> tuple[Article, BodySource]:
    """The record and where its body came from: "region" (the chosen container), "json-ld"
    (the publisher's articleBody) or "fallback" (the readability-style second opinion)."""
    try:
        return _extract(decode(html), url, selectors, DEFAULT)
    except ExtractionError:
        raise
    except (RecursionError, MemoryError) as exc:
        raise ExtractionError(f"page too complex to extract: {type(exc).__name__}") from None
    except Exception as exc:
        raise ExtractionError(f"extraction failed: {type(exc).__name__}: {exc}") from exc


BodySource = Literal["region", "json-ld", "fallback"]


@dataclass(slots=True)
class _Body:
    text: str
    blocks: list[Block]
    teasers: list[tuple[str, str]]
    bylines: list[str]
    source: BodySource = "region"


def _extract(
    page: Decoded, url: str | None, selectors: SiteSelectors | None, options: Options
) -> tuple[Article, BodySource]:
    text = page.text
    tree = parse_page(page.markup)
    meta = extract_metadata(tree, url)
    base = url or meta.canonical_url
    title = _site_title(tree, selectors) or meta.title
    captions = figure_captions(tree)  # strip_junk drops <figcaption>; the Markdown shows them
    strip_junk(tree, options)
    root = tree.body or tree.root
    named = named_nodes(root, options) if root is not None else []
    boxes = related_boxes(root, named, base) if root is not None else []
    _breaks_to_newlines(tree)
    body = _body(tree, root, named, title, selectors, options)
    if not body.text or len(body.text) < options.fallback_min_chars:
        body = _second_opinion(page, title, body, options)
    if len(meta.ld_body) >= options.ld_body_min and len(body.text) < len(meta.ld_body) * options.ld_body_ratio:
        # The page's markup holds little of the article (rendered by script, or our
        # region choice failed) but its JSON-LD carries the text: trust the publisher.
        body = _Body(meta.ld_body, [], body.teasers, body.bylines, "json-ld")
    in_body, inline_quotes = _in_body_links(body.blocks, base)
    related = _related(body.teasers, boxes, base, {link.url for link in in_body})
    paragraphs = [Paragraph(b.text, b.quote_depth > 0, author) for b, author in zip(body.blocks, _embed_authors(body.blocks))]
    if not body.blocks and body.text:
        paragraphs = [Paragraph(part) for part in body.text.split("\n\n")]
    published, authors = byline_fallback(meta.published, list(meta.authors), body.bylines, meta.headline_lines)
    if published is None:
        # The cheap sources said nothing: the address, then htmldate (an lxml parse of the page).
        published = url_date(url) or htmldate_fallback(text, url)
    article = Article(
        url=url,
        title=title,
        body=body.text,
        body_markdown=render(body.blocks, body.text, base, captions),
        canonical_url=meta.canonical_url,
        authors=tuple(authors),
        published=published,
        modified=meta.modified,
        language=meta.language,
        site_name=meta.site_name,
        description=meta.description,
        tags=tuple(meta.tags),
        image=meta.image,
        quotes=tuple(find_quotes(paragraphs, inline_quotes)),
        links=tuple(in_body),
        related_links=tuple(related),
    )
    return article, body.source


def parse_page(markup: str | bytes) -> LexborHTMLParser:
    """The page's tree, built without lexbor's DOM mutation events. They only serve what a
    browser would show (a <selectedcontent> mirroring its <option>) and cost a tenth of the
    parse plus a callback on every node we remove; the records are the same without them
    (tests/test_extract_speed_parse.py holds extract() to the parse with events)."""
    return LexborHTMLParser(markup, options=LexborDocumentOptions.WO_EVENTS)


def _site_title(tree: LexborHTMLParser, selectors: SiteSelectors | None) -> str | None:
    if selectors is None or not selectors.title:
        return None
    node = _css_first(tree, selectors.title)
    return normalise(node.text()) if node is not None and normalise(node.text()) else None


def _body(
    tree: LexborHTMLParser,
    root: LexborNode | None,
    named: list,
    title: str,
    selectors: SiteSelectors | None,
    options: Options,
) -> _Body:
    """The article's blocks: the site's body selector when it matches, else the scored region."""
    found = None
    if selectors is not None and selectors.body and _css_first(tree, selectors.body) is not None:
        # The site's own selectors win: its body element is the region, only its remove
        # selectors (not the generic widget rules) cut; furniture lines are still dropped.
        for selector in selectors.remove:
            for node in reversed(_css(tree, selector)):  # descendants before ancestors
                node.decompose()
        body_node = _css_first(tree, selectors.body)
        if body_node is not None:
            found = select(_own_blocks(body_node), title, region={body_node.mem_id})
    elif root is not None:
        clean(root, named, tuple(selectors.remove) if selectors is not None else (), options)
        found = select(collect_blocks(root), title)
    if found is None:
        return _Body("", [], [], [])
    return _Body("\n\n".join(b.text for b in found.blocks), found.blocks, found.teasers, found.bylines)


def _second_opinion(page: Decoded, title: str, first: _Body, options: Options) -> _Body:
    """When the cleaned page gave nothing or a scrap, score the page again readability-style
    with only scripts and hidden elements removed (no class-name rules), and keep the better."""
    text = page.text
    tree = parse_page(page.markup)
    strip_junk(tree, options)
    root = tree.body
    if root is None:
        return first
    _breaks_to_newlines(tree)
    for node in reversed(root.css(HIDDEN)):
        node.decompose()
    found = select(collect_blocks(root), title)
    other = "\n\n".join(b.text for b in found.blocks)
    if not first.text:
        # No article in the markup: a page rendered by script keeps its text in its JSON data.
        scripted = "\n\n".join(scripted_paragraphs(text, options))
        if len(scripted) > len(other):
            return _Body(scripted, [], first.teasers, first.bylines, "fallback")
    if len(other) < max(len(first.text) * options.fallback_ratio, options.fallback_min_gain):
        return first
    return _Body(other, found.blocks, found.teasers or first.teasers, found.bylines or first.bylines, "fallback")


def _in_body_links(blocks: list[Block], base: str | None) -> tuple[list[Link], list[str]]:
    """Links inside the article's own text, and its inline <q> quotations."""
    in_body: list[Link] = []
    inline_quotes: list[str] = []
    seen_urls: set[str] = set()
    visited: set[int] = set()
    for block in blocks:
        if block.node.mem_id in visited:
            continue  # several paragraphs can come from one node (<br><br>-separated text)
        visited.add(block.node.mem_id)
        if block.refs is False:
            continue  # collect_blocks() saw no <a> or <q> in it: nothing for the query to find
        node = block.node
        if node.tag not in ("a", "q") and next(node.iter(), None) is None:
            continue  # text only (most paragraphs): no link or quotation to query for
        for element in node.css("a[href], q"):  # one query, in page order, for both lists
            if element.tag == "q":
                inline_quotes.append(normalise(element.text()))
                continue
            href = absolute(element.attributes.get("href") or "", base)
            words = normalise(element.text())
            if href and words and href not in seen_urls:
                seen_urls.add(href)
                in_body.append(Link(href, words))
    return in_body, inline_quotes


def _related(teasers: list[tuple[str, str]], boxes: list[Link], base: str | None, in_body: set[str]) -> list[Link]:
    """Teasers found in the text, then the related boxes read before cleaning."""
    related: list[Link] = []
    for href, label in teasers:
        absolute_url = absolute(href, base)
        words = link_text(label)
        if absolute_url and is_article_link(words):
            related.append(Link(absolute_url, words))
    known = {link.url for link in related} | in_body
    for link in boxes:
        if link.url not in known:
            known.add(link.url)
            related.append(link)
    return related


def _breaks_to_newlines(tree: LexborHTMLParser) -> None:
    # <br> separates words and, doubled, paragraphs; without this "line one<br>line two" reads "line oneline two".
    for br in tree.css("br")[:100_000]:
        br.replace_with("\n")


def _own_blocks(node: LexborNode) -> list[Block]:
    blocks = collect_blocks(node)
    if not blocks:
        text = normalise(node.text())
        return [Block(node, node.tag or "div", text, 0)] if text else []
    return blocks


_EMBED_BYLINE = re.compile(r"[—–-]\s*([^()@—–]{2,60}?)\s*\(@\w+\)")


def _embed_authors(blocks: list[Block]) -> list[str | None]:
    """Each block's embedded-post author, read once per quotation: every block of a long
    blockquote shares its node, and reading the whole quote's text again for each block made
    such pages quadratic."""
    read: dict[int, str | None] = {}
    authors: list[str | None] = []
    for block in blocks:
        quote = block.quote_node
        if quote is None:
            authors.append(None)
            continue
        key = quote.mem_id
        if key not in read:
            read[key] = _embed_author(quote)
        authors.append(read[key])
    return authors


def _embed_author(quote: LexborNode) -> str | None:
    """The author an embedded post's markup names ("— Jane Doe (@jane) May 1, 2020")."""
    text = quote.text(deep=False) + " " + quote.text()
    if "(@" not in text:
        return None  # the pattern needs it: spares its lazy scan from every dash of a long quote
    match = _EMBED_BYLINE.search(text)
    if not match:
        return None
    # Display names carry emoji and flags ("Jane Doe 🏳️‍🌈"): keep the words.
    name = re.sub(r"[^\w.'’ -]+", " ", match.group(1))
    return " ".join(name.split()) or None


def _css(tree: LexborHTMLParser, selector: str) -> list[LexborNode]:
    try:
        return tree.css(selector)
    except Exception:  # noqa: BLE001 - a bad user selector: treat as matching nothing
        return []


def _css_first(tree: LexborHTMLParser, selector: str) -> LexborNode | None:
    found = _css(tree, selector)
    return found[0] if found else None
