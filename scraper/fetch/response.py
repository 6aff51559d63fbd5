"""URLs and answers as the fetcher sees them: checks, host names, and the Page an answer becomes."""

from __future__ import annotations

from urllib.parse import urlsplit

import httpx

from scraper.charset import decode_html
from scraper.errors import FetchError, InvalidURL
from scraper.fetch.wire import Response
from scraper.mediatype import HTML_TYPES, media_type, sniff
from scraper.models import Page, now_iso


def check_url(url: str) -> None:
    try:
        parts = urlsplit(url)
        parts.port  # noqa: B018 - raises ValueError on a bad port
    except ValueError as exc:
        raise InvalidURL(url, f"invalid URL: {exc}") from None
    if parts.scheme.lower() not in ("http", "https"):
        raise InvalidURL(url, f"not an http(s) URL (scheme {parts.scheme or 'missing'!r})")
    if not parts.hostname:
        raise InvalidURL(url, "URL has no host")


def ascii_host(url: str) -> str:
    """The host as it goes on the wire (IDNA for international names), lower case."""
    try:
        return httpx.URL(url).raw_host.decode("ascii").lower()
    except (httpx.InvalidURL, UnicodeError):
        return (urlsplit(url).hostname or "").lower()


def for_page(exc: FetchError, url: str) -> FetchError:
    """The same error, named after the page the user asked for rather than a redirect hop."""
    if exc.url == url:
        return exc
    return type(exc)(url, exc.reason)


def defragment(url: str) -> str:
    return url.partition("#")[0]


def make_page(url: str, final_url: str, response: Response, elapsed_s: float, redirects: tuple[str, ...],
              *, decode: bool = True) -> Page:
    """The Page for a response; ``decode=False`` leaves ``text`` for a worker process to fill."""
    declared, charset_param = media_type(response.header("content-type"))
    body = b"" if response.status == 304 else response.body
    content_type = sniff(declared, body) if body else declared
    text, charset = "", None
    if content_type in HTML_TYPES and decode:
        text, charset = decode_html(body, charset_param)
    return Page(
        url=url,
        final_url=final_url,
        status=response.status,
        headers=response.headers,
        content=body,
        fetched_at=now_iso(),
        content_type=content_type,
        charset=charset,
        text=text,
        elapsed_s=round(elapsed_s, 4),
        redirects=redirects,
    )
