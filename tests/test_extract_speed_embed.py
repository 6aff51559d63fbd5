"""Embedded-post authors are read once per quotation, with the answers the per-block reading gave."""

from __future__ import annotations

import re

from selectolax.lexbor import LexborHTMLParser

from scraper.extract import _embed_authors
from scraper.extract.blocks import Block


def _per_block(block: Block) -> str | None:
    """The reading before: the whole quote's text searched again for every block."""
    quote = block.quote_node
    if quote is None:
        return None
    match = re.search(r"[—–-]\s*([^()@—–]{2,60}?)\s*\(@\w+\)", quote.text(deep=False) + " " + quote.text())
    if not match:
        return None
    name = re.sub(r"[^\w.'’ -]+", " ", match.group(1))
    return " ".join(name.split()) or None


PAGE = (
    "<html><body><article><p>Before – the quote (not @ a handle).</p>"
    '<blockquote id="a">' + "".join(f"<p>Line {i} - with dashes – and (brackets) @ signs.</p>" for i in range(30)) + "</blockquote>"
    '<blockquote id="b"><p>The new bridge opens to traffic tomorrow morning at six.</p>&mdash; City of Ashford 🏳️‍🌈 (@AshfordCity) May 3, 2021</blockquote>'
    '<blockquote id="c"><p>— Jane (@)</p><p>– Ann Lee (@ann_lee)</p></blockquote>'
    "<p>After.</p></article></body></html>"
)


def _blocks() -> list[Block]:
    tree = LexborHTMLParser(PAGE)
    blocks = []
    for p in tree.css("p"):
        block = Block(p, "p", p.text(), 0)
        parent = p.parent
        block.quote_node = parent if parent is not None and parent.tag == "blockquote" else None
        blocks.append(block)
    return blocks


def test_one_reading_per_quote_gives_the_per_block_answers() -> None:
    blocks = _blocks()
    assert _embed_authors(blocks) == [_per_block(b) for b in blocks]
    assert "City of Ashford" in _embed_authors(blocks)


def test_no_blocks_and_no_quotes() -> None:
    assert _embed_authors([]) == []
    assert _embed_authors(_blocks()[:1]) == [None]

