"""Text blocks of a tree in page order: paragraphs, headings, list items, quotations, table
rows, and text sitting loose in containers (<br><br>-separated), each with its link length."""

from __future__ import annotations

import re
from dataclasses import dataclass

from selectolax.lexbor import LexborHTMLParser, LexborNode

from scraper.extract.text import normalise

BLOCK_SELECTOR = (
    "p, h1, h2, h3, h4, h5, h6, li, blockquote, pre, dd, dt, tr, td, th, div, section, article, center, span, main"
)
_ROW_INNER = "p, h1, h2, h3, h4, h5, h6, li, blockquote, pre, div, table, ul, ol"
_INNER = "p, h1, h2, h3, h4, h5, h6, li, blockquote, pre, dd, dt, td, th, div, section, article, table, ul, ol, figure, center"
_LAYOUT_CELLS = f":is(tr, td, th):has({_ROW_INNER})"  # css_first(_ROW_INNER) for each, in one query
_ALWAYS_LEAF = frozenset({"p", "pre"})
_INNER_TAGS = frozenset(t.strip() for t in _INNER.split(","))
# Ancestors that can be "the article": a vote passes through inline and list elements.
_MAX_BLOCKS = 20_000


@dataclass(slots=True)
class Block:
    node: LexborNode
    tag: str
    text: str
    link_len: int
    quote_depth: int = 0  # >0 when inside a <blockquote>
    quote_node: LexborNode | None = None
    loose: bool = False  # text directly inside a container: the container itself gets the vote
    # Whether node.css_first("a, img, code") finds an element (markdown.py's question), read
    # with the link length's query; None when not asked (loose text, blocks made elsewhere).
    atoms: bool | None = None
    # Whether the node holds an <a> or a <q> (a superset of what __init__.py's
    # css("a[href], q") for in-body links and quotations finds), read with the same query;
    # None when not asked. False spares that query.
    refs: bool | None = None

    @property
    def link_ratio(self) -> float:
        return self.link_len / len(self.text) if self.text else 0.0


ATOMS = "a, img, code"  # the elements markdown.py's walk writes as more than their text
_ATOMS_AND_Q = ATOMS + ", q"


def _links_atoms_refs(node: LexborNode) -> tuple[int, bool, bool]:
    """(link_len(node), node.css_first(ATOMS) is not None, Block.refs) in one query, for a
    block's node (never itself an <a>, <img> or <code>: those are not blocks)."""
    if next(node.iter(), None) is None:
        return 0, False, False
    return _tally(node.css(_ATOMS_AND_Q), [])


def _data_row(node: LexborNode, tag: str, blocks: list[Block]) -> None:
    """A data table row as one block: its cells' text, and _links_atoms_refs(node), read with
    one query where the cells and the atoms were two."""
    cells: list[str] = []
    links, atoms, refs = _tally(node.css(_ROW_QUERY), cells)
    if cells:
        blocks.append(Block(node, tag, " ".join(cells), links, atoms=atoms, refs=refs))


def _tally(elements: list[LexborNode], cells: list[str]) -> tuple[int, bool, bool]:
    """Of one query's matches: the link characters, whether any is an atom, whether any is an
    <a> or a <q> (the <q>s count for neither of the first two). Table cells, which only a row's
    query asks for, add their text to `cells` instead."""
    total = 0
    atoms = refs = False
    for element in elements:
        tag_id = element.tag_id
        if tag_id in _CELL_IDS:
            cell = normalise(element.text())
            if cell:
                cells.append(cell)
            continue
        if tag_id == _Q_ID:
            refs = True
            continue
        atoms = True
        if tag_id == _A_ID:
            refs = True
            total += len(element.text(strip=True))
    return total, atoms, refs


def link_len(node: LexborNode) -> int:
    if next(node.iter(), None) is None and node.tag != "a":
        return 0  # text only (most paragraphs): no anchor to query for
    total = 0
    for a in node.css("a"):
        total += len(a.text(strip=True))
    return total


_PARAGRAPH_BREAK = re.compile(r"\n[^\S\n]*\n\s*")
_VOID_TAGS = frozenset({"img", "br", "hr", "wbr", "source", "track", "area", "col", "param", "input", "picture"})
_INLINE_MAYBE_BLOCK = frozenset({"span", "font", "a", "em", "strong", "b", "i", "u", "small", "label"})
_INLINE_TEXT = frozenset(
    {"sup", "sub", "abbr", "cite", "code", "q", "mark", "time", "s", "del", "ins", "kbd", "var", "bdi", "wbr"}
)


def _pieces(raw: str) -> list[str]:
    """Paragraphs of a block's text: <br><br> (now blank lines) separates them."""
    if "\n" not in raw:
        text = normalise(raw)
        return [text] if text else []
    return [t for t in (normalise(p) for p in _PARAGRAPH_BREAK.split(raw)) if t]


def collect_blocks(root: LexborNode) -> list[Block]:
    blocks: list[Block] = []
    candidates, holders = _scan(root)
    ids, pictures = holders.ids, holders.pictures  # holders.has_inner_block(), inlined: asked of every node
    # Rows and cells holding blocks. The :has() query walks the whole tree, and only a row or
    # cell that holds an _INNER element (one in ids, a superset) can match it: asked lazily,
    # on the first such row or cell (most pages have none).
    layout: set[int] | None = None
    for node in candidates[: _MAX_BLOCKS * 5]:
        # Tag ids, not names: every candidate's tag id stands for one name (_scan() chose them
        # by id), and an int spares decoding the name of the nodes that make no block.
        tag_id = node.tag_id
        key = node.mem_id
        if tag_id in _TABLE_PART_IDS:
            if key in ids:
                if layout is None:
                    layout = {n.mem_id for n in root.css(_LAYOUT_CELLS)}
                in_layout = key in layout
            else:
                in_layout = False
            if tag_id == _TR_ID:
                # A data table reads row by row ("1 Kyle Busch 5040 5"); layout tables fall
                # through to their cells.
                if not in_layout:
                    _data_row(node, "tr", blocks)
                continue
            if not in_layout:
                continue  # read with its row
        if tag_id in _ALWAYS_LEAF_IDS or key not in ids or (pictures and not _has_inner_block(node)):
            if tag_id == _SPAN_ID:
                continue  # an inline span is part of the block around it
            tag = node.tag or ""
            pieces = _pieces(node.text(deep=True))
            if not pieces:
                continue
            links, atoms, refs = _links_atoms_refs(node)
            if len(pieces) == 1:
                blocks.append(Block(node, tag, pieces[0], links, atoms=atoms, refs=refs))
            else:
                total = sum(len(p) for p in pieces) or 1
                for piece in pieces:
                    blocks.append(Block(node, tag, piece, int(links * len(piece) / total), atoms=atoms, refs=refs))
        elif not _no_loose_text(node):  # text sitting directly in a container ("text<br><br>text<div>…")
            _loose_runs(node, node.tag or "", blocks, holders)
        if len(blocks) >= _MAX_BLOCKS:
            break
    return blocks


# Elements holding a block somewhere below them, asked of lexbor in one query instead of
# one css_first() per child. (:has() takes the plain list: lexbor drops matches for
# "> :is(…)" and for ":not(…) x" inside :has.)
_HOLDER_TAGS = BLOCK_SELECTOR + ", " + ", ".join(sorted(_INLINE_MAYBE_BLOCK - {"span"}))
_HOLDERS = f":is({_HOLDER_TAGS}):has({_INNER})"


class _Holders:
    """Which block and inline elements of a tree contain an element of _INNER."""

    def __init__(self, ids: set[int], pictures: bool) -> None:
        self.ids = ids
        self.pictures = pictures  # a <picture> holds a block: the child-by-child test decides

    def holds(self, node: LexborNode) -> bool:
        """node.css_first(_INNER) is not None, for a node whose own tag is not in _INNER."""
        return node.mem_id in self.ids

    def has_inner_block(self, node: LexborNode) -> bool:
        if node.mem_id not in self.ids:
            return False
        return _has_inner_block(node) if self.pictures else True


_BLOCK_TAGS = frozenset(t.strip() for t in BLOCK_SELECTOR.split(","))
# One selector list for the blocks, the elements they may hold, and <picture>: one walk of
# the tree where a query each (and the :has() of _HOLDERS, the costliest) walked it three times.
_SCAN = ", ".join(sorted(_BLOCK_TAGS | _INNER_TAGS | {"picture"}))


def tag_ids(tags: frozenset[str]) -> frozenset[int]:
    """lexbor's tag ids of HTML tag names (static ones: every name here is a standard tag).
    The table's rows and cells are parsed where the parser keeps them."""
    table = "<table><tr><th></th><td></td></tr></table>"
    parsed = LexborHTMLParser(table + "".join(f"<{tag}></{tag}>" for tag in sorted(tags)))
    ids = {node.tag_id: node.tag for node in parsed.root.traverse()} if parsed.root is not None else {}
    found = frozenset(key for key, tag in ids.items() if tag in tags)
    if len(found) != len(tags):  # a name the parser dropped: fail at import, not silently
        raise ValueError(f"tag ids not found for {sorted(tags)}")
    return found


# A type selector matches an element by its tag id (whatever its namespace), so the walk
# compares the ints lexbor's own matching compares, and spares the selector list's matching.
_BLOCK_IDS = tag_ids(_BLOCK_TAGS)
_INNER_IDS = tag_ids(_INNER_TAGS)
(_PICTURE_ID,) = tag_ids(frozenset({"picture"}))
(_A_ID,) = tag_ids(frozenset({"a"}))
(_Q_ID,) = tag_ids(frozenset({"q"}))
_CELL_IDS = tag_ids(frozenset({"td", "th"}))
(_TR_ID,) = tag_ids(frozenset({"tr"}))
(_SPAN_ID,) = tag_ids(frozenset({"span"}))
_TABLE_PART_IDS = _CELL_IDS | {_TR_ID}
_ALWAYS_LEAF_IDS = tag_ids(_ALWAYS_LEAF)
_ROW_QUERY = "td, th, " + _ATOMS_AND_Q


def _scan(root: LexborNode) -> tuple[list[LexborNode], _Holders]:
    """root.css(BLOCK_SELECTOR), and which elements hold an element of _INNER.

    An element holds one exactly when it is a proper ancestor of one (what :has(_INNER)
    asks), so the holders are every element climbed from each _INNER element, stopping at
    the first already seen: the set also names ancestors outside _HOLDER_TAGS, which no
    caller asks about. The tree is walked with traverse() (root first, in page order, as
    css() gives its matches), which steps through elements faster than css(_SCAN) matches
    them."""
    found: list[LexborNode] = []
    ids: set[int] = set()
    pictures: list[LexborNode] = []
    block_ids, inner_ids = _BLOCK_IDS, _INNER_IDS
    for node in root.traverse():
        tag_id = node.tag_id
        if tag_id in block_ids:
            found.append(node)
            if tag_id not in inner_ids:
                continue
        elif tag_id not in inner_ids:
            if tag_id == _PICTURE_ID:
                pictures.append(node)
            continue
        parent = node.parent
        while parent is not None:
            key = parent.mem_id
            if key in ids:
                break
            ids.add(key)
            parent = parent.parent
    return found, _Holders(ids, any(picture.mem_id in ids for picture in pictures))


def _queried(root: LexborNode) -> tuple[list[LexborNode], _Holders]:
    """_scan() as one query each."""
    pictures = any(picture.css_first(_INNER) is not None for picture in root.css("picture"))
    return root.css(BLOCK_SELECTOR), _Holders({n.mem_id for n in root.css(_HOLDERS)}, pictures)


def _has_inner_block(node: LexborNode) -> bool:
    """Whether a block element contains other blocks. (lexbor's node.css() matches the node
    itself too, so the question is asked of each child.)"""
    for child in node.iter():
        tag = child.tag
        if tag in _INNER_TAGS:
            return True
        if tag not in _VOID_TAGS and child.css_first(_INNER) is not None:
            return True
    return False


_LOOSE_TAGS = _INLINE_MAYBE_BLOCK | _INLINE_TEXT  # the only children whose text can be loose


def _no_loose_text(node: LexborNode) -> bool:
    """True when _loose_runs() could add no block: the node's own text nodes are only white
    space (or invisible characters) and no child is an inline element. Then every run it
    would flush is white space, which _pieces() turns into nothing. Most containers are
    like that (blocks with line breaks between them): one C call and a walk of the element
    children spare reading every text child. (text(deep=False) is the concatenation of
    those children's text_content: lexbor holds text as valid UTF-8, so joining their
    bytes decodes as joining their strings does.)"""
    own = node.text(deep=False)
    if own and not own.isspace() and normalise(own):
        return False
    for child in node.iter():
        if child.tag in _LOOSE_TAGS:
            return False
    return True


def _loose_runs(node: LexborNode, tag: str, blocks: list[Block], holders: _Holders) -> None:
    """Text sitting directly in a container between its blocks, child by child: the runs of
    text and inline elements between blocks."""
    parts: list[str] = []
    links = 0

    def flush() -> None:
        # Called only with parts: links are only counted along with a part.
        nonlocal links
        raw = "".join(parts)
        parts.clear()
        if len(raw) >= 20:
            pieces = _pieces(raw)
            total = sum(len(p) for p in pieces) or 1
            for piece in pieces:
                blocks.append(Block(node, tag, piece, int(links * len(piece) / total), loose=True))
        links = 0

    for child in node.iter(include_text=True):
        if child.is_text_node:
            parts.append(child.text_content or "")
            continue
        child_tag = child.tag
        if child_tag in _INLINE_MAYBE_BLOCK:
            if holders.holds(child):  # inline tags never match _INNER themselves
                if parts:
                    flush()
                continue
            text = child.text(deep=True)
            parts.append(text)
            links += len(text) if child_tag == "a" else link_len(child)
        elif child_tag in _INLINE_TEXT:
            parts.append(child.text(deep=True))
        elif parts:
            if len(parts) == 1 and len(parts[0]) < 20:
                parts.clear()  # the white space between two blocks, most often: too short to flush
                links = 0
            else:
                flush()
    if parts:
        flush()
