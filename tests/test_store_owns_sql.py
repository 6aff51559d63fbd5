"""The Store owns the archive's SQL: no module outside it runs a query of its own.

A query written in a crawl or scale module makes the archive's rules invisible (issue 15); this
test names the few modules that may hold SQL, and why.
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

PACKAGE = Path(__file__).resolve().parent.parent / "scraper"

ALLOWED = {
    "schema.py",  # the archive's tables, created and migrated for the Store
    "crawl/tables.py",  # the crawl's own tables (crawl_urls, crawl_runs, crawl_run_sources)
    "crawl/frontier.py",  # the crawl's queries of those tables
}
# The browse pages and canned queries run through datasette's own connection, inside its event loop.
DATASETTE = "datasette/"

SQL = re.compile(
    r"\b(SELECT\b.+\bFROM|INSERT (OR \w+ )?INTO|UPDATE \S+ SET|DELETE FROM|(CREATE|DROP) (TEMP )?(TABLE|INDEX|TRIGGER)"
    r"|ALTER TABLE|(ATTACH|DETACH) DATABASE|VACUUM|PRAGMA \w|BEGIN IMMEDIATE)\b", re.IGNORECASE | re.DOTALL)


def allowed(path: Path) -> bool:
    name = path.relative_to(PACKAGE).as_posix()
    return name.startswith(("store", DATASETTE)) or name in ALLOWED


def offences(path: Path) -> list[str]:
    found = []
    tree = ast.parse(path.read_text(encoding="utf-8"))
    docstrings = {id(n.body[0].value) for n in ast.walk(tree)  # words about SQL are not SQL
                  if isinstance(n, (ast.Module, ast.ClassDef, ast.FunctionDef, ast.AsyncFunctionDef)) and n.body
                  and isinstance(n.body[0], ast.Expr) and isinstance(n.body[0].value, ast.Constant)}
    for node in ast.walk(tree):
        if id(node) in docstrings:
            continue
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) \
                and node.func.attr in ("execute", "executemany", "executescript"):
            found.append(f"{path.name}:{node.lineno}: .{node.func.attr}(")
        elif isinstance(node, ast.Constant) and isinstance(node.value, str) and SQL.search(node.value):
            found.append(f"{path.name}:{node.lineno}: {node.value.strip()[:40]!r}")
        elif isinstance(node, ast.Attribute) and node.attr == "conn" and isinstance(node.value, ast.Attribute) \
                and node.value.attr == "db":
            found.append(f"{path.name}:{node.lineno}: .db.conn")
    return found


def test_no_module_outside_the_store_writes_sql() -> None:
    modules = [p for p in PACKAGE.rglob("*.py") if not allowed(p)]
    assert len(modules) > 50  # the walk found the package
    assert [o for p in sorted(modules) for o in offences(p)] == []


def test_the_check_catches_a_query(tmp_path: Path) -> None:
    module = tmp_path / "rogue.py"
    module.write_text('def f(store):\n    store.db.conn.execute("SELECT url FROM articles")\n', encoding="utf-8")
    assert len(offences(module)) == 3  # the call, the SQL text and the reach into the Store's connection
