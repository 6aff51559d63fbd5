"""Drop from the tree what is never article text: scripts, navigation, widgets, promos,
comment sections, share bars, hidden elements.

Removal is decided on the untouched tree and then done outermost-only, so an element is
never touched after an ancestor of it is destroyed (selectolax nodes are raw pointers: touching a
node whose ancestor was destroyed would read freed memory).
"""

from __future__ import annotations

from functools import lru_cache

from selectolax.lexbor import LexborHTMLParser, LexborNode

from scraper.extract.selectors import (
    CONTENT_HINT,
    HIDDEN,
    JUNK_TAGS,
    PREV_NEXT_CLASS,
    RELATED_BOX,
    STRUCTURAL_TAGS,
    TAXONOMY_CLASS,
    is_boilerplate,
)

# A widget-looking element holding more than this share of the page's text is more likely
# the article wrapped in an unlucky class name ("page-with-sidebar") than a widget.
_MAJORITY = 0.5
# Bounds for hostile pages (100,000 nested or classed elements): past these, extra
# candidates are ignored rather than paid for.
_MAX_NAMED = 20_000
_MAX_DOOMED = 5_000
_MARK = "data-scraper-drop"


def strip_junk(tree: LexborHTMLParser) -> None:
    """Remove scripts, styles, embeds and form controls (never article text)."""
    for node in reversed(tree.css(JUNK_TAGS)):
        node.decompose()


BOILER, HINTED, RELATED = 1, 2, 4
Named = tuple[LexborNode, str, int]  # node, lower-cased "class id", flags


def named_nodes(root: LexborNode) -> list[Named]:
    """Every element with a class or id, its lower-cased "class id" string, and what the
    names say: BOILER (a widget), HINTED (article-ish), RELATED (related / prev-next box).
    Each distinct string is classified once per page."""
    named: list[Named] = []
    for node in root.css("[class], [id]")[:_MAX_NAMED]:
        attrs = node.attrs
        names, flags = _class_names(attrs.sget("class"))
        ident = attrs.sget("id")
        if ident:
            lowered_id = ident.lower()
            flags |= _classify(lowered_id)
            names = f"{names} {lowered_id}"
        if flags:
            named.append((node, names, flags))
    return named


@lru_cache(maxsize=8192)
def _class_names(classes: str) -> tuple[str, int]:
    """A class attribute lower-cased, without CMS taxonomy classes, and its flags (pure, memoised)."""
    lowered = classes.lower()
    if "-" in lowered:
        # CMS taxonomy classes describe the article, not a widget: WordPress puts
        # "category-social-media tag-ads" on the <article> itself.
        lowered = TAXONOMY_CLASS.sub(" ", lowered)
    return lowered, (_classify(lowered) if lowered.strip() else 0)


@lru_cache(maxsize=8192)
def _classify(names: str) -> int:
    """Flags for one lower-cased class or id string. A pure function of its argument, so it
    is memoised: the same names ("container", "entry-content") recur on every page of a site
    and across sites, and this is the costliest per-element step."""
    flags = BOILER if is_boilerplate(names) else 0
    if CONTENT_HINT.search(names):
        flags |= HINTED
    # Cheap substring gate first: most names mention none of these.
    maybe_related = (
        "rel" in names
        or "read" in names
        or "see" in names
        or "also" in names
        or "more" in names
        or "nav" in names
        or "prev" in names
        or "next" in names
    )
    if maybe_related and (RELATED_BOX.search(names) or PREV_NEXT_CLASS.search(names)):
        flags |= RELATED
    return flags


def clean(root: LexborNode, named: list[Named], remove: tuple[str, ...] = ()) -> None:
    """Strip furniture from the tree under root, in place."""
    doomed: list[LexborNode] = []
    for selector in remove:
        try:
            doomed.extend(root.css(selector))
        except Exception:  # noqa: BLE001, S112 - a user's bad selector must not crash extraction
            continue
    total = len(root.text(deep=True)) or 1
    paragraphs = _paragraph_counts(root)
    total_p = paragraphs.get(root.mem_id, 0)
    for node in root.css(STRUCTURAL_TAGS):
        if paragraphs.get(node.mem_id, 0) < 4 or len(node.text()) < total * 0.2:
            doomed.append(node)
    doomed.extend(root.css(HIDDEN))
    for node, names, flags in named:
        if flags & BOILER and not _holds_article(node, names, flags, total, paragraphs.get(node.mem_id, 0), total_p):
            doomed.append(node)
    _destroy(doomed[:_MAX_DOOMED], root)


def _paragraph_counts(root: LexborNode) -> dict[int, int]:
    """mem_id -> number of <p> inside, for every ancestor of a <p> up to root (one pass)."""
    counts: dict[int, int] = {}
    for p in root.css("p")[:_MAX_NAMED]:
        node = p.parent
        hops = 0
        while node is not None and hops < 256:
            key = node.mem_id
            counts[key] = counts.get(key, 0) + 1
            node = node.parent
            hops += 1
    return counts


def _holds_article(node: LexborNode, names: str, flags: int, total: int, paragraphs: int, total_p: int) -> bool:
    """Whether a widget-named element in fact holds the article: most of the page's
    paragraphs, or (for pages without <p>) most of its text."""
    tag = node.tag
    if tag in ("html", "body"):
        return True
    if "comment" in names or "discuz" in names or "disqus" in names:
        # Comment threads can outweigh the article; only a content-named wrapper survives.
        return paragraphs >= 3 and paragraphs >= total_p * 0.6 and bool(flags & HINTED)
    hinted = tag in ("article", "main", "section") or bool(flags & HINTED)
    if paragraphs >= 3 and paragraphs >= total_p * (0.25 if hinted else 0.4):
        return True
    return paragraphs < 3 and hinted and len(node.text()) > total * _MAJORITY


def _destroy(nodes: list[LexborNode], root: LexborNode) -> None:
    """Decompose the outermost doomed nodes only: no two are nested, so no destroyed node is
    ever touched again. Nesting is found by lexbor itself (a mark and a descendant selector),
    which stays linear on 100,000 nested elements."""
    if not nodes:
        return
    for node in nodes:
        node.attrs[_MARK] = "1"
    nested = {node.mem_id for node in root.css(f"[{_MARK}] [{_MARK}]")}
    done: set[int] = set()
    for node in nodes:
        key = node.mem_id
        if key not in nested and key not in done:
            done.add(key)
            node.decompose()
