"""Who said each quotation: the cue next to it, in either order, or the speaker it continues.

Rules, in order, for one quotation:
1. after it: '…," said Mr. Smith' / '…," Smith, a senator, said' / '…," he added';
2. before it, in its sentence: 'Smith said: “…”', 'Smith: “…”', 'According to Smith, “…”',
   'Smith called it “…”', 'Smith left, saying “…”';
3. else the speaker of the quotation before it in the paragraph ('“…,” Smith said. “…”'), or,
   for a paragraph that opens with a quotation, the speaker introduced at the end of the
   previous paragraph ('Smith said:'), or of a quotation the previous paragraph left open,
   or of the previous paragraph's quotations.
A pronoun resolves to the latest person before it whose gender agrees (titles, first names,
the he/she the article uses after them). A subject that is no name ("the campaign said") is
None, and stops rule 3: a wrong speaker is worse than none.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from scraper.extract import speaker_words as w
from scraper.extract.names import Cast, Mention

_TOKEN = re.compile(r"[\w’'\-]+")
_SENTENCE_END = re.compile(r"[.!?;](?=[\s\x01\"”’)]|$)")
_ATTACHED = re.compile(r"[,?!—–\-…]\s*$")
_LEAD = re.compile(r"[\s,;:—–\-\u00a0]*")
_OBJECT_VERBS = w.words(
    "told tell tells telling asked asks asking called calls calling accused accuses accusing described describes "
    "describing praised praises urged urges warned warns thanked quoted quoting cited citing blasted slammed mocked"
)
_CONJUNCTIONS = w.words("and but or which who that as while because when if so although though where")
_NOT_SPEAKER_PRONOUNS = w.words("they it we i you one")
_INTRODUCERS = w.words("selon laut")  # "according to" in French and German
MASK = "\x01"
_TRAILING_ATTRIBUTION = 60  # characters after a paragraph's last quotation that only attribute it
_CLAUSE_LINKS = w.words("and while before after by when then also even")
# 'X issued a statement saying “…”': the -ing after these still reports X's words.
_DOCUMENTS = w.words(
    "statement statements letter post tweet tweets email message release ad video note memo op-ed interview "
    "speech remarks report filing column essay book order up out back time"
)
_SUBJECT_VERB = re.compile(r"(?:\s*\([^)]*\))?(?:,[^,\x01]{1,90},)?\s+(?:(?:also|then|later|\w+ly)\s+)?([a-z]+)\b")
_PAST_FORMS = w.words("shot thought wrote spoke took made gave went began told felt knew saw put set kept")
_BACK = 3  # paragraphs a pronoun may look back
_PREFERRED_RANK = 1
_PHRASE_END = re.compile(
    r"[,;(\x01]|\s(?:in|on|at|during|after|before|of|for|from|to|with|who|when|while|via|about|last|this"
    r"|am|im|auf|vor|nach|bei|au|à|en|dans|devant|lors|в|на|во|перед)\s"
)


@dataclass(slots=True)
class Context:
    text: str
    masked: str  # quotations blanked out
    spans: list  # quotes.Span, in order
    mentions: list[Mention]


Found = tuple[str, str | None, int]  # ("name" | "pronoun" | "nominal", name or gender, position)


def _is_verb(tokens: list[tuple[str, int, int]], i: int) -> int:
    """How many tokens the reporting cue at i spans (0: none)."""
    word = tokens[i][0].lower()
    nxt = tokens[i + 1][0].lower() if i + 1 < len(tokens) else ""
    if word in w.PHRASAL:
        return 2 if nxt == w.PHRASAL[word] else 0
    if word in w.REPORTING_VERBS:
        return 1
    if word == "a" and nxt in w.FRENCH_PARTICIPLES:
        return 2
    if word == "according" and nxt == "to":
        return 2
    if word in _INTRODUCERS:
        return 1
    return 0


def _sentence_ends(text: str) -> list[int]:
    ends = []
    for match in _SENTENCE_END.finditer(text):
        word = text[max(0, match.start() - 6) : match.start()].split()
        last = word[-1].lower().lstrip("(") if word else ""
        if match.group() == "." and text[match.end() : match.end() + 1] == ")":
            continue  # "(R-Ky.)"
        if match.group() == "." and (last in w.ABBREVIATIONS or len(last) == 1 or last.count(".") >= 1):
            continue
        ends.append(match.end())
    return ends


class Attributor:
    def __init__(self, cast: Cast, contexts: list[Context]) -> None:
        self.cast = cast
        self.contexts = contexts
        self.said: dict[int, list[str | None]] = {}
        # (paragraph, position, full name, rank) of people: rank 2 a speaker, 1 a sentence's subject
        self.history: list[tuple[int, int, str, int]] = []

    def paragraph(self, index: int) -> list[str | None]:
        ctx = self.contexts[index]
        for step, mention in enumerate(ctx.mentions):
            if len(mention.words) > 1 and not mention.org:
                self.cast.seen(mention.name, index * 10_000 + step)
        said: list[str | None] = []
        open_: list[bool] = []  # no cue and nothing carried: the next quotation's cue may do
        for k, span in enumerate(ctx.spans):
            found = self._after(ctx, k) or self._before(ctx, ctx.masked, span.start)
            speaker = self._resolve(found, index, span.start) if found else None
            if found is None:
                if said and said[-1]:
                    speaker = said[-1]  # '“…,” Smith said. “…”'
                elif not said and not ctx.masked[: span.start].strip(" \u00a0\x01"):
                    speaker = self._carried(index)
            open_.append(found is None and speaker is None)
            said.append(speaker)
            if speaker:
                self.history.append((index, span.start, speaker, 2))
        for k in range(len(said) - 2, -1, -1):
            between = ctx.masked[ctx.spans[k].end : ctx.spans[k + 1].start]
            if open_[k] and said[k + 1] and not between.strip(" \u00a0.,;"):
                said[k] = said[k + 1]  # '“…” “…,” said Smith': the attribution after the last
        self.said[index] = said
        self.history.extend(self._people(ctx, index, len(ctx.masked)))
        self.history.sort()
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
            found = self._before(prev, prev.masked, len(prev.masked))
            if found:
                return self._resolve(found, index - 1, len(prev.masked))
        speakers = [s for s in said if s]
        # The previous paragraph ends on its quotation, or on the attribution after it.
        rest = prev.masked[prev.spans[-1].end :] if prev.spans else ""
        ends = len(rest) <= _TRAILING_ATTRIBUTION and len(_sentence_ends(rest.rstrip())) <= 1
        return speakers[-1] if speakers and said[-1] and ends else None

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
        starts = [0, *_sentence_ends(ctx.masked[:position])]
        subjects = set()
        for begin in starts:
            first = next((m for m in ctx.mentions if m.start >= begin and not m.possessive and not m.governed), None)
            if first is not None:
                subjects.add(first.start)
        for m in ctx.mentions:
            if m.start < position and not m.org and not m.governed:
                name = self.cast.full(m.name, m.gender)
                if " " in name or m.gender:  # a lone unknown capital ("Hispanics", "Particularly") is no one
                    people.append((index, m.start, name, int(m.start in subjects)))
        return people

    def _after(self, ctx: Context, k: int) -> Found | None:
        span = ctx.spans[k]
        if span.unclosed:
            return None
        limit = ctx.spans[k + 1].start if k + 1 < len(ctx.spans) else len(ctx.masked)
        segment = ctx.masked[span.end : min(limit, span.end + 220)]
        lead = _LEAD.match(segment)
        assert lead is not None
        if segment[:1] in ".!?":
            return None  # the sentence ended with the quotation
        attached = bool(_ATTACHED.search(span.text)) or any(c in lead.group() for c in ",—–-")
        if not attached and re.search(r"[.!?]\W*$", span.text):
            return None  # '“… today.” She left': the quotation ended its sentence
        base = span.end + lead.end()
        clause = segment[lead.end() :]
        ends = _sentence_ends(clause)
        if ends:
            clause = clause[: ends[0]]
        found = self._cue_at(ctx, base, clause, attached)
        comma = clause.rfind(", ")
        if (found is None or found[0] == "nominal") and not attached and comma > 0:
            # '“a lightning rod” and people get nervous, said Christine Link.'
            tail = self._cue_at(ctx, base + comma + 2, clause[comma + 2 :], True)
            if tail is not None and tail[0] != "nominal":
                return tail
        return found

    def _cue_at(self, ctx: Context, base: int, clause: str, attached: bool) -> Found | None:
        """The cue at the start of `clause` (masked text from `base`, just after a quotation)."""
        tokens = [(m.group(), base + m.start(), base + m.end()) for m in _TOKEN.finditer(clause)][:14]
        verb = next(((i, n) for i in range(len(tokens)) if (n := _is_verb(tokens, i))), None)
        if verb is None:
            if tokens and tokens[0][0] == "so":
                verb = (0, 1)  # German: '“…”, so Angela Merkel'
            else:
                return None
        v, n = verb
        subject = [t for t in tokens[:v] if t[0].lower() not in w.ADVERBS]
        end_of_clause = base + len(clause)
        if not subject:
            after = tokens[v + n] if v + n < len(tokens) else None
            if after and after[0].lower() in w.PRONOUNS:
                return ("pronoun", w.PRONOUNS[after[0].lower()], after[1])
            start = tokens[v + n - 1][2]
            # The noun phrase after the verb ends at a comma or a preposition: "said RNC spokesman
            # Sean Spicer in a tweet", "said Smith, a professor at Yale": its last name speaks.
            phrase = _PHRASE_END.search(ctx.masked, start, min(end_of_clause, start + 90))
            stop = phrase.start() if phrase else min(end_of_clause, start + 90)
            named = [m for m in ctx.mentions if start <= m.start < stop and not m.possessive]
            named = [m for m in named if not m.governed or (m.org and ctx.masked[m.start - 4 : m.start] == "the ")]
            people = [m for m in named if not m.org]
            if people and named[-1].org:
                named = people  # "said Trump campaign manager Kellyanne Conway of the RNC"
            return ("name", named[-1].name, named[-1].start) if named else ("nominal", None, base)
        if not attached and (v > 3 or subject[0][0].lower() in _CONJUNCTIONS):
            return None
        if len(subject) == 1 and subject[0][0].lower() in w.PRONOUNS:
            return ("pronoun", w.PRONOUNS[subject[0][0].lower()], subject[0][1])
        if subject[0][0].lower() in _NOT_SPEAKER_PRONOUNS and len(subject) == 1:
            return ("nominal", None, base)
        return self._subject(ctx, base, tokens[v][1])

    def _subject(self, ctx: Context, start: int, verb_start: int) -> Found:
        """The speaker named in masked[start:verb_start], the words before a reporting verb."""
        region = ctx.masked[start:verb_start]
        named = [m for m in ctx.mentions if start <= m.start and m.end <= verb_start and not m.possessive]
        named = [m for m in named if not m.governed or (m.org and ctx.masked[m.start - 4 : m.start] == "the ")]
        if not named:
            return ("nominal", None, start)
        named = [m for m in named if not m.org] or named  # "Smith, a professor at the University of Akron,"
        last = named[-1]
        between = ctx.masked[last.end : verb_start]
        if region.rstrip().endswith(",") and "," in between:
            # "Smith, a professor at the University of Akron, said": the name before the apposition
            for mention in named:
                if (
                    ctx.masked[mention.end : mention.end + 1] in (",", " ")
                    and "," in ctx.masked[mention.end : mention.end + 2]
                ):
                    return ("name", mention.name, mention.start)
        return ("name", last.name, last.start)

    def _acting(self, ctx: Context, named: list[Mention], masked: str, position: int) -> Found | None:
        """'Comey indicated that … “…”', 'Hillary shot back, “…”': the sentence's subject,
        when a verb in the past or present follows it, for verbs no list has."""
        people = [m for m in named if not m.governed and not m.possessive and not m.org]
        if not people:
            return None
        match = _SUBJECT_VERB.match(masked, people[0].end, position)
        if match is None:
            return None
        verb = match.group(1)
        if verb.endswith(("ed", "es")) or verb in _PAST_FORMS or (verb.endswith("s") and not verb.endswith("ss")):
            return ("name", people[0].name, people[0].start)
        return None

    def _said_before(self, ctx: Context, masked: str, start: int) -> Found | None:
        """'Phil Musser says. “…”': a sentence that ends on its cue, then the quotation."""
        head = masked[:start].rstrip()
        if not head.endswith(".") or MASK in masked[max(0, start - 60) : start]:
            return None
        ends = _sentence_ends(head[:-1])
        sentence = head[ends[-1] if ends else 0 : -1]
        tokens = [m.group() for m in _TOKEN.finditer(sentence)][-5:]
        cue = any(_is_verb([(t, 0, 0) for t in tokens], i) for i in range(len(tokens)))
        return self._before(ctx, masked, len(head) - 1) if cue else None

    def _before(self, ctx: Context, masked: str, position: int) -> Found | None:
        """The cue in the sentence that leads up to `position` (a quotation's opening mark)."""
        start = 0
        for end in _sentence_ends(masked[:position]):
            start = end
        for span in ctx.spans:
            closes = span.end <= position and span.end > start and re.search(r"[.!?]\W*$", span.text)
            if closes and masked[span.end : span.end + 3].lstrip(" ")[:1] not in (",", ";"):
                start = span.end  # '“… today.” He said' : the quotation ended its sentence
        sentence = masked[start:position]
        tail = sentence.rstrip(" \u00a0\x01")
        if not tail.strip(" ,\x01"):
            return self._said_before(ctx, masked, start)
        tokens = [(m.group(), start + m.start(), start + m.end()) for m in _TOKEN.finditer(sentence)]
        named = [m for m in ctx.mentions if start <= m.start and m.end <= position]
        if tail.endswith(":") and named:
            head = re.sub(r"\s*\([^)]*\)\s*$", "", tail[:-1])
            if named[-1].end == start + len(head) and not named[-1].governed:
                return ("name", named[-1].name, named[-1].start)  # 'Trump: “…”'
        cues = [(i, n) for i in range(len(tokens)) if (n := _is_verb(tokens, i))]
        if not cues:
            return self._acting(ctx, named, masked, position)
        v, n = cues[-1]
        verb = tokens[v][0].lower()
        after = [m for m in named if m.start >= tokens[v + n - 1][2] and not m.possessive]
        if verb == "according" or verb in _INTRODUCERS:
            after = [m for m in after if not m.governed] or after
            after = [m for m in after if not m.org] or after
            return ("name", after[0].name, after[0].start) if after else None
        opens = not masked[start : tokens[v][1]].strip(" \u00a0\x01") or masked[: tokens[v][1]].rstrip().endswith(",")
        if verb not in _OBJECT_VERBS and after and not after[0].governed and opens:
            rest = masked[after[0].end : position]
            if re.fullmatch(r"[\s,:;\x01—–\-\u00a0]*", rest) or (
                rest.rstrip(" \x01").endswith((",", ":")) and "," in rest[:2]
            ):
                return ("name", after[0].name, after[0].start)  # '…, said Smith, “…”'
        before = [t for t in tokens[:v] if t[0].lower() not in w.ADVERBS]
        finite = [c for c in cues[:-1] if not tokens[c[0]][0].lower().endswith("ing")]
        if verb.endswith("ing") and finite:
            v = finite[-1][0]  # 'Spicer said, adding, “…”': the subject of "said"
            before = [t for t in tokens[:v] if t[0].lower() not in w.ADVERBS]
        elif verb.endswith("ing"):
            lead = masked[start : tokens[v][1]].rstrip()
            word = lead.split()[-1].lower() if lead.split() else ""
            adjoining = [m for m in named if m.end == start + len(lead)]
            if lead and not lead.endswith((",", "—", "–")) and word not in _CLAUSE_LINKS | _DOCUMENTS:
                # 'a post from a supporter calling it “…”': the -ing belongs to the noun before it
                return ("name", adjoining[0].name, adjoining[0].start) if adjoining else ("nominal", None, start)
            if before and before[0][0].lower() in w.PRONOUNS:
                return ("pronoun", w.PRONOUNS[before[0][0].lower()], before[0][1])
            subjects = [m for m in named if m.end <= tokens[v][1] and not m.governed and not m.possessive]
            subjects = [m for m in subjects if not m.org] or subjects
            return ("name", subjects[0].name, subjects[0].start) if subjects else ("nominal", None, start)
        if before and before[-1][0].lower() in w.PRONOUNS:
            return ("pronoun", w.PRONOUNS[before[-1][0].lower()], before[-1][1])
        if before and before[-1][0].lower() in _NOT_SPEAKER_PRONOUNS:
            return ("nominal", None, start)
        return self._subject(ctx, start, tokens[v][1])
