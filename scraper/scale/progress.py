"""Progress of a sharded run: files done out of total, records/s and the ETA, through rich.

On a terminal a bar; elsewhere (cron, a pipe, tests) one plain line per finished file. Either
way failures are printed as they come, and the Dask dashboard's address first when there is one.
"""

from __future__ import annotations

import sys
import time
from typing import Self, TextIO

from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn, TimeRemainingColumn

from scraper.scale.shards import ShardResult


class RunProgress:
    def __init__(self, total: int, *, label: str = "files", quiet: bool = False, stream: TextIO | None = None) -> None:
        self.total = total
        self.quiet = quiet
        self.stream = stream or sys.stderr
        self.console = Console(file=self.stream, highlight=False, soft_wrap=True)
        self.started = time.monotonic()
        self.records = 0
        self.bar: Progress | None = None
        if self.console.is_terminal and not quiet:
            self.bar = Progress(
                TextColumn(label), BarColumn(), MofNCompleteColumn(), TextColumn("{task.fields[rate]}"),
                TimeElapsedColumn(), TextColumn("ETA"), TimeRemainingColumn(), console=self.console, transient=True,
            )
            self.task = self.bar.add_task(label, total=total, rate="")

    def __enter__(self) -> Self:
        if self.bar:
            self.bar.start()
        return self

    def __exit__(self, *exc: object) -> None:
        if self.bar:
            self.bar.stop()

    @property
    def rate(self) -> float:
        return self.records / max(time.monotonic() - self.started, 1e-9)

    def dashboard(self, address: str | None) -> None:
        if address:
            self._print(f"dask dashboard: {address}")

    def done(self, result: ShardResult) -> None:
        self.records += result.records
        for line in result.failures:
            self._print(line)
        if self.bar:
            self.bar.update(self.task, advance=1, rate=f"{self.rate:,.0f} records/s")
        elif not self.quiet and result.status != "failed":
            self._print(f"{result.status}: {result.source} -> {result.shard} ({result.records} records, "
                        f"{self.rate:,.0f} records/s overall)")

    def _print(self, line: str) -> None:
        if self.bar:
            self.bar.console.print(line, markup=False)
        else:
            print(line, file=self.stream, flush=True)
