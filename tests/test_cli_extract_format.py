"""`scrape extract --format json|text|markdown`: the record, the plain body, or its Markdown."""

from __future__ import annotations

import json

from tests.conftest import FIXTURES

HOW_TO = FIXTURES / "www.greenthumbweekly.com-how-to-start-a-balcony-vegetable-garden.html"
URL = json.loads(HOW_TO.with_suffix(".json").read_text(encoding="utf-8"))["url"]


def test_json_is_the_default_and_holds_both_bodies(scrape) -> None:
    default = scrape("extract", str(HOW_TO), "--url", URL)
    explicit = scrape("extract", str(HOW_TO), "--url", URL, "--format", "json")
    assert default.exit_code == explicit.exit_code == 0, default.stderr
    assert default.stdout == explicit.stdout
    record = json.loads(default.stdout)
    assert "2. Choose containers" in record["body"]
    assert "## 2. Choose containers" in record["body_markdown"]


def test_text_prints_the_plain_body(scrape) -> None:
    result = scrape("extract", str(HOW_TO), "--url", URL, "--format", "text")
    assert result.exit_code == 0, result.stderr
    record = json.loads(scrape("extract", str(HOW_TO), "--url", URL).stdout)
    assert result.stdout == record["body"] + "\n"
    assert "##" not in result.stdout and "\n- " not in result.stdout


def test_markdown_prints_the_markdown_body(scrape) -> None:
    result = scrape("extract", "-", "--url", URL, "--format", "markdown", input=HOW_TO.read_text(encoding="utf-8"))
    assert result.exit_code == 0, result.stderr
    record = json.loads(scrape("extract", str(HOW_TO), "--url", URL).stdout)
    assert result.stdout == record["body_markdown"] + "\n"
    assert "\n## 1. Check your light\n" in result.stdout
    assert "\n1. Drill drainage holes if the container has none.\n2. Raise pots" in result.stdout


def test_unknown_format_is_one_line_and_exit_2(scrape) -> None:
    result = scrape("extract", str(HOW_TO), "--format", "html")
    assert result.exit_code == 2
    assert result.stdout == ""
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("error: --format: expected one of json, text, markdown"), result.stderr
