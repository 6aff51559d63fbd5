"""What the archive's own pages show, read from the database datasette serves (read-only queries).

Each function takes a datasette ``Database`` and returns plain values for a template: the home
page's counts and chart, an article with its quotes, links and versions, and one capture.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from scraper.datasette import chart

LATEST = 10
TOP_SITES = 10


@dataclass(frozen=True, slots=True)
class Version:
    number: int  # 1 is the first text seen; the highest is the current one
    title: str
    body: str
    body_markdown: str | None
    first_seen: str
    last_seen: str
    replaced_at: str | None  # None for the current text


async def _rows(db: Any, sql: str, params: list[Any] | None = None) -> list[dict[str, Any]]:
    results = await db.execute(sql, params or [])
    return [dict(row) for row in results.rows]


async def _columns(db: Any, table: str) -> set[str]:
    return {row["name"] for row in await _rows(db, f"PRAGMA table_xinfo([{table}])")}


async def home(db: Any) -> dict[str, Any]:
    """Counts, the latest articles, the top sites and a chart of articles per day or month."""
    tables = set(await db.table_names())
    counts = {
        "articles": (await _rows(db, "SELECT count(*) AS n FROM articles"))[0]["n"],
        "sites": (await _rows(db, "SELECT count(DISTINCT site_name) AS n FROM articles"))[0]["n"],
        "versions": 0,
        "quotes": 0,
    }
    for name, table in (("versions", "article_versions"), ("quotes", "quotes")):
        if table in tables:
            counts[name] = (await _rows(db, f"SELECT count(*) AS n FROM [{table}]"))[0]["n"]
    # Every article is a version; article_versions holds only the earlier texts.
    counts["versions"] += counts["articles"]
    latest = await _rows(
        db,
        "SELECT id, title, site_name, published, first_seen FROM articles ORDER BY first_seen DESC, id DESC LIMIT ?",
        [LATEST],
    )
    sites = await _rows(
        db,
        "SELECT site_name, count(*) AS n FROM articles WHERE site_name IS NOT NULL "
        "GROUP BY site_name ORDER BY n DESC, site_name LIMIT ?",
        [TOP_SITES],
    )
    days = await _rows(
        db,
        "SELECT substr(published, 1, 10) AS day, count(*) AS n FROM articles "
        "WHERE published IS NOT NULL GROUP BY day ORDER BY day",
    )
    unit, counts_per = chart.periods([(row["day"], row["n"]) for row in days])
    return {
        "counts": counts,
        "latest": latest,
        "sites": sites,
        "chart_unit": unit,
        "chart": chart.bars_svg(counts_per, title=f"Articles published per {unit}"),
    }


async def versions(db: Any, article_id: int) -> list[Version]:
    """Every text of the article, oldest first, numbered from 1; the last is the current one."""
    current = await _rows(db, "SELECT * FROM articles WHERE id = ?", [article_id])
    if not current:
        return []
    earlier = await _rows(
        db,
        "SELECT title, body, record, first_seen, last_seen, replaced_at FROM article_versions "
        "WHERE article_id = ? ORDER BY id",
        [article_id],
    )
    found = []
    for number, row in enumerate(earlier, start=1):
        record = json.loads(row["record"]) if row["record"] else {}
        found.append(
            Version(number, row["title"], row["body"], record.get("body_markdown"), row["first_seen"],
                    row["last_seen"], row["replaced_at"])
        )
    now = current[0]
    found.append(
        Version(len(earlier) + 1, now["title"], now["body"], now.get("body_markdown"), now["changed_at"],
                now["last_seen"], None)
    )
    return found


async def article(db: Any, article_id: int) -> dict[str, Any] | None:
    """The article row with its quotes, related and inline links, versions and capture."""
    found = await _rows(db, "SELECT * FROM articles WHERE id = ?", [article_id])
    if not found:
        return None
    row = found[0]
    capture = None
    if row.get("capture_id") is not None:
        captures = await _rows(db, "SELECT id, fetched_at, status FROM captures WHERE id = ?", [row["capture_id"]])
        capture = captures[0] if captures else None
    return {
        "row": row,
        "quotes": await _rows(db, "SELECT text, speaker FROM quotes WHERE article_id = ? ORDER BY position", [article_id]),
        "links": await _rows(
            db, "SELECT url, text, kind FROM links WHERE article_id = ? ORDER BY kind DESC, position", [article_id]
        ),
        "versions": await versions(db, article_id),
        "capture": capture,
    }


async def capture(db: Any, capture_id: int) -> dict[str, Any] | None:
    """One capture's fields, its headers as pairs, and its raw body (followed through a revisit)."""
    from scraper.store import decompress

    found = await _rows(
        db,
        "SELECT c.id, c.url, c.final_url, c.status, c.headers, c.fetched_at, c.content_type, c.charset, "
        "c.body_size, c.revisit_of, coalesce(c.body, earlier.body) AS blob FROM captures c "
        "LEFT JOIN captures earlier ON earlier.id = c.revisit_of WHERE c.id = ?",
        [capture_id],
    )
    if not found:
        return None
    row = found[0]
    blob = row.pop("blob")
    row["body"] = decompress(blob) if blob else b""
    try:
        row["header_pairs"] = [(str(name), str(value)) for name, value in json.loads(row["headers"])]
    except (ValueError, TypeError):
        row["header_pairs"] = []
    articles = await _rows(db, "SELECT id, title FROM articles WHERE capture_id = ? LIMIT 1", [capture_id])
    row["article"] = articles[0] if articles else None
    return row
