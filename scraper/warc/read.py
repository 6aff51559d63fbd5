"""WARC in (ISO 28500), through warcio.

Import streams WARC and ARC files (gzipped or not) one record at a time, extracts the HTML
responses in the process pool, and stores them with their original capture dates; a capture
already in the archive (same URL, date and body) is skipped, so importing a file twice adds
nothing.
"""

from __future__ import annotations

import contextlib
import dataclasses
import io
import zlib
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Future
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any, BinaryIO

from warcio.exceptions import ArchiveLoadFailed

from scraper.errors import ExtractionError, WarcError, WorkerDied
from scraper.fetch.response import make_page
from scraper.fetch.wire import Response
from scraper.journey import PageRules, capture, settle
from scraper.models import Article, Page
from scraper.outcome import Outcome, Reason, Status, skipped
from scraper.store import Store, payload_digest
from scraper.warc.bounded import MAX_HEADER_BYTES, BoundedArchiveIterator

if TYPE_CHECKING:
    from scraper.pipeline import ExtractorPool

BATCH = 200


@dataclass(frozen=True, slots=True)
class ImportEvent:
    """What became of one WARC record (a damaged record has no URL)."""

    file: str
    outcome: Outcome
    offset: int = 0  # how far into its file (compressed bytes) the import had read past this record

    @property
    def url(self) -> str:
        return self.outcome.url


def damaged_record(file: str, detail: str) -> ImportEvent:
    return ImportEvent(file, Outcome("", Status.FAILED, Reason.DAMAGED, detail))


class Truncated(Exception):
    """A record ended before its declared length."""


class Overlong(Exception):
    """A record's WARC or HTTP header block is larger than any real capture's (warc/bounded.py)."""

    def __init__(self, url: str) -> None:
        super().__init__(f"headers longer than {MAX_HEADER_BYTES // (1 << 20)} MiB")
        self.url = url


def page_from_record(record: Any, max_bytes: int) -> Page | None:
    """A Page from a WARC/ARC response record, or None when it is not an HTTP response."""
    if getattr(record.rec_headers, "overlong", False) or getattr(record.http_headers, "overlong", False):
        raise Overlong(record.rec_headers.get_header("WARC-Target-URI") or "")
    if record.rec_type != "response" or record.http_headers is None:
        return None
    url = record.rec_headers.get_header("WARC-Target-URI") or ""
    date = record.rec_headers.get_header("WARC-Date") or ""
    status = int(record.http_headers.get_statuscode() or 0)
    headers = tuple((k, v) for k, v in record.http_headers.headers)
    content = record.content_stream().read(max_bytes + 1)
    if len(content) <= max_bytes and getattr(record.raw_stream, "limit", 0) > 0:
        raise Truncated(f"record for {url} ends before its declared length")
    response = Response(url=url, status=status, headers=headers, body=content, elapsed_s=0.0, http_version="HTTP/1.1")
    page = make_page(url, url, response, 0.0, (), decode=False)  # the worker decodes
    fetched_at = datetime.fromisoformat(date).isoformat() if date else page.fetched_at
    return dataclasses.replace(page, fetched_at=fetched_at)


def archive_kind(head: bytes) -> str | None:
    """'warc' or 'arc' from a file's first bytes (gzipped or not), None for anything else."""
    if head[:2] == b"\x1f\x8b":
        try:
            head = zlib.decompressobj(wbits=31).decompress(head, 64)
        except zlib.error:
            return None
    head = head.lstrip(b"\r\n")
    if head.startswith(b"WARC/"):
        return "warc"
    if head.startswith(b"filedesc://"):
        return "arc"
    return None


# A WARC opened elsewhere (a download, streamed): its name, the stream, its size when known.
Opened = tuple[str, BinaryIO, int | None]


def read_records(source: Path | Opened, max_bytes: int,
                 on_event: Callable[[ImportEvent], None]) -> Iterator[tuple[Page, int]]:
    """Stream the response records of one file, each with how far into the file the reader is; a corrupt or truncated record is reported, not fatal."""
    if isinstance(source, tuple):
        path, stream, size = source
    else:
        path = str(source)
        try:
            stream = source.open("rb")
            size = source.stat().st_size
        except OSError as exc:
            raise WarcError(f"{source}: cannot read ({exc.strerror})") from None

    def damaged(reason: str) -> ImportEvent:
        return damaged_record(str(path), f"corrupt or truncated record at byte {iterator.offset}: {reason}")

    with stream:
        reader = stream if hasattr(stream, "peek") else io.BufferedReader(stream)  # type: ignore[arg-type,type-var]
        try:
            head = reader.peek(4096)[:4096]
        except OSError as exc:  # a download cut off before its first record
            on_event(damaged_record(str(path), f"cannot read: {str(exc).splitlines()[0] if str(exc) else type(exc).__name__}"))
            return
        if archive_kind(head) is None:
            on_event(damaged_record(str(path), "not a WARC or ARC file"))
            return
        iterator = BoundedArchiveIterator(reader, arc2warc=True)

        def read_so_far() -> int:
            # Where the reader is in the file (past the record just read, by up to one buffer):
            # a record's own offset is where it starts, so a bar fed offsets lags one record.
            try:
                return max(iterator.offset, reader.tell())
            except (OSError, ValueError):  # a stream that cannot tell (a download)
                return iterator.offset

        while True:
            try:
                # warcio prints its own warnings (bad lengths, offsets) to stderr: our line says it instead.
                with contextlib.redirect_stderr(io.StringIO()):
                    record = next(iterator)
                    page = page_from_record(record, max_bytes)
            except StopIteration:
                break
            except Truncated as exc:
                on_event(damaged(str(exc)))
                return
            except Overlong as exc:  # read to its end, so the next record is where it should be
                detail = f"{exc} (record at byte {iterator.offset})"
                on_event(ImportEvent(str(path), Outcome(exc.url, Status.FAILED, Reason.DAMAGED, detail)))
                continue
            except (ArchiveLoadFailed, zlib.error, EOFError, ValueError, OSError) as exc:
                # warcio cannot resynchronise inside a damaged gzip member: the rest of the file is lost.
                on_event(damaged(str(exc).splitlines()[0] if str(exc) else type(exc).__name__))
                return
            except (AttributeError, TypeError, KeyError, IndexError) as exc:
                # warcio trips over a record missing required headers (WARC-Target-URI); it cannot go on.
                on_event(damaged(f"a record warcio cannot read ({type(exc).__name__}: missing WARC-Target-URI?)"))
                return
            if page is None:
                continue
            if len(page.content) > max_bytes:
                on_event(ImportEvent(str(path), skipped(page.url, Reason.TOO_LARGE, f"body larger than {max_bytes} bytes"),
                                     read_so_far()))
                continue
            yield page, read_so_far()
        if size is not None and iterator.offset < size:
            # warcio stops quietly at a gzip member cut short: what is left over was a lost record.
            on_event(damaged(f"{size - iterator.offset} bytes at the end could not be read"))


def import_warc(paths: Iterable[Path | Opened], store: Store, pool: ExtractorPool, *, max_bytes: int,
                rules: PageRules, on_event: Callable[[ImportEvent], None],
                stop: Callable[[], bool] = lambda: False) -> None:
    """Import every HTML response of every file; workers decode, extract and compress, with a bounded backlog.

    ``stop`` is asked before each record: once it says so, no new record is read, and the ones
    in hand are finished and committed (the rest are added by the next import of the file).
    """
    backlog: deque[tuple[str, int, Page, str, Future[tuple[Article, str, bytes]]]] = deque()
    in_flight: set[tuple[str, str, str]] = set()  # a record repeated within the backlog is still a duplicate
    limit = 4 * pool.workers  # enough to keep the pool busy, few enough for constant memory

    def finish() -> None:
        file, offset, page, digest, future = backlog.popleft()
        in_flight.discard((page.url, page.fetched_at, digest))
        try:
            article, charset, blob = future.result()
        except (ExtractionError, BrokenProcessPool) as exc:
            if isinstance(exc, BrokenProcessPool):  # a worker was killed (out of memory?): a new pool takes over
                pool.restart()
            capture_id = capture(store, page, digest=digest)  # the capture is kept either way
            error = WorkerDied() if isinstance(exc, BrokenProcessPool) else exc
            on_event(ImportEvent(file, settle(store, page, error, rules, capture_id=capture_id, url=page.url), offset))
            return
        page = dataclasses.replace(page, charset=charset)
        capture_id = capture(store, page, digest=digest, blob=blob)
        on_event(ImportEvent(file, settle(store, page, article, rules, capture_id=capture_id, url=page.url), offset))

    # Commit every BATCH records instead of each one: an import is bulk work, and each article is
    # still all-or-nothing (a savepoint inside the batch). A crash loses at most the open batch,
    # which the next import of the same file adds again.
    with store.batches(BATCH) as tick:
        for source in paths:
            if stop():
                break
            path = source[0] if isinstance(source, tuple) else str(source)
            for page, offset in read_records(source, max_bytes, on_event):
                if stop():
                    break
                tick()
                digest = payload_digest(page.content)
                key = (page.url, page.fetched_at, digest)
                if key in in_flight or store.has_capture(*key):
                    on_event(ImportEvent(str(path), skipped(page.url, Reason.DUPLICATE, "already imported"), offset))
                    continue
                if page.status != 200:  # a redirect, a 404 or a 304 in the WARC: kept, not extracted
                    capture(store, page, digest=digest)
                    on_event(ImportEvent(str(path), skipped(page.url, Reason.HTTP_STATUS, f"HTTP {page.status}",
                                                            http_status=page.status), offset))
                    continue
                if not page.is_html:
                    capture_id = capture(store, page, digest=digest)
                    on_event(ImportEvent(str(path), settle(store, page, None, rules, capture_id=capture_id), offset))
                    continue
                in_flight.add(key)
                backlog.append((str(path), offset, page, digest, pool.submit_raw(page, rules.selectors_for(page.url))))
                while len(backlog) >= limit:
                    finish()
        while backlog:
            finish()
