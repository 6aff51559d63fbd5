"""The names in one run of capitalised words, all that does not depend on the text around it.

A run ("President Barack Obama’s", "The", "Fox News") splits where a word is possessive or
ends a sentence; each piece loses the titles before it ("Sen.", "President", "Mr.") and the
sentence openers ("But", "When"), and what is left is a person, an organisation or nothing.
Every function here is pure and memoised: the same runs and words recur on every page.
"""

from __future__ import annotations

from functools import lru_cache

from scraper.extract import speaker_words as w

# (offset in the run, length, name, org, gender from a title, possessive) of each name in a run
RunName = tuple[int, int, str, bool, str | None, bool]

_MAX_PERSON_WORDS = 4
_LEADING_JUNK = w.NOT_NAME | w.CONNECTORS | w.REPORTING_VERBS
# A one-word run that is one of these (lowered) is no name: _title's sets and the early
# outs of _lone_word_is_no_name, in one lookup.
_NO_LONE_NAME = w.TITLES | w.PLACE_PREFIXES | _LEADING_JUNK
_POSSESSIVE = ("’s", "'s", "s’", "s'")


@lru_cache(maxsize=16_384)  # pure, and called for every capitalised word of every paragraph
def _title(word: str) -> bool:
    lowered = word.lower()
    return lowered in w.TITLES or lowered.rstrip(".") in w.TITLES or lowered.endswith(w.TITLE_SUFFIXES)


def initial(word: str) -> bool:
    return len(word) == 2 and word[1] == "." and word[0].isupper()


@lru_cache(maxsize=32_768)  # pure; the same runs ("The", "But", "Donald Trump") recur on every page
def names_in_run(run_text: str) -> tuple[RunName, ...]:
    """The names in one capitalised run, split where a word is possessive or ends a sentence."""
    if " " not in run_text and "\u00a0" not in run_text:
        return _one_word_run(run_text)  # most runs: "Trump", "Monday", "The"
    if "’" in run_text or "'" in run_text:
        return _split_run(run_text)  # "President Trump’s": rare
    if "." not in run_text:
        return _plain_run(run_text)  # "Donald Trump", "Fox News": one piece, nothing to split
    return _dotted_run(run_text)  # "Sen. Ted Cruz", "Saudi Arabia. These"


def _plain_run(run_text: str) -> tuple[RunName, ...]:
    """names_in_run for a run of several words with no apostrophe and no word that ends a
    sentence (_dotted_run looks): _word gives every word back as it is, so the run is one piece, and
    its words' offsets need no search when one character separates each (as the run regex joins
    them); otherwise the general loop finds them."""
    words = run_text.split()
    if not _single_spaced(run_text, words):
        return _split_run(run_text)  # a longer gap, or a blank at an end (only from other callers)
    return _one_piece(words)


def _single_spaced(run_text: str, words: list[str]) -> bool:
    """Whether one character separates each of run_text's words, as the run regex joins them."""
    return len(run_text) == sum(map(len, words)) + len(words) - 1


def _one_piece(words: list[str]) -> tuple[RunName, ...]:
    """The name in a single-spaced run that is one piece, with offsets from the word lengths."""
    named = _run_name(tuple(words))
    if named is None:
        return ()
    first, last, name, org, gender = named
    start = sum(map(len, words[:first])) + first
    end = sum(map(len, words[: last + 1])) + last
    return ((start, end - start, name, org, gender, False),)


def _dotted_run(run_text: str) -> tuple[RunName, ...]:
    """names_in_run for a run of several words with a "." and no apostrophe. No word is
    possessive (every possessive ending has an apostrophe), and only a word ending in "." can
    end a sentence: _word gives every other word back as it is, so it is asked of those alone,
    and the run splits only after the ones that end a sentence. The words' offsets come from
    their lengths, as in _plain_run."""
    words = run_text.split()
    if not _single_spaced(run_text, words):
        return _split_run(run_text)  # a longer gap, or a blank at an end (only from other callers)
    cuts = [i for i, word in enumerate(words) if word[-1] == "." and _word(word)[2]]
    if not cuts:
        return _one_piece(words)  # "Sen. Ted Cruz", "U.S. officials": one piece
    starts, at = [], 0
    for word in words:
        starts.append(at)
        at += len(word) + 1
    names: list[RunName] = []
    first = 0  # the first word of the piece
    for cut in cuts:
        piece = words[first : cut + 1]
        piece[-1] = piece[-1].rstrip(".")  # what _word makes of a word that ends a sentence
        _add(piece, starts[first : cut + 1], names, False)
        first = cut + 1
    if first < len(words):
        _add(words[first:], starts[first:], names, False)
    return tuple(names)


def _split_run(run_text: str) -> tuple[RunName, ...]:
    """names_in_run's general loop, for a run of several words."""
    names: list[RunName] = []
    words: list[str] = []  # the piece of the run so far, as name parts
    starts: list[int] = []
    offset = 0
    for word in run_text.split():
        start = run_text.index(word, offset)
        offset = start + len(word)
        clean, possessive, ends = _word(word)
        words.append(clean)
        starts.append(start)
        if possessive or ends:
            _add(words, starts, names, possessive)
            words, starts = [], []
    if words:
        _add(words, starts, names, False)
    return tuple(names)


def _one_word_run(word: str) -> tuple[RunName, ...]:
    """names_in_run for a run of one word: what _word, _add and _run_name conclude for it,
    without their lists and lookups (most such words occur once, so their caches would miss)."""
    if word[-1] == ".":
        clean, possessive, _ = _word(word)  # a sentence end or an abbreviation: the full rules
    elif "’" not in word and "'" not in word:
        clean, possessive = word, False  # most words: nothing to strip
    else:
        possessive = len(word) > 2 and word.endswith(_POSSESSIVE)
        clean = word[:-2] if word.endswith(("’s", "'s")) else word.rstrip("’'") if possessive else word
    lowered = clean.lower()
    if lowered in _NO_LONE_NAME or lowered.rstrip(".") in w.TITLES or lowered.endswith(w.TITLE_SUFFIXES):
        return ()  # a title, a place prefix, a sentence opener, a connector ("De")
    upper = clean.isupper()
    org = lowered.rstrip(".") in w.ORG_WORDS or (upper and 2 <= len(clean) <= 6 and clean.isalpha())
    if not org:
        if upper and len(clean) > 2 and lowered not in w.SUFFIXES:
            return ()  # an acronym that is no organisation
        if initial(clean) or lowered in w.SUFFIXES:
            return ()  # "J.", "Jr.": no core word
        # A word all letters has no "-" or "’" to drop: isalpha() first spares the copies.
        if len(clean) < 2 or not (clean.isalpha() or clean.replace("-", "").replace("’", "").isalpha()):
            return ()
    return ((0, len(clean), clean, org, None, possessive),)


@lru_cache(maxsize=16_384)
def _lone_word_is_no_name(word: str) -> bool:
    """What _add concludes early for a one-word run: a title, a place prefix, a non-name word."""
    lowered = word.lower()
    return _title(word) or lowered in w.PLACE_PREFIXES or lowered in _LEADING_JUNK


@lru_cache(maxsize=16_384)
def _word(word: str) -> tuple[str, bool, bool]:
    """(the word as a name part, whether it is possessive, whether it ends a sentence)."""
    possessive = word.endswith(_POSSESSIVE) and len(word) > 2
    lowered = word.lower()
    ends = word.endswith(".") and not initial(word) and not _title(word)
    ends = ends and lowered not in w.SUFFIXES and lowered.rstrip(".") not in w.ABBREVIATIONS
    ends = ends or (word.endswith(".") and "." in word[:-1] and len(word) > 4)  # "U.S." at a sentence end
    clean = word[:-2] if word.endswith(("’s", "'s")) else word.rstrip("’'") if possessive else word
    return (clean.rstrip(".") if ends else clean), possessive, ends


def _add(words: list[str], starts: list[int], found: list[RunName], possessive: bool) -> None:
    """The name in one piece of a run (its words and where each starts), if it has one."""
    if len(words) == 1 and _lone_word_is_no_name(words[0]):
        return  # often one capital opening a sentence ("The", "But", "Monday")
    named = _run_name(tuple(words))
    if named is None:
        return
    first, last, name, org, gender = named
    start = starts[first]
    found.append((start, starts[last] + len(words[last]) - start, name, org, gender, possessive))


@lru_cache(maxsize=32_768)  # pure; a word recurs in many runs ("Donald" in "Donald Trump", "Donald J.")
def _plain_word(word: str) -> bool:
    """Whether `word` is none of what _run_name looks for: no title, place prefix, opener,
    connector, organisation word, non-name word, suffix, capitals only or initial. A run of
    such words is a person's name as it stands."""
    lowered = word.lower()
    stripped = lowered.rstrip(".")
    return not (
        lowered in w.TITLES
        or stripped in w.TITLES
        or lowered.endswith(w.TITLE_SUFFIXES)
        or lowered in w.PLACE_PREFIXES
        or lowered in _LEADING_JUNK  # NOT_NAME and CONNECTORS among them
        or stripped in w.ORG_WORDS
        or lowered in w.SUFFIXES
        or word.isupper()  # an initial ("J.") too
    )


@lru_cache(maxsize=32_768)  # pure; the same word sequences recur inside different runs
def _run_name(run_words: tuple[str, ...]) -> tuple[int, int, str, bool, str | None] | None:
    """(index of the first and of the last word, name, org, gender) of the name in a run's words."""
    if 2 <= len(run_words) <= _MAX_PERSON_WORDS and all(map(_plain_word, run_words)):
        # Most new runs ("Donald Trump"): no title cuts them, no word is trimmed off either end,
        # none makes an organisation or rules a person out, and each is a core word.
        return 0, len(run_words) - 1, " ".join(run_words), False, None
    lows = [word.lower() for word in run_words]  # each word lowered once, not once per test
    cut, gender = 0, None
    for i, lowered in enumerate(lows):
        # _title(word), on the word lowered already: this runs for every word of every new run
        if lowered in w.TITLES or lowered.rstrip(".") in w.TITLES or lowered.endswith(w.TITLE_SUFFIXES):
            if i and initial(run_words[i]):
                continue  # "Steven M. Rosenthal", but "M. Macron"
            cut = i + 1
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
    tokens = run_words[first:last]
    if len(tokens) > 1 and tokens[0].isupper() and all(t.isupper() for t in tokens):
        return None  # "AUSTRALIAN OLYMPIC TEAM": a shouted headline, not a name
    span = lows[first:last]
    if not w.ORG_WORDS.isdisjoint([low.rstrip(".") for low in span]) or (
        len(tokens) == 1 and tokens[0].isupper() and 2 <= len(tokens[0]) <= 6 and tokens[0].isalpha()
    ):
        if not cut:  # an organisation keeps its run whole ("Fox News", "Clinton Foundation")
            org_words = [i for i, low in enumerate(lows) if low not in w.NOT_NAME or low in ("new", "national")]
            while org_words and lows[org_words[0]] in w.NOT_NAME:
                org_words = org_words[1:]
            if org_words:
                return org_words[0], org_words[-1], " ".join(run_words[i] for i in org_words), True, gender
        return first, last - 1, " ".join(tokens), True, gender  # after a title ("Speaker of the House")
    core = 0
    for word, low in zip(tokens, span, strict=True):
        if low in w.NOT_NAME or (word.isupper() and len(word) > 2 and low not in w.SUFFIXES):
            return None  # "Tuesday", "American", acronyms inside: not a person's name
        core += not (len(word) == 2 and word[1] == "." and word[0].isupper()) and low not in w.SUFFIXES  # initial()
    if not core or core > _MAX_PERSON_WORDS:
        return None
    if len(tokens) == 1 and (
        len(tokens[0]) < 2 or not (tokens[0].isalpha() or tokens[0].replace("-", "").replace("’", "").isalpha())
    ):
        return None
    return first, last - 1, " ".join(tokens), False, gender
