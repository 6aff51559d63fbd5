"""Turn the caller's bytes or str into text lexbor can parse, within fixed bounds.

Bytes are decoded by scraper.charset, as fetched pages are: a byte-order mark first, then a
charset declared in the first bytes of the document, then detection. Invalid sequences become
U+FFFD instead of raising, and input is capped so a hostile page costs bounded time and memory.
"""

from __future__ import annotations

import codecs
import re

from scraper.charset import choose_charset, decode_html
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


def to_text(html: str | bytes | bytearray | memoryview) -> str:
    """The document as str, NUL-free and at most MAX_CHARS long."""
    if isinstance(html, (bytearray, memoryview)):
        html = bytes(html)
    tags: int | None = None  # how many "<" the text holds, when the bytes already said
    if isinstance(html, bytes):
        # The same decoding as for fetched pages, so a saved file extracts as its fetch did.
        text, tags = _decoded(html[: MAX_CHARS * 4])
    elif isinstance(html, str):
        text = html
    else:
        raise ExtractionError(f"cannot extract from {type(html).__name__}: expected HTML as str or bytes")
    if len(text) > MAX_CHARS:
        text, tags = text[:MAX_CHARS], None
    if tags is None and "\x00" in text:  # (decoded bytes are NUL-free already)
        text = text.replace("\x00", "")
    if len(text) > _MANY_TAGS * 3 and (text.count("<") if tags is None else tags) > _MANY_TAGS:
        text = flatten_deep_nesting(text)
    return text


def _decoded(body: bytes) -> tuple[str, int | None]:
    """decode_html(body)'s text, and its count of "<" when the bytes give it cheaply.

    Most pages are UTF-8 without a BOM or NULs: then decode_html's answer is the plain decode,
    and its scans of the text (for NULs, and ours for tags) can be done on the bytes instead,
    which is several times faster on the wide strings that non-Latin-1 text makes."""
    if b"\x00" not in body and not body.startswith(codecs.BOM_UTF8) and choose_charset(body, None) == "utf-8":
        # "<" is ASCII: a replaced invalid sequence never swallows one, so the counts agree.
        return body.decode("utf-8", errors="replace"), body.count(b"<")
    return decode_html(body)[0], None


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
