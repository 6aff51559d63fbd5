"""The fetcher end to end through `scrape fetch` in a real subprocess, with a real archive."""

from __future__ import annotations

import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

from pytest_httpserver import HTTPServer
from werkzeug import Request, Response

from scraper.store import decompress
from tests.conftest import ROOT, SEED_FIXTURE

PDF = b"%PDF-1.4\n1 0 obj\n<< /Type /Catalog >>\nendobj\ntrailer\n<< /Root 1 0 R >>\n%%EOF\n"


def article() -> bytes:
    return SEED_FIXTURE.read_bytes()


def numbered_article(i: int) -> bytes:
    words = " ".join(f"word{(i * 31 + k) % 997}" for k in range(60))
    paragraphs = "".join(f"<p>Paragraph {k} of story {i}: {words}.</p>" for k in range(6))
    return (f"<!doctype html><html><head><meta charset='utf-8'><title>Story number {i}</title></head>"
            f"<body><article><h1>Story number {i}</h1>{paragraphs}</article></body></html>").encode()


def test_pdf_is_skipped_and_its_capture_kept(site: HTTPServer, scrape_process, db_path: Path, config_file: Path) -> None:
    site.expect_request("/paper.pdf").respond_with_data(PDF, content_type="application/pdf")
    url = site.url_for("/paper.pdf")
    result = scrape_process("fetch", url, "--db", str(db_path), "--config", str(config_file))
    assert result.exit_code == 0, result.stderr
    assert f"skipped: {url}: not HTML (application/pdf)" in result.stdout + result.stderr
    with sqlite3.connect(db_path) as db:
        rows = db.execute("SELECT content_type, body FROM captures WHERE url = ?", (url,)).fetchall()
        assert db.execute("SELECT count(*) FROM articles").fetchone()[0] == 0
    assert len(rows) == 1
    assert rows[0][0] == "application/pdf"
    assert decompress(rows[0][1]) == PDF


def test_second_fetch_is_conditional_and_reported_unchanged(site: HTTPServer, scrape_process, db_path: Path,
                                                          config_file: Path) -> None:
    seen: list[tuple[str | None, str | None]] = []

    def page(request: Request) -> Response:
        seen.append((request.headers.get("If-None-Match"), request.headers.get("If-Modified-Since")))
        if request.headers.get("If-None-Match") == '"abc"':
            return Response(status=304, headers={"ETag": '"abc"'})
        return Response(article(), content_type="text/html; charset=utf-8",
                        headers={"ETag": '"abc"', "Last-Modified": "Mon, 01 Jan 2024 00:00:00 GMT"})

    site.expect_request("/story").respond_with_handler(page)
    url = site.url_for("/story")
    first = scrape_process("fetch", url, "--db", str(db_path), "--config", str(config_file))
    assert first.exit_code == 0, first.stderr
    assert first.stdout.startswith(f"stored: {url}")
    second = scrape_process("fetch", url, "--db", str(db_path), "--config", str(config_file))
    assert second.exit_code == 0, second.stderr
    assert second.stdout.startswith(f"unchanged: {url}")
    assert seen == [(None, None), ('"abc"', "Mon, 01 Jan 2024 00:00:00 GMT")]


def test_failures_are_one_line_each_and_the_rest_go_on(site: HTTPServer, scrape_process, db_path: Path,
                                                     config_file: Path, tmp_path: Path) -> None:
    site.expect_request("/good").respond_with_data(article(), content_type="text/html; charset=utf-8")
    site.expect_request("/gone").respond_with_data("gone", status=404)
    urls = [site.url_for("/gone"), "http://127.0.0.1:9/refused", site.url_for("/good")]
    listing = tmp_path / "urls.txt"
    listing.write_text("\n".join(urls) + "\n")
    result = scrape_process("fetch", "--from-file", str(listing), "--db", str(db_path), "--config", str(config_file))
    assert result.exit_code != 0
    assert "Traceback" not in result.stderr
    assert f"failed: {urls[0]}: HTTP 404" in result.stderr
    assert f"failed: {urls[1]}: connection refused" in result.stderr
    assert f"stored: {urls[2]}" in result.stdout


def test_killed_fetch_leaves_the_database_intact(httpserver: HTTPServer, db_path: Path, config_file: Path,
                                                 tmp_path: Path) -> None:
    def slow(request: Request) -> Response:
        time.sleep(0.02)
        return Response(numbered_article(int(request.path.rsplit("/", 1)[1])), content_type="text/html; charset=utf-8")

    httpserver.expect_request("/robots.txt").respond_with_data("User-agent: *\nAllow: /\n")
    for i in range(60):
        httpserver.expect_request(f"/a/{i}").respond_with_handler(slow)
    urls = [httpserver.url_for(f"/a/{i}") for i in range(60)]
    listing = tmp_path / "urls.txt"
    listing.write_text("\n".join(urls) + "\n")
    command = [sys.executable, "-m", "scraper", "fetch", "--from-file", str(listing), "--db", str(db_path),
               "--config", str(config_file)]
    proc = subprocess.Popen(command, cwd=tmp_path, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            env={"PYTHONPATH": str(ROOT), "PATH": "/usr/bin:/bin"})
    try:
        assert proc.stdout is not None
        for _ in range(5):  # let a few articles land, then kill it mid-run
            assert proc.stdout.readline().startswith(b"stored: ")
        proc.send_signal(signal.SIGKILL)
    finally:
        proc.wait(timeout=30)
    with sqlite3.connect(db_path) as db:
        assert db.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        stored = db.execute("SELECT count(*) FROM articles").fetchone()[0]
        orphans = db.execute("SELECT count(*) FROM articles a LEFT JOIN captures c ON a.capture_id = c.id "
                             "WHERE c.id IS NULL").fetchone()[0]
    assert 5 <= stored < 60
    assert orphans == 0
    # The next run completes the batch and stores each page once.
    rerun = subprocess.run(command, cwd=tmp_path, capture_output=True, text=True, timeout=120, check=False,
                           env={"PYTHONPATH": str(ROOT), "PATH": "/usr/bin:/bin"})
    assert rerun.returncode == 0, rerun.stderr
    with sqlite3.connect(db_path) as db:
        per_url = db.execute("SELECT count(*), count(DISTINCT url) FROM articles").fetchone()
    assert per_url == (60, 60)
