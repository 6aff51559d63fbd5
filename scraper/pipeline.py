"""fetch -> extract -> store for a list of URLs.

The event loop only fetches and writes; parsing runs in a process pool sized to the cores,
so a slow page never holds up the downloads. Each URL ends in exactly one Outcome (journey.py).
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
from typing import Any, Self

from scraper.charset import decode_html
from scraper.config import Settings, SiteSelectors
from scraper.errors import FetchError, Interrupted, WorkerDied
from scraper.extract import extract
from scraper.fetch import Fetcher
from scraper.journey import StoreEvery, take
from scraper.mediatype import media_type
from scraper.models import Article, Page
from scraper.outcome import Outcome, failure
from scraper.stopping import stop_on_signals
from scraper.store import Store, compress
from scraper.warc.write import RotatingWarcWriter


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
            raise WorkerDied from None

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

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


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


GRACE_S = 3.0  # how long fetches in flight may finish after Ctrl-C or SIGTERM before they are cancelled


async def _run(urls: Iterable[str], settings: Settings, store: Store, pool: ExtractorPool,
               report: Callable[[Outcome], None]) -> tuple[list[Outcome], bool]:
    """Every URL's Outcome, and whether a signal stopped the run before the end."""
    results: list[Outcome] = []
    rules = StoreEvery(settings)
    queue: asyncio.Queue[str] = asyncio.Queue()
    for url in urls:
        queue.put_nowait(url)
    loop = asyncio.get_running_loop()
    stopped = asyncio.Event()

    async with Fetcher(settings.fetch) as fetcher, warc_writer(settings) as warc:

        async def one(url: str) -> Outcome:
            try:
                etag, last_modified = store.validators(url)
                page = await fetcher.fetch(url, etag=etag, last_modified=last_modified)
            except FetchError as exc:
                return failure(url, exc)
            return await take(page, store, pool, rules, warc)

        async def worker() -> None:
            while not stopped.is_set():
                try:
                    url = queue.get_nowait()
                except asyncio.QueueEmpty:
                    return
                result = await one(url)
                results.append(result)
                report(result)

        # The Fetcher enforces global and per-host limits; this only bounds the tasks alive at once.
        count = max(1, min(settings.fetch.concurrency, queue.qsize()))
        with stop_on_signals(lambda: loop.call_soon_threadsafe(stopped.set)) as stop:
            tasks = [asyncio.create_task(worker()) for _ in range(count)]
            everything: asyncio.Future[Any] = asyncio.gather(*tasks)
            waiter: asyncio.Future[Any] = asyncio.create_task(stopped.wait())
            try:
                done, _ = await asyncio.wait({everything, waiter}, return_when=asyncio.FIRST_COMPLETED)
                if waiter in done:  # a signal: no new URL; the fetches in flight get a moment to finish
                    await asyncio.wait({everything}, timeout=GRACE_S)
            finally:
                # No worker may outlive the Fetcher: one failing (a full disk) must not leave the
                # others fetching through a closed client.
                waiter.cancel()
                for task in tasks:
                    task.cancel()
                await asyncio.gather(*tasks, return_exceptions=True)
                if everything.done() and not everything.cancelled():
                    everything.exception()  # read here, so asyncio does not log it as never retrieved
            errors = [t.exception() for t in tasks if not t.cancelled() and t.exception() is not None]
            if errors:
                raise errors[0]  # type: ignore[misc]
    return results, bool(stop)


def fetch_urls(urls: Iterable[str], settings: Settings,
               report: Callable[[Outcome], None] = lambda r: None) -> list[Outcome]:
    """Fetch, extract and store every URL; report each Outcome as it completes.

    Raises StoreError (the archive is unusable), never a per-URL error: those become Outcomes.
    Ctrl-C or SIGTERM raises Interrupted once what was fetched is stored.
    """
    urls = list(dict.fromkeys(u.strip() for u in urls if u.strip()))
    with Store.open(settings.archive.path) as store, ExtractorPool(min(len(urls), os.cpu_count() or 1) or 1) as pool:
        results, stopped = asyncio.run(_run(urls, settings, store, pool, report))
    if stopped:
        raise Interrupted
    return results


__all__ = ["ExtractorPool", "extract_page", "fetch_urls", "warc_writer"]
