"""Connection pools kept per host instead of one pool for the whole run.

httpcore scans every connection in its pool on each request and each response close,
so one pool of 32 connections costs more CPU per page than the rest of the fetch.
Politeness already caps a host at a few connections, so a small pool per host gives the
same reuse for a fraction of the work. Pools of hosts that went quiet are closed, so a
crawl over thousands of hosts does not keep thousands of sockets open.

Connections go to the addresses the fetcher already checked (``pins``), not to a second
DNS answer: otherwise a name could resolve to a public address for the check and to
169.254.169.254 for the connection (DNS rebinding).
"""

from __future__ import annotations

import ssl
from collections import OrderedDict
from collections.abc import Callable, Iterable, Sequence
from typing import Any

import httpcore
import httpx

Pins = Callable[[str], Sequence[str] | None]


class PerHostTransport(httpx.AsyncBaseTransport):
    def __init__(self, *, http2: bool, per_host_connections: int, max_hosts: int = 256,
                 ssl_context: ssl.SSLContext | None = None, pins: Pins | None = None) -> None:
        self.http2 = http2
        self.pins = pins
        self.limits = httpx.Limits(max_connections=max(1, per_host_connections),
                                   max_keepalive_connections=max(1, per_host_connections))
        self.max_hosts = max(1, max_hosts)
        # One context for all pools: building one loads the CA bundle, which is slow and large.
        self.ssl_context = ssl_context or httpx.create_ssl_context(trust_env=False)
        self.pools: OrderedDict[tuple[bytes, bytes, int | None], httpx.AsyncHTTPTransport] = OrderedDict()
        self.in_flight: dict[tuple[bytes, bytes, int | None], int] = {}

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        key = (request.url.raw_scheme, request.url.raw_host, request.url.port)
        pool = self.pools.get(key)
        if pool is None:
            await self._evict_idle()
            pool = self.pools[key] = self._make_pool()
        self.pools.move_to_end(key)
        self.in_flight[key] = self.in_flight.get(key, 0) + 1
        try:
            response = await pool.handle_async_request(request)
        except BaseException:
            self.in_flight[key] -= 1
            raise
        # The response body streams after this returns: count the request done when it closes.
        stream = response.stream
        assert isinstance(stream, httpx.AsyncByteStream)
        response.stream = Tracked(stream, lambda: self._done(key))
        return response

    def _make_pool(self) -> httpx.AsyncHTTPTransport:
        transport = httpx.AsyncHTTPTransport(verify=self.ssl_context, http2=self.http2, limits=self.limits,
                                             trust_env=False)
        if self.pins is not None:
            # httpx has no parameter for the network backend; its pool is rebuilt with the
            # same settings plus the pinning backend.
            transport._pool = httpcore.AsyncConnectionPool(
                ssl_context=self.ssl_context,
                max_connections=self.limits.max_connections,
                max_keepalive_connections=self.limits.max_keepalive_connections,
                keepalive_expiry=self.limits.keepalive_expiry,
                http1=True,
                http2=self.http2,
                network_backend=PinnedBackend(self.pins),
            )
        return transport

    def _done(self, key: tuple[bytes, bytes, int | None]) -> None:
        self.in_flight[key] -= 1

    async def _evict_idle(self) -> None:
        """Close the least recently used pools with nothing in flight, beyond max_hosts."""
        for key in list(self.pools):
            if len(self.pools) < self.max_hosts:
                return
            if self.in_flight.get(key, 0) == 0:
                pool = self.pools.pop(key)
                self.in_flight.pop(key, None)
                await pool.aclose()

    async def aclose(self) -> None:
        pools = list(self.pools.values())
        self.pools.clear()
        for pool in pools:
            await pool.aclose()


class Tracked(httpx.AsyncByteStream):
    def __init__(self, stream: httpx.AsyncByteStream, on_close: object) -> None:
        self.stream = stream
        self.on_close = on_close
        self.closed = False

    async def __aiter__(self):  # type: ignore[override]
        async for chunk in self.stream:
            yield chunk

    async def aclose(self) -> None:
        try:
            await self.stream.aclose()
        finally:
            if not self.closed:
                self.closed = True
                self.on_close()  # type: ignore[operator]


class PinnedBackend(httpcore.AsyncNetworkBackend):
    """Connects to the pinned addresses of a host, in order, instead of resolving it again."""

    def __init__(self, pins: Pins) -> None:
        self.inner = httpcore.AnyIOBackend()
        self.pins = pins

    async def connect_tcp(self, host: str, port: int, timeout: float | None = None,
                          local_address: str | None = None,
                          socket_options: Iterable[Any] | None = None) -> httpcore.AsyncNetworkStream:
        addresses = self.pins(host)
        if not addresses:
            return await self.inner.connect_tcp(host, port, timeout, local_address, socket_options)
        failure: Exception | None = None
        for address in addresses:
            try:
                return await self.inner.connect_tcp(address, port, timeout, local_address, socket_options)
            except (httpcore.ConnectError, httpcore.ConnectTimeout) as exc:
                failure = exc
        assert failure is not None
        raise failure

    async def connect_unix_socket(self, path: str, timeout: float | None = None,
                                  socket_options: Iterable[Any] | None = None) -> httpcore.AsyncNetworkStream:
        return await self.inner.connect_unix_socket(path, timeout, socket_options)

    async def sleep(self, seconds: float) -> None:
        await self.inner.sleep(seconds)
