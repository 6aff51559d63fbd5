"""`scrape reextract --engine dask --shards DIR`: re-extraction over ranges of capture ids.

Under the archive's lock, as the plain reextract:

1. a read-only snapshot of the archive (``VACUUM INTO``, then an index on articles.capture_id so
   each worker finds its range without a scan) is written into DIR, as ``.part`` then renamed;
2. one task per range of ``RANGE`` capture ids: the worker reads the snapshot, extracts each
   article's capture again inline, and writes only the records that came out different (or
   that failed before and now succeed), with their captures, into a shard of its own;
3. the shards are merged into the archive, which applies each changed record as a new version
   through the save path (merge.py), and the snapshot and shards are removed.

The failed crawl pages the plain reextract retries are listed once, from the snapshot, by the
client (they are few), and handed to the task whose range holds their capture.
"""

from __future__ import annotations

import json
import shutil
import time
import uuid
from collections.abc import Callable
from pathlib import Path
from typing import Any

from scraper.charset import decode_html
from scraper.config import Settings
from scraper.crawl.lock import ArchiveLock
from scraper.crawl.tables import ensure_schema
from scraper.errors import ExtractionError, Interrupted
from scraper.extract import extract
from scraper.journey import StoreEvery, settle
from scraper.models import Page
from scraper.outcome import Outcome, Status, failure
from scraper.reextract import Job
from scraper.scale import engine
from scraper.scale.merge import merge
from scraper.scale.run import RunProgress
from scraper.scale.shards import ShardResult, remove_part
from scraper.stopping import stop_on_signals
from scraper.store import Store, content_hash, decompress, now_iso
from scraper.summary import Tally

RANGE = 10_000  # capture ids per task: a few minutes of work, small enough to redo


def snapshot(store: Store, folder: Path) -> Path:
    """A consistent read-only copy of the archive for the workers, complete once it has its name."""
    final = folder / "snapshot.db"
    part = folder / "snapshot.db.part"
    remove_part(part)
    store.snapshot(part)
    part.replace(final)
    return final


def read_only(path: str | Path) -> Store:
    """The snapshot, which nobody writes any more: immutable, so the workers read it without locks."""
    return Store.open_read_only(path, immutable=True)


Work = tuple[int, int, tuple[Job, ...]]  # first and last capture id, the failed crawl pages among them


def reextract_range(work: Work, snapshot_path: str, folder: str, settings: Settings) -> ShardResult:
    """Extract the captures in the range again; the changed records go into ``<folder>/reextract-<lo>.db``."""
    started, cpu = time.monotonic(), time.thread_time()
    lo, hi, failed = work
    final = Path(folder) / f"reextract-{lo:012d}.db"
    part = final.with_name(final.name + ".part")
    if final.exists():
        return ShardResult(f"captures {lo}-{hi}", str(final), "exists")
    remove_part(part)
    counts = Tally()
    failures: list[str] = []
    source = read_only(snapshot_path)
    try:
        jobs = [Job(*row) for row in source.article_jobs(lo, hi)] + list(failed)
        with Store.open(part) as shard:
            shard.mark_shard(uuid.uuid4().hex, f"reextract {lo}-{hi}", now_iso())
            with shard.batches(200) as tick:
                for job in jobs:
                    tick()
                    outcome = one(source, shard, job, settings)
                    counts.add(outcome)
                    if not outcome.ok:
                        failures.append(outcome.line())
            shard.single_file()
    finally:
        source.close()
    part.replace(final)
    return ShardResult(f"captures {lo}-{hi}", str(final), "done", counts, tuple(failures),
                       round(time.monotonic() - started, 3), round(time.thread_time() - cpu, 3))


def one(source: Store, shard: Store, job: Job, settings: Settings) -> Outcome:
    """Extract one job again; keep it in the shard only if it changed (its Outcome as the plain reextract's)."""
    row = source.capture(job.capture_id)
    content = decompress(row["body"]) if row["body"] else b""
    html, _ = decode_html(content, job.charset)
    try:
        article = extract(html, job.final_url, selectors_for(source, settings, job))
    except ExtractionError as exc:
        return failure(job.url, exc)
    known = source.stored_hash(job.url)
    if known == content_hash(article):
        return Outcome(job.url, Status.UNCHANGED, title=article.title)
    # The page as archived, seen again now (as the plain reextract has it); its capture goes along.
    page = Page(url=row["url"], final_url=row["final_url"], status=row["status"],
                headers=tuple((k, v) for k, v in json.loads(row["headers"])), content=content,
                fetched_at=row["fetched_at"], content_type=row["content_type"] or "text/html", charset=row["charset"],
                elapsed_s=row["elapsed_s"] or 0.0)
    capture_id = shard.add_capture(page, row["payload_digest"], row["body"])
    seen = Page(url=job.url, final_url=job.final_url, status=200, headers=(), content=b"", fetched_at=now_iso(),
                content_type="text/html", charset=job.charset)
    outcome = settle(shard, seen, article, StoreEvery(settings), capture_id=capture_id, url=job.url)
    if outcome.status is Status.STORED and known:  # new in the shard, a new version in the archive
        return Outcome(outcome.url, Status.UPDATED, outcome.reason, outcome.detail, outcome.title)
    return outcome


def selectors_for(source: Store, settings: Settings, job: Job) -> Any:
    """The [sources.extract] selectors of the source that crawled the URL, else those of its site."""
    by_name = {s.name: s.extract for s in settings.sources if s.extract is not None}
    if by_name and (name := source.crawl_source(job.url)) in by_name:
        return by_name[name]
    return settings.selectors_for(job.final_url)


def ranges(snapshot_path: Path) -> list[Work]:
    """The ranges of capture ids that hold work, and the failed crawl pages by the range they fall in."""
    with read_only(snapshot_path) as snap:
        failed = [Job(*row) for row in snap.failed_extraction_jobs()]
        starts = {cid // RANGE for cid in snap.article_capture_ids()}
    by_range: dict[int, list[Job]] = {}
    for job in failed:
        by_range.setdefault(job.capture_id // RANGE, []).append(job)
    return [(k * RANGE, k * RANGE + RANGE - 1, tuple(by_range.get(k, ()))) for k in sorted(starts | set(by_range))]


def reextract_dask(settings: Settings, folder: Path, dask_client: Any,
                   progress_for: Callable[[int], RunProgress], stop: Callable[[], bool] = lambda: False) -> Tally:
    """Snapshot, ranges on the cluster, merge: the archive ends as the plain reextract leaves it.

    Once ``stop()`` is true no new range is started, and the ranges done are merged all the same."""
    path = settings.archive.path
    Store.open(path, create=False).close()  # a clear error for a missing archive, before the lock file is made
    counts = Tally()
    work_dir = folder / "reextract"
    with ArchiveLock(path, "reextract"):
        shutil.rmtree(work_dir, ignore_errors=True)  # a killed run's, made from an older snapshot
        work_dir.mkdir(parents=True)
        with Store.open(path, create=False) as store:
            ensure_schema(store)
            snap = snapshot(store, work_dir)
        todo = ranges(snap)
        results: list[ShardResult] = []
        with progress_for(len(todo)) as progress:
            progress.dashboard(engine.dashboard(dask_client))

            def on_done(item: Work, result: ShardResult | None, error: BaseException | None) -> None:
                if result is None:
                    counts.failed += 1
                    result = ShardResult(f"captures {item[0]}-{item[1]}", "", "failed", Tally(),
                                         (f"failed: captures {item[0]}-{item[1]}: {type(error).__name__}: {error}",))
                results.append(result)
                progress.done(result)

            engine.run_all(dask_client, reextract_range, todo, [f"reextract-{w[0]}" for w in todo], on_done, stop=stop,
                           snapshot_path=str(snap.resolve()), folder=str(work_dir.resolve()), settings=settings)
        # In capture order, as the plain reextract goes: the merge replays each changed record.
        merge(sorted((Path(r.shard) for r in results if r.status == "done"), key=lambda p: p.name), Path(path))
        shutil.rmtree(work_dir, ignore_errors=True)
    for result in results:
        counts += result.counts
    return counts


def run_reextract(settings: Settings, folder: Path, *, scheduler: str | None, workers: int | None,
                  quiet: bool) -> Tally:
    """`scrape reextract --engine dask`: connect (or start a LocalCluster), then reextract_dask.

    Ctrl-C or SIGTERM stops it at a safe point: the ranges in hand finish and every finished one
    is merged (a rerun does the rest), and ``Interrupted`` carries the totals."""
    with engine.client(scheduler, workers) as dask_client, stop_on_signals() as stop:
        counts = reextract_dask(settings, folder, dask_client, lambda total: RunProgress(total, label="ranges", quiet=quiet), stop)
    if stop:
        raise Interrupted(counts.line("reextracted"))
    return counts
