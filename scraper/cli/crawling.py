"""`scrape crawl`: one run over the sources of config.toml, under the archive's lock (for cron)."""

from __future__ import annotations

import json
from typing import Annotated

import typer

from scraper.cli.app import app
from scraper.cli.common import ConfigOption, DbOption, SetOption, WorkersOption, fail, load_settings, user_errors
from scraper.summary import Exit


@app.command()
@user_errors
def crawl(
    config_path: ConfigOption = None,
    db: DbOption = None,
    sets: SetOption = None,
    source: Annotated[
        list[str] | None, typer.Option("--source", "-s", metavar="NAME", help="Crawl only the source with this name (repeatable).")
    ] = None,
    max_pages: Annotated[int | None, typer.Option(min=0, metavar="N", help="Most pages per source this run (overrides max_pages).")] = None,
    max_time: Annotated[str | None, typer.Option(metavar="DURATION", help="Stop picking new URLs after this long: 90s, 10m, 1h.")] = None,
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="Print only errors and the summary.")] = False,
    as_json: Annotated[bool, typer.Option("--json", help="Print only the summary, as one JSON object on stdout (errors still on stderr).")] = False,
    shard: Annotated[str | None, typer.Option(
        metavar="I/N", help="I/N: crawl only the sources whose registered domain hashes to I (0 <= I < N), one machine each.")] = None,
    workers: WorkersOption = None,
) -> None:
    """Crawl the sources in config.toml once: new articles and changed ones, under a lock (for cron).

    Exit codes: 0 all good, 1 some pages failed, 2 usage or config error, 75 another crawl is
    running, 130 interrupted (Ctrl-C or SIGTERM; what was fetched is stored).
    """
    from scraper.archive import Archive
    from scraper.crawl.lock import Locked
    from scraper.crawl.progress import make_reporter
    from scraper.crawl.run import parse_duration
    from scraper.progress import stamp
    from scraper.scale.partition import parse_shard

    settings = load_settings(config_path, db, sets)
    max_time_s = parse_duration(max_time) if max_time is not None else None
    part = parse_shard(shard) if shard is not None else None
    try:
        result = Archive(settings=settings).crawl(sources=source, max_pages=max_pages, max_time_s=max_time_s,
                                                   reporter=make_reporter(quiet or as_json), shard=part, workers=workers)
    except Locked as exc:
        raise fail(str(exc), Exit.LOCKED) from None
    if as_json:
        typer.echo(json.dumps(result.as_dict(), ensure_ascii=False))
    else:
        if quiet:  # cron's log: the summary dated, as the failure lines above it are
            typer.echo(stamp(f"crawl run {result.run_id}:"))
        typer.echo(result.table())
    if result.exit_code:
        raise typer.Exit(result.exit_code)


