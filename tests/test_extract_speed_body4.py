"""Fast paths of select(), choose_region() and _in_body_links() against what they replace:
tag-id tests against tag names, flags read while collecting against the query they spare,
and cheap gates against the patterns they guard (a gate may say "maybe", never a wrong "no")."""

from __future__ import annotations

import pytest
from selectolax.lexbor import LexborHTMLParser

from scraper.extract import _in_body_links, blocks, region

PAGES = [
    "<div><section><article><p>a</p></article></section><blockquote><blockquote><p>q</p></blockquote></blockquote></div>",
    "<main><form><center><font><span><header><p>deep</p></header></span></font></center></form></main>",
    "<table><tr><td><div><p>cell</p></div></td></tr></table><svg><font><p>svg font</p></font></svg>",
    "<custom-div><div-x><p>custom</p></div-x></custom-div><math><blockquote>m</blockquote></math>",
]


@pytest.mark.parametrize("html", PAGES)
def test_region_tag_ids_name_their_tags(html: str) -> None:
    """The climbs' tag-id tests say what the tag-name tests they replace said, on every node."""
    tree = LexborHTMLParser(f"<html><body>{html}</body></html>")
    assert tree.root is not None
    for node in tree.root.traverse():
        assert (node.tag_id in region._CONTAINER_IDS) == (node.tag in region._CONTAINERS), node.tag
        assert (node.tag_id == region._BLOCKQUOTE_ID) == (node.tag == "blockquote"), node.tag


REF_PAGES = [
    "<div><p>plain</p><p>with <q>quote</q></p><p><a>no href</a></p><p><a href=x>link</a> and <em>em</em></p></div>",
    "<ul><li><em>no ref</em></li><li><span><q>deep <a href=y>q a</a></q></span></li></ul><pre><code>c</code></pre>",
    "<table><tr><td>cell <q>rq</q></td><td>2</td></tr><tr><td><img src=i.png></td><td>x</td></tr></table>",
    "<table><tr><td><a href=z>row link</a></td></tr></table><blockquote><p>one<br><br>two <q>q</q></p></blockquote>",
    "<main>loose text long enough to flush <q>quoted words</q><div>block</div>more loose <b>bold</b> text</main>",
]


def _blocks(html: str) -> list[blocks.Block]:
    root = LexborHTMLParser(f"<html><body>{html}</body></html>").body
    assert root is not None
    return blocks.collect_blocks(root)


@pytest.mark.parametrize("html", REF_PAGES)
def test_block_refs_give_the_in_body_query(html: str) -> None:
    """Block.refs is whether the node holds an <a> or <q>: when False, _in_body_links()'s
    css("a[href], q") would find nothing, so skipping it loses nothing."""
    for block in _blocks(html):
        if block.refs is None:
            assert block.loose
            continue
        assert block.refs == (block.node.css_first("a, q") is not None), block.node.html
        if not block.refs:
            assert block.node.css("a[href], q") == []


@pytest.mark.parametrize("html", REF_PAGES)
def test_in_body_links_skip_changes_nothing(html: str) -> None:
    """_in_body_links() with the flags gives what it gives with every flag unknown."""
    found = _blocks(html)
    fast = _in_body_links(found, "https://example.org/")
    for block in found:
        block.refs = None
    assert fast == _in_body_links(found, "https://example.org/")


DEEP = "<div>" * 70 + "<p>deep</p>" + "<section><p>a</p><div><p>b</p></div></section>" * 3 + "</div>" * 70


@pytest.mark.parametrize("html", [*PAGES, *REF_PAGES, DEEP, "<span>" * 30 + "<div><p>x</p></div>" + "</span>" * 30])
@pytest.mark.parametrize("reverse", [False, True])
def test_chain_reuse_gives_the_walk(html: str, reverse: bool) -> None:
    """A chain built from the parent's memoised chain is the one the full walk gives."""
    tree = LexborHTMLParser(f"<html><body>{html}</body></html>")
    assert tree.root is not None
    nodes = [n for n in tree.root.traverse() if n.parent is not None]
    chains: dict[int, region._Chain] = {}
    for node in reversed(nodes) if reverse else nodes:
        block = blocks.Block(node, node.tag or "", "text", 0, loose=True)
        assert region._containers_above(block, chains) == region._containers_above(block, {}), node.tag
