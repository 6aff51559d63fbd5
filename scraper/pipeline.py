"""fetch -> extract -> store for a list of URLs.

The event loop only fetches and writes; parsing runs in a process pool sized to the cores,
so a slow page never holds up the downloads. Each URL ends in exactly one Result.
"""

from __future__ import annotations

import asyncio
import contextlib
import ctypes
import os
import signal
import sys
from collections.abc import AsyncIterator, Callable, Iterable
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass
from typing import Literal

from scraper.charset import decode_html
from scraper.config import Settings, SiteSelectors
from scraper.errors import ExtractionError, FetchError
from scraper.extract import extract
from scraper.fetch import Fetcher
from scraper.mediatype import media_type
from scraper.models import Article, Page
from scraper.store import Store, compress
from scraper.warc.write import RotatingWarcWriter

Status = Literal["stored", "updated", "unchanged", "skipped", "failed"]


@dataclass(frozen=True, slots=True)
class Result:
    """What became of one URL."""

    url: str
    status: Status
    title: str = ""
    reason: str = ""
    article: Article | None = None

    @property
    def ok(self) -> bool:
        return self.status != "failed"

    def line(self) -> str:
        if self.status in ("failed", "skipped"):
            return f"{self.status}: {self.url}: {self.reason}"
        return f"{self.status}: {self.url} — {self.title}" if self.title else f"{self.status}: {self.url}"


def extract_page(html: str, url: str, selectors: SiteSelectors | None) -> Article:
    """Runs in a worker process; module-level so it pickles."""
    return extract(html, url, selectors)


def extract_raw(content: bytes, content_type: str | None, url: str, selectors: SiteSelectors | None) -> tuple[Article, str, bytes]:
    """Decode, extract and compress in a worker: (article, charset, compressed body).

    For bulk imports, where the one process that reads the input and writes the archive would
    otherwise be the bottleneck.
    """
    text, charset = decode_html(content, media_type(content_type)[1])
    return extract(text, url, selectors), charset, compress(content)


def _worker_init(parent: int) -> None:
    """Make a worker die with the run: a SIGKILLed `scrape` must not leave orphans behind."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the parent's to handle
    if sys.platform.startswith("linux"):
        try:
            libc = ctypes.CDLL(None, use_errno=True)
            libc.prctl(PR_SET_PDEATHSIG, signal.SIGKILL)
        except (OSError, AttributeError):
            pass
    if os.getppid() != parent:  # the parent died before prctl took effect
        os._exit(1)


PR_SET_PDEATHSIG = 1


class ExtractorPool:
    """A process pool for extraction, forked before the event loop starts any threads."""

    def __init__(self, workers: int | None = None) -> None:
        self.workers = workers or os.cpu_count() or 1
        self.executor = self._start()

    def _start(self) -> ProcessPoolExecutor:
        executor = ProcessPoolExecutor(max_workers=self.workers, initializer=_worker_init, initargs=(os.getpid(),))
        # Fork every worker now: forking later, once asyncio's resolver threads exist, risks a
        # child inheriting a held lock.
        for future in [executor.submit(os.getpid) for _ in range(self.workers)]:
            future.result()
        return executor

    async def extract(self, html: str, url: str, selectors: SiteSelectors | None) -> Article:
        loop = asyncio.get_running_loop()
        try:
            return await loop.run_in_executor(self.executor, extract_page, html, url, selectors)
        except BrokenProcessPool:
            # A worker died (killed, out of memory): this page fails, the run goes on with a new pool.
            self.restart()
            raise ExtractionError("extraction worker died") from None

    def restart(self) -> None:
        """A new pool after a worker died; a no-op if that already happened for an earlier future."""
        if getattr(self.executor, "_broken", True):
            self.executor.shutdown(wait=False, cancel_futures=True)
            self.executor = self._start()

    def submit_raw(self, page: Page, selectors: SiteSelectors | None) -> Future[tuple[Article, str, bytes]]:
        """For synchronous callers (WARC import) that keep their own bounded backlog: see extract_raw."""
        return self.executor.submit(extract_raw, page.content, page.header("content-type"), page.final_url, selectors)

    def close(self) -> None:
        self.executor.shutdown(wait=True, cancel_futures=True)

    def __enter__(self) -> ExtractorPool:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


class Pipeline:
    """One run: a Fetcher, an ExtractorPool and a Store shared by all URLs."""

    def __init__(self, settings: Settings, store: Store, pool: ExtractorPool, fetcher: Fetcher,
                 warc: RotatingWarcWriter | None = None) -> None:
        self.settings = settings
        self.store = store
        self.pool = pool
        self.fetcher = fetcher
        self.warc = warc

    async def process(self, url: str, *, trusted: bool = True) -> Result:
        try:
            etag, last_modified = self.store.validators(url)
            page = await self.fetcher.fetch(url, etag=etag, last_modified=last_modified, trusted=trusted)
            return await self.handle(page)
        except (FetchError, ExtractionError) as exc:
            return Result(url, "failed", reason=exc.reason if isinstance(exc, FetchError) else f"extraction failed: {exc}")

    async def handle(self, page: Page) -> Result:
        capture_id = self.record(page)
        if page.status == 304:
            title = self.store.touch(page.url, page.final_url, seen=page.fetched_at)
            return Result(page.url, "unchanged", title=title)
        if not page.is_html:
            return Result(page.url, "skipped", reason=f"not HTML ({page.content_type or 'unknown type'})")
        selectors = self.selectors_for(page.final_url)
        article = await self.pool.extract(page.text, page.final_url, selectors)
        reason = self.skip_reason(article, page)
        if reason is not None:
            return Result(page.url, "skipped", title=article.title, reason=reason, article=article)
        outcome = self.store.save_article(article, url=page.final_url, capture_id=capture_id, seen=page.fetched_at)
        return Result(page.url, outcome, title=article.title, article=article)

    def record(self, page: Page) -> int:
        """Keep the raw fetch: a capture in the archive, and a WARC record when warc_dir is set."""
        capture_id = self.store.add_capture(page)
        if self.warc is not None:
            self.warc.write_page(page)
        return capture_id

    # Hooks for `scrape crawl` (scraper/crawl/visit.py), which sets selectors per source, stores
    # an article found at a second address only once, and does not store pages without text.

    def selectors_for(self, url: str) -> SiteSelectors | None:
        return self.settings.selectors_for(url)

    def skip_reason(self, article: Article, page: Page) -> str | None:
        """Why this extracted article must not be stored (None: store it)."""
        return None


@contextlib.asynccontextmanager
async def warc_writer(settings: Settings) -> AsyncIterator[RotatingWarcWriter | None]:
    """The run's WARC output when ``[archive] warc_dir`` is set, closed (renamed) at the end."""
    if not settings.archive.warc_dir:
        yield None
        return
    writer = RotatingWarcWriter(settings.archive.warc_dir, settings.archive.warc_max_bytes, settings.fetch.user_agent)
    try:
        yield writer
    finally:
        writer.close()


async def _run(urls: Iterable[str], settings: Settings, store: Store, pool: ExtractorPool, report: Callable[[Result], None]) -> list[Result]:
    results: list[Result] = []
    queue: asyncio.Queue[str] = asyncio.Queue()
    for url in urls:
        queue.put_nowait(url)

    async with Fetcher(settings.fetch) as fetcher, warc_writer(settings) as warc:
        pipeline = Pipeline(settings, store, pool, fetcher, warc)

        async def worker() -> None:
            while True:
                try:
                    url = queue.get_nowait()
                except asyncio.QueueEmpty:
                    return
                result = await pipeline.process(url)
                results.append(result)
                report(result)

        # The Fetcher enforces global and per-host limits; this only bounds the tasks alive at once.
        workers = max(1, min(settings.fetch.concurrency, queue.qsize()))
        await asyncio.gather(*(worker() for _ in range(workers)))
    return results


def fetch_urls(urls: Iterable[str], settings: Settings, report: Callable[[Result], None] = lambda r: None) -> list[Result]:
    """Fetch, extract and store every URL; report each Result as it completes.

    Raises StoreError (the archive is unusable), never a per-URL error: those become Results.
    """
    urls = list(dict.fromkeys(u.strip() for u in urls if u.strip()))
    with Store.open(settings.archive.path) as store, ExtractorPool(min(len(urls), os.cpu_count() or 1) or 1) as pool:
        return asyncio.run(_run(urls, settings, store, pool, report))


__all__ = ["ExtractorPool", "Pipeline", "Result", "extract_page", "fetch_urls"]
