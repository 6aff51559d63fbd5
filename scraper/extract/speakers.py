"""Who said each quotation: the cue next to it (cues.py), or the speaker it continues.

Rules, in order, for one quotation:
1. the cue after it, then the cue before it in its sentence (cues.py);
2. else the speaker of the quotation before it in the paragraph ('“…,” Smith said. “…”'),
   or the cue after the next one ('“…” “…,” said Smith'), or, for a paragraph that opens
   with a quotation, the speaker introduced at the end of the previous paragraph
   ('Smith said:'), of a quotation the previous paragraph left open, or of the quotation
   that ended it.
A pronoun resolves to the latest speaker or subject before it whose gender agrees (titles,
first names, the he/she the article uses after them), else the latest person who agrees.
A subject that is no name ("the campaign said") is None, and stops rule 2: a wrong speaker
is worse than none.
"""

from __future__ import annotations

import bisect

from scraper.extract.cues import MASK, Context, Found, after_cue, before_cue, sentence_ends
from scraper.extract.names import Cast

_TRAILING_ATTRIBUTION = 60  # characters after a paragraph's last quotation that only attribute it
_MIN_WORDS = 4
_BACK = 3  # paragraphs a pronoun may look back
_PREFERRED_RANK = 1


def read_in_full(quoting: list[bool]) -> list[bool]:
    """Which paragraphs' mentions the cues and pronouns read, `governed` too, given which quote
    (`quoting`): a quoting one (its cues), the one before it (_carried reads its cue), and the
    _BACK + 1 before that, whose people a pronoun may mean (_people, from paragraph())."""
    return [any(quoting[i : i + _BACK + 2]) for i in range(len(quoting))]


class Attributor:
    def __init__(self, cast: Cast, contexts: list[Context], quoting: list[bool]) -> None:
        self.cast = cast
        self.contexts = contexts
        # Whether paragraph i has a quotation or is a block quotation: only those look back
        # for the person a pronoun means, so only the paragraphs before them need their people.
        self.quoting = quoting
        self.said: dict[int, list[str | None]] = {}
        # (paragraph, position, full name, rank) of people: rank 2 a speaker, 1 a sentence's subject
        # The history is in paragraph order (each paragraph adds its own at the end, and they
        # come in order), never sorted: _pronoun sorts what it reads of it.
        self.history: list[tuple[int, int, str, int]] = []
        # paragraph -> the sentence ends of its masked text, for _people, split once
        self.ends: dict[int, list[int]] = {}

    def paragraph(self, index: int) -> list[str | None]:
        ctx = self.contexts[index]
        recent = self.cast.recent
        for step, mention in enumerate(ctx.mentions):
            if " " in mention.name and not mention.org:  # a name of more than one word
                recent[mention.name] = index * 10_000 + step
        said: list[str | None] = []
        last: str | None = None
        open_: list[bool] = []  # no cue and nothing carried: the next quotation's cue may do
        for k, span in enumerate(ctx.spans):
            found = after_cue(ctx, k) or before_cue(ctx, ctx.masked, span.start)
            speaker = self._resolve(found, index, span.start) if found else None
            if found is None:
                if last:
                    speaker = last  # '“…,” Smith said. “…”'
                elif not said and not ctx.masked[: span.start].strip(" \u00a0\x01"):
                    speaker = self._carried(index)
            open_.append(found is None and speaker is None)
            said.append(speaker)
            if speaker or len(span.text.split()) >= _MIN_WORDS:
                last = speaker  # a title in passing ("Shark Tank") does not break the chain
            if speaker:
                self.history.append((index, span.start, speaker, 2))
        for k in range(len(said) - 2, -1, -1):
            between = ctx.masked[ctx.spans[k].end : ctx.spans[k + 1].start]
            if open_[k] and said[k + 1] and not between.strip(" \u00a0.,;"):
                said[k] = said[k + 1]  # '“…” “…,” said Smith': the attribution after the last
        self.said[index] = said
        history = self.history
        if history and history[0][0] <= index - _BACK:  # the oldest first: only then does any fall out
            self.history = history = [h for h in history if h[0] > index - _BACK]  # bounded on long pages
        # Only a quoting paragraph reads these people (for a pronoun), from up to _BACK
        # paragraphs on, or one more when it carries on the paragraph before it (_carried).
        if any(self.quoting[index + 1 : index + _BACK + 2]):
            history.extend(self._people(ctx, index, len(ctx.masked)))
        return said

    def introduced(self, index: int) -> str | None:
        """The speaker of a block quotation: introduced before it, or carried on."""
        return self._carried(index)

    def _carried(self, index: int) -> str | None:
        if index == 0:
            return None
        prev = self.contexts[index - 1]
        said = self.said.get(index - 1, [])
        if prev.spans and prev.spans[-1].unclosed and said:
            return said[-1]  # a quotation that runs on into this paragraph
        tail = prev.masked.rstrip(" \u00a0\x01")
        if tail.endswith((":", ",")):
            found = before_cue(prev, prev.masked, len(prev.masked))
            if found:
                return self._resolve(found, index - 1, len(prev.masked))
        # The previous paragraph ends on its quotation, or on the attribution after it.
        real = [(span, who) for span, who in zip(prev.spans, said, strict=True) if len(span.text.split()) >= _MIN_WORDS]
        if real:
            rest = prev.masked[real[-1][0].end :].replace(MASK, "")
            ends = len(rest) <= _TRAILING_ATTRIBUTION and len(sentence_ends(rest.rstrip())) <= 1
            return real[-1][1] if ends else None
        # '…, said Michael O'Hanlon, a fellow at Brookings.' then a paragraph of his words
        found = before_cue(prev, prev.masked, len(tail) - 1) if tail.endswith(".") else None
        return self._resolve(found, index - 1, len(tail) - 1) if found and found[0] == "name" else None

    def _resolve(self, found: Found, index: int, position: int) -> str | None:
        kind, value, at = found
        if kind == "name" and value:
            return self.cast.full(value)
        if kind == "pronoun":
            return self._pronoun(value, index, at)
        return None

    def _pronoun(self, gender: str | None, index: int, position: int) -> str | None:
        here = self._people(self.contexts[index], index, position)
        candidates = [h for h in self.history if index - _BACK <= h[0] < index or (h[0] == index and h[1] < position)]
        agreeing = [h for h in sorted(candidates + here, reverse=True) if self.cast.gender(h[2]) == gender]
        # The latest speaker or subject whose gender agrees, before any person merely mentioned.
        best = next((h for h in agreeing if h[3] >= _PREFERRED_RANK), agreeing[0] if agreeing else None)
        if best is None:
            # Nobody of that gender: the latest speaker or subject the article gives no gender.
            unknown = [h for h in sorted(candidates + here, reverse=True) if self.cast.gender(h[2]) is None]
            best = next((h for h in unknown if h[3] >= _PREFERRED_RANK), None)
        return best[2] if best else None

    def _people(self, ctx: Context, index: int, position: int) -> list[tuple[int, int, str, int]]:
        people = []
        by_word = self.cast.by_word
        for m in ctx.mentions:
            if m.start < position and not m.org and not m.governed:
                if not m.gender and " " not in m.name and not by_word.get(m.name):
                    continue  # a lone word the article never names in full: full() gives it back
                name = self.cast.full(m.name, m.gender)
                if " " in name or m.gender:  # a lone unknown capital ("Hispanics", "Particularly") is no one
                    people.append((m.start, name))
        if not people:
            return []  # most paragraphs name no one: no sentences to split
        # The sentences that start before `position`: the ends before it are those of the text
        # cut there (an end looks at one character past it, inside the cut). An end at or past
        # `position` would only start a sentence whose subject comes after every person here.
        ends = self.ends.get(index)
        if ends is None:
            ends = self.ends[index] = sentence_ends(ctx.masked)
        starts = [0, *ends[: bisect.bisect_left(ends, position)]]
        # Mentions come in text order: each sentence's subject is the first eligible one after its start.
        eligible = [m.start for m in ctx.mentions if not m.possessive and not m.governed]
        subjects = set()
        for begin in starts:
            k = bisect.bisect_left(eligible, begin)
            if k < len(eligible):
                subjects.add(eligible[k])
        return [(index, start, name, int(start in subjects)) for start, name in people]
