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
    from scraper.scale.run import run_import
    from scraper.scale.sources import expand
    from scraper.warc.read import ImportEvent

    settings = load_settings(config_path, db, sets)
    locations = expand(files)
    if check_engine(engine, scheduler, shards):
        assert shards is not None
        summary = run_import(locations, shards, settings, scheduler=scheduler, workers=workers, quiet=quiet)
        for line in summary.lines():
            typer.echo(line, err=True)
        if summary.failed:
            raise typer.Exit(Exit.FAILED)
        return
    archive = Archive(settings=settings)
    with Progress(label="WARC records", quiet=quiet) as progress:

        def on_event(event: ImportEvent) -> None:
            outcome = event.outcome
            if outcome.status is Status.FAILED:
                where = f"{outcome.url or 'record'}: " if outcome.detail != "not a WARC or ARC file" else ""
                progress.error(f"failed: {event.file}: {where}{outcome.detail}")
            elif outcome.status is Status.SKIPPED and outcome.reason is not Reason.DUPLICATE and not quiet:
                progress.log(outcome.line())
            progress.advance()

        tally = archive.import_warc(locations, report=on_event, workers=workers)
    typer.echo(tally.line("imported"), err=True)
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

    settings = load_settings(config_path, db, sets)

    def report(outcome: Outcome) -> None:
        if not outcome.ok:
            typer.echo(outcome.line(), err=True)
        elif outcome.status is not Status.UNCHANGED and not quiet:
            typer.echo(outcome.line())

    try:
        if check_engine(engine, scheduler, shards):
            from scraper.scale.reextract import run_reextract as on_dask

            assert shards is not None
            tally = on_dask(settings, shards, scheduler=scheduler, workers=workers, quiet=quiet)
        else:
            tally = Archive(settings=settings).reextract(report=report, workers=workers)
    except Locked as exc:
        raise fail(str(exc), Exit.LOCKED) from None
    typer.echo(tally.line("reextracted"))
    if tally.failed:
        raise typer.Exit(Exit.FAILED)


@app.command()
@user_errors
def merge(
    shards: Annotated[list[Path], typer.Argument(help="Shard archives (or any archives) to fold in, in this order.")],
    into: Annotated[Path, typer.Option("--into", help="The archive to merge into; created if missing.")],
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="Print only the totals.")] = False,
) -> None:
    """Merge shard archives into one: new rows copied in bulk, known articles saved as new versions."""
    from scraper.archive import Archive

    counts = Archive(into).merge(shards, report=lambda line: None if quiet else typer.echo(line, err=True))
    typer.echo(counts.line())


