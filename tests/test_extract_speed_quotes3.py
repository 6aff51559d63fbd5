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


def test_the_word_before_a_name_read_backwards_is_the_word_read_forwards() -> None:
    from scraper.extract import names

    words = sorted(names._PREPOSITIONS | names._DETERMINERS)
    variants = words + [x.upper() for x in words] + [x.capitalize() for x in words]
    variants += ["\u212aan", "ΣOF", "oΣ", "İn", "ın", "wİth", "The’s", "o'f", "by-", "Ofﬁ", "ﬁ", "ÅT", "-", "x"]
    for word in variants:
        lowered = word.lower()
        forwards = (lowered in names._PREPOSITIONS, lowered in names._DETERMINERS)
        backwards = word[::-1].lower()
        assert forwards == (backwards in names._PREPOSITIONS_BACKWARDS, backwards in names._DETERMINERS_BACKWARDS)
    lower = [x for x in variants if not x[:1].isupper()]  # a capital would join the name's run
    for text in [f"talks {x} Barack Obama" for x in lower] + [f"{x}\u00a0 \nBarack Obama" for x in lower]:
        got = names.mentions(text)
        start = text.index("Barack")
        window = text[max(0, start - 20) : start][::-1]
        before = names._WORD_BEFORE.match(window)
        lowered = before.group(1)[::-1].lower() if before else ""
        want = lowered in names._PREPOSITIONS or lowered in names._DETERMINERS
        assert [m.governed for m in got if m.start == start] == [want], text


def test_spans_gate_is_the_mark_scan() -> None:
    from scraper.extract import quotes

    texts = ["", "no marks here", "it’s a “quote” here", 'say "hi there"', "«Bonjour»", "„Hallo“", "「x」", "‹a›"]
    texts += [c for c in quotes._MARK_CHARS] + ["a" + c + "bcd" for c in quotes._MARK_CHARS]
    for text in texts:
        assert (quotes._MARKS.search(text) is None) == all(c not in quotes._MARK_CHARS for c in text)
        if quotes._MARKS.search(text) is None:
            assert quotes.spans(text) == []
