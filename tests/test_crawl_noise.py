"""Crawl noise: a site's broken links are counted `gone`, not `failed`; the user's own URLs still fail a run.

And what the summary's `fetched` counts, pinned. A real site on 127.0.0.1, a real archive.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterator
from pathlib import Path

import pytest

from scraper.archive import Archive

from .crawl_site import Resp, Site, article, hub, serve, story
from .test_crawl import FAST_FETCH, summary, write_config

ARTICLES = 4
BROKEN_PER_ARTICLE = 12  # as on a real site: related links, tag pages and images long deleted


def broken(n: int, k: int) -> str:
    return f"/old/{n}/{k}"


def noisy_site(site: Site) -> None:
    """A start page linking to four articles; each links to twelve pages the site no longer has."""
    for n in range(1, ARTICLES + 1):
        links = tuple(broken(n, k) for k in range(BROKEN_PER_ARTICLE))
        site.html(f"/2024/01/a{n}", article(f"Article {n}", story(n), f"More of story {n}.", links=links))
    site.html("/", hub(*(f"/2024/01/a{n}" for n in range(1, ARTICLES + 1))))
    for n in range(1, ARTICLES + 1):  # not only 404: any "not for you" answer is the site's broken link
        site.pages[broken(n, 0)] = Resp(b"gone", status=410)
        site.pages[broken(n, 1)] = Resp(b"forbidden", status=403)


@pytest.fixture
def site() -> Iterator[Site]:
    s = Site()
    with serve(s):
        noisy_site(s)
        yield s


def config(site: Site, **seeds: str) -> str:
    seeds = seeds or {"start_urls": site.url("/")}
    lines = [FAST_FETCH, "[[sources]]", 'name = "local"', "max_depth = 2", "max_pages = 500"]
    lines += [f'{key} = ["{url}"]' for key, url in seeds.items()]
    return "\n".join(lines) + "\n"


def cells(stdout: str) -> dict[str, str]:
    """The source's row of the summary table, by column name."""
    lines = stdout.strip().splitlines()
    header = next(line for line in lines if line.split()[:2] == ["source", "discovered"]).split()
    return dict(zip(header, summary(stdout)["local"], strict=False))


def run_row(db: Path) -> tuple[int, dict[str, int]]:
    with sqlite3.connect(db) as conn:
        conn.row_factory = sqlite3.Row
        exit_code = conn.execute("SELECT exit_code FROM crawl_runs ORDER BY id DESC LIMIT 1").fetchone()[0]
        row = conn.execute("SELECT * FROM crawl_run_sources ORDER BY run_id DESC LIMIT 1").fetchone()
    return exit_code, dict(row)


def test_broken_links_on_a_healthy_site_are_gone_not_failed(site: Site, tmp_path: Path, scrape) -> None:
    db = tmp_path / "archive.db"
    result = scrape("crawl", "--config", str(write_config(tmp_path, config(site))), "--db", str(db))

    total = ARTICLES * BROKEN_PER_ARTICLE
    assert result.exit_code == 0, result.stderr
    assert "failed:" not in result.stderr and "failed" not in result.stderr
    assert sum(site.count(broken(n, k)) for n in range(1, ARTICLES + 1) for k in range(BROKEN_PER_ARTICLE)) == total
    row = cells(result.stdout)
    assert (row["stored"], row["gone"], row["failed"]) == (str(ARTICLES), str(total), "0")
    assert f"crawled: {ARTICLES} stored, 0 updated, 0 unchanged, 0 duplicate, 0 skipped, {total} gone, 0 failed" \
        in result.stdout
    assert f"gone: local: {site.url(broken(1, 2))}: HTTP 404" in result.stdout  # stdout: a line, not a problem
    assert f"gone: local: {site.url(broken(1, 0))}: HTTP 410" in result.stdout
    # The run's record says the same.
    exit_code, recorded = run_row(db)
    assert exit_code == 0
    assert (recorded["new"], recorded["gone"], recorded["failed"]) == (ARTICLES, total, 0)
    with sqlite3.connect(db) as conn:
        states = set(conn.execute("SELECT state, http_status, next_due FROM crawl_urls WHERE url LIKE '%/old/%'"))
    assert states == {("failed", 404, None), ("failed", 410, None), ("failed", 403, None)}  # never asked again

    # --quiet (cron): a clean run prints the summary and nothing else.
    quiet = scrape("crawl", "--config", str(write_config(tmp_path, config(site))), "--db", str(db), "--quiet")
    assert quiet.exit_code == 0, quiet.stderr
    assert quiet.stderr == "" and "gone:" not in quiet.stdout


def test_the_python_api_and_its_json_count_gone(site: Site, tmp_path: Path) -> None:
    settings_path = write_config(tmp_path, config(site))
    run = Archive(tmp_path / "archive.db").crawl(settings_path)
    total = ARTICLES * BROKEN_PER_ARTICLE
    assert run.exit_code == 0
    as_json = run.as_dict()
    assert as_json["total"]["gone"] == total and as_json["total"]["failed"] == 0  # type: ignore[index]
    assert as_json["sources"]["local"]["gone"] == total  # type: ignore[index]


def test_a_found_link_that_fails_otherwise_still_fails_the_run(site: Site, tmp_path: Path, scrape) -> None:
    site.pages[broken(1, 3)] = Resp(b"oops", status=500)  # not "gone": the site is broken, tried again later
    db = tmp_path / "archive.db"
    result = scrape("crawl", "--config", str(write_config(tmp_path, config(site))), "--db", str(db))
    assert result.exit_code == 1
    assert f"failed: local: {site.url(broken(1, 3))}: HTTP 500" in result.stderr
    row = cells(result.stdout)
    assert (row["gone"], row["failed"]) == (str(ARTICLES * BROKEN_PER_ARTICLE - 1), "1")


@pytest.mark.parametrize("key", ["start_urls", "feeds", "sitemaps"])
def test_a_configured_url_that_answers_404_fails_the_run(site: Site, tmp_path: Path, scrape, key: str) -> None:
    missing = site.url("/no-such-" + key)
    db = tmp_path / "archive.db"
    cfg = write_config(tmp_path, config(site, **{key: missing}))
    result = scrape("crawl", "--config", str(cfg), "--db", str(db))
    assert result.exit_code == 1
    assert f"failed: local: {missing}: HTTP 404" in result.stderr
    row = cells(result.stdout)
    assert (row["gone"], row["failed"]) == ("0", "1")
    exit_code, recorded = run_row(db)
    assert (exit_code, recorded["failed"], recorded["gone"]) == (1, 1, 0)


def test_a_sitemap_listed_in_an_index_that_answers_404_fails_the_run(site: Site, tmp_path: Path, scrape) -> None:
    site.xml("/sitemap_index.xml", f"""<?xml version="1.0" encoding="UTF-8"?>
<sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">
<sitemap><loc>{site.url('/sitemap-2024.xml')}</loc></sitemap></sitemapindex>""")
    cfg = write_config(tmp_path, config(site, sitemaps=site.url("/sitemap_index.xml")))
    result = scrape("crawl", "--config", str(cfg), "--db", str(tmp_path / "archive.db"))
    assert result.exit_code == 1
    assert f"failed: local: {site.url('/sitemap-2024.xml')}: HTTP 404" in result.stderr


def test_fetched_counts_the_pages_received_2xx_or_304(site: Site, tmp_path: Path, scrape) -> None:
    """docs/crawl.md: fetched = pages received (2xx, or 304), feeds and start pages included;
    not a 4xx, a 5xx or a URL robots.txt refused, and not robots.txt itself."""
    site.xml("/feed.xml", f"""<?xml version="1.0"?><rss version="2.0"><channel><title>t</title>
<item><link>{site.url('/2024/01/a1')}</link></item><item><link>{site.url('/2024/01/f1')}</link></item>
<item><link>{site.url('/private/p1')}</link></item><item><link>{site.url('/gone-entry')}</link></item>
</channel></rss>""")
    site.html("/2024/01/f1", article("Feed only", story(50), "Only in the feed."))
    site.html("/private/p1", article("Private", story(51), "Refused by robots.txt."))
    site.pages["/robots.txt"] = Resp(b"User-agent: *\nDisallow: /private/\n", content_type="text/plain")
    site.redirect("/2024/01/moved", "/2024/01/a2")  # a redirect and its target: one page received
    site.html("/", hub(*(f"/2024/01/a{n}" for n in range(1, ARTICLES + 1)), "/2024/01/moved"))
    cfg = write_config(tmp_path, config(site, feeds=site.url("/feed.xml"), start_urls=site.url("/")))
    db = tmp_path / "archive.db"

    first = scrape("crawl", "--config", str(cfg), "--db", str(db))
    row = cells(first.stdout)
    # feed + start page + a1..a4 + f1 + the redirect to a2 (a2 again: unchanged)
    assert row["fetched"] == str(1 + 1 + ARTICLES + 1 + 1), first.stdout
    assert (row["stored"], row["unchanged"]) == (str(ARTICLES + 1), "1")
    assert row["skipped"] == "1", first.stdout  # robots.txt's refusal: never asked, so not fetched
    assert row["gone"] == str(ARTICLES * BROKEN_PER_ARTICLE + 1)  # the broken links and the feed's dead entry
    assert first.exit_code == 0, first.stderr

    # The next run: feed and start page answer 304, and still count; nothing else is due.
    second = scrape("crawl", "--config", str(cfg), "--db", str(db))
    assert cells(second.stdout)["fetched"] == "2", second.stdout
    assert "not modified" in second.stdout and site.conditional_hits("/feed.xml") == site.conditional_hits("/") == 1
    assert second.exit_code == 0


def test_an_archive_from_before_gone_gets_the_column(site: Site, tmp_path: Path, scrape) -> None:
    from scraper.crawl.tables import SCHEMA
    from scraper.store import Store

    db = tmp_path / "archive.db"
    Store.open(db).close()
    old = SCHEMA.replace("    gone INTEGER NOT NULL DEFAULT 0,           -- found links that answered 4xx (not failures)\n", "")
    assert old != SCHEMA
    with sqlite3.connect(db) as conn:
        conn.executescript(old)
        conn.execute("INSERT INTO crawl_runs (started_at, pid, outcome, exit_code) VALUES ('2026-01-01', 1, 'finished', 1)")
        conn.execute("INSERT INTO crawl_run_sources VALUES (1, 'local', 1, 1, 0, 0, 0, 0, 1, 0.1)")
    result = scrape("crawl", "--config", str(write_config(tmp_path, config(site))), "--db", str(db))
    assert result.exit_code == 0, result.stderr
    with sqlite3.connect(db) as conn:
        rows = conn.execute("SELECT run_id, gone, failed FROM crawl_run_sources ORDER BY run_id").fetchall()
    assert rows == [(1, 0, 1), (2, ARTICLES * BROKEN_PER_ARTICLE, 0)]  # the old run's row kept, as 0 gone


def test_crawl_json_prints_only_the_summary_object(site: Site, tmp_path: Path, scrape) -> None:
    db = tmp_path / "archive.db"
    result = scrape("crawl", "--config", str(write_config(tmp_path, config(site))), "--db", str(db), "--json")
    assert result.exit_code == 0, result.stderr
    summary = json.loads(result.stdout)  # the whole of stdout is the one object: no per-URL lines, no table
    total = ARTICLES * BROKEN_PER_ARTICLE
    assert summary["outcome"] == "finished" and summary["total"]["gone"] == total
    assert summary["total"]["stored"] == ARTICLES and summary["total"]["failed"] == 0
    with sqlite3.connect(db) as conn:
        assert conn.execute("SELECT id FROM crawl_runs").fetchall() == [(summary["run"],)]
