"""Direct quotations in the body and the person each is attributed to.

A quotation is text between quote marks (“ ”, " ", « », „ “), a <q>, or a <blockquote>. Each
mark is read as opening or closing from the characters beside it, not from its glyph alone,
so “Frozen“ and a “ closed by " still pair; a quotation left open runs to the end of its
paragraph (news style continues it in the next one). Titles and slogans in Title Case
("Make America Great Again") are not quotations. Speakers come from speakers.py.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from scraper.extract.cues import MASK, Context
from scraper.extract.names import Cast, mentions
from scraper.extract.speakers import Attributor, read_in_full
from scraper.models import Quote

MIN_WORDS = 4
_MAX_QUOTES = 200
_MAX_QUOTE_CHARS = 2000
_OPENING_GLYPHS = "“„«‹「"
_CLOSING_GLYPHS = "”»›」"
_MARK_GLYPHS = '"“”„«»‹›「」'  # every quotation mark read (_has_mark spells them out)
_MARK_CHARS = frozenset(_MARK_GLYPHS)
_MARKS = re.compile(f"[{re.escape(_MARK_GLYPHS)}]")
_OPEN_BEFORE = "([{—–-/…\u00a0"
_CLOSE_AFTER = ".,;:!?)]}—–-…’'\u00a0"
_WORD = re.compile(r"[\w’'\-]+")
# Words that stay lowercase in a title ("Make America Great Again", "The Art of the Deal").
_TITLE_SMALL = frozenset("a an the of and or in on at to for by with from as is be".split())  # noqa: SIM905 - word lists read best as text


@dataclass(slots=True)
class Paragraph:
    text: str
    blockquote: bool = False
    author: str | None = None  # e.g. an embedded tweet's author given by the markup


@dataclass(frozen=True, slots=True)
class Span:
    start: int  # the opening mark
    end: int  # just past the closing mark (or the paragraph's end when left open)
    text: str
    unclosed: bool = False


def _role(text: str, i: int) -> str:
    mark = text[i]
    left = text[i - 1] if i else " "
    right = text[i + 1] if i + 1 < len(text) else " "
    opens = left.isspace() or left in _OPEN_BEFORE or left in _MARK_CHARS
    closes = right.isspace() or right in _CLOSE_AFTER
    if opens and not closes:
        return "open"
    if closes and not opens:
        return "close"
    return "open" if mark in _OPENING_GLYPHS else "close" if mark in _CLOSING_GLYPHS else "either"


def _has_mark(text: str) -> bool:
    """Whether `text` holds any of _MARKS' characters: one `in` per mark, each a fast C scan
    (and none at all for a mark wider than the text's characters), costs about a third of the
    regex search, which calls its character-set test once per character."""
    return (
        '"' in text
        or "“" in text
        or "”" in text
        or "„" in text
        or "«" in text
        or "»" in text
        or "‹" in text
        or "›" in text
        or "「" in text
        or "」" in text
    )


def spans(text: str) -> list[Span]:
    if not _has_mark(text):
        return []  # most paragraphs: no mark, so no iterator and no filtering
    found: list[Span] = []
    start: int | None = None
    for match in _MARKS.finditer(text):
        i = match.start()
        role = _role(text, i)
        if start is None:
            if role != "close":
                start = i
        elif role != "open" and i > start + 1:
            found.append(Span(start, i + 1, text[start + 1 : i]))
            start = None
    if start is not None and len(text) - start > 2:
        found.append(Span(start, len(text), text[start + 1 :], unclosed=True))
    return [s for s in found if s.end - s.start <= _MAX_QUOTE_CHARS + 2]


def masked(text: str, quote_spans: list[Span]) -> str:
    """`text` with each quotation blanked out (same length), so names and verbs inside it
    are never taken for the attribution."""
    parts, last = [], 0
    for span in quote_spans:
        parts.append(text[last : span.start])
        parts.append(MASK * (span.end - span.start))
        last = span.end
    parts.append(text[last:])
    return "".join(parts)


def clean_quote(text: str) -> str:
    return text.strip().rstrip(",;: ").strip().strip('“”"«»„').strip()


def is_title(text: str) -> bool:
    """A Title Case run with no sentence in it: a work's title, a slogan, a name."""
    words = _WORD.findall(text)
    if len(words) > 10 or re.search(r"[.!?,;]\s", text):
        return False
    capitals = [w for w in words if w[0].isupper() or w[0].isdigit()]
    return all(w[0].isupper() or w[0].isdigit() or w.lower() in _TITLE_SMALL for w in words) and len(capitals) >= 3


def find_quotes(paragraphs: list[Paragraph], inline_quotes: list[str] | None = None) -> list[Quote]:
    found_spans = [spans(para.text)[:_MAX_QUOTES] for para in paragraphs]
    if not any(p.blockquote for p in paragraphs) and not any(
        _is_quote(clean_quote(s.text)) for f in found_spans for s in f
    ):
        # No quotation marks, or only around titles and short phrases: nothing needs a
        # speaker, so the names and cues (most of the work) are skipped.
        return _inline(inline_quotes, [], set())
    quoting = [bool(found) or para.blockquote for para, found in zip(paragraphs, found_spans, strict=True)]
    full = read_in_full(quoting)
    contexts = []
    cast = Cast()
    for para, found, governed in zip(paragraphs, found_spans, full, strict=True):
        hidden = masked(para.text, found) if found else para.text
        # What word comes before each name is looked for only where the attribution reads it:
        # elsewhere only the Cast reads the names, and never that.
        named = mentions(hidden, governed)
        cast.learn(named)
        contexts.append(Context(para.text, hidden, found, named))
    for context in contexts:
        context.mentions = cast.plausible(context.mentions, context.masked)
        cast.observe(context.masked, context.mentions)
    attributor = Attributor(cast, contexts, quoting)
    quotes: list[Quote] = []
    seen: set[str] = set()
    last = max(i for i, q in enumerate(quoting) if q)  # past it no paragraph gives a quotation
    for index, (para, context) in enumerate(zip(paragraphs[: last + 1], contexts, strict=False)):
        speakers = attributor.paragraph(index)
        matched = False
        for span, speaker in zip(context.spans, speakers, strict=True):
            quote = clean_quote(span.text)
            if quote in seen or not _is_quote(quote):
                continue
            matched = True
            seen.add(quote)
            quotes.append(Quote(quote, para.author or speaker))
        attribution = para.text.startswith(("—", "–", "-", "~"))  # "— Jane Doe (@jane) May 1": who, not what
        text = para.text
        if para.blockquote and not matched and not attribution and len(text.split()) >= MIN_WORDS and text not in seen:
            seen.add(text)
            quotes.append(Quote(text.strip('“”"«» '), para.author or attributor.introduced(index)))
        if len(quotes) >= _MAX_QUOTES:
            break
    return _inline(inline_quotes, quotes, seen)


def _is_quote(quote: str) -> bool:
    """Whether a span's cleaned text is a quotation, not a title or a short phrase."""
    return len(quote.split()) >= MIN_WORDS and not is_title(quote)


def _inline(inline_quotes: list[str] | None, quotes: list[Quote], seen: set[str]) -> list[Quote]:
    """`quotes` and then the inline <q> quotations not already among them, unattributed."""
    for quote in inline_quotes or []:
        if quote not in seen and len(quote.split()) >= MIN_WORDS and len(quotes) < _MAX_QUOTES:
            seen.add(quote)
            quotes.append(Quote(quote, None))
    return quotes
