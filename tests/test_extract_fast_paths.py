"""The shortcuts taken for speed give what the plain ways give: one lexbor query for the
metadata's elements (metatags.marked_nodes) against one query per kind, and to_text's UTF-8
path against charset.decode_html."""

from __future__ import annotations

import codecs

import pytest
from selectolax.lexbor import LexborHTMLParser

from scraper.charset import decode_html
from scraper.extract.decode import MAX_CHARS, to_text
from scraper.extract.metatags import marked_nodes, meta_all

# Markup where CSS's rules are easy to get wrong: case (rel= and type= compare case-blind,
# itemprop= and name= do not), white space in rel~=, nodes that match several parts of the
# query, elements in <svg> and <template>.
TRICKY = """<!doctype html><html><head>
<meta name="Article:Tag" content="no"><meta property="article:tag" content="one" name="article:tag">
<meta content="x"><meta name="description"><meta itemprop="datePublished" content="2020-01-02">
<link rel="Canonical"><link rel="CANONICAL" href="/first" itemprop="dateModified"><link rel="canonical" href="/second">
<script type="Application/LD+JSON">{"@type": "NewsArticle"}</script><script type=" application/ld+json">{}</script>
<script itemprop="datePublished">var x;</script><script type="application/ld+json" itemprop="dateModified">{}</script>
</head><body>
<h1 itemprop="datePublished">Title</h1><svg><h1>In svg</h1><a rel="tag">svg link</a></svg><template><h1>t</h1></template>
<a rel="Tag">1</a><a rel="TAG nofollow">2</a><a rel="x\ttag">3</a><a rel="x\x0btag">4</a><a rel="x\xa0tag">5</a>
<a rel="tags">6</a><a rel=" tag ">7</a><a rel="t&#97;g" itemprop="dateModified">8</a><a rel>9</a>
<span itemprop="datepublished">no</span><time datetime="2021-03-04">t</time><TIME DATETIME>u</TIME>
<time datetime="2022" itemprop="datePublished">both</time>
<a rel="tag" itemprop="dateline">10</a><span itemprop="dateCreated">c</span><script itemprop="dates">1</script>
<link rel="canonical" itemprop="date" href="/third"><h1 itemprop="dated">h</h1><meta itemprop="dateX" content="y">
</body></html>"""


def _ids(nodes: list) -> list[int]:
    return [node.mem_id for node in nodes]


def _first(tree: LexborHTMLParser, selector: str) -> int | None:
    node = tree.css_first(selector)
    return node.mem_id if node is not None else None


def _first_of(nodes: list, test) -> int | None:  # type: ignore[no-untyped-def]
    return next((node.mem_id for node in nodes if test(node)), None)


def test_marked_nodes_are_what_each_selector_finds() -> None:
    tree = LexborHTMLParser(TRICKY)
    marked = marked_nodes(tree)
    assert marked.metas == [node.attributes for node in tree.css("meta")]
    assert _ids(marked.ld_scripts) == _ids(tree.css('script[type="application/ld+json"]'))
    assert _ids(marked.h1s) == _ids(tree.css("h1"))
    assert _ids(marked.tag_links) == _ids(tree.css('a[rel~="tag"]'))
    assert marked.canonical is not None
    assert marked.canonical.mem_id == _first(tree, 'link[rel="canonical"][href]')
    for itemprop in ("datePublished", "dateModified"):
        found = _first_of(marked.dates, lambda n, p=itemprop: n.attributes.get("itemprop") == p)
        assert found == _first(tree, f'[itemprop="{itemprop}"]')
    time = _first_of(marked.dates, lambda n: n.tag == "time" and "datetime" in n.attributes)
    assert time == _first(tree, "time[datetime]")
    # The fixture does exercise the rules: each kind is found, and not everything is.
    assert len(marked.tag_links) == 7 and len(marked.ld_scripts) == 2 and len(marked.h1s) == 3


def test_meta_all_reads_property_and_name() -> None:
    marked = marked_nodes(LexborHTMLParser(TRICKY))
    assert meta_all(marked.metas, "article:tag") == ["one"]


@pytest.mark.parametrize(
    "body",
    [
        b"<p>plain</p>",
        "<p>caf\u00e9 \u201cquoted\u201d \U0001f600</p>".encode(),
        b"<p>a\x00b</p>",
        codecs.BOM_UTF8 + b"<p>bom</p>",
        codecs.BOM_UTF16_LE + "<p>wide</p>".encode("utf-16-le"),
        b"<p>\xe2<b>\xff<</p>",  # invalid UTF-8 next to tags
        b'<meta charset="latin-1"><p>\xe9</p>',
        b"<div>" * 30_000 + "\u00e9".encode(),  # many tags: the nesting is flattened
        b"<a>" * (MAX_CHARS // 3 + 10),  # cut at MAX_CHARS
    ],
)
def test_to_text_decodes_as_fetched_pages_are(body: bytes) -> None:
    expected = to_text(decode_html(body[: MAX_CHARS * 4])[0])
    assert to_text(body) == expected


def test_to_text_cuts_a_str_before_dropping_its_nuls() -> None:
    assert to_text("\x00" * 10 + "a" * MAX_CHARS) == "a" * (MAX_CHARS - 10)
