"""Politeness limits for one run: a global cap, and per host a cap and a minimum spacing.

The spacing is between the *starts* of requests to one host, measured when a request
really goes out (after it got a global slot), so a long global queue can never squeeze
two requests to one host closer together than the delay.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager


class HostGate:
    """The state for one host: its own concurrency cap, delay and the next allowed start."""

    def __init__(self, concurrency: int, delay_s: float) -> None:
        self.slots = asyncio.Semaphore(max(1, concurrency))
        self.turn = asyncio.Lock()
        self.delay_s = delay_s
        self.next_start = 0.0


class Politeness:
    def __init__(self, concurrency: int, per_host_concurrency: int, per_host_delay_s: float) -> None:
        self.global_slots = asyncio.Semaphore(max(1, concurrency))
        self.per_host_concurrency = per_host_concurrency
        self.per_host_delay_s = per_host_delay_s
        self.gates: dict[str, HostGate] = {}

    def gate(self, host: str) -> HostGate:
        gate = self.gates.get(host)
        if gate is None:
            gate = self.gates[host] = HostGate(self.per_host_concurrency, self.per_host_delay_s)
        return gate

    def set_crawl_delay(self, host: str, seconds: float | None) -> None:
        """robots.txt's Crawl-delay can only make us slower than the configured delay."""
        if seconds is not None:
            gate = self.gate(host)
            gate.delay_s = max(self.per_host_delay_s, float(seconds))

    def defer(self, host: str, seconds: float) -> None:
        """Hold every request to the host back (the host said Retry-After)."""
        gate = self.gate(host)
        gate.next_start = max(gate.next_start, time.monotonic() + seconds)

    @asynccontextmanager
    async def slot(self, host: str, *, paced: bool = True) -> AsyncIterator[None]:
        """A request's turn. ``paced=False`` (robots.txt) waits its turn but starts no delay: the file
        is read once per host and tells us the delay, and a single fetch must not wait a whole
        per_host_delay_s between robots.txt and the page."""
        gate = self.gate(host)
        async with gate.slots:
            async with gate.turn:
                while (wait := gate.next_start - time.monotonic()) > 0:
                    await asyncio.sleep(wait)
                await self.global_slots.acquire()
                if paced:
                    gate.next_start = time.monotonic() + gate.delay_s
            try:
                yield
            finally:
                self.global_slots.release()
