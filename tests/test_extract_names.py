"""Names in running text: the shortcuts names.py and name_runs.py take agree with the full rules."""

from __future__ import annotations

import pytest

from scraper.extract import name_runs, names
from scraper.extract import speaker_words as w


def _full_rules(word: str) -> tuple[name_runs.RunName, ...]:
    """names_in_run for a one-word run by the general path, the one longer runs take."""
    clean, possessive, ends = name_runs._word(word)
    found: list[name_runs.RunName] = []
    name_runs._add([clean], [0], found, possessive if possessive or ends else False)
    return tuple(found)


def _one_words() -> list[str]:
    listed = w.NOT_NAME | w.TITLES | w.ORG_WORDS | w.CONNECTORS | w.SUFFIXES | w.PLACE_PREFIXES | w.ABBREVIATIONS
    listed |= w.REPORTING_VERBS
    words = {x.capitalize() for x in listed} | {x.upper() for x in listed}
    words |= {x.capitalize() + end for x in listed for end in (".", "’s", "'s", "s’", "’", "'")}
    words |= {"Smith", "Psaki", "J.", "U.S.", "U.S.A.", "NASA", "FBI", "Jean-Luc", "O'Neil", "McDonald’s", "A", "X."}
    words |= {"Wirtschaftsminister", "Bundeskanzlerin", "Reached", "Notably", "Ab.", "A-.", "İbrahim", "Σ", "Д"}
    return sorted(word for word in words if names._RUN.fullmatch(word))


def test_one_word_runs_follow_the_full_rules() -> None:
    words = _one_words()
    assert len(words) > 5000
    assert [word for word in words if name_runs.names_in_run(word) != _full_rules(word)] == []


def test_every_role_word_ends_with_a_role_ending() -> None:
    # _role_ends finds only these endings; a role word without one would lose its gender.
    assert all(role.endswith(names._ROLE_ENDINGS) for role in names._ROLE_SEX)


@pytest.mark.parametrize(
    ("text", "gender"),
    [
        ("the spokeswoman Ned Price said", "f"),
        ("a spokesman, Ned Price, said", "m"),
        ("Johnson and Wilson met Ned Price", None),  # "son" inside a surname is no role
        ("her grandson Ned Price", None),
        ("İzmir spokesman Ned Price said", "m"),  # lowering changes the length: every window looked at
        ("the daughter of the late Ned Price", None),  # more than two words back
    ],
)
def test_gender_from_a_role_word_before_the_name(text: str, gender: str | None) -> None:
    found = {m.name: m for m in names.mentions(text)}
    assert found["Ned Price"].gender == gender


@pytest.mark.parametrize(
    ("text", "governed"),
    [
        ("a meeting with Barack Obama", True),
        ("a meeting with\nBarack Obama", True),  # one newline still counts
        ("they met the Ned Price", True),
        ("they met the Fox News team", False),  # an organisation after a determiner is not governed
        ("Obama said", False),
        ("“Barack Obama”", False),
        ("withstanding                 Barack Obama", False),  # the word is cut to the window: "g"
    ],
)
def test_a_name_after_a_preposition_is_governed(text: str, governed: bool) -> None:
    found = names.mentions(text)
    assert found and found[-1].governed is governed


def test_first_names_read_as_the_library_reads_them() -> None:
    from gender_guesser.detector import Detector  # type: ignore[import-untyped]

    assert names._detector().names == Detector(case_sensitive=False).names
    assert len(names._detector().names) > 40_000


@pytest.mark.parametrize(
    "text",
    [
        "Barack Obama met Charles de Gaulle and Ludwig van\u00a0Beethoven in Paris.",
        "O'Neil, McDonald’s and Jean-Luc Picard; U.S. Sen. Ted Cruz (R-Tex.) said.",
        "Smith.Jones x-Ray co-Founder it's'Bob end.Mary",
        "Владимир Путин и Ἀλέξανδρος; İbrahim Öztürk, Łukasz Żuk.",
        "A B C. D\n\nE F  G",
        "Eligible",  # a run at offset 0
    ],
)
def test_runs_opening_on_a_capital_are_the_full_pattern_runs(text: str) -> None:
    # _CAPITAL_RUN stands in for _RUN where a text has no "al-" or "el-".
    assert "al-" not in text and "el-" not in text
    full = [(m.start(), m.group()) for m in names._RUN.finditer(text)]
    assert full
    assert [(m.start(), m.group()) for m in names._CAPITAL_RUN.finditer(text)] == full


def test_a_run_may_open_on_al_or_el() -> None:
    assert [m.name for m in names.mentions("They met al-Assad, then el-Sisi.")] == ["al-Assad", "el-Sisi"]
