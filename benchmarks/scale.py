"""Past one machine: what a shard import, a LocalCluster and the merge cost, and what follows for CC-NEWS.

Builds --files WARCs of --records real article pages in all (the shared corpus; each copy of a
page under its own URL, its canonical link removed so every record is its own article, and 1 %
of each file captured again from the file before, as a month's WARCs overlap), then in one run:

- plain:      `python -m scraper import-warc FILES --db TMP -q` (a process pool of every core);
- shard x1:   each WARC into its shard in this process, one after the other (no Dask): the
              per-record cost of the unit of work;
- cluster 1:  `import_sharded` on a LocalCluster of 1 worker, and of 2 workers (start-up timed
  cluster 2:  apart; CPU is the workers' processes' own);
- merge:      the 2-worker shards into one archive, articles/s;
- KB per article by table, from SQLite's dbstat.

From those figures it prints a simulated table: hours for one CC-NEWS month (12 million records)
with 8, 32 and 128 workers, each worker as fast as the measured 1-worker cluster, the import
scaling as measured from 1 to 2 workers, and the merge (one writer) as the limit. Absolute times
on a shared machine are noise; the ratios within one run are the result. Usage:
    python benchmarks/scale.py [--records 800] [--files 4] [--corpus ../shared/corpus/articles-dev]
"""

from __future__ import annotations

import argparse
import gzip
import io
import os
import re
import resource
import shutil
import sqlite3
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from scraper.config import Settings
from scraper.scale import engine
from scraper.scale.merge import merge
from scraper.scale.progress import RunProgress
from scraper.scale.run import import_sharded
from scraper.scale.shards import build_shard

DEFAULT_CORPUS = ROOT.parent / "shared" / "corpus" / "articles-dev"
MONTH = 12_000_000  # CC-NEWS records a month
CANONICAL = re.compile(rb"""<link[^>]+rel=["']?canonical[^>]*>|<meta[^>]+og:url[^>]*>""", re.IGNORECASE)


def build(corpus: Path, records: int, files: int, folder: Path) -> list[Path]:
    pages = [CANONICAL.sub(b"", gzip.decompress(p.read_bytes())) for p in sorted((corpus / "html").glob("*.html.gz"))]
    if not pages:
        sys.exit(f"no pages in {corpus / 'html'}")
    per_file = records // files
    out = []
    for f in range(files):
        path = folder / f"CC-NEWS-2024050{f}.warc.gz"
        with path.open("wb") as stream:
            writer = WARCWriter(stream, gzip=True)
            urls = [(f * per_file + i, f) for i in range(per_file)]
            if f:  # 1 %: captured again from the previous file, a day later
                urls[: per_file // 100] = [((f - 1) * per_file + i, f) for i in range(per_file // 100)]
            for n, day in urls:
                headers = StatusAndHeaders("200 OK", [("Content-Type", "text/html; charset=utf-8")], protocol="HTTP/1.1")
                writer.write_record(writer.create_warc_record(
                    f"https://news{n % 13}.example/{n}", "response", payload=io.BytesIO(pages[n % len(pages)]),
                    http_headers=headers, warc_headers_dict={"WARC-Date": f"2024-05-{day + 1:02d}T00:00:00Z"}))
        out.append(path)
    return out


def plain(warcs: list[Path], db: Path) -> tuple[float, float]:
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    subprocess.run([sys.executable, "-m", "scraper", "import-warc", *map(str, warcs), "--db", str(db), "-q"],
                   check=True, cwd=ROOT, capture_output=True)
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return wall, (after.ru_utime + after.ru_stime) - (before.ru_utime + before.ru_stime)


def shard_in_process(warcs: list[Path], folder: Path) -> tuple[float, float, int]:
    start, cpu = time.perf_counter(), time.process_time()
    results = [build_shard(str(w), str(folder), Settings()) for w in warcs]
    assert all(r.status == "done" for r in results), results
    return time.perf_counter() - start, time.process_time() - cpu, sum(r.records for r in results)


def worker_cpu(client) -> float:  # type: ignore[no-untyped-def]
    import psutil

    def own() -> float:
        times = psutil.Process().cpu_times()
        return times.user + times.system

    return sum(client.run(own).values())


def cluster(warcs: list[Path], folder: Path, workers: int) -> tuple[float, float, float, int]:
    start = time.perf_counter()
    with engine.client(workers=workers, dashboard=False) as client:
        startup = time.perf_counter() - start
        cpu = worker_cpu(client)
        begun = time.perf_counter()
        summary = import_sharded([str(w) for w in warcs], folder, Settings(), client, RunProgress(len(warcs), quiet=True))
        wall = time.perf_counter() - begun
        cpu = worker_cpu(client) - cpu
    assert not summary.failed, summary.failed
    return startup, wall, cpu, sum(r.records for r in summary.results)


def kb_per_article(db: Path) -> tuple[int, dict[str, float]]:
    with sqlite3.connect(db) as conn:
        articles = conn.execute("SELECT count(*) FROM articles").fetchone()[0]
        owner = dict(conn.execute("SELECT name, tbl_name FROM sqlite_master WHERE type IN ('table', 'index')"))
        sizes: dict[str, float] = {}
        for name, size in conn.execute("SELECT name, sum(pgsize) FROM dbstat GROUP BY name"):
            table = owner.get(name, name)
            table = "articles_fts" if table.startswith("articles_fts") else table
            sizes[table] = sizes.get(table, 0) + size
    return articles, {t: s / 1024 / articles for t, s in sorted(sizes.items(), key=lambda kv: -kv[1]) if s}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--records", type=int, default=800)
    parser.add_argument("--files", type=int, default=4)
    parser.add_argument("--corpus", type=Path, default=DEFAULT_CORPUS)
    args = parser.parse_args()

    with tempfile.TemporaryDirectory() as tmp_name:
        tmp = Path(tmp_name)
        warcs = build(args.corpus, args.records, args.files, tmp)
        n = args.records // args.files * args.files
        print(f"{n} records in {len(warcs)} WARCs, {sum(w.stat().st_size for w in warcs) / 1e6:.1f} MB gzipped, "
              f"{os.cpu_count()} cores (shared: compare ratios, not seconds)\n")

        rows = []
        wall, cpu = plain(warcs, tmp / "plain.db")
        rows.append((f"plain import-warc ({os.cpu_count()} procs)", None, wall, cpu))
        wall, cpu, done = shard_in_process(warcs, tmp / "x1")
        assert done == n, done
        rows.append(("shard import, 1 process", None, wall, cpu))
        shutil.rmtree(tmp / "x1")
        for workers in (1, 2):
            startup, wall, cpu, done = cluster(warcs, tmp / f"c{workers}", workers)
            assert done == n, done
            rows.append((f"LocalCluster, {workers} worker{'s' * (workers > 1)}", startup, wall, cpu))

        print(f"{'':30}{'records/s':>10}{'CPU ms/rec':>12}{'start-up s':>12}")
        for name, startup, wall, cpu in rows:
            print(f"{name:30}{n / wall:>10.1f}{1000 * cpu / n:>12.1f}{startup if startup is not None else 0:>12.2f}")
        rate = {name: n / wall for name, _, wall, _ in rows}

        merged = tmp / "merged.db"
        start = time.perf_counter()
        counts = merge(sorted((tmp / "c2").glob("*.db")), merged)
        merge_s = time.perf_counter() - start
        articles, per_table = kb_per_article(merged)
        plain_articles, _ = kb_per_article(tmp / "plain.db")
        assert articles == plain_articles, (articles, plain_articles)
        merge_rate = (counts.articles + sum(counts.replayed.values())) / merge_s
        print(f"\nmerge: {len(warcs)} shards, {articles} articles in {merge_s:.2f} s: {merge_rate:,.0f} articles/s "
              f"({counts.articles} copied in bulk, {sum(counts.replayed.values())} through the save path)")
        print("KB per article: " + ", ".join(f"{t} {kb:.1f}" for t, kb in per_table.items())
              + f"; total {sum(per_table.values()):.1f}")

        one = rate["LocalCluster, 1 worker"]
        efficiency = min(1.0, rate["LocalCluster, 2 workers"] / (2 * one))
        merge_h = MONTH / merge_rate / 3600
        print(f"\nsimulated: one CC-NEWS month, {MONTH / 1e6:.0f} M records; a worker does {one:.1f} records/s "
              f"(1-worker cluster), {efficiency:.0%} of it per worker when there are more (measured 1 -> 2);")
        print(f"the merge, one writer, does {merge_rate:,.0f} articles/s = {merge_h:.1f} h a month whatever the workers; "
              f"the month's archive is {MONTH * sum(per_table.values()) / 1024 / 1024:,.0f} GB")
        print(f"{'workers':>8}{'import h':>10}{'merge h':>9}{'total h':>9}  limit")
        for workers in (8, 32, 128):
            import_h = MONTH / (workers * one * efficiency) / 3600
            print(f"{workers:>8}{import_h:>10.1f}{merge_h:>9.1f}{import_h + merge_h:>9.1f}  "
                  f"{'the merge' if merge_h > import_h else 'the import'}")


if __name__ == "__main__":
    main()
