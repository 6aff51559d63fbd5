"""WARC out and WARC in (ISO 28500), through warcio.

Export writes the archive's captures as WARC 1.1: a warcinfo record, then for each capture a
request and a response record with the original headers and date, and payload digests, so the
file replays in pywb or ReplayWeb.page. Import streams WARC and ARC files (gzipped or not) one
record at a time, extracts the HTML responses in the process pool, and stores them with their
original capture dates; a capture already in the archive (same URL, date and body) is skipped,
so importing a file twice adds nothing.
"""

from __future__ import annotations

import dataclasses
import io
import json
import zlib
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Future
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass
from datetime import UTC, datetime
from http import HTTPStatus
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from warcio.archiveiterator import ArchiveIterator
from warcio.exceptions import ArchiveLoadFailed
from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

from scraper import __version__
from scraper.errors import ExtractionError, ScraperError
from scraper.fetch import make_page
from scraper.models import Article, Page
from scraper.store import Store, payload_digest
from scraper.wire import Response

# The body we keep is already content-decoded, so headers that describe the wire encoding would
# make a replay tool decode it a second time.
BATCH = 200
WIRE_HEADERS = frozenset({"content-encoding", "transfer-encoding", "content-length"})


class WarcError(ScraperError):
    """A WARC file cannot be read or written at all (a bad record inside one is only reported)."""


# -- export -----------------------------------------------------------------------------------


def warc_date(iso: str) -> str:
    """WARC-Date in the ISO 8601 UTC form the standard asks for (2017-11-21T10:00:00Z)."""
    moment = datetime.fromisoformat(iso)
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def status_line(status: int) -> str:
    try:
        return f"{status} {HTTPStatus(status).phrase}"
    except ValueError:
        return f"{status} Unknown"


class WarcRecorder:
    """Writes fetches as request/response pairs to an open WARC stream."""

    def __init__(self, stream: Any, *, gzip: bool = True, filename: str = "archive.warc.gz") -> None:
        self.writer = WARCWriter(stream, gzip=gzip, warc_version="1.1")
        info = {"software": f"scraper/{__version__} (warcio)", "format": "WARC File Format 1.1"}
        self.writer.write_record(self.writer.create_warcinfo_record(filename, info))

    def write(self, *, url: str, status: int, headers: Iterable[tuple[str, str]], body: bytes, fetched_at: str, user_agent: str | None = None) -> None:
        date = warc_date(fetched_at)
        kept = [(k, v) for k, v in headers if k.lower() not in WIRE_HEADERS]
        kept.append(("Content-Length", str(len(body))))
        http_headers = StatusAndHeaders(status_line(status), kept, protocol="HTTP/1.1")
        response = self.writer.create_warc_record(
            url, "response", payload=io.BytesIO(body), length=len(body),
            http_headers=http_headers, warc_headers_dict={"WARC-Date": date},
        )
        parts = urlsplit(url)
        target = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
        request_headers = [("Host", parts.netloc)] + ([("User-Agent", user_agent)] if user_agent else [])
        request = self.writer.create_warc_record(
            url, "request", payload=io.BytesIO(b""), length=0,
            http_headers=StatusAndHeaders(f"GET {target} HTTP/1.1", request_headers, is_http_request=True),
            warc_headers_dict={"WARC-Date": date, "WARC-Concurrent-To": response.rec_headers.get_header("WARC-Record-ID")},
        )
        self.writer.write_record(request)
        self.writer.write_record(response)

    def write_page(self, page: Page, user_agent: str | None = None) -> None:
        if page.status == 304:
            return  # nothing new was received
        self.write(url=page.final_url, status=page.status, headers=page.headers, body=page.content,
                   fetched_at=page.fetched_at, user_agent=user_agent)


class RotatingWarcWriter:
    """Appends fetches to ``scraper-<time>-<n>.warc.gz`` files in a folder, rolling over at a size.

    The file being written carries an ``.open`` suffix, as Heritrix does, so a tool reading the
    folder never picks up a half-written file; it is renamed when rotated or closed.
    """

    def __init__(self, folder: str | Path, max_bytes: int, user_agent: str | None = None) -> None:
        self.folder = Path(folder)
        self.max_bytes = max_bytes
        self.user_agent = user_agent
        self.serial = 0
        self.stream: Any = None
        self.path: Path | None = None
        self.recorder: WarcRecorder | None = None
        try:
            self.folder.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise WarcError(f"{self.folder}: cannot create WARC folder ({exc.strerror})") from None

    def write_page(self, page: Page) -> None:
        if page.status == 304:
            return
        if self.recorder is None or self.stream.tell() >= self.max_bytes:
            self._rotate()
        assert self.recorder is not None
        self.recorder.write_page(page, self.user_agent)
        self.stream.flush()

    def _rotate(self) -> None:
        self.close()
        self.serial += 1
        stamp = datetime.now(UTC).strftime("%Y%m%d%H%M%S")
        name = f"scraper-{stamp}-{self.serial:05d}.warc.gz"
        self.path = self.folder / name
        try:
            self.stream = (self.folder / (name + ".open")).open("wb")
        except OSError as exc:
            raise WarcError(f"{self.folder}: cannot write WARC ({exc.strerror})") from None
        self.recorder = WarcRecorder(self.stream, gzip=True, filename=name)

    def close(self) -> None:
        if self.stream is not None and self.path is not None:
            self.stream.close()
            self.path.with_name(self.path.name + ".open").replace(self.path)
        self.stream = self.recorder = None


def export_warc(store: Store, out: Path, *, since: str | None = None, user_agent: str | None = None) -> int:
    """Write the captures to ``out`` (gzipped per record when it ends in .gz); return how many."""
    count = 0
    tmp = out.with_name(out.name + ".part")
    try:
        with tmp.open("wb") as stream:
            recorder = WarcRecorder(stream, gzip=out.name.endswith(".gz"), filename=out.name)
            for row in store.iter_captures(since):
                if row["status"] == 304:
                    continue
                headers = [tuple(h) for h in json.loads(row["headers"])]
                recorder.write(url=row["final_url"], status=row["status"], headers=headers, body=row["body"],
                               fetched_at=row["fetched_at"], user_agent=user_agent)
                count += 1
        tmp.replace(out)  # a crash never leaves a half-written file under the real name
    except OSError as exc:
        tmp.unlink(missing_ok=True)
        raise WarcError(f"{out}: cannot write WARC ({exc.strerror})") from None
    return count


# -- import -----------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class ImportEvent:
    """What became of one WARC record: stored/updated/unchanged/duplicate/skipped/failed."""

    file: str
    url: str
    status: str
    reason: str = ""


class Truncated(Exception):
    """A record ended before its declared length."""


def page_from_record(record: Any, max_bytes: int) -> Page | None:
    """A Page from a WARC/ARC response record, or None when it is not an HTTP response."""
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
    fetched_at = datetime.fromisoformat(date.replace("Z", "+00:00")).isoformat() if date else page.fetched_at
    return dataclasses.replace(page, fetched_at=fetched_at)


def read_records(path: Path, max_bytes: int, on_event: Callable[[ImportEvent], None]) -> Iterator[Page]:
    """Stream the response records of one file; a corrupt or truncated record is reported, not fatal."""
    try:
        stream = path.open("rb")
        size = path.stat().st_size
    except OSError as exc:
        raise WarcError(f"{path}: cannot read ({exc.strerror})") from None

    def damaged(reason: str) -> ImportEvent:
        return ImportEvent(str(path), "", "failed", f"corrupt or truncated record at byte {iterator.offset}: {reason}")

    with stream:
        iterator = ArchiveIterator(stream, arc2warc=True)
        while True:
            try:
                record = next(iterator)
                page = page_from_record(record, max_bytes)
            except StopIteration:
                break
            except Truncated as exc:
                on_event(damaged(str(exc)))
                return
            except (ArchiveLoadFailed, zlib.error, EOFError, ValueError, OSError) as exc:
                # warcio cannot resynchronise inside a damaged gzip member: the rest of the file is lost.
                on_event(damaged(str(exc).splitlines()[0] if str(exc) else type(exc).__name__))
                return
            if page is None:
                continue
            if len(page.content) > max_bytes:
                on_event(ImportEvent(str(path), page.url, "skipped", f"body larger than {max_bytes} bytes"))
                continue
            yield page
        if iterator.offset < size:
            # warcio stops quietly at a gzip member cut short: what is left over was a lost record.
            on_event(damaged(f"{size - iterator.offset} bytes at the end could not be read"))


def import_warc(paths: Iterable[Path], store: Store, pool: Any, *, max_bytes: int,
                selectors_for: Callable[[str], Any], on_event: Callable[[ImportEvent], None]) -> None:
    """Import every HTML response of every file; workers decode, extract and compress, with a bounded backlog."""
    backlog: deque[tuple[str, Page, str, Future[tuple[Article, str, bytes]]]] = deque()
    in_flight: set[tuple[str, str, str]] = set()  # a record repeated within the backlog is still a duplicate
    limit = 4 * pool.workers  # enough to keep the pool busy, few enough for constant memory

    def settle() -> None:
        file, page, digest, future = backlog.popleft()
        in_flight.discard((page.url, page.fetched_at, digest))
        try:
            article, charset, blob = future.result()
        except (ExtractionError, BrokenProcessPool) as exc:
            if isinstance(exc, BrokenProcessPool):  # a worker was killed (out of memory?): a new pool takes over
                pool.restart()
            store.add_capture(page, digest)  # the capture is kept either way
            reason = "extraction worker died" if isinstance(exc, BrokenProcessPool) else f"extraction failed: {exc}"
            on_event(ImportEvent(file, page.url, "failed", reason))
            return
        capture_id = store.add_capture(dataclasses.replace(page, charset=charset), digest, blob)
        outcome = store.save_article(article, url=page.url, capture_id=capture_id, seen=page.fetched_at)
        on_event(ImportEvent(file, page.url, outcome))

    # Commit every BATCH records instead of each one: an import is bulk work, and each article is
    # still all-or-nothing (a savepoint inside the batch). A crash loses at most the open batch,
    # which the next import of the same file adds again.
    with store.batches(BATCH) as tick:
        for path in paths:
            for page in read_records(path, max_bytes, on_event):
                tick()
                digest = payload_digest(page.content)
                key = (page.url, page.fetched_at, digest)
                if key in in_flight or store.has_capture(*key):
                    on_event(ImportEvent(str(path), page.url, "duplicate"))
                    continue
                if not page.is_html or page.status != 200:
                    store.add_capture(page, digest)
                    reason = f"HTTP {page.status}" if page.status != 200 else f"not HTML ({page.content_type or 'unknown type'})"
                    on_event(ImportEvent(str(path), page.url, "skipped", reason))
                    continue
                in_flight.add(key)
                backlog.append((str(path), page, digest, pool.submit_raw(page, selectors_for(page.url))))
                while len(backlog) >= limit:
                    settle()
        while backlog:
            settle()
