"""`scrape merge SHARD... --into ARCHIVE`: fold shard archives (or any archives) into one.

Each shard is merged in one transaction: the FTS triggers are dropped, the new rows are copied
in bulk (store_copy.py), the articles the archive already has are replayed through the normal
``Store.save_article`` path oldest state first (so an article seen in two shards gets its
versions as a single import would have made them), the triggers are put back and the shard is
recorded in ``merged_shards``. One full-text rebuild follows the last shard.

- Resumable: a merge killed mid-shard leaves that shard's transaction rolled back; the next run
  merges it again, and rebuilds the index if a committed shard is still waiting for it.
- Idempotent: a shard recorded in ``merged_shards`` is skipped, and a capture already archived
  (same URL, fetch time and payload digest) is never copied twice.

Only the archive's own tables are merged; a crawl's frontier stays with the machine that crawled.
The SQL is the Store's (store_merge.py, store_copy.py); this module decides the order.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from time import monotonic

from scraper.errors import ScraperError
from scraper.store import Store, now_iso
from scraper.store_merge import ARCHIVE_TABLES, shard_identity, shard_tables


class MergeError(ScraperError):
    """A file given to `scrape merge` is not an archive, or is the archive being merged into."""


@dataclass
class MergeCounts:
    shards: int = 0
    skipped: int = 0  # already merged
    captures: int = 0
    duplicates: int = 0
    articles: int = 0
    replayed: dict[str, int] = field(default_factory=lambda: {"stored": 0, "updated": 0, "unchanged": 0})
    seconds: float = 0.0

    def line(self) -> str:
        saved = ", ".join(f"{n} {k}" for k, n in self.replayed.items())
        return (f"merged {self.shards} shards ({self.skipped} already merged): {self.captures} captures "
                f"({self.duplicates} duplicates), {self.articles} new articles copied, replayed: {saved}")


def merge(shards: Iterable[Path], into: Path, report: Callable[[str], None] = lambda line: None) -> MergeCounts:
    """Merge every shard into ``into`` (created if missing), in the order given."""
    started = monotonic()
    counts = MergeCounts()
    with Store.open(into) as store:
        store.ensure_ledger()
        for shard in shards:
            if shard.resolve() == into.resolve():
                raise MergeError(f"{shard}: is the archive being merged into")
            check_shard(shard)
            identity = shard_identity(shard)
            if store.is_merged(identity):
                counts.skipped += 1
                report(f"skipped: {shard}: already merged")
                continue
            merge_one(store, shard, identity, counts)
            counts.shards += 1
            report(f"merged: {shard}")
        store.rebuild_index()
    counts.seconds = round(monotonic() - started, 3)
    return counts


def check_shard(path: Path) -> None:
    if not path.is_file():
        raise MergeError(f"{path}: no such archive file")
    tables = shard_tables(path)
    if tables is None:
        raise MergeError(f"{path}: not an SQLite database, or it is corrupt")
    missing = [t for t in ARCHIVE_TABLES if t not in tables]
    if missing:
        raise MergeError(f"{path}: not a scraper archive (no {', '.join(missing)} table)")


def merge_one(store: Store, shard: Path, identity: str, counts: MergeCounts) -> None:
    with store.attached(shard), store.merging():
        copied = store.copy_attached()
        saved = replay(store, copied.replay)
        store.record_merge(identity, shard, copied, now_iso())
    counts.captures += copied.captures
    counts.duplicates += copied.duplicates
    counts.articles += copied.articles
    for outcome, n in saved.items():
        counts.replayed[outcome] += n


# -- the save path, for articles the archive already has ---------------------------------------


def replay(store: Store, article_ids: tuple[int, ...]) -> dict[str, int]:
    """Save each shard article's states (earlier versions, then the current) as an import would."""
    saved = {"stored": 0, "updated": 0, "unchanged": 0}
    for article_id in article_ids:
        for article, url, first_seen, last_seen, capture_id in store.shard_states(article_id):
            if store.holds_state(url, article, first_seen):
                continue
            saved[store.save_article(article, url=url, capture_id=capture_id, seen=first_seen)] += 1
            if last_seen != first_seen:  # seen again unchanged until then
                store.save_article(article, url=url, capture_id=capture_id, seen=last_seen)
    return saved
