"""clean.py and classify.py on small pages: what goes, what stays, and the bounds."""

from __future__ import annotations

import pytest
from selectolax.lexbor import LexborHTMLParser

from scraper.extract import extract
from scraper.extract.classify import BOILER, COMMENTS, HINTED, RELATED, WEAK, class_flags, id_flags
from scraper.extract.clean import clean, named_nodes, strip_junk
from scraper.extract.options import Options

STORY = "".join(f"<p>Paragraph {i} of the story, told at some length so that it outweighs the rest.</p>" for i in range(6))
PAGE = f"""<html><body><article>{STORY}</article>
<div class="sidebar"><div class="share"><a href="/s">Share this</a></div><div id="comments">Say</div></div>
<div class="footer-links"><a href="/f">Footer link</a></div>
</body></html>"""


def _cleaned(html: str, options: Options) -> LexborHTMLParser:
    tree = LexborHTMLParser(html)
    strip_junk(tree, options)
    root = tree.body
    assert root is not None
    clean(root, named_nodes(root, options), (), options)
    return tree


def test_widgets_go_with_what_is_inside_them() -> None:
    tree = _cleaned(PAGE, Options())
    assert tree.css_first("article") is not None
    assert len(tree.css("article p")) == 6
    assert tree.css(".sidebar, .share, #comments, .footer-links") == []


def test_the_cap_on_removals_counts_nested_widgets_in_page_order() -> None:
    # Page order lists .sidebar, .share, #comments, .footer-links: a cap of three spends itself
    # on the sidebar and the two widgets inside it, so the footer stays.
    tree = _cleaned(PAGE, Options(max_doomed=3))
    assert tree.css(".sidebar") == []
    assert len(tree.css(".footer-links")) == 1
    tree = _cleaned(PAGE, Options(max_doomed=4))
    assert tree.css(".footer-links") == []


def test_junk_tags_go_even_when_nested_in_each_other() -> None:
    tree = LexborHTMLParser("<body><p>Text</p><button><svg><script>x()</script></svg></button><svg><svg></svg></svg></body>")
    strip_junk(tree, Options())
    assert tree.body is not None
    assert tree.body.html == "<body><p>Text</p></body>"


@pytest.mark.parametrize(
    ("classes", "expected"),
    [
        ("share-bar", BOILER),
        ("entry-content", HINTED),
        ("widget Blog", WEAK | HINTED),
        ("comments-area", BOILER | COMMENTS),
        ("commentary", 0),  # an opinion piece, not a comment thread
        ("commentary sharebar", 0),  # the first part decides: "comment" of "commentary" is no widget
        ("commentary sidebar", BOILER),  # ... but a whole-word widget name still is
        ("social-embed", 0),  # an embedded post in a social wrapper is the story
        ("category-social-media tag-ads", 0),  # CMS taxonomy classes describe the article
        ("post-navigation", BOILER | RELATED),
        ("next-post", RELATED),
        ("ad", WEAK),
        ("header shadow", 0),  # "ad" inside a word is no advert
    ],
)
def test_class_names_flags(classes: str, expected: int) -> None:
    assert class_flags(classes) == expected
    assert class_flags(classes.upper()) == expected


def test_ids_keep_taxonomy_like_names() -> None:
    # Only class attributes carry CMS taxonomy classes; an id is read as written.
    assert id_flags("tag-ads") == BOILER
    assert class_flags("tag-ads") == 0


def _sample_names() -> list[str]:
    from scraper.extract import selectors

    words = (
        selectors.BOILERPLATE_PART_WORDS
        + selectors.WEAK_PART_WORDS
        + sorted(selectors.BOILERPLATE_TOKENS | selectors.WEAK_TOKENS)
        + ["gdpr", "cmplz", "modal", "login", "post-body", "postbody", "blog", "story", "main", "entry"]
        + ["read-more", "see-also", "also-read", "more-from", "post-nav", "nav-previous", "navnext", "prev-next"]
        + ["prev", "previous", "next-post", "previous_article", "embed", "tweet", "instagram-media", "commentary"]
    )
    shapes = ["{}", "x-{}-y", "{}s", "my{}box", "foo {}", "{} social-embed", "{}_wrap tag-x"]
    return [shape.format(word) for word in words for shape in shapes] + ["", " ", "css-1x2y3z", "jsx-123 col-md-6"]


def test_the_quick_path_of_the_classifier_agrees_with_the_full_one() -> None:
    from scraper.extract.classify import _flags, _judged

    for names in _sample_names():
        assert _flags(names) == _judged(names), names


def test_a_named_line_break_is_never_judged() -> None:
    """extract() turns every <br> into a newline after named_nodes() and before clean(): a <br>
    in that list would be a node already gone from the tree when clean reads it."""
    html = PAGE.replace("<p>Paragraph 1", '<p>Line one<br class="share-break">line two. Paragraph 1')
    root = LexborHTMLParser(html).body
    assert root is not None
    assert all(node.tag != "br" for node, _, _ in named_nodes(root, Options()))

    assert "\n\nLine one line two. Paragraph 1 of the story" in extract(html).body  # the break kept as a space


def test_by_tag_splits_one_walk_as_one_query_each_would() -> None:
    from scraper.extract.tree import by_tag

    root = LexborHTMLParser("<body><p>a</p><nav><a href=/x>x</a><p>b</p></nav><h2>h</h2><a href=/y>y</a></body>").body
    assert root is not None
    groups = [("p", frozenset({"p"})), ("a", frozenset({"a"})), ("nav, h2", frozenset({"nav", "h2"}))]
    split = by_tag(root, groups)
    assert [[n.html for n in part] for part in split] == [[n.html for n in root.css(s)] for s, _ in groups]
    # A tag the sets do not name: one query per selector instead, the same answer.
    fallback = by_tag(root, [("p", frozenset()), ("a", frozenset({"a"}))])
    assert [[n.html for n in part] for part in fallback] == [[n.html for n in root.css(s)] for s in ("p", "a")]
