"""One journey for every page: the typed Outcome, transient failures as data, no article without text."""

from __future__ import annotations

import io
import sqlite3
from pathlib import Path

from pytest_httpserver import HTTPServer
from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

from scraper.errors import ConnectError, FetchTimeout, HTTPStatusError, RobotsDisallowed, TooLarge, WorkerDied
from scraper.outcome import RETRY_HTTP_CODES, Outcome, Reason, Status, failure, transient

NO_TEXT_PAGE = b"<html><head><title>World section</title></head><body><nav><a href='/a'>A story</a></nav></body></html>"


def test_transient_failures_are_data() -> None:
    url = "http://127.0.0.1/x"
    assert all(transient(HTTPStatusError(url, code)) for code in RETRY_HTTP_CODES)
    assert not transient(HTTPStatusError(url, 404)) and not transient(HTTPStatusError(url, 501))
    assert transient(FetchTimeout(url, "read timeout")) and transient(ConnectError(url, "connection refused"))
    assert transient(WorkerDied())
    assert not transient(TooLarge(url, "too big")) and not transient(RobotsDisallowed(url, "disallowed"))


def test_failure_outcomes_carry_kind_words_and_transience() -> None:
    url = "http://127.0.0.1/x"
    gone = failure(url, HTTPStatusError(url, 404))
    assert (gone.status, gone.reason, gone.detail, gone.transient, gone.http_status) == (
        Status.FAILED, Reason.HTTP_STATUS, "HTTP 404", False, 404)
    died = failure(url, WorkerDied())
    assert (died.reason, died.detail, died.transient) == (Reason.EXTRACTION, "extraction failed: extraction worker died", True)
    assert failure(url, FetchTimeout(url, "read timeout")).reason is Reason.NETWORK
    assert Outcome(url, Status.SKIPPED, Reason.NO_TEXT, "no article text").line() == f"skipped: {url}: no article text"


def counts(db: Path) -> tuple[int, int]:
    with sqlite3.connect(db) as conn:
        return (conn.execute("SELECT count(*) FROM captures").fetchone()[0],
                conn.execute("SELECT count(*) FROM articles").fetchone()[0])


def test_fetch_of_a_page_without_text_is_skipped_and_captured(site: HTTPServer, scrape, config_file, db_path) -> None:
    site.expect_request("/section").respond_with_data(NO_TEXT_PAGE, content_type="text/html")
    url = site.url_for("/section")
    result = scrape("fetch", url, "--db", str(db_path), "--config", str(config_file))
    assert result.exit_code == 0, result.stderr
    assert result.stdout.strip() == f"skipped: {url}: no article text"
    assert counts(db_path) == (1, 0)  # the capture is kept, no article row with 0 words


def test_crawl_of_a_page_without_text_is_skipped_and_captured(site: HTTPServer, scrape, tmp_path, db_path) -> None:
    site.expect_request("/").respond_with_data(
        b"<html><body><p>Front page</p><a href='/2024/01/empty'>Empty story</a></body></html>", content_type="text/html")
    site.expect_request("/2024/01/empty").respond_with_data(NO_TEXT_PAGE, content_type="text/html")
    cfg = tmp_path / "crawl.toml"
    cfg.write_text(
        "[fetch]\nper_host_delay_s = 0.0\nattempts = 1\nhttp2 = false\n"
        f'[[sources]]\nname = "local"\nstart_urls = ["{site.url_for("/")}"]\nmax_depth = 1\n'
        'article_urls = ["/2024/"]\n', encoding="utf-8")
    result = scrape("crawl", "--config", str(cfg), "--db", str(db_path))
    assert result.exit_code == 0, result.stderr
    assert f"{site.url_for('/2024/01/empty')}: no article text" in result.stdout
    assert counts(db_path) == (2, 0)
    with sqlite3.connect(db_path) as conn:
        state = conn.execute("SELECT state, reason FROM crawl_urls WHERE url LIKE '%empty'").fetchone()
    assert state == ("skipped", "no article text")


def warc_with(path: Path, records: list[tuple[str, bytes]]) -> None:
    with path.open("wb") as stream:
        writer = WARCWriter(stream, gzip=True)
        for url, body in records:
            headers = StatusAndHeaders("200 OK", [("Content-Type", "text/html; charset=utf-8")], protocol="HTTP/1.1")
            writer.write_record(writer.create_warc_record(url, "response", payload=io.BytesIO(body), length=len(body),
                                                          http_headers=headers))


def test_import_of_a_page_without_text_is_skipped_and_captured(scrape, tmp_path, db_path) -> None:
    warc = tmp_path / "in.warc.gz"
    warc_with(warc, [("https://news.example/section", NO_TEXT_PAGE)])
    result = scrape("import-warc", str(warc), "--db", str(db_path))
    assert result.exit_code == 0, result.stderr
    assert "skipped: https://news.example/section: no article text" in result.stderr
    assert "imported: 0 stored, 0 updated, 0 unchanged, 0 duplicate, 1 skipped, 0 failed" in result.stderr
    assert counts(db_path) == (1, 0)
