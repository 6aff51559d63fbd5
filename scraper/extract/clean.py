"""Drop from the tree what is never article text: scripts, navigation, widgets, promos,
comment sections, share bars, hidden elements.

Removal is decided on the untouched tree and then done in reverse document order, so an
element is always destroyed before any ancestor of it (selectolax nodes are raw pointers:
touching a node whose ancestor was destroyed would read freed memory).
"""

from __future__ import annotations

from selectolax.lexbor import LexborHTMLParser, LexborNode

from scraper.extract.selectors import BOILERPLATE, CONTENT_HINT, HIDDEN, JUNK_TAGS, STRUCTURAL_TAGS

# A widget-looking element holding more than this share of the page's text is more likely
# the article wrapped in an unlucky class name ("page-with-sidebar") than a widget.
_MAJORITY = 0.5


def clean(tree: LexborHTMLParser, remove: tuple[str, ...] = ()) -> LexborNode | None:
    """Strip the tree in place; return <body> (or the root) to extract from."""
    for node in reversed(tree.css(JUNK_TAGS.replace(", head", ""))):
        node.decompose()
    root = tree.body or tree.root
    if root is None:
        return None
    doomed: list[LexborNode] = []
    for selector in remove:
        try:
            doomed.extend(root.css(selector))
        except Exception:  # noqa: BLE001 - a user's bad selector must not crash extraction
            continue
    total = len(root.text(deep=True)) or 1
    for node in root.css(STRUCTURAL_TAGS):
        if len(node.css("p")) < 4 or len(node.text()) < total * 0.2:
            doomed.append(node)
    doomed.extend(root.css(HIDDEN))
    for node in root.css("[class], [id]"):
        attrs = node.attributes
        names = f"{attrs.get('class') or ''} {attrs.get('id') or ''}"
        if BOILERPLATE.search(names) and not _holds_article(node, names, total):
            doomed.append(node)
    _destroy(doomed)
    return root


def _holds_article(node: LexborNode, names: str, total: int) -> bool:
    tag = node.tag
    if tag in ("html", "body"):
        return True
    hinted = tag in ("article", "main") or bool(CONTENT_HINT.search(names))
    size = len(node.text())
    lowered = names.lower()
    if "comment" in lowered or "discuz" in lowered or "disqus" in lowered:
        # Comment threads can outweigh the article; only a content-named wrapper survives.
        return hinted and size > total * _MAJORITY
    if hinted and size > total * 0.15:
        return True
    return size > total * _MAJORITY


def _destroy(nodes: list[LexborNode]) -> None:
    """Decompose each distinct node once, descendants before ancestors."""
    unique: dict[int, LexborNode] = {}
    for node in nodes:
        unique.setdefault(node.mem_id, node)
    # Document order is the order css() returned within one query, but several queries were
    # merged; sort by a position key computed before anything is destroyed.
    for node in sorted(unique.values(), key=_depth, reverse=True):
        node.decompose()


def _depth(node: LexborNode) -> int:
    depth = 0
    parent = node.parent
    while parent is not None and depth < 10_000:
        depth += 1
        parent = parent.parent
    return depth
