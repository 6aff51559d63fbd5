"""Names of people and organisations in running text, and the article's cast of them.

A name is a run of capitalised words (with middle initials, "bin", "de", "al-"), less the
titles before it ("Sen.", "President", "Mr.") and the sentence openers ("But", "When").
A run with an organisation word ("Party", "News", "Committee") or a lone acronym is an
organisation. The `Cast` learns every full name an article uses, so a later "Rouhani" or
"Mr. Sanders" resolves to "Hassan Rouhani" / "Bernie Sanders", and what gender the article
gives each person (titles, first names, the he/she that follows their mentions).
"""

from __future__ import annotations

import re
from bisect import bisect_right
from dataclasses import dataclass, field
from functools import cache
from typing import Any, NamedTuple

from scraper.extract import speaker_words as w
from scraper.extract.name_runs import initial, names_in_run

_UPPER = "A-ZÀ-ÖØ-ÞĀĂĄĆČĎĐĒĘĚĞĪİŁŃŇŌŐŒŘŚŞŠŤŪŮŰŹŻŽА-ЯЁΑ-Ω"
_NAME_WORD = rf"(?:[{_UPPER}][\w’'\-]*\.?|(?:al|el)-[{_UPPER}][\w’'\-]*)"
_JOIN = r"(?:[ \u00a0](?:(?:bin|ibn|de|van|von|der|den|da|di|du|la|le|del|dos|das)[ \u00a0])?)"
# The leading lookahead only names the first characters a run can have ("al-", "el-" too): it
# lets the regex engine skip to them, and so scan a paragraph in about half the time.
_RUN = re.compile(rf"(?=[{_UPPER}ae])(?<![\w’'\-.]){_NAME_WORD}(?:{_JOIN}{_NAME_WORD})*")
# _RUN for a text with no "al-" or "el-", where every run opens on a capital: a pattern that
# opens on a character class is scanned for it in C, some 20% faster than the lookahead that
# stops at every "a" and "e". The lookbehind, after the capital, is _RUN's before it.
_CAPITAL_RUN = re.compile(rf"[{_UPPER}](?<![\w’'\-.][{_UPPER}])[\w’'\-]*\.?(?:{_JOIN}{_NAME_WORD})*")
# The last run of word characters, apostrophes and hyphens before a name, past spaces and one
# final newline, on the window read backwards.
_WORD_BEFORE = re.compile(r"\n?[ \u00a0]*([\w’'\-]+)")
_PREPOSITIONS = w.words(
    "of for at in on from into to by with about against over under after before like than behind toward towards "
    "between among including besides beside near per via alongside except despite des du de der von"
)
_DETERMINERS = w.words("the a an my our your his her their its this that these those")
_PREPOSITIONS_BACKWARDS = frozenset(word[::-1] for word in _PREPOSITIONS)
_DETERMINERS_BACKWARDS = frozenset(word[::-1] for word in _DETERMINERS)
_BLANKS = frozenset(" \u00a0\n")  # the marks before a name past which a word may come
_ROLE_WORD = re.compile(r"\w+")
# he/him/his/himself/she/her/herself as whole words. The pattern opens on a character class, so
# the regex engine scans for its first letter in C; a leading lookahead gives it no such prefix,
# and a match is tried at every offset. The lookbehinds stand for the "\b" before the word (the
# letter before the first is no word character) and for which letters may follow the first.
_PRONOUN_WORD = re.compile(r"[HhSs](?<![\w][HhSs])(?:(?<=[Hh])(?:e|im|is|imself|er|erself)|(?<=[Ss])he)\b")


class Mention(NamedTuple):
    """A tuple, not a frozen dataclass: one is made for every name of every paragraph, and a
    tuple is made many times faster."""

    start: int
    end: int
    name: str  # without titles: "Dina Titus", "Fox News"
    org: bool = False
    gender: str | None = None  # from a title ("Mr.", "Ms.") or a gendered role
    possessive: bool = False  # "Trump's": a modifier, not a subject
    # After a preposition or determiner ("with Obama", "the Big Machine"); None where it was not
    # looked for (mentions(text, governed=False): a paragraph no cue or pronoun reads it in).
    governed: bool | None = False


_new = tuple.__new__  # Mention(...) without its Python-level __new__: one per name of every paragraph


def mentions(text: str, governed: bool = True) -> list[Mention]:
    """The names in `text`, in order, with their offsets (text outside quotations). Without
    `governed`, each Mention's `governed` is None, not looked for: the look is a tenth of the
    work, and half the paragraphs of an article only give the Cast its names."""
    found: list[Mention] = []
    unknown = None if not governed else False  # what `governed` is where no word is looked at
    roles: list[int] | None = None  # where a gendered role word may end, found on first need
    aligned = True
    runs = _RUN if "al-" in text or "el-" in text else _CAPITAL_RUN
    for match in runs.finditer(text):
        names = names_in_run(match.group())
        if not names:
            continue
        base = match.start()
        for offset, length, name, org, gender, possessive in names:
            start = base + offset
            mark = text[start - 1] if start else ""
            if mark == "(":
                continue  # "(R-Fla.)", "(Tex.)": a party and state, not a name
            after_word = unknown
            # A run starts after no word character: only past a space can a word come before it.
            # The word before, within 20 characters, is matched on the window read backwards, as
            # a search from the left costs more, for every name.
            if governed and mark in _BLANKS:
                before = _WORD_BEFORE.match(text[start - 20 if start > 20 else 0 : start][::-1])
                if before is not None:
                    # The word as read backwards, lowered, against the words spelt backwards: no
                    # second reversal (the words are ASCII, lowered one letter at a time).
                    lowered = before.group(1).lower()
                    after_word = lowered in _PREPOSITIONS_BACKWARDS or (lowered in _DETERMINERS_BACKWARDS and not org)
            if gender is None:
                if roles is None:
                    roles, aligned = _role_ends(text)
                k = bisect_right(roles, start)
                # Without a role word ending in the window, the window's words hold none.
                if not aligned or (k and roles[k - 1] > start - 25):
                    gender = _role_gender(text, start)
            found.append(_new(Mention, (start, start + length, name, org, gender, possessive, after_word)))
    return found


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
    ends = []
    for ending in _ROLE_ENDINGS:  # a find per ending costs less than one regex tried at every offset
        i = lowered.find(ending)
        while i >= 0:
            ends.append(i + len(ending))
            i = lowered.find(ending, i + 1)
    ends.sort()
    return ends, True


_ROLE_SEX = {role: sex for sex, roles in w.GENDERED_ROLES.items() for role in roles}
# Every role word ends with one of these ("spokeswoman", "brother"): where none ends, none does.
_ROLE_ENDINGS = ("man", "ther", "son", "wife", "husband", "daughter", "sister")


@cache
def _detector() -> Any:
    # A generic dictionary of first names (some 40,000, many countries), read once on first use.
    from gender_guesser.detector import Detector  # type: ignore[import-untyped]

    class _Detector(Detector):  # type: ignore[misc]
        def _parse(self, filename: str) -> None:
            # The library reads its file with codecs.open, whose line reader takes 0.24 s against
            # 0.09 s for a text file; the file breaks lines only with \r\n, so the lines are the
            # same (tests/test_extract_names.py compares the two dictionaries).
            self.names: dict[str, Any] = {}
            with open(filename, encoding="utf-8") as lines:
                for line in lines:
                    self._eat_name_line(line.strip())

    return _Detector(case_sensitive=False)


_GUESS = {"male": ("m", 2), "female": ("f", 2), "mostly_male": ("m", 1), "mostly_female": ("f", 1)}


@dataclass
class Cast:
    """The people and organisations an article names, under their fullest form."""

    by_word: dict[str, list[str]] = field(default_factory=dict)  # surname or first name -> full names
    votes: dict[str, dict[str, int]] = field(default_factory=dict)
    orgs: set[str] = field(default_factory=set)
    recent: dict[str, int] = field(default_factory=dict)  # full name -> when last mentioned (speakers.py)
    usage: dict[str, dict[str, int]] = field(default_factory=dict)  # he/she after mentions: the fallback
    # full name -> first name not yet looked up: the dictionary's vote is added on the first
    # gender() asked of the name, so a page that asks none never loads the dictionary
    first_names: dict[str, str] = field(default_factory=dict)

    def learn(self, found: list[Mention]) -> None:
        """Take in a paragraph's mentions: organisations, full names and their genders."""
        for mention in found:
            if mention.org:
                self.orgs.add(mention.name)
                continue
            name = mention.name
            if " " in name:  # a name of more than one word
                words = name.split()
                for key in (words[-1], words[0]) if len(words) < 4 else (words[-1],):
                    names = self.by_word.setdefault(key, [])
                    if name not in names:
                        names.append(name)
                if name not in self.votes:
                    self.votes[name] = {"m": 0, "f": 0}
                    if not initial(words[0]):
                        self.first_names[name] = words[0]  # its vote is cast when a gender is asked
            if mention.gender:
                self.vote(self.full(name), mention.gender, 3)

    def observe(self, text: str, found: list[Mention]) -> None:
        """Count the he/she that follow each person's mention, up to the next name: the
        article's own word on who is a man and who a woman."""
        for i, mention in enumerate(found):
            if mention.org:
                continue
            stop = found[i + 1].start if i + 1 < len(found) else min(len(text), mention.end + 200)
            pronoun = _PRONOUN_WORD.search(text, mention.end, stop)  # the first one counts
            if pronoun:
                key = self.full(mention.name, mention.gender)
                first = pronoun.group().lower()
                self.usage.setdefault(key, {"m": 0, "f": 0})["m" if first in w.MALE_WORDS else "f"] += 1

    def plausible(self, found: list[Mention], text: str) -> list[Mention]:
        """The mentions that may name a speaker: a lone verb-like capital that opens a sentence
        ("Reached by phone", "Weighing in") names someone only if the article names them in
        full."""
        kept = []
        for mention in found:
            name = mention.name
            # A name of more than one word, an organisation, a word no verb: no look back.
            if " " not in name and not mention.org and name.lower().endswith(("ing", "ed", "ly")):
                before = text[: mention.start].rstrip(" \u00a0")
                opens = not before or before[-1] in '.!?:"”\x01'
                if opens and mention.gender is None and name not in self.by_word:
                    continue  # "Reached", "Weighing", "Notably"
            kept.append(mention)
        return kept

    def full(self, name: str, gender: str | None = None) -> str:
        """The fullest form of `name` the article uses ("Rouhani" -> "Hassan Rouhani")."""
        if len(name.split()) != 1 or name in self.orgs:
            return name
        names = self.by_word.get(name)
        if not names:
            return name  # most lone words: no full name the article uses
        names = [n for n in names if n.split()[-1] == name] or names
        if gender:
            names = [n for n in names if self.gender(n) in (gender, None)] or names
        if not names:
            return name
        return max(names, key=lambda n: (self.recent.get(n, -1), len(n)))

    def vote(self, name: str, gender: str, weight: int = 1) -> None:
        self.votes.setdefault(name, {"m": 0, "f": 0})[gender] += weight

    def gender(self, name: str) -> str | None:
        if name in self.orgs:
            return "org"
        first = self.first_names.pop(name, None)
        if first is not None:
            guess = _GUESS.get(_detector().get_gender(first))
            if guess:
                self.vote(name, *guess)
        strong, usage = self.votes.get(name) or {}, self.usage.get(name) or {}
        male = strong.get("m", 0) + usage.get("m", 0)
        female = strong.get("f", 0) + usage.get("f", 0)
        if male == female:
            return None
        return "m" if male > female else "f"
