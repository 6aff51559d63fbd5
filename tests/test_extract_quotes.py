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


# Issue 11: one case per pattern that went wrong (names are invented).
PATTERNS = [
    # follow-on quotes: the second belongs to the first's speaker
    (
        ["“We will rebuild the bridge by spring,” Maria Delgado said. “Nobody will wait longer than that.”"],
        "Nobody will wait longer",
        "Maria Delgado",
    ),
    (
        [
            "“We will rebuild the bridge by spring,” Maria Delgado said.",
            "“Nobody will wait longer than that for a road.”",
        ],
        "Nobody will wait longer",
        "Maria Delgado",
    ),
    # a quotation left open continues in the next paragraph
    (
        [
            "Paul Okafor, the union's treasurer, said: “The fund is healthy and growing every year.",
            "“We expect to pay every pension in full until 2040.”",
        ],
        "We expect to pay every pension",
        "Paul Okafor",
    ),
    # a title before the surname, a full name before the verb
    (
        ["Helen Strauss chairs the board.", "“The audit found nothing out of place,” Ms. Strauss said."],
        "The audit found nothing",
        "Helen Strauss",
    ),
    (["“The audit found nothing out of place at all,” Joe Biden said."], "The audit found nothing", "Joe Biden"),
    (
        ["“The audit found nothing out of place at all,” said Dr. Amal Haddad."],
        "The audit found nothing",
        "Amal Haddad",
    ),
    # cues beyond "said"
    (["Greta Lindqvist: “The vote will happen on Thursday, as planned.”"], "The vote will happen", "Greta Lindqvist"),
    (
        ["Greta Lindqvist left early, saying “the vote will happen on Thursday.”"],
        "the vote will happen",
        "Greta Lindqvist",
    ),
    (
        ["Greta Lindqvist called the plan “a betrayal of every voter in the county.”"],
        "a betrayal of every",
        "Greta Lindqvist",
    ),
    (
        ["Greta Lindqvist phoned the mayor, telling him “the vote will happen on Thursday.”"],
        "the vote will happen",
        "Greta Lindqvist",
    ),
    (
        ["Greta Lindqvist issued a warning: “The vote will happen on Thursday.”"],
        "The vote will happen",
        "Greta Lindqvist",
    ),
    (
        ["Greta Lindqvist accused the council of “hiding the real cost from residents.”"],
        "hiding the real cost",
        "Greta Lindqvist",
    ),
    (["“Will the vote happen on Thursday at all?” asked Greta Lindqvist."], "Will the vote happen", "Greta Lindqvist"),
    (["Greta Lindqvist noted that “the vote will happen on Thursday.”"], "the vote will happen", "Greta Lindqvist"),
    (["“The vote will happen on Thursday,” Greta Lindqvist explained."], "The vote will happen", "Greta Lindqvist"),
    (["Greta Lindqvist insisted that “the vote will happen on Thursday.”"], "the vote will happen", "Greta Lindqvist"),
    (["“The vote will happen on Thursday!” Greta Lindqvist tweeted."], "The vote will happen", "Greta Lindqvist"),
    (
        ["Greta Lindqvist wrote in a statement: “The vote will happen on Thursday.”"],
        "The vote will happen",
        "Greta Lindqvist",
    ),
    (
        ["In an interview with the Herald, Greta Lindqvist said “the vote will happen on Thursday.”"],
        "the vote will happen",
        "Greta Lindqvist",
    ),
    (["According to Greta Lindqvist, “the vote will happen on Thursday.”"], "the vote will happen", "Greta Lindqvist"),
    # a pronoun goes to the last person whose gender agrees, not to the last name
    (
        ["Sarah Whitfield met Thomas Brennan on Monday.", "“We agreed on almost everything that matters,” she said."],
        "We agreed on almost everything",
        "Sarah Whitfield",
    ),
    (
        ["Mr. Brennan praised Sarah Whitfield's plan.", "“We agreed on almost everything that matters,” he said."],
        "We agreed on almost everything",
        "Thomas Brennan",
    ),
    # middle initials are part of the name
    (
        ["“The tax cut mostly helps the richest households,” said Steven M. Rosenthal."],
        "The tax cut mostly",
        "Steven M. Rosenthal",
    ),
    # the quotation speaks no one's name: no speaker
    (["“The tax cut mostly helps the richest households,” the report said."], "The tax cut mostly", None),
]


@pytest.mark.parametrize(("paragraphs", "fragment", "speaker"), PATTERNS)
def test_issue_11_patterns(paragraphs: list[str], fragment: str, speaker: str | None) -> None:
    article = extract(page(FILLER, "Thomas Brennan runs the county.", *paragraphs))
    found = [q for q in article.quotes if fragment in q.text]
    assert found, [q.text for q in article.quotes]
    assert found[0].speaker == speaker


def test_phrases_that_are_no_one_are_never_speakers() -> None:
    article = extract(
        page(
            FILLER,
            "“He has my Complete and Total Endorsement for the race,” the post read.",
            "She poured a tall glass of coquito. “This is the best drink of the whole season,” said a guest.",
        )
    )
    assert [q.speaker for q in article.quotes] == [None, None]


def test_slogans_and_titles_are_not_quotations() -> None:
    article = extract(page(FILLER, "The crowd chanted “Make America Great Again” as the candidate spoke for an hour."))
    assert article.quotes == ()


def test_a_quotation_whose_closing_mark_is_missing_or_mixed() -> None:
    article = extract(
        page(
            FILLER,
            '“The bridge will reopen in May," said Maria Delgado, who runs the works.',
            "Maria Delgado added: “Every lane will be open by then, all four of them.",
        )
    )
    texts = {q.text: q.speaker for q in article.quotes}
    assert texts == {
        "The bridge will reopen in May": "Maria Delgado",
        "Every lane will be open by then, all four of them.": "Maria Delgado",
    }
