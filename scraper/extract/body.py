"""Find the article's own text in a cleaned tree.

1. Collect text blocks (paragraphs, headings, list items, quotations, text-only divs) in page order.
2. Score their ancestors, readability-style: every real paragraph votes for its parent and,
   with decreasing weight, a few containers above it; link-heavy containers lose their votes.
3. Keep the best container plus the siblings that score well too (articles split by ads),
   and within them drop furniture lines, link lists and teasers (which become related links).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from selectolax.lexbor import LexborNode

from scraper.extract.dates import MONTH_OR_DAY, to_iso
from scraper.extract.selectors import (
    AUTHOR_BIO,
    BYLINE,
    COMMENT_HEADING,
    COMMENT_WIDGET_LINE,
    CONTENT_HINT,
    FURNITURE_LINE,
    HEADINGS,
    TAIL_LINE,
    TIME_LINE,
    is_promo,
)
from scraper.extract.text import normalise

BLOCK_SELECTOR = (
    "p, h1, h2, h3, h4, h5, h6, li, blockquote, pre, dd, dt, tr, td, th, div, section, article, center, span, main"
)
_ROW_INNER = "p, h1, h2, h3, h4, h5, h6, li, blockquote, pre, div, table, ul, ol"
_INNER = "p, h1, h2, h3, h4, h5, h6, li, blockquote, pre, dd, dt, td, th, div, section, article, table, ul, ol, figure, center"
_ALWAYS_LEAF = frozenset({"p", "pre"})
_INNER_TAGS = frozenset(t.strip() for t in _INNER.split(","))
# Ancestors that can be "the article": a vote passes through inline and list elements.
_CONTAINERS = frozenset(
    {"div", "section", "article", "main", "body", "td", "form", "center", "blockquote", "font", "header", "span"}
)
# Grid and wrapper classes every block on a page shares: no evidence of being the same text.
_LAYOUT_CLASSES = frozenset(
    """row col column columns container container-fluid wrapper wrap inner outer clearfix clear cf group
        section block box grid grid-item item cell panel module widget component layout flex d-flex w-100
        mb-3 mt-3 pt-3 pb-3 content main""".split()  # noqa: SIM905 - word lists read best as text
)
_COMMENTS_PREFIX = re.compile(
    r"(\d+\s*)?(comment|response|repl|reader|leave a|join the|discussion|post a|kommentar|commentaire|réagi|коммент)",
    re.IGNORECASE,
)
_LEVEL_WEIGHT = (1.0, 0.5, 0.3, 0.2, 0.1)
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

    @property
    def link_ratio(self) -> float:
        return self.link_len / len(self.text) if self.text else 0.0


@dataclass(slots=True)
class BodyResult:
    blocks: list[Block] = field(default_factory=list)
    teasers: list[tuple[str, str]] = field(default_factory=list)  # (href, text)
    bylines: list[str] = field(default_factory=list)  # "By …" and date lines dropped from the text


def _link_len(node: LexborNode) -> int:
    total = 0
    for a in node.css("a"):
        total += len(a.text(strip=True))
    return total


_PARAGRAPH_BREAK = re.compile(r"\n[^\S\n]*\n\s*")
_VOID_TAGS = frozenset({"img", "br", "hr", "wbr", "source", "track", "area", "col", "param", "input", "picture"})
_INLINE_MAYBE_BLOCK = frozenset({"span", "font", "a", "em", "strong", "b", "i", "u", "small", "label"})


def _pieces(raw: str) -> list[str]:
    """Paragraphs of a block's text: <br><br> (now blank lines) separates them."""
    if "\n" not in raw:
        text = normalise(raw)
        return [text] if text else []
    return [t for t in (normalise(p) for p in _PARAGRAPH_BREAK.split(raw)) if t]


def collect_blocks(root: LexborNode) -> list[Block]:
    blocks: list[Block] = []
    for node in root.css(BLOCK_SELECTOR)[: _MAX_BLOCKS * 5]:
        tag = node.tag or ""
        if tag == "tr":
            # A data table reads row by row ("1 Kyle Busch 5040 5"); layout tables fall
            # through to their cells.
            if node.css_first(_ROW_INNER) is None:
                cells = [normalise(cell.text()) for cell in node.css("td, th")]
                text = " ".join(c for c in cells if c)
                if text:
                    blocks.append(Block(node, tag, text, _link_len(node)))
            continue
        if tag in ("td", "th") and node.css_first(_ROW_INNER) is None:
            continue  # read with its row
        if tag in _ALWAYS_LEAF or not _has_inner_block(node):
            if tag == "span":
                continue  # an inline span is part of the block around it
            pieces = _pieces(node.text(deep=True))
            if not pieces:
                continue
            links = _link_len(node)
            if len(pieces) == 1:
                blocks.append(Block(node, tag, pieces[0], links))
            else:
                total = sum(len(p) for p in pieces) or 1
                for piece in pieces:
                    blocks.append(Block(node, tag, piece, int(links * len(piece) / total)))
        else:
            _loose_text(node, tag, blocks)
        if len(blocks) >= _MAX_BLOCKS:
            break
    return blocks


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


def _loose_text(node: LexborNode, tag: str, blocks: list[Block]) -> None:
    """Text sitting directly in a container between its blocks ("text<br><br>text<div>…")."""
    parts: list[str] = []
    links = 0

    def flush() -> None:
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
            if child.css_first(_INNER) is not None:  # inline tags never match _INNER themselves
                flush()
                continue
            text = child.text(deep=True)
            parts.append(text)
            links += len(text) if child_tag == "a" else _link_len(child)
        elif child_tag in (
            "sup",
            "sub",
            "abbr",
            "cite",
            "code",
            "q",
            "mark",
            "time",
            "s",
            "del",
            "ins",
            "kbd",
            "var",
            "bdi",
            "wbr",
        ):
            parts.append(child.text(deep=True))
        else:
            flush()
    flush()


def _is_paragraph(block: Block) -> bool:
    return len(block.text) >= 25 and block.link_ratio < 0.5 and block.tag not in HEADINGS


def choose_region(blocks: list[Block]) -> set[int]:
    """mem_ids of the container(s) holding the article."""
    scores: dict[int, float] = {}
    nodes: dict[int, LexborNode] = {}
    # Text and link characters of every block, summed into the containers above it (the
    # link density of a candidate without querying its anchors again).
    links_in: dict[int, int] = {}
    for block in blocks:
        if block.link_len:
            parent = block.node if block.loose else block.node.parent
            level = hops = 0
            while parent is not None and level < len(_LEVEL_WEIGHT) and hops < 40:
                hops += 1
                if parent.tag in _CONTAINERS:
                    key = parent.mem_id
                    links_in[key] = links_in.get(key, 0) + block.link_len
                    level += 1
                parent = parent.parent
    for block in blocks:
        if not _is_paragraph(block):
            continue
        text = block.text
        vote = 1.0 + text.count(",") + text.count("，") + min(len(text) / 100.0, 3.0)
        if block.tag == "li":
            vote *= 0.5
        level = 0
        parent = block.node if block.loose else block.node.parent
        hops = 0
        while parent is not None and level < len(_LEVEL_WEIGHT) and hops < 40:
            hops += 1
            if parent.tag in _CONTAINERS:
                key = parent.mem_id
                scores[key] = scores.get(key, 0.0) + vote * _LEVEL_WEIGHT[level]
                nodes.setdefault(key, parent)
                level += 1
            parent = parent.parent
    if not scores:
        return set()
    top_ids = sorted(scores, key=scores.__getitem__, reverse=True)[:8]
    best_id, best_score = top_ids[0], -1.0
    for key in top_ids:
        node = nodes[key]
        text = node.text()
        # A reader-comment thread can outscore a short article. (text() glues "12 Comments"
        # to what follows, so a hit on the loose prefix is confirmed with separators.)
        if _COMMENTS_PREFIX.match(text[:40].lstrip()) and COMMENT_HEADING.match(
            node.text(separator=" ")[:120].lstrip()
        ):
            continue
        text_len = len(text) or 1
        density = min(links_in.get(key, 0) / text_len, 1.0)
        score = scores[key] * (1.0 - density)
        attrs = node.attributes
        if CONTENT_HINT.search(f"{attrs.get('class') or ''} {attrs.get('id') or ''}".lower()) or node.tag == "article":
            score *= 1.1
        if attrs.get("itemprop") == "articleBody":
            score *= 1.5  # the publisher says so (schema.org microdata)
        if score > best_score:
            best_id, best_score = key, score
    best = nodes[best_id]
    region = {best_id}
    # Articles split into chunks ("…<div class=body>…</div><ad/><div class=body>…") repeat
    # the wrapper's tag and class: every well-scored twin of the best container belongs too.
    # (The first class token is compared: "block-text block-text_first" is a twin of "block-text".)
    best_class = (best.attributes.get("class") or "").split()
    if best_class and best_class[0].lower() not in _LAYOUT_CLASSES:
        floor = max(3.0, scores[best_id] * 0.1)
        for key, node in nodes.items():
            if key != best_id and scores[key] >= floor and node.tag == best.tag:
                other = (node.attributes.get("class") or "").split()
                if other and other[0] == best_class[0] and _link_len(node) < 0.35 * (len(node.text()) or 1):
                    region.add(key)
    # Articles split by ads or "read also" boxes continue in sibling containers.
    parent = best.parent
    if parent is not None:
        threshold = max(3.0, best_score * 0.2)
        for sibling in parent.iter():
            key = sibling.mem_id
            if (
                key != best_id
                and scores.get(key, 0.0) >= threshold
                or sibling.tag == "p"
                and key != best_id
                and _readable_sibling(sibling)
            ):
                region.add(key)
    return region


def _readable_sibling(node: LexborNode) -> bool:
    """readability's test for a lone <p> next to the article container: a real sentence."""
    text = normalise(node.text())
    links = _link_len(node)
    if len(text) >= 80:
        return links < len(text) * 0.25
    return links == 0 and text.endswith((".", "!", "?", "…", "”", '"'))


def _in_region(block: Block, region: set[int], known: dict[int, bool]) -> tuple[bool, int, LexborNode | None]:
    """Whether the block lies inside the region, and the <blockquote> around it (if any).
    `known` remembers the answer for every ancestor walked, so blocks outside the region
    (most of a page) stop at the first ancestor already seen instead of climbing to the root."""
    node: LexborNode | None = block.node
    quote_depth = 0
    quote_node = None
    chain: list[int] = []
    inside = False
    while node is not None and len(chain) < 200:
        key = node.mem_id
        if key in region:
            inside = True
            break
        cached = known.get(key)
        if cached is not None:
            inside = cached
            break
        if node.tag == "blockquote":
            quote_depth += 1
            quote_node = quote_node or node
        chain.append(key)
        node = node.parent
    for key in chain:
        known[key] = inside
    if inside and quote_node is None and node is not None and node.mem_id not in region:
        # Stopped at a cached ancestor inside the region: finish the <blockquote> search.
        while node is not None and node.mem_id not in region:
            if node.tag == "blockquote":
                quote_depth += 1
                quote_node = quote_node or node
            node = node.parent
    return inside, quote_depth, quote_node


_ARROWS = re.compile(r"^\s*[«‹←]|[»›→]\s*$")
_YEAR = re.compile(r"(?<!\d)(19|20)\d\d(?!\d)")


_DATE_WORDS = frozenset(
    """am pm a.m. p.m. gmt utc bst cet cest est edt pst pdt et pt uhr h at on um à le de del of the by
        updated published posted modified last update aktualisiert veröffentlicht publié mis jour
        actualizado""".split()  # noqa: SIM905 - word lists read best as text
)


def _is_date_line(text: str) -> bool:
    """A dateline or "Updated: …" stamp on its own line (not a sentence that has a date)."""
    if len(text) >= 80 or text.endswith(".") or not _YEAR.search(text):
        return False
    others = [
        w for w in re.findall(r"[^\W\d_][\w.]*", text.lower()) if w not in _DATE_WORDS and not MONTH_OR_DAY.match(w)
    ]
    return len(others) <= 1 and to_iso(text) is not None


def select(blocks: list[Block], title: str, region: set[int] | None = None) -> BodyResult:
    """The article's own blocks (in page order), its teasers and its byline lines. `region`
    (mem_ids of containers) is chosen by scoring unless given (a site's body selector)."""
    result = BodyResult()
    if region is None:
        region = choose_region(blocks)
    if not region:
        return result
    title_key = re.sub(r"\W+", "", title).casefold()
    previous = ""
    in_comments = False
    known: dict[int, bool] = {}
    placed = [_in_region(block, region, known) for block in blocks]
    for index in _lead(blocks, placed, title_key):
        placed[index] = (True, 0, None)
    for block, (inside, depth, quote_node) in zip(blocks, placed):
        if not inside:
            if block.link_len and block.link_ratio > 0.6 and _ARROWS.search(block.text):
                # "« Older post | Newer post »" on pages with no classes to say so.
                for a in block.node.css("a[href]")[:4]:
                    words = normalise(a.text())
                    if _ARROWS.search(words) and len(words.split()) >= 4:
                        result.teasers.append((a.attributes.get("href") or "", words))
            continue
        block.quote_depth, block.quote_node = depth, quote_node
        text = block.text
        if block.tag in HEADINGS:
            if re.sub(r"\W+", "", text).casefold() == title_key:
                continue
            if COMMENT_HEADING.match(text):
                in_comments = True  # only reader comments follow
        if len(text) < 40 and COMMENT_WIDGET_LINE.match(text):
            in_comments = True
        if in_comments:
            continue
        if TIME_LINE.match(text):
            continue
        if FURNITURE_LINE.match(text) or (len(text) < 300 and is_promo(text)):
            continue
        if len(text) < 80 and (BYLINE.match(text) or _is_date_line(text)):
            result.bylines.append(text)  # the visible page's author and date, for metadata fallbacks
            continue
        if block.link_len and not _is_source_url(text):
            teaser = teaser_link(block) if block.tag not in HEADINGS else None
            if teaser is not None:
                result.teasers.append(teaser)
                continue
            ratio = block.link_ratio
            # A linked subheading heads its section (product guides); a dangling one is
            # dropped later with the empty sections.
            if block.tag not in HEADINGS and (ratio > 0.8 or (ratio >= 0.5 and len(text) < 120)):
                continue
        if text == previous:
            continue
        previous = text
        result.blocks.append(block)
    blocks = _drop_empty_sections(_drop_link_lists(result.blocks))
    while blocks and len(blocks[-1].text) < 300 and _is_tail(blocks[-1].text):
        blocks.pop()
    result.blocks = blocks
    return result


_LEAD_MAX_BLOCKS = 8  # blocks between the headline and the region searched for a standfirst
_LEAD_MAX_LINK_RATIO = 0.3
_LEAD_MIN_CHARS = 30


def _lead(blocks: list[Block], placed: list[tuple[bool, int, LexborNode | None]], title_key: str) -> list[int]:
    """Indexes of the standfirst: the text blocks between the headline and the region's first
    block. Themes put the lead in the article's header, a "teaser" or "intro" box outside the
    body container; only what sits under the page's own headline is taken."""
    first = next((i for i, (inside, _, _) in enumerate(placed) if inside), None)
    if first is None or len(title_key) < 8:
        return []
    found: list[int] = []
    for i in range(first - 1, max(first - 1 - _LEAD_MAX_BLOCKS, -1), -1):
        block = blocks[i]
        key = re.sub(r"\W+", "", block.text).casefold()
        if block.tag in HEADINGS and len(key) >= 8 and (key == title_key or key in title_key or title_key in key):
            return sorted(found)
        if block.link_len and block.link_ratio > _LEAD_MAX_LINK_RATIO:
            if len(block.text) >= 80:
                return []  # a link list (navigation, teasers) lies between: not the article's lead
            continue
        if _is_lead_sentence(block):
            found.append(i)
    return []


def _is_lead_sentence(block: Block) -> bool:
    """A standfirst reads as prose: sentences, not a kicker, a dateline or a photo caption."""
    text = block.text
    if len(text) < _LEAD_MIN_CHARS or block.tag in HEADINGS or " | " in text:
        return False
    if not text.endswith((".", "!", "?", "…", '"', "”", "“", "»", "«")):
        return False
    node = block.node
    for _ in range(4):
        node = node.parent
        if node is None:
            break
        if node.tag == "figure":
            return False
    return True


def _is_tail(text: str) -> bool:
    """An author bio, contact note or newsletter / support call closing the page."""
    return AUTHOR_BIO.match(text) is not None or TAIL_LINE.search(text) is not None or is_promo(text)


def _drop_link_lists(blocks: list[Block]) -> list[Block]:
    """Lists whose every item is mostly a link are "more stories" boxes, not article text."""
    lists: dict[int, list[Block]] = {}
    for block in blocks:
        if block.tag == "li":
            parent = block.node.parent
            if parent is not None:
                lists.setdefault(parent.mem_id, []).append(block)
    doomed: set[int] = set()
    for items in lists.values():
        linked = len(items) >= 3 and all(b.link_len for b in items)
        if linked and sum(b.link_len for b in items) > 0.5 * sum(len(b.text) for b in items):
            doomed.update(id(b) for b in items)
    return [b for b in blocks if id(b) not in doomed] if doomed else blocks


def _drop_empty_sections(blocks: list[Block]) -> list[Block]:
    """A subheading with nothing of its own under it (its list was dropped, or it ends the
    text) is a widget title: "More Great Stories", "Share this"."""
    kept: list[Block] = []
    for i, block in enumerate(blocks):
        if block.tag in HEADINGS:
            following = blocks[i + 1] if i + 1 < len(blocks) else None
            if following is None or (following.tag in HEADINGS and following.tag <= block.tag):
                continue
        kept.append(block)
    return kept


_LABEL = re.compile(r"^[^\W\d_][^:|»]{0,40}[:|»>]\s*$")


def _is_source_url(text: str) -> bool:
    """A bare URL on its own line: a cited source, part of the text."""
    return text.startswith(("http://", "https://", "www.")) and " " not in text


def teaser_link(block: Block) -> tuple[str, str] | None:
    """(href, text) when the block is only a label and a link to another page."""
    if block.tag == "li" or block.link_ratio < 0.6:
        return None
    anchors = [a for a in block.node.css("a[href]")]
    hrefs = {(a.attributes.get("href") or "").strip() for a in anchors}
    if len(hrefs) != 1:
        return None
    href = hrefs.pop()
    if not href or href.startswith(("#", "mailto:", "javascript:", "tel:")):
        return None
    link_text = normalise(" ".join(a.text() for a in anchors))
    if len(link_text.split()) < 3:
        return None
    text = block.text
    rest = text.replace(link_text, "", 1).strip() if link_text in text else ""
    if rest and not (_LABEL.match(rest) or len(rest.split()) <= 2 or rest.isupper()):
        return None
    return href, text
