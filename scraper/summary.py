"""What a run did, in one type: every command's last line, its ``--json`` and crawl_runs come from it.

``Tally`` counts Outcomes (stored, updated, unchanged, duplicate, skipped, gone, failed) plus the
crawl's own ``discovered`` and ``fetched``; ``line`` is the one formatter of a command's closing line,
``table`` lays out a crawl's tallies per source. The process exit codes live here too.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, fields
from enum import IntEnum
from typing import Self

from scraper.outcome import Outcome, Reason, Status


class Exit(IntEnum):
    OK = 0
    FAILED = 1  # some URLs failed, or the archive could not be used
    USAGE = 2  # usage or config error
    LOCKED = 75  # EX_TEMPFAIL: another run holds the archive; cron may simply try again
    INTERRUPTED = 130


OUTCOMES = ("stored", "updated", "unchanged", "duplicate", "skipped", "failed")
# Only a crawl follows links it did not choose, so only its closing line counts the gone ones.
CRAWL_OUTCOMES = ("stored", "updated", "unchanged", "duplicate", "skipped", "gone", "failed")


@dataclass
class Tally:
    """Counts of one run (or one crawl source). ``fetched``, ``discovered`` and ``gone`` are the crawl's."""

    discovered: int = 0  # URLs added to the frontier
    fetched: int = 0  # pages received (a 2xx, or a 304 not modified), whatever became of them
    stored: int = 0
    updated: int = 0
    unchanged: int = 0
    duplicate: int = 0  # a WARC record already imported
    skipped: int = 0
    gone: int = 0  # a link the crawl found answered 4xx: counted, never a failure of the run
    failed: int = 0
    seconds: float = 0.0

    def add(self, outcome: Outcome) -> None:
        if outcome.status is Status.SKIPPED and outcome.reason is Reason.DUPLICATE:
            self.duplicate += 1
        else:
            name = str(outcome.status)
            setattr(self, name, getattr(self, name) + 1)

    @property
    def total(self) -> int:
        return sum(getattr(self, name) for name in CRAWL_OUTCOMES)

    def __iadd__(self, other: Tally) -> Self:
        for f in fields(self):
            setattr(self, f.name, getattr(self, f.name) + getattr(other, f.name))
        return self

    def line(self, verb: str, names: tuple[str, ...] = OUTCOMES) -> str:
        """The closing line of a command: ``imported: 3 stored, 0 updated, ...`` (a crawl's: CRAWL_OUTCOMES)."""
        return f"{verb}: " + ", ".join(f"{getattr(self, name)} {name}" for name in names)

    def as_dict(self) -> dict[str, float]:
        return asdict(self)

    @property
    def exit_code(self) -> int:
        return Exit.FAILED if self.failed else Exit.OK


CRAWL_COLUMNS = ("discovered", "fetched", "stored", "updated", "unchanged", "skipped", "gone", "failed")


def table(sources: dict[str, Tally], seconds: float) -> list[str]:
    """A crawl's tallies, a source a row, with a total row when there are several."""
    headers = ["source", *CRAWL_COLUMNS, "time"]
    rows = [[name, *(str(getattr(t, h)) for h in CRAWL_COLUMNS), f"{t.seconds:.1f}s"] for name, t in sources.items()]
    if len(rows) > 1:
        total = Tally()
        for t in sources.values():
            total += t
        rows.append(["total", *(str(getattr(total, h)) for h in CRAWL_COLUMNS), f"{seconds:.1f}s"])
    widths = [max(len(r[i]) for r in [headers, *rows]) for i in range(len(headers))]
    return ["  ".join(cell.ljust(w) if i == 0 else cell.rjust(w) for i, (cell, w) in enumerate(zip(r, widths, strict=True)))
            for r in [headers, *rows]]
