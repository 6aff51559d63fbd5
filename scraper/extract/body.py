"""Find the article's own text in a cleaned tree.

1. Collect text blocks in page order (blocks.py).
2. Choose the container(s) holding the article (region.py).
3. Keep the region's blocks plus the standfirst under the headline, and drop furniture lines,
   link lists, teasers (which become related links), widgets and the notices that close a page.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from selectolax.lexbor import LexborNode

from scraper.extract.blocks import Block, collect_blocks
from scraper.extract.dates import MONTH_OR_DAY, to_iso
from scraper.extract.lead import SENTENCE_END, lead
from scraper.extract.lines import TAIL_CALL, is_furniture
from scraper.extract.options import DEFAULT, Options
from scraper.extract.region import choose_region, in_region
from scraper.extract.selectors import (
    AUTHOR_BIO,
    BYLINE,
    CAPTION_LINE,
    COMMENT_HEADING,
    COMMENT_WIDGET_LINE,
    FURNITURE_LINE,
    HEADINGS,
    PAYWALL_LINE,
    TAIL_LINE,
    TIME_LINE,
    is_promo,
)
from scraper.extract.text import normalise

__all__ = ["Block", "BodyResult", "choose_region", "collect_blocks", "select", "teaser_link"]


@dataclass(slots=True)
class BodyResult:
    blocks: list[Block] = field(default_factory=list)
    teasers: list[tuple[str, str]] = field(default_factory=list)  # (href, text)
    bylines: list[str] = field(default_factory=list)  # "By …" and date lines dropped from the text


_ARROWS = re.compile(r"^\s*[«‹←]|[»›→]\s*$")
_YEAR = re.compile(r"(?<!\d)(19|20)\d\d(?!\d)")


_DATE_WORDS = frozenset(
    """am pm a.m. p.m. gmt utc bst cet cest est edt pst pdt et pt uhr h at on um à le de del of the by
        updated published posted modified last update aktualisiert veröffentlicht publié mis jour
        actualizado às as à las feira""".split()  # noqa: SIM905 - word lists read best as text
)


def _is_date_line(text: str) -> bool:
    """A dateline or "Updated: …" stamp on its own line (not a sentence that has a date)."""
    if len(text) >= 80 or text.endswith(".") or not _YEAR.search(text):
        return False
    others = [
        w for w in re.findall(r"[^\W\d_][\w.]*", text.lower()) if w not in _DATE_WORDS and not MONTH_OR_DAY.match(w)
    ]
    return len(others) <= 1 and to_iso(text) is not None


_DIGIT = re.compile(r"\d")


def _is_short_furniture(text: str) -> bool:
    """is_promo(text) or CAPTION_LINE.search(text) or is_furniture(text), for a line under 300
    characters, lowering it once for the promo and furniture gates."""
    lowered = text.lower()
    if is_promo(text, lowered):
        return True
    # CAPTION_LINE's second branch ends in `\)$` (the end, or before a final newline): on a
    # line not ending so, only its ^-anchored first branch can match, and match() finds that at
    # position 0 without search() trying every position.
    caption = CAPTION_LINE.search if text.endswith((")", ")\n")) else CAPTION_LINE.match
    return caption(text) is not None or is_furniture(text, lowered)


def _is_byline_or_date(text: str) -> bool:
    """BYLINE.search(text) or _is_date_line(text), for a line under 80 characters. Without a
    digit (`\\d`) BYLINE's reading-time branch cannot match (only its ^-anchored first branch,
    which match() tries at position 0) and neither can _is_date_line's year."""
    if _DIGIT.search(text) is None:
        return BYLINE.match(text) is not None
    return BYLINE.search(text) is not None or _is_date_line(text)


def select(blocks: list[Block], title: str, region: set[int] | None = None, options: Options = DEFAULT) -> BodyResult:
    """The article's own blocks (in page order), its teasers and its byline lines. `region`
    (mem_ids of containers) is chosen by scoring unless given (a site's body selector)."""
    result = BodyResult()
    if region is None:
        region = choose_region(blocks, options)
    if not region:
        return result
    title_key = re.sub(r"\W+", "", title).casefold()
    previous = ""
    in_comments = False
    known: dict[int, bool] = {}
    quotes: dict[int, tuple[int, LexborNode | None]] = {}
    placed = [in_region(block, region, known, quotes) for block in blocks]
    for index in lead(blocks, placed, title_key, options):
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
        if len(text) < 40 and COMMENT_WIDGET_LINE.match(text) or len(text) < 300 and PAYWALL_LINE.match(text):
            in_comments = True  # reader reactions, or the subscribers-only notice, from here on
        if in_comments:
            continue
        if TIME_LINE.match(text):
            continue
        if FURNITURE_LINE.match(text) or (len(text) < 300 and _is_short_furniture(text)):
            continue
        if len(text) < 80 and _is_byline_or_date(text):
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
    blocks = _drop_teaser_tail(_drop_empty_sections(_drop_link_lists(result.blocks), options), options)
    while blocks and len(blocks[-1].text) < 300 and _is_tail(blocks[-1].text):
        blocks.pop()
    result.blocks = blocks
    return result


def _drop_teaser_tail(blocks: list[Block], options: Options) -> list[Block]:
    """A run of short, unpunctuated lines closing the text, mostly links or headings, is a
    teaser list (headlines and their one-line summaries: "More great stories"), not the
    article's end."""
    start = len(blocks)
    while start > 0 and _is_headline_like(blocks[start - 1], options):
        start -= 1
    run = blocks[start:]
    linked = sum(1 for b in run if b.link_ratio >= 0.5)
    headed = sum(1 for b in run if b.tag in HEADINGS)
    # Headline links, or headline and summary cards (heading, line, heading, line).
    if len(run) < options.teaser_tail_min or (linked * 2 < len(run) and (headed < 2 or headed * 3 < len(run))):
        return blocks
    kept = blocks[:start]
    while kept and kept[-1].tag in HEADINGS:
        kept.pop()  # the box's own title ("More Great Stories")
    return kept


def _is_headline_like(block: Block, options: Options) -> bool:
    text = block.text
    return len(text) < options.teaser_tail_chars and not text.endswith(SENTENCE_END)


def _is_tail(text: str) -> bool:
    """An author bio, contact note or newsletter / support call closing the page."""
    return (
        AUTHOR_BIO.match(text) is not None
        or TAIL_LINE.search(text) is not None
        or TAIL_CALL.search(text) is not None
        or is_promo(text)
    )


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


def _drop_empty_sections(blocks: list[Block], options: Options) -> list[Block]:
    """A subheading with nothing of its own under it (its list was dropped, or it ends the
    text) is a widget title: "More Great Stories", "Share this"."""
    kept: list[Block] = []
    for i, block in enumerate(blocks):
        # A heading that is a sentence or two long is a standfirst or a section's summary.
        if block.tag in HEADINGS and len(block.text) < options.lead_heading_min_chars:
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

