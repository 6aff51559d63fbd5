"""What a run reads: @FILE lists, WARCs over HTTP (streamed), and the errors a user can cause."""

from __future__ import annotations

import socket
from pathlib import Path

import pytest

from .conftest import one_line_error
from .scale_warcs import three_warcs, view
from .servers import Request, raw_server


@pytest.fixture
def warcs(tmp_path: Path) -> list[Path]:
    return three_warcs(tmp_path / "warcs")


def test_plain_import_reads_an_at_file_with_urls(scrape, tmp_path, warcs, httpserver) -> None:
    httpserver.expect_request("/cc-news-1.warc.gz").respond_with_data(warcs[1].read_bytes())
    listing = tmp_path / "warc.paths"
    listing.write_text(f"{warcs[0]}\n{httpserver.url_for('/cc-news-1.warc.gz')}\n# done\n{warcs[2]}\n")
    result = scrape("import-warc", f"@{listing}", "--db", str(tmp_path / "a.db"), "-q", "--workers", "1")
    assert result.exit_code == 0, result.stderr
    files = scrape("import-warc", *map(str, warcs), "--db", str(tmp_path / "b.db"), "-q")
    assert files.exit_code == 0, files.stderr
    expected, got = view(tmp_path / "b.db"), view(tmp_path / "a.db")
    for key in expected:
        assert got[key] == expected[key], key


def cut_off(data: bytes):  # type: ignore[no-untyped-def]
    """A server that promises the whole file and sends half of it, then resets the connection."""

    def handler(request: Request, conn: socket.socket) -> None:
        conn.sendall(f"HTTP/1.1 200 OK\r\nContent-Length: {len(data)}\r\n\r\n".encode() + data[: len(data) // 2])
        conn.close()

    return raw_server(handler)


def test_a_download_cut_off_is_one_failed_line(scrape, tmp_path, warcs) -> None:
    with cut_off(warcs[0].read_bytes()) as server:
        result = scrape("import-warc", server.url("/cc-news-0.warc.gz"), str(warcs[1]), "--db", str(tmp_path / "a.db"), "-q")
    assert result.exit_code == 1
    failed = [line for line in result.stderr.splitlines() if line.startswith("failed:")]
    assert len(failed) == 1 and "Traceback" not in result.stderr, result.stderr
    assert "imported: " in result.stderr and "0 failed" not in result.stderr


def test_usage_errors_are_one_line(scrape, tmp_path, warcs, monkeypatch) -> None:
    cases = [
        (["import-warc", f"@{tmp_path / 'none.paths'}"], 1, "cannot read the list of WARCs"),
        (["import-warc", "--engine", "dask", str(warcs[0])], 2, "--engine dask needs --shards DIR"),
        (["import-warc", "--shards", str(tmp_path / "s"), str(warcs[0])], 2, "--shards needs --engine dask"),
        (["reextract", "--scheduler", "tcp://127.0.0.1:9"], 2, "--scheduler needs --engine dask"),
        (["import-warc", "--engine", "dask", "--shards", str(tmp_path / "s"), str(warcs[0]), str(tmp_path / "cc-news-0.warc")],
         1, "would both become shard cc-news-0.db"),
    ]
    (tmp_path / "empty.paths").write_text("# nothing yet\n")
    cases.append((["import-warc", f"@{tmp_path / 'empty.paths'}"], 1, "no WARC files given"))
    for args, code, message in cases:
        result = scrape(*args)
        assert result.exit_code == code, (args, result.stderr)
        assert message in one_line_error(result.stderr), args
    monkeypatch.setattr("scraper.scale.engine.CONNECT_TIMEOUT_S", 1)
    result = scrape("import-warc", "--engine", "dask", "--scheduler", "tcp://127.0.0.1:9", "--shards", str(tmp_path / "s"),
                    str(warcs[0]))
    assert result.exit_code == 1
    assert "tcp://127.0.0.1:9: cannot reach the Dask scheduler" in one_line_error(result.stderr)
