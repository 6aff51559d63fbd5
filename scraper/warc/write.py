"""WARC out (ISO 28500), through warcio.

Export writes the archive's captures as WARC 1.1: a warcinfo record, then for each capture a
request and a response record with the original headers and date, and payload digests, so the
file replays in pywb or ReplayWeb.page. The run's own fetches go to rotating files as they come.
"""

from __future__ import annotations

import io
from collections.abc import Iterable
from datetime import UTC, datetime
from http import HTTPStatus
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

from scraper import __version__
from scraper.errors import WarcError
from scraper.models import Page
from scraper.store import Store

# The body we keep is already content-decoded, so headers that describe the wire encoding would
# make a replay tool decode it a second time.
WIRE_HEADERS = frozenset({"content-encoding", "transfer-encoding", "content-length"})


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
        try:
            self.recorder.write_page(page, self.user_agent)
            self.stream.flush()
        except OSError as exc:  # a full disk: the run must stop, or its WARC would silently lack pages
            raise WarcError(f"{self.path}.open: cannot write WARC ({exc.strerror})") from None

    def _rotate(self) -> None:
        self.close()
        self.serial += 1
        stamp = datetime.now(UTC).strftime("%Y%m%d%H%M%S")
        name = f"scraper-{stamp}-{self.serial:05d}.warc.gz"
        self.path = self.folder / name
        try:
            self.stream = (self.folder / (name + ".open")).open("wb")
            self.recorder = WarcRecorder(self.stream, gzip=True, filename=name)  # writes the warcinfo record
        except OSError as exc:
            raise WarcError(f"{self.folder}: cannot write WARC ({exc.strerror})") from None

    def close(self) -> None:
        stream, path = self.stream, self.path
        self.stream = self.recorder = None
        if stream is not None and path is not None:
            try:
                stream.close()
            except OSError as exc:  # the last buffered bytes did not fit: the file stays .open, as cut short
                raise WarcError(f"{path}.open: cannot write WARC ({exc.strerror})") from None
            path.with_name(path.name + ".open").replace(path)


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
                recorder.write(url=row["final_url"], status=row["status"], headers=row["headers"], body=row["body"],
                               fetched_at=row["fetched_at"], user_agent=user_agent)
                count += 1
        tmp.replace(out)  # a crash never leaves a half-written file under the real name
    except OSError as exc:
        tmp.unlink(missing_ok=True)
        raise WarcError(f"{out}: cannot write WARC ({exc.strerror})") from None
    return count
