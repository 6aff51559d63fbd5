"""Progress of long work through rich: bars on a terminal, nothing drawn anywhere else.

Every bulk command (fetch -f, crawl, import-warc, reextract, the Dask runs) shows its work
with one ``Progress``: a bar per task with done out of total, the rate and the ETA. Lines
(a URL's outcome, a warning) go through ``Progress.print`` so that on a terminal they scroll
above the bars instead of tearing them; without a terminal (cron, a pipe, a file) no bar is
drawn and the lines are the whole output. ``stamp`` dates a line for cron logs.
"""

from __future__ import annotations

import sys
from datetime import datetime
from types import TracebackType
from typing import Any, Self, TextIO

from rich import filesize
from rich.console import Console
from rich.progress import (
    BarColumn,
    DownloadColumn,
    MofNCompleteColumn,
    ProgressColumn,
    Task,
    TaskID,
    TextColumn,
    TimeElapsedColumn,
    TimeRemainingColumn,
)
from rich.progress import Progress as Bars
from rich.text import Text


def stamp(text: str) -> str:
    """``text`` after the local time with its UTC offset (2026-12-02T01:05:09+01:00), so a log line dates itself."""
    return f"{datetime.now().astimezone().isoformat(timespec='seconds')} {text}"


class RateColumn(ProgressColumn):
    """Items (or bytes) a second, rich's estimate over the last half minute."""

    def __init__(self, unit: str, in_bytes: bool) -> None:
        super().__init__()
        self.unit = unit
        self.in_bytes = in_bytes

    def render(self, task: Task) -> Text:
        speed = task.finished_speed or task.speed
        if speed is None:
            return Text("")
        shown = f"{filesize.decimal(int(speed))}/s" if self.in_bytes else f"{speed:,.1f} {self.unit}/s"
        return Text(shown, style="progress.data.speed")


class Progress:
    """Bars on ``stream`` (stderr) when it is a terminal, even with --quiet (which drops lines, not bars); else none.

    ``unit`` names what is counted (records, URLs, files); ``in_bytes`` counts bytes instead and
    shows them as sizes; ``bars=False`` draws none even on a terminal (one URL needs no bar). A
    task's ``note`` field is shown after its ETA (a crawl's counts).
    """

    def __init__(self, *, unit: str = "records", in_bytes: bool = False, bars: bool = True,
                 stream: TextIO | None = None, console: Console | None = None) -> None:
        self.stream = stream or sys.stderr
        self.console = console or Console(file=self.stream, highlight=False, soft_wrap=True)
        self.bars: Bars | None = None
        if bars and self.console.is_terminal:
            count = DownloadColumn() if in_bytes else MofNCompleteColumn()
            self.bars = Bars(
                TextColumn("{task.description}"), BarColumn(), count, RateColumn(unit, in_bytes),
                TimeElapsedColumn(), TextColumn("ETA"), TimeRemainingColumn(), TextColumn("{task.fields[note]}"),
                console=self.console, transient=True,
                # stdout may be a file (--json > out.jsonl): it must not be drawn into the terminal.
                redirect_stdout=False, redirect_stderr=False,
            )

    @property
    def drawn(self) -> bool:
        return self.bars is not None

    def __enter__(self) -> Self:
        if self.bars:
            self.bars.start()
        return self

    def __exit__(self, kind: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None) -> None:
        if self.bars:
            self.bars.stop()

    def add(self, label: str, total: float | None = None, note: str = "") -> TaskID:
        """A new bar; ``total`` None while it is not known yet (rich then shows no ETA)."""
        if self.bars:
            return self.bars.add_task(label, total=total, note=note)
        return TaskID(0)

    def advance(self, task: TaskID, steps: float = 1) -> None:
        if self.bars:
            self.bars.advance(task, steps)

    def update(self, task: TaskID, **changes: Any) -> None:
        """rich's ``update``: ``total=``, ``completed=``, ``note=``..."""
        if self.bars:
            self.bars.update(task, **changes)

    def completed(self, task: TaskID) -> float:
        return self.bars.tasks[task].completed if self.bars else 0

    def print(self, line: str, *, err: bool = True) -> None:
        """One line to stderr (``err``) or stdout; on the bars' terminal it is printed above them."""
        target = self.stream if err else sys.stdout
        if self.bars and (err or target.isatty()):
            self.bars.console.print(line, markup=False)
        else:
            print(line, file=target, flush=True)
