"""The single exception tree. ``str(e)`` is the one line the user sees.

::

    ScraperError
    ├── ConfigError           config file unreadable, malformed, or with a bad key/value
    ├── FetchError (url)      any failure to get a page
    │   ├── InvalidURL        not an absolute http(s) URL
    │   ├── FetchTimeout      connect/read timeout or the per-page deadline
    │   ├── ConnectError      DNS, refused, reset, TLS
    │   │   └── NameNotResolved  no address for the host name
    │   ├── TooLarge          body over the size cap (after decompression too)
    │   ├── TooManyRedirects  redirect loop or chain over the limit
    │   ├── UnsafeRedirect    redirect to another scheme or to a forbidden address
    │   ├── HTTPStatusError   4xx/5xx after retries
    │   └── RobotsDisallowed  robots.txt forbids the URL
    ├── ExtractionError       the extractor could not make a record of the input
    │   └── WorkerDied        the worker process extracting it died (transient)
    ├── WarcError             a WARC file cannot be read or written at all
    └── StoreError            database missing directory, locked, unwritable or corrupt

Outside the tree, on purpose: ``Interrupted`` is a KeyboardInterrupt (Ctrl-C or SIGTERM stopped
fetch or import-warc at a safe point), so a script's Ctrl-C still behaves as one.

cli/common.py (user_errors) catches ScraperError in one place; anything else is a bug.
"""

from __future__ import annotations


class ScraperError(Exception):
    """Base of every error the user can cause or meet."""


class ConfigError(ScraperError):
    """The config file cannot be read, is not valid TOML, or has an unknown key or bad value."""


class FetchError(ScraperError):
    """A URL could not be fetched; ``reason`` says why, ``url`` which."""

    def __init__(self, url: str, reason: str) -> None:
        super().__init__(f"{url}: {reason}")
        self.url = url
        self.reason = reason


class InvalidURL(FetchError):
    """The URL is not an absolute http or https URL with a host."""


class FetchTimeout(FetchError):
    """A connect or read timeout, or the total deadline per page, ran out."""


class ConnectError(FetchError):
    """The host could not be reached: DNS failure, refused or reset connection, TLS error."""


class NameNotResolved(ConnectError):
    """The host name has no address (DNS): transient, but not worth asking again within seconds."""


class TooLarge(FetchError):
    """The body went over the configured size cap, counted after decompression."""


class TooManyRedirects(FetchError):
    """A redirect loop, or more redirects than allowed."""


class UnsafeRedirect(FetchError):
    """A redirect to a non-http(s) scheme or to an address the crawler must not visit."""


class HTTPStatusError(FetchError):
    """The server answered with a 4xx or 5xx status (after any retries)."""

    def __init__(self, url: str, status: int, reason: str | None = None) -> None:
        super().__init__(url, reason or f"HTTP {status}")
        self.status = status


class RobotsDisallowed(FetchError):
    """robots.txt of the host forbids fetching the URL with our user agent."""


class ExtractionError(ScraperError):
    """The extractor could not make a record of the input (documented, never another exception)."""


class WorkerDied(ExtractionError):
    """An extraction worker process died (killed, out of memory): bad luck, not the page's fault."""

    def __init__(self) -> None:
        super().__init__("extraction worker died")


class WarcError(ScraperError):
    """A WARC file cannot be read or written at all (a bad record inside one is only reported)."""


class StoreError(ScraperError):
    """The archive database cannot be opened or written: missing directory, locked, corrupt."""


class Interrupted(KeyboardInterrupt):
    """Ctrl-C or SIGTERM stopped the command between items: what was done is committed.

    ``summary`` is the command's totals line (what the Tally says was done), '' when not known.
    """

    def __init__(self, summary: str = "") -> None:
        super().__init__(summary)
        self.summary = summary
