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
    holders = blocks._scan(root)[1]
    for node in [root, *root.css("*")]:
        if blocks._no_loose_text(node):
            added: list[blocks.Block] = []
            blocks._loose_runs(node, node.tag or "", added, holders)
            assert added == [], node.html


# Lines for select()'s per-block checks: furniture, captions, promos, bylines, dates, in
# several scripts and cases, with and without digits, brackets and trailing newlines.
LINES = [
    "",
    " ",
    "By Jane Doe",
    "by jane doe, 5 min read",
    "BY JANE",
    "Posted on March 3, 2021",
    "Updated: 12 May 2023 10:42 GMT",
    "12 May 2023",
    "5 min read",
    "٣ min read",
    "Lesezeit: ３ Minuten",
    "Read time 4 minutes read",
    "In this May 1, 2019, file photo, a man walks (AP Photo/Jane Doe)",
    "İn this photo, a man",
    "in this handout picture released by the army",
    "A man walks past the shop. (AP Photo/Jane Doe)",
    "A man walks past the shop (Reuters)\n",
    "A man walks past the shop (reuters)",
    "Crowds gather (AFP) outside",
    "(Getty Images)",
    "Support us on Patreon",
    "Please SUBSCRIBE NOW to keep reading",
    "Sign up for our newsletter",
    "The views and opinions expressed are solely those of the author.",
    "© 2024 Example Media. All Rights Reserved.",
    "This story was updated. Jane Doe contributed to this report.",
    "Click here to read more",
    "Foto: Jane Doe",
    "Anzeige",
    "- Werbung -",
    "Ski star Marco Odermatt. © AFP / MARCO BERTORELLO",
    "scissor switch keyboard via iFixit",
    "We may earn a commission from links on this page",
    "Ordinary sentence about a patronising remark, nothing more.",
    "Zażółć gęślą jaźń 2024",
    "Ελληνικά κείμενο 1999 (ΑΠΕ)",
    "x" * 299 + ")",
    "a (b) " * 40,
]


@pytest.mark.parametrize("text", LINES)
def test_short_line_checks_give_the_chain(text: str) -> None:
    from scraper.extract import body
    from scraper.extract.lines import is_furniture
    from scraper.extract.selectors import BYLINE, CAPTION_LINE, is_promo

    for line in (text, text.upper(), text.lower(), text + "\n"):
        slow = is_promo(line) or CAPTION_LINE.search(line) is not None or is_furniture(line)
        assert body._is_short_furniture(line) == slow, line
        assert is_furniture(line, line.lower()) == is_furniture(line), line
        slow = BYLINE.search(line) is not None or body._is_date_line(line)
        assert body._is_byline_or_date(line) == slow, line


def test_promo_gate_lists_the_triggers() -> None:
    from scraper.extract import selectors

    for trigger in selectors._PROMO_TRIGGERS:
        assert selectors.may_be_promo(f"x {trigger} y")
    # Nothing but the triggers opens the gate: each word's longest trigger-free prefix stays shut.
    for trigger in selectors._PROMO_TRIGGERS:
        assert not selectors.may_be_promo(trigger[:-1])
    assert len(selectors._PROMO_TRIGGERS) == 16


def test_digit_gate_reads_every_script_s_digits() -> None:
    # _is_byline_or_date's gate and BYLINE's reading-time branch both read digits as \d.
    from scraper.extract import body
    from scraper.extract.selectors import BYLINE

    digits = [chr(c) for c in range(0x110000) if chr(c).isdecimal()][::7]
    for digit in digits:
        line = f"x {digit} min read"
        assert body._is_byline_or_date(line) == (BYLINE.search(line) is not None), repr(digit)


LINKED = [
    "<p>Read <a href=/x>the full report</a> here, it is long enough to count as text.</p>",
    (
        "<div>loose text long enough to flush <a href=/y>a link in loose text</a> and more words"
        "<p>para</p> then <span><a href=/z>nested link</a> in a span</span> closing loose words</div>"
    ),
    "<ul><li><a href=/1>one link item</a></li><li><b><a href=/2>bold link</a></b> and text</li></ul>",
    "<table><tr><td><a href=/t>cell link</a></td><td>plain cell</td></tr></table>",
    "<p><a>anchor without href but with text</a> and more text after it, for length.</p>",
    "<div><a href=/solo>A whole block that is one link and nothing else at all</a></div>",
    "<p>Zażółć <a href=/ü>gęślą jaźń</a> ünïcödé &amp; text</p>",
]


@pytest.mark.parametrize("html", LINKED + PAGES)
def test_linked_blocks_have_an_atom(html: str) -> None:
    # markdown._inline skips its css_first(ATOMS) query for a block with link_len > 0.
    from scraper.extract.blocks import ATOMS

    for block in blocks.collect_blocks(_root(html)):
        if block.link_len:
            assert block.node.css_first(ATOMS) is not None, block.text
