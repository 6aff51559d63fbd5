"""Body shapes: what is kept, in what order, and what is left out."""

from __future__ import annotations

import pytest

from scraper.extract import extract
from scraper.extract.text import INVISIBLE_CHARS, normalise

S1 = "The river rose two metres overnight and forced the closure of the old stone bridge at dawn."
S2 = "Engineers said the bridge would stay shut until divers had inspected its foundations fully."
S3 = "Shops on the quay stacked sandbags, and the ferry company moved its boats upstream for safety."
S4 = "The council promised a full report on the flood defences before the end of the month."


def body_of(html: str) -> list[str]:
    return extract(html, "https://example.org/a").body.split("\n\n")


def test_comment_thread_longer_than_the_article() -> None:
    comments = "".join(
        f"<div><b>reader{i}</b> wrote:<br>I have lived by this river for forty years and never seen it this high, "
        f"the council should have acted sooner, and everyone here knows it very well.</div>"
        for i in range(12)
    )
    html = f"<html><body><div><h1>River floods</h1><p>{S1}</p><p>{S2}</p></div><div><h3>12 Comments</h3>{comments}</div></body></html>"
    assert body_of(html) == [S1, S2]


def test_article_split_by_ads_keeps_every_part_in_order() -> None:
    html = (
        "<html><body><div class='story'>"
        f"<div class='story-part'><p>{S1}</p><p>{S2}</p></div>"
        "<div class='ad-wrapper'><span>Advertisement</span></div>"
        f"<div class='story-part'><p>{S3}</p></div>"
        "<div class='dfp'>ADVERTISEMENT</div>"
        f"<div class='story-part'><p>{S4}</p></div>"
        "</div></body></html>"
    )
    assert body_of(html) == [S1, S2, S3, S4]


def test_br_separated_paragraphs_in_a_div() -> None:
    html = f"<html><body><div class='text'>{S1}<br><br>{S2}<br/><br/>{S3} <a href='/x'>More on the flood</a> here.<br><br>{S4}</div></body></html>"
    assert body_of(html) == [S1, S2, f"{S3} More on the flood here.", S4]


def test_headings_lists_and_quotes_each_their_own_paragraph() -> None:
    html = (
        f"<html><body><article><p>{S1}</p><h2>What happens next</h2><ul><li>Divers inspect the piers</li>"
        f"<li>Engineers report to the council</li></ul><blockquote><p>{S2}</p></blockquote><p>{S3}</p></article></body></html>"
    )
    assert body_of(html) == [
        S1,
        "What happens next",
        "Divers inspect the piers",
        "Engineers report to the council",
        S2,
        S3,
    ]


def test_more_stories_list_and_its_heading_are_dropped() -> None:
    stories = "".join(f"<li><a href='/s{i}'>Another story about something else number {i}</a></li>" for i in range(5))
    html = f"<html><body><article><p>{S1}</p><p>{S2}</p><p>{S3}</p><h3>More great stories</h3><ul>{stories}</ul></article></body></html>"
    assert body_of(html) == [S1, S2, S3]


def test_data_table_reads_row_by_row() -> None:
    rows = "".join(f"<tr><td>{i}</td><td>Station {i}</td><td>{i * 10} cm</td></tr>" for i in range(1, 4))
    html = f"<html><body><article><p>{S1}</p><table><tr><th>No.</th><th>Station</th><th>Rise</th></tr>{rows}</table><p>{S2}</p></article></body></html>"
    assert body_of(html) == [S1, "No. Station Rise", "1 Station 1 10 cm", "2 Station 2 20 cm", "3 Station 3 30 cm", S2]


def test_furniture_lines_inside_the_article() -> None:
    html = (
        "<html><body><article><p>By Jane Reporter</p><p>Updated: March 3, 2024 10:42 am</p>"
        f"<p>{S1}</p><p>Advertisement</p><p>{S2}</p><p>5 min read</p><p>Photo: Getty Images</p>"
        f"<p>{S3}</p><p>Sign up for our newsletter to get the latest flood news every morning.</p>"
        "<p>Jane Reporter is a staff writer covering the environment.</p></article></body></html>"
    )
    assert body_of(html) == [S1, S2, S3]


def test_whitespace_is_normalised() -> None:
    html = (
        f"<html><body><article><p>{S1.replace(' ', '&nbsp;', 3)}\n\n   </p><p>  {S2}\u200b</p></article></body></html>"
    )
    assert body_of(html) == [S1, S2]


@pytest.mark.parametrize("invisible", list(INVISIBLE_CHARS))
def test_every_invisible_character_is_dropped(invisible: str) -> None:
    # normalise() gates its regex with one substring test per character: each must be there.
    assert normalise(f"Zwölf{invisible}tausend  Menschen") == "Zwölftausend Menschen"


def test_a_page_left_inside_an_unclosed_noscript_is_read() -> None:
    # The markup opens a <div> inside <noscript> and never closes it: the whole page is in it.
    html = f"<html><body><noscript><div id='nojs'></noscript><div><h1>Floods</h1><p>{S1}</p><p>{S2}</p></div></div></body></html>"
    assert body_of(html) == [S1, S2]


def test_a_small_noscript_is_dropped() -> None:
    html = f"<html><body><div><p>{S1}</p><noscript><p>Please enable JavaScript to view the comments.</p></noscript><p>{S2}</p></div></body></html>"
    assert body_of(html) == [S1, S2]


def test_lead_in_a_box_beside_the_body_without_a_headline() -> None:
    # The kicker, not the title, heads the page; the lead sits in its own box above the body,
    # with a dateline between: it is the top of the same article wrapper.
    lead = "What had been rumoured for weeks is now official: the regatta moves to the autumn"
    html = (
        "<html><head><title>Regatta moved | Club news</title></head><body><div class='news'>"
        "<h3>CLUB NEWS</h3>"
        f"<div class='teaser-text'><p>{lead}</p></div><div class='date'>12.03.2021</div>"
        f"<div class='news-text'><p>{S1}</p><p>{S2}</p><p>{S3}</p></div>"
        "</div></body></html>"
    )
    assert body_of(html) == [lead, S1, S2, S3]


def test_prose_far_from_the_region_is_not_a_lead() -> None:
    # Text in another part of the page (a sidebar box above the article) is not its lead.
    other = "Our weekly newsletter brings the best stories of the week straight to you, every Friday."
    html = (
        "<html><body><div class='top'><div><div><div><p>" + other + "</p></div></div></div></div>"
        f"<div class='main'><div><p>{S1}</p><p>{S2}</p><p>{S3}</p></div></div></body></html>"
    )
    assert body_of(html) == [S1, S2, S3]


def test_teaser_cards_closing_the_text_are_dropped() -> None:
    # Headline and one-line summary cards after the story, with no class names to say so.
    cards = "".join(
        f"<h5>{title}</h5><p>{dek}</p>"
        for title, dek in [
            ("New electric crossover makes its debut", "The second electric model from the maker officially arrives"),
            ("The hot hatch with a huge rear wing", "The most powerful version yet has three hundred horsepower"),
        ]
    )
    html = f"<html><body><div class='story'><h1>River floods</h1><p>{S1}</p><p>{S2}</p><p>{S3}</p>{cards}</div></body></html>"
    assert body_of(html) == [S1, S2, S3]


def test_an_article_header_with_a_breadcrumb_keeps_its_standfirst() -> None:
    lead = "Snow on the roof can cost a solar plant its winter yield, and too much of it can break the panels."
    html = (
        "<html><body><main><header><nav><ol><li><a href='/'>Home</a></li><li><a href='/energy'>Energy</a></li></ol></nav>"
        f"<h1>Snow weighs on the panels</h1><p>{lead}</p></header>"
        f"<div class='text'><p>{S1}</p><p>{S2}</p><p>{S3}</p></div></main></body></html>"
    )
    assert body_of(html) == [lead, S1, S2, S3]


def test_sections_in_separate_wrappers_are_all_kept() -> None:
    # A page builder wraps each section in its own item > paragraph > text chain: the best
    # scored section is one of them, the article is their common container.
    def item(*paragraphs: str) -> str:
        inner = "".join(f"<p>{p}</p>" for p in paragraphs)
        return f"<div class='field-item'><div class='paragraph'><div class='text'>{inner}</div></div></div>"

    S5 = "Divers found the piers sound, though one footing had lost a metre of its stone facing."
    S6 = "The bridge reopened to pedestrians on Friday, and cars will follow once the road is resurfaced."
    html = (
        "<html><body><nav><a href='/'>Home</a></nav><div class='node'><h1>River floods</h1><div class='fields'>"
        + item(S1)
        + "<div class='field-item'><div class='embed'><p>Photo: the bridge at dawn</p></div></div>"
        + item(S2, S3, S4)
        + item(S5)
        + item(S6)
        + "</div></div></body></html>"
    )
    assert body_of(html) == [S1, S2, S3, S4, S5, S6]


def test_the_subscribers_only_notice_ends_the_text() -> None:
    html = (
        f"<html><body><div class='entry-content'><p>{S1}</p><p>{S2}</p>"
        "<p>To view the full story, please subscribe to The Daily River. A weekly pass costs five dollars.</p>"
        "<p>First-time subscribers also receive a tote bag, handmade by local artisans, with their welcome pack!</p>"
        "<p>If you’re seeing this message but you’re already a subscriber, you can log in for immediate access.</p>"
        "</div></body></html>"
    )
    assert body_of(html) == [S1, S2]


def test_text_hidden_by_a_utility_class_is_not_read() -> None:
    # A slider prints its slides' image data in a hidden span; a "hidden md:block" box shows
    # on wide screens and stays.
    slides = "".join(
        f"<div class='slide'><a href='/s{i}'>Story {i}</a><span class='hidden'>https://example.org/img/{i}.jpg 1707 2560 Jane Doe 2022-12-06</span></div>"
        for i in range(12)
    )
    html = (
        f"<html><body><div class='slider'>{slides}</div>"
        f"<div class='text'><p>{S1}</p><div class='hidden md:block'><p>{S2}</p></div><p>{S3}</p></div></body></html>"
    )
    assert body_of(html) == [S1, S2, S3]


def test_furniture_lines_in_other_languages() -> None:
    furniture = [
        "- Anzeige -",
        "Foto: Ingo Berger",
        "Crédits photos : Agence Nord",
        "Das könnte dich auch interessieren:",
        "Lesen Sie auch die folgenden Beiträge:",
        "Kategorie: News, Region",
        "Síguenos en Telegram, Instagram, Facebook y Twitter",
        "The skier at the finish in Kitzbühel. © AFP / JANE DOE",
        "We recommend the best products through an independent review process, and advertisers do not influence our picks.",
    ]
    html = "<html><body><div class='story'>" + f"<p>{S1}</p>" + "".join(f"<p>{line}</p>" for line in furniture)
    html += f"<p>{S2}</p><p>For the latest stories download the Riverside News apps for iOS and Android.</p></div></body></html>"
    assert body_of(html) == [S1, S2]


def test_sentences_that_look_like_credits_are_kept() -> None:
    kept = [
        "The court ruled under the Copyright Act.",
        "The letter was delivered via Royal Mail.",
        "You have reached the summit when the cairn comes into view.",
    ]
    html = f"<html><body><div class='story'><p>{S1}</p>" + "".join(f"<p>{line}</p>" for line in kept)
    html += f"<p>{S2}</p></div></body></html>"
    assert body_of(html) == [S1, *kept, S2]


def test_a_sentence_long_heading_is_kept_before_another_heading() -> None:
    summary = (
        "The regatta moves to the autumn this year after the spring floods, and the club says the new date, "
        "chosen with the rowers, will stay for good"
    )
    html = f"<html><body><div class='story'><h1>River floods</h1><h2>{summary}</h2><h2>What happened</h2><p>{S1}</p><p>{S2}</p><p>{S3}</p></div></body></html>"
    assert body_of(html) == [summary, "What happened", S1, S2, S3]
