"""Small text helpers shared by the extraction steps."""

from __future__ import annotations

import re

# Characters that render as nothing or as a space but are not str.isspace(): they would
# otherwise glue or split words in the record.
_INVISIBLE = dict.fromkeys(map(ord, "\u200b\u200c\u200d\u2060\ufeff\u00ad"), None)
_WORD = re.compile(r"\w+")


def normalise(text: str) -> str:
    """One plain space for every run of white space (no-break spaces included), trimmed."""
    return " ".join(text.translate(_INVISIBLE).split())


def word_count(text: str) -> int:
    return len(_WORD.findall(text))
