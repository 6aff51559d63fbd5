"""Progress for long commands: a rich bar on a terminal, plain lines on stderr otherwise (cron, pipes)."""

from __future__ import annotations

import sys
from typing import TextIO

from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, SpinnerColumn, TextColumn, TimeElapsedColumn
from rich.progress import Progress as RichProgress


class Progress:
    """Counts work items; ``log`` and ``error`` print lines without breaking the bar."""

    def __init__(self, total: int | None = None, *, label: str = "records", quiet: bool = False, stream: TextIO | None = None) -> None:
        self.stream = stream or sys.stderr
        self.quiet = quiet
        self.console = Console(file=self.stream, highlight=False, soft_wrap=True)
        self.bar: RichProgress | None = None
        if self.console.is_terminal and not quiet:
            self.bar = RichProgress(
                SpinnerColumn(), TextColumn(label), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(),
                console=self.console, transient=True,
            )
            self.task = self.bar.add_task(label, total=total)

    def __enter__(self) -> Progress:
        if self.bar:
            self.bar.start()
        return self

    def __exit__(self, *exc: object) -> None:
        if self.bar:
            self.bar.stop()

    def advance(self, steps: int = 1) -> None:
        if self.bar:
            self.bar.advance(self.task, steps)

    def log(self, line: str) -> None:
        if not self.quiet:
            self._print(line)

    def error(self, line: str) -> None:
        self._print(line)

    def _print(self, line: str) -> None:
        if self.bar:
            self.bar.console.print(line, markup=False)
        else:
            print(line, file=self.stream, flush=True)
