"""Fast paths of collect_blocks(), select() and render() against what they replace: each
test holds a shortcut to the slower code it stands in for, on markup that exercises its edges
(nested and layout tables, foreign content, figures, empty nodes)."""

from __future__ import annotations

import pytest
from selectolax.lexbor import LexborHTMLParser, LexborNode

from scraper.extract import blocks

PAGES = [
    "<div>  \n <p>para</p>\n <div>inner <b>bold</b></div> \u200b\u00ad <span>loose</span></div>",
    "<table><tr><td><p>cell para</p></td><td>plain <a href=x>link</a></td></tr><tr><th>h</th><td>1</td></tr></table>",
    "<table><tr><td><table><tr><td><div>deep</div></td><td>2</td></tr></table></td></tr></table>",
    "<table><tr><td><span><ul><li>in span</li></ul></span></td></tr><tr><td><section>s</section></td></tr></table>",
    "<table><tr><td><dl><dt>t</dt><dd>d</dd></dl></td><td><figure><img src=a.jpg></figure></td></tr></table>",
    "<table><caption><p>cap</p></caption><tr><th><center>c</center></th><td><code>x</code></td></tr></table>",
    "<svg><tr><td><p>in svg</p></td></tr><foreignObject><table><tr><td><p>fo</p></td></tr></table></foreignObject></svg>",
    "<div><tr><td><div>stray cells</div></td></tr></div><template><table><tr><td><p>t</p></td></tr></table></template>",
    "<div><p>a <a href=1>one</a> <img src=b.png> <code>c</code></p><ul><li><a href=2>two</a></li></ul></div>",
    "<main>loose text long enough to flush <a href=3>link</a><div>block</div>more loose <code>code</code> text</main>",
    "",
]


def _root(html: str) -> LexborNode:
    root = LexborHTMLParser(f"<html><body>{html}</body></html>").body
    assert root is not None
    return root


@pytest.mark.parametrize("html", PAGES)
def test_layout_cells_are_all_holders(html: str) -> None:
    """collect_blocks() asks the :has() layout query only for a row or cell in the holders'
    ids: every layout match must be one, or skipping the query would lose it."""
    root = _root(html)
    ids = blocks._scan(root)[1].ids
    for node in root.css(blocks._LAYOUT_CELLS):
        assert node.mem_id in ids, node.html
