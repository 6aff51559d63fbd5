"""A person's view: headless Chromium (Debian's, driven by Playwright) over `scrape serve`.

It visits every page of the archive (home, articles, an article, what changed, a version, the
archived page, speakers, a speaker, the canned queries) over an archive that `scrape fetch` and
`scrape crawl` built on a loopback server, with the seed article in three versions and a hostile
article whose every field tries to run a script. On each page it checks what a reader sees and
that no script from an archived page ran. Requests to anything but 127.0.0.1 are blocked and
recorded. Screenshots go to artifacts/browser/ (git-ignored); docs/*.png are copies of them.

Chromium comes from Debian (`apt-get install chromium`, done by .ci/run), not from Playwright's
own download, which cannot reach its servers here. Under CI=true a missing browser fails the run.
"""

from __future__ import annotations

import os
import shutil
import urllib.parse
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import ROOT
from tests.served_archive import (
    EDIT2_TO,
    EDIT_TO,
    HOSTILE_TITLE,
    SEED_TITLE,
    Archive,
    Served,
    query,
    serve,
    shared_archive,
)

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
MARKER_JS = "() => [document.title, document.documentElement.getAttribute('data-pwned'), window.__pwned || null]"


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


@dataclass
class Watch:
    """What the pages of one test did: console lines, dialogs, and requests that left loopback."""

    console: list[str] = field(default_factory=list)
    dialogs: list[str] = field(default_factory=list)
    outside: list[str] = field(default_factory=list)


@pytest.fixture
def watch() -> Watch:
    return Watch()


@pytest.fixture
def page(browser: Any, watch: Watch) -> Iterator[Any]:
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    context.set_default_timeout(TIMEOUT_MS)

    def gate(route: Any) -> None:
        host = urllib.parse.urlsplit(route.request.url).hostname
        if host == "127.0.0.1":
            route.continue_()
        else:
            watch.outside.append(route.request.url)
            route.abort()

    context.route("**/*", gate)
    page = context.new_page()
    page.on("console", lambda message: watch.console.append(message.text))

    def dialog(d: Any) -> None:
        watch.dialogs.append(d.message)
        d.dismiss()

    page.on("dialog", dialog)
    try:
        yield page
    finally:
        context.close()


def no_script_ran(page: Any, watch: Watch) -> None:
    """Neither the page nor any frame in it shows a marker the hostile scripts would have set."""
    for frame in page.frames:
        title, attribute, flag = frame.evaluate(MARKER_JS)
        assert title != "PWNED" and attribute is None and flag is None, (frame.url, title, attribute, flag)
    assert not any("PWNED" in line for line in watch.console), watch.console
    assert watch.dialogs == []


def screenshot(page: Any, name: str, height: int | None = None) -> Path:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    path = ARTIFACTS / name
    if height is None:
        page.screenshot(path=str(path), full_page=False)
    else:
        page.screenshot(path=str(path), full_page=True, clip={"x": 0, "y": 0, "width": 1280, "height": height})
    assert path.stat().st_size > 10_000, f"{path}: screenshot looks empty"
    return path


def article_id(served: Served, title: str) -> int:
    return int(query(served.archive, "SELECT id FROM articles WHERE title = ?", [title])[0][0])


def test_home_page(page: Any, served: Served, watch: Watch) -> None:
    page.goto(served.url("/archive"))
    assert page.locator("h1").first.inner_text().strip() == "Article archive"
    counts = dict(query(served.archive, "SELECT 'articles', count(*) FROM articles"))
    assert page.locator("ul.counts li").first.inner_text().split()[0] == str(counts["articles"])
    latest = page.locator("ol.article-list li a").all_inner_texts()
    newest = query(served.archive, "SELECT title FROM articles ORDER BY first_seen DESC, id DESC LIMIT 10")
    assert latest == [row[0] for row in newest]
    assert page.locator("ol.site-list li").count() >= 5
    bars = page.locator("svg.chart rect.bar")
    assert bars.count() >= 5
    assert watch.outside == []  # the chart and everything else come from the archive itself
    no_script_ran(page, watch)
    screenshot(page, "home.png")
    box = page.locator("input#archive-q")
    box.fill("Soleimani")
    with page.expect_navigation():
        box.press("Enter")
    assert page.locator("td.col-title a").first.inner_text().strip() == SEED_TITLE
    assert page.locator("td.col-snippet mark").first.inner_text().strip() == "Soleimani"
    assert page.title().startswith("Search articles")
    assert "SQL" not in page.locator("section.content").inner_text()
    screenshot(page, "search.png")


def test_articles_table_is_compact(page: Any, served: Served, watch: Watch) -> None:
    page.goto(served.url("/archive/articles"))
    headers = [h.strip() for h in page.locator("table.compact-articles th").all_inner_texts()]
    assert sorted(h.split()[0] for h in headers) == ["authors", "published", "site", "title", "words"]
    assert page.locator("td.col-body").count() == 0
    descriptions = page.locator("details.column-descriptions-toggle dl")
    assert not descriptions.is_visible()
    # Rows are one line each: no title wraps into a tower of words.
    rows = page.locator("table.compact-articles tbody tr")
    assert rows.count() >= 10
    screenshot(page, "articles.png")
    heights = sorted(rows.nth(i).bounding_box()["height"] for i in range(rows.count()))
    assert heights[len(heights) // 2] < 50, heights
    # The first screen shows articles, not documentation and facets.
    assert rows.first.bounding_box()["y"] < 900
    page.locator("details.column-descriptions-toggle summary").click()
    assert descriptions.is_visible()
    # Filtered, so the seed's row is there however many newer fixtures sort above it.
    page.goto(served.url(f"/archive/articles?title__exact={urllib.parse.quote(SEED_TITLE)}"))
    title = page.locator("td.col-title a", has_text=SEED_TITLE)
    with page.expect_navigation():
        title.click()
    assert page.locator("h1.headline").inner_text() == SEED_TITLE
    no_script_ran(page, watch)


def test_article_reading_view(page: Any, served: Served, watch: Watch) -> None:
    seed = article_id(served, SEED_TITLE)
    page.goto(served.url(f"/archive/articles/{seed}"))
    assert page.title() == SEED_TITLE
    assert page.locator("h1.headline").inner_text() == SEED_TITLE
    byline = page.locator("p.byline")
    assert byline.locator("a.author").inner_text() == "Adam Garrie"
    assert "2017-11" in byline.inner_text()
    assert byline.locator(".site a").inner_text() == "The Duran"
    paragraphs = page.locator(".article-body p").all_inner_texts()
    assert len(paragraphs) >= 5
    assert paragraphs[0].startswith("All of the major powers")
    assert any(p.startswith(EDIT_TO) for p in paragraphs) and any(EDIT2_TO in p for p in paragraphs)
    speaker = page.locator("blockquote.quote footer a", has_text="Hassan Rouhani")
    assert speaker.count() == 1
    assert page.locator(".chips a.chip").all_inner_texts() == ["Iran", "ISIS"]
    versions = page.locator("ol.version-list li")
    assert versions.count() == 3
    assert page.locator("a.diff-link").count() == 2
    assert page.locator("section.archived a", has_text="The page as fetched").count() == 1
    no_script_ran(page, watch)
    screenshot(page, "article.png")
    with page.expect_navigation():
        speaker.click()
    assert page.title().startswith("Quotes of one speaker")
    assert page.locator("td.col-quote").first.inner_text().startswith("We never imagined")
    assert page.locator("td.col-title a").first.inner_text() == SEED_TITLE


def test_what_changed_marks_the_words(page: Any, served: Served, watch: Watch) -> None:
    seed = article_id(served, SEED_TITLE)
    page.goto(served.url(f"/archive/articles/{seed}"))
    with page.expect_navigation():
        page.locator("a.diff-link").last.click()
    assert "from=2&to=3" in page.url
    assert [t.strip() for t in page.locator(".diff-body ins").all_inner_texts()] == ["historic and decisive"]
    assert [t.strip() for t in page.locator(".diff-body del").all_inner_texts()] == ["great"]
    page.goto(served.url(f"/archive/articles/{seed}/changes?from=1&to=3"))
    inserted = " ".join(page.locator(".diff-body ins").all_inner_texts())
    assert "Earlier today" in inserted and "historic and decisive" in inserted
    assert page.locator(".diff-body del").all_inner_texts() == ["great", "Today"]
    # Insertions and deletions look different from the text around them.
    ins_bg = page.locator(".diff-body ins").first.evaluate("e => getComputedStyle(e).backgroundColor")
    del_bg = page.locator(".diff-body del").first.evaluate("e => getComputedStyle(e).backgroundColor")
    assert ins_bg != del_bg and "rgba(0, 0, 0, 0)" not in (ins_bg, del_bg)
    no_script_ran(page, watch)
    page.locator(".diff-body ins").first.scroll_into_view_if_needed()
    screenshot(page, "diff.png")
    page.goto(served.url(f"/archive/articles/{seed}/versions/1"))
    assert page.locator("h1.headline").inner_text() == SEED_TITLE
    assert not any(EDIT_TO in p for p in page.locator(".article-body p").all_inner_texts())


def test_archived_page_runs_no_script(page: Any, served: Served, watch: Watch) -> None:
    hostile = article_id(served, HOSTILE_TITLE)
    capture = query(served.archive, "SELECT capture_id FROM articles WHERE id = ?", [hostile])[0][0]
    page.goto(served.url(f"/archive/captures/{capture}/page"))
    banner = page.locator(".capture-banner")
    assert served.archive.hostile_url in banner.inner_text()
    assert "HTTP 200" in banner.inner_text()
    assert banner.locator("a.download").get_attribute("href").endswith("raw?download=1")
    frame = page.frame_locator("iframe.capture-frame")
    # The page as fetched: its own text is there, its scripts are not run.
    assert "tries every trick" in frame.locator("article").inner_text()
    assert page.locator("iframe.capture-frame").get_attribute("sandbox") == ""
    page.locator(".capture-headers summary").click()
    assert "content-type" in page.locator("table.headers").inner_text().lower()
    no_script_ran(page, watch)
    # Opened on its own, the raw capture runs no script either (Content-Security-Policy: sandbox).
    page.goto(served.url(f"/archive/captures/{capture}/raw"))
    assert page.title() != "PWNED"
    no_script_ran(page, watch)
    seed_capture = query(served.archive, "SELECT capture_id FROM articles WHERE title = ?", [SEED_TITLE])[0][0]
    page.goto(served.url(f"/archive/captures/{seed_capture}/page"))
    assert "Iran" in page.frame_locator("iframe.capture-frame").locator("body").inner_text()
    screenshot(page, "archived.png")


def test_speakers(page: Any, served: Served, watch: Watch) -> None:
    page.goto(served.url("/archive/speakers"))
    assert page.title().startswith("Speakers")
    assert page.locator("h1").first.inner_text() == "Speakers"
    names = page.locator("td.col-speaker a").all_inner_texts()
    stored = query(served.archive, "SELECT count(DISTINCT speaker) FROM quotes WHERE speaker != ''")[0][0]
    assert len(names) == stored and "Hassan Rouhani" in names
    no_script_ran(page, watch)
    screenshot(page, "speakers.png")


def test_no_script_runs_on_any_page_of_the_hostile_article(page: Any, served: Served, watch: Watch) -> None:
    hostile = article_id(served, HOSTILE_TITLE)
    capture = query(served.archive, "SELECT capture_id FROM articles WHERE id = ?", [hostile])[0][0]
    paths = [
        "/archive",
        "/archive/articles",
        f"/archive/articles/{hostile}",
        f"/archive/articles/{hostile}/versions/1",
        f"/archive/captures/{capture}/page",
        "/archive/articles?_search=trick",
        "/archive/search?q=trick",
        "/archive/latest",
        "/archive/speakers",
        "/archive/quotes_by_speaker?speaker=Mallory",
        f"/archive/article_history?article={hostile}",
        "/archive/captures",
        "/archive/quotes",
        "/archive/links",
        "/",
    ]
    for path in paths:
        response = page.goto(served.url(path))
        assert response is not None and response.status == 200, path
        no_script_ran(page, watch)
    page.goto(served.url(f"/archive/articles/{hostile}"))
    assert page.locator("h1.headline").inner_text() == HOSTILE_TITLE  # shown as text, not run
    body = page.locator(".article-body")
    assert "<script>" in body.inner_text()
    hrefs = [a.get_attribute("href") or "" for a in page.locator("a").all()]
    assert not [h for h in hrefs if h.strip().lower().startswith(("javascript:", "data:"))]
    assert page.locator(".article-body img[onerror], [onload], [onmouseover]").count() == 0
    assert "/article" not in page.locator(".chips").inner_text()
    no_script_ran(page, watch)


def test_the_marker_check_sees_a_script_that_runs(page: Any, served: Served, watch: Watch) -> None:
    """The hostile page, opened without the archive's protections, trips the check used above."""
    from tests.served_archive import HOSTILE_HTML

    page.set_content(HOSTILE_HTML)
    with pytest.raises(AssertionError):
        no_script_ran(page, watch)
    assert any("PWNED" in line for line in watch.console)
