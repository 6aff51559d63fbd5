"""When the article was published and last changed, from the page's cheap sources in order of
trust: the JSON-LD article object, the meta tags, microdata and <time> elements.

The article object comes first on purpose: when it and the meta tags disagree, the meta tags
are more often the page's (a template's build date, an index's update) than the article's.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any

from selectolax.lexbor import LexborNode

from scraper.extract.dates import to_iso
from scraper.extract.metatags import MODIFIED_KEYS, PUBLISHED_KEYS
from scraper.extract.text import normalise


def published(dates: Iterable[LexborNode], meta: dict[str, str], art: dict[str, Any]) -> str | None:
    """`dates`: the page's [itemprop=datePublished|dateModified] and <time datetime> elements, in order."""
    return _first_date(
        [art.get("datePublished"), art.get("dateCreated"), *(meta.get(k) for k in PUBLISHED_KEYS)],
        dates,
        "datePublished",
    )


def modified(dates: Iterable[LexborNode], meta: dict[str, str], art: dict[str, Any]) -> str | None:
    return _first_date([art.get("dateModified"), *(meta.get(k) for k in MODIFIED_KEYS)], dates, "dateModified")


# /2019/11/19/ or /2019-11-19- in the path: the date the CMS filed the article under.
_URL_DATE = re.compile(r"/((?:19|20)\d{2})[/-](\d{1,2})[/-](\d{1,2})(?=/|[-_.]|$)")


def url_date(url: str | None) -> str | None:
    """The day in the article's address: cheaper than htmldate, which reads it first too."""
    match = _URL_DATE.search(url or "")
    if match is None:
        return None
    year, month, day = match.groups()
    return to_iso(f"{year}-{int(month):02d}-{int(day):02d}")


def _first_date(candidates: list[Any], dates: Iterable[LexborNode], itemprop: str) -> str | None:
    for value in candidates:
        iso = to_iso(value)
        if iso:
            return iso
    return to_iso(_time_element(dates, itemprop))  # the elements are read only when the cheap keys said nothing


def _time_element(dates: Iterable[LexborNode], itemprop: str) -> str | None:
    node = next((n for n in dates if n.attributes.get("itemprop") == itemprop), None)
    if node is not None:
        return node.attributes.get("content") or node.attributes.get("datetime") or normalise(node.text())
    if itemprop == "datePublished":
        node = next((n for n in dates if n.tag == "time" and "datetime" in n.attributes), None)
        if node is not None:
            return node.attributes.get("datetime")
    return None
