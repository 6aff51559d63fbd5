"""WARC out and WARC in, on real files: round trip, other tools' WARCs, damage, scale."""

from __future__ import annotations

import io
import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest
from warcio.archiveiterator import ArchiveIterator
from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

from .conftest import FIXTURES, ROOT, SEED_FIXTURE, one_line_error

ARTICLE = """<html lang="en"><head><title>{title} | Example News</title></head><body>
<header><nav><a href="/">Home</a> <a href="/world">World</a></nav></header>
<article><h1>{title}</h1>
<p>{n} This is the opening paragraph of a generated article, long enough to be the article body.</p>
<p>The second paragraph says more about the story so that the extractor has real text to keep.</p>
</article><footer>Copyright Example News</footer></body></html>"""


def articles(db: Path) -> list[tuple]:
    with sqlite3.connect(db) as conn:
        return conn.execute("SELECT url, title, body, published, authors FROM articles ORDER BY url").fetchall()


def write_warc(path: Path, records: list[tuple[str, str, bytes, str]], gzip: bool = True) -> None:
    """A WARC as another tool writes it: warcio directly, response records."""
    with path.open("wb") as stream:
        writer = WARCWriter(stream, gzip=gzip)
        for url, content_type, body, date in records:
            headers = StatusAndHeaders("200 OK", [("Content-Type", content_type)], protocol="HTTP/1.0")
            record = writer.create_warc_record(url, "response", payload=io.BytesIO(body), http_headers=headers,
                                               warc_headers_dict={"WARC-Date": date})
            writer.write_record(record)


def served(site, paths: dict[str, Path]) -> list[str]:
    for path, file in paths.items():
        site.expect_request(path).respond_with_data(file.read_bytes(), content_type="text/html")
    return [site.url_for(p) for p in paths]


def fixture_pages() -> dict[str, Path]:
    pages = sorted(FIXTURES.glob("*.html"))[:6] or [SEED_FIXTURE]
    return {f"/{p.stem}/": p for p in pages}


def test_round_trip_gives_the_same_articles(site, scrape, config_file, tmp_path) -> None:
    first, second = tmp_path / "first.db", tmp_path / "second.db"
    urls = served(site, fixture_pages())
    site.expect_request("/doc.pdf").respond_with_data(b"%PDF-1.4 binary", content_type="application/pdf")
    fetched = scrape("fetch", *urls, site.url_for("/doc.pdf"), "--db", str(first), "--config", str(config_file))
    assert fetched.exit_code == 0, fetched.stderr

    out = tmp_path / "out.warc.gz"
    exported = scrape("export-warc", str(out), "--db", str(first))
    assert exported.exit_code == 0, exported.stderr
    assert exported.stdout.strip() == f"wrote {len(urls) + 1} captures to {out}"
    check = subprocess.run([sys.executable, "-m", "warcio.cli", "check", "-v", str(out)], check=False, capture_output=True, text=True)
    assert check.returncode == 0, check.stdout + check.stderr

    with out.open("rb") as stream:
        records = list(ArchiveIterator(stream))
    kinds = [r.rec_type for r in records]
    assert kinds[0] == "warcinfo" and kinds.count("response") == len(urls) + 1 and kinds.count("request") == len(urls) + 1

    imported = scrape("import-warc", str(out), "--db", str(second))
    assert imported.exit_code == 0, imported.stderr
    assert f"{len(urls)} stored" in imported.stderr and "1 skipped" in imported.stderr
    assert articles(second) == articles(first)
    with sqlite3.connect(first) as a, sqlite3.connect(second) as b:
        query = "SELECT url, fetched_at, payload_digest FROM captures ORDER BY url"
        assert a.execute(query).fetchall() == b.execute(query).fetchall()

    again = scrape("import-warc", str(out), "--db", str(second))
    assert again.exit_code == 0
    assert f"{len(urls) + 1} duplicate" in again.stderr
    with sqlite3.connect(second) as conn:
        assert conn.execute("SELECT count(*) FROM captures").fetchone()[0] == len(urls) + 1
        assert conn.execute("SELECT count(*) FROM article_versions").fetchone()[0] == 0


def test_warc_from_another_tool_keeps_capture_dates(scrape, tmp_path) -> None:
    path = tmp_path / "other.warc.gz"
    write_warc(path, [
        ("http://news.example/a", "text/html; charset=utf-8", ARTICLE.format(title="First story", n=1).encode(), "2015-03-04T05:06:07Z"),
        ("http://news.example/logo.png", "image/png", b"\x89PNG\r\n\x1a\nbinary", "2015-03-04T05:06:08Z"),
        ("http://news.example/b", "text/html; charset=windows-1251",
         ARTICLE.format(title="Вторая новость", n=2).encode("cp1251"), "2015-03-04T05:06:09Z"),
        # the same capture twice in one file (crawlers do that): kept once
        ("http://news.example/a", "text/html; charset=utf-8", ARTICLE.format(title="First story", n=1).encode(), "2015-03-04T05:06:07Z"),
    ])
    result = scrape("import-warc", str(path), "--db", str(tmp_path / "a.db"))
    assert result.exit_code == 0, result.stderr
    assert "2 stored" in result.stderr and "1 skipped" in result.stderr and "1 duplicate" in result.stderr
    assert "skipped: http://news.example/logo.png: not HTML (image/png)" in result.stderr
    with sqlite3.connect(tmp_path / "a.db") as conn:
        rows = conn.execute("SELECT url, title, first_seen FROM articles ORDER BY url").fetchall()
        assert conn.execute("SELECT count(*) FROM captures").fetchone()[0] == 3
        assert conn.execute("SELECT charset FROM captures WHERE url LIKE '%/b'").fetchone()[0] == "cp1251"
    assert rows == [
        ("http://news.example/a", "First story", "2015-03-04T05:06:07+00:00"),
        ("http://news.example/b", "Вторая новость", "2015-03-04T05:06:09+00:00"),
    ]


@pytest.mark.parametrize("compressed", [True, False])
def test_truncated_file_keeps_what_came_before(scrape, tmp_path, compressed) -> None:
    whole = tmp_path / "whole.warc"
    write_warc(whole, [
        (f"http://news.example/{i}", "text/html", ARTICLE.format(title=f"Story {i}", n=i).encode(), "2020-01-01T00:00:00Z")
        for i in range(3)
    ], gzip=compressed)
    data = whole.read_bytes()
    cut = tmp_path / "cut.warc"
    cut.write_bytes(data[: len(data) - 200])  # the last record loses its end
    db = tmp_path / "a.db"
    result = scrape("import-warc", str(cut), "--db", str(db))
    assert result.exit_code == 1
    assert "Traceback" not in result.stderr
    errors = [line for line in result.stderr.splitlines() if line.startswith("failed:")]
    assert len(errors) == 1 and "corrupt or truncated" in errors[0]
    assert [row[1] for row in articles(db)] == ["Story 0", "Story 1"]


def test_not_a_warc_file(scrape, tmp_path) -> None:
    path = tmp_path / "notes.txt"
    path.write_text("just some text\n" * 10)
    result = scrape("import-warc", str(path), "--db", str(tmp_path / "a.db"))
    assert result.exit_code == 1
    assert one_line_error(result.stderr.replace("imported:", "").split("\n", 1)[0]) == f"failed: {path}: not a WARC or ARC file"
    missing = scrape("import-warc", str(tmp_path / "none.warc"), "--db", str(tmp_path / "a.db"))
    assert missing.exit_code == 1
    assert "cannot read" in one_line_error(missing.stderr)


def test_arc_file(scrape, tmp_path) -> None:
    """ARC 1.0, the Internet Archive's older format, uncompressed and gzipped."""
    body = ARTICLE.format(title="An old story", n=7).encode()
    http = b"HTTP/1.0 200 OK\r\nContent-Type: text/html\r\n\r\n" + body
    version_block = b"1 0 scraper-test\nURL IP-address Archive-date Content-type Archive-length\n"
    header = f"filedesc://test.arc 0.0.0.0 20010203040506 text/plain {len(version_block)}\n".encode()
    record = f"http://old.example/story 127.0.0.1 20010203040506 text/html {len(http)}\n".encode()
    arc = header + version_block + b"\n" + record + http + b"\n"
    (tmp_path / "old.arc").write_bytes(arc)
    result = scrape("import-warc", str(tmp_path / "old.arc"), "--db", str(tmp_path / "a.db"))
    assert result.exit_code == 0, result.stderr
    assert articles(tmp_path / "a.db")[0][:2] == ("http://old.example/story", "An old story")


def test_warc_written_by_wget(site, scrape, tmp_path) -> None:
    url = served(site, {"/story/": SEED_FIXTURE})[0]
    subprocess.run(["wget", "-q", "--warc-file", str(tmp_path / "wget"), "-O", "/dev/null", url], check=True, timeout=30)
    result = scrape("import-warc", str(tmp_path / "wget.warc.gz"), "--db", str(tmp_path / "a.db"))
    assert result.exit_code == 0, result.stderr
    assert "1 stored" in result.stderr
    assert articles(tmp_path / "a.db")[0][1] == "CONFIRMED: Iran declares victory over ISIS"


def test_fetch_writes_rotating_warc_files(site, scrape, tmp_path) -> None:
    urls = served(site, fixture_pages())
    config = tmp_path / "warc.toml"
    config.write_text(f'[archive]\nwarc_dir = "{tmp_path / "warcs"}"\nwarc_max_bytes = 1\n[fetch]\nper_host_delay_s = 0.0\n')
    result = scrape("fetch", *urls, "--db", str(tmp_path / "a.db"), "--config", str(config))
    assert result.exit_code == 0, result.stderr
    files = sorted((tmp_path / "warcs").iterdir())
    assert len(files) == len(urls)  # rotated after every record at this size
    assert all(f.name.endswith(".warc.gz") for f in files)  # none left ".open"
    check = subprocess.run([sys.executable, "-m", "warcio.cli", "check", *map(str, files)], check=False, capture_output=True, text=True)
    assert check.returncode == 0, check.stdout


def test_ten_thousand_records_in_bounded_memory(tmp_path) -> None:
    path = tmp_path / "big.warc.gz"
    with path.open("wb") as stream:
        writer = WARCWriter(stream, gzip=True)
        for i in range(10_000):
            body = ARTICLE.format(title=f"Story number {i}", n=i).encode()
            headers = StatusAndHeaders("200 OK", [("Content-Type", "text/html")], protocol="HTTP/1.1")
            writer.write_record(writer.create_warc_record(
                f"http://bulk.example/{i}", "response", payload=io.BytesIO(body), http_headers=headers,
                warc_headers_dict={"WARC-Date": "2021-06-01T00:00:00Z"}))
    db = tmp_path / "a.db"
    # VmHWM, not ru_maxrss: Linux carries ru_maxrss across exec, so a child of a big pytest process
    # would report pytest's own peak. Workers are forked by the importer itself, so RUSAGE_CHILDREN
    # inside it covers just them.
    script = (
        "import re, resource, sys; from pathlib import Path; from scraper.cli import main\n"
        "sys.argv = ['scrape', 'import-warc', sys.argv[1], '--db', sys.argv[2], '-q']\n"
        "try:\n    main()\nfinally:\n"
        "    hwm = re.search(r'VmHWM:\\s+(\\d+)', Path('/proc/self/status').read_text()).group(1)\n"
        "    print('peak_kb', hwm, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss, file=sys.stderr)"
    )
    proc = subprocess.run([sys.executable, "-c", script, str(path), str(db)], check=False, capture_output=True, text=True, timeout=400, cwd=ROOT)
    assert proc.returncode == 0, proc.stderr[-2000:]
    assert "10000 stored" in proc.stderr
    parent_kb, workers_kb = map(int, proc.stderr.split("peak_kb")[1].split()[:2])
    assert parent_kb < 250_000, parent_kb
    assert workers_kb < 250_000, workers_kb
    with sqlite3.connect(db) as conn:
        assert conn.execute("SELECT count(DISTINCT url) FROM articles").fetchone()[0] == 10_000


def test_hostile_records_fail_alone(scrape, tmp_path) -> None:
    """A record warcio cannot read is one failed line, warcio's own warnings stay out, the next file goes on."""
    no_target = tmp_path / "no-target.warc"
    with no_target.open("wb") as stream:
        writer = WARCWriter(stream, gzip=False)
        headers = StatusAndHeaders("200 OK", [("Content-Type", "text/html")], protocol="HTTP/1.1")
        record = writer.create_warc_record("http://127.0.0.1/a", "response", http_headers=headers,
                                           payload=io.BytesIO(ARTICLE.format(title="Lost", n=1).encode()))
        record.rec_headers.remove_header("WARC-Target-URI")
        writer.write_record(record)
    good = tmp_path / "good.warc"
    write_warc(good, [("http://127.0.0.1/kept", "text/html", ARTICLE.format(title="Kept", n=2).encode(),
                       "2024-01-01T00:00:00Z")], gzip=False)
    garbage = tmp_path / "garbage-length.warc"
    garbage.write_bytes(good.read_bytes().replace(b"Content-Length: ", b"Content-Length: -", 1))
    db = tmp_path / "a.db"
    result = scrape("import-warc", str(no_target), str(garbage), str(good), "--db", str(db))
    assert result.exit_code == 1
    failed = [line for line in result.stderr.splitlines() if line.startswith("failed:")]
    assert len(failed) == 2, result.stderr
    assert str(no_target) in failed[0] and str(garbage) in failed[1]
    assert "Traceback" not in result.stderr and "Remainder" not in result.stderr and "Offset" not in result.stderr
    assert [row[1] for row in articles(db)] == ["Kept"]


@pytest.mark.parametrize("compressed", [True, False])
def test_records_say_how_far_the_file_is_read(tmp_path, compressed) -> None:
    """The import-warc bar counts these: a record's start offset would leave it a record behind."""
    from scraper.warc.read import read_records

    path = tmp_path / ("many.warc.gz" if compressed else "many.warc")
    # Incompressible bodies, so each record is far larger than the reader's look-ahead.
    bodies = [ARTICLE.format(title=f"Story {i}", n=i).encode() + b"<!-- " + os.urandom(40_000).hex().encode() + b" -->"
              for i in range(5)]
    write_warc(path, [(f"http://far.example/{i}", "text/html", body, "2021-06-01T00:00:00Z") for i, body in enumerate(bodies)],
               gzip=compressed)
    size = path.stat().st_size
    with path.open("rb") as stream:
        iterator = ArchiveIterator(stream)
        starts = [iterator.get_record_offset() for _ in iterator]
    events: list = []
    read = [offset for _, offset in read_records(path, 10_000_000, events.append)]
    assert not events and len(read) == 5
    assert read == sorted(read)
    for start, after in zip(starts[1:], read):  # past the record, so at least where the next one starts
        assert after >= start
    assert read[-1] == size

