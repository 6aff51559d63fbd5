"""Turn the caller's bytes or str into text lexbor can parse, within fixed bounds.

Bytes are decoded the way a browser would: a byte-order mark first, then a charset declared
in the first bytes of the document, then UTF-8. Invalid sequences become U+FFFD instead of
raising, and input is capped so a hostile page costs bounded time and memory.
"""

from __future__ import annotations

import codecs
import re

from scraper.errors import ExtractionError

# Real article pages are well under this; anything beyond it is scripts, inlined data or an
# attack, and the parser's cost grows with it.
MAX_CHARS = 6_000_000
_SNIFF_BYTES = 4096
_META_CHARSET = re.compile(rb"""<meta[^>]{0,200}?charset\s*=\s*["']?\s*([A-Za-z0-9_.:-]{1,40})""", re.I)
_BOMS = ((codecs.BOM_UTF8, "utf-8"), (codecs.BOM_UTF16_LE, "utf-16-le"), (codecs.BOM_UTF16_BE, "utf-16-be"))
# Labels browsers map to a superset encoding (WHATWG Encoding Standard).
_ALIASES = {"iso-8859-1": "cp1252", "latin1": "cp1252", "latin-1": "cp1252", "ascii": "cp1252",
            "us-ascii": "cp1252", "iso-8859-9": "cp1254", "tis-620": "cp874", "x-sjis": "shift_jis",
            "gb2312": "gb18030", "gbk": "gb18030"}


def to_text(html: str | bytes | bytearray | memoryview) -> str:
    """The document as str, NUL-free and at most MAX_CHARS long."""
    if isinstance(html, (bytearray, memoryview)):
        html = bytes(html)
    if isinstance(html, bytes):
        text = decode_bytes(html[: MAX_CHARS * 4])
    elif isinstance(html, str):
        text = html
    else:
        raise ExtractionError(f"cannot extract from {type(html).__name__}: expected HTML as str or bytes")
    if len(text) > MAX_CHARS:
        text = text[:MAX_CHARS]
    if "\x00" in text:
        text = text.replace("\x00", "")
    return text


def declared_charset(data: bytes) -> str | None:
    """The encoding named by a BOM or a <meta> charset near the top, if Python knows it."""
    for bom, name in _BOMS:
        if data.startswith(bom):
            return name
    match = _META_CHARSET.search(data[:_SNIFF_BYTES])
    if not match:
        return None
    label = match.group(1).decode("ascii", "replace").lower()
    label = _ALIASES.get(label, label)
    try:
        return codecs.lookup(label).name
    except LookupError:
        return None


def decode_bytes(data: bytes) -> str:
    charset = declared_charset(data)
    if charset in (None, "utf-8", "utf-16-le", "utf-16-be"):
        return data.decode(charset or "utf-8", errors="replace").lstrip("\ufeff")
    # A common mislabel: the page says latin-1 or windows-125x but the server sends UTF-8.
    # Valid multi-byte UTF-8 is almost never accidental, so it wins.
    if not data.isascii():
        try:
            return data.decode("utf-8")
        except UnicodeDecodeError:
            pass
    return data.decode(charset, errors="replace")
