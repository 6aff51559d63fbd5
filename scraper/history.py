"""`scrape history URL`: the versions of one article (any article, crawled or not) and what changed."""

from __future__ import annotations

import difflib
import json
from dataclasses import dataclass
from itertools import pairwise

from scraper.crawl.urls import normal_url
from scraper.errors import ScraperError
from scraper.store import Store


class NoSuchArticle(ScraperError):
    """`scrape history` was given a URL the archive has no article for."""


@dataclass(frozen=True, slots=True)
class Version:
    """One text of an article: ``first_seen`` to ``last_seen``; the current one has number = len(versions)."""

    number: int
    title: str
    body: str
    content_hash: str
    first_seen: str
    last_seen: str
    current: bool


def versions(store: Store, url: str) -> tuple[str, list[Version]]:
    """(the article's URL, its versions oldest first), looked up by URL, canonical URL or normalised URL."""
    keys = list(dict.fromkeys(k for k in (url, normal_url(url)) if k))
    found = store.versions(keys)
    if found is None:
        raise NoSuchArticle(f"{url}: no article with this URL in {store.path}")
    article_url, (title, body, digest, changed_at, last_seen), old = found
    result = [Version(i, t, b, h, first, last, current=False) for i, (t, b, h, first, last) in enumerate(old, start=1)]
    result.append(Version(len(old) + 1, title, body, digest, changed_at, last_seen, current=True))
    return article_url, result


def diff(old: Version, new: Version) -> str:
    """A unified diff of the two bodies, a paragraph a line (and of the titles, if those changed)."""
    lines = []
    if old.title != new.title:
        lines += list(difflib.unified_diff([old.title], [new.title], f"title v{old.number}", f"title v{new.number}", lineterm=""))
    lines += list(difflib.unified_diff(
        old.body.splitlines(), new.body.splitlines(),
        f"v{old.number} ({old.first_seen})", f"v{new.number} ({new.first_seen})", lineterm="",
    ))
    return "\n".join(lines)


def render(url: str, items: list[Version], *, show_diff: bool = True) -> str:
    out = [url, f"{len(items)} version{'s' if len(items) != 1 else ''}:"]
    for v in items:
        mark = "  (current)" if v.current else ""
        out.append(f"  v{v.number}  {v.first_seen} .. {v.last_seen}  {len(v.body.split())} words  {v.title}{mark}")
    if show_diff:
        for old, new in pairwise(items):
            out += ["", diff(old, new) or f"v{old.number} -> v{new.number}: same body (other fields changed)"]
    return "\n".join(out)


def as_json(url: str, items: list[Version]) -> str:
    return json.dumps(
        {"url": url, "versions": [
            {"number": v.number, "title": v.title, "first_seen": v.first_seen, "last_seen": v.last_seen,
             "content_hash": v.content_hash, "current": v.current, "body": v.body} for v in items]},
        ensure_ascii=False, indent=2,
    )
