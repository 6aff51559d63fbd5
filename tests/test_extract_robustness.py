"""extract() on hostile input: it returns an Article (maybe with an empty body) or raises
ExtractionError, never anything else, within bounded time and memory."""

from __future__ import annotations

import random
import time
import tracemalloc

import pytest

from scraper.config import SiteSelectors
from scraper.errors import ExtractionError
from scraper.extract import extract
from scraper.extract.decode import MAX_CHARS
from scraper.models import Article

PARAGRAPH = "<p>The council met on Tuesday evening and voted to keep the library open late all summer.</p>"


def run(html: str | bytes, limit_s: float) -> Article:
    start = time.perf_counter()
    article = extract(html, "https://example.org/article")
    elapsed = time.perf_counter() - start
    assert elapsed < limit_s, f"took {elapsed:.1f}s"
    return article


@pytest.mark.parametrize("html", ["", b"", "   \n\t ", b"\xef\xbb\xbf", "<html></html>", "<!-- only a comment -->"])
def test_empty_input_gives_empty_record(html: str | bytes) -> None:
    article = run(html, 1)
    assert article.body == "" and article.title == "" and article.quotes == ()


def test_binary_data() -> None:
    data = random.Random(1234).randbytes(3_000_000)
    try:
        article = run(data, 10)
    except ExtractionError:
        return
    assert isinstance(article.body, str)


def test_invalid_utf8_is_replaced_not_fatal() -> None:
    html = (
        b"<html><head><meta charset='utf-8'></head><body><article>"
        + PARAGRAPH.encode()
        + b"<p>Caf\xe9 owners \xff\xfe said the night was a success for everyone.</p></article></body></html>"
    )
    article = run(html, 1)
    assert "The council met on Tuesday" in article.body
    assert "Caf\ufffd owners \ufffd\ufffd said" in article.body


def test_undeclared_non_utf8_bytes_fall_back_like_a_browser() -> None:
    # No charset anywhere and not valid UTF-8: windows-1252, as browsers assume, never an error.
    html = b"<html><body><article>" + PARAGRAPH.encode() + b"<p>Caf\xe9 owners said the night was a success.</p></article></body></html>"
    assert "Caf\u00e9 owners said" in run(html, 1).body


def test_nul_bytes_are_dropped() -> None:
    html = (
        "<html><head><title>A\x00B</title></head><body>"
        + PARAGRAPH.replace("council", "coun\x00cil") * 3
        + "\x00</body></html>"
    )
    article = run(html, 1)
    assert "council met" in article.body
    for value in article.to_dict().values():
        assert "\x00" not in str(value)
    assert "\x00" not in run(html.encode("utf-8"), 1).body


def test_100000_nested_divs() -> None:
    html = "<html><body>" + "<div>" * 100_000 + PARAGRAPH + "</div>" * 100_000 + "</body></html>"
    article = run(html, 15)
    assert "The council met on Tuesday" in article.body


def test_50_mb_single_line() -> None:
    html = "<html><body><p>" + "word, " * (50_000_000 // 6) + "</p></body></html>"
    assert len(html) >= 50_000_000 and "\n" not in html
    tracemalloc.start()
    try:
        article = run(html, 20)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert len(article.body) <= MAX_CHARS
    assert peak < 400_000_000, f"peak {peak / 1e6:.0f} MB"


def test_50_mb_single_line_as_bytes() -> None:
    data = b"<html><body><p>" + b"caf\xc3\xa9 " * (50_000_000 // 6) + b"</p></body></html>"
    article = run(data, 20)
    assert article.body.startswith("café café")
    assert len(article.body) <= MAX_CHARS


def test_20000_links() -> None:
    links = "".join(f'<li><a href="/archive/{i}">Archive page number {i}</a></li>' for i in range(20_000))
    html = f"<html><body><article>{PARAGRAPH * 5}</article><ul>{links}</ul></body></html>"
    article = run(html, 15)
    assert "The council met on Tuesday" in article.body
    assert "Archive page" not in article.body
    assert len(article.related_links) <= 60


def test_20000_links_inside_the_text() -> None:
    body = "".join(
        f'<p>Item {i}: see <a href="/n/{i}">the note about item {i}</a> for the long details here.</p>'
        for i in range(20_000)
    )
    article = run(f"<html><body><div>{body}</div></body></html>", 20)
    assert len(article.links) == 20_000
    assert all(link.url.startswith("https://example.org/n/") for link in article.links[:10])


@pytest.mark.parametrize(
    "html",
    [
        "<p>unclosed <b><i><a href='x'>tags" * 50,
        '<script type="application/ld+json">{"@type": "NewsArticle", "headline": '
        + "[" * 5000
        + "]" * 5000
        + "}</script>",
        '<script type="application/ld+json">{"@type": ["NewsArticle"], "author": {"name": ["x"]}, "datePublished": 5}</script>',
        '<script type="application/ld+json">not json at all</script><h1>Title</h1>' + PARAGRAPH,
        '<meta charset="no-such-charset">' + PARAGRAPH,
        '<meta charset="base64">' + PARAGRAPH,
        '<meta charset="idna">' + PARAGRAPH,
        '<meta charset="utf-16">' + PARAGRAPH,
        '<meta property="article:published_time" content="2023-13-45T99:99:99Z">' + PARAGRAPH,
        "<a href='http://[::1'>broken url</a>" + PARAGRAPH,
        "<html><body>" + "<table>" * 3000 + PARAGRAPH + "</table>" * 3000,
        "<p>“" * 3000 + "unbalanced quotes",
        "<div " + "a" * 100_000 + ">" + PARAGRAPH,
    ],
)
def test_malformed_pages_never_raise_other_errors(html: str) -> None:
    for page in (html, html.encode("utf-8", "surrogatepass")):
        try:
            article = run(page, 10)
        except ExtractionError:
            continue
        assert isinstance(article, Article)
        article.to_dict()


@pytest.mark.parametrize("value", [None, 42, 3.5, ["<p>x</p>"], object()])
def test_wrong_input_type_is_an_extraction_error(value: object) -> None:
    with pytest.raises(ExtractionError):
        extract(value)  # type: ignore[arg-type]


def test_site_selectors_win_over_generic_logic() -> None:
    html = (
        "<html><body><h1>Generic headline</h1><div class='x-title'>The real headline</div>"
        f"<div class='sidebar'><p>{'Sidebar text that would normally be dropped, long enough. ' * 3}</p></div>"
        f"<div class='main'>{PARAGRAPH}<p class='junk'>Drop this line please, it is a long promo.</p></div></body></html>"
    )
    selectors = SiteSelectors(title=".x-title", body=".sidebar", remove=(".junk",))
    article = extract(html, "https://example.org/a", selectors)
    assert article.title == "The real headline"
    assert article.body.startswith("Sidebar text that would normally be dropped")
    generic = extract(html, "https://example.org/a", SiteSelectors(remove=(".junk",)))
    assert "Drop this line" not in generic.body and "The council met" in generic.body


def test_bad_site_selector_is_not_fatal() -> None:
    article = extract(PARAGRAPH, None, SiteSelectors(title="[[[", body=":::nope", remove=("<<<",)))
    assert "The council met" in article.body


def test_jsonld_article_body_is_the_fallback_for_script_rendered_pages() -> None:
    text = " ".join(["The ferry service resumed on Monday after a week of storms kept boats in port."] * 8)
    html = (
        '<html><head><script type="application/ld+json">{"@type": "NewsArticle", "headline": "Ferries resume",'
        f' "articleBody": "{text}\\n\\nA second paragraph of the story, said the operator."}}</script></head>'
        '<body><div id="app"></div><script src="/bundle.js"></script></body></html>'
    )
    article = extract(html, "https://example.org/ferries")
    assert article.title == "Ferries resume"
    assert article.body.startswith("The ferry service resumed on Monday")
    assert article.body.endswith("A second paragraph of the story, said the operator.")
    assert "\n\n" in article.body


def test_site_body_selector_still_drops_furniture_lines() -> None:
    html = (
        "<html><body><div class='story'><p>Advertisement</p>"
        f"{PARAGRAPH}<div class='promo-box'><p>A generic widget name the site rules do not mention.</p></div>"
        "<p class='x-junk'>Remove me by the site's own rule, please, this is long.</p></div></body></html>"
    )
    article = extract(html, "https://example.org/a", SiteSelectors(body=".story", remove=(".x-junk",)))
    assert article.body.split("\n\n") == [
        "The council met on Tuesday evening and voted to keep the library open late all summer.",
        "A generic widget name the site rules do not mention.",
    ]


def test_a_page_whose_h1_is_its_last_element_extracts() -> None:
    """Nothing after the headline: the byline look-up has no lines, not a zip of unequal lengths."""
    article = extract("<html><body><h1>Only a headline</h1></body></html>")
    assert article.title == "Only a headline"


def test_a_malformed_ipv6_link_is_dropped_not_fatal() -> None:
    body = "A paragraph long enough to be the article body, with a link in it and more words after. " * 3
    article = extract(f'<html><body><article><h1>T</h1><p>{body}<a href="https://[::1/x#b">bad</a></p></article></body></html>')
    assert article.body and all("[::1" not in link.url for link in article.links)
