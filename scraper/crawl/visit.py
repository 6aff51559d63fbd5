"""One source's share of a run: pick due URLs from the frontier, fetch them, record the outcome.

Feeds and sitemaps are read for URLs; start pages (and followed pages that are not articles)
for links; articles take the journey every page takes (journey.py), under CrawlRules. Every
outcome is written to the frontier only after the article is stored, in one transaction with
the URLs it led to.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections import deque
from dataclasses import dataclass, field, replace
from time import monotonic

from scraper.config import Settings, SourceSettings
from scraper.crawl.frontier import Frontier, Link, Row, hours_between, later, now_iso
from scraper.crawl.judge import CrawlRules
from scraper.crawl.progress import Reporter
from scraper.crawl.sources import NotAFeed, base_href, page_links, parse_feed, parse_sitemap
from scraper.crawl.urls import Rules, normal_url, site_of
from scraper.errors import FetchError, RobotsDisallowed, StoreError
from scraper.fetch import Fetcher
from scraper.journey import capture, take
from scraper.models import Page
from scraper.outcome import Reason, Status, failure, gone, transient
from scraper.pipeline import ExtractorPool
from scraper.store import Store
from scraper.summary import Tally
from scraper.warc.write import RotatingWarcWriter

MAX_FAILURES = 5  # transient failures in a row before a URL is given up
RETRY_BASE_H = 0.25  # first retry after 15 minutes, doubling


def retry_at(exc: FetchError, failures: int) -> str | None:
    """When to try a failed URL again: later for a transient failure, never for a permanent one."""
    if not transient(exc) or failures + 1 >= MAX_FAILURES:
        return None
    return later(now_iso(), RETRY_BASE_H * 2**failures)


@dataclass
class SourceCrawl:
    """Crawls one source with its own Fetcher (its fetch overrides) until done, out of budget or stopped."""

    source: SourceSettings
    settings: Settings
    frontier: Frontier
    store: Store
    pool: ExtractorPool
    reporter: Reporter
    stop: asyncio.Event
    max_pages: int
    warc: RotatingWarcWriter | None = None
    counts: Tally = field(default_factory=Tally)

    def __post_init__(self) -> None:
        s = self.source
        self.rules = Rules.make(s.allow, s.deny, s.article_urls, s.start_urls)
        self.fetch_settings = s.fetch or self.settings.fetch
        self.queue: deque[Row] = deque()
        self.in_flight: set[int] = set()
        self.pages = 0
        self.changed = asyncio.Event()

    async def run(self, shared: Fetcher | None = None) -> Tally:
        """Crawl until done; ``shared`` is the run's Fetcher for sources without [sources.fetch]."""
        started = monotonic()
        try:
            async with contextlib.AsyncExitStack() as stack:
                if shared is None or self.source.fetch is not None:
                    shared = await stack.enter_async_context(Fetcher(self.fetch_settings))
                self.fetcher = shared
                self.page_rules = CrawlRules(self.settings, self.store, self.frontier, self.rules, self.source.extract)
                s = self.fetch_settings
                workers = max(1, min(s.concurrency, 2 * s.per_host_concurrency, 8))
                await asyncio.gather(*(self.worker() for _ in range(workers)))
        finally:
            self.counts.seconds = round(monotonic() - started, 2)
            self.reporter.finished(self.source.name)
        return self.counts

    # -- picking ----------------------------------------------------------------

    async def next_row(self) -> Row | None:
        while not self.stop.is_set():
            while self.queue:
                row = self.queue.popleft()
                if row.counts_as_page:
                    if self.pages >= self.max_pages:
                        continue  # out of budget: it stays due for the next run
                    self.pages += 1
                return row
            rows = self.frontier.due(self.source.name, pages=self.pages < self.max_pages, exclude=self.in_flight)
            if rows:
                self.queue.extend(rows)
                continue
            if not self.in_flight:
                return None
            # Others are still fetching and may find more URLs: wait for one to finish.
            self.changed.clear()
            await self.changed.wait()
        return None

    async def worker(self) -> None:
        while (row := await self.next_row()) is not None:
            self.in_flight.add(row.id)
            try:
                await self.visit(row)
            except StoreError:
                raise  # the archive is unusable: the run stops
            except Exception as exc:  # noqa: BLE001 - a bug on one page must not stop every cron run
                self.fail(row, f"internal error: {type(exc).__name__}: {exc}", None, None, Reason.INTERNAL)
            finally:
                self.in_flight.discard(row.id)
                self.changed.set()

    # -- one URL ------------------------------------------------------------------

    async def visit(self, row: Row) -> None:
        try:
            page = await self.fetcher.fetch(
                row.url, etag=row.etag, last_modified=row.last_modified,
                # URLs from config.toml are the user's own; found ones are checked against the page that listed them.
                trusted=row.found_on is None, referrer=row.found_on,
            )
        except RobotsDisallowed as exc:
            # The site asked us not to: an outcome, not a failure (cron should not mail about it).
            self.counts.skipped += 1
            self.frontier.done(row, status=0, fetched_at=now_iso(), etag=None, last_modified=None,
                               next_due=self.retry(row, None) if row.found_on is None else None,
                               state="skipped", error=exc.reason, reason=Reason.ROBOTS)
            self.reporter.event(self.source.name, "skipped", row.url, exc.reason)
            return
        except FetchError as exc:
            outcome = failure(row.url, exc)
            if row.kind == "page" and gone(exc):
                # A broken link on the site (a page found on another, never one the user configured):
                # counted, not a failure of the run. Only the seeds are the user's promise.
                self.counts.gone += 1
                self.frontier.failed(row, outcome.detail, retry_at=None, status=outcome.http_status, reason=outcome.reason)
                self.reporter.event(self.source.name, str(Status.GONE), row.url, outcome.detail)
            else:
                self.fail(row, outcome.detail, self.retry(row, exc), outcome.http_status, outcome.reason)
            return
        self.counts.fetched += 1
        if not row.article:
            capture(self.store, page, self.warc)  # feeds, sitemaps and hubs are captured too (articles in take())
        try:
            if row.kind in ("feed", "sitemap"):
                self.read_listing(row, page)
            elif row.article:
                await self.read_article(row, page)
            else:
                self.read_hub(row, page)
        except NotAFeed as exc:
            self.fail(row, str(exc), self.retry(row, None), page.status, Reason.NOT_A_FEED)

    def retry(self, row: Row, exc: FetchError | None) -> str | None:
        """Feeds and sitemaps are tried again at their next refresh, whatever went wrong; pages by retry_at."""
        if row.kind in ("feed", "sitemap", "start"):
            return self.refresh_due(now_iso())
        return retry_at(exc, row.failures) if exc is not None else None

    def fail(self, row: Row, reason: str, when: str | None, status: int | None, kind: Reason | None) -> None:
        self.counts.failed += 1
        self.frontier.failed(row, reason, retry_at=when, status=status, reason=kind)
        self.reporter.event(self.source.name, "failed", row.url, reason)

    def recheck_due(self, row: Row, fetched_at: str) -> str | None:
        """Next check of a page: every recheck_every_h, for recheck_for_h after it was first found."""
        s = self.source
        if hours_between(row.found_at, fetched_at) >= s.recheck_for_h:
            return None
        return later(fetched_at, s.recheck_every_h)

    def refresh_due(self, fetched_at: str) -> str:
        return later(fetched_at, self.source.refresh_every_m / 60)

    def read_listing(self, row: Row, page: Page) -> None:
        found: list[Link] = []
        if page.status != 304:
            listing = parse_feed(page.content) if row.kind == "feed" else parse_sitemap(page.content)
            for warning in listing.warnings:
                self.reporter.warning(self.source.name, f"{row.url}: {warning}")
            for entry in listing.sitemaps:
                url = normal_url(entry.url, page.final_url)
                if url:
                    found.append(Link(url, "sitemap", article=False, listed_modified=entry.modified))
            for entry in listing.pages:
                url = normal_url(entry.url, page.final_url)
                if url is None:
                    self.reporter.warning(self.source.name, f"{row.url}: entry URL {entry.url[:100]!r} is not http(s); skipped")
                elif self.rules.wanted(url):
                    found.append(Link(url, "page", depth=1, listed_modified=entry.modified))
        added = self.frontier.done(
            row, status=page.status, fetched_at=page.fetched_at, etag=validator(page, "etag", row.etag),
            last_modified=validator(page, "last-modified", row.last_modified), next_due=self.refresh_due(page.fetched_at),
            found=found,
        )
        self.counts.discovered += added
        detail = "not modified" if page.status == 304 else f"{len(found)} URLs, {added} new"
        self.reporter.event(self.source.name, "listed", row.url, detail)

    def links(self, row: Row, page: Page) -> list[Link]:
        """Same-site links of a page to follow, if it is not already max_depth away from its start URL."""
        if not row.follow or not page.text:
            return []
        base = base_href(page.text, page.final_url)
        depth = row.depth + 1
        result: dict[str, Link] = {}
        for href in page_links(page.text):
            url = normal_url(href, base)
            if url is None or url == row.url or not self.rules.same_site(url) or not self.rules.wanted(url):
                continue
            follow = depth < self.source.max_depth
            article = self.rules.is_article(url)
            if follow or article:
                result[url] = Link(url, "page", depth=depth, follow=follow, article=article)
        return list(result.values())

    def read_hub(self, row: Row, page: Page) -> None:
        """A start page, or a followed page that is not an article: only its links matter."""
        if page.status != 304 and not page.is_html:
            self.counts.skipped += 1
            self.frontier.done(row, status=page.status, fetched_at=page.fetched_at, etag=None, last_modified=None,
                               next_due=None, state="skipped", error=f"not HTML ({page.content_type})",
                               reason=Reason.NOT_HTML)
            self.reporter.event(self.source.name, "skipped", row.url, f"not HTML ({page.content_type or 'unknown type'})")
            return
        if row.kind == "start" and not self.rules.same_site(page.final_url):
            # The start URL redirected to another host (example.com -> example.co.uk): that is the site now.
            self.rules = self.page_rules.rules = replace(self.rules, sites=self.rules.sites | {site_of(page.final_url)})
        found = self.links(row, page)
        due = self.refresh_due(page.fetched_at) if row.kind == "start" else self.recheck_due(row, page.fetched_at)
        added = self.frontier.done(row, status=page.status, fetched_at=page.fetched_at,
                                   etag=validator(page, "etag", row.etag),
                                   last_modified=validator(page, "last-modified", row.last_modified), next_due=due, found=found)
        self.counts.discovered += added
        detail = "not modified" if page.status == 304 else f"{len(found)} links, {added} new"
        self.reporter.event(self.source.name, "read", row.url, detail)

    async def read_article(self, row: Row, page: Page) -> None:
        result = await take(page, self.store, self.pool, self.page_rules, self.warc)
        if result.status is Status.FAILED:
            # A crashed worker is bad luck, tried again later; anything else waits for `scrape reextract`.
            again = later(now_iso(), RETRY_BASE_H) if result.transient and row.failures + 1 < MAX_FAILURES else None
            self.fail(row, result.detail, again, page.status, result.reason)
            return
        found = self.links(row, page)
        self.counts.add(result)
        if result.status is Status.SKIPPED:
            duplicate = result.reason in (Reason.SAME_TEXT, Reason.CANONICAL)
            other = self.store.article_id(result.other) if result.other else None
            if result.reason is Reason.CANONICAL and result.other and self.rules.same_site(result.other) \
                    and self.rules.wanted(result.other):
                found.append(Link(result.other, "page", depth=row.depth, follow=row.follow, article=True))
            # A page without text that is read for links is a hub: it is read again like one.
            due = self.recheck_due(row, page.fetched_at) if row.follow and result.reason is Reason.NO_TEXT else None
            added = self.frontier.done(row, status=page.status, fetched_at=page.fetched_at, etag=None, last_modified=None,
                                       next_due=due, state="duplicate" if duplicate else "skipped", error=result.detail,
                                       reason=result.reason, article_id=other, found=found)
            self.counts.discovered += added
            self.reporter.event(self.source.name, "skipped", row.url, result.detail)
            return
        declared = result.article.canonical_url if result.article else None
        aliases = {a for u in (page.final_url, declared) if u and (a := normal_url(u)) and a != row.url}
        added = self.frontier.done(
            row, status=page.status, fetched_at=page.fetched_at, etag=validator(page, "etag", row.etag),
            last_modified=validator(page, "last-modified", row.last_modified),
            next_due=self.recheck_due(row, page.fetched_at),
            article_id=self.store.article_id(page.final_url, page.url), found=found, aliases=sorted(aliases),
        )
        self.counts.discovered += added
        self.reporter.event(self.source.name, str(result.status), row.url, result.title)


def validator(page: Page, name: str, previous: str | None) -> str | None:
    """The page's ETag or Last-Modified; a 304 that omits it keeps the one we sent."""
    value = page.header(name)
    if value is None and page.status == 304:
        return previous
    return value
