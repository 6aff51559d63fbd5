"""When to try again: exponential backoff with jitter, and the server's Retry-After."""

from __future__ import annotations

import random
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime


def backoff_delay(attempt: int, base_s: float, rng: random.Random | None = None) -> float:
    """Seconds to wait after failed try number ``attempt`` (1-based): base * 2**(n-1), jittered.

    "Equal jitter": half the delay is fixed, half random, so clients that failed together
    spread out but no retry comes sooner than half the nominal delay.
    """
    nominal = base_s * (2 ** (attempt - 1))
    return nominal / 2 + (rng or random).uniform(0, nominal / 2)


def parse_retry_after(value: str | None, now: datetime | None = None) -> float | None:
    """Seconds from a Retry-After header: delta-seconds or an HTTP date. None if absent or bad."""
    if value is None:
        return None
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        when = parsedate_to_datetime(value)
    except (TypeError, ValueError, IndexError):
        return None
    if when is None:
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    now = now or datetime.now(UTC)
    return max(0.0, (when - now).total_seconds())
