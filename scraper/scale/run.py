"""`scrape import-warc`'s inputs, and with ``--engine dask --shards DIR`` every WARC as its shard on some worker."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from scraper.config import Settings
from scraper.scale import engine
from scraper.scale.progress import RunProgress
from scraper.scale.shards import ShardResult, build_shard, shard_path
from scraper.scale.sources import check_unique, is_url, opened, stem
from scraper.summary import Tally
from scraper.warc.read import Opened


@dataclass
class RunSummary:
    """Every input's ShardResult, and the totals the command prints."""

    results: list[ShardResult] = field(default_factory=list)

    @property
    def failed(self) -> list[ShardResult]:
        return [r for r in self.results if r.status == "failed"]

    def counts(self) -> Tally:
        total = Tally()
        for result in self.results:
            total += result.counts
        return total

    def lines(self) -> list[str]:
        by_status = Counter(r.status for r in self.results)
        return [
            self.counts().line("imported"),
            f"shards: {by_status['done']} written, {by_status['exists']} already there, {by_status['failed']} failed",
        ]


def import_sharded(locations: list[str], folder: Path, settings: Settings, dask_client: Any,
                   progress: RunProgress) -> RunSummary:
    """One task per WARC whose shard is not in ``folder`` yet; results as they finish."""
    check_unique(locations)
    summary = RunSummary()
    todo = []
    for location in locations:
        if shard_path(folder, location).exists():  # a rerun: checked here too, so the task is never sent
            result = ShardResult(location, str(shard_path(folder, location)), "exists")
            summary.results.append(result)
            progress.done(result)
        else:
            todo.append(location)

    def on_done(location: str, result: ShardResult | None, error: BaseException | None) -> None:
        if result is None:
            line = f"failed: {location}: {type(error).__name__}: {error}"
            result = ShardResult(location, str(shard_path(folder, location)), "failed", Tally(), (line,))
        summary.results.append(result)
        progress.done(result)

    folder.mkdir(parents=True, exist_ok=True)
    engine.run_all(dask_client, build_shard, todo, [f"shard-{stem(x)}" for x in todo], on_done,
                   folder=str(folder.resolve()), settings=settings)
    return summary


def run_import(locations: list[str], folder: Path, settings: Settings, *, scheduler: str | None,
               workers: int | None, quiet: bool) -> RunSummary:
    """`scrape import-warc --engine dask`: connect (or start a LocalCluster), shard every WARC, report."""
    check_unique(locations)
    with engine.client(scheduler, workers) as dask_client, RunProgress(len(locations), quiet=quiet) as progress:
        progress.dashboard(engine.dashboard(dask_client))
        return import_sharded(locations, folder, settings, dask_client, progress)


def plain_sources(locations: list[str], settings: Settings) -> Iterator[Path | Opened]:
    """The inputs of a plain import: paths as they are, each URL streamed while it is read."""
    for location in locations:
        if not is_url(location):
            yield Path(location)
            continue
        with opened(location, user_agent=settings.fetch.user_agent, timeout_s=settings.fetch.read_timeout_s) as (
            stream, size, _,
        ):
            yield (location, stream, size)
