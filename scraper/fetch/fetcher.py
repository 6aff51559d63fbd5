"""The HTTP fetcher: one pooled httpx client per run, polite, capped, and hard to steer.

``Fetcher.fetch(url)`` returns a Page for a 2xx or 304 answer and raises a FetchError
subclass for everything else. Per request it does, in order:

1. check the URL (http/https with a host) and, for a discovered link, the address it resolves to;
2. read robots.txt for the origin once per run (Crawl-delay slows the host down);
3. wait for a global slot, a slot for the host and the host's minimum delay;
4. send the GET and read the body under the size cap and the page's deadline, which
   spans the redirect chain but not retry or politeness waits (wire.py);
5. retry connection errors, timeouts, 429 and 5xx with backoff or Retry-After;
6. follow redirects by hand, refusing loops, other schemes and forbidden addresses.

The politeness state (robots rules, host slots, delays) lives in the instance, so it
holds for one run and is shared by every concurrent ``fetch``.
"""

from __future__ import annotations

import asyncio
import ssl
from types import TracebackType
from typing import Self
from urllib.parse import urljoin, urlsplit

import httpx

from scraper.config import FetchSettings
from scraper.errors import (
    ConnectError,
    FetchError,
    FetchTimeout,
    HTTPStatusError,
    InvalidURL,
    NameNotResolved,
    RobotsDisallowed,
    TooManyRedirects,
    UnsafeRedirect,
)
from scraper.fetch.backoff import backoff_delay, parse_retry_after
from scraper.fetch.decompress import accept_encoding
from scraper.fetch.hostpool import PerHostTransport
from scraper.fetch.netguard import AddressClass, AddressPolicy, IPAddress, Resolver, classify, resolve, worst
from scraper.fetch.ratelimit import Politeness
from scraper.fetch.response import ascii_host, check_url, defragment, for_page, make_page
from scraper.fetch.robots import MAX_ROBOTS_BYTES, RobotsCache, RobotsRules, origin_of, rules_from_response
from scraper.fetch.wire import REDIRECT_STATUSES, Limits, Response, refuse_other_schemes, request
from scraper.models import Page
from scraper.outcome import RETRY_HTTP_CODES, transient

ACCEPT = "text/html,application/xhtml+xml;q=0.9,*/*;q=0.8"
ROBOTS_REDIRECTS = 5  # RFC 9309: follow at least five


class Fetcher:
    def __init__(self, settings: FetchSettings, *, address_policy: AddressPolicy = classify,
                 resolver: Resolver = resolve, ssl_context: ssl.SSLContext | None = None) -> None:
        self.settings = settings
        self.ssl_context = ssl_context  # None: the system's trusted CAs
        self.address_policy = address_policy
        self.resolver = resolver
        self.limits = Limits(settings.connect_timeout_s, settings.read_timeout_s, settings.deadline_s, settings.max_bytes)
        self.client: httpx.AsyncClient | None = None
        self.politeness: Politeness | None = None
        self.robots: RobotsCache | None = None
        self.host_classes: dict[str, list[tuple[IPAddress, AddressClass]]] = {}

    async def __aenter__(self) -> Self:
        s = self.settings
        transport = PerHostTransport(http2=s.http2, per_host_connections=s.per_host_concurrency,
                                     max_hosts=max(64, 4 * s.concurrency), pins=self._pinned,
                                     ssl_context=self.ssl_context)
        self.client = httpx.AsyncClient(
            transport=transport,
            follow_redirects=False,
            event_hooks={"response": [refuse_other_schemes]},
            trust_env=False,  # the address checks must see the real destination, not a proxy
            timeout=httpx.Timeout(connect=s.connect_timeout_s, read=s.read_timeout_s,
                                  write=s.read_timeout_s, pool=s.deadline_s),
            headers={"User-Agent": s.user_agent, "Accept": ACCEPT, "Accept-Encoding": accept_encoding()},
        )
        self.politeness = Politeness(s.concurrency, s.per_host_concurrency, s.per_host_delay_s)
        self.robots = RobotsCache(self._load_robots)
        return self

    async def __aexit__(self, exc_type: type[BaseException] | None, exc: BaseException | None,
                        tb: TracebackType | None) -> None:
        if self.robots is not None:
            self.robots.close()
        if self.client is not None:
            await self.client.aclose()
        self.client = None

    async def fetch(self, url: str, *, etag: str | None = None, last_modified: str | None = None,
                    trusted: bool = True, referrer: str | None = None) -> Page:
        """Fetch one URL. ``trusted``: the user typed it, so a private address is fine (unless
        the settings' ``block_private``: then it must be public).

        For a discovered link (``trusted=False``) pass the page it was found on as
        ``referrer``: a link from a private page may stay in the private network, a link
        from a public page (or of unknown origin) may not.
        """
        if self.client is None:
            raise RuntimeError("use 'async with Fetcher(settings) as fetcher'")
        try:
            return await self._fetch(url, etag, last_modified, trusted, referrer)
        except FetchError:
            raise
        except Exception as exc:  # a bug or an httpx surprise: still one line for the user
            raise FetchError(url, f"unexpected error: {type(exc).__name__}: {exc}") from exc

    async def _fetch(self, url: str, etag: str | None, last_modified: str | None, trusted: bool,
                     referrer: str | None) -> Page:
        check_url(url)
        if not trusted:
            came_from = await self._origin_class(referrer, url) if referrer else "public"
            await self._check_destination(url, url, came_from, redirect=False)
        elif self.settings.block_private:
            await self._check_given(url)
        headers: dict[str, str] = {}
        if etag:
            headers["If-None-Match"] = etag
        if last_modified:
            headers["If-Modified-Since"] = last_modified
        current = url
        redirects: list[str] = []
        seen = {defragment(url)}
        elapsed = 0.0
        while True:
            if self.settings.respect_robots:
                await self._check_robots(url, current)
            # The deadline covers the whole redirect chain: each hop gets what is left of it.
            response = await self._get(url, current, headers, time_left_s=self.settings.deadline_s - elapsed)
            elapsed += response.elapsed_s
            location = response.header("location")
            if response.status in REDIRECT_STATUSES and location:
                target = await self._redirect_target(url, current, location, seen, len(redirects) + 1)
                redirects.append(current)
                seen.add(defragment(target))
                current = target
                continue
            if response.status == 304 or 200 <= response.status < 300:
                return make_page(url, current, response, elapsed, tuple(redirects))
            raise HTTPStatusError(url, response.status)

    async def _redirect_target(self, url: str, current: str, location: str, seen: set[str], count: int) -> str:
        try:
            target = urljoin(current, location.strip())
        except ValueError:
            raise UnsafeRedirect(url, f"redirect to an invalid URL: {location[:200]}") from None
        scheme = urlsplit(target).scheme.lower()
        if scheme not in ("http", "https"):
            raise UnsafeRedirect(url, f"redirect to non-http scheme: {scheme or '(none)'}")
        if defragment(target) in seen:
            raise TooManyRedirects(url, "redirect loop")
        if count > self.settings.max_redirects:
            raise TooManyRedirects(url, f"too many redirects ({count})")
        try:
            check_url(target)
        except InvalidURL as exc:
            raise UnsafeRedirect(url, f"redirect to an invalid URL: {exc.reason}") from None
        came_from = await self._origin_class(current, url)
        await self._check_destination(url, target, came_from, redirect=True)
        return target

    def _pinned(self, host: str) -> list[str] | None:
        """The checked addresses of a host, so the connection goes where the check looked."""
        checked = self.host_classes.get(host.lower())
        return [str(ip) for ip, _ in checked] if checked else None

    async def _addresses(self, target: str, url: str) -> list[tuple[IPAddress, AddressClass]]:
        """Every address the target's host resolves to, with its class; cached for the run."""
        parts = urlsplit(target)
        host = ascii_host(target)
        cached = self.host_classes.get(host)
        if cached is not None:
            return cached
        try:
            port = parts.port or (443 if parts.scheme == "https" else 80)
            addresses = await self.resolver(host, port)
        except (OSError, ValueError):
            raise NameNotResolved(url, f"name not resolved: {host}") from None
        if not addresses:
            raise NameNotResolved(url, f"name not resolved: {host}")
        result = self.host_classes[host] = [(ip, self.address_policy(ip)) for ip in addresses]
        return result

    async def _origin_class(self, page: str, url: str) -> AddressClass:
        """Where a page came from: public if any of its host's addresses is public.

        The benefit of the doubt goes the safe way: a name with one public answer counts
        as a public page, whose redirects may not enter the private network.
        """
        classes = {kind for _, kind in await self._addresses(page, url)}
        return "public" if "public" in classes else "private"

    async def _check_given(self, url: str) -> None:
        """A URL from the command line or config, with ``block_private`` on: only public addresses."""
        ip, kind = worst(await self._addresses(url, url))
        if kind != "public":
            raise UnsafeRedirect(url, f"{kind} address {ip} refused (fetch.block_private is on)")

    async def _check_destination(self, url: str, target: str, came_from: AddressClass, *, redirect: bool) -> None:
        ip, kind = worst(await self._addresses(target, url))
        what = "redirect" if redirect else "link"
        if kind == "forbidden":
            raise UnsafeRedirect(url, f"{what} to forbidden address {ip}")
        if kind == "private" and came_from != "private":
            raise UnsafeRedirect(url, f"{what} to private address {ip} from a public page")

    async def _check_robots(self, url: str, current: str) -> None:
        assert self.robots is not None and self.politeness is not None
        rules = await self.robots.rules(origin_of(current))
        if rules.failure is not None:
            raise for_page(rules.failure, url)
        if not rules.allows(current, self.settings.user_agent):
            reason = rules.unreachable or "disallowed by robots.txt"
            raise RobotsDisallowed(url, reason if current == url else f"{reason}: {current}")

    async def _load_robots(self, origin: str) -> RobotsRules:
        assert self.politeness is not None
        current = origin + "/robots.txt"
        seen = {current}
        try:
            for _ in range(ROBOTS_REDIRECTS + 1):
                response = await self._get(current, current, {}, truncate_at=MAX_ROBOTS_BYTES, paced=False)
                location = response.header("location")
                if response.status not in REDIRECT_STATUSES or not location:
                    rules = rules_from_response(response.status, response.body)
                    self.politeness.set_crawl_delay(urlsplit(origin).netloc, rules.crawl_delay(self.settings.user_agent))
                    return rules
                target = await self._redirect_target(current, current, location, seen, 1)
                seen.add(target)
                current = target
        except HTTPStatusError as exc:
            return RobotsRules(unreachable=f"robots.txt unreachable (HTTP {exc.status})")
        except (ConnectError, FetchTimeout) as exc:
            return RobotsRules(failure=exc)
        except FetchError:
            pass  # an unsafe or endless redirect: RFC 9309 treats that as "no robots.txt"
        return RobotsRules()

    async def _get(self, url: str, current: str, headers: dict[str, str], *, truncate_at: int | None = None,
                   time_left_s: float | None = None, paced: bool = True) -> Response:
        """One hop with retries. ``url`` names the page in errors; ``current`` is what is sent."""
        assert self.client is not None and self.politeness is not None
        s = self.settings
        host = urlsplit(current).netloc.lower()
        limits = self.limits if truncate_at is None else Limits(
            s.connect_timeout_s, s.read_timeout_s, s.deadline_s, min(truncate_at, s.max_bytes))
        attempts = max(1, s.attempts)
        for attempt in range(1, attempts + 1):
            try:
                async with self.politeness.slot(host, paced=paced):
                    response = await request(self.client, current, headers, limits, truncate=truncate_at is not None,
                                             time_left_s=time_left_s)
            except (FetchTimeout, ConnectError) as exc:
                # A failed lookup is worth a later run's retry, not another ask within seconds.
                if attempt == attempts or not transient(exc) or isinstance(exc, NameNotResolved):
                    raise for_page(exc, url) from exc
                await asyncio.sleep(backoff_delay(attempt, s.backoff_s))
                continue
            except FetchError as exc:
                raise for_page(exc, url) from exc
            if response.status not in RETRY_HTTP_CODES:
                return response
            wait = parse_retry_after(response.header("retry-after"))
            if wait is not None and wait > s.max_retry_after_s:
                raise HTTPStatusError(url, response.status, f"HTTP {response.status}, Retry-After {wait:.0f} s "
                                      f"is over the {s.max_retry_after_s:g} s limit")
            if attempt == attempts:
                raise HTTPStatusError(url, response.status, f"HTTP {response.status} ({attempts} attempts)"
                                      if attempts > 1 else None)
            if wait is not None:
                self.politeness.defer(host, wait)  # the whole host asked for a pause, not just this URL
            await asyncio.sleep(backoff_delay(attempt, s.backoff_s) if wait is None else wait)
        raise AssertionError("unreachable")  # pragma: no cover
