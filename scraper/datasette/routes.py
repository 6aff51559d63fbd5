"""The archive's own pages inside datasette (registered by the plugin's ``register_routes``).

- ``/DB/articles/ID/changes?from=N&to=M``  what changed between two versions, word by word
- ``/DB/articles/ID/versions/N``           one version's text
- ``/DB/captures/ID/page``                 the archived page in a sandboxed frame, with a banner
- ``/DB/captures/ID/raw``                  the captured bytes, scripts disabled (``?download=1``: a file)
"""

from __future__ import annotations

from typing import Any

from datasette.utils import tilde_decode  # type: ignore[import-untyped]
from datasette.utils.asgi import NotFound, Response  # type: ignore[import-untyped]

from scraper.datasette import pages, render

# The archived bytes may hold anything: no script runs (sandbox without allow-scripts) and nothing
# is fetched from the page's original site, so reading the archive does not phone home.
CAPTURE_CSP = "sandbox; default-src 'none'; style-src 'unsafe-inline'; img-src data:; font-src data:"
_DB = r"/(?P<database>[^/]+)"


def _database(datasette: Any, request: Any) -> tuple[str, Any]:
    name = tilde_decode(request.url_vars["database"])
    try:
        return name, datasette.get_database(name)
    except KeyError:
        raise NotFound(f"no database {name}") from None


def _number(request: Any, key: str, default: int) -> int:
    value = request.args.get(key)
    if value is None or value == "":
        return default
    if not value.isdigit():
        raise NotFound(f"{key} must be a version number")
    return int(value)


async def _page(datasette: Any, request: Any, template: str, context: dict[str, Any]) -> Response:
    return Response.html(await datasette.render_template(template, context, request=request))


async def changes(datasette: Any, request: Any) -> Response:
    name, db = _database(datasette, request)
    article_id = int(request.url_vars["id"])
    found = await pages.versions(db, article_id)
    if not found:
        raise NotFound("no such article")
    newest = len(found)
    to = _number(request, "to", newest)
    start = _number(request, "from", max(1, to - 1))
    if not (1 <= start <= newest and 1 <= to <= newest):
        raise NotFound(f"this article has versions 1 to {newest}")
    old, new = found[start - 1], found[to - 1]
    removed, added = render.diff_counts(old.body, new.body)
    context = {
        "database": name,
        "article_id": article_id,
        "versions": found,
        "old": old,
        "new": new,
        "title_diff": render.word_diff(old.title, new.title),
        "body_diff": render.word_diff(old.body, new.body),
        "removed": removed,
        "added": added,
    }
    return await _page(datasette, request, "scraper_changes.html", context)


async def version(datasette: Any, request: Any) -> Response:
    name, db = _database(datasette, request)
    article_id = int(request.url_vars["id"])
    found = await pages.versions(db, article_id)
    number = int(request.url_vars["number"])
    if not 1 <= number <= len(found):
        raise NotFound("no such version")
    shown = found[number - 1]
    context = {
        "database": name,
        "article_id": article_id,
        "versions": found,
        "version": shown,
        "body": render.body_html(shown.body, shown.body_markdown),
    }
    return await _page(datasette, request, "scraper_version.html", context)


async def capture_page(datasette: Any, request: Any) -> Response:
    name, db = _database(datasette, request)
    found = await pages.capture(db, int(request.url_vars["id"]))
    if found is None:
        raise NotFound("no such capture")
    found.pop("body")
    context = {"database": name, "capture": found, "original": render.link(found["final_url"])}
    return await _page(datasette, request, "scraper_capture.html", context)


async def capture_raw(datasette: Any, request: Any) -> Response:
    _, db = _database(datasette, request)
    capture_id = int(request.url_vars["id"])
    found = await pages.capture(db, capture_id)
    if found is None:
        raise NotFound("no such capture")
    headers = {"Content-Security-Policy": CAPTURE_CSP, "X-Content-Type-Options": "nosniff"}
    if request.args.get("download"):
        headers["Content-Disposition"] = f'attachment; filename="capture-{capture_id}.bin"'
        return Response(found["body"], headers=headers, content_type="application/octet-stream")
    content_type = found["content_type"] or "application/octet-stream"
    if found["charset"] and content_type.startswith("text/"):
        content_type += f"; charset={found['charset']}"
    return Response(found["body"], headers=headers, content_type=content_type)


ROUTES = [
    (_DB + r"/articles/(?P<id>\d+)/changes$", changes),
    (_DB + r"/articles/(?P<id>\d+)/versions/(?P<number>\d+)$", version),
    (_DB + r"/captures/(?P<id>\d+)/page$", capture_page),
    (_DB + r"/captures/(?P<id>\d+)/raw$", capture_raw),
]
