"""The body stage's fast paths give what the slow ones give: each test holds a shortcut to the
code it replaces, on markup that exercises its edges (unicode, empty, nested, foreign)."""

from __future__ import annotations

import pytest
from selectolax.lexbor import LexborHTMLParser

from scraper.extract import blocks

PAGES = [
    "<div>  \n <p>para</p>\n <div>inner <b>bold</b></div> \u200b\u00ad <span>loose</span></div>",
    "<section>\u00a0<br><ul><li>one</li><li>two <a href=x>link</a></li></ul>\ufeff</section>",
    "<div><div><div></div></div><em>emphasis</em> text long enough to count<p>x</p></div>",
    "<main>text directly here, long enough to flush<div>block</div>more loose text here too</main>",
    "<article><!-- a comment --><p>a</p>   <p>b</p><center>c<sup>1</sup></center></article>",
    "<div><picture><source><div>in picture</div></picture><p>x</p><span><div>d</div></span></div>",
    "<table><tr><td><p>cell para</p></td><td>plain</td></tr><tr><th>h</th><td>1</td></tr></table>",
    "<svg><section>x</section><td>y</td><foreignObject><div>fo</div></foreignObject></svg><o:p>w</o:p>",
    "<math><mi><section>ms</section></mi></math><template><p>in template</p></template><dl><dt>t</dt></dl>",
    "<div>" + "<span>" * 60 + "deep" + "</span>" * 60 + "</div><div></div><p></p>",
    "",
]


def _root(html: str):  # type: ignore[no-untyped-def]
    root = LexborHTMLParser(f"<html><body>{html}</body></html>").body
    assert root is not None
    return root


@pytest.mark.parametrize("html", PAGES)
def test_scan_gives_the_separate_queries(html: str) -> None:
    root = _root(html)
    found, holders = blocks._scan(root)
    queried, slow = blocks._queried(root)
    assert [n.mem_id for n in found] == [n.mem_id for n in queried]
    assert holders.pictures == slow.pictures
    asked = {tag.strip() for tag in blocks._HOLDER_TAGS.split(",")}  # the only tags callers ask about
    for node in root.css("*"):
        if node.tag in asked:
            assert holders.holds(node) == slow.holds(node), node.html


@pytest.mark.parametrize("html", PAGES)
def test_no_loose_text_only_when_loose_text_adds_nothing(html: str) -> None:
    root = _root(html)
    holders = blocks._holders(root)
    for node in [root, *root.css("*")]:
        if blocks._no_loose_text(node):
            added: list[blocks.Block] = []
            blocks._loose_runs(node, node.tag or "", added, holders)
            assert added == [], node.html
