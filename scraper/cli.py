"""The `scrape` command. Thin: parse arguments, load settings once, call one function, map errors.

Exit codes (summary.Exit): 0 success; 1 some URLs failed or the archive could not be used; 2 usage
or config error; 75 another run holds the archive; 130 interrupted.
"""

from __future__ import annotations

import functools
import json
import re
import signal
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Annotated, Any, TypeVar

import typer
from typer._click import exceptions as click  # typer vendors click; these are the classes it raises
from typer.core import TyperArgument, TyperGroup

from scraper import __version__, config
from scraper.errors import ConfigError, Interrupted, ScraperError
from scraper.flags import SET_METAVAR, assign, help_of
from scraper.scale.engine import Engine
from scraper.summary import Exit

DEFAULT_CONFIG = Path("config.toml")
EXTRACT_FORMATS = ("json", "text", "markdown")

class ReadableArgument(TyperArgument):
    """An argument shown as its metavar (URL, FILE...), not as {url} and <list[str]>."""

    def _usage_display_name(self) -> str:
        name = self.display_name_raw if self.required else f"[{self.display_name_raw}]"
        return name + ("..." if self.nargs != 1 else "")

    def display_type_rich(self, ctx: Any) -> str | None:
        return None


class ScrapeGroup(TyperGroup):
    """click's usage errors as the one `error:` line every other failure is, exit 2."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        for command in self.commands.values():
            for param in command.params:
                if type(param) is TyperArgument:
                    param.__class__ = ReadableArgument  # typer.Argument() takes no class to build

    def main(self, args: Sequence[str] | None = None, prog_name: str | None = None, complete_var: str | None = None,
             standalone_mode: bool = True, windows_expand_args: bool = True, **extra: Any) -> Any:
        try:
            code = super().main(args, prog_name, complete_var, False, windows_expand_args, **extra)
        except click.NoArgsIsHelpError as exc:
            typer.echo(exc.ctx.get_help() if exc.ctx else "", err=True)
            code = Exit.USAGE
        except click.UsageError as exc:
            where = exc.ctx.command_path if exc.ctx else "scrape"
            typer.echo(f"error: {exc.format_message().rstrip('.')} (see '{where} -h')", err=True)
            code = Exit.USAGE
        except click.ClickException as exc:
            typer.echo(f"error: {exc.format_message()}", err=True)
            code = exc.exit_code
        except typer.Abort:
            typer.echo("error: interrupted", err=True)
            code = Exit.INTERRUPTED
        code = code if isinstance(code, int) else 0
        if not standalone_mode:
            return code
        sys.exit(code)


app = typer.Typer(
    cls=ScrapeGroup,
    context_settings={"help_option_names": ["-h", "--help"]},
    add_completion=False,
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,  # help texts name TOML tables like [archive], which rich would eat
    help="Fetch, extract and archive news and blog articles into SQLite.",
)

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


def show_version(value: bool) -> None:
    if value:
        typer.echo(f"scrape {__version__}")
        raise typer.Exit(0)


@app.callback()
def options(
    version: Annotated[
        bool, typer.Option("--version", is_eager=True, callback=show_version, help="Print the version and exit.")
    ] = False,
) -> None:
    """Fetch, extract and archive news and blog articles into SQLite."""


WorkersOption = Annotated[int | None, typer.Option(
    min=1, metavar="N", help="Extraction processes (default: every core); with --engine dask and no --scheduler, the LocalCluster's.")]
EngineOption = Annotated[Engine | None, typer.Option(metavar="dask", help="dask: the work as shard archives on a Dask cluster (needs --shards).")]
SchedulerOption = Annotated[str | None, typer.Option(
    metavar="URL", help="Dask scheduler address, tcp://HOST:8786 (default: a LocalCluster on 127.0.0.1).")]
ShardsOption = Annotated[Path | None, typer.Option(
    metavar="DIR", help="With --engine dask: the folder for the shard archives, the same path on every worker.")]


def check_engine(engine: Engine | None, scheduler: str | None, shards: Path | None) -> bool:
    """True for a Dask run; usage errors for options that only make sense with one."""
    if engine is None:
        if scheduler or shards:
            raise fail(f"{'--scheduler' if scheduler else '--shards'} needs --engine dask", Exit.USAGE)
        return False
    if shards is None:
        raise fail("--engine dask needs --shards DIR (where the shard archives go)", Exit.USAGE)
    return True


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


def read_url_list(source: Path) -> list[str]:
    """One URL a line; blank lines and # comments (whole lines, or after the URL) ignored; '-' is stdin."""
    try:
        text = sys.stdin.read() if str(source) == "-" else source.read_text(encoding="utf-8", errors="replace")
    except OSError as exc:
        raise ScraperError(f"{source}: cannot read URL list ({exc.strerror})") from None
    # A '#' inside a URL is its fragment; a comment starts at the line or after a space.
    lines = (re.split(r"(?:^|\s)#", line, maxsplit=1)[0].strip() for line in text.splitlines())
    return [line for line in lines if line]


@app.command()
@user_errors
def fetch(
    urls: Annotated[list[str] | None, typer.Argument(metavar="URL", help="Article URLs to fetch.", show_default=False)] = None,
    from_file: Annotated[
        Path | None, typer.Option("--from-file", "-f", metavar="FILE", help="Read URLs from FILE, one a line ('-' for stdin).")
    ] = None,
    db: DbOption = None,
    config_path: ConfigOption = None,
    sets: SetOption = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print one JSON object per URL, with the record.")] = False,
    user_agent: Annotated[str | None, typer.Option(metavar="TEXT", help=help_of("fetch.user_agent"))] = None,
    concurrency: Annotated[int | None, typer.Option(min=1, metavar="N", help=help_of("fetch.concurrency"))] = None,
    per_host_concurrency: Annotated[
        int | None, typer.Option(min=1, metavar="N", help=help_of("fetch.per_host_concurrency"))] = None,
    delay: Annotated[float | None, typer.Option(min=0, metavar="SECONDS", help=help_of("fetch.per_host_delay_s"))] = None,
    timeout: Annotated[float | None, typer.Option(min=0.1, metavar="SECONDS", help=help_of("fetch.deadline_s"))] = None,
    max_bytes: Annotated[int | None, typer.Option(min=1, metavar="N", help=help_of("fetch.max_bytes"))] = None,
    attempts: Annotated[int | None, typer.Option(min=1, metavar="N", help=help_of("fetch.attempts"))] = None,
    ignore_robots: Annotated[
        bool, typer.Option("--ignore-robots", help="Do not " + help_of("fetch.respect_robots").lower())] = False,
) -> None:
    """Fetch URLs, extract the articles and store them in the archive."""
    from scraper.archive import Archive
    from scraper.outcome import Outcome

    targets = list(urls or [])
    if from_file is not None:
        targets += read_url_list(from_file)
    if not targets:
        raise fail("no URLs given (pass URLs or --from-file FILE)", Exit.USAGE)
    settings = load_settings(config_path, db, sets)
    settings = config.override(
        settings,
        "fetch",
        user_agent=user_agent,
        concurrency=concurrency,
        per_host_concurrency=per_host_concurrency,
        per_host_delay_s=delay,
        deadline_s=timeout,
        max_bytes=max_bytes,
        attempts=attempts,
        respect_robots=False if ignore_robots else None,
    )

    def report(result: Outcome) -> None:
        if as_json:
            typer.echo(json.dumps(result.as_dict(), ensure_ascii=False))
        else:
            typer.echo(result.line(), err=not result.ok)

    result = Archive(settings=settings).fetch(targets, report=report)
    if from_file is not None and not as_json:
        typer.echo(result.tally.line("fetched"), err=True)  # a long list ends with its totals
    if not result.ok:
        raise typer.Exit(Exit.FAILED)


@app.command()
@user_errors
def extract(
    file: Annotated[str, typer.Argument(metavar="FILE", help="HTML file to extract, or '-' for standard input.")],
    url: Annotated[str | None, typer.Option(metavar="URL", help="The page's URL, to resolve links and pick site selectors.")] = None,
    config_path: ConfigOption = None,
    output: Annotated[
        str, typer.Option("--format", metavar="json|text|markdown", help="json: the whole record; text: the plain body; markdown: the body as Markdown.")
    ] = "json",
    sets: SetOption = None,
) -> None:
    """Extract the article from an HTML file and print it (no network, no database)."""
    from scraper.extract import extract as run_extract

    if output not in EXTRACT_FORMATS:
        raise fail(f"--format: expected one of {', '.join(EXTRACT_FORMATS)}, not {output!r}", Exit.USAGE)
    if file == "-":
        data = sys.stdin.buffer.read()
    else:
        try:
            data = Path(file).read_bytes()
        except OSError as exc:
            raise ScraperError(f"{file}: cannot read ({exc.strerror})") from None
    from scraper.mediatype import not_html

    if (kind := not_html(data)) is not None:
        raise ScraperError(f"{file}: not an HTML file ({kind})")
    settings = load_settings(config_path, None, sets)
    article = run_extract(data, url, settings.selectors_for(url))
    if output == "text":
        typer.echo(article.body)
    elif output == "markdown":
        typer.echo(article.body_markdown)
    else:
        typer.echo(json.dumps(article.to_dict(), ensure_ascii=False, indent=2))


@app.command()
@user_errors
def search(
    query: Annotated[str, typer.Argument(metavar="QUERY", help="Words to look for in titles and bodies.")],
    db: Annotated[list[Path] | None, typer.Option(
        "--db", metavar="PATH", help="Archive database; repeat to search several, e.g. one a month (default: [archive] path).")] = None,
    config_path: ConfigOption = None,
    sets: SetOption = None,
    limit: Annotated[int, typer.Option(min=1, metavar="N", help="Most results to show.")] = 10,
    as_json: Annotated[bool, typer.Option("--json", help="Print the hits as a JSON list.")] = False,
) -> None:
    """Full-text search over the archive, best match first, with a highlighted snippet."""
    from scraper.archive import Archive
    from scraper.scale.archives import search_archives

    settings = load_settings(config_path, db[0] if db else None, sets)
    paths = db or [Path(settings.archive.path)]
    several = len(set(paths)) > 1
    # one archive: the Archive's search; several (a month each): each searched, the hits merged
    found = search_archives(paths, query, limit) if several else \
        [(paths[0], hit) for hit in Archive(settings=settings).search(query, limit)]
    if as_json:
        rows = [{**_hit_dict(hit), **({"archive": str(path)} if several else {})} for path, hit in found]
        typer.echo(json.dumps(rows, ensure_ascii=False, indent=2))
        return
    if not found:
        typer.echo(f"no articles match {query!r}", err=True)
        raise typer.Exit(Exit.FAILED)
    for path, hit in found:
        date = f"  ({hit.published[:10]})" if hit.published else ""
        where = f"  [{path}]" if several else ""
        typer.echo(f"{hit.title}{date}{where}\n  {hit.url}\n  {hit.snippet}\n")


@app.command("export-warc")
@user_errors
def export_warc(
    out: Annotated[Path, typer.Argument(metavar="FILE", help="WARC file to write; gzipped per record when it ends in .gz.")],
    db: DbOption = None,
    config_path: ConfigOption = None,
    sets: SetOption = None,
    since: Annotated[str | None, typer.Option(metavar="DATE", help="Only captures fetched on or after this date (ISO 8601).")] = None,
) -> None:
    """Write the stored captures as a WARC 1.1 file (request and response records, payload digests)."""
    from datetime import datetime

    from scraper.archive import Archive

    if since is not None:
        try:
            datetime.fromisoformat(since)
        except ValueError:
            raise fail(f"--since: not an ISO 8601 date: {since!r}", Exit.USAGE) from None
    count = Archive(settings=load_settings(config_path, db, sets)).export_warc(out, since=since)
    typer.echo(f"wrote {count} captures to {out}")


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
def serve(
    files: Annotated[list[Path] | None, typer.Argument(
        help="Archives to serve together, e.g. one a month (default: --db or [archive] path).", show_default=False)] = None,
    db: DbOption = None,
    config_path: ConfigOption = None,
    sets: SetOption = None,
    port: Annotated[int, typer.Option(min=0, max=65535, metavar="N", help="Port on 127.0.0.1 (0: any free port).")] = config.DEFAULT_PORT,
) -> None:
    """Browse the archive in datasette on 127.0.0.1: search, facets, readable articles, canned queries."""
    from scraper.serve import serve as run_datasette

    settings = load_settings(config_path, db, sets)
    first, *more = files or [Path(settings.archive.path)]
    run_datasette(first, port, more)


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
    from scraper.scale.partition import parse_shard

    settings = load_settings(config_path, db, sets)
    max_time_s = parse_duration(max_time) if max_time is not None else None
    part = parse_shard(shard) if shard is not None else None
    try:
        summary = Archive(settings=settings).crawl(sources=source, max_pages=max_pages, max_time_s=max_time_s,
                                                   reporter=make_reporter(quiet), shard=part, workers=workers)
    except Locked as exc:
        raise fail(str(exc), Exit.LOCKED) from None
    typer.echo(summary.table())
    if summary.exit_code:
        raise typer.Exit(summary.exit_code)


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


@app.command()
@user_errors
def history(
    url: Annotated[str, typer.Argument(metavar="URL", help="The article's URL (or its canonical URL).")],
    db: DbOption = None,
    config_path: ConfigOption = None,
    sets: SetOption = None,
    no_diff: Annotated[bool, typer.Option("--no-diff", help="List the versions without the diffs.")] = False,
    as_json: Annotated[bool, typer.Option("--json", help="Print the versions, with their bodies, as JSON.")] = False,
) -> None:
    """List the versions of an archived article and show a unified diff of the body between them."""
    from scraper.archive import Archive
    from scraper.history import as_json as history_json
    from scraper.history import render

    found = Archive(settings=load_settings(config_path, db, sets)).history(url)
    typer.echo(history_json(found.url, found.versions) if as_json else render(found.url, found.versions, show_diff=not no_diff))


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


def _hit_dict(hit: Any) -> dict[str, Any]:
    return {name: getattr(hit, name) for name in hit.__slots__}


def stop_on_sigterm(signum: int, frame: object) -> None:
    """SIGTERM (cron's timeout, systemd, kill) stops a command the way Ctrl-C does: done work kept, exit 130."""
    raise KeyboardInterrupt


def main() -> None:
    signal.signal(signal.SIGTERM, stop_on_sigterm)  # the crawl installs its own handlers while it runs
    app(prog_name="scrape")  # `python -m scraper` too: the help and errors name the command users type


if __name__ == "__main__":
    main()
