"""What an element's class and id names say, as flags: a pure function of the strings.

BOILER (a widget), WEAK (a part that is a widget only as a link list), HINTED (article-ish),
RELATED (related / prev-next box), COMMENTS (a comment thread, cookie banner or pop-up: a
widget that never wraps the article). The class attribute and the id are classified apart
and their flags joined.
"""

from __future__ import annotations

from functools import lru_cache

from scraper.extract.selectors import (
    BOILERPLATE_PARTS,
    BOILERPLATE_TOKENS,
    COMMENT_NAME,
    CONTENT_HINT,
    EMBED,
    NAME_PARTS,
    PREV_NEXT_CLASS,
    RELATED_BOX,
    TAXONOMY_CLASS,
    TAXONOMY_GATE,
    WEAK_PARTS,
    WEAK_TOKENS,
)

BOILER, HINTED, RELATED, WEAK, COMMENTS = 1, 2, 4, 8, 16
# Not a judgement: the class may hold a hiding utility class (selectors.HIDDEN_CLASS). Set on
# every class string in which lexbor could match one (its case folding is ASCII-only, which
# str.lower() covers), so clean.py runs that query only on pages where it can find something.
MAY_HIDE = 32


def _acted_on(flags: int) -> bool:
    return bool(flags & (BOILER | RELATED)) or flags & (WEAK | HINTED) == WEAK


# USED[flags]: whether clean.py or links.py acts on an element with these flags (a widget, a
# weak widget not also named like the article, a related box); the rest need not be listed.
USED = tuple(_acted_on(flags) for flags in range(MAY_HIDE * 2))


def class_flags(classes: str) -> int:
    """Flags of a class attribute, CMS taxonomy classes aside (pure, memoised)."""
    return class_marks(classes) & ~MAY_HIDE


# Sized for the distinct names of a long crawl: at 8192 the cache thrashed on unique ids.
@lru_cache(maxsize=1 << 17)
def class_marks(classes: str) -> int:
    """class_flags, plus MAY_HIDE (pure, memoised)."""
    lowered = classes.lower()
    hide = MAY_HIDE if "hidden" in lowered or "d-none" in lowered or not classes.isascii() else 0
    if "-" in lowered and TAXONOMY_GATE.search(lowered):
        # CMS taxonomy classes describe the article, not a widget: WordPress puts
        # "category-social-media tag-ads" on the <article> itself.
        lowered = TAXONOMY_CLASS.sub(" ", lowered)
    return (_flags(lowered) if lowered.strip() else 0) | hide


@lru_cache(maxsize=1 << 17)
def id_flags(ident: str) -> int:
    """Flags of an id attribute (pure, memoised)."""
    return _flags(ident.lower())


def _flags(names: str) -> int:
    """Flags for one lower-cased class or id string. The costly tests run only when an
    earlier one leaves the answer open."""
    if NAME_PARTS.search(names) is None:
        # No pattern can match: whole-word tokens decide, as below.
        tokens = names.replace("-", " ").replace("_", " ").split()  # _tokens(), inline on this hot path
        if not BOILERPLATE_TOKENS.isdisjoint(tokens) and not (EMBED.search(names) and "comment" not in names):
            return BOILER
        return WEAK if not WEAK_TOKENS.isdisjoint(tokens) else 0
    return _judged(names)


def _judged(names: str) -> int:
    """_flags with every test open."""
    comments = COMMENT_NAME.search(names) is not None
    flags = COMMENTS if comments else 0
    match = BOILERPLATE_PARTS.search(names)
    tokens = None
    if match and (comments or match.group() != "comment"):
        boiler = True
    else:
        tokens = _tokens(names)
        boiler = not BOILERPLATE_TOKENS.isdisjoint(tokens)
    if boiler and not (EMBED.search(names) and "comment" not in names):
        # (Embedded posts are part of the story even in "social-embed" wrappers.)
        flags |= BOILER
    elif WEAK_PARTS.search(names) or not WEAK_TOKENS.isdisjoint(_tokens(names) if tokens is None else tokens):
        flags |= WEAK  # a part that is a widget only when it is a link list
    if CONTENT_HINT.search(names):
        flags |= HINTED
    # Cheap substring gate first: most names mention none of these.
    maybe_related = (
        "rel" in names
        or "read" in names
        or "see" in names
        or "also" in names
        or "more" in names
        or "nav" in names
        or "prev" in names
        or "next" in names
    )
    if maybe_related and (RELATED_BOX.search(names) or PREV_NEXT_CLASS.search(names)):
        flags |= RELATED
    return flags


def _tokens(names: str) -> list[str]:
    return names.replace("-", " ").replace("_", " ").split()
