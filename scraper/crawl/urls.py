"""URL normalisation and the per-source rules for which found URLs are worth fetching.

Two spellings of one address must become one frontier row, or the crawl fetches (and
stores) the same article twice: host lower-cased, default port, fragment and tracking
parameters dropped, dot segments resolved, query sorted (courlan does the last part).
"""

from __future__ import annotations

import posixpath
import re
from collections.abc import Iterable
from dataclasses import dataclass
from urllib.parse import parse_qsl, urlencode, urljoin, urlsplit, urlunsplit

from courlan import normalize_url

# courlan drops most trackers (utm_*, fbclid, gclid, ref, …); these are ones it keeps.
EXTRA_TRACKERS = re.compile(r"^(?:mc_[ce]id|_hs(?:enc|mi)|vero_id|oly_(?:anon|enc)_id|wt_mc|__twitter_impression|s_kwcid|spm)$", re.IGNORECASE)

# Links to files that are never articles: fetching them only wastes the page budget.
NOT_PAGES = re.compile(
    r"\.(?:jpe?g|png|gif|webp|svg|ico|bmp|tiff?|pdf|zip|gz|tgz|rar|7z|mp[34]|m4a|ogg|wav|avi|mov|webm|"
    r"css|js|json|woff2?|ttf|eot|exe|dmg|apk|docx?|xlsx?|pptx?|epub)$",
    re.IGNORECASE,
)


def normal_url(url: str, base: str | None = None) -> str | None:
    """The canonical spelling of ``url`` (resolved against ``base``), or None if it is not http(s)."""
    url = url.strip()
    if not url:
        return None
    try:
        absolute = urljoin(base, url) if base else url
        parts = urlsplit(absolute)
        if parts.scheme.lower() not in ("http", "https") or not parts.hostname:
            return None
        parts.port  # noqa: B018 - raises ValueError on a bad port
        path = remove_dot_segments(parts.path or "/")
        query = urlencode([(k, v) for k, v in parse_qsl(parts.query, keep_blank_values=True) if not EXTRA_TRACKERS.match(k)])
        cleaned = urlunsplit((parts.scheme.lower(), parts.netloc, path, query, ""))
        result = normalize_url(cleaned)
    except ValueError:
        return None
    return result.partition("#")[0]


def remove_dot_segments(path: str) -> str:
    if "." not in path:
        return path
    trailing = path.endswith(("/", "/.", "/.."))
    clean = posixpath.normpath(path)
    clean = "/" + clean.lstrip("/")  # normpath keeps a leading '//' and allows '..' above root
    if trailing and not clean.endswith("/"):
        clean += "/"
    return clean


def site_of(url: str) -> str:
    """The host without 'www.': links are followed only within one site."""
    host = (urlsplit(url).hostname or "").lower()
    return host.removeprefix("www.")


@dataclass(frozen=True, slots=True)
class Rules:
    """Which found URLs a source fetches: allow/deny patterns, its sites, and what counts as an article."""

    allow: tuple[re.Pattern[str], ...]
    deny: tuple[re.Pattern[str], ...]
    articles: tuple[re.Pattern[str], ...]
    sites: frozenset[str]

    @classmethod
    def make(cls, allow: Iterable[str], deny: Iterable[str], articles: Iterable[str], start_urls: Iterable[str]) -> Rules:
        return cls(
            tuple(re.compile(p) for p in allow),
            tuple(re.compile(p) for p in deny),
            tuple(re.compile(p) for p in articles),
            frozenset(site_of(u) for u in start_urls),
        )

    def wanted(self, url: str) -> bool:
        """Allowed by the source's patterns and not an obvious file (image, PDF, script…)."""
        if NOT_PAGES.search(urlsplit(url).path):
            return False
        if self.allow and not any(p.search(url) for p in self.allow):
            return False
        return not any(p.search(url) for p in self.deny)

    def same_site(self, url: str) -> bool:
        return site_of(url) in self.sites

    def is_article(self, url: str) -> bool:
        return not self.articles or any(p.search(url) for p in self.articles)
