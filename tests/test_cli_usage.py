"""The CLI's own face: --version, -h, one-line usage errors, readable help, --set, lazy imports."""

from __future__ import annotations

import gzip
import json
import re
import subprocess
import sys

import pytest

from scraper import __version__

from .conftest import ROOT, SEED_FIXTURE, one_line_error

COMMANDS = ("fetch", "extract", "search", "export-warc", "import-warc", "serve", "crawl", "history", "reextract")


def test_version_and_short_help(scrape_process) -> None:
    result = scrape_process("--version")
    assert (result.exit_code, result.stdout.strip()) == (0, f"scrape {__version__}")
    result = scrape_process("-h")
    assert result.exit_code == 0 and "Usage: scrape" in result.stdout and "fetch" in result.stdout
    result = scrape_process("search", "-h")
    assert result.exit_code == 0 and "Usage: scrape search [OPTIONS] QUERY" in result.stdout


@pytest.mark.parametrize(
    ("args", "words"),
    [
        (("fetch", "--bogus"), "No such option: --bogus"),
        (("search",), "Missing argument 'QUERY'"),
        (("search", "x", "--limit", "many"), "Invalid value for '--limit'"),
        (("nope",), "No such command 'nope'"),
    ],
)
def test_usage_error_is_one_line_exit_2(scrape_process, args, words) -> None:
    result = scrape_process(*args)
    assert result.exit_code == 2
    line = one_line_error(result.stderr)
    assert line.startswith("error: ") and words in line


def test_usage_error_in_process_is_one_line_too(scrape) -> None:
    result = scrape("fetch", "--bogus")
    assert result.exit_code == 2
    assert one_line_error(result.stderr).startswith("error: No such option")


@pytest.mark.parametrize("command", COMMANDS)
def test_help_shows_readable_metavars(scrape, command) -> None:
    result = scrape(command, "--help")
    assert result.exit_code == 0
    assert not re.search(r"<[a-z][a-z\[\] ]*>|\{", result.stdout), result.stdout  # <path>, <list[str]>, {query}
    assert "--set SECTION.KEY=VALUE" in result.stdout


def test_flag_help_comes_from_the_setting(scrape) -> None:
    from scraper.config import FetchSettings, documented_settings

    text = " ".join(scrape("fetch", "--help").stdout.split())
    helps = {key: help_ for section, key, _, help_ in documented_settings() if section == "fetch"}
    assert FetchSettings.__dataclass_fields__  # the settings the flags derive from
    for key in ("per_host_delay_s", "concurrency", "deadline_s", "user_agent"):
        assert helps[key][1:] in text and f"(--set fetch.{key})" in text


def test_set_changes_any_setting_for_the_run(site, scrape, config_file, db_path) -> None:
    site.expect_request("/a").respond_with_data(SEED_FIXTURE.read_bytes(), content_type="text/html")
    result = scrape("fetch", site.url_for("/a"), "--config", str(config_file), "--db", str(db_path),
                    "--set", "fetch.user_agent=setbot/9 (+test)", "--set", "fetch.respect_robots=false")
    assert result.exit_code == 0, result.stderr
    agents = {request.headers.get("User-Agent") for request, _ in site.log}
    paths = [request.path for request, _ in site.log]
    assert agents == {"setbot/9 (+test)"} and "/robots.txt" not in paths


def test_set_wins_over_config_and_reaches_a_sources_own_fetch() -> None:
    from scraper import config, flags

    loaded = config.parse({"fetch": {"attempts": 5}, "sources": [
        {"name": "a", "feeds": ["https://a.example/feed"], "fetch": {"per_host_delay_s": 4.0}}]})
    changed = flags.assign(loaded, ["fetch.attempts=1", "fetch.per_host_delay_s=0.5", "archive.path=x.db"])
    assert (changed.fetch.attempts, changed.fetch.per_host_delay_s, changed.archive.path) == (1, 0.5, "x.db")
    assert changed.sources[0].fetch is not None and changed.sources[0].fetch.per_host_delay_s == 0.5


@pytest.mark.parametrize(
    ("value", "words"),
    [
        ("fetch.nope=1", "unknown key 'nope'"),
        ("fetch.attempts=lots", "attempts: expected a non-negative integer"),
        ("fetch.respect_robots=maybe", "respect_robots: expected true or false"),
        ("delay", "expected SECTION.KEY=VALUE"),
        ("sources.name=x", "SECTION one of: archive, fetch"),
    ],
)
def test_bad_set_is_one_line_exit_2(scrape, tmp_path, value, words) -> None:
    result = scrape("search", "x", "--db", str(tmp_path / "none.db"), "--set", value)
    assert result.exit_code == 2
    line = one_line_error(result.stderr)
    assert line.startswith("error: --set") and words in line


@pytest.mark.parametrize(
    ("name", "data", "words"),
    [
        ("page.html.gz", gzip.compress(b"<html><p>hi</p></html>"), "application/gzip"),
        ("doc.pdf", b"%PDF-1.7\n%\xe2\xe3\n1 0 obj", "application/pdf"),
        ("crawl.warc", b"WARC/1.1\r\nWARC-Type: warcinfo\r\n\r\n", "WARC/ARC file"),
        ("notes.txt", b"just some words, no page at all\n", "no markup"),
    ],
)
def test_extract_on_a_non_html_file_says_so(scrape, tmp_path, name, data, words) -> None:
    path = tmp_path / name
    path.write_bytes(data)
    result = scrape("extract", str(path))
    assert result.exit_code == 1
    line = one_line_error(result.stderr)
    assert line.startswith(f"error: {path}: not an HTML file (") and words in line


def test_extract_still_reads_a_fragment(scrape, tmp_path) -> None:
    path = tmp_path / "bit.html"
    path.write_text("<article><h1>Title here</h1><p>" + "Words in a paragraph. " * 20 + "</p></article>")
    result = scrape("extract", str(path))
    assert result.exit_code == 0, result.stderr
    assert json.loads(result.stdout)["title"] == "Title here"


def test_url_list_drops_trailing_comments(tmp_path) -> None:
    from scraper.cli.common import read_url_list

    path = tmp_path / "urls.txt"
    path.write_text("# a list\nhttps://a.example/x  # the first\n\nhttps://a.example/y#frag\nhttps://a.example/z\t#tab\n")
    assert read_url_list(path) == ["https://a.example/x", "https://a.example/y#frag", "https://a.example/z"]


HEAVY = ("httpx", "trafilatura", "datasette", "lxml")


@pytest.mark.parametrize("args", [("--help",), ("search", "anything", "--db", "missing.db")])
def test_light_commands_do_not_import_the_heavy_modules(tmp_path, args) -> None:
    code = (
        "import sys, runpy\n"
        f"sys.argv = ['scrape', *{list(args)!r}]\n"
        "try:\n    runpy.run_module('scraper', run_name='__main__')\n"
        "except SystemExit:\n    pass\n"
        f"print(sorted(m for m in {HEAVY!r} if m in sys.modules))\n"
    )
    proc = subprocess.run([sys.executable, "-c", code], check=False, cwd=tmp_path, capture_output=True, text=True,
                          timeout=60,
                          env={"PYTHONPATH": str(ROOT), "PATH": "/usr/bin:/bin"})
    assert proc.stdout.strip().splitlines()[-1] == "[]", proc.stdout + proc.stderr


def test_every_command_shows_readable_metavars(scrape) -> None:
    from typer.main import get_command

    from scraper.cli import app

    for name in get_command(app).commands:  # type: ignore[attr-defined]
        result = scrape(name, "-h")
        assert result.exit_code == 0
        usage = result.stdout.splitlines()[0]
        assert re.fullmatch(rf"Usage: \S+ {name} \[OPTIONS\]( \[?[A-Z]+\]?(\.\.\.)?)*", usage), usage
        assert not re.search(r"<[a-z][a-z\[\] ]*>|\{", result.stdout), result.stdout


def test_bare_scrape_prints_the_help_and_exits_2(scrape_process) -> None:
    result = scrape_process()
    assert result.exit_code == 2 and "Usage: scrape [OPTIONS] COMMAND" in result.stderr and result.stdout == ""
