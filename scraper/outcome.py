"""What became of one page, as a type: every driver (fetch, crawl, import-warc, reextract) gets one.

An Outcome has a Status (what happened to the archive), a Reason (why it was skipped or failed,
as a kind a program can test), the words the user reads (``detail``) and whether trying again
later may help (``transient``). Which failures are transient is decided here, once, as data.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from scraper.errors import (
    ConnectError,
    ExtractionError,
    FetchError,
    FetchTimeout,
    HTTPStatusError,
    RobotsDisallowed,
    ScraperError,
    TooLarge,
    WorkerDied,
)
from scraper.models import Article

# As Scrapy's RETRY_HTTP_CODES: the answers that say "not now" rather than "never".
RETRY_HTTP_CODES = frozenset({408, 429, 500, 502, 503, 504, 522, 524})
# Network trouble passes; a 404, a robots.txt rule or a size cap does not.
TRANSIENT_ERRORS: tuple[type[ScraperError], ...] = (FetchTimeout, ConnectError)


def transient(exc: BaseException) -> bool:
    """True when the same request may well succeed later: retried by the fetcher, re-queued by the crawl."""
    if isinstance(exc, HTTPStatusError):
        return exc.status in RETRY_HTTP_CODES
    return isinstance(exc, (*TRANSIENT_ERRORS, WorkerDied))


def gone(exc: BaseException) -> bool:
    """True when the server says the page is not there for us (a 4xx that is not "not now")."""
    return isinstance(exc, HTTPStatusError) and 400 <= exc.status < 500 and exc.status not in RETRY_HTTP_CODES


class Status(StrEnum):
    STORED = "stored"  # a new article
    UPDATED = "updated"  # a new version of an archived article
    UNCHANGED = "unchanged"  # fetched again, same text (or a 304)
    SKIPPED = "skipped"  # an outcome, not a failure: not HTML, no text, a copy of another page
    GONE = "gone"  # a link the crawl found answers 404, 410, 403...: the site's broken link, not a failure
    FAILED = "failed"


class Reason(StrEnum):
    """Why a page was skipped or failed."""

    NOT_HTML = "not HTML"
    NO_TEXT = "no article text"
    SAME_TEXT = "same text"  # the article is archived at another URL (``Outcome.other``)
    CANONICAL = "canonical"  # its canonical URL is (or will be) the stored one (``Outcome.other``)
    ROBOTS = "robots"
    HTTP_STATUS = "http status"
    TOO_LARGE = "too large"
    NETWORK = "network"  # timeouts, refused and reset connections, DNS
    FETCH = "fetch"  # any other fetch failure: bad URL, unsafe or endless redirects
    NOT_A_FEED = "not a feed"
    EXTRACTION = "extraction"
    DUPLICATE = "duplicate"  # a WARC record already imported
    DAMAGED = "damaged record"  # a WARC record that cannot be read
    INTERNAL = "internal"  # a bug: one page fails, the run goes on


@dataclass(frozen=True, slots=True)
class Outcome:
    """What became of one URL."""

    url: str
    status: Status
    reason: Reason | None = None
    detail: str = ""  # the reason in words: "HTTP 404", "not HTML (image/png)"
    title: str = ""
    article: Article | None = None
    other: str | None = None  # SAME_TEXT / CANONICAL: the URL that holds the text
    transient: bool = False
    http_status: int | None = None

    @property
    def ok(self) -> bool:
        return self.status is not Status.FAILED

    def line(self) -> str:
        """The one line a command prints for this URL."""
        if self.status in (Status.FAILED, Status.SKIPPED, Status.GONE):
            return f"{self.status}: {self.url}: {self.detail}"
        return f"{self.status}: {self.url} — {self.title}" if self.title else f"{self.status}: {self.url}"

    def as_dict(self) -> dict[str, object]:
        """The JSON line of ``--json``."""
        return {
            "url": self.url, "status": str(self.status), "reason": self.detail,
            "reason_kind": str(self.reason) if self.reason else None, "transient": self.transient,
            "title": self.title, "article": self.article.to_dict() if self.article else None,
        }


# The reason kind of an error, first match wins; any other error is FETCH.
ERROR_REASONS: tuple[tuple[type[Exception] | tuple[type[Exception], ...], Reason], ...] = (
    (ExtractionError, Reason.EXTRACTION),
    (RobotsDisallowed, Reason.ROBOTS),
    (HTTPStatusError, Reason.HTTP_STATUS),
    (TooLarge, Reason.TOO_LARGE),
    (TRANSIENT_ERRORS, Reason.NETWORK),
)


def failure(url: str, exc: ScraperError) -> Outcome:
    """The Outcome for an error raised on the way: its reason kind, words and transience."""
    reason = next((kind for cls, kind in ERROR_REASONS if isinstance(exc, cls)), Reason.FETCH)
    if isinstance(exc, FetchError):
        detail = exc.reason
    elif isinstance(exc, ExtractionError):
        detail = f"extraction failed: {exc}"
    else:
        detail = str(exc)
    return Outcome(url, Status.FAILED, reason, detail, transient=transient(exc),
                   http_status=getattr(exc, "status", None))


def skipped(url: str, reason: Reason, detail: str, **fields: object) -> Outcome:
    return Outcome(url, Status.SKIPPED, reason, detail, **fields)  # type: ignore[arg-type]
