"""One request on the wire: send, read the body under the caps, translate httpx's errors.

Everything here is a single attempt; retries, redirects and politeness live in fetch.py.
Errors leave as FetchError subclasses whose reason is the user's one line.
"""

from __future__ import annotations

import asyncio
import re
import socket
import ssl
import time
from dataclasses import dataclass

import httpx

from scraper.errors import ConnectError, FetchError, FetchTimeout, InvalidURL, NameNotResolved, TooLarge, UnsafeRedirect
from scraper.fetch.decompress import BoundedDecoder, DecodeFailed, EndsEarly, Overflow
from scraper.models import header_value

REDIRECT_STATUSES = frozenset({301, 302, 303, 307, 308})
# Bodies of redirects and errors are read only so the connection can be reused.
SMALL_BODY_BYTES = 65_536
TRUNCATED = re.compile(r"received (\d+) bytes, expected (\d+)")


@dataclass(frozen=True, slots=True)
class Response:
    url: str
    status: int
    headers: tuple[tuple[str, str], ...]
    body: bytes
    elapsed_s: float
    http_version: str

    def header(self, name: str) -> str | None:
        return header_value(self.headers, name)


@dataclass(frozen=True, slots=True)
class Limits:
    connect_timeout_s: float
    read_timeout_s: float
    deadline_s: float
    max_bytes: int


async def request(client: httpx.AsyncClient, url: str, headers: dict[str, str], limits: Limits,
                  *, truncate: bool = False, time_left_s: float | None = None) -> Response:
    """GET ``url`` once. ``truncate`` keeps the first max_bytes instead of failing (robots.txt).

    ``time_left_s`` is what remains of the page's deadline after earlier redirect hops;
    the error still names the whole deadline, which is what the user configured.
    """
    started = time.monotonic()
    budget = limits.deadline_s if time_left_s is None else max(0.0, min(time_left_s, limits.deadline_s))
    try:
        async with asyncio.timeout(budget):
            async with client.stream("GET", url, headers=headers) as response:
                wanted = 200 <= response.status_code < 300
                cap = limits.max_bytes if wanted else min(limits.max_bytes, SMALL_BODY_BYTES)
                # Nobody needs more than the start of a redirect's or an error's body.
                body = await read_body(response, cap, url, keep_start=truncate or not wanted)
                return Response(
                    url=url,
                    status=response.status_code,
                    headers=tuple(response.headers.multi_items()),
                    body=body,
                    elapsed_s=time.monotonic() - started,
                    http_version=response.http_version,
                )
    except TimeoutError:
        raise FetchTimeout(url, f"timed out after {seconds(limits.deadline_s)} s") from None
    except httpx.HTTPError as exc:
        raise translate(exc, url, limits) from exc
    except (ssl.SSLError, OSError) as exc:  # a few slip past httpx's own mapping
        raise network_error(url, exc) from exc


async def read_body(response: httpx.Response, cap: int, url: str, *, keep_start: bool = False) -> bytes:
    """The content-decoded body, at most ``cap`` bytes of it.

    Over the cap (raw or decoded) it raises TooLarge, or with ``keep_start`` returns what
    was decoded so far and stops reading.
    """
    too_large = TooLarge(url, f"body larger than {cap} bytes")
    length = response.headers.get("content-length", "")
    if length.isdigit() and int(length) > cap and not keep_start:
        raise too_large
    decoder = BoundedDecoder(None, cap)
    try:
        decoder = BoundedDecoder(response.headers.get("content-encoding"), cap)
        received = 0
        async for chunk in response.aiter_raw():
            received += len(chunk)
            if received > cap:
                raise Overflow
            decoder.feed(chunk)
        return decoder.finish()
    except Overflow:
        if keep_start:
            return bytes(decoder.body)
        raise too_large from None
    except EndsEarly:
        if keep_start:
            return bytes(decoder.body)
        encoding = response.headers.get("content-encoding", "").strip()
        raise ConnectError(url, f"truncated body: the {encoding} stream ends early") from None
    except DecodeFailed as exc:
        raise FetchError(url, f"cannot decode body ({response.headers.get('content-encoding')}): {exc}") from None


def seconds(value: float) -> str:
    return f"{value:g}"


def translate(exc: httpx.HTTPError, url: str, limits: Limits) -> FetchError:
    if isinstance(exc, httpx.ConnectTimeout):
        return FetchTimeout(url, f"timed out after {seconds(limits.connect_timeout_s)} s connecting")
    if isinstance(exc, httpx.ReadTimeout):
        return FetchTimeout(url, f"timed out after {seconds(limits.read_timeout_s)} s waiting for data")
    if isinstance(exc, httpx.TimeoutException):
        return FetchTimeout(url, f"timed out ({type(exc).__name__})")
    if isinstance(exc, (httpx.UnsupportedProtocol, httpx.InvalidURL)):
        return InvalidURL(url, f"invalid URL: {exc}")
    if isinstance(exc, httpx.ConnectError):
        return network_error(url, exc)
    if isinstance(exc, httpx.RemoteProtocolError):
        message = str(exc)
        match = TRUNCATED.search(message)
        if match:
            return ConnectError(url, f"truncated body: received {match[1]} of {match[2]} bytes")
        if message.startswith("Invalid URL in location header"):
            return UnsafeRedirect(url, f"redirect to an invalid URL ({message.partition(': ')[2] or message})")
        if "without sending" in message and "response" in message:
            return ConnectError(url, "connection closed before a response")
        if "peer closed" in message.lower():
            return ConnectError(url, "truncated body: connection closed mid-response")
        return ConnectError(url, f"protocol error: {message}")
    if isinstance(exc, (httpx.ReadError, httpx.WriteError, httpx.NetworkError)):
        return network_error(url, exc)
    return FetchError(url, f"{type(exc).__name__}: {exc}")


def root_cause(exc: BaseException) -> BaseException:
    seen = set()
    while (exc.__cause__ or exc.__context__) is not None and id(exc) not in seen:
        seen.add(id(exc))
        exc = exc.__cause__ or exc.__context__  # type: ignore[assignment]
    return exc


def network_error(url: str, exc: BaseException) -> ConnectError:
    reason = connect_reason(exc)
    return (NameNotResolved if reason == NAME_NOT_RESOLVED else ConnectError)(url, reason)


NAME_NOT_RESOLVED = "name not resolved"


def connect_reason(exc: BaseException) -> str:
    """A short reason for a network error: refused, reset, name not resolved, TLS."""
    cause = root_cause(exc)
    text = f"{exc} {cause}".lower()
    if isinstance(cause, socket.gaierror) or "name or service not known" in text or "name resolution" in text \
            or "nodename nor servname" in text or "no address associated" in text:
        return NAME_NOT_RESOLVED
    if isinstance(cause, ConnectionRefusedError) or "connection refused" in text or "errno 111" in text:
        return "connection refused"
    if isinstance(cause, ConnectionResetError) or "connection reset" in text or "errno 104" in text:
        return "connection reset"
    if isinstance(cause, ssl.SSLError) or "ssl" in text or "certificate" in text:
        detail = getattr(cause, "reason", None) or str(cause)
        return f"TLS error: {str(detail).lower().replace('_', ' ')}"
    if "network is unreachable" in text or "no route to host" in text:
        return "network unreachable"
    message = str(cause) or str(exc) or type(cause).__name__
    return f"connection failed: {message}"
