"""The speed shortcuts around the body give what the plain ways give: decode()'s UTF-8 bytes
are the text's own encoding (so lexbor parses the same input), and its skipped charset
detection picks what choose_charset would."""

from __future__ import annotations

import codecs

import pytest
from selectolax.lexbor import LexborHTMLParser

from scraper.charset import DETECT_BYTES, choose_charset, decode_html
from scraper.extract.decode import MAX_CHARS, decode, to_text

_LONG = b"<p>" + b"a" * DETECT_BYTES
BODIES = [
    b"",
    b"<p>plain</p>",
    "<p>caf\u00e9 \u201cquoted\u201d \U0001f600</p>".encode(),
    b'<meta charset="utf-8"><p>\xc3\xa9</p>',
    b'<meta charset="UTF8"><p>\xe2<b>\xff<</p>',  # declared UTF-8, invalid bytes
    b"<p>\xe2<b>\xff<</p>",  # undeclared, invalid: detection's choice
    b'<meta charset="latin-1"><p>\xe9</p>',
    b'<meta charset="utf-16"><p>\xc3\xa9</p>',  # UTF-16 declared from inside: read as UTF-8
    b"<p>a\x00b</p>",
    codecs.BOM_UTF8 + b"<p>bom \xc3\xa9</p>",
    codecs.BOM_UTF16_LE + "<p>wide</p>".encode("utf-16-le"),
    "<p>\ud7ff\ue000\uffff</p>".encode(),
    b"<p>\xed\xa0\x80</p>",  # an encoded surrogate is not UTF-8
    b"<p>\xf4\x90\x80\x80</p>",  # beyond U+10FFFF
    # A character cut by detection's 64 KB sample, and an invalid byte after it.
    _LONG[: DETECT_BYTES - 1] + "\u20ac".encode() + b"</p>",
    _LONG + b"\xff</p>",
    b"<div>" * 30_000 + "\u00e9".encode(),  # many tags: the nesting is flattened
    b"<div>" * 30_000 + b"\xff",  # many tags counted on bytes that decode with replacements
    b"<div>" * 20_000 + b"x" * 40_001,  # long, with exactly the tags that are not many
    b"<div>" * 20_001 + b"x" * 40_000,  # ... and with one more
    b"<p>" + b"x" * 70_000,  # long, few tags
    b"<a>" * (MAX_CHARS // 3 + 10),  # cut at MAX_CHARS
    "\u00e9".encode() * (MAX_CHARS + 10),  # cut at MAX_CHARS characters, not bytes
]


@pytest.mark.parametrize("body", BODIES)
def test_decode_gives_the_text_as_fetched_pages_read(body: bytes) -> None:
    expected = to_text(decode_html(body[: MAX_CHARS * 4])[0])
    assert decode(body).text == expected


@pytest.mark.parametrize("body", BODIES)
def test_decode_utf8_is_the_texts_own_encoding(body: bytes) -> None:
    page = decode(body)
    if page.utf8 is not None:
        assert page.utf8 == page.text.encode("utf-8")
        assert choose_charset(body, None) == "utf-8"
    # What lexbor parses is what it would have made of the text.
    assert LexborHTMLParser(page.markup).html == LexborHTMLParser(page.text).html


def test_decode_keeps_the_bytes_of_plain_utf8_pages() -> None:
    body = "<p>caf\u00e9</p>".encode()
    assert decode(body).utf8 is body
    assert decode(body.decode()).utf8 is None  # a str is parsed as it is
    assert decode(b"<p>\xff</p>").utf8 is None


# Byline markup where the rules are easy to get wrong: case (in quirks and standards mode),
# word lists, descendants, <svg> and <template>, non-ASCII next to the words.
_BYLINE_PAGES = [
    "",
    "<p>no byline at all</p>",
    '<a REL="Author">Jane</a><span itemprop="Author"><b itemprop="name">N</b></span>',
    '<div CLASS="Post-AUTHOR-Name">Jane Doe</div><p class="BYLINE"><a href="/x">J</a></p>',
    '<div class="x author y"><a href="/AUTHOR/j">J</a><i class="fn">Jane</i></div>',
    '<div class="submitted"><span class="username">jdoe</span></div>',
    '<span itemprop="author"><b itemprop="name">Jane</b></span><p class="author-name">J</p>',
    '<p class="author"><a href="/author/j">J</a></p>',
    '<p class="byline"><a href="/x">J</a></p>',
    '<svg><a class="author" href="/autor/x">s</a></svg><template><p class="byline">t</p></template>',
    '<a href="https://x.org/auteur/İjane">Jane</a><p class="İauthorİ">Jane</p>',
    '<div class="authors"><p class="by-line">no</p></div><a rel="authorship">no</a>',
]


def _ids(nodes: list) -> list[int]:
    return [node.mem_id for node in nodes]


@pytest.mark.parametrize("doctype", ["", "<!doctype html>"])
@pytest.mark.parametrize("body", _BYLINE_PAGES)
def test_byline_shortcuts_find_what_each_selector_finds(doctype: str, body: str) -> None:
    from scraper.extract import bylines

    tree = LexborHTMLParser(f"{doctype}<html><body>{body}</body></html>")
    for selector, needs in bylines._NEEDS.items():
        if not tree.css(needs):
            assert tree.css(selector) == [], selector
    for selector, (empty, rest) in bylines._UNLESS.items():
        if not tree.css(empty):
            assert _ids(tree.css(selector)) == _ids(tree.css(rest)), selector


def test_byline_shortcuts_are_exercised() -> None:
    """The pages above hold matches for the shortcuts' selectors, and pages without."""
    from scraper.extract import bylines

    for selector in [*bylines._NEEDS, *bylines._UNLESS]:
        found = [bool(LexborHTMLParser(body).css(selector)) for body in _BYLINE_PAGES]
        assert any(found) and not all(found), selector


def _choose_title_plainly(h1_nodes: list, declared: list[str], site_name: str | None, url: str | None) -> str:
    """choose_title as written before its cuts were shared: every declared title cut anew."""
    from scraper.extract import titles

    keys = titles.site_keys(site_name, url)
    h1s = titles.headings(h1_nodes)
    if h1s:
        stripped = [titles.strip_site(d, site_name, keys) for d in declared]
        agreeing = titles._agreeing_h1s(h1s, declared, stripped, site_name)
        if agreeing:
            named = [h for h in agreeing if not titles._mentions_site(h, keys)]
            return titles.strip_site(max(named or agreeing, key=len), site_name, keys, guess=False)
    for candidate in declared:
        cleaned = titles.strip_site(candidate, site_name, keys)
        if cleaned:
            return cleaned
    return h1s[0] if h1s else ""


_TITLE_PAGES = [
    ("Headline here now | Site", "Headline here now | Site", "Headline here now | Site", "<h1>Headline here now</h1>"),
    ("Site | Politik | Ein langer Titel hier", "Ein langer Titel hier", "Site", ""),
    ("", "", "Site", "<h1>Site</h1><h1>Other</h1>"),
    ("Ökologisch Bauen – Dämmung", "Ökologisch Bauen – Dämmung", "Ökologisch Bauen", "<h1>Dämmung</h1>"),
    ("A - B", "A - B", "A - B", ""),
    ("| |", "| |", "x", "<h1>| |</h1>"),
]


@pytest.mark.parametrize(("og", "twitter", "title", "body"), _TITLE_PAGES)
@pytest.mark.parametrize("site_name", [None, "Site", "Ökologisch Bauen"])
def test_choose_title_with_shared_cuts_gives_the_plain_answer(
    og: str, twitter: str, title: str, body: str, site_name: str | None
) -> None:
    from scraper.extract import titles

    tree = LexborHTMLParser(f"<html><head><title>{title}</title></head><body>{body}</body></html>")
    meta = {"og:title": og, "twitter:title": twitter}
    url = "https://www.oekologisch-bauen.info/x"
    h1_nodes = tree.css("h1")
    declared = titles.declared_titles(tree, meta, {})
    assert titles.choose_title(tree, h1_nodes, meta, {}, site_name, url) == _choose_title_plainly(
        h1_nodes, declared, site_name, url
    )
