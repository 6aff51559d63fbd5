"""The `scrape` typer app: readable help, and click's usage errors as the one `error:` line.

typer vendors click (typer._click) and does not export its exception classes; its public
``typer.TyperException`` is their base, so a usage error is told apart by what it carries (the
context it happened in), not by a private class.
"""

from __future__ import annotations

import sys
from collections.abc import Sequence
from typing import Annotated, Any

import typer
from typer.core import TyperArgument, TyperGroup

from scraper import __version__
from scraper.summary import Exit


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
        except typer.TyperException as exc:  # every click error: UsageError and its kin, FileError, ...
            code = report_click_error(exc)
        except typer.Abort:
            typer.echo("error: interrupted", err=True)
            code = Exit.INTERRUPTED
        code = code if isinstance(code, int) else 0
        if not standalone_mode:
            return code
        sys.exit(code)


def report_click_error(exc: typer.TyperException) -> int:
    """One line on stderr; a usage error (it knows its command) points at that command's -h."""
    ctx = getattr(exc, "ctx", None)
    if ctx is not None and exc.exit_code == Exit.USAGE:
        typer.echo(f"error: {exc.format_message().rstrip('.')} (see '{ctx.command_path} -h')", err=True)
    else:
        typer.echo(f"error: {exc.format_message()}", err=True)
    return int(exc.exit_code)


app = typer.Typer(
    cls=ScrapeGroup,
    context_settings={"help_option_names": ["-h", "--help"]},
    add_completion=False,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,  # help texts name TOML tables like [archive], which rich would eat
    help="Fetch, extract and archive news and blog articles into SQLite.",
)


def show_version(value: bool) -> None:
    if value:
        typer.echo(f"scrape {__version__}")
        raise typer.Exit(0)


@app.callback(invoke_without_command=True)
def options(
    ctx: typer.Context,
    version: Annotated[
        bool, typer.Option("--version", is_eager=True, callback=show_version, help="Print the version and exit.")
    ] = False,
) -> None:
    """Fetch, extract and archive news and blog articles into SQLite."""
    if ctx.invoked_subcommand is None:  # bare `scrape`: the help, on stderr, as a usage error
        typer.echo(ctx.get_help(), err=True)
        raise typer.Exit(Exit.USAGE)
