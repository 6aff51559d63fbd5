"""Per-host connection pools: reused within a host, closed when a host goes quiet."""

from __future__ import annotations

import asyncio
import socket

import httpx

from scraper.fetch.hostpool import PerHostTransport
from tests.servers import Request, raw_server, response


def ok(request: Request, conn: socket.socket) -> None:
    conn.sendall(response(200, b"ok", {"Content-Type": "text/plain"}))


def test_pools_are_per_host_and_the_least_recent_idle_host_is_closed() -> None:
    with raw_server(ok, "127.0.0.1") as a, raw_server(ok, "127.0.0.2") as b, raw_server(ok, "127.0.0.3") as c:
        async def main() -> tuple[int, list[str]]:
            transport = PerHostTransport(http2=False, per_host_connections=2, max_hosts=2)
            async with httpx.AsyncClient(transport=transport) as client:
                for _ in range(3):
                    assert (await client.get(a.url("/x"))).text == "ok"
                for server in (b, c):
                    assert (await client.get(server.url("/y"))).text == "ok"
                hosts = sorted(key[1].decode() for key in transport.pools)
                return len(transport.pools), hosts

        count, hosts = asyncio.run(main())
    assert count == 2
    assert hosts == ["127.0.0.2", "127.0.0.3"]  # the least recently used host was closed
    assert len(a.requests) == 3


def test_a_host_with_requests_in_flight_is_not_evicted() -> None:
    with raw_server(ok, "127.0.0.1") as a, raw_server(ok, "127.0.0.2") as b:
        async def main() -> int:
            transport = PerHostTransport(http2=False, per_host_connections=2, max_hosts=1)
            async with httpx.AsyncClient(transport=transport) as client:
                async with client.stream("GET", a.url("/open")) as streaming:
                    assert (await client.get(b.url("/other"))).text == "ok"
                    body = await streaming.aread()  # the open response on host a still works
                    assert body == b"ok"
                return len(transport.pools)

        assert asyncio.run(main()) == 2
