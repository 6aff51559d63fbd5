"""A page's journey, capture -> extract -> store, in one place, ending in one Outcome.

Every driver calls it: ``scrape fetch`` (pipeline.py), ``scrape crawl`` (crawl/visit.py),
``scrape import-warc`` (warc/read.py) and ``scrape reextract`` (reextract.py). What differs
between them is passed in as ``PageRules``: which selectors a page gets, and whether an
extracted article is stored (the crawl stores a text found at a second address only once).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Protocol

from scraper.config import Settings, SiteSelectors
from scraper.errors import ExtractionError
from scraper.models import Article, Page
from scraper.outcome import Outcome, Reason, Status, failure, skipped
from scraper.store import Store

if TYPE_CHECKING:
    from scraper.pipeline import ExtractorPool
    from scraper.warc.write import RotatingWarcWriter


class PageRules(Protocol):
    """A driver's rules for the pages it takes."""

    def selectors_for(self, url: str) -> SiteSelectors | None:
        """The site selectors for a page (None: the extractor's own judgement)."""
        ...

    def judge(self, article: Article, page: Page) -> Outcome | None:
        """A reason not to store this article (a SKIPPED Outcome), or None to store it."""
        ...


@dataclass(frozen=True, slots=True)
class StoreEvery:
    """The rules of fetch, import-warc and reextract: the configured selectors, every article stored."""

    settings: Settings

    def selectors_for(self, url: str) -> SiteSelectors | None:
        return self.settings.selectors_for(url)

    def judge(self, article: Article, page: Page) -> Outcome | None:
        return None


def capture(store: Store, page: Page, warc: RotatingWarcWriter | None = None, *,
            digest: str | None = None, blob: bytes | None = None) -> int:
    """Keep the raw fetch: a capture in the archive, and a WARC record when warc_dir is set."""
    capture_id = store.add_capture(page, digest, blob)
    if warc is not None:
        warc.write_page(page)
    return capture_id


async def take(page: Page, store: Store, pool: ExtractorPool, rules: PageRules,
               warc: RotatingWarcWriter | None = None) -> Outcome:
    """The whole journey of a fetched page: capture it, extract it in the pool, settle it."""
    capture_id = capture(store, page, warc)
    extracted: Article | ExtractionError | None = None
    if page.status != 304 and page.is_html:
        try:
            extracted = await pool.extract(page.text, page.final_url, rules.selectors_for(page.final_url))
        except ExtractionError as exc:
            extracted = exc
    return settle(store, page, extracted, rules, capture_id=capture_id)


def settle(store: Store, page: Page, extracted: Article | ExtractionError | None, rules: PageRules, *,
           capture_id: int | None, url: str | None = None) -> Outcome:
    """The rest of the journey once the page is captured and extracted: the archive's rules, then the write.

    ``extracted`` is None when nothing was extracted (a 304, not HTML, not a 200); ``url`` is the
    article's address in the archive when it is not the page's final URL (reextract).
    """
    if page.status == 304:
        title = store.touch(page.url, page.final_url, seen=page.fetched_at)
        return Outcome(page.url, Status.UNCHANGED, title=title)
    if not page.is_html:
        return skipped(page.url, Reason.NOT_HTML, f"not HTML ({page.content_type or 'unknown type'})")
    if not 200 <= page.status < 300:
        return skipped(page.url, Reason.HTTP_STATUS, f"HTTP {page.status}", http_status=page.status)
    if isinstance(extracted, ExtractionError):
        return failure(page.url, extracted)
    if extracted is None:
        raise ValueError("settle: an HTML page needs its extraction")
    article = extracted
    if not article.body.strip():
        # A section page, a gallery, an error page dressed as 200: the capture stays, no article row.
        return skipped(page.url, Reason.NO_TEXT, str(Reason.NO_TEXT), title=article.title, article=article)
    verdict = rules.judge(article, page)
    if verdict is not None:
        return verdict
    status = store.save_article(article, url=url or page.final_url, capture_id=capture_id, seen=page.fetched_at)
    return Outcome(page.url, status, title=article.title, article=article)
