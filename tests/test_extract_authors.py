"""Authors: names only, from the most exact source, never a commenter, a teaser's or a label."""

from __future__ import annotations

import json

import pytest

from scraper.extract import extract
from scraper.extract.authors import author_names, byline_fallback

STORY = "<p>" + "Words of the story, which goes on for a while. " * 12 + "</p>"


def _page(head: str = "", body: str = "") -> str:
    return f"<html><head><title>A story</title>{head}</head><body><article><h1>A story</h1>{body}{STORY}</article></body></html>"


@pytest.mark.parametrize(
    ("raw", "names"),
    [
        ("Jörn Mecher am", ["Jörn Mecher"]),
        ("SHOW ALL ARTICLES OF Heiko Sauer", ["Heiko Sauer"]),
        ("Erstellt von Andri Bryner", ["Andri Bryner"]),
        ("Interview: Julia Lauter", ["Julia Lauter"]),
        ("Autor:gnaddrig", []),  # a lower-case word in running text is not known to be a name
        ("Jens Bergmann Foto: Michael Hudler", ["Jens Bergmann"]),
        ("Markus M. Haefliger, London, Beat Bumbacher", ["Markus M. Haefliger", "Beat Bumbacher"]),
        ("'Luana Patriolino, Raphael Felice'", ["Luana Patriolino", "Raphael Felice"]),
        ("Redacci&oacute;n Diario Pagina Siete", ["Redacción Diario Pagina Siete"]),
        ("Johanna Kropfitsch Alle Artikel", ["Johanna Kropfitsch"]),
        ("karstenruppertMore Posts", []),
        ("AFP/The Local", ["AFP", "The Local"]),
        ("Artikel von", []),
        ("Uncategorized", []),
        ("Veröffentlicht am", []),
        ("Gesponserte Inhalte", []),
        ("Copyright Haufe-Lexware GmbH", []),
        ("Perry Bacon Jr.", ["Perry Bacon Jr."]),
    ],
)
def test_author_strings_become_names(raw: str, names: list[str]) -> None:
    assert author_names(raw) == names


def test_user_names_count_only_from_fields_that_hold_just_the_author() -> None:
    assert author_names("gizzmo", handles=True) == ["gizzmo"]
    assert author_names("kath.net", handles=True) == []  # a domain is the site, not a person
    assert author_names("news service reports", handles=True) == []  # a lower-case phrase is no user name


def test_the_author_a_yoast_graph_points_to_by_id() -> None:
    graph = {
        "@context": "https://schema.org",
        "@graph": [
            {"@type": "Article", "headline": "A story", "author": {"@id": "https://blog.example/#/schema/person/1"}},
            {"@type": "Person", "@id": "https://blog.example/#/schema/person/1", "name": "Silvia Oestreicher"},
        ],
    }
    page = _page(f'<script type="application/ld+json">{json.dumps(graph)}</script>')
    assert extract(page, "https://blog.example/a-story/").authors == ("Silvia Oestreicher",)


def test_a_person_in_the_byline_beats_a_declared_organisation() -> None:
    head = '<meta name="author" content="Süddeutsche.de GmbH, Munich, Germany">'
    body = '<div class="byline"><a href="/autor/mb">Markus Balser</a>, Berlin</div>'
    assert extract(_page(head, body)).authors == ("Markus Balser",)
    assert extract(_page(head)).authors == ("Süddeutsche.de GmbH",)  # no person named: the publisher stays


def test_yoast_written_by_card() -> None:
    head = '<meta name="twitter:label1" content="Geschrieben von"><meta name="twitter:data1" content="Doris Schuppe">'
    assert extract(_page(head)).authors == ("Doris Schuppe",)


def test_a_lower_case_user_name_from_rel_author_but_not_the_sites_own() -> None:
    body = '<span class="author vcard"><a class="url fn n" rel="author" href="/author/g1">{}</a></span>'
    assert extract(_page(body=body.format("gizzmo")), "https://bunte.example/x").authors == ("gizzmo",)
    assert extract(_page(body=body.format("mywakenews")), "https://mywakenews.wordpress.com/x").authors == ()


def test_only_the_first_byline_and_the_names_beside_it() -> None:
    teasers = "".join(
        f"<li><a href='/s{i}'>Other story {i}</a> <span class='author-name'>Teaser Writer{c}</span></li>"
        for i, c in enumerate("ABC")
    )
    body = (
        "<p class='byline'><span class='author-name'>Poppie Platt</span> and <span class='author-name'>James Titcomb</span></p>"
        f"{STORY}<ul class='more-stories'>{teasers}</ul>"
    )
    assert extract(_page(body=body)).authors == ("Poppie Platt", "James Titcomb")


def test_never_a_commenter_a_teaser_box_or_the_theme_credit() -> None:
    body = (
        f"{STORY}<aside class='entry__related'><span class='author'>Valeria Piantoni</span></aside>"
        "<ol class='comment-list'><li><span class='comment-author'>Nenad Stojkovic</span></li></ol>"
        "<div class='site-info'>Theme by <a rel='author' href='https://themes.example'>ThemeGrill</a></div>"
    )
    assert extract(_page(body=body)).authors == ()


def test_byline_line_fallback_takes_a_byline_not_a_sentence() -> None:
    assert byline_fallback(None, [], ["Posted on 3 May 2019 by Walter Frank"]) == ("2019-05-03", ["Walter Frank"])
    assert byline_fallback(None, [], ["Rabatte von Barzahler-Rabatten"]) == (None, [])
    assert byline_fallback(None, [], ["von Künstlern, Bands, DJs,"]) == (None, [])
    assert byline_fallback(None, [], ["Von Anna Berg | 4. Mai 2021"])[1] == ["Anna Berg"]


def test_a_desk_credited_in_the_metadata_but_never_from_running_text() -> None:
    assert extract(_page('<meta name="author" content="Redaktion">')).authors == ("Redaktion",)
    assert extract(_page(body="<div class='byline'>Redaktion</div>")).authors == ()
    assert extract(_page('<meta name="author" content="admin">')).authors == ()  # a CMS's default account


def test_authors_and_dates_from_json_ld_that_does_not_parse() -> None:
    # An unescaped quote in the headline breaks the JSON; the author and date still read.
    broken = (
        '{"@context": "http://schema.org", "@type": "NewsArticle", "headline": "Senator calls Biden "unfit"",'
        ' "datePublished": "2022-05-10T17:22:00-04:00", "author": [{"@type": "Person", "name": "Ana Ruiz"},'
        ' {"@type": "Person", "name": "Luis Vega"}]}'
    )
    article = extract(_page(f'<script type="application/ld+json">{broken}</script>'))
    assert article.authors == ("Ana Ruiz", "Luis Vega")
    assert article.published == "2022-05-10T17:22:00-04:00"


def test_the_byline_right_after_the_headline_when_nothing_else_names_the_author() -> None:
    head = "<div class='headline-block'><h1>A story</h1><div class='meta'>By <a href='/team/jr'>J.R. Stone</a> Thursday, November 9, 2023</div></div>"
    page = f"<html><head><title>A story</title></head><body>{head}<div class='content'>{STORY}</div></body></html>"
    assert extract(page).authors == ("J.R. Stone",)
    about = head.replace(
        "By <a href='/team/jr'>J.R. Stone</a> Thursday, November 9, 2023", "von Verena Stegemann ist nun im Verlag"
    )
    page = f"<html><head><title>A story</title></head><body>{about}<div class='content'>{STORY}</div></body></html>"
    assert extract(page).authors == ()  # a sentence about someone is no byline


def test_a_capitalised_by_word_opens_a_byline_mid_line() -> None:
    assert byline_fallback(None, [], [], ["Quelle: dpa-AFX Von David Hutzler, dpa"])[1] == ["David Hutzler"]
    assert byline_fallback(None, [], [], ["Agencia EFE 04.05.2022 Por Agencia EFE"])[1] == ["Agencia EFE"]


def test_never_the_photographer_an_image_licence_names() -> None:
    body = (
        "<figure><img src='a.jpg'><div class='license-info'><span class='author-name'>Nenad Stojkovic</span></div></figure>"
        "<span class='byline'>von <a href='/author/sij'>Sarah-Indra Jungblut</a></span>"
    )
    assert extract(_page(body=body)).authors == ("Sarah-Indra Jungblut",)


@pytest.mark.parametrize(
    ("declared", "names"),
    [
        ("Redaktion Polizeiticker Schweiz", ["Redaktion Polizeiticker Schweiz"]),
        ("TVT-Redaktion", ["TVT-Redaktion"]),
        ("Staff and news service reports", ["Staff and news service reports"]),
        ("Jane Doe, Staff Writer", ["Jane Doe"]),
    ],
)
def test_a_desk_naming_its_paper_is_one_credit(declared: str, names: list[str]) -> None:
    assert author_names(declared, handles=True) == names


def test_a_logo_text_twice_is_no_name() -> None:
    assert author_names("N-Land N-Land") == []
