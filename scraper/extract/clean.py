"""Drop from the tree what is never article text: scripts, navigation, widgets, promos,
comment sections, share bars, hidden elements.

Removal is decided on the untouched tree and then done outermost-only, so an element is
never touched after an ancestor of it is destroyed (selectolax nodes are raw pointers: touching a
node whose ancestor was destroyed would read freed memory).
"""

from __future__ import annotations

from selectolax.lexbor import LexborHTMLParser, LexborNode

from scraper.extract.classify import BOILER, COMMENTS, HINTED, MAY_HIDE, USED, WEAK, class_marks, id_flags
from scraper.extract.options import DEFAULT, Options
from scraper.extract.selectors import HIDDEN, HIDDEN_CLASS, JUNK_TAGS, RESPONSIVE_SHOW, STRUCTURAL_TAGS
from scraper.extract.tree import ancestors, by_tag

_MARK = "data-scraper-drop"


def strip_junk(tree: LexborHTMLParser, options: Options = DEFAULT) -> None:
    """Remove scripts, styles, embeds and form controls (never article text)."""
    # One tag look-up per name walks the tree faster than one selector list of thirty names, and
    # strip_tags does each in C, with no Python node made per element. It detaches rather than
    # frees (recursive=False): nothing is freed that a later match inside it still points at, and
    # the document frees it all when it goes.
    tree.strip_tags(JUNK_TAGS, recursive=False)
    # <noscript> holds tracking pixels and "enable JavaScript" notes, except on pages whose
    # markup opens an element inside it and never closes it: then the whole page is in it.
    noscripts = tree.tags("noscript")
    if not noscripts:
        return  # spare reading the whole body's text
    body = tree.body
    total = len(body.text()) if body is not None else 0
    for node in reversed(noscripts):
        if total and len(node.text()) > total * options.noscript_page_share:
            node.unwrap()
        else:
            node.decompose()


Named = tuple[LexborNode, int, int]  # node, flags (classify.py), place in the NAMED match list
NAMED = "[class], [id]"
_BR = LexborHTMLParser("<br>").css_first("br").tag_id  # type: ignore[union-attr]


def named_nodes(root: LexborNode, options: Options = DEFAULT) -> list[Named]:
    """Every element whose class or id names make clean.py or links.py act on it, with the
    flags those names carry (classify.py), in page order; and every element whose class may
    hide it (flag MAY_HIDE alone). Past options.max_named elements, root stands for the rest
    of the page with MAY_HIDE."""
    named: list[Named] = []
    append = named.append
    marks, ident_flags, used = class_marks, id_flags, USED  # locals: this loop runs 500 times a page
    matches = root.css(NAMED)
    place = 0
    for node in matches[: options.max_named]:
        attrs = node.attributes  # one dict per node: cheaper than two attrs.sget() look-ups
        flags = marks(attrs.get("class") or "")
        ident = attrs.get("id")
        if ident:
            flags |= ident_flags(ident)
        if (used[flags] or flags & MAY_HIDE) and node.tag_id != _BR:  # <br> is a line break before clean runs
            append((node, flags, place))
        place += 1
    if len(matches) > options.max_named:
        append((root, MAY_HIDE, place))
    return named


def clean(root: LexborNode, named: list[Named], remove: tuple[str, ...] = (), options: Options = DEFAULT) -> None:
    """Strip furniture from the tree under root, in place. A name or a tag is a hint, weighed
    against how much of the page's own text (text outside links) the element holds."""
    doomed: list[LexborNode] = []
    for selector in remove:
        try:
            doomed.extend(root.css(selector))
        except Exception:  # noqa: BLE001, S112 - a user's bad selector must not crash extraction
            continue
    paragraphs, links, furniture = by_tag(root, _BY_TAG)
    page = _Page(root, paragraphs[: options.max_named], links[: options.max_named], options)
    for node in furniture:
        if not page.structural_holds_article(node):
            doomed.append(node)
    for node in root.css(HIDDEN):
        if page.share(node) < options.hidden_share:
            doomed.append(node)
    hiding_classes = any(flags & MAY_HIDE for _, flags, _ in named)
    for node in root.css(HIDDEN_CLASS) if hiding_classes else ():
        if not RESPONSIVE_SHOW.search(node.attrs.sget("class")) and page.share(node) < options.hidden_share:
            doomed.append(node)
    judged = len(doomed)
    # Elements inside a widget go with it, whatever their own names say: they are not judged.
    # root.css(NAMED) lists a subtree as one run (the element, then what is inside it), and
    # node.css(NAMED) is that run, so its length says which later places are inside.
    inside_until = -1
    skipped = 0
    for node, flags, place in named:
        if not USED[flags]:
            continue  # listed for MAY_HIDE only
        if place <= inside_until:
            skipped += 1
        elif page.named_is_widget(node, flags):
            doomed.append(node)
            inside_until = place + len(node.css(NAMED)) - 1
    if len(doomed) + skipped > options.max_doomed:
        # Past the cap, which elements go depends on the full list in page order: judge all.
        del doomed[judged:]
        doomed.extend(node for node, flags, _ in named if page.named_is_widget(node, flags))
    _destroy(doomed[: options.max_doomed], root)


class _Page:
    """Counts over the untouched tree, summed into every ancestor in one pass each: <p>
    elements and link characters. The share of the page's own text an element holds is
    its text minus its links, over the same for the whole page."""

    __slots__ = ("lengths", "links", "options", "own_total", "paragraphs", "total_p")

    def __init__(self, root: LexborNode, paragraphs: list[LexborNode], links: list[LexborNode], options: Options) -> None:
        self.options = options
        self.paragraphs = _ancestor_sums(paragraphs, text_length=False)
        self.links = _ancestor_sums(links, text_length=True)
        self.total_p = self.paragraphs.get(root.mem_id, 0)
        self.lengths: dict[int, int] = {}
        self.own_total = max(len(root.text()) - self.links.get(root.mem_id, 0), 1)

    def own(self, node: LexborNode) -> tuple[int, int]:
        """(text length, link text length) of an element."""
        key = node.mem_id
        length = self.lengths.get(key)
        if length is None:
            length = self.lengths[key] = len(node.text())
        return length, self.links.get(key, 0)

    def share(self, node: LexborNode) -> float:
        text, links = self.own(node)
        return max(text - links, 0) / self.own_total

    def link_density(self, node: LexborNode) -> float:
        text, links = self.own(node)
        return links / text if text else 1.0

    def named_is_widget(self, node: LexborNode, flags: int) -> bool:
        if flags & BOILER:
            return not self.named_holds_article(node, flags)
        return bool(flags & WEAK) and not flags & HINTED and self.weak_is_widget(node)

    def weak_is_widget(self, node: LexborNode) -> bool:
        """A weakly named element (teaser, meta, widget, ad) is a widget when it is a link list
        that holds little of the page."""
        if node.tag in ("html", "body"):
            return False
        return self.link_density(node) > self.options.weak_link_density and self.share(node) < self.options.named_share_hinted

    def structural_holds_article(self, node: LexborNode) -> bool:
        """A <header>, <form>, <aside> ... that holds the article (themes wrap everything in
        <form>; an article's own <header> holds its standfirst)."""
        o = self.options
        paragraphs = self.paragraphs.get(node.mem_id, 0)
        if paragraphs >= o.structural_paragraphs and (
            self.share(node) >= o.structural_text_share or paragraphs >= self.total_p * o.structural_paragraph_share
        ):
            return True
        if node.tag != "header" or (node.css_first("h1, h2") is None
                                    and not any(parent.tag == "article" for parent in ancestors(node, 12))):
            return False
        # An article's header: its headline, or its place in an <article>, and little link text.
        # A breadcrumb trail inside it is its own <nav>/<ol> and goes with the link lists.
        return self.link_density(node) < o.header_link_density

    def named_holds_article(self, node: LexborNode, flags: int) -> bool:
        """Whether a widget-named element in fact holds the article: most of the page's
        paragraphs, or most of its own text."""
        o = self.options
        tag = node.tag
        if tag in ("html", "body"):
            return True
        paragraphs = self.paragraphs.get(node.mem_id, 0)
        hinted = bool(flags & HINTED)
        if flags & COMMENTS:
            # Comment threads can outweigh the article; only a content-named wrapper survives.
            return hinted and self.share(node) >= o.comment_share
        hinted = hinted or tag in ("article", "main", "section")
        if paragraphs >= o.named_paragraphs and paragraphs >= self.total_p * (
            o.named_paragraph_share_hinted if hinted else o.named_paragraph_share
        ):
            return True
        if hinted:
            return self.share(node) >= o.named_share_hinted
        # Unhinted: most of the page's own text, and no fewer of its paragraphs than the rest.
        return self.share(node) >= o.named_share and paragraphs * 2 >= self.total_p


_FURNITURE = frozenset(tag.strip() for tag in STRUCTURAL_TAGS.split(","))


# <p>, <a> and furniture elements, each in page order, from one walk of the tree.
_BY_TAG = [("p", frozenset({"p"})), ("a", frozenset({"a"})), (STRUCTURAL_TAGS, _FURNITURE)]


def _ancestor_sums(matches: list[LexborNode], *, text_length: bool) -> dict[int, int]:
    """mem_id -> the matches inside (or the characters of their text, each piece stripped),
    for every ancestor of the matches."""
    # Sibling matches share their ancestors: sum per parent first, then climb once per parent.
    at_parent: dict[int, int] = {}
    parents: list[LexborNode] = []  # each parent once, first seen first
    for match in matches:
        amount = len(match.text(strip=True)) if text_length else 1
        if not amount:
            continue
        parent = match.parent
        if parent is None:
            continue
        key = parent.mem_id
        if key in at_parent:
            at_parent[key] += amount
        else:
            at_parent[key] = amount
            parents.append(parent)
    # Each ancestor is visited once: climb from every parent until an element already seen.
    # Elements are listed top first along each climb, so the list read backwards meets every
    # element before its parent: each adds its sum into its parent's.
    depth: dict[int, int] = {}
    order: list[tuple[int, int]] = []  # (element, its parent), for elements with a parent climbed
    for first in parents:
        path: list[int] = []
        node: LexborNode | None = first
        above: int | None = None
        while node is not None:
            key = node.mem_id
            if key in depth:
                above = key
                break
            path.append(key)
            node = node.parent
        level = depth[above] + 1 if above is not None else 0
        for key in reversed(path):
            depth[key] = level
            if above is not None:
                order.append((key, above))
            above = key
            level += 1
        if level > _MAX_HOPS:
            return _climbed_sums(parents, at_parent)  # too deep: the climb stops at _MAX_HOPS elements
    sums = dict.fromkeys(depth, 0)
    sums.update(at_parent)  # every parent is in depth
    for key, into in reversed(order):
        sums[into] += sums[key]
    return sums


_MAX_HOPS = 256  # ancestors a match counts in (pages nest 100,000 elements deep)


def _climbed_sums(parents: list[LexborNode], at_parent: dict[int, int]) -> dict[int, int]:
    """_ancestor_sums the plain way, for trees deeper than _MAX_HOPS."""
    sums: dict[int, int] = {}
    get = sums.get
    for first in parents:
        amount = at_parent[first.mem_id]
        node: LexborNode | None = first
        hops = 0
        while node is not None and hops < _MAX_HOPS:
            key = node.mem_id
            sums[key] = get(key, 0) + amount
            node = node.parent
            hops += 1
    return sums


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
