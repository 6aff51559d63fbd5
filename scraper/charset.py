"""Turn an HTML body into text: never raises, never returns NUL characters.

The charset is taken, in order, from a byte-order mark, the HTTP header, a ``<meta>``
(or XML) declaration near the top, and finally detection. The BOM goes first, as in the
WHATWG encoding-sniffing algorithm: a BOM cannot be there by accident, while headers are
often set by a server default that knows nothing about the file. Invalid bytes become
U+FFFD instead of failing the page.
"""

from __future__ import annotations

import codecs
import re

import charset_normalizer

BOMS: tuple[tuple[bytes, str], ...] = (
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)

# Labels that browsers decode as windows-1252 (a superset that maps the 0x80-0x9F range to
# printable characters instead of C1 controls); real pages labelled latin-1 rely on this.
WINDOWS_1252_ALIASES = {"iso-8859-1", "iso8859-1", "latin-1", "latin1", "l1", "ascii", "us-ascii", "cp819"}

# Enough to cover <meta> declarations after a long <title> or inline <style>.
PRESCAN_BYTES = 4096
META_CHARSET = re.compile(rb"""<meta[^>]*?charset\s*=\s*["']?\s*([a-zA-Z0-9_:.\-]+)""", re.IGNORECASE)
XML_ENCODING = re.compile(rb"""^<\?xml[^>]*?encoding\s*=\s*["']([a-zA-Z0-9_.\-]+)""")
DETECT_BYTES = 64_000


def codec_name(label: str | None) -> str | None:
    """Python's codec name for a charset label, or None when the label is unknown."""
    if not label:
        return None
    label = label.strip().strip("\"'").lower()
    if label in WINDOWS_1252_ALIASES:
        return "cp1252"
    try:
        name = codecs.lookup(label).name
    except LookupError:
        return None
    return name


def bom_charset(body: bytes) -> str | None:
    for bom, name in BOMS:
        if body.startswith(bom):
            return name
    return None


def declared_charset(body: bytes) -> str | None:
    """The charset named by a <meta> tag or an XML declaration in the first few KB."""
    head = body[:PRESCAN_BYTES]
    match = XML_ENCODING.match(head.lstrip()) or META_CHARSET.search(head)
    if not match:
        return None
    name = codec_name(match.group(1).decode("ascii", "replace"))
    # A file cannot really declare UTF-16 from inside itself: the declaration was just read
    # as ASCII, so browsers take it as UTF-8.
    if name and name.startswith("utf-16"):
        return "utf-8"
    return name


def detect_charset(body: bytes) -> str:
    """Guess the charset of undeclared bytes: UTF-8 if valid, else windows-1252 or a detector's pick."""
    sample = body[:DETECT_BYTES]
    try:
        sample.decode("utf-8")
        return "utf-8"
    except UnicodeDecodeError as exc:
        # A multi-byte character cut by the sample's end is still valid UTF-8.
        if exc.start >= len(sample) - 3 and len(body) > len(sample):
            return "utf-8"
    results = charset_normalizer.from_bytes(sample)
    best = results.best()
    # Without a BOM, HTML is never taken as UTF-16/32 (as in WHATWG's sniffing): a detector
    # only picks those for binary-looking bytes, which are better shown as windows-1252.
    if best is None or best.encoding.startswith(("utf_16", "utf_32")):
        return "cp1252"
    try:
        western = sample.decode("cp1252")
    except UnicodeDecodeError:
        return codec_name(best.encoding) or "cp1252"
    # Detectors pick between near-identical Latin code pages at random on short text;
    # windows-1252 is the web's default and right whenever it reads as well as the pick.
    if str(best) == western:
        return "cp1252"
    for candidate in results:
        if codec_name(candidate.encoding) == "cp1252" and candidate.chaos <= best.chaos + 0.05:
            return "cp1252"
    return codec_name(best.encoding) or "cp1252"


def header_charset_fits(name: str | None, body: bytes) -> str | None:
    """The header's charset, unless it claims UTF-16/32 for a body that is plainly 8-bit text."""
    if name and name.startswith(("utf-16", "utf-32")) and b"\x00" not in body[:64] and body[:64].strip():
        return None
    return name


def choose_charset(body: bytes, header_charset: str | None) -> str:
    return (bom_charset(body) or header_charset_fits(codec_name(header_charset), body) or declared_charset(body)
            or detect_charset(body))


def decode_html(body: bytes, header_charset: str | None = None) -> tuple[str, str]:
    """(text, charset used). Invalid bytes are replaced and NULs dropped; never raises."""
    charset = choose_charset(body, header_charset)
    bom = bom_charset(body)
    data = body[len(codecs.BOM_UTF8) if bom == "utf-8" else 2 :] if bom and bom == charset else body
    try:
        text = data.decode(charset, errors="replace")
    except (LookupError, ValueError):  # a codec Python knows by name but cannot decode with
        charset = "utf-8"
        text = body.decode(charset, errors="replace")
    return text.replace("\x00", ""), charset
