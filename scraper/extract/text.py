"""Small text helpers shared by the extraction steps."""

from __future__ import annotations

import re

# Characters that render as nothing or as a space but are not str.isspace(): they would
# otherwise glue or split words in the record.
INVISIBLE_CHARS = "\u200b\u200c\u200d\u2060\ufeff\u00ad"
_INVISIBLE = re.compile(f"[{INVISIBLE_CHARS}]")
_WORD = re.compile(r"\w+")


def normalise(text: str) -> str:
    """One plain space for every run of white space (no-break spaces included), trimmed."""
    if not text.isascii() and _has_invisible(text):  # isascii() is O(1) in CPython
        text = _INVISIBLE.sub("", text)
    return " ".join(text.split())


def word_count(text: str) -> int:
    return len(_WORD.findall(text))


def _has_invisible(text: str) -> bool:
    # Six substring tests (one per INVISIBLE_CHARS, which a test holds them to) run several
    # times faster than one search for the character class.
    return (
        "\u200b" in text
        or "\u200c" in text
        or "\u200d" in text
        or "\u2060" in text
        or "\ufeff" in text
        or "\u00ad" in text
    )
