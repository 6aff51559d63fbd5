"""The fast paths of clean.py give what the plain computations they replace give."""

from __future__ import annotations

import pytest
from selectolax.lexbor import LexborHTMLParser, LexborNode

from scraper.extract.clean import _MAX_HOPS, _ancestor_sums


def _plain_sums(matches: list[LexborNode], *, text_length: bool) -> dict[int, int]:
    """Every match adds its amount into each of its first _MAX_HOPS ancestors, one climb each."""
    sums: dict[int, int] = {}
    for match in matches:
        amount = len(match.text(strip=True)) if text_length else 1
        node = match.parent
        hops = 0
        while amount and node is not None and hops < _MAX_HOPS:
            sums[node.mem_id] = sums.get(node.mem_id, 0) + amount
            node = node.parent
            hops += 1
    return sums


PAGES = [
    "<body></body>",
    "<body><p>one</p><p>two</p><div><p>three <a href=/x> link </a></p></div></body>",
    (
        "<body><div><div><a href=/a>a</a><a href=/b>  </a><a href=/c>Ünïcödé ✓</a></div><p><a href=/d>d</a></p></div>"
        "<ul><li><a href=/e>e</a></li><li><a href=/f><span> f </span> g</a></li></ul><p></p></body>"
    ),
    # matches at many depths, siblings sharing their ancestors
    "<body>" + "".join(f"<section>{'<div>' * depth}<p><a href=/{depth}>x{depth}</a></p>{'</div>' * depth}</section>"
                       for depth in range(12)) + "</body>",
    # deeper than _MAX_HOPS: the plain climb, cut at _MAX_HOPS elements
    "<body>" + "<div>" * (_MAX_HOPS + 40) + "<p><a href=/deep>deep</a></p>" + "</div>" * (_MAX_HOPS + 40) + "<p>top</p></body>",
    # a match in a deep branch after shallow ones: the fallback starts mid-way
    "<body><p>a</p><div><p>b</p></div>" + "<div>" * (_MAX_HOPS + 5) + "<p>c</p>" + "</div>" * (_MAX_HOPS + 5) + "</body>",
]


@pytest.mark.parametrize("html", PAGES)
@pytest.mark.parametrize(("selector", "text_length"), [("p", False), ("a", True), ("a", False), ("p", True)])
def test_ancestor_sums_equal_one_climb_per_match(html: str, selector: str, text_length: bool) -> None:
    root = LexborHTMLParser(html).body
    assert root is not None
    matches = root.css(selector)
    assert _ancestor_sums(matches, text_length=text_length) == _plain_sums(matches, text_length=text_length)


# classify.py as it was before its patterns were spelled as substring chains: the reference.
def _reference_flags(names: str) -> int:
    from scraper.extract import classify as c
    from scraper.extract import selectors as s

    tokens = c._tokens(names)
    if s.NAME_PARTS.search(names) is None:
        if not s.BOILERPLATE_TOKENS.isdisjoint(tokens) and not (s.EMBED.search(names) and "comment" not in names):
            return c.BOILER
        return c.WEAK if not s.WEAK_TOKENS.isdisjoint(tokens) else 0
    comments = s.COMMENT_NAME.search(names) is not None
    flags = c.COMMENTS if comments else 0
    match = s.BOILERPLATE_PARTS.search(names)
    boiler = bool(match and (comments or match.group() != "comment")) or not s.BOILERPLATE_TOKENS.isdisjoint(tokens)
    if boiler and not (s.EMBED.search(names) and "comment" not in names):
        flags |= c.BOILER
    elif s.WEAK_PARTS.search(names) or not s.WEAK_TOKENS.isdisjoint(tokens):
        flags |= c.WEAK
    if s.CONTENT_HINT.search(names):
        flags |= c.HINTED
    if s.RELATED_BOX.search(names) or s.PREV_NEXT_CLASS.search(names):
        flags |= c.RELATED
    return flags


def _reference_class_marks(classes: str) -> int:
    from scraper.extract import classify as c
    from scraper.extract import selectors as s

    lowered = classes.lower()
    hide = c.MAY_HIDE if "hidden" in lowered or "d-none" in lowered or not classes.isascii() else 0
    if "-" in lowered and s.TAXONOMY_GATE.search(lowered):
        lowered = s.TAXONOMY_CLASS.sub(" ", lowered)
    return (_reference_flags(lowered) if lowered.strip() else 0) | hide


def _names() -> list[str]:
    """Names built from every word the patterns look for, whole, cut, glued and cased."""
    import random

    from scraper.extract import selectors as s

    words = sorted(
        {*s.BOILERPLATE_PART_WORDS, *s.WEAK_PART_WORDS, *s.BOILERPLATE_TOKENS, *s.WEAK_TOKENS}
        | {"comment", "commentary", "commentar", "comments", "disqus", "discuz", "cookie", "consent", "gdpr", "cmplz"}
        | {"newsletter", "login", "popup", "modal", "article", "content", "entry", "main", "body", "post-body"}
        | {"postbody", "story", "text", "blog", "widget", "paywall", "advert", "embed", "tweet", "instagram-media"}
        | {"tiktok-embed", "related", "read-more", "see-also", "prev", "next", "nav-next", "prev-next", "x"}
        | {"tag-a", "tags-b", "cat-c", "category-d", "categories-e", "postid-1", "post-format-f", "format-g"}
        | {"status-h", "type-i", "topic-j", "pmpro-level-k", "has-l", "tag", "catalog", "hash", "level"}
    )
    rng = random.Random(19)
    glue = [" ", " ", "-", "_", "", "\t", "\u00a0", "\u3000"]
    names = [""] + words
    for _ in range(6000):
        parts = [rng.choice(words) for _ in range(rng.randint(1, 5))]
        parts = [part[: rng.randint(1, len(part))] if rng.random() < 0.15 else part for part in parts]
        name = parts[0]
        for part in parts[1:]:
            name += rng.choice(glue) + part
        if rng.random() < 0.2:
            name = name.upper() if rng.random() < 0.5 else name.title()
        if rng.random() < 0.05:
            name += rng.choice(["é", "\u0130", "\u212a", "ß"])
        names.append(name)
    return names


def test_classify_spelled_as_substring_tests_agrees_with_its_patterns() -> None:
    from scraper.extract.classify import _flags, class_marks, id_flags

    for name in _names():
        assert class_marks.__wrapped__(name) == _reference_class_marks(name), name
        assert id_flags.__wrapped__(name) == _reference_flags(name.lower()), name
        assert _flags(name.lower()) == _reference_flags(name.lower()), name
