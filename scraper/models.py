"""The records passed from stage to stage: fetch makes a Page, extract an Article.

They are frozen so a stage can never change what an earlier stage produced; store.py
is the only place that turns them into rows.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from typing import Any


def now_iso() -> str:
    """The time now as the records write it: ISO 8601, UTC, to the second."""
    return datetime.now(UTC).isoformat(timespec="seconds")


def header_value(headers: tuple[tuple[str, str], ...], name: str) -> str | None:
    """The first value of a header, matched without regard to case (HTTP names are case-insensitive)."""
    lname = name.lower()
    for key, value in headers:
        if key.lower() == lname:
            return value
    return None


@dataclass(frozen=True, slots=True)
class Quote:
    """A direct quotation in the article and the person it is attributed to, if any."""

    text: str
    speaker: str | None = None


@dataclass(frozen=True, slots=True)
class Link:
    """A hyperlink with an absolute URL and its visible text."""

    url: str
    text: str


@dataclass(frozen=True, slots=True)
class Article:
    """A clean article record: what the extractor makes of one HTML page."""

    url: str | None
    title: str
    body: str
    canonical_url: str | None = None
    authors: tuple[str, ...] = ()
    published: str | None = None  # ISO 8601
    modified: str | None = None  # ISO 8601
    language: str | None = None
    site_name: str | None = None
    description: str | None = None
    tags: tuple[str, ...] = ()
    image: str | None = None
    quotes: tuple[Quote, ...] = ()
    links: tuple[Link, ...] = ()  # links inside the article's own sentences
    related_links: tuple[Link, ...] = ()  # teasers, read-more boxes, previous/next

    @property
    def word_count(self) -> int:
        return len(self.body.split())

    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready dict: tuples become lists, quotes and links become dicts."""
        data = asdict(self)
        for key in ("authors", "tags"):
            data[key] = list(data[key])
        for key in ("quotes", "links", "related_links"):
            data[key] = [dict(item) for item in data[key]]
        return data


@dataclass(frozen=True, slots=True)
class Page:
    """One HTTP fetch as it came off the wire (body already content-decoded)."""

    url: str  # the URL that was asked for
    final_url: str  # after redirects
    status: int
    headers: tuple[tuple[str, str], ...]
    content: bytes
    fetched_at: str  # ISO 8601, UTC
    content_type: str = ""  # media type only, lower case, e.g. "text/html"
    charset: str | None = None  # the charset used to decode `text`
    text: str = ""  # decoded HTML, empty for non-HTML
    elapsed_s: float = 0.0
    redirects: tuple[str, ...] = field(default=())

    def header(self, name: str) -> str | None:
        return header_value(self.headers, name)

    @property
    def is_html(self) -> bool:
        return self.content_type in ("text/html", "application/xhtml+xml")
