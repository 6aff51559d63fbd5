"""`scrape crawl --shard I/N`: each machine crawls the sources whose registered domain hashes to I.

Partitioning by registered domain (bbc.co.uk for www.bbc.co.uk and feeds.bbc.co.uk), as Nutch,
StormCrawler and Frontera partition by host, keeps every request to a site on one machine, so
its politeness (delay, slots, robots.txt) is never split between machines. The hash is SHA-1 of
the domain, not Python's ``hash()``, which is salted per process: a domain lands in the same
shard on every machine and in every run. The public suffix list is the one bundled with ``tld``.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from urllib.parse import urlsplit

from tld import get_fld

from scraper.config import SourceSettings
from scraper.errors import ConfigError


@dataclass(frozen=True, slots=True)
class Shard:
    """Shard ``index`` (0-based) of ``count``."""

    index: int
    count: int

    def __str__(self) -> str:
        return f"{self.index}/{self.count}"

    def holds(self, url: str) -> bool:
        return shard_of(url, self.count) == self.index


def parse_shard(text: str) -> Shard:
    match = re.fullmatch(r"\s*(\d+)\s*/\s*(\d+)\s*", text)
    if match is None or int(match[2]) < 1 or int(match[1]) >= int(match[2]):
        raise ConfigError(f"--shard: expected I/N with 0 <= I < N (e.g. 0/4), got {text!r}")
    return Shard(int(match[1]), int(match[2]))


def registered_domain(url: str) -> str:
    """The domain one registers (bbc.co.uk), or the bare host for an IP address, localhost and the like."""
    host = (urlsplit(url if "//" in url else f"//{url}").hostname or "").lower().rstrip(".")
    return get_fld(host, fix_protocol=True, fail_silently=True) or host


def shard_of(url: str, count: int) -> int:
    digest = hashlib.sha1(registered_domain(url).encode("utf-8")).digest()
    return int.from_bytes(digest[:8], "big") % count


def source_home(source: SourceSettings) -> str:
    """The URL a source is placed by: its first start URL, feed or sitemap."""
    for url in (*source.start_urls, *source.feeds, *source.sitemaps):
        return url
    raise ConfigError(f"source {source.name!r}: no feeds, sitemaps or start_urls to place it in a --shard")


def sources_in(sources: list[SourceSettings], shard: Shard) -> list[SourceSettings]:
    return [s for s in sources if shard.holds(source_home(s))]
