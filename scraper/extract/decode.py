"""Turn the caller's bytes or str into text lexbor can parse, within fixed bounds.

Bytes are decoded by scraper.charset, as fetched pages are: a byte-order mark first, then a
charset declared in the first bytes of the document, then detection. Invalid sequences become
U+FFFD instead of raising, and input is capped so a hostile page costs bounded time and memory.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from scraper.charset import bom_charset, choose_charset, declared_charset, decode_html
from scraper.errors import ExtractionError

# Real article pages are well under this; anything beyond it is scripts, inlined data or an
# attack, and the parser's cost grows with it.
MAX_CHARS = 6_000_000
_SNIFF_BYTES = 4096
# Pages with more tags than this get their nesting depth checked (normal pages have a few thousand).
_MANY_TAGS = 20_000
MAX_DEPTH = 400
_TAG = re.compile(r"<(/?)([A-Za-z][A-Za-z0-9-]{0,30})\b[^<>]{0,2000}>")
# Elements whose end tag may be left out: they must not count as nesting.
_OPTIONAL_END = frozenset(
    """p li dt dd option optgroup tr td th tbody thead tfoot colgroup rb rt rp html head body""".split()  # noqa: SIM905 - word lists read best as text
)
_VOID = frozenset(
    ["area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "param", "source", "track", "wbr"]
)


@dataclass(frozen=True, slots=True)
class Decoded:
    """The document as text, and the same text as UTF-8 when the caller's bytes are exactly that."""

    text: str
    # text.encode("utf-8") when the input bytes already were it (valid UTF-8, nothing cut or
    # dropped): lexbor parses UTF-8 bytes, so handing it these spares a re-encode of the page.
    utf8: bytes | None = None

    @property
    def markup(self) -> str | bytes:
        """What to give LexborHTMLParser: the same bytes it would encode `text` to, or `text`."""
        return self.utf8 if self.utf8 is not None else self.text


def to_text(html: str | bytes | bytearray | memoryview) -> str:
    """The document as str, NUL-free and at most MAX_CHARS long."""
    return decode(html).text


def decode(html: str | bytes | bytearray | memoryview) -> Decoded:
    """to_text's text, with its UTF-8 bytes when those are the caller's own."""
    if isinstance(html, (bytearray, memoryview)):
        html = bytes(html)
    # The bytes the text was decoded from when they are NUL-free and hold as many "<" as it
    # does: counting on them is cheaper. Counted only for long pages, where the count matters.
    counted: bytes | None = None
    utf8: bytes | None = None
    if isinstance(html, bytes):
        # The same decoding as for fetched pages, so a saved file extracts as its fetch did.
        text, counted, utf8 = _decoded(html[: MAX_CHARS * 4])
    elif isinstance(html, str):
        text = html
    else:
        raise ExtractionError(f"cannot extract from {type(html).__name__}: expected HTML as str or bytes")
    if len(text) > MAX_CHARS:
        text, counted, utf8 = text[:MAX_CHARS], None, None
    if counted is None and "\x00" in text:  # (such bytes are NUL-free already)
        text = text.replace("\x00", "")
    if len(text) > _MANY_TAGS * 3 and (text.count("<") if counted is None else counted.count(b"<")) > _MANY_TAGS:
        text, utf8 = flatten_deep_nesting(text), None
    return Decoded(text, utf8)


def _decoded(body: bytes) -> tuple[str, bytes | None, bytes | None]:
    """decode_html(body)'s text; `body` when it is NUL-free and holds the text's "<" (so the
    tags can be counted on it); and `body` again when the text is exactly its UTF-8 decoding.

    Most pages are UTF-8 without a BOM or NULs: then decode_html's answer is the plain decode,
    and its scans of the text (for NULs, and ours for tags) can be done on the bytes instead,
    which is several times faster on the wide strings that non-Latin-1 text makes."""
    if b"\x00" not in body and bom_charset(body) is None:
        declared = declared_charset(body)
        if declared in (None, "utf-8"):
            try:
                # Strict: valid UTF-8 round-trips, so `body` is the text's own encoding.
                text = body.decode("utf-8")
            except UnicodeDecodeError:
                pass
            else:
                # With no declaration choose_charset would detect, and detection calls any
                # valid UTF-8 UTF-8 (its 64 KB sample is a prefix: at worst a character cut at
                # its end, which it accepts): no need to ask.
                return text, body, body
        if choose_charset(body, None) == "utf-8":
            # "<" is ASCII: a replaced invalid sequence never swallows one, so the counts agree.
            return body.decode("utf-8", errors="replace"), body, None
    return decode_html(body)[0], None, None


def flatten_deep_nesting(text: str, limit: int = MAX_DEPTH) -> str:
    """Drop start and end tags nested deeper than `limit`, keeping all text.

    HTML tree construction checks the stack of open elements for every tag, so parsing
    100,000 nested <div>s takes minutes. No article needs more than a few dozen levels.
    Runs only on pages with very many tags; linear in the input.
    """
    depth = 0
    excess = 0

    def visit(match: re.Match[str]) -> str:
        nonlocal depth, excess
        closing, name = match.group(1), match.group(2).lower()
        if name in _VOID or name in _OPTIONAL_END or match.group(0).endswith("/>"):
            return match.group(0)
        if not closing:
            if depth >= limit:
                excess += 1
                return ""
            depth += 1
            return match.group(0)
        if excess:
            excess -= 1
            return ""
        depth = max(0, depth - 1)
        return match.group(0)

    return _TAG.sub(visit, text)
