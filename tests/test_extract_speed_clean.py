"""The fast paths of clean.py give what the plain computations they replace give."""

from __future__ import annotations

import pytest
from selectolax.lexbor import LexborHTMLParser, LexborNode

from scraper.extract.clean import _MAX_HOPS, _ancestor_sums


def _plain_sums(matches: list[LexborNode], *, text_length: bool) -> dict[int, int]:
    """Every match adds its amount into each of its first _MAX_HOPS ancestors, one climb each."""
    sums: dict[int, int] = {}
    for match in matches:
        amount = len(match.text(strip=True)) if text_length else 1
        node = match.parent
        hops = 0
        while amount and node is not None and hops < _MAX_HOPS:
            sums[node.mem_id] = sums.get(node.mem_id, 0) + amount
            node = node.parent
            hops += 1
    return sums


PAGES = [
    "<body></body>",
    "<body><p>one</p><p>two</p><div><p>three <a href=/x> link </a></p></div></body>",
    (
        "<body><div><div><a href=/a>a</a><a href=/b>  </a><a href=/c>Ünïcödé ✓</a></div><p><a href=/d>d</a></p></div>"
        "<ul><li><a href=/e>e</a></li><li><a href=/f><span> f </span> g</a></li></ul><p></p></body>"
    ),
    # matches at many depths, siblings sharing their ancestors
    "<body>" + "".join(f"<section>{'<div>' * depth}<p><a href=/{depth}>x{depth}</a></p>{'</div>' * depth}</section>"
                       for depth in range(12)) + "</body>",
    # deeper than _MAX_HOPS: the plain climb, cut at _MAX_HOPS elements
    "<body>" + "<div>" * (_MAX_HOPS + 40) + "<p><a href=/deep>deep</a></p>" + "</div>" * (_MAX_HOPS + 40) + "<p>top</p></body>",
    # a match in a deep branch after shallow ones: the fallback starts mid-way
    "<body><p>a</p><div><p>b</p></div>" + "<div>" * (_MAX_HOPS + 5) + "<p>c</p>" + "</div>" * (_MAX_HOPS + 5) + "</body>",
]


@pytest.mark.parametrize("html", PAGES)
@pytest.mark.parametrize(("selector", "text_length"), [("p", False), ("a", True), ("a", False), ("p", True)])
def test_ancestor_sums_equal_one_climb_per_match(html: str, selector: str, text_length: bool) -> None:
    root = LexborHTMLParser(html).body
    assert root is not None
    matches = root.css(selector)
    assert _ancestor_sums(matches, text_length=text_length) == _plain_sums(matches, text_length=text_length)
