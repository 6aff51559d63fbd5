"""Content-decoding with a hard cap on output, so a compression bomb stops at the limit.

httpx's own decoders inflate a whole network chunk at once (a 64 KB gzip chunk can become
64 MB before anyone counts). These decoders never produce more than the bytes still
allowed, plus one to prove the limit was crossed.
"""

from __future__ import annotations

import zlib
from typing import Protocol

try:
    import brotli  # type: ignore[import-untyped]

    # Only brotli >= 1.2 can bound its output; without that a few hundred bytes can
    # inflate to gigabytes in one call, so older versions are not offered to servers.
    brotli.Decompressor().process(b"", output_buffer_limit=1)
except (ImportError, TypeError):  # pragma: no cover - depends on the installed brotli
    brotli = None


class Overflow(Exception):
    """The decoded output went past the allowed number of bytes."""


class DecodeFailed(Exception):
    """The body is not valid data for its Content-Encoding."""


class EndsEarly(Exception):
    """The compressed stream stopped before its end marker: the body was cut short."""


class Decoder(Protocol):
    def feed(self, data: bytes, limit: int) -> bytes: ...

    def flush(self, limit: int) -> bytes: ...

    @property
    def complete(self) -> bool: ...


class Identity:
    complete = True

    def feed(self, data: bytes, limit: int) -> bytes:
        if len(data) > limit:
            raise Overflow
        return data

    def flush(self, limit: int) -> bytes:
        return b""


class Zlib:
    """gzip (any number of members) or deflate (zlib-wrapped, or raw as some servers send)."""

    def __init__(self, gzip: bool) -> None:
        self.gzip = gzip
        self.raw_fallback = not gzip
        self.obj = zlib.decompressobj(zlib.MAX_WBITS | 16 if gzip else zlib.MAX_WBITS)
        self.done = False
        self.fed = False  # an empty body (304, 204) is complete with no stream at all

    def feed(self, data: bytes, limit: int) -> bytes:
        out = bytearray()
        self.fed = self.fed or bool(data)
        while data and not self.done:
            try:
                chunk = self.obj.decompress(data, limit - len(out) + 1)
            except zlib.error as exc:
                if self.raw_fallback:
                    self.raw_fallback = False
                    self.obj = zlib.decompressobj(-zlib.MAX_WBITS)
                    continue
                raise DecodeFailed(str(exc)) from None
            self.raw_fallback = False
            out += chunk
            if len(out) > limit:
                raise Overflow
            if self.obj.unconsumed_tail:
                data = self.obj.unconsumed_tail
            elif self.obj.eof:
                data = self.obj.unused_data
                if self.gzip and data.lstrip(b"\x00"):
                    self.obj = zlib.decompressobj(zlib.MAX_WBITS | 16)  # next gzip member
                else:
                    self.done = True  # trailing junk after the stream is ignored, as browsers do
            else:
                data = b""
        return bytes(out)

    @property
    def complete(self) -> bool:
        return not self.fed or self.done or self.obj.eof

    def flush(self, limit: int) -> bytes:
        out = self.obj.flush() if not self.done else b""
        if len(out) > limit:
            raise Overflow
        return out


class Brotli:
    def __init__(self) -> None:
        assert brotli is not None
        self.obj = brotli.Decompressor()
        self.fed = False

    def feed(self, data: bytes, limit: int) -> bytes:
        out = bytearray()
        self.fed = self.fed or bool(data)
        try:
            chunk = self.obj.process(data, output_buffer_limit=limit + 1)
            out += chunk
            while len(out) <= limit and not self.obj.can_accept_more_data():
                chunk = self.obj.process(b"", output_buffer_limit=limit - len(out) + 1)
                if not chunk:
                    break
                out += chunk
        except brotli.error as exc:
            raise DecodeFailed(str(exc)) from None
        if len(out) > limit:
            raise Overflow
        return bytes(out)

    @property
    def complete(self) -> bool:
        return not self.fed or bool(self.obj.is_finished())

    def flush(self, limit: int) -> bytes:
        return b""


def accept_encoding() -> str:
    return "gzip, deflate, br" if brotli is not None else "gzip, deflate"


def make_decoders(content_encoding: str | None) -> list[Decoder]:
    """Decoders to apply in order (the reverse of how the server applied the encodings)."""
    decoders: list[Decoder] = []
    for name in reversed([part.strip().lower() for part in (content_encoding or "").split(",")]):
        if name in ("gzip", "x-gzip"):
            decoders.append(Zlib(gzip=True))
        elif name == "deflate":
            decoders.append(Zlib(gzip=False))
        elif name == "br" and brotli is not None:
            decoders.append(Brotli())
        elif name in ("", "identity"):
            continue
        else:
            raise DecodeFailed(f"unsupported content encoding {name!r}")
    return decoders or [Identity()]


class BoundedDecoder:
    """Feeds raw chunks through the decoder chain and keeps at most ``max_bytes`` of output."""

    def __init__(self, content_encoding: str | None, max_bytes: int) -> None:
        self.decoders = make_decoders(content_encoding)
        self.max_bytes = max_bytes
        self.body = bytearray()

    def feed(self, data: bytes) -> None:
        for decoder in self.decoders:
            data = decoder.feed(data, self.max_bytes - len(self.body))
        self.body += data

    def finish(self) -> bytes:
        for index, decoder in enumerate(self.decoders):
            data = decoder.flush(self.max_bytes - len(self.body))
            for later in self.decoders[index + 1 :]:
                data = later.feed(data, self.max_bytes - len(self.body))
            self.body += data
        if not all(decoder.complete for decoder in self.decoders):
            raise EndsEarly
        return bytes(self.body)
