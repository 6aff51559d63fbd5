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
    EMBED,
    NAME_PARTS,
    PREV_NEXT_CLASS,
    RELATED_BOX,
    TAXONOMY_CLASS,
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
    # TAXONOMY_GATE.search(lowered), spelled as substring tests: a third cheaper than the scan,
    # which runs on most names (tests/test_extract_speed_clean.py holds the two together).
    if "-" in lowered and (
        "tag-" in lowered
        or "tags-" in lowered
        or "cat-" in lowered
        or "category-" in lowered
        or "categories-" in lowered
        or "postid-" in lowered
        or "format-" in lowered
        or "status-" in lowered
        or "type-" in lowered
        or "topic-" in lowered
        or "level-" in lowered
        or "has-" in lowered
    ):
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
    """_flags with every test open. Patterns that are plain word lists are spelled as chains
    of substring tests, two to three times cheaper than a scan each (the tests in
    tests/test_extract_speed_clean.py hold each chain to its pattern)."""
    # COMMENT_NAME.search(names) is not None:
    comments = (
        "disqus" in names
        or "discuz" in names
        or "cookie" in names
        or "consent" in names
        or "gdpr" in names
        or "cmplz" in names
        or "newsletter" in names
        or "login" in names
        or "popup" in names
        or "modal" in names
        or ("comment" in names and COMMENT_NAME.search(names) is not None)  # "comment(?!ar)"
    )
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
    elif (
        "widget" in names or "paywall" in names or "advert" in names  # WEAK_PARTS.search(names)
    ) or not WEAK_TOKENS.isdisjoint(_tokens(names) if tokens is None else tokens):
        flags |= WEAK  # a part that is a widget only when it is a link list
    # CONTENT_HINT.search(names) ("post-?body" holds "body"):
    if (
        "article" in names
        or "content" in names
        or "entry" in names
        or "main" in names
        or "body" in names
        or "story" in names
        or "text" in names
        or "blog" in names
    ):
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
    if maybe_related and (
        RELATED_BOX.search(names) or (("prev" in names or "next" in names) and PREV_NEXT_CLASS.search(names))
    ):
        flags |= RELATED
    return flags


def _tokens(names: str) -> list[str]:
    return names.replace("-", " ").replace("_", " ").split()
