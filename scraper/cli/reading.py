"""The reading commands: `scrape search`, `history`, `serve` and `export-warc` (the archive opened read-only)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated, Any

import typer

from scraper import config
from scraper.cli.app import app
from scraper.cli.common import ConfigOption, DbOption, SetOption, fail, load_settings, user_errors
from scraper.summary import Exit


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

    settings = load_settings(config_path, db[0] if db else None, sets)
    first, *more = db or [Path(settings.archive.path)]
    archive = Archive(settings=settings)
    several = bool(set(more) - {first})
    # several archives (a month each): each searched, the hits merged, each shown with its file
    found = archive.search_across(more, query, limit) if several else [(first, hit) for hit in archive.search(query, limit)]
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
def serve(
    files: Annotated[list[Path] | None, typer.Argument(
        metavar="ARCHIVE", help="Archives to serve together, e.g. one a month (default: --db or [archive] path).", show_default=False)] = None,
    db: DbOption = None,
    config_path: ConfigOption = None,
    sets: SetOption = None,
    port: Annotated[int, typer.Option(min=0, max=65535, metavar="N", help="Port on 127.0.0.1 (0: any free port).")] = config.DEFAULT_PORT,
) -> None:
    """Browse the archive in datasette on 127.0.0.1: search, facets, readable articles, canned queries."""
    from scraper.archive import Archive

    settings = load_settings(config_path, db, sets)
    first, *more = files or [Path(settings.archive.path)]
    Archive(first, settings).serve(port, also=more)




def _hit_dict(hit: Any) -> dict[str, Any]:
    return {name: getattr(hit, name) for name in hit.__slots__}
