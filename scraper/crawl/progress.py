"""What a crawl says while it runs: a rich bar per source on a terminal, plain lines otherwise.

Cron mails whatever a job prints, so without a terminal every line is complete, timestamped
and greppable; ``--quiet`` keeps only failures and the summary. Failures and warnings go to
stderr, everything else to stdout. The bars are scraper/progress.py's, like every command's.
"""

from __future__ import annotations

import sys
from dataclasses import dataclass
from typing import Protocol, TextIO

from rich.console import Console
from rich.progress import TaskID

from scraper.progress import Progress, stamp
from scraper.summary import Tally


@dataclass(frozen=True, slots=True)
class Plan:
    """A source as its bar sees it: URLs due when the run starts, its page budget, its live counts."""

    due: int
    max_pages: int
    counts: Tally  # the crawl's own Tally of the source: ``discovered`` grows as links are found


class Reporter(Protocol):
    def start(self, sources: dict[str, Plan]) -> None: ...
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
        print(stamp(text), file=stream, flush=True)

    def start(self, sources: dict[str, Plan]) -> None:
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
    """A bar per source, URLs visited out of those known, with the URL lines scrolling above it.

    The total grows as the frontier does: the URLs due at the start plus those found since,
    never more than the run may visit (``max_pages`` pages plus the feeds and sitemaps read).
    """

    def __init__(self, quiet: bool = False, console: Console | None = None) -> None:
        self.quiet = quiet
        self.progress = Progress(unit="URLs", console=console or Console(file=sys.stderr, highlight=False, soft_wrap=True))
        self.tasks: dict[str, TaskID] = {}
        self.plans: dict[str, Plan] = {}
        self.counts: dict[str, dict[str, int]] = {}

    def start(self, sources: dict[str, Plan]) -> None:
        for name, plan in sources.items():
            self.counts[name] = {}
            self.plans[name] = plan
            self.tasks[name] = self.progress.add(name, total=self.total(name))
        self.progress.__enter__()

    def total(self, source: str) -> int:
        plan = self.plans[source]
        listed = self.counts[source].get("listed", 0)  # feeds and sitemaps do not use up max_pages
        return max(1, min(plan.due + plan.counts.discovered, plan.max_pages + listed))

    def event(self, source: str, status: str, url: str, detail: str = "") -> None:
        counts = self.counts.setdefault(source, {})
        counts[status] = counts.get(status, 0) + 1
        if source in self.tasks:
            shown = " ".join(f"{k} {v}" for k, v in counts.items())
            self.progress.update(self.tasks[source], advance=1, total=self.total(source), note=shown)
        if status == "failed" or not self.quiet:
            self.progress.print(line(source, status, url, detail))

    def warning(self, source: str, message: str) -> None:
        if not self.quiet:
            self.progress.print(f"warning: {source}: {message}")

    def finished(self, source: str) -> None:
        if source in self.tasks:
            done = self.progress.completed(self.tasks[source]) or 1
            self.progress.update(self.tasks[source], total=done, completed=done)

    def stop(self) -> None:
        self.progress.__exit__(None, None, None)


def make_reporter(quiet: bool) -> Reporter:
    """The bar when stderr is a terminal, plain lines when it is not (cron, a pipe, a file)."""
    if sys.stderr.isatty():
        return RichReporter(quiet)
    return PlainReporter(quiet)
