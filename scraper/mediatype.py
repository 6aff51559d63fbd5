"""What a response really is: the declared media type, corrected by sniffing the body.

Servers send PDFs, images and random bytes as ``text/html``; counting those as HTML would
feed garbage to the extractor. Only known magic numbers and bodies that are clearly not
text override a declared HTML type; anything else the server says is believed.
"""

from __future__ import annotations

from scraper.charset import bom_charset

HTML_TYPES = frozenset({"text/html", "application/xhtml+xml"})

MAGIC: tuple[tuple[bytes, str], ...] = (
    (b"%PDF-", "application/pdf"),
    (b"\x89PNG\r\n\x1a\n", "image/png"),
    (b"GIF87a", "image/gif"),
    (b"GIF89a", "image/gif"),
    (b"\xff\xd8\xff", "image/jpeg"),
    (b"RIFF", "application/octet-stream"),  # WebP, WAV, AVI: binary either way
    (b"PK\x03\x04", "application/zip"),
    (b"\x1f\x8b", "application/gzip"),
    (b"BZh", "application/x-bzip2"),
    (b"\xfd7zXZ\x00", "application/x-xz"),
    (b"\x00\x00\x01\x00", "image/x-icon"),
    (b"wOFF", "font/woff"),
    (b"wOF2", "font/woff2"),
    (b"OggS", "application/ogg"),
    (b"\x1aE\xdf\xa3", "video/webm"),
    (b"ID3", "audio/mpeg"),
)

HTML_STARTS = (b"<!doctype html", b"<html", b"<head", b"<body", b"<!--", b"<title", b"<meta", b"<p>", b"<div")

# The bytes WHATWG's MIME sniffing calls "binary data bytes": never in real text.
BINARY_BYTES = frozenset([*range(0x09), 0x0B, *range(0x0E, 0x1B), *range(0x1C, 0x20)])
SNIFF_BYTES = 1024


def media_type(header: str | None) -> tuple[str, str | None]:
    """('text/html', 'utf-8') from 'text/html; charset="UTF-8"'; ('', None) when absent."""
    if not header:
        return "", None
    kind, _, params = header.partition(";")
    charset = None
    for param in params.split(";"):
        key, _, value = param.partition("=")
        if key.strip().lower() == "charset":
            charset = value.strip().strip("\"'") or None
    return kind.strip().lower(), charset


def magic_type(body: bytes) -> str | None:
    for magic, kind in MAGIC:
        if body.startswith(magic):
            return kind
    return None


def looks_binary(body: bytes) -> bool:
    """True when the start of the body is not text: many control bytes and no markup."""
    if bom_charset(body):
        return False
    sample = body[:SNIFF_BYTES]
    if not sample:
        return False
    if sample.lstrip()[:1] == b"<":
        return False  # markup with a stray NUL or two is still markup
    controls = sum(1 for byte in sample if byte in BINARY_BYTES)
    return controls / len(sample) > 0.01


def looks_html(body: bytes) -> bool:
    start = body[:SNIFF_BYTES].removeprefix(b"\xef\xbb\xbf").lstrip().lower()
    return start.startswith(HTML_STARTS)


def sniff(declared: str, body: bytes) -> str:
    """The media type to act on, given the declared one (may be '') and the body."""
    if declared in HTML_TYPES or declared in ("", "text/plain", "application/octet-stream", "unknown/unknown"):
        real = magic_type(body)
        if real:
            return real
    if declared in HTML_TYPES:
        return "application/octet-stream" if looks_binary(body) else declared
    if not declared:
        if looks_html(body):
            return "text/html"
        return "application/octet-stream" if looks_binary(body) else "text/plain"
    return declared


def not_html(body: bytes) -> str | None:
    """Why a file given as HTML is not HTML (its kind, in words), or None when it may well be."""
    if body.lstrip()[:5] in (b"WARC/", b"filed"):  # "filedesc://" opens an ARC file
        return "a WARC/ARC file: use scrape import-warc"
    real = magic_type(body) or ("application/octet-stream" if looks_binary(body) else None)
    if real:
        return real
    if b"<" not in body[:SNIFF_BYTES]:
        return "no markup in it"
    return None
