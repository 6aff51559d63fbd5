"""What every command shares: the common options, settings loading, and the one place errors become lines."""

from __future__ import annotations

import functools
import re
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Annotated, Any, TypeVar

import typer

from scraper import config
from scraper.errors import ConfigError, Interrupted, ScraperError
from scraper.flags import SET_METAVAR, assign, help_of
from scraper.scale.engine import Engine
from scraper.summary import Exit

DEFAULT_CONFIG = Path("config.toml")

F = TypeVar("F", bound=Callable[..., Any])

DbOption = Annotated[Path | None, typer.Option("--db", metavar="PATH", help=help_of("archive.path", " (default: archive.db)"))]
ConfigOption = Annotated[
    Path | None, typer.Option("--config", "-c", metavar="PATH", help="Settings file (default: ./config.toml if present).")
]
SetOption = Annotated[
    list[str] | None,
    typer.Option("--set", metavar=SET_METAVAR, show_default=False,
                 help="Any [archive] or [fetch] setting for this run, e.g. fetch.per_host_delay_s=0.5 (repeatable)."),
]
WorkersOption = Annotated[int | None, typer.Option(
    min=1, metavar="N", help="Extraction processes (default: every core); with --engine dask and no --scheduler, the LocalCluster's.")]
EngineOption = Annotated[Engine | None, typer.Option(metavar="dask", help="dask: the work as shard archives on a Dask cluster (needs --shards).")]
SchedulerOption = Annotated[str | None, typer.Option(
    metavar="URL", help="Dask scheduler address, tcp://HOST:8786 (default: a LocalCluster on 127.0.0.1).")]
ShardsOption = Annotated[Path | None, typer.Option(
    metavar="DIR", help="With --engine dask: the folder for the shard archives, the same path on every worker.")]


def fail(message: str, code: int = Exit.FAILED) -> typer.Exit:
    typer.echo(f"error: {message}", err=True)
    return typer.Exit(code)


def user_errors(func: F) -> F:
    """Turn every ScraperError into one line on stderr and an exit code: the single place that does."""

    @functools.wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return func(*args, **kwargs)
        except ConfigError as exc:
            raise fail(str(exc), Exit.USAGE) from None
        except ScraperError as exc:
            raise fail(str(exc)) from None
        except KeyboardInterrupt as exc:
            if isinstance(exc, Interrupted) and exc.summary:
                typer.echo(exc.summary, err=True)  # the totals of what was done before the signal
            raise fail("interrupted; everything fetched so far is stored", Exit.INTERRUPTED) from None

    return wrapper  # type: ignore[return-value]


def load_settings(config_path: Path | None, db: Path | None, sets: list[str] | None = None) -> config.Settings:
    """defaults < config.toml < --set < the named flags (--db, --delay, ...)."""
    if config_path is None:
        settings = config.load(DEFAULT_CONFIG)
    else:
        settings = config.load(config_path, required=True)
    settings = assign(settings, sets or ())
    if db is not None:
        settings = config.override(settings, "archive", path=str(db))
    return settings


def summary(line: str, *, quiet: bool, err: bool = True) -> None:
    """A command's closing line; with --quiet (cron) it starts with the local time and UTC offset, to date the log."""
    from scraper.progress import stamp

    typer.echo(stamp(line) if quiet else line, err=err)


def check_engine(engine: Engine | None, scheduler: str | None, shards: Path | None) -> bool:
    """True for a Dask run; usage errors for options that only make sense with one."""
    if engine is None:
        if scheduler or shards:
            raise fail(f"{'--scheduler' if scheduler else '--shards'} needs --engine dask", Exit.USAGE)
        return False
    if shards is None:
        raise fail("--engine dask needs --shards DIR (where the shard archives go)", Exit.USAGE)
    return True


def read_url_list(source: Path) -> list[str]:
    """One URL a line; blank lines and # comments (whole lines, or after the URL) ignored; '-' is stdin."""
    try:
        text = sys.stdin.read() if str(source) == "-" else source.read_text(encoding="utf-8", errors="replace")
    except OSError as exc:
        raise ScraperError(f"{source}: cannot read URL list ({exc.strerror})") from None
    # A '#' inside a URL is its fragment; a comment starts at the line or after a space.
    lines = (re.split(r"(?:^|\s)#", line, maxsplit=1)[0].strip() for line in text.splitlines())
    return [line for line in lines if line]
