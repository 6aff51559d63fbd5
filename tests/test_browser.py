"""A person's view: headless Chromium (Debian's, driven by Playwright) over `scrape serve`.

It opens the articles page, types into datasette's search box, and must see the article; then it
opens the article and reads its paragraphs. Screenshots go to artifacts/browser/ (git-ignored);
docs/browse.png is a copy of articles.png.

Chromium comes from Debian (`apt-get install chromium`, done by .ci/run), not from Playwright's
own download, which cannot reach its servers here. Under CI=true a missing browser fails the run.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import ROOT
from tests.served_archive import EDIT_TO, SEED_TITLE, Archive, Served, query, serve, shared_archive

CHROMIUM = os.environ.get("SCRAPER_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
ARTIFACTS = ROOT / "artifacts" / "browser"
TIMEOUT_MS = 15_000


def missing_browser() -> str | None:
    """Why the browser test cannot run here, or None."""
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        return "playwright is not installed (pip install -e '.[test]')"
    if not (Path(CHROMIUM).exists() or shutil.which(CHROMIUM)):
        return f"{CHROMIUM} not found (apt-get install chromium)"
    return None


def require_browser() -> None:
    reason = missing_browser()
    if reason is None:
        return
    if os.environ.get("CI", "").lower() not in ("", "0", "false"):
        pytest.fail(f"browser test cannot run in CI: {reason}")
    pytest.skip(f"browser test needs a browser: {reason}")


@pytest.fixture(scope="module")
def served(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Served]:
    require_browser()
    archive: Archive = shared_archive(tmp_path_factory.getbasetemp())
    with serve(archive, tmp_path_factory.mktemp("serve-browser")) as running:
        yield running


@pytest.fixture(scope="module")
def browser(served: Served) -> Iterator[Any]:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            yield chromium
        finally:
            chromium.close()


@pytest.fixture
def page(browser: Any) -> Iterator[Any]:
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    context.set_default_timeout(TIMEOUT_MS)
    page = context.new_page()
    try:
        yield page
    finally:
        context.close()


def screenshot(page: Any, name: str, height: int | None = None) -> Path:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    path = ARTIFACTS / name
    if height is None:
        page.screenshot(path=str(path), full_page=False)
    else:
        page.screenshot(path=str(path), full_page=True, clip={"x": 0, "y": 0, "width": 1280, "height": height})
    assert path.stat().st_size > 10_000, f"{path}: screenshot looks empty"
    return path


def test_articles_page_shows_facets_newest_first(page: Any, served: Served) -> None:
    page.goto(served.url("/archive/articles"))
    facets = page.locator(".facet-info")
    names = {name.strip().split()[0] for name in facets.locator("strong").all_inner_texts()}
    assert names >= {"site_name", "language", "authors", "published_month"}
    newest = query(served.archive, "SELECT title FROM articles ORDER BY published DESC LIMIT 1")[0][0]
    assert page.locator("table.rows-and-columns td.col-title").first.inner_text().strip() == newest
    # Clicking a facet value narrows the table.
    with page.expect_navigation():
        page.locator(".facet-info a", has_text="Adam Garrie").first.click()
    assert page.locator("table.rows-and-columns td.col-title").all_inner_texts() == [SEED_TITLE]
    page.goto(served.url("/archive/articles"))
    screenshot(page, "articles.png", height=1250)  # docs/browse.png is a copy of this one


def test_search_box_finds_the_article(page: Any, served: Served) -> None:
    page.goto(served.url("/archive/articles"))
    box = page.locator("input#_search")
    box.fill("Soleimani")
    with page.expect_navigation():
        box.press("Enter")
    assert "_search=Soleimani" in page.url
    cell = page.locator("table.rows-and-columns td.col-title").first
    assert cell.inner_text().strip() == SEED_TITLE
    assert page.locator("table.rows-and-columns tbody tr").count() == 1
    # The body cell is a clamped preview of the paragraphs, not the whole article.
    preview = page.locator("td.col-body .article-body").first
    assert preview.is_visible()
    assert preview.bounding_box()["height"] < 200
    screenshot(page, "search-articles.png")


def test_article_row_page_reads_as_paragraphs(page: Any, served: Served) -> None:
    page.goto(served.url("/archive/articles?_search=Soleimani"))
    page.locator("table.rows-and-columns td.col-id a").first.click()
    page.wait_for_load_state()
    assert page.locator("h2.record-title").inner_text() == "CONFIRMED: Iran declares victory over ISIS"
    paragraphs = page.locator("td.col-body .article-body p")
    assert paragraphs.count() >= 5
    texts = paragraphs.all_inner_texts()
    assert texts[0].startswith("All of the major powers")
    assert texts[-1].startswith(EDIT_TO)
    # Paragraphs are laid out apart, one below the other, in a readable column.
    first, second = paragraphs.nth(0).bounding_box(), paragraphs.nth(1).bounding_box()
    assert second["y"] > first["y"] + first["height"]
    assert first["width"] < 900
    screenshot(page, "article-row.png")


def test_search_query_form_highlights_matches(page: Any, served: Served) -> None:
    page.goto(served.url("/archive/search"))
    page.locator("input#qp1").fill("Soleimani")
    with page.expect_navigation():
        page.locator("form.sql input[type=submit]").first.click()
    marks = page.locator("td.col-snippet mark")
    assert marks.count() >= 1
    assert {text.strip() for text in marks.all_inner_texts()} == {"Soleimani"}
    link = page.locator("td.col-title a").first
    assert link.inner_text().strip() == SEED_TITLE
    screenshot(page, "search-query.png")
