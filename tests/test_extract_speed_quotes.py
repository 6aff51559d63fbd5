"""The shortcuts the quotation stage takes for speed give what the general rules give."""

from __future__ import annotations

import itertools

import pytest

from scraper.extract import name_runs, names
from scraper.extract import speaker_words as w

# Words of every kind a run is made of: names, titles, organisation words, openers, joiners,
# acronyms, initials, unicode capitals.
_WORDS = [
    "Donald", "Trump", "Fox", "News", "The", "But", "President", "Barack", "Obama", "Sen.", "Mr.",
    "Ms.", "New", "York", "Clinton", "Foundation", "NASA", "FBI", "J.", "Jr.", "III", "de", "van",
    "bin", "al-Assad", "Bundeskanzlerin", "Angela", "Merkel", "Monday", "AUSTRALIAN", "TEAM",
    "İbrahim", "Łukasz", "Дмитрий", "Σ", "O'Neil", "McDonald’s", "Trump’s", "U.S.", "Inc.", "Speaker",
    "House", "National", "Party", "Jean-Luc", "Ab", "X",
]  # fmt: skip


def _runs() -> list[str]:
    words = _WORDS + [x.capitalize() for x in sorted(w.TITLES | w.ORG_WORDS | w.NOT_NAME)[::7]]
    runs = [" ".join(pair) for pair in itertools.permutations(_WORDS, 2)]
    runs += [" ".join(triple) for triple in itertools.permutations(_WORDS[:18], 3)]
    runs += [f"{a} {b}" for a, b in zip(words, reversed(words), strict=True)]
    runs += [a + "\u00a0" + b for a, b in itertools.permutations(_WORDS[:12], 2)]
    # Gaps the run regex never makes, which names_in_run must still measure right.
    runs += ["Barack  Obama", " Barack Obama", "Barack Obama ", "Barack\tObama", "A\u00a0 B", "  ", " "]
    return runs


def test_plain_runs_split_as_the_general_loop_does() -> None:
    runs = _runs()
    plain = [r for r in runs if "." not in r and "’" not in r and "'" not in r]
    assert len(plain) > 2000
    several = [r for r in runs if " " in r or "\u00a0" in r]  # a run without either is one word
    assert [r for r in several if name_runs.names_in_run(r) != name_runs._split_run(r)] == []


# Words ending in ".": sentence ends, titles, initials, abbreviations, suffixes, dotted acronyms.
_DOTTED = [
    "Day.", "Trump.", "S.", "J.", "Sen.", "Mr.", "Jr.", "U.S.", "U.S.A.", "Inc.", "Krfst.", "Elektr.",
    "Dr.", "St.", "Gov.", "Co.", "Corp.", "Ph.D.", "İ.", "Дмитрий.", "Mail.", "Fla.", "Ave.", ".",
]  # fmt: skip


def test_dotted_runs_split_as_the_general_loop_does() -> None:
    words = _WORDS[:30] + _DOTTED
    runs = [" ".join(pair) for pair in itertools.permutations(words, 2)]
    runs += [" ".join(triple) for triple in itertools.permutations(_DOTTED[:8] + _WORDS[:8], 3)]
    runs += [" ".join(four) for four in itertools.combinations(_DOTTED[:6] + _WORDS[:6], 4)]
    runs += [a + "\u00a0" + b for a, b in itertools.permutations(_DOTTED[:12], 2)]
    runs += ["Sen.  Ted Cruz", " Sen. Cruz", "Day. The ", "Day.\tThe", "A.\u00a0 B", "U.S. Day. The Fox News. Inc."]
    dotted = [r for r in runs if "." in r and "’" not in r and "'" not in r and (" " in r or "\u00a0" in r)]
    assert len(dotted) > 2000
    assert sum(any(name_runs._word(x)[2] for x in r.split()) for r in dotted) > 500  # many end a sentence
    assert [r for r in dotted if name_runs._dotted_run(r) != name_runs._split_run(r)] == []
    assert [r for r in dotted if name_runs.names_in_run(r) != name_runs._split_run(r)] == []


def test_the_run_regex_joins_words_with_one_character() -> None:
    # _plain_run's offsets without a search hold for every run the regex finds.
    text = "Said Barack  Obama and Ludwig van\u00a0Beethoven of the Fox News, with al-Assad bin Laden’s aide"
    for match in names._RUN.finditer(text):
        run = match.group()
        words = run.split()
        assert len(run) == sum(map(len, words)) + len(words) - 1


_ARTICLE = [
    "Senator Jane Smith of Ohio met with Barack Obama on Monday.",
    "“We will not back down from this fight,” she said in a statement.",
    "The meeting, held at the White House, lasted an hour. Smith left early.",
    "Critics of the plan, including the Fox News host Tucker Carlson, were unmoved.",
    "John Doe, a professor at the University of Akron, said:",
    "“The numbers simply do not add up for anyone in this state.”",
    "He added that the bill would cost billions over ten years.",
    "Later that week, Doe met with the Ned Price team in Washington.",
    "Asked about it, Ms. Price told reporters: “I have nothing to add to that today.”",
    "In other news, the with Mary Jones committee adjourned.",
    "Mary Jones and Tom Brown spoke with Price about the vote after the session.",
    "Nothing else happened in Washington that week, said Brown, a spokesman.",
]


def _articles() -> list[list[str]]:
    import json
    from pathlib import Path

    articles = [_ARTICLE, _ARTICLE[::-1], _ARTICLE[1::2] + _ARTICLE[::2], [_ARTICLE[1]], [_ARTICLE[0]] * 3]
    corpus = Path("/work/shared/corpus/quotes-dev/articles.json")
    if corpus.exists():
        articles += [a["paragraphs"] for a in json.loads(corpus.read_text())]
    return articles


def test_names_read_only_by_the_cast_need_no_word_before(monkeypatch: pytest.MonkeyPatch) -> None:
    # find_quotes looks for the word before a name only where read_in_full says the attribution
    # reads it: looking everywhere must give the same quotations and speakers.
    from scraper.extract import quotes

    def run() -> list[list[tuple[str, str | None]]]:
        found = []
        for article in _articles():
            paragraphs = [quotes.Paragraph(p, blockquote=(i % 5 == 4)) for i, p in enumerate(article)]
            found.append([(q.text, q.speaker) for q in quotes.find_quotes(paragraphs)])
        return found

    fast = run()
    monkeypatch.setattr(quotes, "read_in_full", lambda quoting: [True] * len(quoting))
    assert run() == fast
    assert sum(map(len, fast)) > 50


def test_read_in_full_covers_a_quoting_paragraph_and_the_ones_before_it() -> None:
    from scraper.extract.speakers import _BACK, read_in_full

    quoting = [False] * 12
    quoting[8] = True
    assert read_in_full(quoting) == [i in range(8 - _BACK - 1, 9) for i in range(12)]
    assert read_in_full([]) == []


def test_mentions_without_the_word_before_differ_only_in_governed() -> None:
    text = "a meeting with Barack Obama, the Ned Price team and Fox News; spokeswoman Jen Psaki (R-Fla.) said"
    full, light = names.mentions(text), names.mentions(text, governed=False)
    assert [m._replace(governed=None) for m in full] == light
    assert any(m.governed for m in full)


def _find_all() -> list[list[tuple[str, str | None]]]:
    from scraper.extract import quotes

    found = []
    for article in _articles():
        paragraphs = [quotes.Paragraph(p, blockquote=(i % 5 == 4)) for i, p in enumerate(article)]
        found.append([(q.text, q.speaker) for q in quotes.find_quotes(paragraphs)])
    return found


def test_attributor_shortcuts_give_what_the_plain_rules_give(monkeypatch: pytest.MonkeyPatch) -> None:
    # The Attributor neither sorts its history nor filters it when nothing falls out, and
    # _people reads the sentence ends of the whole paragraph before `position`: the plain
    # rules (sort, filter, split the text cut at `position`) must give the same speakers.
    import bisect

    from scraper.extract import quotes, speakers
    from scraper.extract.cues import Context, sentence_ends

    class Plain(speakers.Attributor):
        def paragraph(self, index: int) -> list[str | None]:
            said = super().paragraph(index)
            self.history = sorted(h for h in self.history if h[0] > index - speakers._BACK)
            return said

        def _people(self, ctx: Context, index: int, position: int) -> list[tuple[int, int, str, int]]:
            people = []
            for m in ctx.mentions:
                if m.start < position and not m.org and not m.governed:
                    if not m.gender and " " not in m.name and not self.cast.by_word.get(m.name):
                        continue
                    name = self.cast.full(m.name, m.gender)
                    if " " in name or m.gender:
                        people.append((m.start, name))
            if not people:
                return []
            starts = [0, *sentence_ends(ctx.masked[:position])]
            eligible = [m.start for m in ctx.mentions if not m.possessive and not m.governed]
            subjects = set()
            for begin in starts:
                k = bisect.bisect_left(eligible, begin)
                if k < len(eligible):
                    subjects.add(eligible[k])
            return [(index, start, name, int(start in subjects)) for start, name in people]

    fast = _find_all()
    monkeypatch.setattr(quotes, "Attributor", Plain)
    assert _find_all() == fast
    assert sum(q[1] is not None for article in fast for q in article) > 30


@pytest.mark.parametrize(
    "text",
    [
        "He left. She said so.",
        "Sen. Smith (R-Ky.) spoke. Then he left!",
        "It ended.\nThen",
        "It ended.",
        "Ends here.” And",
        "U.S. officials met. Mr. Smith spoke; he left? Yes",
        "Новости. Он сказал.",
        "",
    ],
)
def test_sentence_ends_before_a_cut_are_those_of_the_cut_text(text: str) -> None:
    # _people's ground: the ends of the text before `position` are the ends of text[:position]
    # less, at most, one at `position` itself (a mark just before the cut).
    from scraper.extract.cues import sentence_ends

    full = sentence_ends(text)
    for position in range(len(text) + 1):
        cut = sentence_ends(text[:position])
        assert [e for e in full if e < position] == [e for e in cut if e < position]
        assert all(e <= position for e in cut)


def test_runs_of_plain_words_are_named_as_the_general_rules_name_them(monkeypatch: pytest.MonkeyPatch) -> None:
    # _run_name's shortcut for runs whose every word is _plain_word, against its general rules
    # (the shortcut turned off), on runs of one to five words of every kind.
    sets = w.TITLES | w.ORG_WORDS | w.NOT_NAME | w.PLACE_PREFIXES | w.CONNECTORS | w.SUFFIXES | w.REPORTING_VERBS
    listed = sorted(sets)[::5] + [x.capitalize() for x in sorted(sets)[::3]] + [x.upper() for x in sorted(sets)[::11]]
    plain = ["Donald", "Trump", "Jean-Luc", "O’Neil", "Łukasz", "Дмитрий", "İbrahim", "Σ", "Ab", "X", "McD3", "Ph.D."]
    words = _WORDS + _DOTTED + listed + plain + ["Wirtschaftsminister", "Parteichefin", "Präsident.", "New.", "B"]
    words += ["Reps.", "Sens.", "Atty.", "Sec.", "Jr", "Sr.", "Jr.", "Sr", "Gen.", "Inc.", "Los", "Mount"]
    tuples = [(a,) for a in words] + list(itertools.permutations(plain + _WORDS[:14] + _DOTTED[:6], 2))
    tuples += list(itertools.permutations(plain[:8] + _WORDS[:6] + _DOTTED[:3], 3))
    tuples += list(itertools.combinations(plain[:7] + _WORDS[:4] + ["Mr.", "J.", "Jr."], 4))
    tuples += list(itertools.combinations(plain[:9], 5))
    tuples += [(a, b) for a, b in zip(words, reversed(words), strict=True)]
    tuples += [("Jr", "Sr."), ("Jr.", "Sr"), ("Donald", "Jr."), ("Ab", "Jr", "Sr")]
    tuples += [(a, b, "Trump") for a, b in zip(listed, plain * len(listed), strict=False)]
    tuples += [pair for x in words[len(_WORDS) :] for p in plain[:3] for pair in ((x, p), (p, x), (p, x, p))]
    fast = [name_runs._run_name.__wrapped__(t) for t in tuples]
    assert sum(all(map(name_runs._plain_word, t)) and 2 <= len(t) <= 4 for t in tuples) > 1000
    monkeypatch.setattr(name_runs, "_plain_word", lambda word: False)
    general = [name_runs._run_name.__wrapped__(t) for t in tuples]
    assert [(t, f, g) for t, f, g in zip(tuples, fast, general, strict=True) if f != g] == []
