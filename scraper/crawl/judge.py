"""The crawl's PageRules (journey.py): which extracted articles a crawl stores.

A crawl meets one story at many addresses (AMP copies, tracking parameters, syndicated
mirrors); it stores the text once, at its canonical URL when that page can be had.
"""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import urlsplit

from scraper.config import Settings, SiteSelectors
from scraper.crawl.frontier import Frontier
from scraper.crawl.urls import Rules, normal_url
from scraper.models import Article, Page
from scraper.outcome import Outcome, Reason, skipped
from scraper.store import Store


@dataclass
class CrawlRules:
    """The crawl's PageRules: the source's selectors, and a text stored once whatever its address."""

    settings: Settings
    store: Store
    frontier: Frontier
    rules: Rules
    source_selectors: SiteSelectors | None = None

    def selectors_for(self, url: str) -> SiteSelectors | None:
        return self.source_selectors or self.settings.selectors_for(url)

    def judge(self, article: Article, page: Page) -> Outcome | None:
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
            return skipped(page.url, Reason.CANONICAL, f"canonical URL is {canonical}", title=article.title,
                           article=article, other=canonical)
        if self.store.has_article(url):
            return None  # the same record again: save_article updates it or finds it unchanged
        other = self.store.same_text(article, url)
        if other is None:
            return None
        return skipped(page.url, Reason.SAME_TEXT, f"same text as {other}", title=article.title, article=article,
                       other=other)


def canonical_of(article: Article, page: Page) -> str | None:
    """The article's canonical URL when it names another page than the one fetched.

    Not another page: the URL asked for, any redirect on the way (a canonical that redirects
    back here), or a site root (a site's template mistake, not a statement about this article).
    """
    if not article.canonical_url:
        return None
    canonical = normal_url(article.canonical_url, page.final_url)
    here = {normal_url(u) for u in (page.url, page.final_url, *page.redirects)}
    if canonical is None or canonical in here or urlsplit(canonical).path in ("", "/"):
        return None
    return canonical
