"""Shared test parts: real local HTTP servers, real SQLite files, the `scrape` CLI."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from pytest_httpserver import HTTPServer
from typer.testing import CliRunner

ROOT = Path(__file__).resolve().parents[1]
FIXTURES = ROOT / "fixtures"
SHARED = ROOT.parent / "shared"
SEED_FIXTURE = FIXTURES / "theduran.com-iran-declares-victory-over-isis.html"

# Fast, polite-enough settings for a loopback server: no per-host delay, quick retries.
TEST_CONFIG = """
[fetch]
per_host_delay_s = 0.0
backoff_s = 0.01
attempts = 2
deadline_s = 5.0
connect_timeout_s = 2.0
read_timeout_s = 2.0
"""


@dataclass
class CLIResult:
    exit_code: int
    stdout: str
    stderr: str


@pytest.fixture
def config_file(tmp_path: Path) -> Path:
    path = tmp_path / "config.toml"
    path.write_text(TEST_CONFIG, encoding="utf-8")
    return path


@pytest.fixture
def db_path(tmp_path: Path) -> Path:
    return tmp_path / "archive.db"


@pytest.fixture
def site(httpserver: HTTPServer) -> Iterator[HTTPServer]:
    """The local server with a permissive robots.txt, as most news sites have."""
    httpserver.expect_request("/robots.txt").respond_with_data("User-agent: *\nAllow: /\n", content_type="text/plain")
    yield httpserver


@pytest.fixture
def scrape(tmp_path: Path):
    """Run `scrape ARGS` in-process (typer's CliRunner) from tmp_path, stdout and stderr apart."""
    from scraper.cli import app

    runner = CliRunner()

    def run(*args: str, input: str | None = None) -> CLIResult:
        cwd = os.getcwd()
        os.chdir(tmp_path)
        try:
            result = runner.invoke(app, list(args), input=input, catch_exceptions=False)
        finally:
            os.chdir(cwd)
        return CLIResult(result.exit_code, result.stdout, result.stderr)

    return run


@pytest.fixture
def scrape_process(tmp_path: Path):
    """Run the installed `scrape` entry point as a real subprocess, as a user or cron would."""

    def run(*args: str, timeout: float = 60) -> CLIResult:
        proc = subprocess.run(
            [sys.executable, "-m", "scraper", *args],
            check=False,
            cwd=tmp_path,
            capture_output=True,
            text=True,
            timeout=timeout,
            env={**os.environ, "PYTHONPATH": str(ROOT)},
        )
        return CLIResult(proc.returncode, proc.stdout, proc.stderr)

    return run


def one_line_error(stderr: str) -> str:
    """Assert stderr holds exactly one non-empty line and no traceback; return it."""
    lines = [line for line in stderr.splitlines() if line.strip()]
    assert "Traceback" not in stderr, stderr
    assert len(lines) == 1, stderr
    return lines[0]
