"""`scrape import-warc`'s inputs, and with ``--engine dask --shards DIR`` every WARC as its shard on some worker."""

from __future__ import annotations

import time
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from types import TracebackType
from typing import Any, Self, TextIO

from scraper.config import Settings
from scraper.errors import Interrupted
from scraper.progress import Progress
from scraper.scale import engine
from scraper.scale.shards import ShardResult, build_shard, shard_path
from scraper.scale.sources import check_unique, is_url, opened, stem
from scraper.stopping import stop_on_signals
from scraper.summary import Tally
from scraper.warc.read import Opened


class RunProgress:
    """A sharded run's inputs (files, ranges) done out of total, with records/s overall.

    Failures are printed as they come, and the Dask dashboard's address first; without a
    terminal (no bar) one line per finished input says the same, unless ``quiet``.
    """

    def __init__(self, total: int, *, label: str = "files", quiet: bool = False, stream: TextIO | None = None) -> None:
        self.quiet = quiet
        self.started = time.monotonic()
        self.records = 0
        self.progress = Progress(unit=label, stream=stream)
        self.task = self.progress.add(label, total=total)

    def __enter__(self) -> Self:
        self.progress.__enter__()
        return self

    def __exit__(self, kind: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None) -> None:
        self.progress.__exit__(kind, exc, tb)

    @property
    def rate(self) -> float:
        return self.records / max(time.monotonic() - self.started, 1e-9)

    def dashboard(self, address: str | None) -> None:
        if address:
            self.progress.print(f"dask dashboard: {address}")

    def done(self, result: ShardResult) -> None:
        self.records += result.records
        for line in result.failures:
            self.progress.print(line)
        self.progress.update(self.task, advance=1, note=f"{self.rate:,.0f} records/s")
        if not self.progress.drawn and not self.quiet and result.status != "failed":
            self.progress.print(f"{result.status}: {result.source} -> {result.shard} ({result.records} records, "
                                f"{self.rate:,.0f} records/s overall)")


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
                   progress: RunProgress, stop: Callable[[], bool] = lambda: False) -> RunSummary:
    """One task per WARC whose shard is not in ``folder`` yet; results as they finish. Once ``stop()``
    is true no new WARC is started; the summary holds the shards that were written."""
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
    engine.run_all(dask_client, build_shard, todo, [f"shard-{stem(x)}" for x in todo], on_done, stop=stop,
                   folder=str(folder.resolve()), settings=settings)
    return summary


def run_import(locations: list[str], folder: Path, settings: Settings, *, scheduler: str | None,
               workers: int | None, quiet: bool) -> RunSummary:
    """`scrape import-warc --engine dask`: connect (or start a LocalCluster), shard every WARC, report.

    Ctrl-C or SIGTERM stops it at a safe point: the WARCs in hand finish as shards, the rest are
    never started (a rerun does them), and ``Interrupted`` carries the totals."""
    check_unique(locations)
    with engine.client(scheduler, workers) as dask_client, RunProgress(len(locations), quiet=quiet) as progress, \
            stop_on_signals() as stop:
        progress.dashboard(engine.dashboard(dask_client))
        summary = import_sharded(locations, folder, settings, dask_client, progress, stop)
    if stop:
        raise Interrupted("\n".join(summary.lines()))
    return summary


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
