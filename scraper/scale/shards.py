"""One WARC -> one complete shard archive, ``<folder>/<stem>.db``: the unit of work on a worker.

The shard is written by the same code as `scrape import-warc` (the same Store, the same import
loop), with extraction inline in the worker's thread: a process pool inside a Dask worker
would fork from a threaded process, and Dask already gives each worker its own process.

The shard is written as ``<stem>.db.part`` and renamed once complete, so:

- a worker killed mid-file leaves only a ``.part``, which the retry (on another worker) deletes
  and writes again: the shard appears once, whole;
- a rerun skips every WARC whose shard exists.

A damaged WARC still gives a shard of the records before the damage (as the plain import keeps
them), and a ``failed`` result; a download cut off mid-way gives no shard, so a rerun tries it
again.
"""

from __future__ import annotations

import os
import time
import uuid
from concurrent.futures import Future
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

from scraper.config import Settings, SiteSelectors
from scraper.errors import ExtractionError, ScraperError
from scraper.journey import StoreEvery
from scraper.models import Article, Page
from scraper.outcome import Status as PageStatus
from scraper.pipeline import extract_raw
from scraper.scale.sources import opened, stem
from scraper.store import Store, now_iso
from scraper.summary import Tally
from scraper.warc.read import ImportEvent, import_warc

Status = Literal["done", "exists", "failed"]
SIDE_FILES = ("-wal", "-shm", "-journal")

@dataclass(frozen=True, slots=True)
class ShardResult:
    """What became of one input: its shard, the records by outcome, the failed: lines, the time it took."""

    source: str
    shard: str
    status: Status
    counts: Tally = field(default_factory=Tally)
    failures: tuple[str, ...] = ()
    seconds: float = 0.0
    cpu_s: float = 0.0

    @property
    def records(self) -> int:
        return self.counts.total


class InlinePool:
    """The ExtractorPool interface, run in the calling thread: what import_warc needs, without processes."""

    workers = 1

    def submit_raw(self, page: Page, selectors: SiteSelectors | None) -> Future[tuple[Article, str, bytes]]:
        future: Future[tuple[Article, str, bytes]] = Future()
        try:
            future.set_result(extract_raw(page.content, page.header("content-type"), page.final_url, selectors))
        except ExtractionError as exc:
            future.set_exception(exc)
        return future

    def restart(self) -> None:
        """Nothing to restart: a killed worker is Dask's to replace."""


def shard_path(folder: Path, location: str) -> Path:
    return folder / f"{stem(location)}.db"


def remove_part(part: Path) -> None:
    for path in (part, *(part.with_name(part.name + side) for side in SIDE_FILES)):
        path.unlink(missing_ok=True)


def build_shard(location: str, folder: str, settings: Settings) -> ShardResult:
    """Import one WARC (path or URL) into its own shard archive; never raises for a bad input."""
    started, cpu = time.monotonic(), time.thread_time()
    final = shard_path(Path(folder), location)
    if final.exists():
        return ShardResult(location, str(final), "exists")
    part = final.with_name(final.name + ".part")
    counts = Tally()
    failures: list[str] = []

    def on_event(event: ImportEvent) -> None:
        counts.add(event.outcome)
        if event.outcome.status is PageStatus.FAILED:
            failures.append(f"failed: {location}: {event.url or 'record'}: {event.outcome.detail}")

    def finish(status: Status, lines: list[str]) -> ShardResult:
        return ShardResult(location, str(final), status, counts, tuple(lines),
                           round(time.monotonic() - started, 3), round(time.thread_time() - cpu, 3))

    try:
        Path(folder).mkdir(parents=True, exist_ok=True)
        remove_part(part)  # left by a worker that died on this file
        with opened(location, user_agent=settings.fetch.user_agent, timeout_s=settings.fetch.read_timeout_s) as (
            stream, size, download,
        ), Store.open(part) as store:
            store.mark_shard(uuid.uuid4().hex, location, now_iso())
            import_warc([(location, stream, size)], store, InlinePool(), max_bytes=settings.fetch.max_bytes,  # type: ignore[arg-type]
                        rules=StoreEvery(settings), on_event=on_event)
            if download is not None and download.broken:
                raise ScraperError(f"{location}: {download.broken}")
            # One file, no -wal beside it: the shard can be moved, attached and served as it is.
            store.single_file()
        os.replace(part, final)
    except ScraperError as exc:
        remove_part(part)
        return finish("failed", [f"failed: {exc}"])
    return finish("failed" if failures else "done", failures)
