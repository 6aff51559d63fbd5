"""blocks.py asks lexbor one :has() query per tree instead of a css_first() per element; these
tests hold the one query to the per-element answer on markup that exercises its edges."""

from __future__ import annotations

import pytest
from selectolax.lexbor import LexborHTMLParser

from scraper.extract import blocks

PAGES = [
    # a container whose only block sits inside an inline child, after a void element
    '<div id=a><img src=x><a href=q><div>inner</div></a></div><div><span>x</span> t <div></div></div>',
    # inline children with and without blocks, loose text between them
    "<section><b><p>para</p></b> loose text <em>just text</em><br><font><ul><li>i</li></ul></font></section>",
    # a <picture> holding a block: the child-by-child test decides
    "<div><picture><source><div>in picture</div></picture></div><div><picture><img></picture><p>x</p></div>",
    # layout tables and data tables
    "<table><tr><td><p>cell para</p></td><td>plain</td></tr><tr><th>h</th><td>1</td></tr></table>",
    "<table><tr><td><table><tr><td>nested</td></tr></table></td></tr></table><dl><dt>t</dt><dd><div>d</div></dd></dl>",
    # deep inline nesting and empty elements
    "<main><span><span><span><blockquote>q</blockquote></span></span></span><span></span><center></center></main>",
]


@pytest.mark.parametrize("html", PAGES)
def test_holders_match_the_child_by_child_test(html: str) -> None:
    root = LexborHTMLParser(f"<html><body>{html}</body></html>").body
    assert root is not None
    holders = blocks._scan(root)[1]
    for node in root.css(blocks.BLOCK_SELECTOR):
        assert holders.has_inner_block(node) == blocks._has_inner_block(node), node.html
    for node in root.css(", ".join(sorted(blocks._INLINE_MAYBE_BLOCK))):
        assert holders.holds(node) == (node.css_first(blocks._INNER) is not None), node.html


@pytest.mark.parametrize("html", PAGES)
def test_layout_cells_match_css_first(html: str) -> None:
    root = LexborHTMLParser(f"<html><body>{html}</body></html>").body
    assert root is not None
    layout = {n.mem_id for n in root.css(blocks._LAYOUT_CELLS)}
    for node in root.css("tr, td, th"):
        assert (node.mem_id in layout) == (node.css_first(blocks._ROW_INNER) is not None), node.html


def test_picture_holding_a_block_is_noticed() -> None:
    root = LexborHTMLParser("<body><div><picture><div>x</div></picture></div></body>").body
    assert root is not None
    holders = blocks._scan(root)[1]
    assert holders.pictures
    outer = root.css_first("div")
    assert outer is not None and not holders.has_inner_block(outer)  # its only block is in the <picture>
