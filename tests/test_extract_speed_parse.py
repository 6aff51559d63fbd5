"""The page is parsed without lexbor's DOM mutation events: records are those of a parse with them."""

from __future__ import annotations

import importlib
from pathlib import Path

import pytest
from selectolax.lexbor import LexborHTMLParser

from scraper.extract import extract, parse_page

FIXTURES = sorted((Path(__file__).parent.parent / "fixtures").glob("*.html"))


def test_parse_page_skips_the_mirroring_a_browser_does() -> None:
    # The one visible effect of the events: <selectedcontent> copies the selected <option>.
    html = "<select><button><selectedcontent></selectedcontent></button><option>a</option></select>"
    assert LexborHTMLParser(html).css_first("selectedcontent").text() == "a"  # type: ignore[union-attr]
    assert parse_page(html).css_first("selectedcontent").text() == ""  # type: ignore[union-attr]


@pytest.mark.parametrize("path", FIXTURES, ids=[p.stem for p in FIXTURES])
def test_records_match_the_parse_with_events(path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    html = path.read_bytes()
    url = "https://example.org/" + path.stem
    without = extract(html, url).to_dict()
    monkeypatch.setattr(importlib.import_module("scraper.extract"), "parse_page", LexborHTMLParser)
    assert extract(html, url).to_dict() == without
