"""Atom feeds of any query that returns datasette-atom's columns (``.atom`` after its URL).

The same contract as datasette-atom: ``atom_id``, ``atom_title`` and ``atom_updated`` are needed,
``atom_link`` and ``atom_content`` (plain text) are used when present. Two things differ, which is
why it is not that plugin: an empty result is a valid, empty feed (a search nobody has matched
yet is still worth subscribing to), and relative links become absolute so feed readers can follow
them. The feed's title is the canned query's title with its parameters.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any
from urllib.parse import urljoin

from datasette.utils.asgi import Response  # type: ignore[import-untyped]
from feedgen.feed import FeedGenerator  # type: ignore[import-untyped]

REQUIRED = frozenset({"atom_id", "atom_title", "atom_updated"})


def can_render(columns: list[str]) -> bool:
    return REQUIRED <= set(columns)


def _updated(value: Any) -> datetime:
    """An ISO 8601 time as an aware datetime (UTC when it says no zone); now when it is missing."""
    if not value:
        return datetime.now(UTC)
    try:
        parsed = datetime.fromisoformat(str(value))
    except ValueError:
        return datetime.now(UTC)
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)


def feed_title(datasette: Any, database: str, query_name: str | None, request: Any) -> str:
    title = datasette.metadata("title") or "Archive"
    if query_name:
        query = (datasette.metadata(database=database) or {}).get("queries", {}).get(query_name, {})
        title = f"{title}: {query.get('title') or query_name}"
    # MultiParams has keys() but no __iter__.
    names = request.args.keys()
    given = [f"{key} {value}" for key in names if not key.startswith("_") and (value := request.args.get(key))]
    return title + (f" ({', '.join(given)})" if given else "")


def render(datasette: Any, request: Any, columns: list[str], rows: list[Any], database: str,
           query_name: str | None) -> Response:
    if not can_render(columns):
        return Response.text("error: this query returns no atom_id, atom_title and atom_updated columns", status=400)
    feed = FeedGenerator()
    feed.id(request.url)
    feed.title(feed_title(datasette, database, query_name, request))
    feed.link(href=request.url, rel="self")
    feed.link(href=request.url.replace(".atom", "", 1), rel="alternate")
    times = [_updated(row["atom_updated"]) for row in rows]
    feed.updated(max(times) if times else datetime.now(UTC))
    for row, updated in reversed(list(zip(rows, times, strict=True))):
        entry = feed.add_entry()
        entry.id(str(row["atom_id"]))
        entry.title(str(row["atom_title"] or "(untitled)"))
        entry.updated(updated)
        if "atom_link" in columns and row["atom_link"]:
            entry.link(href=urljoin(request.url, str(row["atom_link"])))
        if "atom_content" in columns and row["atom_content"]:
            entry.content(str(row["atom_content"]), type="text")
    return Response(feed.atom_str(pretty=True), content_type="application/atom+xml; charset=utf-8")
