"""N `scrape fetch` processes writing one archive at once: pages/s per writer and failures.

    python benchmarks/concurrency.py --writers 4 --pages 100

Serves N * PAGES distinct articles from 127.0.0.1, starts N real `scrape fetch` processes on one
SQLite file, and counts per writer the pages stored, the `failed:`/`error:` lines and the exit
code. The target is 0 failures with 4 writers. Quote pages/s only against another writer count
measured in the same run: the machine is shared.
"""

from __future__ import annotations

import argparse
import os
import sqlite3
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tests.crawl_site import Site, article, serve, story

FAST = "[fetch]\nper_host_delay_s = 0.0\nbackoff_s = 0.01\nattempts = 1\nhttp2 = false\n"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--writers", type=int, default=4)
    parser.add_argument("--pages", type=int, default=100, help="pages per writer")
    args = parser.parse_args()
    site = Site()
    with serve(site), tempfile.TemporaryDirectory() as folder:
        tmp = Path(folder)
        (tmp / "fetch.toml").write_text(FAST)
        for w in range(args.writers):
            urls = []
            for n in range(args.pages):
                site.html(f"/w{w}/{n}", article(f"Writer {w} page {n}", story(w * 100_000 + n)))
                urls.append(site.url(f"/w{w}/{n}"))
            (tmp / f"w{w}.txt").write_text("\n".join(urls) + "\n")
        started = time.monotonic()
        procs = [subprocess.Popen([sys.executable, "-m", "scraper", "fetch", "-c", "fetch.toml", "--db", "a.db",
                                   "-f", f"w{w}.txt"], cwd=tmp, text=True, stdout=subprocess.PIPE,
                                  stderr=subprocess.PIPE, env={**os.environ, "PYTHONPATH": str(ROOT)})
                 for w in range(args.writers)]
        failures = 0
        print(f"{'writer':>6} {'exit':>4} {'failed':>6} {'seconds':>8} {'pages/s':>8}")
        for w, proc in enumerate(procs):
            out, err = proc.communicate()
            elapsed = time.monotonic() - started
            failed = sum(1 for line in (out + err).splitlines() if line.startswith(("failed:", "error:")))
            failures += failed + (proc.returncode != 0)
            print(f"{w:>6} {proc.returncode:>4} {failed:>6} {elapsed:>8.1f} {args.pages / elapsed:>8.1f}")
        with sqlite3.connect(tmp / "a.db") as conn:
            stored = conn.execute("SELECT count(*) FROM articles").fetchone()[0]
            check = conn.execute("PRAGMA integrity_check").fetchone()[0]
        print(f"stored {stored} of {args.writers * args.pages}; integrity {check}; failures {failures}")
        return 0 if failures == 0 and stored == args.writers * args.pages and check == "ok" else 1


if __name__ == "__main__":
    raise SystemExit(main())
