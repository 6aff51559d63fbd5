"""`scrape` end to end, as a user runs it: a real local HTTP server, a real archive file."""

from __future__ import annotations

import json
import re
import socket
import sqlite3
from pathlib import Path

import pytest
from pytest_httpserver import HTTPServer

from .conftest import ROOT, SEED_FIXTURE, SHARED, one_line_error

EXPECTED = json.loads((SHARED / "seed" / "expected.json").read_text(encoding="utf-8"))
ARTICLE_PATH = "/2017/11/21/iran-declares-victory-over-isis/"


def norm(text: str) -> str:
    return re.sub(r"\s+", " ", text.replace("\u00a0", " ")).strip()


def serve_seed(site: HTTPServer) -> str:
    site.expect_request(ARTICLE_PATH).respond_with_data(
        SEED_FIXTURE.read_bytes(), content_type="text/html; charset=utf-8"
    )
    return site.url_for(ARTICLE_PATH)


def rows(db: Path, table: str) -> int:
    with sqlite3.connect(db) as conn:
        return conn.execute(f"SELECT count(*) FROM {table}").fetchone()[0]


def test_fetch_stores_the_seed_article_cleanly(site, scrape, config_file, db_path) -> None:
    url = serve_seed(site)
    result = scrape("fetch", url, "--db", str(db_path), "--config", str(config_file))
    assert result.exit_code == 0, result.stderr
    assert result.stdout.strip() == f"stored: {url} — {EXPECTED['title']}"

    conn = sqlite3.connect(db_path)
    conn.row_factory = sqlite3.Row
    article = conn.execute("SELECT * FROM articles").fetchone()
    assert article["title"] == EXPECTED["title"]
    assert norm(article["body"]) == norm(EXPECTED["body"])
    assert article["body"].count("\n\n") == EXPECTED["body"].count("\n\n")
    for banned in EXPECTED["must_not_contain"]:
        assert banned not in article["body"], banned

    quotes = [dict(q) for q in conn.execute("SELECT text, speaker FROM quotes ORDER BY position")]
    required = [q for q in EXPECTED["quotes"] if q["required"]]
    for want in required:
        assert {"text": want["text"], "speaker": want["speaker"]} in [
            {"text": norm(q["text"]), "speaker": q["speaker"]} for q in quotes
        ]
    for q in quotes:  # optional quotes, if kept, carry the right speaker
        for want in EXPECTED["quotes"]:
            if norm(q["text"]) == want["text"]:
                assert q["speaker"] == want["speaker"]

    related = [norm(r[0]) for r in conn.execute("SELECT text FROM links WHERE kind = 'related' ORDER BY position")]
    assert sorted(related) == sorted(link["text"] for link in EXPECTED["related_links"])
    for (link_url,) in conn.execute("SELECT url FROM links"):
        assert link_url.startswith("http"), link_url

    capture = conn.execute("SELECT status, final_url, content_type FROM captures").fetchone()
    assert tuple(capture) == (200, url, "text/html")


def test_search_finds_it_and_a_second_fetch_adds_nothing(site, scrape, config_file, db_path) -> None:
    url = serve_seed(site)
    args = ("--db", str(db_path), "--config", str(config_file))
    assert scrape("fetch", url, *args).exit_code == 0
    counts = {t: rows(db_path, t) for t in ("articles", "quotes", "links", "article_versions")}

    again = scrape("fetch", url, *args)
    assert again.exit_code == 0
    assert again.stdout.startswith("unchanged: ")
    assert {t: rows(db_path, t) for t in counts} == counts

    found = scrape("search", "victory", "--db", str(db_path))
    assert found.exit_code == 0
    assert EXPECTED["title"] in found.stdout
    assert "[victory]" in found.stdout.lower()

    as_json = json.loads(scrape("search", "Rouhani", "--db", str(db_path), "--json").stdout)
    assert as_json[0]["url"] == url

    nothing = scrape("search", "zanzibar", "--db", str(db_path))
    assert nothing.exit_code == 1
    assert one_line_error(nothing.stderr) == "no articles match 'zanzibar'"


def test_fetch_json_prints_the_record(site, scrape, config_file, db_path) -> None:
    url = serve_seed(site)
    result = scrape("fetch", url, "--json", "--db", str(db_path), "--config", str(config_file))
    line = json.loads(result.stdout)
    assert line["status"] == "stored"
    assert line["article"]["title"] == EXPECTED["title"]


def test_extract_prints_json_without_network_or_database(scrape, tmp_path) -> None:
    result = scrape("extract", str(SEED_FIXTURE), "--url", "https://theduran.com" + ARTICLE_PATH)
    assert result.exit_code == 0, result.stderr
    record = json.loads(result.stdout)
    assert record["title"] == EXPECTED["title"]
    assert norm(record["body"]) == norm(EXPECTED["body"])
    assert not (tmp_path / "archive.db").exists()

    piped = scrape("extract", "-", input=SEED_FIXTURE.read_text(encoding="utf-8"))
    assert json.loads(piped.stdout)["title"] == EXPECTED["title"]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture
def stored(site, scrape, config_file, db_path) -> str:
    """An archive that already holds the seed article: failures must not touch it."""
    url = serve_seed(site)
    assert scrape("fetch", url, "--db", str(db_path), "--config", str(config_file)).exit_code == 0
    return url


@pytest.mark.parametrize(
    ("target", "reason"),
    [
        ("not a url", "not an http(s) URL"),
        ("ftp://127.0.0.1/file", "not an http(s) URL"),
        ("/404", "HTTP 404"),
        ("/500", "HTTP 500"),
        ("refused", "refused"),
    ],
)
def test_fetch_failures_are_one_line_and_keep_the_archive(
    site, scrape, config_file, db_path, stored, target, reason
) -> None:
    site.expect_request("/404").respond_with_data("gone", status=404)
    site.expect_request("/500").respond_with_data("boom", status=500)
    if target == "refused":
        url = f"http://127.0.0.1:{free_port()}/article"
    elif target.startswith("/"):
        url = site.url_for(target)
    else:
        url = target
    result = scrape("fetch", url, "--db", str(db_path), "--config", str(config_file))
    assert result.exit_code == 1
    line = one_line_error(result.stderr)
    assert line.startswith(f"failed: {url}: ")
    assert reason in line
    assert rows(db_path, "articles") == 1


def test_non_html_is_skipped_and_kept_as_capture(site, scrape, config_file, db_path, stored) -> None:
    site.expect_request("/report.pdf").respond_with_data(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj", content_type="application/pdf")
    url = site.url_for("/report.pdf")
    result = scrape("fetch", url, "--db", str(db_path), "--config", str(config_file))
    assert result.exit_code == 0
    assert result.stdout.strip() == f"skipped: {url}: not HTML (application/pdf)"
    assert rows(db_path, "articles") == 1
    assert rows(db_path, "captures") == 2


def test_one_failure_does_not_stop_the_others(site, scrape, config_file, db_path) -> None:
    url = serve_seed(site)
    site.expect_request("/404").respond_with_data("gone", status=404)
    result = scrape("fetch", site.url_for("/404"), url, "--db", str(db_path), "--config", str(config_file))
    assert result.exit_code == 1
    assert f"stored: {url}" in result.stdout
    assert "HTTP 404" in one_line_error(result.stderr)
    assert rows(db_path, "articles") == 1


def test_from_file_reads_urls(site, scrape, config_file, db_path, tmp_path) -> None:
    url = serve_seed(site)
    listing = tmp_path / "urls.txt"
    listing.write_text(f"# today's list\n{url}\n\n")
    result = scrape("fetch", "--from-file", str(listing), "--db", str(db_path), "--config", str(config_file))
    assert result.exit_code == 0
    assert result.stdout.startswith("stored: ")
    assert "fetched: 1 stored, 0 updated, 0 unchanged" in result.stderr  # a list ends with its totals
    piped = scrape("fetch", "-f", "-", "--db", str(db_path), "--config", str(config_file), input=url + "\n")
    assert piped.stdout.startswith("unchanged: ")


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("[fetch\nbroken", "invalid TOML"),
        ("[fetch]\nspeed = 3\n", "unknown key 'speed'"),
        (None, "config file not found"),
    ],
)
def test_bad_config_is_one_line_exit_2(scrape, tmp_path, content, message) -> None:
    path = tmp_path / "bad.toml"
    if content is not None:
        path.write_text(content)
    result = scrape("fetch", "http://127.0.0.1:9/x", "--config", str(path))
    assert result.exit_code == 2
    line = one_line_error(result.stderr)
    assert str(path) in line and message in line


def test_unreadable_config(scrape, tmp_path) -> None:
    # Tests run as root in CI, where file modes do not stop reads: a directory cannot be read as a file.
    path = tmp_path / "config.toml"
    path.mkdir()
    result = scrape("fetch", "http://127.0.0.1:9/x", "--config", str(path))
    assert result.exit_code == 2
    assert "cannot read config file" in one_line_error(result.stderr)


def test_database_in_missing_directory(site, scrape, config_file, tmp_path) -> None:
    url = serve_seed(site)
    db = tmp_path / "missing" / "archive.db"
    result = scrape("fetch", url, "--db", str(db), "--config", str(config_file))
    assert result.exit_code == 1
    assert "does not exist" in one_line_error(result.stderr)
    assert not db.parent.exists()


def test_search_without_archive(scrape, tmp_path) -> None:
    result = scrape("search", "x", "--db", str(tmp_path / "none.db"))
    assert result.exit_code == 1
    assert "no archive here yet" in one_line_error(result.stderr)


def test_extract_missing_file(scrape, tmp_path) -> None:
    result = scrape("extract", str(tmp_path / "nope.html"))
    assert result.exit_code == 1
    assert "cannot read" in one_line_error(result.stderr)


def test_real_process_no_traceback(scrape_process, tmp_path) -> None:
    """The installed entry point, as cron runs it: one line, exit code, no traceback."""
    result = scrape_process("fetch", "http://", "--db", str(tmp_path / "a.db"))
    assert result.exit_code == 1
    assert one_line_error(result.stderr).startswith("failed: http://: ")


def test_readme_documents_every_command_and_option() -> None:
    from typer.main import get_command

    from scraper.cli import app

    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    group = get_command(app)
    for name, command in group.commands.items():  # type: ignore[attr-defined]
        assert f"scrape {name}" in readme, f"README does not mention `scrape {name}`"
        for param in command.params:
            for opt in param.opts:
                if opt.startswith("--") and opt != "--help":
                    assert opt in readme, f"README does not document {opt} of `scrape {name}`"


def test_locked_database_is_one_line_and_keeps_the_archive(site, scrape, config_file, db_path, stored, monkeypatch) -> None:
    """Another program (a long datasette query, a second writer) holds the archive's write lock."""
    monkeypatch.setattr("scraper.store.BUSY_TIMEOUT_MS", 300)
    site.expect_request("/other").respond_with_data(SEED_FIXTURE.read_bytes(), content_type="text/html")
    holder = sqlite3.connect(db_path, isolation_level=None)
    holder.execute("BEGIN EXCLUSIVE")
    try:
        result = scrape("fetch", site.url_for("/other"), "--db", str(db_path), "--config", str(config_file))
    finally:
        holder.execute("ROLLBACK")
        holder.close()
    assert result.exit_code == 1
    line = one_line_error(result.stderr)
    assert "database is locked by another process (waited 0." in line and "s for its write lock)" in line, line
    assert rows(db_path, "articles") == 1
    with sqlite3.connect(db_path) as conn:
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"


def test_reading_commands_open_read_only_archives(scrape, db_path, stored, tmp_path) -> None:
    """search, history and export-warc read an archive on a read-only file and directory, changing nothing."""
    shelf = tmp_path / "shelf"
    shelf.mkdir()
    frozen = shelf / "archive.db"
    frozen.write_bytes(db_path.read_bytes())  # WAL checkpointed on close: the copy is the whole archive
    frozen.chmod(0o444)
    shelf.chmod(0o555)
    try:
        found = scrape("search", "victory", "--db", str(frozen))
        assert found.exit_code == 0, found.stderr
        assert "Iran declares victory" in found.stdout
        assert scrape("history", stored, "--db", str(frozen), "--no-diff").exit_code == 0
        exported = scrape("export-warc", str(tmp_path / "out.warc.gz"), "--db", str(frozen))
        assert exported.exit_code == 0, exported.stderr
        assert sorted(p.name for p in shelf.iterdir()) == ["archive.db"]  # no -wal, -shm or lock file made
    finally:
        shelf.chmod(0o755)


@pytest.mark.parametrize("kind", ["other", "empty"])
def test_a_file_that_is_not_our_archive_is_refused_untouched(scrape, tmp_path, kind) -> None:
    other = tmp_path / "other.db"
    if kind == "other":
        with sqlite3.connect(other) as conn:
            conn.execute("CREATE TABLE notes (text TEXT)")
    else:
        other.write_bytes(b"")
    before = other.read_bytes()
    for command in (["search", "foo"], ["history", "http://127.0.0.1/a"], ["export-warc", str(tmp_path / "o.warc")]):
        result = scrape(*command, "--db", str(other))
        assert result.exit_code == 1
        assert one_line_error(result.stderr) == f"error: {other}: not a scraper archive"
    assert other.read_bytes() == before
