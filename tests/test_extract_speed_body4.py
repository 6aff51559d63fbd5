"""Fast paths of select(), choose_region() and _in_body_links() against what they replace:
tag-id tests against tag names, flags read while collecting against the query they spare,
and cheap gates against the patterns they guard (a gate may say "maybe", never a wrong "no")."""

from __future__ import annotations

import pytest
from selectolax.lexbor import LexborHTMLParser

from scraper.extract import region

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
