"""Small text helpers shared by the extraction steps."""

from __future__ import annotations

import re

# Characters that render as nothing or as a space but are not str.isspace(): they would
# otherwise glue or split words in the record.
_INVISIBLE = re.compile("[\u200b\u200c\u200d\u2060\ufeff\u00ad]")
_WORD = re.compile(r"\w+")


def normalise(text: str) -> str:
    """One plain space for every run of white space (no-break spaces included), trimmed."""
    if not text.isascii() and _INVISIBLE.search(text):  # isascii() is O(1) in CPython
        text = _INVISIBLE.sub("", text)
    return " ".join(text.split())


def word_count(text: str) -> int:
    return len(_WORD.findall(text))
