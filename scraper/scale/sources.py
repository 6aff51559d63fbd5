"""What a sharded run reads: WARC paths and http(s) URLs, given directly or as ``@FILE`` lists.

``@FILE`` holds one path or URL a line, like CC-NEWS's ``warc.paths``; blank lines and ``#``
comments are skipped. A URL is streamed by the worker that imports it, never stored whole: the
response body is read as warcio asks for it.
"""

from __future__ import annotations

import contextlib
import io
import re
from collections.abc import Iterator
from pathlib import Path
from typing import BinaryIO
from urllib.parse import urlsplit

import httpx

from scraper.errors import ScraperError

WARC_SUFFIX = re.compile(r"(\.(warc|arc))?(\.gz)?$", re.IGNORECASE)
CHUNK = 1 << 16


class SourceError(ScraperError):
    """A WARC to import cannot be listed, opened or downloaded."""


def is_url(location: str) -> bool:
    return urlsplit(location).scheme in ("http", "https")


def expand(arguments: list[str]) -> list[str]:
    """The WARCs named on the command line, with each ``@FILE`` replaced by the lines it holds."""
    out: list[str] = []
    for argument in arguments:
        if not argument.startswith("@"):
            out.append(argument)
            continue
        try:
            text = Path(argument[1:]).read_text(encoding="utf-8")
        except OSError as exc:
            raise SourceError(f"{argument[1:]}: cannot read the list of WARCs ({exc.strerror})") from None
        out += [line.strip() for line in text.splitlines() if line.strip() and not line.lstrip().startswith("#")]
    if not out:
        raise SourceError("no WARC files given (pass paths, URLs or @FILE)")
    return list(dict.fromkeys(out))


def stem(location: str) -> str:
    """The shard's name for a WARC: its file name without .warc.gz / .arc / .gz."""
    name = urlsplit(location).path.rsplit("/", 1)[-1] if is_url(location) else Path(location).name
    return WARC_SUFFIX.sub("", name) or "warc"


def check_unique(locations: list[str]) -> None:
    """Two inputs with one file name would write one shard: refuse before any work starts."""
    seen: dict[str, str] = {}
    for location in locations:
        other = seen.setdefault(stem(location), location)
        if other != location:
            raise SourceError(f"{location} and {other} would both become shard {stem(location)}.db: rename one")


class Download(io.RawIOBase):
    """An HTTP response body as a file warcio can read; a network error mid-way is kept in ``broken``."""

    def __init__(self, response: httpx.Response) -> None:
        self.chunks = response.iter_bytes(CHUNK)
        self.left = b""
        self.received = 0
        self.broken = ""

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: memoryview) -> int:  # type: ignore[override]
        while not self.left:
            try:
                self.left = next(self.chunks)
            except StopIteration:
                return 0
            except httpx.HTTPError as exc:
                self.broken = f"download failed after {self.received} bytes ({type(exc).__name__}: {exc})"
                raise OSError(self.broken) from None
        n = min(len(buffer), len(self.left))
        buffer[:n] = self.left[:n]
        self.left = self.left[n:]
        self.received += n
        return n


@contextlib.contextmanager
def opened(location: str, *, user_agent: str, timeout_s: float) -> Iterator[tuple[BinaryIO, int | None, Download | None]]:
    """(stream, size if known, the download when it is one) of a WARC path or URL."""
    if not is_url(location):
        try:
            stream = Path(location).open("rb")  # noqa: SIM115 - closed below, after the yield
            size = Path(location).stat().st_size
        except OSError as exc:
            raise SourceError(f"{location}: cannot read ({exc.strerror})") from None
        with stream:
            yield stream, size, None
        return
    try:
        with httpx.Client(headers={"User-Agent": user_agent}, timeout=timeout_s, follow_redirects=True) as client, \
                client.stream("GET", location) as response:
            if response.status_code != 200:
                raise SourceError(f"{location}: HTTP {response.status_code}")
            download = Download(response)
            yield io.BufferedReader(download, CHUNK), None, download  # type: ignore[misc]
    except httpx.HTTPError as exc:
        raise SourceError(f"{location}: cannot download ({type(exc).__name__}: {exc})") from None


def total_size(locations: list[str]) -> int | None:
    """The bytes an import will read, for its progress bar; None when one is a URL (known only as it streams).

    A file that cannot be read counts nothing here: the import says why when it gets to it."""
    if any(is_url(location) for location in locations):
        return None
    total = 0
    for location in locations:
        with contextlib.suppress(OSError):
            total += Path(location).stat().st_size
    return total
