"""The fast paths of the fourth round on quotes.py give what the code they replace gives."""

from __future__ import annotations

import itertools
import re

from scraper.extract import names, quotes

# What names._PRONOUN_WORD replaces: a leading lookahead, then the words.
_PRONOUN_WORD_AS_WRITTEN = r"(?=[HhSs])\b(?:[Hh]e|[Hh]im|[Hh]is|[Hh]imself|[Ss]he|[Hh]er|[Hh]erself)\b"
# Texts of each width CPython stores (one, two and four bytes a character), with and without marks.
_TEXTS = ["", "plain text", "it’s", "İstanbul", "emoji 😀 here", "x" * 300, "«", "‹a›", "「」", '"', "a\u00a0b"]


def test_has_mark_is_the_marks_regex_search() -> None:
    pieces = _TEXTS + list(quotes._MARK_GLYPHS) + ["said “yes”", "’s", "—"]
    for a, b in itertools.product(pieces, repeat=2):
        text = a + b
        assert quotes._has_mark(text) == (quotes._MARKS.search(text) is not None), text


def test_the_pronoun_pattern_finds_what_the_lookahead_one_found() -> None:
    written = re.compile(_PRONOUN_WORD_AS_WRITTEN)
    pieces = ["he", "He", "HE", "him", "his", "himself", "she", "She", "her", "Her", "herself", "hers", "s", "h"]
    pieces += ["the", "She’s", "x", " ", "-", "_", "1", "é", "İ", "\x01", ".", "\u00a0", "Sheila", "ahe"]
    for a, b, c in itertools.product(pieces, repeat=3):
        for text in (a + b + c, f"{a} {b}{c}", f"{a}{b} {c}"):
            assert [(m.start(), m.group()) for m in names._PRONOUN_WORD.finditer(text)] == [
                (m.start(), m.group()) for m in written.finditer(text)
            ], text
            # Searched from inside the text and up to short of its end, as Cast.observe does:
            # the word boundaries read the characters past both limits the same way.
            for start in range(len(text)):
                for stop in (len(text), len(text) - 1, start + 3):
                    new = names._PRONOUN_WORD.search(text, start, stop)
                    old = written.search(text, start, stop)
                    assert (new and (new.start(), new.group())) == (old and (old.start(), old.group())), (text, start)
