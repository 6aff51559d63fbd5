"""`scrape reextract`: extract every stored article again from its archived capture, no network.

Run it after the extractor improves. An article whose record comes out different is updated
the usual way (the old text goes to article_versions); a crawled page whose extraction
failed before is tried again from its capture. Each page ends as any page does, in
journey.settle. Takes the archive's lock, like a crawl.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from dataclasses import dataclass

from scraper.charset import decode_html
from scraper.config import Settings, SiteSelectors
from scraper.crawl.lock import ArchiveLock
from scraper.crawl.tables import ensure_schema
from scraper.errors import ExtractionError
from scraper.journey import StoreEvery, settle
from scraper.models import Article, Page
from scraper.outcome import Outcome
from scraper.pipeline import ExtractorPool
from scraper.store import Store, now_iso
from scraper.summary import Tally


@dataclass(frozen=True, slots=True)
class Job:
    url: str  # the article's URL in the archive (or the crawled URL that failed extraction)
    capture_id: int
    final_url: str
    charset: str | None


def source_selectors(settings: Settings, store: Store) -> dict[str, SiteSelectors]:
    """URL -> the [sources.extract] selectors of the source that crawled it."""
    with_selectors = {s.name: s.extract for s in settings.sources if s.extract is not None}
    return {url: with_selectors[source] for url, source in store.crawled_by(list(with_selectors)).items()}


def reextract(settings: Settings, report: Callable[[Outcome], None] = lambda o: None, workers: int | None = None,
              on_total: Callable[[int], None] = lambda n: None) -> Tally:
    """Extract every archived article again with ``workers`` processes (every core when None); report each Outcome.

    ``on_total`` hears how many there are, before the first is done (a progress bar's total)."""
    path = settings.archive.path
    Store.open(path, create=False).close()  # a clear error for a missing archive, before the lock file is made
    with ArchiveLock(path, "reextract"), Store.open(path, create=False) as store:
        ensure_schema(store)
        todo = [Job(*row) for row in store.reextract_jobs()]
        on_total(len(todo))
        by_url = source_selectors(settings, store)
        with ExtractorPool(workers) as pool:
            return asyncio.run(run(store, pool, todo, settings, by_url, report))


async def run(store: Store, pool: ExtractorPool, todo: list[Job], settings: Settings,
              by_url: dict[str, SiteSelectors], report: Callable[[Outcome], None]) -> Tally:
    tally = Tally()
    slots = asyncio.Semaphore(pool.workers * 2)
    rules = StoreEvery(settings)

    async def one(job: Job) -> None:
        async with slots:
            html, _ = decode_html(store.capture_body(job.capture_id), job.charset)
            selectors = by_url.get(job.url) or settings.selectors_for(job.final_url)
            extracted: Article | ExtractionError
            try:
                extracted = await pool.extract(html, job.final_url, selectors)
            except ExtractionError as exc:
                extracted = exc
        # The page as archived: a 200 HTML answer, seen again now.
        page = Page(url=job.url, final_url=job.final_url, status=200, headers=(), content=b"",
                    fetched_at=now_iso(), content_type="text/html", charset=job.charset)
        # Saving is synchronous, so two jobs never interleave inside one article's transaction.
        outcome = settle(store, page, extracted, rules, capture_id=job.capture_id, url=job.url)
        tally.add(outcome)
        report(outcome)

    await asyncio.gather(*(one(job) for job in todo))
    return tally
