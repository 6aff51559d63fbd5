"""strip_junk detaches junk elements in C (strip_tags) instead of decomposing each from Python:
the tree it leaves must be the one the per-node loop left, on nested and hostile markup."""

from __future__ import annotations

from pathlib import Path

import pytest
from selectolax.lexbor import LexborHTMLParser

from scraper.extract import parse_page
from scraper.extract.clean import strip_junk
from scraper.extract.decode import decode
from scraper.extract.options import DEFAULT
from scraper.extract.selectors import JUNK_TAGS

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures"


def _per_node(tree: LexborHTMLParser) -> None:
    """The former loop: one look-up per name, descendants decomposed before ancestors."""
    for tag in JUNK_TAGS:
        for node in reversed(tree.tags(tag)):
            node.decompose()


CASES = [
    "<html><head><title>t</title><script>x</script></head><body><p>a<button>b</button>c</p></body></html>",
    "<body><svg><svg><g><text>inner</text></g></svg></svg><p>kept</p></body>",
    "<body><select><option>1</option><optgroup><option>2</option></optgroup></select><p>x</p></body>",
    "<body><object><object><embed></object></object><template><script>t</script></template>z</body>",
    "<body><label>L<input></label><iframe><p>in frame</p></iframe><amp-ad><amp-iframe></amp-iframe></amp-ad>end",
    "<body><figure><img src=a.jpg><figcaption>cap <b>b</b></figcaption></figure><dialog open>d</dialog></body>",
    "<p>no html element at all<script>s</script>",
]


@pytest.mark.parametrize("html", CASES)
def test_strip_junk_leaves_the_per_node_tree(html: str) -> None:
    ours, theirs = parse_page(html), parse_page(html)
    strip_junk(ours)
    _per_node(theirs)
    if theirs.tags("noscript"):
        pytest.fail("cases hold no <noscript>: strip_junk would treat it apart")
    assert ours.html == theirs.html


def _old_strip_junk(tree: LexborHTMLParser) -> None:
    """strip_junk as it was: the per-node loop, then the same <noscript> rule."""
    _per_node(tree)
    noscripts = tree.tags("noscript")
    body = tree.body
    total = len(body.text()) if body is not None and noscripts else 0
    for node in reversed(noscripts):
        if total and len(node.text()) > total * DEFAULT.noscript_page_share:
            node.unwrap()
        else:
            node.decompose()


@pytest.mark.parametrize("path", sorted(FIXTURES.glob("*.html")), ids=lambda p: p.stem)
def test_strip_junk_on_fixtures(path: Path) -> None:
    markup = decode(path.read_bytes()).markup
    ours, theirs = parse_page(markup), parse_page(markup)
    strip_junk(ours)
    _old_strip_junk(theirs)
    assert ours.html == theirs.html
