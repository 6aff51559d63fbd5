"""robots.txt per origin, fetched once per run and shared by every request to that origin.

Status handling follows RFC 9309: a 2xx body is parsed; a 4xx means there are no rules;
a 5xx or a network failure means the site is unreachable, and a crawler must then assume
everything is disallowed.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from urllib.parse import urlsplit

from protego import Protego

from scraper.errors import FetchError

# RFC 9309 asks crawlers to parse at least 500 KiB; more than that is not a robots file.
MAX_ROBOTS_BYTES = 512_000


@dataclass(frozen=True, slots=True)
class RobotsRules:
    parser: Protego | None = None  # None: no rules, everything allowed
    unreachable: str | None = None  # why robots.txt could not be read: everything disallowed
    failure: FetchError | None = None  # the host could not be reached at all: pages fail the same way

    def allows(self, url: str, user_agent: str) -> bool:
        if self.unreachable is not None or self.failure is not None:
            return False
        return self.parser is None or self.parser.can_fetch(url, user_agent)

    def crawl_delay(self, user_agent: str) -> float | None:
        if self.parser is None:
            return None
        return self.parser.crawl_delay(user_agent)


def rules_from_response(status: int, body: bytes) -> RobotsRules:
    if 200 <= status < 300:
        text = body[:MAX_ROBOTS_BYTES].decode("utf-8", errors="replace")
        return RobotsRules(parser=Protego.parse(text))
    if 400 <= status < 500:
        return RobotsRules()
    return RobotsRules(unreachable=f"robots.txt unreachable (HTTP {status})")


def origin_of(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}"


class RobotsCache:
    """One load per origin per run, even when many requests ask at the same moment."""

    def __init__(self, load: Callable[[str], Awaitable[RobotsRules]]) -> None:
        self.load = load
        self.tasks: dict[str, asyncio.Task[RobotsRules]] = {}

    async def rules(self, origin: str) -> RobotsRules:
        task = self.tasks.get(origin)
        if task is None:
            task = self.tasks[origin] = asyncio.ensure_future(self.load(origin))
        # shield: one caller being cancelled must not cancel the load the others wait on
        return await asyncio.shield(task)

    def close(self) -> None:
        for task in self.tasks.values():
            task.cancel()
