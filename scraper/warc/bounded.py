"""warcio's ArchiveIterator with header parsing in linear time and bounded in size.

warcio reads a header line by appending buffer-sized pieces to a bytes object, and a folded
header by appending each continuation line to a str: both copy everything read so far at each
step, so a 60 MB header line took minutes where a 60 MB body takes a second. Here the parsers
and the line reader collect pieces in a list, and a record whose header block (WARC or HTTP)
runs past MAX_HEADER_BYTES is read to its end but not kept (only the few headers that say where
it ends): its headers carry ``overlong``, which read.py turns into one failed line while the
import goes on with the next record.
"""

from __future__ import annotations

import re
from typing import Any, BinaryIO

from warcio.archiveiterator import ArchiveIterator
from warcio.bufferedreaders import DecompressingBufferedReader
from warcio.statusandheaders import StatusAndHeaders, StatusAndHeadersParser, StatusAndHeadersParserException
from warcio.utils import BUFF_SIZE

# Servers refuse header blocks far smaller (8 to 64 KiB); this leaves room for any real capture.
MAX_HEADER_BYTES = 1 << 20
PIECE = 1 << 16  # how much of an overlong line is read (and dropped) at a time
NAME_ROOM = 512  # what is read of a line past the bound, to see its name
STRUCTURAL = frozenset({"warc-type", "warc-target-uri", "content-length", "content-type", "warc-date", "warc-record-id"})
BLOCK_END = re.compile(rb"\n[ \t\r\x0b\x0c]*\n")  # a line warcio's rstrip() leaves empty ends the block
STRUCTURAL_LINE = re.compile(
    rb"\n((?:" + b"|".join(name.encode() for name in sorted(STRUCTURAL)) + rb")[ \t]*:[^\n]{0,%d})(?=\n)" % NAME_ROOM,
    re.IGNORECASE)


class LinearReader(DecompressingBufferedReader):  # type: ignore[misc]
    """The file reader of the iterator, whose readline() joins its pieces once."""

    def readline(self, length: int | None = None) -> bytes:
        if length == 0:
            return b""
        self._fillbuff()
        if self.empty():
            return b""
        piece = self.buff.readline(length)
        pieces = [piece]
        while not piece.endswith(b"\n"):
            if length:
                length -= len(piece)
                if length <= 0:
                    break
            self._fillbuff()
            if self.empty():
                break
            piece = self.buff.readline(length)
            pieces.append(piece)
        return b"".join(pieces)

    def drain_block(self) -> tuple[int, list[bytes]]:
        """From a line start, consume through the blank line that ends a header block.

        Returns the bytes consumed and the block's lines that name a STRUCTURAL header (whole,
        short lines only). Regular expressions over whole buffers: millions of folded lines cost
        what a body of that size does.
        """
        kept: list[bytes] = []
        consumed, carry = 0, b"\n"  # carry: the unfinished line, after the newline before it
        while True:
            self._fillbuff()
            if self.empty():
                return consumed, kept
            start = self.buff.tell()
            data = self.buff.read()
            window = carry + data
            end = BLOCK_END.search(window)
            stop = end.end() if end else len(window)
            kept += [found.group(1) for found in STRUCTURAL_LINE.finditer(window, 0, stop)]
            if end:
                used = stop - len(carry)
                self.buff.seek(start + used)
                return consumed + used, kept
            consumed += len(data)
            cut = window.rfind(b"\n")
            # A line too long to keep needs only to be known as not blank.
            carry = window[cut:] if len(window) - cut <= NAME_ROOM else b"\n-"


def read_line(stream: Any, budget: int) -> tuple[bytes, int, bool]:
    """(the line, cut to ``budget`` bytes; bytes consumed; whether it was blank): the rest of a long line is dropped."""
    line = stream.readline(budget + 1)
    if len(line) <= budget or line.endswith(b"\n"):
        return line, len(line), not line.strip()
    consumed, blank = len(line), not line.strip()
    while True:
        rest = stream.readline(PIECE)
        consumed += len(rest)
        blank = blank and not rest.strip()
        if not rest or rest.endswith(b"\n"):
            return line[:budget], consumed, blank


class BoundedParser(StatusAndHeadersParser):  # type: ignore[misc]
    """warcio's status-and-headers parser (same results), in linear time, and marking an oversized block.

    ``to_the_end``: an oversized block is still read to its blank line. The WARC headers need it
    (the next record starts after them); HTTP headers sit inside the record's length, which
    warcio skips to the end of anyway, so there parsing just stops.
    """

    def __init__(self, statuslist: Any, verify: bool = True, *, to_the_end: bool) -> None:
        super().__init__(statuslist, verify)
        self.to_the_end = to_the_end

    def parse(self, stream: Any, full_statusline: bytes | None = None) -> StatusAndHeaders:
        budget = MAX_HEADER_BYTES
        overlong = False
        drained: list[str] = []  # the structural headers found past the bound

        def next_line() -> tuple[str, int]:
            nonlocal budget, overlong
            raw, consumed, blank = read_line(stream, max(budget, NAME_ROOM))
            if blank:
                return "", consumed
            budget -= consumed
            text = self.decode_header(raw).rstrip()
            if consumed > len(raw) or budget < 0:
                # Past the bound: read on to the blank line that ends the block, keeping only the
                # headers warcio needs to find where the record ends.
                overlong = True
                if not self.to_the_end:
                    return "", consumed
                kept = text if consumed == len(raw) and text.partition(":")[0].strip().lower() in STRUCTURAL else "-"
                if not isinstance(stream, LinearReader):
                    return kept, consumed
                if kept != "-":
                    drained.append(kept)
                rest, lines = stream.drain_block()  # the rest of the block at C speed, not a line at a time
                drained.extend(self.decode_header(line).rstrip() for line in lines)
                return "", consumed + rest
            return text, consumed

        if full_statusline is None:
            statusline, total_read = next_line()
        else:
            text = self.decode_header(full_statusline)
            statusline, total_read = text.rstrip(), len(text)
            budget -= len(full_statusline)
        if total_read == 0:
            raise EOFError()
        if not statusline:
            empty = StatusAndHeaders(statusline=statusline, headers=[], protocol="", total_len=total_read)
            empty.overlong = overlong
            return empty
        protocol_status = self._status(statusline, full_statusline)

        headers: list[tuple[str, str]] = []
        line, consumed = next_line()
        total_read += consumed
        while line:
            name, colon, value = line.partition(":")
            pieces = [value.lstrip()]
            line, consumed = next_line()
            total_read += consumed
            while line and line.startswith((" ", "\t")):  # a folded header goes on
                pieces.append(line)
                line, consumed = next_line()
                total_read += consumed
            if colon:
                headers.append((name.rstrip(" \t"), "".join(pieces)))
        for line in drained:
            name, _, value = line.partition(":")
            headers.append((name.rstrip(" \t"), value.lstrip()))

        result = StatusAndHeaders(statusline=protocol_status[1].strip() if len(protocol_status) > 1 else "",
                                  headers=headers, protocol=protocol_status[0], total_len=total_read)
        result.overlong = overlong
        return result

    def _status(self, statusline: str, raw: bytes | None) -> list[str] | tuple[str, str]:
        if not self.verify:
            return statusline.split(" ", 1)
        found = self.split_prefix(statusline, self.statuslist)
        if not found:
            raise StatusAndHeadersParserException(
                f"Expected Status Line starting with {self.statuslist} - Found: {statusline[:200]}", raw or statusline)
        return found  # type: ignore[no-any-return]


class BoundedArchiveIterator(ArchiveIterator):  # type: ignore[misc]
    """ArchiveIterator over LinearReader and BoundedParser: hostile headers cost linear time and no memory to speak of."""

    def __init__(self, stream: BinaryIO, **options: Any) -> None:
        super().__init__(stream, **options)
        self.reader = LinearReader(self.fh, block_size=options.get("block_size", BUFF_SIZE))
        loader = self.loader
        loader.warc_parser = BoundedParser(loader.WARC_TYPES, to_the_end=True)
        loader.http_parser = BoundedParser(loader.HTTP_TYPES, loader.http_parser.verify, to_the_end=False)
        loader.http_req_parser = BoundedParser(loader.HTTP_VERBS, loader.http_req_parser.verify, to_the_end=False)
