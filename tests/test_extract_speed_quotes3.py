"""The cue shortcuts of cues.py give what the general rules give."""

from __future__ import annotations

import itertools

from scraper.extract import cues
from scraper.extract import speaker_words as w
from scraper.extract.cues import Context
from scraper.extract.names import mentions

# Sentences of every kind: cue words in any case, phrasal and French cues, unicode capitals
# (a dotted "İ" lowers to two characters), hyphens and apostrophes that join tokens.
_PIECES = [
    "Smith said", "SAID Jones", "Pointed out", "went on", "a déclaré", "A dit", "according to Smith",
    "According To", "selon Macron", "laut Merkel", "İstanbul said", "un-said", "re-said", "says’",
    "the statement", "Mr. Sanders told reporters", "\x01\x01\x01", ",", ":", "—", "İSAİD", "Ünal",
    "SAYS", "Σ said", "Kelvin", "she added", "sagte er", "сказал он", "DIT", "put it", "Put It",
]  # fmt: skip


def _sentences() -> list[str]:
    pairs = [" ".join(p) for p in itertools.permutations(_PIECES, 2)]
    words = sorted(cues._CUE_WORDS | w.FRENCH_PARTICIPLES)
    return pairs + [f"{a.upper()} {b.capitalize()}" for a, b in zip(words, reversed(words), strict=True)]


def test_the_lowered_words_gate_misses_no_cue_word() -> None:
    for sentence in _sentences():
        tokens = [m.group() for m in cues._TOKEN.finditer(sentence)]
        if any(t.lower() in cues._CUE_WORDS for t in tokens):
            assert not cues._CUE_WORDS.isdisjoint(cues._TOKEN.findall(sentence.lower())), sentence


def test_the_first_verb_is_the_one_every_token_asked_gives() -> None:
    for sentence in _sentences() + [" ".join(_PIECES) * 3]:
        tokens = [(m.group(), m.start(), m.end()) for m in cues._TOKEN.finditer(sentence)]
        short = [(m.group(), m.start(), m.end()) for m in itertools.islice(cues._TOKEN.finditer(sentence), 14)]
        assert short == tokens[:14]
        general = [(i, n) for i in range(len(tokens)) if (n := cues._is_verb(tokens, i))]
        fast = [
            (i, n) for i, t in enumerate(tokens) if t[0].lower() in cues._CUE_WORDS and (n := cues._is_verb(tokens, i))
        ]
        assert fast == general, sentence


def test_before_cue_on_sentences_with_and_without_cues() -> None:
    """before_cue, gated, against the cue it finds with the gate forced open."""
    for a, b in itertools.permutations(_PIECES[:16], 2):
        text = f"{a} {b} and {a}, “so we did it all along.”"
        masked = text.replace("so we did it all along.", "\x01" * 23)
        ctx = Context(text, masked, [], mentions(masked))
        position = masked.index("“")
        got = cues.before_cue(ctx, masked, position)
        saved = cues._CUE_WORDS
        try:
            cues._CUE_WORDS = _Open(saved)  # type: ignore[assignment]
            want = cues.before_cue(ctx, masked, position)
        finally:
            cues._CUE_WORDS = saved
        assert got == want, text


class _Open(frozenset[str]):
    """_CUE_WORDS whose gate never rules a sentence out."""

    def isdisjoint(self, other: object) -> bool:
        return False
