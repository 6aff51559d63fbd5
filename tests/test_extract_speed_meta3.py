"""The metadata stages' shortcuts give what the plain ways give: bylines' one walk finds what
each of its selectors finds alone."""

from __future__ import annotations

import pytest
from selectolax.lexbor import LexborHTMLParser, LexborNode

from scraper.extract import bylines

from .test_extract_speed_meta import _BYLINE_PAGES as _EARLIER_PAGES
from .test_extract_speed_meta import _ids

# Byline markup where the rules are easy to get wrong, as for the shortcuts before (case in
# quirks and standards mode, <svg>, <template>, non-ASCII), and a node matching several parts of
# the walk's selector list (it comes back once per part).
_BYLINE_PAGES = [
    *_EARLIER_PAGES,
    '<p class="author"><a href="/author/j">J</a></p><a rel="author" href="/autor/x">X</a>',
    '<a rel="author" itemprop="author" class="byline author-name" href="/author/autor/auteur/">All</a>',
    '<div class="byline"><div class="author"><a class="author" href="/auteur/j/author/">J</a></div></div>',
    '<svg><a class="author" href="/autor/x">s</a><a rel="author">r</a></svg><template><p class="byline">t</p></template>',
    '<div class="authors"><p class="by-line">no</p></div><a rel="authorship">no</a><a rel="">e</a><a rel>e</a>',
    '<a rel="AUTHOR">caps: lexbor compares rel without case in HTML</a>',
]


def _trees() -> list[LexborHTMLParser]:
    return [
        LexborHTMLParser(f"{doctype}<html><body>{body}</body></html>")
        for doctype in ("", "<!doctype html>")
        for body in _BYLINE_PAGES
    ]


@pytest.mark.parametrize("tree", _trees())
def test_the_one_walk_finds_what_each_selector_finds(tree: LexborHTMLParser) -> None:
    found = bylines._first_walk(tree)
    if not found:  # the reading did not account for a node: each selector is asked alone
        return
    assert set(found) == set(bylines._WALKED)
    for selector in bylines._WALKED:
        assert _ids(found[selector]) == _ids(tree.css(selector)), selector
    for selector, (wider, parts) in bylines._NARROWER.items():
        assert _ids(bylines._narrowed(found[wider], parts)) == _ids(tree.css(selector)), selector


def test_the_one_walk_is_exercised_and_falls_back() -> None:
    walked = [bylines._first_walk(tree) for tree in _trees()]
    # A page whose rel value only lexbor's case-blind comparison matches is queried plainly ...
    assert not bylines._first_walk(LexborHTMLParser('<a rel="AUTHOR">x</a>'))
    # ... and the others are read off the walk, with matches of every part among them.
    assert sum(1 for found in walked if found) >= len(walked) - 4
    for selector in bylines._WALKED:
        assert any(found.get(selector) for found in walked), selector
    assert any(
        len(bylines._narrowed(found[w], p)) > 1 for found in walked if found for w, p in bylines._NARROWER.values()
    )


@pytest.mark.parametrize("body", _BYLINE_PAGES)
def test_visible_authors_with_the_walk_gives_the_plain_answer(body: str, monkeypatch: pytest.MonkeyPatch) -> None:
    from scraper.extract.authors import author_names

    tree = LexborHTMLParser(f"<html><body><h1>A headline here</h1>{body}</body></html>")
    h1 = tree.css_first("h1")
    fast = bylines.visible_authors(tree, h1, author_names)
    monkeypatch.setattr(bylines, "_first_walk", lambda tree: {})
    assert fast == bylines.visible_authors(tree, h1, author_names)


def _lines_after_headline_plainly(h1: LexborNode | None) -> list[str]:
    """lines_after_headline as written before it skipped white-space-only text nodes."""
    from scraper.extract.text import normalise

    if h1 is None:
        return []
    pieces: list[str] = []
    node: LexborNode | None = h1
    while node is not None and len(pieces) < bylines._LINES_AFTER_HEADLINE:
        following = node.next
        while following is not None and len(pieces) < bylines._LINES_AFTER_HEADLINE:
            for inner in following.traverse(include_text=True):
                if inner.tag in ("script", "style"):
                    continue
                text = normalise(inner.text_content or "") if inner.tag == "-text" else ""
                if text and (inner.parent is None or inner.parent.tag not in ("script", "style")):
                    pieces.append(text)
                    if len(pieces) >= bylines._LINES_AFTER_HEADLINE:
                        break
            following = following.next
        node = node.parent
    joined = [f"{a} {b}" for a, b in zip(pieces, [*pieces[1:], ""][: len(pieces)], strict=True)]
    return [line.strip() for line in joined if len(line) <= bylines._MAX_LINE_CHARS]


_HEADLINE_PAGES = [
    "<h1>Title</h1><p>x</p>",
    "<h1>Nothing after it</h1>",
    "<div><h1>Title</h1>\n  \t<p>By <a href='/j'>Jane Doe</a>\n</p>\r\n<p>\u00a0</p><p>\u200b</p>\f</div><p>after</p>",
    "<h1>T</h1> <script> var x = 1; </script> <style>p{}</style><p> a </p>" + "<p>x</p>\n" * 40,
    "<header><div><h1>T</h1></div>\n<span>Thursday, November 9</span> \n</header>\n<main>\n<p>Body</p></main>",
    "<h1>T</h1><template>\n<p>t</p></template><p>\u3000</p><p>" + "long " * 30 + "</p>",
]


@pytest.mark.parametrize("body", _HEADLINE_PAGES)
def test_lines_after_headline_gives_the_plain_answer(body: str) -> None:
    tree = LexborHTMLParser(f"<html><body>{body}</body></html>")
    h1 = tree.css_first("h1")
    assert bylines.lines_after_headline(h1) == _lines_after_headline_plainly(h1)
    assert bylines.lines_after_headline(None) == []


@pytest.mark.parametrize(
    "text", ["", "  Héllo, World!  ", "A_b c--d", "ÄÖÜ ß", "İstanbul", "ǅemal", "x\u200by", "｜全角｜", "Straße"]
)
def test_squash_memoised_is_the_plain_squash(text: str) -> None:
    from scraper.extract import titles

    plain = titles._NON_WORD.sub(" ", text).strip().casefold()
    assert titles.squash(text) == plain
    assert titles.squash(text) == plain  # the cached answer too


# Elements each part of marked_nodes' query could get wrong: a rel in capitals (lexbor compares
# it without case in HTML, not in <svg>), word lists, scripts with an itemprop, dates nested.
_MARKED_PAGE = """<!doctype html><html><head>
<meta property="og:title" content="T"><meta itemprop="datePublished" content="2020-01-02">
<script type="application/ld+json">{}</script><script type="application/ld+json" itemprop="x">{}</script>
<script itemprop="datePublished">x</script><link rel="CANONICAL" href="/c"><link rel="canonical" href="/d">
<link rel="canonical"></head><body><h1>One</h1><a rel="TAG" href="/t">t</a><a rel="nofollow tag">u</a>
<a rel="tags">no</a><svg><a rel="TAG">svg</a><a rel="tag">svg2</a></svg><h1 itemprop="dateModified">Two</h1>
<time datetime="2020-01-03" itemprop="datePublished"><time datetime="2020-01-04">x</time></time>
<span itemprop="dateCreated">no</span><time>no datetime</time><meta itemprop="dateModified" content="m">
</body></html>"""


def _dates_plainly(tree: LexborHTMLParser) -> list[int]:
    nodes = tree.css('[itemprop="datePublished"], [itemprop="dateModified"], time[datetime]')
    return list(dict.fromkeys(_ids(nodes)))


@pytest.mark.parametrize("html", [_MARKED_PAGE, "", "<p>nothing</p>", _MARKED_PAGE.replace("<!doctype html>", "")])
def test_marked_nodes_are_what_each_selector_finds(html: str) -> None:
    from scraper.extract.metatags import marked_nodes

    tree = LexborHTMLParser(html)
    marked = marked_nodes(tree)
    assert marked.metas == [node.attributes for node in tree.css("meta")]
    assert _ids(marked.ld_scripts) == _ids(tree.css('script[type="application/ld+json"]'))
    assert _ids(marked.h1s) == _ids(tree.css("h1"))
    assert _ids(marked.tag_links) == _ids(tree.css('a[rel~="tag"]'))
    canonical = tree.css_first('link[rel="canonical"][href]')
    assert (marked.canonical.mem_id if marked.canonical else None) == (canonical.mem_id if canonical else None)
    assert _ids(list(marked.dates)) == _dates_plainly(tree)
    assert len(list(marked.dates)) == len(_dates_plainly(tree))
    assert _ids(list(marked.dates)[:2]) == _dates_plainly(tree)[:2]


def test_the_marked_page_exercises_every_part() -> None:
    from scraper.extract.metatags import marked_nodes

    marked = marked_nodes(LexborHTMLParser(_MARKED_PAGE))
    assert len(marked.metas) == 3 and len(marked.ld_scripts) == 2 and len(marked.h1s) == 2
    assert len(marked.tag_links) == 3 and marked.canonical is not None and len(list(marked.dates)) == 6
