"""The Store's bulk part of a merge: one attached shard's rows copied into the archive in a few statements.

A shard's ids are its own, so every new row gets the shard's id plus an offset (the archive's
largest id), and every reference (``revisit_of``, ``capture_id``, ``article_id``) is remapped
through two temporary tables:

- ``capmap``  shard capture -> archive capture. A capture the archive already holds (same URL,
  fetch time and payload digest) maps to that one and is not copied again.
- ``artmap``  shard article -> archive article, for the articles whose URL (or canonical URL)
  the archive does not know yet. The others are not copied here: scale/merge.py replays them
  through ``Store.save_article``, so their versions come out as an import would have made them.

Columns are read from both tables' schemas and the common ones copied, so a column added to
the archive later needs no change here. The caller (``Store.merging``) holds the transaction.
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass

SHARD = "shard"  # the schema name the shard is attached under


@dataclass(frozen=True, slots=True)
class Copied:
    captures: int  # new captures copied
    duplicates: int  # captures the archive already had
    articles: int  # new articles copied with their quotes, links and versions
    replay: tuple[int, ...]  # shard article ids that collide with archived ones: for the save path


def columns(conn: sqlite3.Connection, table: str, *, skip: tuple[str, ...] = ()) -> tuple[str, str]:
    """The stored (not generated) columns the archive and the shard both have, in the archive's order:
    as the INSERT's column list, and as the SELECT's list read from the shard's rows ``s``."""
    ours = [row[1] for row in conn.execute(f"PRAGMA main.table_info([{table}])")]
    theirs = {row[1] for row in conn.execute(f"PRAGMA {SHARD}.table_info([{table}])")}
    names = [name for name in ours if name in theirs and name not in skip]
    return ", ".join(f"[{n}]" for n in names), ", ".join(f"s.[{n}]" for n in names)


def max_id(conn: sqlite3.Connection, table: str) -> int:
    return int(conn.execute(f"SELECT coalesce(max(id), 0) FROM main.[{table}]").fetchone()[0])


def copy_shard(conn: sqlite3.Connection) -> Copied:
    """Copy the attached shard's new captures and new articles; return what it did and what is left."""
    conn.execute("DROP TABLE IF EXISTS temp.capmap")
    conn.execute("DROP TABLE IF EXISTS temp.artmap")
    conn.execute("CREATE TEMP TABLE capmap (shard_id INTEGER PRIMARY KEY, target_id INTEGER NOT NULL, "
                 "body_id INTEGER, new INTEGER NOT NULL)")
    conn.execute("CREATE TEMP TABLE artmap (shard_id INTEGER PRIMARY KEY, target_id INTEGER NOT NULL)")
    captures, duplicates = _captures(conn)
    articles = _articles(conn)
    replay = tuple(row[0] for row in conn.execute(
        f"SELECT id FROM {SHARD}.articles WHERE id NOT IN (SELECT shard_id FROM temp.artmap) ORDER BY id"))
    return Copied(captures, duplicates, articles, replay)


def _captures(conn: sqlite3.Connection) -> tuple[int, int]:
    offset = max_id(conn, "captures")
    # body_id: the capture that holds the bytes, which a revisit must point at (never at a revisit).
    conn.execute(f"""
        INSERT INTO temp.capmap (shard_id, target_id, body_id, new)
        SELECT s.id, t.id, CASE WHEN t.body IS NULL THEN t.revisit_of ELSE t.id END, 0
        FROM {SHARD}.captures s JOIN main.captures t ON t.id = (
            SELECT x.id FROM main.captures x
            WHERE x.url = s.url AND x.fetched_at = s.fetched_at AND x.payload_digest = s.payload_digest
            ORDER BY x.id LIMIT 1)""")
    duplicates = conn.execute("SELECT count(*) FROM temp.capmap").fetchone()[0]
    conn.execute(f"""
        INSERT INTO temp.capmap (shard_id, target_id, body_id, new)
        SELECT s.id, s.id + ?, s.id + ?, 1 FROM {SHARD}.captures s
        WHERE s.id NOT IN (SELECT shard_id FROM temp.capmap)""", [offset, offset])
    plain, picked = columns(conn, "captures", skip=("id", "revisit_of"))
    copied = conn.execute(f"""
        INSERT INTO main.captures (id, revisit_of, {plain})
        SELECT m.target_id, r.body_id, {picked}
        FROM {SHARD}.captures s JOIN temp.capmap m ON m.shard_id = s.id AND m.new = 1
        LEFT JOIN temp.capmap r ON r.shard_id = s.revisit_of
        ORDER BY s.id""").rowcount
    # The same bytes at the same address already archived from another shard: keep them once,
    # as Store.add_capture does, and point the shard's own revisits at the kept copy.
    earlier = """SELECT e.id FROM main.captures e WHERE e.payload_digest = captures.payload_digest
                 AND e.final_url = captures.final_url AND e.body IS NOT NULL AND e.id <= ?"""
    conn.execute(f"""
        UPDATE main.captures SET revisit_of = ({earlier} ORDER BY e.id DESC LIMIT 1), body = NULL
        WHERE id > ? AND body IS NOT NULL AND EXISTS ({earlier})""", [offset, offset, offset])
    conn.execute("""
        UPDATE main.captures SET revisit_of = (SELECT p.revisit_of FROM main.captures p WHERE p.id = captures.revisit_of)
        WHERE id > ? AND revisit_of > ?
          AND (SELECT p.body IS NULL AND p.revisit_of IS NOT NULL FROM main.captures p WHERE p.id = captures.revisit_of)""",
                 [offset, offset])
    return copied, duplicates


def _articles(conn: sqlite3.Connection) -> int:
    offset = max_id(conn, "articles")
    # New: neither its URL nor its canonical URL is an archived article's URL or canonical URL
    # (Store._find's rule). Each test is its own EXISTS so SQLite uses the two indexes.
    known = " OR ".join(
        f"EXISTS (SELECT 1 FROM main.articles t WHERE t.{ours} = s.{theirs})"
        for ours in ("url", "canonical_url") for theirs in ("url", "canonical_url")
    )
    conn.execute(f"INSERT INTO temp.artmap SELECT s.id, s.id + ? FROM {SHARD}.articles s WHERE NOT ({known})", [offset])
    plain, picked = columns(conn, "articles", skip=("id", "capture_id"))
    copied = conn.execute(f"""
        INSERT INTO main.articles (id, capture_id, {plain})
        SELECT m.target_id, c.target_id, {picked}
        FROM {SHARD}.articles s JOIN temp.artmap m ON m.shard_id = s.id
        LEFT JOIN temp.capmap c ON c.shard_id = s.capture_id
        ORDER BY s.id""").rowcount
    for table in ("quotes", "links", "article_versions"):
        plain, picked = columns(conn, table, skip=("id", "article_id"))
        conn.execute(f"""
            INSERT INTO main.[{table}] (article_id, {plain})
            SELECT m.target_id, {picked} FROM {SHARD}.[{table}] s JOIN temp.artmap m ON m.shard_id = s.article_id
            ORDER BY s.id""")
    return copied
