"""A block's inline content as Markdown: text escaped, links, images and code spans.

A node is walked the way body.py read its text (a leaf block's whole content; a container's
loose text between its blocks; a table row's cells), split into the same paragraphs, so each
piece can be matched to its block by its plain text. Only http(s) URLs become links or images:
a `javascript:` link stays its text.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from urllib.parse import urlsplit

from selectolax.lexbor import LexborNode

from scraper.extract.body import Block
from scraper.extract.links import absolute
from scraper.extract.text import normalise

# Mirrors body.py's reading of blocks: text directly in a container counts through these
# inline tags, and any other element ends it. A mismatch costs only the links of a block.
_PARAGRAPH_BREAK = re.compile(r"\n[^\S\n]*\n\s*")
_INNER = "p, h1, h2, h3, h4, h5, h6, li, blockquote, pre, dd, dt, td, th, div, section, article, table, ul, ol, figure, center"
_LOOSE_INLINE = frozenset(
    """span font a em strong b i u small label sup sub abbr cite code q mark time s del ins kbd var bdi wbr""".split()  # noqa: SIM905
)

_MAX_DEPTH = 48  # inline elements nested deeper than this are read as text

_INLINE_META = re.compile(r"([\\`*_\[\]<>~])")
_ENTITY = re.compile(r"&(?=#?\w+;)")
_LINE_START = re.compile(r"^(?:(#)|([-+])(?=\s|$|-)|(\d{1,9})([.)])(?=\s|$))")
_URL_UNSAFE = re.compile(r"[\s()<>\\\"`]")


def escape(text: str) -> str:
    """Plain text made literal inside a Markdown line: no emphasis, code, link, HTML or entity."""
    if _INLINE_META.search(text) is not None:  # most text has none: skip sub()'s template set-up
        text = _INLINE_META.sub(r"\\\1", text)
    return _ENTITY.sub(r"\\&", text) if "&" in text else text


def escape_line_start(md: str) -> str:
    """Keep a line that starts like a heading ("# …") or list item ("- …", "1. …") a paragraph."""
    match = _LINE_START.match(md)
    if match is None:
        return md
    if match.group(1) or match.group(2):
        return "\\" + md
    end = match.end(3)
    return md[:end] + "\\" + md[end:]


def web_url(href: str, base: str | None) -> str | None:
    """The absolute http(s) URL of a link or image, written safe for a Markdown destination."""
    url = absolute(href, base)
    if not url:
        return None
    # An ASCII address starting "http(s)://" with no brackets is one urlsplit() accepts as http(s).
    if not (url.startswith(("http://", "https://")) and url.isascii() and "[" not in url and "]" not in url):
        try:
            if urlsplit(url).scheme.lower() not in ("http", "https"):
                return None
        except ValueError:  # "http://[not-an-address"
            return None
    return _URL_UNSAFE.sub(lambda m: f"%{ord(m.group()):02X}", url)


def image(img: LexborNode, base: str | None) -> str | None:
    attrs = img.attributes
    src = web_url(attrs.get("src") or "", base) or web_url(attrs.get("data-src") or "", base)
    if src is None:
        return None
    return f"![{escape(normalise(attrs.get('alt') or ''))}]({src})"


@dataclass(slots=True)
class Piece:
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


class Walker:
    """Splits a node's inline content into pieces, as body.py splits its text into blocks."""

    def __init__(self, base: str | None) -> None:
        self.base = base
        self.pieces: list[Piece] = [Piece([], [])]
        self.depth = 0

    def text(self, raw: str) -> None:
        piece = self.pieces[-1]
        if piece.md and piece.md[-1] is None:  # join text nodes: a break can span two ("\n", "\n")
            raw = piece.plain.pop() + raw
            piece.md.pop()
        parts = _PARAGRAPH_BREAK.split(raw) if "\n" in raw else (raw,)  # a break holds two newlines
        piece.plain.append(parts[0])
        piece.md.append(None)
        for part in parts[1:]:
            self.pieces.append(Piece([part], [None]))

    def atom(self, plain: str, md: str) -> None:
        self.pieces[-1].plain.append(plain)
        self.pieces[-1].md.append(md)

    def boundary(self) -> None:
        if self.pieces[-1].plain:
            self.pieces.append(Piece([], []))

    def inline(self, node: LexborNode) -> None:
        """Everything under node as one flow of text, links and images (a leaf block)."""
        if self.depth >= _MAX_DEPTH:
            self.text(node.text(deep=True))  # thousands of nested <span>s: their text, no recursion
            return
        self.depth += 1
        for child in node.iter(include_text=True):
            if child.is_text_node:
                self.text(child.text_content or "")
            elif not (child.tag or "").startswith(("-", "_")):  # comments hold no text
                self.element(child)
        self.depth -= 1

    def element(self, child: LexborNode) -> None:
        tag = child.tag
        if tag == "a":
            self.link(child)
        elif tag == "img":
            md = image(child, self.base)
            if md:
                self.atom("", md)
        elif tag == "code" and next(child.iter(), None) is None:  # text only: a code span
            self.code(child.text(deep=True))
        else:
            self.inline(child)

    def code(self, raw: str) -> None:
        text = normalise(raw)
        if not text or _PARAGRAPH_BREAK.search(raw):
            self.text(raw)
            return
        ticks = "`" * (max((len(run) for run in re.findall(r"`+", text)), default=0) + 1)
        pad = " " if text.startswith("`") or text.endswith("`") else ""
        self.atom(raw, f"{ticks}{pad}{text}{pad}{ticks}")

    def link(self, a: LexborNode) -> None:
        url = web_url(a.attributes.get("href") or "", self.base)
        if url is None:
            self.inline(a)  # not a web link: its text stays plain text
            return
        inner = Walker(self.base)
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
                self.element(child)
            else:  # a block, an image, even a comment ends the run of text (as in body.py)
                self.boundary()

    def row(self, node: LexborNode) -> None:
        """A data table row: its cells in one line."""
        for cell in node.css("td, th"):
            if normalise(cell.text()):
                if self.pieces[-1].plain:
                    self.text(" ")
                self.inline(cell)


def pieces(block: Block, base: str | None) -> list[Piece]:
    walker = Walker(base)
    if block.tag == "tr":
        walker.row(block.node)
    elif block.loose:
        walker.loose(block.node)
    else:
        walker.inline(block.node)
    return [p for p in walker.pieces if p.plain]
