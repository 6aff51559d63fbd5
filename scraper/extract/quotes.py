"""Direct quotations in the body and the person each is attributed to.

A quotation is text between quote marks (“ ”, " ", « », „ “), a <q>, or a <blockquote>.
The speaker comes from a reporting verb next to it ("…,” said Jane Doe / Jane Doe told
reporters: “…” / according to …); a pronoun ("He stated,") resolves to the last person named
before the quotation. When the text names nobody, the speaker is None: a guess is worse.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from scraper.models import Quote

MIN_WORDS = 4
# Names are learned from this many paragraphs before a quotation (enough for "Smith said"
# to find "John Smith"; bounded so long pages stay linear).
_LEARN_BACK = 8
_MAX_QUOTES = 200

_QUOTE = re.compile(
    r"“([^“”]{2,2000}?)[”“]"  # English curly (also German „…“ handled below)
    r"|„([^„“”]{2,2000}?)[“”]"
    r"|«\s*([^«»]{2,2000}?)\s*»"
    r"|(?<![\w])\"([^\"]{2,2000}?)\"(?![\w])"
    r"|‹\s*([^‹›]{2,2000}?)\s*›"
    r"|「([^「」]{2,2000}?)」"
)
_VERBS = (
    r"said|says|say|stated|states|told|tells|added|adds|wrote|writes|warned|warns|hailed|hails|declared|declares"
    r"|explained|explains|noted|notes|insisted|insists|argued|argues|claimed|claims|asked|asks|replied|responded"
    r"|continued|concluded|announced|announces|tweeted|posted|commented|remarked|admitted|acknowledged|recalled"
    r"|suggested|urged|emphasi[sz]ed|stressed|observed|predicted|cautioned|confirmed|conceded|joked|shouted"
    r"|sagte|sagt|erklärte|erklärt|betonte|betont|meinte|meint|schrieb|schreibt|fügte|warnte|kritisierte"
    r"|a déclaré|a dit|déclare|dit|affirme|a affirmé|explique|a expliqué|estime|a estimé|ajoute|a ajouté"
    r"|souligne|a souligné|assure|a assuré|a lancé|lance|a confié|confie|a écrit|écrit|a indiqué|indique"
    r"|сказал|сказала|заявил|заявила|отметил|отметила|сообщил|сообщила|подчеркнул|подчеркнула"
)
_VERB = re.compile(rf"\b({_VERBS})\b", re.IGNORECASE)
_ACCORDING = re.compile(
    r"\b(according to|selon|laut|по словам|so)\s+$|\b(according to|selon|laut|по словам)\b", re.IGNORECASE
)
_PRONOUN = re.compile(r"^(he|she|they|er|sie|il|elle|ils|elles|он|она|они)$", re.IGNORECASE)
_TITLES = frozenset(
    """mr mr. mrs mrs. ms ms. dr dr. prof prof. sir lord lady president vice prime minister general major
        colonel captain lieutenant sergeant admiral ayatollah sheikh imam pope king queen prince princess
        chancellor senator sen sen. rep rep. representative gov gov. governor mayor secretary judge justice
        chief director ceo chairman chairwoman spokesman spokeswoman spokesperson minister foreign defence
        defense supreme leader commander ambassador deputy attorney economist analyst professor coach
        manager herr frau monsieur madame m. mme präsident präsidentin bundeskanzler bundeskanzlerin kanzler
        kanzlerin ministre président présidente dame saint st. st lt lt. col col. gen gen. sgt sgt. capt
        capt. maj maj. adm adm. cpl rev rev. fr fr.""".split()  # noqa: SIM905 - word lists read best as text
)
# German compounds: Wirtschaftsminister, Bundeskanzlerin, Parteichef, Regierungssprecherin.
_TITLE_SUFFIXES = (
    "minister",
    "ministerin",
    "präsident",
    "präsidentin",
    "kanzler",
    "kanzlerin",
    "sprecher",
    "sprecherin",
    "chef",
    "chefin",
    "vorsitzende",
    "vorsitzender",
    "ministre",
    "secrétaire",
)
_NOT_PERSON = frozenset(
    """corps party ministry council university department organization organisation union nations states
        republic kingdom guards revolution islamic resistance news agency court house church association
        company inc ltd group bank times post forces army police street road city county state province
        region committee commission institute foundation center centre club team league federation office
        service services international national america europe asia africa productions production sciences
        science rights records studios studio entertainment media network networks press college school
        hospital labs laboratory technologies systems airlines motors holdings partners capital fund trust
        authority board agency institute museum festival awards award prize foundation society coalition
        alliance movement january february march april may june july august september october november
        december monday tuesday wednesday thursday friday saturday sunday the a an this that these those but
        and or if when while after before today yesterday tomorrow later first then also however moments
        meanwhile it we i you there here what why how in on at for with""".split()  # noqa: SIM905 - word lists read best as text
)
_STARTERS = frozenset(
    """because yet as both when while after before but and so if although though since then also however
        meanwhile still even only now here there today yesterday tomorrow later first last next instead
        despite unlike like with without under over about asked according once again perhaps maybe indeed""".split()  # noqa: SIM905 - word lists read best as text
)
# A word right before a capitalised run that makes it a thing, not a person.
_NOT_BEFORE_NAME = frozenset(
    """the a an my our your his her their its of for at in on from into to this that these those""".split()  # noqa: SIM905 - word lists read best as text
)
_CONNECTORS = frozenset(
    {"al-", "bin", "ibn", "de", "van", "von", "der", "den", "da", "di", "du", "la", "le", "del", "el"}
)


@dataclass(slots=True)
class Paragraph:
    text: str
    blockquote: bool = False
    author: str | None = None  # e.g. an embedded tweet's author given by the markup


_UPPER = "A-ZÀ-ÖØ-ÞĀĂĄĆČĎĐĒĘĚĞĪİŁŃŇŌŐŒŘŚŞŠŤŪŮŰŹŻŽА-ЯЁΑ-Ω"
_NAME_WORD = rf"(?:[{_UPPER}][\w’'\-]*\.?|(?:al|el)-[{_UPPER}][\w’'\-]*)"
_NAME_RUN = re.compile(
    rf"(?<![\w’'\-]){_NAME_WORD}(?:[ \u00a0](?:(?:bin|ibn|de|van|von|der|den|da|di|du|la|le|del)[ \u00a0])?{_NAME_WORD})*"
)


def persons(text: str, known: dict[str, str]) -> list[tuple[int, str]]:
    """(position, full name) of people named in text, in order. `known` maps surnames to
    full names seen earlier, so a later "Soleimani" resolves to "Qassem Soleimani"."""
    found: list[tuple[int, str]] = []
    for match in _NAME_RUN.finditer(text):
        words = match.group().split()
        position = match.start()
        before = text[max(0, position - 12) : position].split()
        if before and before[-1].lower() in _NOT_BEFORE_NAME:
            continue  # "the Big Machine", "of Health Sciences", "my Total Endorsement"
        # A possessive or a sentence end splits the run: "Iran’s President Hassan Rouhani".
        run: list[str] = []
        for word in words:
            possessive = word.endswith(("’s", "'s"))
            stop = possessive or (word.endswith(".") and len(word) > 3 and word.lower() not in _TITLES)
            run.append(word[:-2] if possessive else word.rstrip(".") if stop else word)
            if stop:
                _person(run, position, found, known)
                run = []
        if run:
            _person(run, position, found, known)
    return found


def _person(run: list[str], position: int, found: list[tuple[int, str]], known: dict[str, str]) -> None:
    # "Syrian President Bashar al-Assad" -> "Bashar al-Assad": a title ends the prefix.
    cut = 0
    for i, word in enumerate(run):
        lowered = word.lower()
        if lowered in _TITLES or lowered.rstrip(".") in _TITLES or lowered.endswith(_TITLE_SUFFIXES):
            cut = i + 1
    words = [w.rstrip(".") if len(w) > 2 else w for w in run[cut:]]
    while words and words[0].lower() in _STARTERS:
        words.pop(0)  # "Because Dempsey said…", "Yet Sondland…": a capital from the sentence start
    while words and words[-1].lower() in _CONNECTORS:
        words.pop()
    if not words or any(w.lower() in _NOT_PERSON for w in words):
        return
    if any(w.isupper() and len(w) > 1 for w in words):
        return  # acronyms: ISIS, U.S., NATO
    if 2 <= len(words) <= 4:
        name = " ".join(words)
        found.append((position, name))
        known[words[-1]] = name
    elif len(words) == 1 and words[0] in known:
        found.append((position, known[words[0]]))


_SENTENCE_END = re.compile(r"[.!?]\s+")
_ABBREVIATIONS = frozenset(
    """dr mr mrs ms prof st jr sr gen sen rep gov col lt capt sgt no vs mt ft u.s u.k e.g i.e""".split()  # noqa: SIM905 - word lists read best as text
)


def _sentence_before(text: str) -> str:
    """The part of the last sentence of `text` (already cut at the quotation)."""
    start = 0
    for match in _SENTENCE_END.finditer(text):
        word = text[max(0, match.start() - 5) : match.start()].split()
        if word and (word[-1].lower() in _ABBREVIATIONS or len(word[-1]) == 1):
            continue  # "Dr. Helen Wu", "John F. Kennedy"
        start = match.end()
    return text[start:]


def find_quotes(paragraphs: list[Paragraph], inline_quotes: list[str] | None = None) -> list[Quote]:
    quotes: list[Quote] = []
    known: dict[str, str] = {}
    seen: set[str] = set()
    history = ""  # text of earlier paragraphs, for "He said" and for surnames
    learned = 0
    for index, para in enumerate(paragraphs):
        text = para.text
        matches = list(_QUOTE.finditer(text))
        if not matches and not para.blockquote:
            history = (history + " " + text)[-3000:]
            continue
        # Learn full names first (each paragraph once), so a surname alone resolves.
        for earlier in paragraphs[max(learned, index - _LEARN_BACK) : index]:
            persons(earlier.text, known)
        learned = index + 1
        persons(text, known)
        matched = False
        for match in matches:
            quote = next(g for g in match.groups() if g is not None)
            quote = quote.strip().rstrip(",;: ").strip()
            if len(quote.split()) < MIN_WORDS or quote in seen:
                continue
            matched = True
            seen.add(quote)
            speaker = para.author or _speaker(text, match.start(), match.end(), history, known)
            quotes.append(Quote(quote, speaker))
        attribution = text.startswith(("—", "–", "-", "~"))  # "— Jane Doe (@jane) May 1": who, not what
        if para.blockquote and not matched and not attribution and len(text.split()) >= MIN_WORDS and text not in seen:
            seen.add(text)
            quotes.append(Quote(text.strip('“”"«» '), para.author or _speaker(text, 0, len(text), history, known)))
        history = (history + " " + text)[-3000:]
        if len(quotes) >= _MAX_QUOTES:
            break
    for quote in inline_quotes or []:
        if quote not in seen and len(quote.split()) >= MIN_WORDS and len(quotes) < _MAX_QUOTES:
            seen.add(quote)
            quotes.append(Quote(quote, None))
    return quotes


_AFTER_VERB_NAME = re.compile(rf"^[\s,.;:!?\-–—]*(?:{_VERBS}|according to|selon|laut|so)\s+(.{{0,80}})", re.IGNORECASE)
_AFTER_NAME_VERB = re.compile(rf"^[\s,.;:\-–—]*(.{{1,60}}?)\s+(?:\w+\s+)?(?:{_VERBS})\b", re.IGNORECASE)


def _speaker(text: str, start: int, end: int, history: str, known: dict[str, str]) -> str | None:
    after = text[end : end + 160]
    match = _AFTER_VERB_NAME.match(after)
    if match:
        names = persons(match.group(1), known)
        if names and names[0][0] < 30:
            return names[0][1]
        first = match.group(1).split(" ")[0] if match.group(1) else ""
        if _PRONOUN.match(first):
            return _last_person(history + " " + text[:start], known)
        surname = _lone_name(first)
        if surname:
            return known.get(surname, surname)  # '…," said Trump.'
    match = _AFTER_NAME_VERB.match(after)
    if match:
        subject = match.group(1).strip()
        if _PRONOUN.match(subject):
            return _last_person(history + " " + text[:start], known)
        names = persons(subject, known)
        if names:
            return names[-1][1]
        surname = _lone_name(subject)
        if surname:
            return known.get(surname, surname)  # '…," Trump tweeted.'
    before = _sentence_before(text[:start]).strip()
    if not before and history:
        # The quote opens its paragraph: "… He stated," at the end of the previous one.
        tail = history.rstrip()
        if tail.endswith((",", ":", "—", "–")):
            before = _sentence_before(tail)
            return _attribute(before, history[: len(history) - len(before)], known)
        return None
    return _attribute(before, history + " " + text[: start - len(before)], known)


def _lone_name(word: str) -> str | None:
    """A single capitalised word right next to the reporting verb: a surname ("Trump said")."""
    word = word.strip(" ,.;:")
    if not word or " " in word or not word[:1].isupper() or word.isupper():
        return None
    lowered = word.lower()
    if lowered in _NOT_PERSON or lowered in _STARTERS or lowered in _TITLES or not word.replace("-", "").isalpha():
        return None
    return word


def _attribute(sentence: str, earlier: str, known: dict[str, str]) -> str | None:
    """The speaker a sentence leading up to a quotation names, if it has a reporting verb."""
    verb = None
    for verb in _VERB.finditer(sentence):
        pass
    according = _ACCORDING.search(sentence)
    if verb is None and according is None:
        return None
    if according is not None and (verb is None or according.start() > verb.start()):
        names = persons(sentence[according.end() :], known)
        if names:
            return names[0][1]
    cut = verb.start() if verb is not None else len(sentence)
    subject = sentence[:cut]
    names = persons(subject, known)
    if names:
        return names[-1][1]
    words = subject.split()
    if words and _PRONOUN.match(words[-1]):
        return _last_person(earlier, known)
    return None


def _last_person(text: str, known: dict[str, str]) -> str | None:
    # The referent of "he said" is almost always in the last sentence or two.
    names = persons(text[-600:], known)
    return names[-1][1] if names else None
