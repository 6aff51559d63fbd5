"""`scrape crawl`: one run over the configured sources, under the archive's lock.

Each source runs concurrently with its own Fetcher; they share the Store, the extractor
pool and the WARC output. SIGINT or SIGTERM (and --max-time) stop the picking of new URLs
at once and give the fetches in flight a few seconds before cancelling them; everything
finished is already committed, so the run just records its summary and returns.
"""

from __future__ import annotations

import asyncio
import contextlib
import re
import signal
from dataclasses import dataclass, field
from time import monotonic
from typing import Any

from scraper.config import Settings, SourceSettings
from scraper.crawl.frontier import Frontier, Link
from scraper.crawl.lock import ArchiveLock
from scraper.crawl.progress import Plan, Reporter
from scraper.crawl.urls import normal_url
from scraper.crawl.visit import SourceCrawl
from scraper.errors import ConfigError, ScraperError
from scraper.fetch import Fetcher
from scraper.pipeline import ExtractorPool, warc_writer
from scraper.scale.partition import Shard, sources_in
from scraper.store import Store
from scraper.summary import CRAWL_OUTCOMES, Exit, Tally, table

GRACE_S = 3.0  # how long fetches in flight may finish after a stop before they are cancelled



@dataclass
class Summary:
    """What a run did, per source, and how it ended."""

    run_id: int
    sources: dict[str, Tally] = field(default_factory=dict)
    outcome: str = "finished"  # finished, interrupted, time limit, failed (the run itself broke: disk full)
    seconds: float = 0.0

    @property
    def exit_code(self) -> int:
        if self.outcome == "interrupted":
            return Exit.INTERRUPTED
        if self.outcome == "failed":
            return Exit.FAILED
        return Exit.FAILED if any(c.failed for c in self.sources.values()) else Exit.OK

    @property
    def total(self) -> Tally:
        total = Tally(seconds=self.seconds)
        for tally in self.sources.values():
            total += tally
        total.seconds = self.seconds
        return total

    def rows(self) -> list[dict[str, Any]]:
        """crawl_run_sources rows; the table's column for stored articles is called ``new``."""
        return [{"source": name, "discovered": t.discovered, "fetched": t.fetched, "new": t.stored,
                 "updated": t.updated, "unchanged": t.unchanged, "skipped": t.skipped, "gone": t.gone, "failed": t.failed,
                 "seconds": t.seconds} for name, t in self.sources.items()]

    def as_dict(self) -> dict[str, Any]:
        return {"run": self.run_id, "outcome": self.outcome, "seconds": self.seconds,
                "total": self.total.as_dict(), "sources": {name: t.as_dict() for name, t in self.sources.items()}}

    def table(self) -> str:
        lines = table(self.sources, self.seconds)
        ending = {"finished": "finished", "interrupted": "interrupted; what was fetched is stored, the next run goes on",
                  "time limit": "stopped at --max-time; the next run goes on",
                  "failed": "failed; what was stored before the error is kept"}[self.outcome]
        return "\n".join([*lines, self.total.line("crawled", CRAWL_OUTCOMES), f"crawl {ending} in {self.seconds:.1f} s (run {self.run_id})"])


def parse_duration(text: str) -> float:
    """Seconds in '90', '90s', '10m', '1h30m', '2d'."""
    parts = re.fullmatch(r"\s*(?:(\d+(?:\.\d+)?)d)?\s*(?:(\d+(?:\.\d+)?)h)?\s*(?:(\d+(?:\.\d+)?)m)?\s*(?:(\d+(?:\.\d+)?)s?)?\s*", text)
    if not text.strip() or parts is None or not any(parts.groups()):
        raise ConfigError(f"--max-time: expected a duration like 90s, 10m or 1h30m, got {text!r}")
    d, h, m, s = (float(g) if g else 0.0 for g in parts.groups())
    return d * 86400 + h * 3600 + m * 60 + s


def select_sources(settings: Settings, names: list[str] | None, shard: Shard | None = None) -> list[SourceSettings]:
    if not settings.sources:
        raise ConfigError("no [[sources]] in the config file: nothing to crawl (see config.toml for an example)")
    if not names:
        chosen = list(settings.sources)
    else:
        known = {s.name: s for s in settings.sources}
        for name in names:
            if name not in known:
                raise ConfigError(f"--source: no source named {name!r} (configured: {', '.join(known)})")
        chosen = [known[name] for name in dict.fromkeys(names)]
    return chosen if shard is None else sources_in(chosen, shard)


def seeds(source: SourceSettings) -> list[Link]:
    links = []
    for urls, kind in ((source.feeds, "feed"), (source.sitemaps, "sitemap"), (source.start_urls, "start")):
        for url in urls:
            clean = normal_url(url) or url
            links.append(Link(clean, kind, follow=kind == "start" and source.max_depth > 0, article=False))  # type: ignore[arg-type]
    return links


def crawl(settings: Settings, reporter: Reporter, *, sources: list[str] | None = None, max_pages: int | None = None,
          max_time_s: float | None = None, shard: Shard | None = None, workers: int | None = None) -> Summary:
    """Run every selected source once (those of ``shard`` only, if given); raises Locked if another run holds the archive.

    ``workers`` extraction processes, all the cores when None.
    """
    chosen = select_sources(settings, sources, shard)
    path = settings.archive.path
    with ArchiveLock(path, "crawl"), Store.open(path) as store:
        frontier = Frontier(store)
        for source in chosen:
            frontier.seed(source.name, seeds(source), source.refresh_every_m)
        summary = Summary(frontier.start_run())
        pool = ExtractorPool(workers)  # its workers ignore Ctrl-C themselves
        started = monotonic()
        try:
            asyncio.run(run_sources(settings, chosen, frontier, store, pool, reporter, summary, max_pages, max_time_s))
        except BaseException:
            # A full disk, an unwritable WARC, a bug: the record must not say "finished", exit 0.
            if summary.outcome != "interrupted":
                summary.outcome = "failed"
            with contextlib.suppress(ScraperError):  # the disk may still be full: the first error is the one to tell
                finish(summary, started, reporter, pool, frontier)
            raise
        finish(summary, started, reporter, pool, frontier)
    return summary


def finish(summary: Summary, started: float, reporter: Reporter, pool: ExtractorPool, frontier: Frontier) -> None:
    """Stop the workers and record the run's outcome in crawl_runs."""
    # The loop's handlers are gone: a SIGTERM now would kill us before the summary is recorded,
    # and finishing takes a moment, so it is ignored until then.
    previous = signal.signal(signal.SIGTERM, signal.SIG_IGN)
    try:
        summary.seconds = round(monotonic() - started, 2)
        reporter.stop()
        pool.close()
        frontier.finish_run(summary.outcome, summary.exit_code, summary.rows())
    finally:
        signal.signal(signal.SIGTERM, previous)


async def run_sources(settings: Settings, chosen: list[SourceSettings], frontier: Frontier, store: Store,
                      pool: ExtractorPool, reporter: Reporter, summary: Summary, max_pages: int | None,
                      max_time_s: float | None) -> None:
    loop = asyncio.get_running_loop()
    stop = asyncio.Event()

    def on_signal(signum: int) -> None:
        summary.outcome = "interrupted"
        stop.set()
        for sig in (signal.SIGINT, signal.SIGTERM):
            loop.remove_signal_handler(sig)  # a second Ctrl-C is not polite any more

    for sig in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(sig, on_signal, sig)
    try:
        # One Fetcher for every source without its own [sources.fetch], so two sources on one host
        # share its politeness (slots, delay, robots.txt) instead of doubling it.
        async with warc_writer(settings) as warc, Fetcher(settings.fetch) as shared:
            crawls = [
                SourceCrawl(source, settings, frontier, store, pool, reporter, stop,
                            max_pages if max_pages is not None else source.max_pages, warc)
                for source in chosen
            ]
            for c in crawls:
                summary.sources[c.source.name] = c.counts
            # What each bar starts from; it grows as links are found (Plan.counts.discovered).
            reporter.start({c.source.name: Plan(len(frontier.due(c.source.name, pages=True, exclude=set(),
                                                                 limit=c.max_pages + 100)), c.max_pages, c.counts)
                            for c in crawls})
            tasks = [asyncio.create_task(c.run(shared)) for c in crawls]
            everything: asyncio.Future[Any] = asyncio.gather(*tasks, return_exceptions=True)
            stopper: asyncio.Future[Any] = asyncio.create_task(watch(stop, max_time_s, summary))
            try:
                done, _ = await asyncio.wait({everything, stopper}, return_when=asyncio.FIRST_COMPLETED)
                if stopper in done:
                    # Stopped: no new URLs are picked; give the fetches in flight a moment, then cancel them.
                    for c in crawls:
                        c.changed.set()  # wake workers waiting for more URLs so they see the stop
                    await asyncio.wait({everything}, timeout=GRACE_S)
                    for task in tasks:
                        task.cancel()
                results = await everything
            finally:
                stopper.cancel()
            for result in results:
                if isinstance(result, BaseException) and not isinstance(result, asyncio.CancelledError):
                    raise result
    finally:
        for sig in (signal.SIGINT, signal.SIGTERM):
            loop.remove_signal_handler(sig)


async def watch(stop: asyncio.Event, max_time_s: float | None, summary: Summary) -> None:
    """Returns when the run must stop: a signal, or --max-time."""
    try:
        await asyncio.wait_for(stop.wait(), timeout=max_time_s)
    except TimeoutError:
        if summary.outcome == "finished":
            summary.outcome = "time limit"
        stop.set()
