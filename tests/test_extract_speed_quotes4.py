"""The fast paths of the fourth round on quotes.py give what the code they replace gives."""

from __future__ import annotations

import itertools

from scraper.extract import quotes

_MARKS = '"“”„«»‹›「」'
# Texts of each width CPython stores (one, two and four bytes a character), with and without marks.
_TEXTS = ["", "plain text", "it’s", "İstanbul", "emoji 😀 here", "x" * 300, "«", "‹a›", "「」", '"', "a\u00a0b"]


def test_has_mark_is_the_marks_regex_search() -> None:
    pieces = _TEXTS + list(_MARKS) + ["said “yes”", "’s", "—"]
    for a, b in itertools.product(pieces, repeat=2):
        text = a + b
        assert quotes._has_mark(text) == (quotes._MARKS.search(text) is not None), text
