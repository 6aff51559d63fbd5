"""The body's blocks as Markdown: sub-headings, lists, block quotations, in-sentence links and
figures, for reading; `body` stays the plain text that search and the scores use.

Each block's node is walked again for its inline content (inline.py); the walk's text must
equal the block's text, or the block falls back to that text escaped, so the Markdown never
says more or less than the body (figures between the blocks add their images and captions).
Everything from the page is escaped: plain text never becomes a heading, list, link, image or
HTML.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Iterable
from itertools import count, islice
from operator import attrgetter

from selectolax.lexbor import LexborHTMLParser, LexborNode

from scraper.extract.blocks import ATOMS
from scraper.extract.body import Block
from scraper.extract.inline import Piece, escape, escape_line_start, image, pieces
from scraper.extract.selectors import HEADINGS
from scraper.extract.text import normalise
from scraper.extract.tree import ancestors

__all__ = ["figure_captions", "render"]

_LISTS = frozenset({"ul", "ol", "menu"})
_MAX_FIGURES = 500
_MAX_NODES_FOR_ORDER = 200_000
_MEM_ID = attrgetter("mem_id")


def figure_captions(tree: LexborHTMLParser) -> dict[int, str]:
    """mem_id of each <figure> -> its <figcaption> text, read before clean-up drops captions."""
    captions: dict[int, str] = {}
    for figure in tree.css("figure")[:_MAX_FIGURES]:
        caption = figure.css_first("figcaption")
        text = normalise(caption.text()) if caption is not None else ""
        if text:
            captions[figure.mem_id] = text
    return captions


def render(blocks: list[Block], body: str, base: str | None, captions: dict[int, str]) -> str:
    """The article's Markdown: the blocks (or, with none, the body's paragraphs) in page order."""
    if not blocks:
        return "\n\n".join(_paragraph(p) for p in body.split("\n\n") if p.strip())
    cache: dict[int, list[tuple[str, Piece]]] = {}
    out: list[str] = []
    previous: Block | None = None
    depth = 0
    done_pre: set[int] = set()
    numbers: dict[int, dict[int, int]] = {}
    figures = _figures_between(blocks, base, captions)
    for i, block in enumerate(blocks):
        for figure in figures.get(i, ()):
            out.append("\n\n" + figure)
            previous = None
        key = block.node.mem_id
        if block.tag == "pre":
            if key in done_pre:
                continue  # one fence holds the whole <pre>, its blank lines included
            done_pre.add(key)
            line = _fence(block.node.text())
        elif block.tag in HEADINGS:
            line = "#" * int(block.tag[1]) + " " + re.sub(r"(^|\s)#+$", lambda m: m.group(0).replace("#", "\\#", 1), _inline(block, base, cache))
        elif block.tag == "li":
            depth = _list_depth(block.node, depth + 1 if previous is not None and previous.tag == "li" else 0)
            line = "    " * depth + _marker(block.node, numbers) + " " + escape_line_start(_inline(block, base, cache))
        else:
            line = escape_line_start(_inline(block, base, cache))
        prefix = "> " * block.quote_depth
        if "\n" in line:
            line = "\n".join((prefix + row).rstrip() or prefix.rstrip() for row in line.split("\n"))
        else:  # one row (most blocks): the same, without a split, a generator and a join
            line = (prefix + line).rstrip() or prefix.rstrip()
        if previous is not None and out:
            out.append(_separator(previous, block))
        elif out:
            out.append("\n\n")
        out.append(line)
        previous = block
    return "".join(out).strip()


def _inline(block: Block, base: str | None, cache: dict[int, list[tuple[str, Piece]]]) -> str:
    node = block.node
    if not block.loose and next(node.iter(), None) is None:
        return escape(block.text)  # text only (most paragraphs): nothing to walk
    if (
        "&" not in block.text
        and not block.link_len
        and not (block.atoms if block.atoms is not None else node.css_first(ATOMS) is not None)
    ):
        # No link, image or code span below: the walk would give back its own text, escaped.
        # ("&" is walked: an invisible character dropped after escaping could make an entity.)
        # A block with link_len > 0 has an <a> that blocks.py's own query of this node (or of
        # a child, for loose text) found, so the query here would find it: skip the query;
        # blocks.py's query of a leaf block or row (Block.atoms) already asked the rest.
        return escape(block.text)
    key = node.mem_id
    if key not in cache:
        cache[key] = [(piece.text(), piece) for piece in pieces(block, base)]  # each text once, not per block
    left = cache[key]
    for i, (text, piece) in enumerate(left):
        if text == block.text:
            del left[i]  # each piece is one block; the next block of this node takes the next
            return piece.markdown()
    return escape(block.text)


def _paragraph(text: str) -> str:
    return "\n".join(escape_line_start(escape(normalise(line))) for line in text.split("\n") if line.strip())


def _separator(previous: Block, block: Block) -> str:
    if (
        previous.tag == "li"
        and block.tag == "li"
        and previous.quote_depth == block.quote_depth
        and (_within(previous.node, block.node.parent) or _within(block.node, previous.node.parent))
    ):
        return "\n"  # one tight list (or a list nested in it)
    if previous.quote_depth and block.quote_depth and _same(previous.quote_node, block.quote_node):
        return "\n" + ("> " * min(previous.quote_depth, block.quote_depth)).rstrip() + "\n"  # one quotation
    return "\n\n"


def _within(node: LexborNode, ancestor: LexborNode | None) -> bool:
    return ancestor is not None and any(parent.mem_id == ancestor.mem_id for parent in ancestors(node, 40))


def _same(a: LexborNode | None, b: LexborNode | None) -> bool:
    return a is not None and b is not None and a.mem_id == b.mem_id


def _marker(li: LexborNode, numbers: dict[int, dict[int, int]]) -> str:
    """"-", or the item's number in its <ol> (`numbers` holds each list's, counted once)."""
    parent = li.parent
    if parent is None or parent.tag != "ol":
        return "-"
    if parent.mem_id not in numbers:
        try:
            start = int(parent.attributes.get("start") or 1)
        except ValueError:
            start = 1
        items = [child.mem_id for child in parent.iter() if child.tag == "li"]
        numbers[parent.mem_id] = {key: max(start + i, 0) for i, key in enumerate(items)}
    return f"{numbers[parent.mem_id].get(li.mem_id, 1)}."


def _list_depth(li: LexborNode, most: int) -> int:
    """How deep the item's list is nested, never deeper than one below the previous item
    (a parent item whose text was dropped must not leave its children as a code block)."""
    depth = -1
    node: LexborNode | None = li.parent
    hops = 0
    while node is not None and hops < 40:
        if node.tag in _LISTS:
            depth += 1
        node = node.parent
        hops += 1
    return max(0, min(depth, most))


def _fence(raw: str) -> str:
    code = raw.strip("\n").rstrip()
    runs = [len(m) for m in re.findall(r"`+", code)]
    ticks = "`" * max(3, max(runs, default=0) + 1)
    return f"{ticks}\n{code}\n{ticks}"


def _figures_between(blocks: list[Block], base: str | None, captions: dict[int, str]) -> dict[int, list[str]]:
    """index of the block a figure comes before -> the figure's Markdown, for every figure that
    lies after the first block and before the last one in page order (not one inside a block)."""
    root = blocks[0].node
    while root.parent is not None:
        root = root.parent
    figures = root.css("figure")[:_MAX_FIGURES]
    if not figures:
        return {}
    inside = _ancestors_of(b.node for b in blocks)
    figures = [figure for figure in figures if figure.mem_id not in inside]
    if not figures:
        return {}  # every figure holds a block: the page order is not needed
    # Built at C level (no Python step per element): the walk of the whole tree is most of
    # this function's cost.
    order = dict(zip(map(_MEM_ID, islice(root.traverse(), _MAX_NODES_FOR_ORDER + 1)), count()))
    if len(order) > _MAX_NODES_FOR_ORDER:
        return {}
    positions = [order.get(b.node.mem_id, -1) for b in blocks]
    placed: dict[int, list[str]] = {}
    for figure in figures:
        at = order.get(figure.mem_id, -1)
        if not positions[0] < at < positions[-1]:
            continue
        images = [md for md in (image(img, base) for img in figure.css("img")) if md]
        if not images:
            continue
        caption = captions.get(figure.mem_id)
        md = "\n\n".join(images) + (f"\n\n*{escape(caption)}*" if caption else "")
        before = bisect.bisect_right(positions, at)  # blocks are in page order
        placed.setdefault(before, []).append(md)
    return placed


def _ancestors_of(nodes: Iterable[LexborNode]) -> set[int]:
    """mem_ids of every element that holds a block (a figure holding a quotation is text)."""
    seen: set[int] = set()
    for node in nodes:
        parent = node.parent
        while parent is not None and parent.mem_id not in seen:
            seen.add(parent.mem_id)
            parent = parent.parent
    return seen
