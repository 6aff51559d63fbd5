"""Quotations and their speakers, one attribution pattern per case."""

from __future__ import annotations

import pytest

from scraper.extract import extract


def page(*paragraphs: str) -> str:
    body = "".join(f"<p>{p}</p>" for p in paragraphs)
    return f"<html><body><article><h1>Headline of the story</h1>{body}</article></body></html>"


FILLER = "The committee met for three hours on Monday and heard from eleven witnesses in total."

CASES = [
    # (paragraphs, quote fragment, speaker)
    (["“We will not give up on this town,” said Mayor Linda Park on Tuesday."], "We will not give up", "Linda Park"),
    (
        ["Linda Park runs the town.", "“We will not give up on this town,” Park said."],
        "We will not give up",
        "Linda Park",
    ),
    (["Linda Park spoke first.", "“We will not give up on this town,” she said."], "We will not give up", "Linda Park"),
    (
        ["Chief executive Omar Haddad told reporters: “The merger closes next spring, as planned.”"],
        "The merger closes",
        "Omar Haddad",
    ),
    (
        ["According to Dr. Helen Wu, “the results were far better than anyone expected.”"],
        "the results were far better",
        "Helen Wu",
    ),
    (["“The water is safe to drink again,” the utility announced in a statement."], "The water is safe", None),
    (
        ['Officials were cautious. "We do not yet know how many homes were damaged," said Carlos Mendes.'],
        "We do not yet know",
        "Carlos Mendes",
    ),
    (
        [
            "Later, Iran’s President Hassan Rouhani stated that the war was over. He stated,",
            "“We never imagined such crimes in this century”.",
        ],
        "We never imagined",
        "Hassan Rouhani",
    ),
    (
        ["„Wir haben keine Zeit mehr zu verlieren“, sagte Bundeskanzlerin Angela Merkel am Dienstag."],
        "Wir haben keine Zeit",
        "Angela Merkel",
    ),
    (
        ["« Nous ne reculerons pas devant la menace », a déclaré Élisabeth Borne devant les députés."],
        "Nous ne reculerons pas",
        "Élisabeth Borne",
    ),
    (["Selon Jean Dupont, « la décision sera prise avant la fin du mois »."], "la décision sera prise", "Jean Dupont"),
    (["“Wir schaffen das, ganz bestimmt”, so Angela Merkel."], "Wir schaffen das", "Angela Merkel"),
]


@pytest.mark.parametrize(("paragraphs", "fragment", "speaker"), CASES)
def test_speaker(paragraphs: list[str], fragment: str, speaker: str | None) -> None:
    article = extract(page(FILLER, *paragraphs))
    found = [q for q in article.quotes if fragment in q.text]
    assert found, [q.text for q in article.quotes]
    assert found[0].speaker == speaker


def test_quote_text_has_no_marks_or_trailing_comma() -> None:
    article = extract(page(FILLER, "“We will not give up on this town,” said Linda Park."))
    assert article.quotes[0].text == "We will not give up on this town"


def test_scare_quotes_are_not_quotations() -> None:
    article = extract(page(FILLER, "The minister called it a “great victory” for the whole country and its people."))
    assert article.quotes == ()


def test_q_element() -> None:
    html = page(FILLER, "As the report put it, <q>the bridge must be closed to heavy traffic at once</q>, and it was.")
    article = extract(html)
    assert [q.text for q in article.quotes] == ["the bridge must be closed to heavy traffic at once"]


def test_blockquote_with_speaker_before_it() -> None:
    html = (
        "<html><body><article><p>" + FILLER + "</p><p>In a letter to staff, chief executive Maria Santos wrote:</p>"
        "<blockquote><p>We have decided to close the plant at the end of the year, and we will support every one of you.</p></blockquote>"
        "</article></body></html>"
    )
    article = extract(html)
    assert article.quotes[0].text.startswith("We have decided to close the plant")
    assert article.quotes[0].speaker == "Maria Santos"


def test_tweet_takes_its_author_from_the_markup() -> None:
    html = (
        "<html><body><article><p>" + FILLER + "</p>"
        '<blockquote class="twitter-tweet"><p lang="en">The new bridge opens to traffic tomorrow morning at six.</p>'
        '&mdash; City of Ashford (@AshfordCity) <a href="https://twitter.com/AshfordCity/status/1">May 3, 2021</a></blockquote>'
        "<p>" + FILLER + "</p></article></body></html>"
    )
    article = extract(html)
    quote = next(q for q in article.quotes if "new bridge opens" in q.text)
    assert quote.speaker == "City of Ashford"


def test_quote_spanning_unclosed_marks_is_bounded() -> None:
    article = extract(page(FILLER, "He said “" + "word " * 3000))
    assert all(len(q.text) <= 2000 for q in article.quotes)


def test_surname_alone_next_to_the_verb() -> None:
    article = extract(
        page(FILLER, "“Governor Bevin has done a wonderful job for the people,” Trump tweeted on Monday.")
    )
    assert article.quotes[0].speaker == "Trump"
    article = extract(
        page("Donald Trump spoke first.", "“Get out and vote on Tuesday for your governor,” wrote Trump.")
    )
    assert article.quotes[0].speaker == "Donald Trump"
