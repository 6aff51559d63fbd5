"""The names a page shows in its byline markup (rel=author, itemprop=author, byline and
author classes), for pages whose metadata names no author.

Teaser lists and comment threads carry author markup too: only the first byline counts, with
the names that sit beside it, never a commenter, a form label or a theme's credit line.
"""

from __future__ import annotations

from collections.abc import Callable

from selectolax.lexbor import LexborHTMLParser, LexborNode

from scraper.extract.text import normalise
from scraper.extract.tree import ancestor_ids

# (selector, whether it holds only the name, so a lower-case user name counts), most exact first.
SELECTORS = (
    ('[rel="author"]', True),
    ('[itemprop="author"] [itemprop="name"]', True),
    ('[itemprop="author"]', False),
    ('[class*="author-name"]', False),
    ('[class*="byline"] a', False),
    ('[class*="author"] a[href*="author"]', False),
    ('[class*="byline"]', False),
    ('a[href*="/author/"], a[href*="/autor/"], a[href*="/auteur/"]', False),
    ('[class*="author"]', False),
    ('[class~="author"] [class~="fn"], [class~="submitted"] [class~="username"]', True),
)
# A selector that can match only where a simpler one of the list does (its node or an ancestor
# of it matches that one): most pages have neither, and the simpler query, asked once and kept
# for its own turn, proves the other empty without a walk of the tree.
_NEEDS = {
    '[itemprop="author"] [itemprop="name"]': '[itemprop="author"]',
    '[class*="author-name"]': '[class*="author"]',
    '[class*="byline"] a': '[class*="byline"]',
    '[class*="author"] a[href*="author"]': '[class*="author"]',
    # One substring test per link in place of three: the three parts' matches all match it.
    'a[href*="/author/"], a[href*="/autor/"], a[href*="/auteur/"]': 'a[href*="/aut"]',
}
# A selector list whose first part needs an ancestor matching a query that found nothing (a
# [class~="author"] element is a [class*="author"] one): then it finds what its other part
# finds alone, and that one part is the cheaper walk.
_UNLESS = {
    '[class~="author"] [class~="fn"], [class~="submitted"] [class~="username"]': (
        '[class*="author"]',
        '[class~="submitted"] [class~="username"]',
    ),
}
# The queries most pages ask, and the gates of the others, found in one walk of the tree (each
# part still costs its tests of every element, but the walk and its callbacks are paid once,
# and the gates' walks are spared): a node comes back from a selector list once per part it
# matches, in document order. _first_walk tells the parts apart by the nodes' attributes, and
# a page where that reading does not account for lexbor's count is queried one selector a time.
_WALKED = (
    '[rel="author"]',
    '[itemprop="author"]',
    '[class*="author"]',
    '[class*="byline"]',
    'a[href*="/aut"]',
)
_WALK_QUERY = ", ".join(_WALKED)
# Selectors whose matches are those of a walked query with a longer substring: each part's
# (attribute, substring), compared case-sensitively as lexbor compares class and href.
_NARROWER = {
    '[class*="author-name"]': ('[class*="author"]', (("class", "author-name"),)),
    'a[href*="/author/"], a[href*="/autor/"], a[href*="/auteur/"]': (
        'a[href*="/aut"]',
        (("href", "/author/"), ("href", "/autor/"), ("href", "/auteur/")),
    ),
}
# An article's own footer often holds its byline ("post-footer"); the site's does not.
_OUTSIDE = (
    "comment",
    "respond",
    "reply",
    "site-info",
    "site-footer",
    "colophon",
    "credit",
    "copyright",
    "related",
    "recent",
    "license",  # an image's licence or caption names its photographer
    "licence",
    "caption",
)
_OUTSIDE_TAGS = ("form", "figure", "figcaption")
_MAX_NODES = 5
_MAX_CHARS = 80
_ANCESTORS = 12
_BESIDE = 2  # a co-author's node shares its parent or grandparent with the first byline node


def visible_authors(
    tree: LexborHTMLParser, h1: LexborNode | None, names_in: Callable[[str, bool], list[str]]
) -> list[str]:
    """Names from the first selector that finds any, read with `names_in` (authors.author_names);
    `h1` is the page's first <h1>."""
    headline = ancestor_ids(h1, _ANCESTORS)
    # The tree does not change while we read it. (Every page asks the first selector, one of
    # the walk's, so the walk is never wasted.)
    matched = _first_walk(tree)
    walked = bool(matched)

    def query(selector: str) -> list[LexborNode]:
        if walked and selector not in matched and selector in _NARROWER:
            wider, parts = _NARROWER[selector]
            matched[selector] = _narrowed(query(wider), parts)
        if selector not in matched:
            needs = _NEEDS.get(selector)
            empty, rest = _UNLESS.get(selector, (None, selector))
            if needs is not None and not query(needs):
                matched[selector] = []
            else:
                matched[selector] = tree.css(rest if empty is not None and not query(empty) else selector)
        return matched[selector]

    for selector, handles in SELECTORS:
        names: list[str] = []
        first: LexborNode | None = None
        for node in query(selector)[:_MAX_NODES]:
            text = normalise(node.text())
            if not 2 < len(text) < _MAX_CHARS or "*" in text or _outside_article(node, headline):
                continue
            found = names_in(text, handles)
            if not found:
                continue
            if first is None:
                first = node
            elif not _beside(first, node):
                continue  # another story's byline (a teaser) or an author box far below
            names.extend(found)
        if names:
            return names
    return []


def _first_walk(tree: LexborHTMLParser) -> dict[str, list[LexborNode]]:
    """What tree.css() gives for each of _WALKED, from one walk; {} when the attributes read
    here do not account for every part a node matched (a rel value in capitals, a namespaced
    attribute): then each is queried alone. Each test below implies
    lexbor's match, so a count that agrees leaves no part unaccounted for."""
    found: dict[str, list[LexborNode]] = {selector: [] for selector in _WALKED}
    rel, itemprop, author, byline, link = found.values()
    nodes = tree.css(_WALK_QUERY)
    i = 0
    while i < len(nodes):
        node = nodes[i]
        attrs = node.attributes
        classes = attrs.get("class") or ""
        count = 0
        if attrs.get("rel") == "author":
            rel.append(node)
            count += 1
        if attrs.get("itemprop") == "author":
            itemprop.append(node)
            count += 1
        if "author" in classes:
            author.append(node)
            count += 1
        if "byline" in classes:
            byline.append(node)
            count += 1
        if node.tag == "a" and "/aut" in (attrs.get("href") or ""):
            link.append(node)
            count += 1
        end = i + count
        if not count or nodes[end - 1].mem_id != node.mem_id or (end < len(nodes) and nodes[end].mem_id == node.mem_id):
            return {}
        i = end
    return found


def _narrowed(nodes: list[LexborNode], parts: tuple[tuple[str, str], ...]) -> list[LexborNode]:
    """tree.css() of a list of [attribute*="substring"] parts, each narrower than the query that
    found `nodes`: a node once per part it matches, as lexbor lists it (the values compared
    case-sensitively, as lexbor compares class and href)."""
    narrowed: list[LexborNode] = []
    for node in nodes:
        attrs = node.attributes
        for name, substring in parts:
            if substring in (attrs.get(name) or ""):
                narrowed.append(node)
    return narrowed


def _outside_article(node: LexborNode, headline: set[int]) -> bool:
    """Inside a comment thread, a form, the site's footer or credits, or a teaser box: someone
    else's name. A wrapper that holds the headline is the article, whatever its names say."""
    current: LexborNode | None = node
    for _ in range(_ANCESTORS):
        if current is None or current.mem_id in headline:
            return False
        if current.tag in _OUTSIDE_TAGS:
            return True
        names = f"{current.attributes.get('class') or ''} {current.attributes.get('id') or ''}".lower()
        if any(word in names for word in _OUTSIDE):
            return True
        current = current.parent
    return False


def _beside(first: LexborNode, node: LexborNode) -> bool:
    """Co-authors share a parent or grandparent with the first name; teasers sit deeper apart."""
    return bool(ancestor_ids(first, _BESIDE) & ancestor_ids(node, _BESIDE))


_LINES_AFTER_HEADLINE = 25
_MAX_LINE_CHARS = 80


def lines_after_headline(h1: LexborNode | None) -> list[str]:
    """The short text pieces that follow the page's first <h1>, where a byline sits ("By Jane Doe
    Thursday, November 9"), each joined with the next (the name is often its own link)."""
    if h1 is None:
        return []
    pieces: list[str] = []
    node: LexborNode | None = h1
    while node is not None and len(pieces) < _LINES_AFTER_HEADLINE:
        following = node.next
        while following is not None and len(pieces) < _LINES_AFTER_HEADLINE:
            # (White-space-only text normalises to nothing: lexbor skips it without a node object.)
            for inner in following.traverse(include_text=True, skip_empty=True):
                if inner.tag in ("script", "style"):
                    continue
                text = normalise(inner.text_content or "") if inner.tag == "-text" else ""
                if text and (inner.parent is None or inner.parent.tag not in ("script", "style")):
                    pieces.append(text)
                    if len(pieces) >= _LINES_AFTER_HEADLINE:
                        break
            following = following.next
        node = node.parent
    if not pieces:
        return []  # (pieces[1:] + [""] would be one longer than no pieces)
    joined = [f"{a} {b}" for a, b in zip(pieces, pieces[1:] + [""], strict=True)]
    return [line.strip() for line in joined if len(line) <= _MAX_LINE_CHARS]
