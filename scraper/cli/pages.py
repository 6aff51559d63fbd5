"""`scrape fetch` and `scrape extract`: pages by URL into the archive, or one HTML file to stdout."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Annotated

import typer

from scraper import config
from scraper.cli.app import app
from scraper.cli.common import ConfigOption, DbOption, SetOption, fail, load_settings, read_url_list, user_errors
from scraper.errors import ScraperError
from scraper.flags import help_of
from scraper.summary import Exit

EXTRACT_FORMATS = ("json", "text", "markdown")


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
    from scraper.progress import Progress

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

    unique = len(dict.fromkeys(targets))  # Archive.fetch fetches a URL given twice once
    with Progress(unit="URLs", bars=unique > 1) as progress:
        task = progress.add("fetching", total=unique)

        def report(result: Outcome) -> None:
            if as_json:
                progress.print(json.dumps(result.as_dict(), ensure_ascii=False), err=False)
            else:
                progress.print(result.line(), err=not result.ok)
            progress.advance(task)

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


