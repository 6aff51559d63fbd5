"""The shortcuts the quotation stage takes for speed give what the general rules give."""

from __future__ import annotations

import itertools

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


def test_the_run_regex_joins_words_with_one_character() -> None:
    # _plain_run's offsets without a search hold for every run the regex finds.
    text = "Said Barack  Obama and Ludwig van\u00a0Beethoven of the Fox News, with al-Assad bin Laden’s aide"
    for match in names._RUN.finditer(text):
        run = match.group()
        words = run.split()
        assert len(run) == sum(map(len, words)) + len(words) - 1
