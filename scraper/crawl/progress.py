"""What a crawl says while it runs: a rich bar per source on a terminal, plain lines otherwise.

Cron mails whatever a job prints, so without a terminal every line is complete, timestamped
and greppable; ``--quiet`` keeps only failures and the summary. Failures and warnings go to
stderr, everything else to stdout.
"""

from __future__ import annotations

import sys
from datetime import datetime
from typing import Protocol, TextIO

from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TaskID, TextColumn, TimeElapsedColumn


class Reporter(Protocol):
    def start(self, sources: dict[str, int]) -> None: ...
    def event(self, source: str, status: str, url: str, detail: str = "") -> None: ...
    def warning(self, source: str, message: str) -> None: ...
    def finished(self, source: str) -> None: ...
    def stop(self) -> None: ...


def line(source: str, status: str, url: str, detail: str) -> str:
    if status in ("failed", "skipped", "gone"):
        return f"{status}: {source}: {url}: {detail}" if detail else f"{status}: {source}: {url}"
    return f"{status}: {source}: {url} — {detail}" if detail else f"{status}: {source}: {url}"


class PlainReporter:
    """One timestamped line per URL (cron, pipes); ``quiet`` keeps failures only."""

    def __init__(self, quiet: bool = False, out: TextIO | None = None, err: TextIO | None = None) -> None:
        self.quiet = quiet
        self.out = out or sys.stdout
        self.err = err or sys.stderr

    def _print(self, text: str, stream: TextIO) -> None:
        print(f"{datetime.now().astimezone().isoformat(timespec='seconds')} {text}", file=stream, flush=True)

    def start(self, sources: dict[str, int]) -> None:
        if not self.quiet:
            self._print(f"crawling {', '.join(sources)}", self.out)

    def event(self, source: str, status: str, url: str, detail: str = "") -> None:
        if status == "failed":
            self._print(line(source, status, url, detail), self.err)
        elif not self.quiet:
            self._print(line(source, status, url, detail), self.out)

    def warning(self, source: str, message: str) -> None:
        if not self.quiet:
            self._print(f"warning: {source}: {message}", self.err)

    def finished(self, source: str) -> None:
        pass  # the summary says it

    def stop(self) -> None:
        pass


class RichReporter:
    """A bar per source (pages fetched out of its max_pages) with the URL lines scrolling above it."""

    def __init__(self, quiet: bool = False, console: Console | None = None) -> None:
        self.quiet = quiet
        self.console = console or Console(file=sys.stderr, highlight=False, soft_wrap=True)
        self.progress = Progress(
            TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(),
            TextColumn("{task.fields[counts]}"), TimeElapsedColumn(),
            console=self.console, transient=True,
        )
        self.tasks: dict[str, TaskID] = {}
        self.counts: dict[str, dict[str, int]] = {}

    def start(self, sources: dict[str, int]) -> None:
        for name, budget in sources.items():
            self.counts[name] = {}
            self.tasks[name] = self.progress.add_task(name, total=budget, counts="")
        self.progress.start()

    def event(self, source: str, status: str, url: str, detail: str = "") -> None:
        counts = self.counts.setdefault(source, {})
        counts[status] = counts.get(status, 0) + 1
        if source in self.tasks:
            shown = " ".join(f"{k} {v}" for k, v in counts.items())
            pages = status != "listed"  # feeds and sitemaps do not use up max_pages
            self.progress.update(self.tasks[source], advance=1 if pages else 0, counts=shown)
        if status == "failed" or not self.quiet:
            self.progress.console.print(line(source, status, url, detail), markup=False)

    def warning(self, source: str, message: str) -> None:
        if not self.quiet:
            self.progress.console.print(f"warning: {source}: {message}", markup=False)

    def finished(self, source: str) -> None:
        if source in self.tasks:
            task = self.progress.tasks[self.tasks[source]]
            self.progress.update(self.tasks[source], total=task.completed or 1, completed=task.completed or 1)

    def stop(self) -> None:
        self.progress.stop()


def make_reporter(quiet: bool) -> Reporter:
    """The bar when stderr is a terminal, plain lines when it is not (cron, a pipe, a file)."""
    if sys.stderr.isatty():
        return RichReporter(quiet)
    return PlainReporter(quiet)
