"""The container(s) holding the article, readability-style: every real paragraph votes for
its parent and, with decreasing weight, a few containers above it; link-heavy containers lose
their votes; the best one keeps its well-scored twins and siblings (articles split by ads)."""

from __future__ import annotations

import re

from selectolax.lexbor import LexborNode

from scraper.extract.blocks import Block, link_len, tag_ids
from scraper.extract.options import DEFAULT, Options
from scraper.extract.selectors import COMMENT_HEADING, CONTENT_HINT, HEADINGS
from scraper.extract.text import normalise

_CONTAINERS = frozenset(
    {"div", "section", "article", "main", "body", "td", "form", "center", "blockquote", "font", "header", "span"}
)
# The climbs of _containers_above() and in_region() compare tag ids, not names: an int read
# per ancestor where .tag decoded a string (every name here is a standard tag: its id stands
# for that name, whatever the namespace, as in blocks.py's walk).
_CONTAINER_IDS = tag_ids(_CONTAINERS)
(_BLOCKQUOTE_ID,) = tag_ids(frozenset({"blockquote"}))
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
_MAX_BOOST = 1.7  # above the content hint's 1.1 times articleBody's 1.5 (with room for rounding)
_EXPAND_LEVELS = 10  # containers above a paragraph whose prose and link counts are kept
_LINK_HOPS, _VOTE_HOPS = 40, 60  # elements climbed at most, for link counts and for votes
_Chain = list[tuple[int, LexborNode, int]]  # (mem_id, container, hop it was reached at)

_URL = re.compile(r"\S+://\S+")


def _is_paragraph(block: Block) -> bool:
    text = block.text
    if len(text) < 25 or block.link_ratio >= 0.5 or block.tag in HEADINGS:
        return False
    # Image addresses and sizes printed by a slider ("https://…/a.jpg 1707 2560") are not prose.
    return "://" not in text or sum(len(u) for u in _URL.findall(text)) * 2 < len(text)


def choose_region(blocks: list[Block], options: Options = DEFAULT) -> set[int]:
    """mem_ids of the container(s) holding the article."""
    scores: dict[int, float] = {}
    # Text and link characters of every block, summed into the containers above it (the
    # link density of a candidate without querying its anchors again).
    links_in: dict[int, int] = {}
    prose: dict[int, int] = {}  # characters of real paragraphs inside each container
    # Blocks of one container share its ancestors: the chain of containers above a start
    # node is walked once per start node, with the hop at which each container was reached.
    chains: dict[int, _Chain] = {}
    sized: dict[int, tuple[_Chain, int]] = {}  # id(chain) -> (chain, prose characters below it)
    for block in blocks:
        paragraph = _is_paragraph(block)
        if not block.link_len and not paragraph:
            continue
        chain = _containers_above(block, chains)
        if block.link_len:
            for key, _container, hop in chain[: len(_LEVEL_WEIGHT)]:
                if hop > _LINK_HOPS:
                    break
                links_in[key] = links_in.get(key, 0) + block.link_len
        if not paragraph:
            continue
        text = block.text
        vote = 1.0 + text.count(",") + text.count("，") + min(len(text) / 100.0, 3.0)
        if block.tag == "li":
            vote *= 0.5
        for weight, (key, _container, _hop) in zip(_LEVEL_WEIGHT, chain):
            scores[key] = scores.get(key, 0.0) + vote * weight
        # Prose is an integer sum: added once per chain of containers, not once per block.
        held = sized.get(id(chain))
        sized[id(chain)] = (chain, len(text) + (held[1] if held else 0))
    for chain, size in sized.values():
        for key, _container, _hop in chain:
            prose[key] = prose.get(key, 0) + size
    if not scores:
        return set()
    # Each scored container's node, in the order scores were first given (the twins' loop
    # walks it): from the memoised chains, once per chain, not once per vote.
    containers = {key: container for chain in chains.values() for key, container, _hop in chain}
    nodes = {key: containers[key] for key in scores}
    top_ids = sorted(scores, key=scores.__getitem__, reverse=True)[:8]
    best_id, best_score = top_ids[0], -1.0
    for key in top_ids:
        if scores[key] * _MAX_BOOST < best_score:
            continue  # cannot win even with no links and both boosts: spare reading its text
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
    best = _widen(nodes[best_id], prose, options)
    best_id = best.mem_id
    scores.setdefault(best_id, best_score)
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
                if other and other[0] == best_class[0] and link_len(node) < 0.35 * (len(node.text()) or 1):
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


def _containers_above(block: Block, chains: dict[int, _Chain]) -> _Chain:
    """(mem_id, node, hop) of the first _EXPAND_LEVELS containers within _VOTE_HOPS elements
    above a block (from the block's own node when its text is loose in it), memoised per start."""
    parent = block.node if block.loose else block.node.parent
    if parent is None:
        return []
    start = parent.mem_id
    chain = chains.get(start)
    if chain is None:
        above = parent.parent
        known = chains.get(above.mem_id) if above is not None else None
        if known is not None:
            # The walk from the start is the start (if a container) then the walk from its
            # parent one hop further: reuse that memoised chain, shifted, within the limits.
            chain = [(start, parent, 1)] if parent.tag_id in _CONTAINER_IDS else []
            chain.extend((key, node, hop + 1) for key, node, hop in known if hop < _VOTE_HOPS)
            chain = chains[start] = chain[:_EXPAND_LEVELS]
            return chain
        chain = chains[start] = []
        hops = 0
        while parent is not None and len(chain) < _EXPAND_LEVELS and hops < _VOTE_HOPS:
            hops += 1
            if parent.tag_id in _CONTAINER_IDS:
                chain.append((parent.mem_id, parent, hops))
            parent = parent.parent
    return chain


def _widen(best: LexborNode, prose: dict[int, int], options: Options) -> LexborNode:
    """The article's whole text when the best container is one of its sections: climb while
    the container above holds clearly more real paragraphs, is mostly paragraphs itself, and
    is not a link list (sections after a sub-heading, an embed or an ad slot; the intro box)."""
    node = best
    own = prose.get(best.mem_id, 0)
    parent = best.parent
    for _ in range(options.widen_max_steps * 3):
        if parent is None or parent.tag in ("body", "html"):
            break
        if parent.tag not in _CONTAINERS:
            parent = parent.parent
            continue
        key = parent.mem_id
        above = prose.get(key, 0)
        if above < own * (1 + options.widen_min_gain):
            if above > own:
                break  # more of the same container, but not clearly more: keep the tighter one
            parent = parent.parent
            continue
        text_len = len(parent.text()) or 1
        if above / text_len < options.widen_min_prose_share:
            break
        if link_len(parent) / text_len > options.widen_max_link_density:  # only now: it reads every link
            break
        node, own = parent, above
        parent = parent.parent
    return node


def _readable_sibling(node: LexborNode) -> bool:
    """readability's test for a lone <p> next to the article container: a real sentence."""
    text = normalise(node.text())
    links = link_len(node)
    if len(text) >= 80:
        return links < len(text) * 0.25
    return links == 0 and text.endswith((".", "!", "?", "…", "”", '"'))


_Quotes = dict[int, tuple[int, LexborNode | None]]


def in_region(
    block: Block, region: set[int], known: dict[int, bool], quotes: _Quotes | None = None
) -> tuple[bool, int, LexborNode | None]:
    """Whether the block lies inside the region, and the <blockquote> around it (if any).
    `known` remembers the answer for every ancestor walked, so blocks outside the region
    (most of a page) stop at the first ancestor already seen instead of climbing to the root;
    `quotes` remembers the <blockquote>s between such an ancestor and the region."""
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
        if node.tag_id == _BLOCKQUOTE_ID:
            quote_depth += 1
            quote_node = quote_node or node
        chain.append(key)
        node = node.parent
    for key in chain:
        known[key] = inside
    if inside and quote_node is None and node is not None and node.mem_id not in region:
        # Stopped at a cached ancestor inside the region: finish the <blockquote> search
        # (siblings stop at the same ancestor: its answer is kept).
        start = node.mem_id
        found = quotes.get(start) if quotes is not None else None
        if found is None:
            depth, first = 0, None
            while node is not None and node.mem_id not in region:
                if node.tag_id == _BLOCKQUOTE_ID:
                    depth += 1
                    first = first or node
                node = node.parent
            found = (depth, first)
            if quotes is not None:
                quotes[start] = found
        quote_depth, quote_node = found
    return inside, quote_depth, quote_node
