"""The body's blocks as Markdown: sub-headings, lists, block quotations, in-sentence links and
figures, for reading; `body` stays the plain text that search and the scores use.

Each block's node is walked again for its inline content (text, links, images) the way body.py
read its text; the walk's text must equal the block's text, or the block falls back to that
text escaped, so the Markdown never says more or less than the body. Everything from the page
is escaped: plain text can never become a heading, list, link, image or HTML, and only
http(s) URLs become links or images (a `javascript:` link stays its text).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from urllib.parse import urlsplit

from selectolax.lexbor import LexborHTMLParser, LexborNode

from scraper.extract.body import Block
from scraper.extract.links import absolute
from scraper.extract.selectors import HEADINGS
from scraper.extract.text import normalise

__all__ = ["figure_captions", "render"]

# Mirrors body.py's reading of blocks: text directly in a container counts through these
# inline tags, and any other element ends it. A mismatch costs only the links of a block.
_PARAGRAPH_BREAK = re.compile(r"\n[^\S\n]*\n\s*")
_INNER = "p, h1, h2, h3, h4, h5, h6, li, blockquote, pre, dd, dt, td, th, div, section, article, table, ul, ol, figure, center"
_LOOSE_INLINE = frozenset(
    """span font a em strong b i u small label sup sub abbr cite code q mark time s del ins kbd var bdi wbr""".split()  # noqa: SIM905
)
_LISTS = frozenset({"ul", "ol", "menu"})
_MAX_FIGURES = 500
_MAX_NODES_FOR_ORDER = 200_000

_INLINE_META = re.compile(r"([\\`*_\[\]<>~])")
_ENTITY = re.compile(r"&(?=#?\w+;)")
_LINE_START = re.compile(r"^(?:(#)|([-+])(?=\s|$|-)|(\d{1,9})([.)])(?=\s|$))")
_URL_UNSAFE = re.compile(r"[\s()<>\\\"`]")


def escape(text: str) -> str:
    """Plain text made literal inside a Markdown line: no emphasis, code, link, HTML or entity."""
    return _ENTITY.sub(r"\\&", _INLINE_META.sub(r"\\\1", text))


def escape_line_start(md: str) -> str:
    """Keep a line that starts like a heading ("# …") or list item ("- …", "1. …") a paragraph."""
    match = _LINE_START.match(md)
    if match is None:
        return md
    if match.group(1) or match.group(2):
        return "\\" + md
    end = match.end(3)
    return md[:end] + "\\" + md[end:]


def _url(href: str, base: str | None) -> str | None:
    """The absolute http(s) URL of a link or image, written safe for a Markdown destination."""
    url = absolute(href, base)
    try:
        if not url or urlsplit(url).scheme.lower() not in ("http", "https"):
            return None
    except ValueError:  # "http://[not-an-address"
        return None
    return _URL_UNSAFE.sub(lambda m: f"%{ord(m.group()):02X}", url)


def _image(img: LexborNode, base: str | None) -> str | None:
    attrs = img.attributes
    src = _url(attrs.get("src") or "", base) or _url(attrs.get("data-src") or "", base)
    if src is None:
        return None
    return f"![{escape(normalise(attrs.get('alt') or ''))}]({src})"


@dataclass(slots=True)
class _Piece:
    """One paragraph of a node's inline content: its plain text and its Markdown, in parts."""

    plain: list[str]
    md: list[str | None]  # None: the plain part at that index, to be escaped

    def text(self) -> str:
        return normalise("".join(self.plain))

    def markdown(self) -> str:
        out: list[str] = []
        for i, (plain, md) in enumerate(zip(self.plain, self.md, strict=True)):
            if md is not None:
                out.append(md)
                continue
            part = escape(plain)
            if part.endswith("!") and i + 1 < len(self.md) and self.md[i + 1]:
                part = part[:-1] + "\\!"  # "Wow!" before a link must not make it an image
            out.append(part)
        return normalise("".join(out))


class _Walker:
    """Splits a node's inline content into pieces, as body.py splits its text into blocks."""

    def __init__(self, base: str | None) -> None:
        self.base = base
        self.pieces: list[_Piece] = [_Piece([], [])]

    def text(self, raw: str) -> None:
        piece = self.pieces[-1]
        if piece.md and piece.md[-1] is None:  # join text nodes: a break can span two ("\n", "\n")
            raw = piece.plain.pop() + raw
            piece.md.pop()
        parts = _PARAGRAPH_BREAK.split(raw)
        piece.plain.append(parts[0])
        piece.md.append(None)
        for part in parts[1:]:
            self.pieces.append(_Piece([part], [None]))

    def atom(self, plain: str, md: str) -> None:
        self.pieces[-1].plain.append(plain)
        self.pieces[-1].md.append(md)

    def boundary(self) -> None:
        if self.pieces[-1].plain:
            self.pieces.append(_Piece([], []))

    def inline(self, node: LexborNode) -> None:
        """Everything under node as one flow of text, links and images (a leaf block)."""
        for child in node.iter(include_text=True):
            if child.is_text_node:
                self.text(child.text_content or "")
            elif child.tag == "a":
                self.link(child)
            elif child.tag == "img":
                image = _image(child, self.base)
                if image:
                    self.atom("", image)
            elif not (child.tag or "").startswith(("-", "_")):  # comments hold no text
                self.inline(child)

    def link(self, a: LexborNode) -> None:
        url = _url(a.attributes.get("href") or "", self.base)
        if url is None:
            self.inline(a)  # not a web link: its text stays plain text
            return
        inner = _Walker(self.base)
        inner.inline(a)
        plain = "".join("".join(p.plain) for p in inner.pieces)
        label = " ".join(p.markdown() for p in inner.pieces if p.plain).strip()
        if label:
            self.atom(plain, f"[{label}]({url})")
        else:
            self.text(plain)

    def loose(self, node: LexborNode) -> None:
        """The text directly inside a container, between its blocks (body.py's loose blocks)."""
        for child in node.iter(include_text=True):
            if child.is_text_node:
                self.text(child.text_content or "")
            elif child.tag in _LOOSE_INLINE and child.css_first(_INNER) is None:
                if child.tag == "a":
                    self.link(child)
                else:
                    self.inline(child)
            else:  # a block, an image, even a comment ends the run of text (as in body.py)
                self.boundary()

    def row(self, node: LexborNode) -> None:
        """A data table row: its cells in one line."""
        for cell in node.css("td, th"):
            if normalise(cell.text()):
                if self.pieces[-1].plain:
                    self.text(" ")
                self.inline(cell)


def _pieces(block: Block, base: str | None) -> list[_Piece]:
    walker = _Walker(base)
    if block.tag == "tr":
        walker.row(block.node)
    elif block.loose:
        walker.loose(block.node)
    else:
        walker.inline(block.node)
    return [p for p in walker.pieces if p.plain]


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
    cache: dict[int, list[_Piece]] = {}
    out: list[str] = []
    previous: Block | None = None
    depth = 0
    done_pre: set[int] = set()
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
            line = "    " * depth + _marker(block.node) + " " + escape_line_start(_inline(block, base, cache))
        else:
            line = escape_line_start(_inline(block, base, cache))
        prefix = "> " * block.quote_depth
        line = "\n".join((prefix + row).rstrip() or prefix.rstrip() for row in line.split("\n"))
        if previous is not None and out:
            out.append(_separator(previous, block))
        elif out:
            out.append("\n\n")
        out.append(line)
        previous = block
    return "".join(out).strip()


def _inline(block: Block, base: str | None, cache: dict[int, list[_Piece]]) -> str:
    key = block.node.mem_id
    if key not in cache:
        cache[key] = _pieces(block, base)
    pieces = cache[key]
    for i, piece in enumerate(pieces):
        if piece.text() == block.text:
            del pieces[i]  # each piece is one block; the next block of this node takes the next
            return piece.markdown()
    return escape(block.text)


def _paragraph(text: str) -> str:
    return "\n".join(escape_line_start(escape(normalise(line))) for line in text.split("\n") if line.strip())


def _separator(previous: Block, block: Block) -> str:
    same_list = _within(previous.node, block.node.parent) or _within(block.node, previous.node.parent)
    if previous.tag == "li" and block.tag == "li" and previous.quote_depth == block.quote_depth and same_list:
        return "\n"  # one tight list (or a list nested in it)
    if previous.quote_depth and block.quote_depth and _same(previous.quote_node, block.quote_node):
        return "\n" + ("> " * min(previous.quote_depth, block.quote_depth)).rstrip() + "\n"  # one quotation
    return "\n\n"


def _within(node: LexborNode, ancestor: LexborNode | None) -> bool:
    if ancestor is None:
        return False
    key = ancestor.mem_id
    parent = node.parent
    for _ in range(40):
        if parent is None:
            return False
        if parent.mem_id == key:
            return True
        parent = parent.parent
    return False


def _same(a: LexborNode | None, b: LexborNode | None) -> bool:
    return a is not None and b is not None and a.mem_id == b.mem_id


def _marker(li: LexborNode) -> str:
    parent = li.parent
    if parent is None or parent.tag != "ol":
        return "-"
    try:
        number = int(parent.attributes.get("start") or 1)
    except ValueError:
        number = 1
    for sibling in parent.iter():
        if sibling.mem_id == li.mem_id:
            break
        if sibling.tag == "li":
            number += 1
    return f"{max(number, 0)}."


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
    order: dict[int, int] = {}
    for i, node in enumerate(root.traverse()):
        if i >= _MAX_NODES_FOR_ORDER:
            return {}
        order[node.mem_id] = i
    positions = [order.get(b.node.mem_id, -1) for b in blocks]
    inside = _ancestors_of(b.node for b in blocks)
    placed: dict[int, list[str]] = {}
    for figure in figures:
        at = order.get(figure.mem_id, -1)
        if figure.mem_id in inside or not positions[0] < at < positions[-1]:
            continue
        images = [md for md in (_image(img, base) for img in figure.css("img")) if md]
        if not images:
            continue
        caption = captions.get(figure.mem_id)
        md = "\n\n".join(images) + (f"\n\n*{escape(caption)}*" if caption else "")
        before = next(i for i, p in enumerate(positions) if p > at)
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
