"""The standfirst: prose between the page's headline and the region chosen as the article.

Themes put the lead in the article's header or in a "teaser", "intro", "excerpt" box beside
the body container, so the container scoring leaves it out. Walking back from the region's
first block, prose blocks are taken up to the headline (a heading that repeats the title, or
the page's <h1>). With no headline in reach, only the run of prose right above the region is
taken, and only when it shares a near ancestor with it (the same article wrapper).
"""

from __future__ import annotations

import re

from selectolax.lexbor import LexborNode

from scraper.extract.blocks import Block
from scraper.extract.options import DEFAULT, Options
from scraper.extract.selectors import HEADINGS
from scraper.extract.tree import ancestor_ids, ancestors

Placed = tuple[bool, int, LexborNode | None]
SENTENCE_END = (".", "!", "?", "…", '"', "”", "“", "»", "«", ")")
_WORDS = re.compile(r"\w+")


def lead(blocks: list[Block], placed: list[Placed], title_key: str, options: Options = DEFAULT) -> list[int]:
    """Indexes of the blocks before the region that are the article's lead."""
    first = next((i for i, (inside, _, _) in enumerate(placed) if inside), None)
    if first is None:
        return []
    anchored: list[int] = []
    near: list[int] = []
    adjacent = True
    start = blocks[first].node
    region_ancestors = {start.mem_id, *ancestor_ids(start, 39)}  # the first block's element and 39 above it
    for i in range(first - 1, max(first - 1 - options.lead_max_blocks, -1), -1):
        block = blocks[i]
        if _is_headline(block, title_key):
            return sorted(anchored)
        if block.link_len and block.link_ratio > options.lead_max_link_ratio:
            if len(block.text) >= options.lead_link_list_chars:
                break  # a link list (navigation, teasers) lies between: not the article's lead
            continue
        if is_lead_sentence(block, options):
            anchored.append(i)
            if adjacent and _near(block.node, region_ancestors, options.lead_max_hops):
                near.append(i)
            continue
        if len(block.text) >= options.lead_break_chars:
            adjacent = False  # other text between: what lies above is not the article's top
    return sorted(near)


def _is_headline(block: Block, title_key: str) -> bool:
    if block.tag == "h1":
        return True
    if block.tag not in HEADINGS or len(title_key) < 8:
        return False
    key = re.sub(r"\W+", "", block.text).casefold()
    return len(key) >= 8 and (key == title_key or key in title_key or title_key in key)


def is_lead_sentence(block: Block, options: Options = DEFAULT) -> bool:
    """A standfirst reads as prose: sentences, not a kicker, a dateline or a photo caption.
    A sub-heading counts when it is a sentence or two long (themes set the standfirst as <h2>)."""
    text = block.text
    if len(text) < options.lead_min_chars or " | " in text:
        return False
    if block.tag in HEADINGS and len(text) < options.lead_heading_min_chars:
        return False
    if not text.endswith(SENTENCE_END) and (
        len(text) < options.lead_unpunctuated_chars or len(_WORDS.findall(text)) < options.lead_unpunctuated_words
    ):
        return False
    return not any(parent.tag == "figure" for parent in ancestors(block.node, 4))  # a caption, not a lead


def _near(node: LexborNode, region_ancestors: set[int], hops: int) -> bool:
    """Whether the block and the region meet within `hops` ancestors of the block (below <body>)."""
    for parent in ancestors(node, hops):
        if parent.tag in ("body", "html"):
            return False
        if parent.mem_id in region_ancestors:
            return True
    return False
