"""Names of people and organisations in running text, and the article's cast of them.

A name is a run of capitalised words (with middle initials, "bin", "de", "al-"), less the
titles before it ("Sen.", "President", "Mr.") and the sentence openers ("But", "When").
A run with an organisation word ("Party", "News", "Committee") or a lone acronym is an
organisation. The `Cast` learns every full name an article uses, so a later "Rouhani" or
"Mr. Sanders" resolves to "Hassan Rouhani" / "Bernie Sanders", and what gender the article
gives each person (titles, first names, the he/she that follows their mentions).
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass, field
from functools import cache, lru_cache
from typing import Any, NamedTuple

from scraper.extract import speaker_words as w

_UPPER = "A-ZÀ-ÖØ-ÞĀĂĄĆČĎĐĒĘĚĞĪİŁŃŇŌŐŒŘŚŞŠŤŪŮŰŹŻŽА-ЯЁΑ-Ω"
_NAME_WORD = rf"(?:[{_UPPER}][\w’'\-]*\.?|(?:al|el)-[{_UPPER}][\w’'\-]*)"
_JOIN = r"(?:[ \u00a0](?:(?:bin|ibn|de|van|von|der|den|da|di|du|la|le|del|dos|das)[ \u00a0])?)"
_RUN = re.compile(rf"(?<![\w’'\-.]){_NAME_WORD}(?:{_JOIN}{_NAME_WORD})*")
_WORD_BEFORE = re.compile(r"\n?[ \u00a0]*([\w’'\-]+)")  # on a window read backwards
_PREPOSITIONS = w.words(
    "of for at in on from into to by with about against over under after before like than behind toward towards "
    "between among including besides beside near per via alongside except despite des du de der von"
)
_DETERMINERS = w.words("the a an my our your his her their its this that these those")
_MAX_PERSON_WORDS = 4
_ROLE_WORD = re.compile(r"\w+")
_PRONOUN_WORD = re.compile(r"\b(?:[Hh]e|[Hh]im|[Hh]is|[Hh]imself|[Ss]he|[Hh]er|[Hh]erself)\b")


class Mention(NamedTuple):
    """A tuple, not a frozen dataclass: one is made for every name of every paragraph, and a
    tuple is made several times faster."""

    start: int
    end: int
    name: str  # without titles: "Dina Titus", "Fox News"
    org: bool = False
    gender: str | None = None  # from a title ("Mr.", "Ms.") or a gendered role
    possessive: bool = False  # "Trump's": a modifier, not a subject
    governed: bool = False  # after a preposition or determiner ("with Obama", "the Big Machine")

    @property
    def words(self) -> list[str]:
        return self.name.split()


@lru_cache(maxsize=16_384)  # pure, and called for every capitalised word of every paragraph
def _title(word: str) -> bool:
    lowered = word.lower()
    return lowered in w.TITLES or lowered.rstrip(".") in w.TITLES or lowered.endswith(w.TITLE_SUFFIXES)


def _initial(word: str) -> bool:
    return len(word) == 2 and word[1] == "." and word[0].isupper()


def mentions(text: str) -> list[Mention]:
    """The names in `text`, in order, with their offsets (text outside quotations)."""
    found: list[Mention] = []
    roles: list[int] | None = None  # where a gendered role word may end, found on first need
    aligned = True
    for match in _RUN.finditer(text):
        names = _names_in_run(match.group())
        if not names:
            continue
        base = match.start()
        for offset, length, name, org, gender, possessive in names:
            start = base + offset
            if text[start - 1 : start] == "(":
                continue  # "(R-Fla.)", "(Tex.)": a party and state, not a name
            before = _word_before(text, start)
            governed = False
            if before is not None:
                lowered = before.lower()
                governed = lowered in _PREPOSITIONS or (lowered in _DETERMINERS and not org)
            if gender is None:
                if roles is None:
                    roles, aligned = _role_ends(text)
                k = bisect.bisect_right(roles, start)
                # Without a role word ending in the window, the window's words hold none.
                if not aligned or (k and roles[k - 1] > start - 25):
                    gender = _role_gender(text, start)
            found.append(Mention(start, start + length, name, org, gender, possessive, governed))
    return found


def _word_before(text: str, start: int) -> str | None:
    """The last run of word characters, apostrophes and hyphens before `start`, past spaces
    and one final newline, within 20 characters; matched on the window reversed, as a search
    from the left costs more, for every name."""
    match = _WORD_BEFORE.match(text[max(0, start - 20) : start][::-1])
    return match.group(1)[::-1] if match else None


def _role_gender(text: str, start: int) -> str | None:
    """The gender of a role word among the two words before `start` ("spokeswoman Jen Psaki")."""
    for role_word in _ROLE_WORD.findall(text[max(0, start - 25) : start].lower())[-2:]:
        if role_word in _ROLE_SEX:
            return _ROLE_SEX[role_word]
    return None


def _role_ends(text: str) -> tuple[list[int], bool]:
    """Where each occurrence of a gendered role word ends in `text` lowered, even inside a
    longer word: a superset of the role words _role_gender can find, so a name with none
    ending in its window needs no look. Where lowering changes the length (a dotted "İ"),
    offsets would not line up (False), so every window is looked at."""
    lowered = text.lower()
    if len(lowered) != len(text):
        return [], False
    return [m.start() + len(m.group(1)) for m in _ROLE_ANYWHERE.finditer(lowered)], True


# (offset in the run, length, name, org, gender from a title, possessive) of each name in a run
_RunName = tuple[int, int, str, bool, str | None, bool]
_ROLE_SEX = {role: sex for sex, roles in w.GENDERED_ROLES.items() for role in roles}
# Every start position is tried (a lookahead), so overlapping occurrences are all found; no role
# word is a prefix of another, so one position holds at most one.
_ROLE_ANYWHERE = re.compile("(?=(" + "|".join(sorted(_ROLE_SEX)) + "))")


@lru_cache(maxsize=32_768)  # pure; the same runs ("The", "But", "Donald Trump") recur on every page
def _names_in_run(run_text: str) -> tuple[_RunName, ...]:
    """The names in one capitalised run, split where a word is possessive or ends a sentence;
    all that does not depend on the text around the run."""
    if " " not in run_text and "\u00a0" not in run_text:
        return _one_word_run(run_text)  # most runs: "Trump", "Monday", "The"
    names: list[_RunName] = []
    run: list[tuple[str, int]] = []
    offset = 0
    for word in run_text.split():
        start = run_text.index(word, offset)
        offset = start + len(word)
        clean, possessive, ends = _word(word)
        run.append((clean, start))
        if possessive or ends:
            _add(run, names, possessive)
            run = []
    if run:
        _add(run, names, False)
    return tuple(names)


def _one_word_run(word: str) -> tuple[_RunName, ...]:
    """_names_in_run for a run of one word: what _add and _run_name conclude for it, without
    the lists they build for longer runs."""
    clean, possessive, _ = _word(word)
    if _lone_word_is_no_name(clean):
        return ()  # a title, a place prefix, a sentence opener, a connector ("De")
    lowered = clean.lower()
    upper = clean.isupper()
    org = lowered.rstrip(".") in w.ORG_WORDS or (upper and 2 <= len(clean) <= 6 and clean.isalpha())
    if not org:
        if upper and len(clean) > 2 and lowered not in w.SUFFIXES:
            return ()  # an acronym that is no organisation
        if _initial(clean) or lowered in w.SUFFIXES:
            return ()  # "J.", "Jr.": no core word
        if len(clean) < 2 or not clean.replace("-", "").replace("’", "").isalpha():
            return ()
    return ((0, len(clean), clean, org, None, possessive),)


@lru_cache(maxsize=16_384)
def _lone_word_is_no_name(word: str) -> bool:
    """What _add concludes early for a one-word run: a title, a place prefix, a non-name word."""
    lowered = word.lower()
    return _title(word) or lowered in w.PLACE_PREFIXES or lowered in _LEADING_JUNK


_LEADING_JUNK = w.NOT_NAME | w.CONNECTORS | w.REPORTING_VERBS


@lru_cache(maxsize=16_384)
def _word(word: str) -> tuple[str, bool, bool]:
    """(the word as a name part, whether it is possessive, whether it ends a sentence)."""
    possessive = word.endswith(("’s", "'s", "s’", "s'")) and len(word) > 2
    lowered = word.lower()
    ends = word.endswith(".") and not _initial(word) and not _title(word)
    ends = ends and lowered not in w.SUFFIXES and lowered.rstrip(".") not in w.ABBREVIATIONS
    ends = ends or (word.endswith(".") and "." in word[:-1] and len(word) > 4)  # "U.S." at a sentence end
    clean = word[:-2] if word.endswith(("’s", "'s")) else word.rstrip("’'") if possessive else word
    return (clean.rstrip(".") if ends else clean), possessive, ends


def _add(run: list[tuple[str, int]], found: list[_RunName], possessive: bool) -> None:
    if len(run) == 1 and _lone_word_is_no_name(run[0][0]):
        return  # most runs are one capital opening a sentence ("The", "But", "Monday")
    named = _run_name(tuple(word for word, _ in run))
    if named is None:
        return
    first, last, name, org, gender = named
    start = run[first][1]
    end = run[last][1] + len(run[last][0])
    found.append((start, end - start, name, org, gender, possessive))


@lru_cache(maxsize=32_768)  # pure; the same word sequences recur inside different runs
def _run_name(run_words: tuple[str, ...]) -> tuple[int, int, str, bool, str | None] | None:
    """(index of the first and of the last word, name, org, gender) of the name in a run's words."""
    lows = [word.lower() for word in run_words]  # each word lowered once, not once per test
    cut, gender = 0, None
    for i, word in enumerate(run_words):
        if _title(word) and not (i and _initial(word)):  # "Steven M. Rosenthal", but "M. Macron"
            cut = i + 1
            lowered = lows[i]
            gender = "m" if lowered in w.MALE_TITLES else "f" if lowered in w.FEMALE_TITLES else gender
    first, last = cut, len(run_words)  # the name is run_words[first:last]
    if first < last and lows[first] in w.PLACE_PREFIXES:
        return None  # "New York", "South Carolina": a place
    while first < last and lows[first] in _LEADING_JUNK:
        first += 1
    while first < last and lows[last - 1] in w.CONNECTORS:
        last -= 1
    if first == last:
        return None
    # an organisation keeps its run whole ("Fox News", "Clinton Foundation")
    org_words = [i for i, low in enumerate(lows) if low not in w.NOT_NAME or low in ("new", "national")]
    while org_words and lows[org_words[0]] in w.NOT_NAME:
        org_words = org_words[1:]
    words = list(range(first, last))
    tokens = run_words[first:last]
    if len(tokens) > 1 and all(t.isupper() for t in tokens):
        return None  # "AUSTRALIAN OLYMPIC TEAM": a shouted headline, not a name
    org = any(lows[i].rstrip(".") in w.ORG_WORDS for i in words) or (
        len(tokens) == 1 and tokens[0].isupper() and 2 <= len(tokens[0]) <= 6 and tokens[0].isalpha()
    )
    if org and org_words and not cut:  # after a title ("Speaker of the House") keep the rest
        words = org_words
        tokens = tuple(run_words[i] for i in words)
    if not org:
        if any(lows[i] in w.NOT_NAME for i in words) or any(
            run_words[i].isupper() and len(run_words[i]) > 2 and lows[i] not in w.SUFFIXES for i in words
        ):
            return None  # "Tuesday", "American", acronyms inside: not a person's name
        core = [i for i in words if not _initial(run_words[i]) and lows[i] not in w.SUFFIXES]
        if not core or len(core) > _MAX_PERSON_WORDS:
            return None
        if len(tokens) == 1 and (len(tokens[0]) < 2 or not tokens[0].replace("-", "").replace("’", "").isalpha()):
            return None
    return words[0], words[-1], " ".join(tokens), org, gender


@cache
def _detector() -> Any:
    # A generic dictionary of first names (some 40,000, many countries), read once on first use.
    import gender_guesser.detector  # type: ignore[import-untyped]

    return gender_guesser.detector.Detector(case_sensitive=False)


_GUESS = {"male": ("m", 2), "female": ("f", 2), "mostly_male": ("m", 1), "mostly_female": ("f", 1)}


@dataclass
class Cast:
    """The people and organisations an article names, under their fullest form."""

    by_word: dict[str, list[str]] = field(default_factory=dict)  # surname or first name -> full names
    votes: dict[str, dict[str, int]] = field(default_factory=dict)
    orgs: set[str] = field(default_factory=set)
    recent: dict[str, int] = field(default_factory=dict)
    usage: dict[str, dict[str, int]] = field(default_factory=dict)  # he/she after mentions: the fallback

    def learn(self, mention: Mention) -> None:
        if mention.org:
            self.orgs.add(mention.name)
            return
        words = mention.words
        if len(words) >= 2:
            for key in (words[-1], words[0]) if len(words) < 4 else (words[-1],):
                names = self.by_word.setdefault(key, [])
                if mention.name not in names:
                    names.append(mention.name)
            if mention.name not in self.votes:
                guess = _GUESS.get(_detector().get_gender(words[0])) if not _initial(words[0]) else None
                self.votes[mention.name] = {"m": 0, "f": 0}
                if guess:
                    self.vote(mention.name, *guess)
        if mention.gender:
            self.vote(self.full(mention.name), mention.gender, 3)

    def observe(self, text: str, found: list[Mention]) -> None:
        """Count the he/she that follow each person's mention, up to the next name: the
        article's own word on who is a man and who a woman."""
        for i, mention in enumerate(found):
            if mention.org:
                continue
            stop = found[i + 1].start if i + 1 < len(found) else min(len(text), mention.end + 200)
            pronouns = _PRONOUN_WORD.findall(text, mention.end, stop)
            if pronouns:
                key = self.full(mention.name, mention.gender)
                first = pronouns[0].lower()
                self.usage.setdefault(key, {"m": 0, "f": 0})["m" if first in w.MALE_WORDS else "f"] += 1

    def plausible(self, mention: Mention, text: str) -> bool:
        """Whether a mention may name a speaker: a lone verb-like capital that opens a sentence
        ("Reached by phone", "Weighing in") names someone only if the article names them in
        full."""
        if " " in mention.name or mention.org:  # a name of more than one word
            return True
        before = text[: mention.start].rstrip(" \u00a0")
        opens = not before or before[-1] in '.!?:"”\x01'
        verbal = mention.name.lower().endswith(("ing", "ed", "ly"))  # "Reached", "Weighing", "Notably"
        return not (opens and verbal) or mention.gender is not None or mention.name in self.by_word

    def full(self, name: str, gender: str | None = None) -> str:
        """The fullest form of `name` the article uses ("Rouhani" -> "Hassan Rouhani")."""
        words = name.split()
        if len(words) != 1 or name in self.orgs:
            return name
        names = self.by_word.get(name, [])
        names = [n for n in names if n.split()[-1] == name] or names
        if gender:
            names = [n for n in names if self.gender(n) in (gender, None)] or names
        if not names:
            return name
        return max(names, key=lambda n: (self.recent.get(n, -1), len(n)))

    def seen(self, name: str, step: int) -> None:
        self.recent[name] = step

    def vote(self, name: str, gender: str, weight: int = 1) -> None:
        self.votes.setdefault(name, {"m": 0, "f": 0})[gender] += weight

    def gender(self, name: str) -> str | None:
        if name in self.orgs:
            return "org"
        strong, usage = self.votes.get(name), self.usage.get(name)
        votes = {k: (strong or {}).get(k, 0) + (usage or {}).get(k, 0) for k in ("m", "f")}
        if not votes or votes["m"] == votes["f"]:
            return None
        return "m" if votes["m"] > votes["f"] else "f"
