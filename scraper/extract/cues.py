"""The reporting cue next to a quotation, in either order, and the name it gives.

After the quotation: '…," said Mr. Smith' / '…," Smith, a senator, said' / '…," he added'.
Before it, in its sentence: 'Smith said: “…”', 'Smith: “…”', 'According to Smith, “…”',
'Smith called it “…”', 'Smith left, saying “…”', 'Comey indicated that “…”'. Each returns
what it found, a name, a pronoun (resolved by speakers.py) or a subject that is no name
("the campaign said": nominal), or None when there is no cue. All work on the paragraph's
text with its quotations masked out, so nothing inside a quotation is taken for its cue.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from itertools import islice

from scraper.extract import speaker_words as w
from scraper.extract.names import Mention

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
# Every word a cue in _is_verb can start with.
_CUE_WORDS = frozenset(w.PHRASAL) | w.REPORTING_VERBS | _INTRODUCERS | {"a", "according"}
MASK = "\x01"
_CLAUSE_LINKS = w.words("and while before after by when then also even")
# 'X issued a statement saying “…”': the -ing after these still reports X's words.
_DOCUMENTS = w.words(
    "statement statements letter post tweet tweets email message release ad video note memo op-ed interview "
    "speech remarks report filing column essay book order up out back time"
)
_SUBJECT_VERB = re.compile(r"(?:\s*\([^)]*\))?(?:,[^,\x01]{1,90},)?\s+(?:(?:also|then|later|\w+ly)\s+)?([a-z]+)\b")
_PAST_FORMS = w.words("shot thought wrote spoke took made gave went began told felt knew saw put set kept")
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
    if word not in _CUE_WORDS:
        return 0  # most words: no cue starts with them
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


def sentence_ends(text: str) -> list[int]:
    ends = []
    for match in _SENTENCE_END.finditer(text):
        end = match.end()  # the mark is one character: it starts at end - 1
        if text[end - 1] != ".":
            ends.append(end)  # "!", "?", ";" always end one
            continue
        if text[end : end + 1] == ")":
            continue  # "(R-Ky.)"
        word = text[max(0, end - 7) : end - 1].split()
        last = word[-1].lower().lstrip("(") if word else ""
        if last in w.ABBREVIATIONS or len(last) == 1 or "." in last:
            continue
        ends.append(end)
    return ends


def after_cue(ctx: Context, k: int) -> Found | None:
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
    ends = sentence_ends(clause)
    if ends:
        clause = clause[: ends[0]]
    found = _cue_at(ctx, base, clause, attached)
    comma = clause.rfind(", ")
    if (found is None or found[0] == "nominal") and not attached and comma > 0:
        # '“a lightning rod” and people get nervous, said Christine Link.'
        tail = _cue_at(ctx, base + comma + 2, clause[comma + 2 :], True)
        if tail is not None and tail[0] != "nominal":
            return tail
    return found


def _cue_at(ctx: Context, base: int, clause: str, attached: bool) -> Found | None:
    """The cue at the start of `clause` (masked text from `base`, just after a quotation)."""
    # Only the first 14 tokens are read: the rest of a clause of up to 220 characters is never
    # tokenised. A word no cue starts with is ruled out here, without a call to _is_verb.
    tokens = [(m.group(), base + m.start(), base + m.end()) for m in islice(_TOKEN.finditer(clause), 14)]
    verb = next(
        ((i, n) for i, t in enumerate(tokens) if t[0].lower() in _CUE_WORDS and (n := _is_verb(tokens, i))), None
    )
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
    return _subject(ctx, base, tokens[v][1])


def _subject(ctx: Context, start: int, verb_start: int) -> Found:
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


def _acting(ctx: Context, named: list[Mention], masked: str, position: int) -> Found | None:
    """'Comey indicated that … “…”', 'After Brown spoke, Hillary shot back, “…”': the last
    person before the quotation that a verb in the past or present follows, for verbs no list has."""
    people = [m for m in named if not m.governed and not m.possessive and not m.org]
    for person in reversed(people):
        match = _SUBJECT_VERB.match(masked, person.end, position)
        if match is None:
            continue
        verb = match.group(1)
        if verb.endswith(("ed", "es")) or verb in _PAST_FORMS or (verb.endswith("s") and not verb.endswith("ss")):
            return ("name", person.name, person.start)
    return None
    match = _SUBJECT_VERB.match(masked, people[0].end, position)
    if match is None:
        return None
    verb = match.group(1)
    if verb.endswith(("ed", "es")) or verb in _PAST_FORMS or (verb.endswith("s") and not verb.endswith("ss")):
        return ("name", people[0].name, people[0].start)
    return None


def _said_before(ctx: Context, masked: str, start: int) -> Found | None:
    """'Phil Musser says. “…”': a sentence that ends on its cue, then the quotation."""
    head = masked[:start].rstrip()
    if not head.endswith(".") or MASK in masked[max(0, start - 60) : start]:
        return None
    ends = sentence_ends(head[:-1])
    sentence = head[ends[-1] if ends else 0 : -1]
    tokens = [m.group() for m in _TOKEN.finditer(sentence)][-5:]
    cue = any(_is_verb([(t, 0, 0) for t in tokens], i) for i in range(len(tokens)))
    return before_cue(ctx, masked, len(head) - 1) if cue else None


def before_cue(ctx: Context, masked: str, position: int) -> Found | None:
    """The cue in the sentence that leads up to `position` (a quotation's opening mark)."""
    start = 0
    for end in sentence_ends(masked[:position]):
        start = end
    for span in ctx.spans:
        closes = span.end <= position and span.end > start and re.search(r"[.!?]\W*$", span.text)
        if closes and masked[span.end : span.end + 3].lstrip(" ")[:1] not in (",", ";"):
            start = span.end  # '“… today.” He said' : the quotation ended its sentence
    sentence = masked[start:position]
    tail = sentence.rstrip(" \u00a0\x01")
    if not tail.strip(" ,\x01"):
        return _said_before(ctx, masked, start)
    named = [m for m in ctx.mentions if start <= m.start and m.end <= position]
    # Most sentences before a quotation hold no word a cue starts with: the words of the
    # sentence lowered, in one C call, rule that out before any token is made. Lowering keeps
    # every token's bounds (but a dotted "İ", whose tokens hold no cue word either), so a word
    # that lowers to a cue word is one of them.
    if _CUE_WORDS.isdisjoint(_TOKEN.findall(sentence.lower())):
        tokens: list[tuple[str, int, int]] = []
        cues: list[tuple[int, int]] = []
    else:
        tokens = [(m.group(), start + m.start(), start + m.end()) for m in _TOKEN.finditer(sentence)]
        cues = [(i, n) for i, t in enumerate(tokens) if t[0].lower() in _CUE_WORDS and (n := _is_verb(tokens, i))]
    if tail.endswith(":") and named and not cues:
        head = re.sub(r"\s*\([^)]*\)\s*$", "", tail[:-1])
        if named[-1].end == start + len(head) and not named[-1].governed:
            return ("name", named[-1].name, named[-1].start)  # 'Trump: “…”'

    if not cues:
        return _acting(ctx, named, masked, position)
    v, n = cues[-1]
    verb = tokens[v][0].lower()
    after = [m for m in named if m.start >= tokens[v + n - 1][2] and not m.possessive]
    if verb == "according" or verb in _INTRODUCERS:
        after = [m for m in after if not m.governed] or after
        after = [m for m in after if not m.org] or after
        return ("name", after[0].name, after[0].start) if after else None
    opens = not masked[start : tokens[v][1]].strip(" \u00a0\x01") or masked[: tokens[v][1]].rstrip().endswith(",")
    # 'Huhn, a former HP executive, said Fiorina “…”': a subject before the verb speaks, not the name after
    opens = opens and not any(m.end <= tokens[v][1] and not m.governed and not m.possessive for m in named)
    if verb not in _OBJECT_VERBS and after and not after[0].governed and opens:
        rest = masked[after[0].end : position]
        if re.fullmatch(r"[\s,:;\x01—–\-\u00a0]*", rest) or (
            (rest.rstrip(" \x01").endswith((",", ":")) or masked[position : position + 1] == ".") and "," in rest[:2]
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
    return _subject(ctx, start, tokens[v][1])
