"""The bulk commands: `scrape import-warc`, `reextract` and `merge`, on this machine's cores or a Dask cluster."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from scraper.cli.app import app
from scraper.cli.common import (
    ConfigOption,
    DbOption,
    EngineOption,
    SchedulerOption,
    SetOption,
    ShardsOption,
    WorkersOption,
    check_engine,
    fail,
    load_settings,
    summary,
    user_errors,
)
from scraper.summary import Exit


@app.command("import-warc")
@user_errors
def import_warc(
    files: Annotated[list[str], typer.Argument(metavar="FILE", help="WARC or ARC files (gzipped or not), http(s) URLs, or @FILE listing them one a line.")],
    db: DbOption = None,
    config_path: ConfigOption = None,
    sets: SetOption = None,
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="Print only problems and the summary.")] = False,
    workers: WorkersOption = None,
    engine: EngineOption = None,
    scheduler: SchedulerOption = None,
    shards: ShardsOption = None,
) -> None:
    """Extract the HTML responses of WARC/ARC files into the archive, with their capture dates."""
    from scraper.archive import Archive
    from scraper.outcome import Reason, Status
    from scraper.progress import Progress
    from scraper.scale.sources import expand, total_size
    from scraper.warc.read import ImportEvent

    archive = Archive(settings=load_settings(config_path, db, sets))
    locations = expand(files)
    if check_engine(engine, scheduler, shards):
        assert shards is not None
        result = archive.import_warc_sharded(locations, shards, scheduler=scheduler, workers=workers, quiet=quiet)
        for line in result.lines():
            summary(line, quiet=quiet)
        if result.failed:
            raise typer.Exit(Exit.FAILED)
        return
    # Counting records would read every file twice: the bar counts the bytes read instead.
    read: dict[str, int] = {}
    size = total_size(locations)
    with Progress(unit="B", in_bytes=True) as progress:
        task = progress.add("importing", total=size)

        def on_event(event: ImportEvent) -> None:
            outcome = event.outcome
            if outcome.status is Status.FAILED:
                where = f"{outcome.url or 'record'}: " if outcome.detail != "not a WARC or ARC file" else ""
                progress.print(f"failed: {event.file}: {where}{outcome.detail}")
            elif outcome.status is Status.SKIPPED and outcome.reason is not Reason.DUPLICATE and not quiet:
                progress.print(outcome.line())
            if event.offset > read.get(event.file, 0):
                progress.advance(task, event.offset - read.get(event.file, 0))
                read[event.file] = event.offset

        tally = archive.import_warc(locations, report=on_event, workers=workers)
        progress.update(task, completed=size)  # what no record reported: damaged tails, non-HTML records at the end
    summary(tally.line("imported"), quiet=quiet)
    if tally.failed:
        raise typer.Exit(Exit.FAILED)


@app.command()
@user_errors
def reextract(
    db: DbOption = None,
    config_path: ConfigOption = None,
    sets: SetOption = None,
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="Print only failures and the totals.")] = False,
    workers: WorkersOption = None,
    engine: EngineOption = None,
    scheduler: SchedulerOption = None,
    shards: ShardsOption = None,
) -> None:
    """Extract every stored article again from its archived capture (no network) and update the archive."""
    from scraper.archive import Archive
    from scraper.crawl.lock import Locked
    from scraper.outcome import Outcome, Status
    from scraper.progress import Progress

    archive = Archive(settings=load_settings(config_path, db, sets))
    try:
        if check_engine(engine, scheduler, shards):
            assert shards is not None
            tally = archive.reextract_sharded(shards, scheduler=scheduler, workers=workers, quiet=quiet)
        else:
            with Progress(unit="articles") as progress:
                task = progress.add("reextracting")

                def report(outcome: Outcome) -> None:
                    if not outcome.ok:
                        progress.print(outcome.line())
                    elif outcome.status is not Status.UNCHANGED and not quiet:
                        progress.print(outcome.line(), err=False)
                    progress.advance(task)

                tally = archive.reextract(report=report, workers=workers, on_total=lambda n: progress.update(task, total=n))
    except Locked as exc:
        raise fail(str(exc), Exit.LOCKED) from None
    summary(tally.line("reextracted"), quiet=quiet, err=False)
    if tally.failed:
        raise typer.Exit(Exit.FAILED)


@app.command()
@user_errors
def merge(
    shards: Annotated[list[Path], typer.Argument(metavar="SHARD", help="Shard archives (or any archives) to fold in, in this order.")],
    into: Annotated[Path, typer.Option("--into", metavar="PATH", help="The archive to merge into; created if missing.")],
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="Print only the totals.")] = False,
) -> None:
    """Merge shard archives into one: new rows copied in bulk, known articles saved as new versions."""
    from scraper.archive import Archive

    counts = Archive(into).merge(shards, report=lambda line: None if quiet else typer.echo(line, err=True))
    summary(counts.line(), quiet=quiet, err=False)


