"""datasette plugin: one search over several archives, for `scrape serve a.db b.db …`.

With more than one file `scrape serve` runs datasette with ``--crossdb``, which attaches the
first ten databases to ``_memory`` (SQLite attaches at most ten at once). This hook gives that
database a ``search_archives`` canned query: the same full-text search in each attached
archive, one ``UNION ALL`` branch per file, best matches first over all of them. Beyond ten
files, merge past months into one archive a year (`scrape merge`) and serve those.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

from datasette import hookimpl
from datasette.utils import escape_sqlite

from scraper.datasette import MARK_CLOSE, MARK_OPEN

MAX_ATTACHED = 10  # datasette's SQLITE_LIMIT_ATTACHED, which it attaches in this same order

BRANCH = """select {label} as archive, a.id as id, a.title, snippet(f.articles_fts, 1, '{open}', '{close}', '…', 24) as snippet,
  a.site_name, a.published, a.url, round(-bm25(f.articles_fts, 5.0, 1.0), 3) as relevance
from {name}.articles_fts f join {name}.articles a on a.id = f.rowid
where f.articles_fts match coalesce(nullif(escape_fts(:q), ''), '""')"""


def search_sql(names: list[str]) -> str:
    branches = [BRANCH.format(label="'" + name.replace("'", "''") + "'", name=escape_sqlite(name),
                              open=MARK_OPEN, close=MARK_CLOSE) for name in names]
    return "\nunion all\n".join(branches) + "\norder by relevance desc limit 50"


@hookimpl
def canned_queries(datasette: Any, database: str, actor: Any) -> Callable[[], Awaitable[dict[str, Any]]] | None:
    if database != "_memory" or not datasette.crossdb:
        return None

    async def queries() -> dict[str, Any]:
        names: list[str] = []
        for name, db in datasette.databases.items():
            if db.is_memory:
                continue
            if len(names) == MAX_ATTACHED:
                break
            if await db.table_exists("articles_fts"):
                names.append(name)
        if len(names) < 2:
            return {}
        return {"search_archives": {
            "title": f"Search {len(names)} archives",
            "description": (f"Full-text search over {', '.join(names)}, best match first. SQLite attaches at most "
                            f"{MAX_ATTACHED} files at once, so only the first {MAX_ATTACHED} served are searched."),
            "hide_sql": True,
            "sql": search_sql(names),
        }}

    return queries
