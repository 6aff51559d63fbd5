"""body_markdown: the body's blocks as Markdown, read back with a real CommonMark parser
(markdown-it-py), so "becomes a heading" or "becomes a link" is what a renderer does."""

from __future__ import annotations

import json

import pytest
from markdown_it import MarkdownIt
from selectolax.lexbor import LexborHTMLParser

from scraper.extract import extract
from scraper.extract.markdown import escape, escape_line_start
from scraper.extract.text import normalise

URL = "https://news.example/2024/05/story"
FILLER = "This sentence is long enough, with commas, to count as a paragraph of the article."


def page(body: str, head: str = "") -> str:
    return f"<html><head><title>Story</title>{head}</head><body><article><h1>Story</h1><p>{FILLER}</p>{body}<p>{FILLER}</p></article></body></html>"


def rendered(markdown: str) -> LexborHTMLParser:
    return LexborHTMLParser(MarkdownIt("commonmark").enable("strikethrough").render(markdown))


def test_title_like_lines_stay_paragraphs() -> None:
    lines = [
        "# Breaking: this line starts with a hash, as a headline would, inside the text.",
        "1. This line starts like the first item of a numbered list, but it is a sentence.",
        "2) So does this one, with a parenthesis after the number, a sentence of the article.",
        "- A dash opens this sentence, which must not turn into a bullet point of a list.",
        "+ A plus sign opens this one, which must not turn into a bullet point either here.",
        "--- three dashes open this sentence, which must not become a rule or a heading.",
        "> A greater-than sign opens this sentence, which must not become a quotation.",
    ]
    article = extract(page("".join(f"<p>{line}</p>" for line in lines)), URL)
    html = rendered(article.body_markdown)
    assert not html.css("h1, h2, h3, ol, ul, li, hr, blockquote")
    texts = [normalise(p.text()) for p in html.css("p")]
    for line in lines:
        assert line in texts


def test_inline_metacharacters_are_literal() -> None:
    text = "Stars *like this*, _under_ and `code`, ~~struck~~, [brackets](x), <b>tags</b>, &copy; and a\\b here."
    article = extract(page(f"<p>{text.replace('&', '&amp;').replace('<', '&lt;')}</p>"), URL)
    html = rendered(article.body_markdown)
    assert not html.css("em, strong, code, del, a, b")
    assert text in [normalise(p.text()) for p in html.css("p")]


def test_links_are_absolute_and_their_text_may_hold_brackets() -> None:
    article = extract(
        page('<p>Read <a href="/docs/a_b?q=(1)">the [draft] *report* (PDF)</a> before the vote, the committee said on Monday.</p>'),
        URL,
    )
    anchors = rendered(article.body_markdown).css("a")
    assert [(a.attributes["href"], a.text()) for a in anchors] == [
        ("https://news.example/docs/a_b?q=%281%29", "the [draft] *report* (PDF)")
    ]


def test_only_web_links_and_images_become_links_and_images() -> None:
    article = extract(
        page(
            '<p>Do not <a href="javascript:alert(1)">click here</a>, <a href=" JavaScript:alert(2)">or here</a>, '
            '<a href="mailto:a@b.example">mail us</a> or <a href="data:text/html,x">open this</a>, the warning said.</p>'
            '<figure><img src="javascript:alert(3)" alt="bad"><figcaption>No image here</figcaption></figure>'
            '<p>An image inside the sentence <img src="data:image/png;base64,AAAA" alt="dot"> is dropped as well, it said.</p>'
        ),
        URL,
    )
    html = rendered(article.body_markdown)
    assert not html.css("a, img")
    assert "javascript" not in article.body_markdown.lower() and "data:" not in article.body_markdown
    assert "Do not click here, or here, mail us or open this, the warning said." in article.body_markdown


def test_structure_headings_lists_quotes_figures() -> None:
    article = extract(
        page(
            "<h2>Getting started</h2><p>You need a board, a cable and an hour of time, the guide says first.</p>"
            '<ol start="3"><li>Plug the cable in</li><li>Press the <a href="https://docs.example/reset">reset</a> button</li></ol>'
            "<ul><li>Keep the old firmware</li><li>Note the serial number</li></ul>"
            "<h3>A note on power</h3>"
            "<blockquote><p>Never flash a board on battery power, whatever it says on the box.</p>"
            "<p>A failed flash can leave the board unable to start again, ever.</p></blockquote>"
            '<figure><img src="/img/board.jpg" alt="The board"><figcaption>The board, <b>top</b> view.</figcaption></figure>'
            "<p>After that the board restarts on its own, which takes about a minute, at most.</p>"
        ),
        URL,
    )
    md = article.body_markdown
    assert "## Getting started\n\n" in md and "\n\n### A note on power\n\n" in md
    assert "3. Plug the cable in\n4. Press the [reset](https://docs.example/reset) button\n\n- Keep the old firmware\n- Note" in md
    assert "> Never flash a board on battery power, whatever it says on the box.\n>\n> A failed flash" in md
    assert "![The board](https://news.example/img/board.jpg)\n\n*The board, top view.*" in md
    html = rendered(md)
    assert [h.tag for h in html.css("h2, h3")] == ["h2", "h3"]
    assert html.css_first("ol").attributes.get("start") == "3" and len(html.css("ol > li")) == 2
    assert len(html.css("blockquote > p")) == 2
    assert html.css_first("img").attributes["alt"] == "The board"
    assert "top view" not in article.body  # the caption is Markdown only, never body text


def test_figures_outside_the_article_are_left_out() -> None:
    article = extract(
        "<html><body><figure><img src='https://cdn.example/logo.png'><figcaption>Logo</figcaption></figure>"
        f"<article><p>{FILLER}</p><p>{FILLER} Again.</p></article>"
        "<figure><img src='https://cdn.example/ad.png'><figcaption>Advert</figcaption></figure></body></html>",
        URL,
    )
    assert article.body_markdown and "![" not in article.body_markdown and "Logo" not in article.body_markdown


def test_nested_list_and_code_keep_their_shape() -> None:
    article = extract(
        page(
            "<ul><li>Prepare the workspace before anything else<ul><li>clear the desk</li><li>find the cable</li></ul></li></ul>"
            "<pre>def flash():\n\n    return 1  # ```</pre>"
        ),
        URL,
    )
    md = article.body_markdown
    assert "- Prepare the workspace before anything else\n    - clear the desk\n    - find the cable" in md
    assert "````\ndef flash():\n\n    return 1  # ```\n````" in md
    html = rendered(md)
    assert len(html.css("ul ul li")) == 2
    assert html.css_first("pre code").text() == "def flash():\n\n    return 1  # ```\n"


def test_body_from_json_ld_becomes_paragraphs() -> None:
    paragraphs = [f"# {i}. Paragraph {i} of the story, told at length so that the publisher's text wins." * 3 for i in range(4)]
    text = "\n\n".join(paragraphs)
    ld = {"@context": "https://schema.org", "@type": "NewsArticle", "headline": "Story", "articleBody": text}
    article = extract(
        f'<html><head><script type="application/ld+json">{json.dumps(ld)}</script></head><body><div id="app">Loading</div></body></html>',
        URL,
    )
    assert article.body.split("\n\n") == paragraphs  # the body came from JSON-LD, not from blocks
    html = rendered(article.body_markdown)
    assert len(html.css("p")) == 4 and not html.css("h1, ol")
    assert [normalise(p.text()) for p in html.css("p")] == [normalise(p) for p in article.body.split("\n\n")]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("#hashtag", "\\#hashtag"),
        ("10. Downing Street", "10\\. Downing Street"),
        ("1.5 million", "1.5 million"),
        ("-3 degrees", "-3 degrees"),
        ("--- rule", "\\--- rule"),
        ("+ plus", "\\+ plus"),
    ],
)
def test_line_start_escapes(text: str, expected: str) -> None:
    assert escape_line_start(escape(text)) == expected


def test_every_body_paragraph_reads_the_same_in_the_markdown() -> None:
    """Over the fixture pages: the Markdown, rendered, says each paragraph of the body in order."""
    from tests.test_extract_golden import PAGES

    for path in PAGES:
        url = json.loads(path.with_suffix(".json").read_text(encoding="utf-8"))["url"]
        article = extract(path.read_bytes(), url)
        shown = normalise(rendered(article.body_markdown).body.text(separator=" "))
        at = 0
        for paragraph in article.body.split("\n\n"):
            found = shown.find(normalise(paragraph), at)
            assert found >= 0, f"{path.stem}: {paragraph[:60]!r} is not in the Markdown"
            at = found + len(paragraph)
