"""The `scrape` command. Thin: parse arguments, load settings once, call one ``Archive`` method, map errors.

- app.py       the typer app, readable help, usage errors as one ``error:`` line
- common.py    shared options, settings loading, ScraperError -> one line and an exit code
- pages.py     fetch, extract
- crawling.py  crawl
- reading.py   search, history, serve, export-warc
- bulk.py      import-warc, reextract, merge

Exit codes (summary.Exit): 0 success; 1 some URLs failed or the archive could not be used; 2 usage
or config error; 75 another run holds the archive; 130 interrupted.
"""

from __future__ import annotations

import signal

# Each module registers its commands; `scrape -h` lists them in this order.
from scraper.cli import pages  # noqa: F401

# isort: split
from scraper.cli import crawling  # noqa: F401

# isort: split
from scraper.cli import reading  # noqa: F401

# isort: split
from scraper.cli import bulk  # noqa: F401
from scraper.cli.app import app

__all__ = ["app", "main"]


def stop_on_sigterm(signum: int, frame: object) -> None:
    """SIGTERM (cron's timeout, systemd, kill) stops a command the way Ctrl-C does: done work kept, exit 130."""
    raise KeyboardInterrupt


def main() -> None:
    signal.signal(signal.SIGTERM, stop_on_sigterm)  # the crawl installs its own handlers while it runs
    app(prog_name="scrape")  # `python -m scraper` too: the help and errors name the command users type
