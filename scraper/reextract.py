"""`scrape reextract`: extract every stored article again from its archived capture, no network.

Run it after the extractor improves. An article whose record comes out different is updated
the usual way (the old text goes to article_versions); a crawled page whose extraction
failed before is tried again from its capture. Takes the archive's lock, like a crawl.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from dataclasses import dataclass

from scraper.charset import decode_html
from scraper.config import Settings, SiteSelectors
from scraper.crawl.frontier import ensure_schema, now_iso
from scraper.crawl.lock import ArchiveLock
from scraper.errors import ExtractionError
from scraper.pipeline import ExtractorPool
from scraper.store import Store


@dataclass
class ReextractCounts:
    new: int = 0
    updated: int = 0
    unchanged: int = 0
    failed: int = 0

    def line(self) -> str:
        return f"reextracted {self.new + self.updated + self.unchanged + self.failed} captures: " \
               f"{self.new} new, {self.updated} updated, {self.unchanged} unchanged, {self.failed} failed"


@dataclass(frozen=True, slots=True)
class Job:
    url: str  # the article's URL in the archive (or the crawled URL that failed extraction)
    capture_id: int
    final_url: str
    charset: str | None


def jobs(store: Store) -> list[Job]:
    """The latest capture of every article, and of every crawled page whose extraction failed."""
    rows = store.db.execute(
        "SELECT a.url, c.id, c.final_url, c.charset FROM articles a JOIN captures c ON c.id = a.capture_id "
        "WHERE c.status = 200 ORDER BY a.id"
    ).fetchall()
    rows += store.db.execute(
        "SELECT u.url, max(c.id), c.final_url, c.charset FROM crawl_urls u JOIN captures c ON c.url = u.url "
        "WHERE u.error LIKE 'extraction failed%' AND c.status = 200 "
        "AND NOT EXISTS (SELECT 1 FROM articles a WHERE a.url IN (u.url, c.final_url)) GROUP BY u.url"
    ).fetchall()
    return [Job(*row) for row in rows]


def source_selectors(settings: Settings, store: Store) -> dict[str, SiteSelectors]:
    """URL -> the [sources.extract] selectors of the source that crawled it."""
    with_selectors = {s.name: s.extract for s in settings.sources if s.extract is not None}
    if not with_selectors:
        return {}
    marks = ",".join("?" * len(with_selectors))
    rows = store.db.execute(f"SELECT url, source FROM crawl_urls WHERE source IN ({marks})", list(with_selectors))
    return {url: with_selectors[source] for url, source in rows}


def reextract(settings: Settings, report: Callable[[str, str, str], None] = lambda s, u, d: None,
              workers: int | None = None) -> ReextractCounts:
    """Re-extract every stored article with ``workers`` processes (every core when None)."""
    path = settings.archive.path
    Store.open(path, create=False).close()  # a clear error for a missing archive, before the lock file is made
    with ArchiveLock(path, "reextract"), Store.open(path, create=False) as store:
        ensure_schema(store.db, path)
        todo = jobs(store)
        by_url = source_selectors(settings, store)
        with ExtractorPool(workers) as pool:
            return asyncio.run(run(store, pool, todo, settings, by_url, report))


async def run(store: Store, pool: ExtractorPool, todo: list[Job], settings: Settings,
              by_url: dict[str, SiteSelectors], report: Callable[[str, str, str], None]) -> ReextractCounts:
    counts = ReextractCounts()
    slots = asyncio.Semaphore(pool.workers * 2)

    async def one(job: Job) -> None:
        async with slots:
            html, _ = decode_html(store.capture_body(job.capture_id), job.charset)
            selectors = by_url.get(job.url) or settings.selectors_for(job.final_url)
            try:
                article = await pool.extract(html, job.final_url, selectors)
            except ExtractionError as exc:
                counts.failed += 1
                report("failed", job.url, f"extraction failed: {exc}")
                return
        # Saving is synchronous, so two jobs never interleave inside one article's transaction.
        outcome = store.save_article(article, url=job.url, capture_id=job.capture_id, seen=now_iso())
        key = "new" if outcome == "stored" else outcome
        setattr(counts, key, getattr(counts, key) + 1)
        report(outcome, job.url, article.title)

    await asyncio.gather(*(one(job) for job in todo))
    return counts
