"""WARC import speed: `scrape import-warc` against a plain warcio + trafilatura.extract loop.

Builds a WARC of real article pages (the shared corpus, each page repeated under distinct URLs
until there are --records of them), then in one run times:

- ours:  `python -m scraper import-warc FILE --db TMP -q` (extraction in a process pool, and it
         also stores every capture and article in SQLite, which the peer does not);
- peer:  a loop of warcio's ArchiveIterator and trafilatura.extract() in one process, what a
         Python user would otherwise write.

Prints records/s, CPU seconds and peak RSS for both, and the ratio. Usage:
    python benchmarks/warc.py [--records 2000] [--corpus ../shared/corpus/articles-dev]
"""

from __future__ import annotations

import argparse
import gzip
import io
import os
import sqlite3
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_CORPUS = ROOT.parent / "shared" / "corpus" / "articles-dev"

PEER = """
import sys, trafilatura
from warcio.archiveiterator import ArchiveIterator
done = 0
with open(sys.argv[1], "rb") as stream:
    for record in ArchiveIterator(stream):
        if record.rec_type != "response":
            continue
        if "html" not in (record.http_headers.get_header("Content-Type") or ""):
            continue
        html = record.content_stream().read().decode("utf-8", errors="replace")
        trafilatura.extract(html, url=record.rec_headers.get_header("WARC-Target-URI"))
        done += 1
print(done)
"""


def build_warc(corpus: Path, records: int, out: Path) -> int:
    pages = sorted((corpus / "html").glob("*.html.gz"))
    if not pages:
        sys.exit(f"no pages in {corpus / 'html'}")
    bodies = [gzip.decompress(p.read_bytes()) for p in pages]
    with out.open("wb") as stream:
        writer = WARCWriter(stream, gzip=True)
        for i in range(records):
            body = bodies[i % len(bodies)]
            headers = StatusAndHeaders("200 OK", [("Content-Type", "text/html; charset=utf-8")], protocol="HTTP/1.1")
            record = writer.create_warc_record(
                f"http://bench{i % 7}.example/{i}/{pages[i % len(pages)].name[:-8]}", "response",
                payload=io.BytesIO(body), http_headers=headers,
                warc_headers_dict={"WARC-Date": "2024-01-01T00:00:00Z"},
            )
            writer.write_record(record)
    return records


# Each command runs under its own small wrapper, so the peak RSS it reports is that command's
# (largest process among it and its workers), not the benchmark's own or the other contender's.
WRAPPER = """
import resource, subprocess, sys
proc = subprocess.run(sys.argv[1:])
usage = resource.getrusage(resource.RUSAGE_CHILDREN)
print(f"@usage {usage.ru_utime + usage.ru_stime} {usage.ru_maxrss}", file=sys.stderr)
sys.exit(proc.returncode)
"""


def timed(cmd: list[str]) -> tuple[float, float, int, str]:
    """Wall seconds, CPU seconds (process and its children) and peak RSS (KiB) of one command."""
    start = time.perf_counter()
    proc = subprocess.run([sys.executable, "-c", WRAPPER, *cmd], capture_output=True, text=True, cwd=ROOT)
    wall = time.perf_counter() - start
    if proc.returncode != 0:
        sys.exit(f"{cmd[:4]} failed:\n{proc.stderr[-2000:]}")
    usage = proc.stderr.rsplit("@usage ", 1)[1].split()
    return wall, float(usage[0]), int(usage[1]), proc.stdout + proc.stderr


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--records", type=int, default=2000)
    parser.add_argument("--corpus", type=Path, default=DEFAULT_CORPUS)
    args = parser.parse_args()

    with tempfile.TemporaryDirectory() as tmp:
        warc = Path(tmp) / "bench.warc.gz"
        n = build_warc(args.corpus, args.records, warc)
        db = Path(tmp) / "bench.db"
        print(f"{n} article records, {warc.stat().st_size / 1e6:.1f} MB gzipped, {os.cpu_count()} cores")

        peer_wall, peer_cpu, peer_rss, peer_out = timed([sys.executable, "-c", PEER, str(warc)])
        ours_wall, ours_cpu, ours_rss, ours_out = timed([sys.executable, "-m", "scraper", "import-warc", str(warc), "--db", str(db), "-q"])
        with sqlite3.connect(db) as conn:
            captured = conn.execute("SELECT count(*) FROM captures").fetchone()[0]
        # Copies of a page share its canonical URL, so they are one article: count what was processed.
        summary = ours_out.split("imported: ")[1].split("\n")[0]
        processed = sum(int(part.split()[0]) for part in summary.split(", ") if part.split()[1] in ("stored", "updated", "unchanged"))
        if captured != n or processed != n or int(peer_out.split()[0]) != n:
            sys.exit(f"record counts differ: ours {captured} captures, {processed} extracted; peer {peer_out.split()[0]}; expected {n}")

    print(f"{'':28}{'records/s':>10}{'CPU s':>8}{'peak RSS MB':>13}")
    print(f"{'scrape import-warc':28}{n / ours_wall:>10.1f}{ours_cpu:>8.1f}{ours_rss / 1024:>13.0f}")
    print(f"{'warcio + trafilatura loop':28}{n / peer_wall:>10.1f}{peer_cpu:>8.1f}{peer_rss / 1024:>13.0f}")
    print(f"speed ratio (ours / peer): {peer_wall / ours_wall:.2f}x   (peak RSS is the largest single process)")


if __name__ == "__main__":
    main()
