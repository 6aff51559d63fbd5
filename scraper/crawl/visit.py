"""One source's share of a run: pick due URLs from the frontier, fetch them, record the outcome.

Feeds and sitemaps are read for URLs; start pages (and followed pages that are not articles)
for links; articles go through the shared Pipeline (capture, extract, store, versions). Every
outcome is written to the frontier only after the article is stored, in one transaction with
the URLs it led to.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections import deque
from dataclasses import asdict, dataclass, field, replace
from time import monotonic
from urllib.parse import urlsplit

from scraper.config import Settings, SiteSelectors, SourceSettings
from scraper.crawl.frontier import Frontier, Link, Row, hours_between, later, now_iso
from scraper.crawl.progress import Reporter
from scraper.crawl.sources import NotAFeed, base_href, page_links, parse_feed, parse_sitemap
from scraper.crawl.urls import Rules, normalise, site_of
from scraper.errors import (
    ConnectError,
    ExtractionError,
    FetchError,
    FetchTimeout,
    HTTPStatusError,
    RobotsDisallowed,
    StoreError,
)
from scraper.fetch import Fetcher
from scraper.models import Article, Page
from scraper.pipeline import ExtractorPool, Pipeline
from scraper.store import Store
from scraper.warc.write import RotatingWarcWriter

MAX_FAILURES = 5  # transient failures in a row before a URL is given up
RETRY_BASE_H = 0.25  # first retry after 15 minutes, doubling
NO_TEXT = "no article text"
SAME_TEXT = "same text as "
CANONICAL = "canonical URL is "


@dataclass
class Counts:
    """A source's line in the summary."""

    discovered: int = 0
    fetched: int = 0
    new: int = 0
    updated: int = 0
    unchanged: int = 0
    skipped: int = 0
    failed: int = 0
    seconds: float = 0.0

    def row(self) -> dict[str, float]:
        return asdict(self)


class CrawlPipeline(Pipeline):
    """The fetch pipeline with the source's selectors, storing a text already archived elsewhere once."""

    def __init__(self, *args: object, frontier: Frontier, rules: Rules, source_selectors: SiteSelectors | None = None,
                 **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.frontier = frontier
        self.rules = rules
        self.source_selectors = source_selectors

    def selectors_for(self, url: str) -> SiteSelectors | None:
        return self.source_selectors or super().selectors_for(url)

    def skip_reason(self, article: Article, page: Page) -> str | None:
        if not article.body.strip():
            return NO_TEXT  # a section page, a gallery, an error page dressed as 200
        url = page.final_url
        canonical = canonical_of(article, page)
        # A canonical on another site (syndicated copies, a mirror the source does not cover) is only
        # recorded: this crawl never fetches it, so skipping this copy would lose the article.
        if canonical is not None and (
            self.store.has_article(canonical)
            or (self.rules.same_site(canonical) and self.rules.wanted(canonical) and self.frontier.pending(canonical))
        ):
            # The canonical URL wins: that page is (or will be) the stored one, not this copy. If it was
            # fetched and gave no article (denied, gone), this copy is stored after all.
            return f"{CANONICAL}{canonical}"
        if self.store.has_article(url):
            return None  # the same record again: save_article updates it or finds it unchanged
        other = self.store.same_text(article, url)
        return f"{SAME_TEXT}{other}" if other else None


def canonical_of(article: Article, page: Page) -> str | None:
    """The article's canonical URL when it names another page than the one fetched.

    Not another page: the URL asked for, any redirect on the way (a canonical that redirects
    back here), or a site root (a site's template mistake, not a statement about this article).
    """
    if not article.canonical_url:
        return None
    canonical = normalise(article.canonical_url, page.final_url)
    here = {normalise(u) for u in (page.url, page.final_url, *page.redirects)}
    if canonical is None or canonical in here or urlsplit(canonical).path in ("", "/"):
        return None
    return canonical


def retry_at(exc: FetchError, failures: int) -> str | None:
    """When to try a failed URL again: later for a transient failure, never for a permanent one."""
    transient = isinstance(exc, (FetchTimeout, ConnectError)) or (
        isinstance(exc, HTTPStatusError) and (exc.status == 429 or exc.status >= 500)
    )
    if not transient or failures + 1 >= MAX_FAILURES:
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
    counts: Counts = field(default_factory=Counts)

    def __post_init__(self) -> None:
        s = self.source
        self.rules = Rules.make(s.allow, s.deny, s.article_urls, s.start_urls)
        self.fetch_settings = s.fetch or self.settings.fetch
        self.queue: deque[Row] = deque()
        self.in_flight: set[int] = set()
        self.pages = 0
        self.changed = asyncio.Event()

    async def run(self, shared: Fetcher | None = None) -> Counts:
        """Crawl until done; ``shared`` is the run's Fetcher for sources without [sources.fetch]."""
        started = monotonic()
        try:
            async with contextlib.AsyncExitStack() as stack:
                if shared is None or self.source.fetch is not None:
                    shared = await stack.enter_async_context(Fetcher(self.fetch_settings))
                self.fetcher = shared
                self.pipeline = CrawlPipeline(
                    self.settings, self.store, self.pool, shared, self.warc, frontier=self.frontier,
                    rules=self.rules, source_selectors=self.source.extract,
                )
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
                self.fail(row, f"internal error: {type(exc).__name__}: {exc}", None, None)
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
                               state="skipped", error=exc.reason)
            self.reporter.event(self.source.name, "skipped", row.url, exc.reason)
            return
        except FetchError as exc:
            self.fail(row, exc.reason, self.retry(row, exc), getattr(exc, "status", None))
            return
        self.counts.fetched += 1
        if not row.article:
            self.pipeline.record(page)  # feeds, sitemaps and hubs are captured too (articles in handle())
        try:
            if row.kind in ("feed", "sitemap"):
                self.read_listing(row, page)
            elif row.article:
                await self.read_article(row, page)
            else:
                self.read_hub(row, page)
        except NotAFeed as exc:
            self.fail(row, str(exc), self.retry(row, None), page.status)
        except ExtractionError as exc:
            # A crashed worker is bad luck, tried again later; anything else waits for `scrape reextract`.
            again = later(now_iso(), RETRY_BASE_H) if "worker died" in str(exc) and row.failures + 1 < MAX_FAILURES else None
            self.fail(row, f"extraction failed: {exc}", again, page.status)

    def retry(self, row: Row, exc: FetchError | None) -> str | None:
        """Feeds and sitemaps are tried again at their next refresh, whatever went wrong; pages by retry_at."""
        if row.kind in ("feed", "sitemap", "start"):
            return self.refresh_due(now_iso())
        return retry_at(exc, row.failures) if exc is not None else None

    def fail(self, row: Row, reason: str, when: str | None, status: int | None) -> None:
        self.counts.failed += 1
        self.frontier.failed(row, reason, retry_at=when, status=status)
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
                url = normalise(entry.url, page.final_url)
                if url:
                    found.append(Link(url, "sitemap", article=False, listed_modified=entry.modified))
            for entry in listing.pages:
                url = normalise(entry.url, page.final_url)
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
            url = normalise(href, base)
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
                               next_due=None, state="skipped", error=f"not HTML ({page.content_type})")
            self.reporter.event(self.source.name, "skipped", row.url, f"not HTML ({page.content_type or 'unknown type'})")
            return
        if row.kind == "start" and not self.rules.same_site(page.final_url):
            # The start URL redirected to another host (example.com -> example.co.uk): that is the site now.
            self.rules = self.pipeline.rules = replace(self.rules, sites=self.rules.sites | {site_of(page.final_url)})
        found = self.links(row, page)
        due = self.refresh_due(page.fetched_at) if row.kind == "start" else self.recheck_due(row, page.fetched_at)
        added = self.frontier.done(row, status=page.status, fetched_at=page.fetched_at,
                                   etag=validator(page, "etag", row.etag),
                                   last_modified=validator(page, "last-modified", row.last_modified), next_due=due, found=found)
        self.counts.discovered += added
        detail = "not modified" if page.status == 304 else f"{len(found)} links, {added} new"
        self.reporter.event(self.source.name, "read", row.url, detail)

    async def read_article(self, row: Row, page: Page) -> None:
        result = await self.pipeline.handle(page)
        found = self.links(row, page)
        if result.status == "skipped":
            self.counts.skipped += 1
            other = None
            duplicate = result.reason.startswith((SAME_TEXT, CANONICAL))
            if result.reason.startswith(SAME_TEXT):
                other = self.article_id(result.reason.removeprefix(SAME_TEXT))
            elif result.reason.startswith(CANONICAL):
                canonical = result.reason.removeprefix(CANONICAL)
                other = self.article_id(canonical)
                if self.rules.same_site(canonical) and self.rules.wanted(canonical):
                    found.append(Link(canonical, "page", depth=row.depth, follow=row.follow, article=True))
            # A page without text that is read for links is a hub: it is read again like one.
            due = self.recheck_due(row, page.fetched_at) if row.follow and result.reason == NO_TEXT else None
            added = self.frontier.done(row, status=page.status, fetched_at=page.fetched_at, etag=None, last_modified=None,
                                       next_due=due, state="duplicate" if duplicate else "skipped", error=result.reason,
                                       article_id=other, found=found)
            self.counts.discovered += added
            self.reporter.event(self.source.name, "skipped", row.url, result.reason)
            return
        status = {"stored": "new", "updated": "updated", "unchanged": "unchanged"}[result.status]
        setattr(self.counts, status, getattr(self.counts, status) + 1)
        declared = result.article.canonical_url if result.article else None
        aliases = {a for u in (page.final_url, declared) if u and (a := normalise(u)) and a != row.url}
        added = self.frontier.done(
            row, status=page.status, fetched_at=page.fetched_at, etag=validator(page, "etag", row.etag),
            last_modified=validator(page, "last-modified", row.last_modified),
            next_due=self.recheck_due(row, page.fetched_at),
            article_id=self.article_id(page.final_url, page.url), found=found, aliases=sorted(aliases),
        )
        self.counts.discovered += added
        self.reporter.event(self.source.name, result.status, row.url, result.title)

    def article_id(self, *urls: str) -> int | None:
        marks = ",".join("?" * len(urls))
        found = self.store.db.execute(
            f"SELECT id FROM articles WHERE url IN ({marks}) OR canonical_url IN ({marks}) ORDER BY id LIMIT 1",
            [*urls, *urls],
        ).fetchone()
        return int(found[0]) if found else None


def validator(page: Page, name: str, previous: str | None) -> str | None:
    """The page's ETag or Last-Modified; a 304 that omits it keeps the one we sent."""
    value = page.header(name)
    if value is None and page.status == 304:
        return previous
    return value
