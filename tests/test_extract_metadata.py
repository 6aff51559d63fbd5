"""Metadata: title cleaning, dates to ISO 8601, authors, language, tags, canonical URL."""

from __future__ import annotations

import pytest

from scraper.extract import extract
from scraper.extract.dates import to_iso
from scraper.extract.page_dates import url_date
from scraper.extract.site import language_code
from scraper.extract.titles import strip_site

BODY = "<p>The council met on Tuesday evening and voted to keep the library open late all summer.</p>"


@pytest.mark.parametrize(
    ("raw", "site", "title"),
    [
        ("Storm hits coast | The Harbour Times", "The Harbour Times", "Storm hits coast"),
        ("Storm hits coast - UK news - The Harbour Times", "The Harbour Times", "Storm hits coast"),
        ("The Harbour Times: Storm hits the coast overnight", "The Harbour Times", "Storm hits the coast overnight"),
        ("Storm hits the coast overnight — Harbour", None, "Storm hits the coast overnight"),
        ("CONFIRMED: Iran declares victory over ISIS", None, "CONFIRMED: Iran declares victory over ISIS"),
        ("Well-known author dies at 90", None, "Well-known author dies at 90"),
    ],
)
def test_strip_site(raw: str, site: str | None, title: str) -> None:
    assert strip_site(raw, site) == title


def test_h1_agreeing_with_metadata_wins() -> None:
    html = (
        "<html><head><title>Budget passes after all-night session | Politics | Daily Bugle</title>"
        '<meta property="og:site_name" content="Daily Bugle"></head><body><h1>Daily Bugle</h1>'
        f"<article><h1>Budget passes after all-night session</h1>{BODY}</article></body></html>"
    )
    assert extract(html).title == "Budget passes after all-night session"


def test_title_from_title_tag_only() -> None:
    html = f"<html><head><title>Budget passes after all-night session - Daily Bugle</title></head><body>{BODY}</body></html>"
    assert extract(html).title == "Budget passes after all-night session"


@pytest.mark.parametrize(
    ("raw", "iso"),
    [
        ("2023-07-07T14:32:00+02:00", "2023-07-07T14:32:00+02:00"),
        ("2023-07-07T12:32:00Z", "2023-07-07T12:32:00+00:00"),
        ("2023-07-07 14:32:00", "2023-07-07T14:32:00"),
        ("2023-07-07T14:32:00.000+0200", "2023-07-07T14:32:00+02:00"),
        ("2023-07-07", "2023-07-07"),
        ("20230707", "2023-07-07"),
        ("Fri, 07 Jul 2023 14:32:00 GMT", "2023-07-07T14:32:00+00:00"),
        ("July 7, 2023", "2023-07-07"),
        ("7 July 2023, 2:32 pm", "2023-07-07T14:32:00"),
        ("07.07.2023, 14:32 Uhr", "2023-07-07T14:32:00"),
        ("17 mars 2023", "2023-03-17"),
        ("not a date", None),
        ("2023-13-45", None),
        ("", None),
    ],
)
def test_dates(raw: str, iso: str | None) -> None:
    assert to_iso(raw) == iso


def test_meta_sources_and_fallbacks() -> None:
    html = (
        '<html lang="de-DE"><head><title>Eine Überschrift für den Test - Zeitung</title>'
        '<meta name="author" content="By Anna Berg and Jonas Falk">'
        '<meta name="news_keywords" content="Politik, Wahl">'
        '<meta name="twitter:image" content="/img/a.jpg">'
        '<link rel="canonical" href="/politik/artikel-1">'
        f'</head><body><article><time datetime="2021-05-04T08:00:00+02:00">4. Mai</time>{BODY}</article></body></html>'
    )
    article = extract(html, "https://zeitung.example/politik/artikel-1?utm=x")
    assert article.authors == ("Anna Berg", "Jonas Falk")
    assert article.tags == ("Politik", "Wahl")
    assert article.language == "de"
    assert article.published == "2021-05-04T08:00:00+02:00"
    assert article.canonical_url == "https://zeitung.example/politik/artikel-1"
    assert article.image == "https://zeitung.example/img/a.jpg"


def test_microdata_dates_and_author() -> None:
    html = (
        "<html><body><article itemscope itemtype='https://schema.org/NewsArticle'>"
        "<h1 itemprop='headline'>Bridge reopens after repairs</h1>"
        "<span itemprop='author'>Mia Chen</span>"
        "<meta itemprop='datePublished' content='2020-01-02T03:04:05Z'>"
        "<meta itemprop='dateModified' content='2020-01-03'>"
        f"{BODY}</article></body></html>"
    )
    article = extract(html)
    assert article.title == "Bridge reopens after repairs"
    assert article.authors == ("Mia Chen",)
    assert article.published == "2020-01-02T03:04:05+00:00"
    assert article.modified == "2020-01-03"


@pytest.mark.parametrize(
    ("tag", "code"),
    [
        ("en-US", "en"),
        ("en_GB", "en"),
        ("DE", "de"),
        ("fr-FR-u-ca-gregory", "fr"),
        ("haw", "haw"),
        ("x-default", None),
        ("english", None),
        ("", None),
        (None, None),
        ("12", None),
    ],
)
def test_language_is_the_iso_639_code(tag: str | None, code: str | None) -> None:
    assert language_code(tag) == code


def test_language_from_og_locale_when_html_has_none() -> None:
    page = '<html><head><meta property="og:locale" content="pt_BR"></head><body><p>Olá</p></body></html>'
    assert extract(page).language == "pt"


@pytest.mark.parametrize(
    ("declared", "label"),
    [
        ("https://www.newsnation.in", "newsnation.in"),
        ("The Duran", "The Duran"),
        ("  ", None),
        ("//example.org/", "example.org"),
    ],
)
def test_site_name_is_a_name_not_a_url(declared: str, label: str | None) -> None:
    page = f'<html><head><meta property="og:site_name" content="{declared}"></head><body><p>Text.</p></body></html>'
    assert extract(page).site_name == label


STORY = (
    "<html><head><title>A story</title></head><body><article><h1>A story</h1><p>"
    + "Words of the story. " * 20
    + "</p></article></body></html>"
)


def test_date_falls_back_to_htmldate_when_the_page_has_no_metadata() -> None:
    # The date only in the URL: the last resort (htmldate, which trafilatura uses) still finds it.
    assert extract(STORY, "https://news.example/2019/11/19/a-story.html").published == "2019-11-19"
    assert extract(STORY, "https://news.example/a-story.html").published is None  # no date anywhere: none made up


def test_a_site_that_does_not_name_itself_is_known_by_its_host() -> None:
    assert extract(STORY, "https://www.news.example/a-story.html").site_name == "news.example"
    canonical = STORY.replace("<title>", '<link rel="canonical" href="https://origin.example/a"><title>')
    assert extract(canonical, "http://127.0.0.1:8000/copy").site_name == "origin.example"
    assert extract(STORY).site_name is None


def test_htmldate_reads_the_page_not_a_teaser_link() -> None:
    # A teaser's link words once overwrote the page text that the last-resort date finder reads.
    words = "Words of the story, which goes on for a while. " * 10
    page = (
        "<html><head><title>A story</title></head><body><article><h1>A story</h1>"
        f"<p><span class='entry-date'>Mon 19 Nov 2019</span></p><p>{words}</p>"
        "<p>Read more: <a href='https://news.example/other'>The harbour wall that held for a century</a></p>"
        f"<p>{words}</p></article></body></html>"
    )
    article = extract(page, "https://news.example/a-story.html")
    assert [link.text for link in article.related_links] == ["The harbour wall that held for a century"]
    assert article.published == "2019-11-19"


@pytest.mark.parametrize(
    ("declared", "names"),
    [
        ("By Jane Doe", ["Jane Doe"]),
        ("TOM KRISHER, AP Auto Writer", ["TOM KRISHER"]),
        ("Promoted by Acme Solar", []),
        ("Kooman, F.", ["Kooman, F."]),
        ("Jane Doe and John Roe, Associated Press writers", ["Jane Doe", "John Roe"]),
        ("By Tom Krisher | November 19, 2019", ["Tom Krisher"]),
        ("Jane Doe @janedoe", ["Jane Doe"]),
        ("Alles von Martin Junker", ["Martin Junker"]),
    ],
)
def test_authors_are_names_only(declared: str, names: list[str]) -> None:
    page = f'<html><head><meta name="author" content="{declared}"></head><body><p>Text.</p></body></html>'
    assert list(extract(page).authors) == names


def test_authors_from_the_visible_byline_when_metadata_names_none() -> None:
    page = (
        "<html><body><article><h1>A story</h1><div class='byline'>By <a href='/author/jd'>Jane Doe</a></div>"
        "<p>" + "Words of the story. " * 20 + "</p></article></body></html>"
    )
    assert extract(page).authors == ("Jane Doe",)


def test_title_has_no_heading_anchor_mark() -> None:
    page = "<html><head><title>Release notes</title></head><body><h1>Release notes<a class='headerlink' href='#r'>¶</a></h1><p>Text.</p></body></html>"
    assert extract(page).title == "Release notes"


def test_the_json_ld_article_date_wins_over_disagreeing_meta_tags() -> None:
    # The meta tags often carry the template's or the index's date; the article object is the article's.
    page = (
        "<html><head><title>A story</title>"
        '<meta property="article:published_time" content="2023-11-30T08:00:00Z">'
        '<meta property="article:modified_time" content="2023-12-01T09:00:00Z">'
        '<script type="application/ld+json">{"@context": "https://schema.org", "@graph": ['
        '{"@type": "WebPage", "datePublished": "2020-01-01T00:00:00Z"},'
        '{"@type": "NewsArticle", "headline": "A story", "datePublished": "2019-11-19T10:30:00+01:00",'
        ' "dateModified": "2019-11-20T12:00:00+01:00"}]}</script>'
        f"</head><body><article><h1>A story</h1>{BODY}</article></body></html>"
    )
    article = extract(page)
    assert article.published == "2019-11-19T10:30:00+01:00"
    assert article.modified == "2019-11-20T12:00:00+01:00"


@pytest.mark.parametrize(
    ("url", "day"),
    [
        ("https://news.example/2019/11/19/a-story.html", "2019-11-19"),
        ("https://news.example/2019-3-7-a-story", "2019-03-07"),
        ("https://news.example/2019/13/45/a-story", None),
        ("https://news.example/a-story-20191119", None),
        (None, None),
    ],
)
def test_the_date_in_the_address(url: str | None, day: str | None) -> None:
    assert url_date(url) == day
