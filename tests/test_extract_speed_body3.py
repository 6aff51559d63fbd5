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


FIGURE_PAGES = [
    "<p>one para here</p><figure><img src=http://x/a.jpg></figure><p>two para here</p>",
    (
        "<figure><img src=http://x/0.jpg></figure><p>one</p><figure><p>inside a figure</p><img src=http://x/b.jpg>"
        "</figure><figure><img src=javascript:x></figure><p>two</p><figure><img src=http://x/c.jpg></figure>"
    ),
    "<div><p>a</p><figure><figure><img src=http://x/n.jpg></figure></figure><p>b</p><p>c</p></div>",
    "<p>only</p><figure><img data-src=http://x/d.jpg alt='a*b'></figure>",
]


def _slow_figures_between(
    blocks_: list[blocks.Block], base: str | None, captions: dict[int, str]
) -> dict[int, list[str]]:
    """markdown._figures_between() as it was: the page order first, for every figure."""
    import bisect

    from scraper.extract import markdown

    root = blocks_[0].node
    while root.parent is not None:
        root = root.parent
    figures = root.css("figure")
    if not figures:
        return {}
    order = {node.mem_id: i for i, node in enumerate(root.traverse())}
    positions = [order.get(b.node.mem_id, -1) for b in blocks_]
    inside = markdown._ancestors_of(b.node for b in blocks_)
    placed: dict[int, list[str]] = {}
    for figure in figures:
        at = order.get(figure.mem_id, -1)
        if figure.mem_id in inside or not positions[0] < at < positions[-1]:
            continue
        images = [md for md in (markdown.image(img, base) for img in figure.css("img")) if md]
        if images:
            placed.setdefault(bisect.bisect_right(positions, at), []).append("\n\n".join(images))
    return placed


@pytest.mark.parametrize("html", FIGURE_PAGES)
def test_figures_between_gives_the_whole_order_walk(html: str) -> None:
    from scraper.extract import markdown

    found = blocks.collect_blocks(_root(html))
    assert markdown._figures_between(found, None, {}) == _slow_figures_between(found, None, {})


SCAN_PAGES = [
    *PAGES,
    "<svg><tr>svg row</tr><span>s</span><picture><div>x</div></picture></svg><math><td>m</td><main>mm</main></math>",
    "<DIV><P>upper</P><Section>s</Section></DIV><x-p>custom</x-p><p:p>prefixed</p:p><o:p>office</o:p>",
    "<picture><source><img src=a.jpg></picture><picture><p>held</p></picture><!-- c --><noscript><p>n</p></noscript>",
]


@pytest.mark.parametrize("html", SCAN_PAGES)
def test_scan_walk_gives_the_separate_queries(html: str) -> None:
    """_scan() compares tag ids on a traverse() walk: the same nodes, in the same order, as
    the css() queries it replaces, foreign and custom elements included."""
    root = _root(html)
    found, holders = blocks._scan(root)
    queried, slow = blocks._queried(root)
    assert [n.mem_id for n in found] == [n.mem_id for n in queried]
    assert [n.mem_id for n in found] == [n.mem_id for n in root.css(blocks._SCAN) if n.tag in blocks._BLOCK_TAGS]
    assert holders.pictures == slow.pictures
    asked = {tag.strip() for tag in blocks._HOLDER_TAGS.split(",")}
    for node in root.css("*"):
        if node.tag in asked:
            assert holders.holds(node) == slow.holds(node), node.html


def test_tag_ids_name_every_tag() -> None:
    for tags, ids in ((blocks._BLOCK_TAGS, blocks._BLOCK_IDS), (blocks._INNER_TAGS, blocks._INNER_IDS)):
        assert len(ids) == len(tags)
        for tag in tags:
            markup = f"<table><tr><{tag}></{tag}></tr></table>" if tag in ("td", "th") else f"<{tag}></{tag}>"
            if tag == "tr":
                markup = "<table><tr></tr></table>"
            node = LexborHTMLParser(markup).css_first(tag)
            assert node is not None and node.tag_id in ids, tag


@pytest.mark.parametrize("html", SCAN_PAGES)
def test_block_atoms_give_markdown_s_query(html: str) -> None:
    """Block.atoms and the link length come from one query: what css_first("a, img, code")
    and link_len() give."""
    for block in blocks.collect_blocks(_root(html)):
        if block.atoms is None:
            assert block.loose
            continue
        assert block.atoms == (block.node.css_first(blocks.ATOMS) is not None), block.node.html
        assert blocks._links_atoms_refs(block.node)[:2] == (blocks.link_len(block.node), block.atoms)


ROW_PAGES = [
    *PAGES,
    "<table><tr><td> </td><th>\u200b</th></tr><tr><td><a href=1>l</a> <b>x</b></td><td><img src=i.png></td></tr></table>",
    "<table><tr><td><table><tr><td>in <code>c</code></td></tr></table></td><td>out</td></tr></table>",
]


@pytest.mark.parametrize("html", ROW_PAGES)
def test_data_row_gives_the_two_queries(html: str) -> None:
    for row in _root(html).css("tr"):
        cells = [blocks.normalise(cell.text()) for cell in row.css("td, th")]
        text = " ".join(c for c in cells if c)
        got: list[blocks.Block] = []
        blocks._data_row(row, "tr", got)
        if not text:
            assert got == []
            continue
        (block,) = got
        assert (block.text, block.link_len) == (text, blocks.link_len(row))
        assert block.atoms == (row.css_first(blocks.ATOMS) is not None)


@pytest.mark.parametrize("prefix", ["", "> ", "> > "])
@pytest.mark.parametrize("line", ["", " ", "text", "text  ", " lead", "\u00a0", "a\u2003", "x\t"])
def test_one_row_quote_prefix_gives_the_split(prefix: str, line: str) -> None:
    """render()'s one-row shortcut: what splitting on newlines and joining gives."""
    one_row = (prefix + line).rstrip() or prefix.rstrip()
    assert one_row == "\n".join((prefix + row).rstrip() or prefix.rstrip() for row in line.split("\n"))


def test_loop_tag_ids_name_their_tags() -> None:
    """collect_blocks() compares these ids where it compared the names."""
    markup = "<table><tr><td></td><th></th></tr></table><span></span><p></p><pre></pre><a></a>"
    by_tag = {node.tag: node.tag_id for node in LexborHTMLParser(markup).root.traverse()}  # type: ignore[union-attr]
    assert blocks._TR_ID == by_tag["tr"] and blocks._SPAN_ID == by_tag["span"] and blocks._A_ID == by_tag["a"]
    assert blocks._CELL_IDS == {by_tag["td"], by_tag["th"]}
    assert blocks._TABLE_PART_IDS == {by_tag["tr"], by_tag["td"], by_tag["th"]}
    assert blocks._ALWAYS_LEAF_IDS == {by_tag[tag] for tag in blocks._ALWAYS_LEAF}
