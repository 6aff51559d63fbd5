"""The seed page: a WordPress article with every kind of furniture a clean record must drop.

The expected record is the project's shared ground truth (/work/shared/seed/expected.json);
the fixture is our HTML rendering of that page.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from scraper.extract import extract

FIXTURE = Path(__file__).resolve().parent.parent / "fixtures" / "theduran.com-iran-declares-victory-over-isis.html"
SEED = Path(os.environ.get("SCRAPER_SEED_DIR", "/work/shared/seed")) / "expected.json"
URL = "https://theduran.com/confirmed-iran-declares-victory-over-isis/"


def squash(text: str) -> str:
    return " ".join(text.split())


@pytest.fixture(scope="module")
def expected() -> dict:
    assert SEED.exists(), f"seed ground truth missing: {SEED}"
    return json.loads(SEED.read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def article():
    return extract(FIXTURE.read_bytes(), URL)


def test_title(article, expected) -> None:
    assert article.title == expected["title"]


def test_body_is_exactly_the_article(article, expected) -> None:
    assert squash(article.body) == squash(expected["body"])
    assert article.body.split("\n\n") == expected["body"].split("\n\n")


def test_body_has_no_furniture(article, expected) -> None:
    for phrase in expected["must_not_contain"]:
        assert phrase not in article.body, phrase


def test_quotes_and_speakers(article, expected) -> None:
    found = {squash(q.text): q.speaker for q in article.quotes}
    for quote in expected["quotes"]:
        key = squash(quote["text"])
        if quote["required"]:
            assert key in found, key
        if key in found:
            assert found[key] == quote["speaker"]


def test_related_links(article, expected) -> None:
    texts = [link.text for link in article.related_links]
    assert texts == [r["text"] for r in expected["related_links"]]
    assert all(link.url.startswith("https://theduran.com/") for link in article.related_links)
    body_urls = {link.url for link in article.links}
    assert not body_urls & {link.url for link in article.related_links}


def test_metadata(article) -> None:
    assert article.authors == ("Adam Garrie",)
    assert article.published == "2017-11-21T18:45:12+00:00"
    assert article.site_name == "The Duran"
    assert article.canonical_url == URL
    assert article.language == "en"


def test_str_and_bytes_agree() -> None:
    html = FIXTURE.read_text(encoding="utf-8")
    assert extract(html, URL) == extract(html.encode("utf-8"), URL)
