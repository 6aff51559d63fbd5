"""Crawl benchmark: `scrape fetch --from-file` against Scrapy + trafilatura + SQLite.

Serves generated article pages from several loopback hosts (127.0.0.2, 127.0.0.3, ...)
with a fixed latency added to every response, then, in the same run, times:

- ours:   `scrape fetch --from-file URLS --db X --config Y` (fetch, extract in a process
          pool, store with captures);
- scrapy: a Scrapy spider that calls trafilatura.extract in its callback and writes each
          item (article fields plus the zlib-compressed page, like our captures) to SQLite,
          which is what a Python user would otherwise build.

Both get the same per-host and global concurrency, no delay, and obey robots.txt (the
server has one that allows everything). Printed for each: pages/s, CPU seconds (the
client and all its child processes; the server runs in its own process and is not
counted) and peak RSS (summed over the client's process tree, sampled every 20 ms).
Then it checks that every page was stored exactly once.

    python benchmarks/crawl.py                      # 1,200 pages, 6 hosts, 50 ms latency
    python benchmarks/crawl.py --pages 3000 --hosts 8 --per-host 4
"""

from __future__ import annotations

import argparse
import asyncio
import gzip
import json
import multiprocessing
import os
import random
import resource
import shutil
import socket
import sqlite3
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
VENV_BIN = Path(sys.executable).parent

WORDS = (  # noqa: SIM905 - prose reads better than a 100-item list literal
    "the council said on tuesday that its plan for the river district would bring new homes schools and "
    "parks to a part of the city that has waited decades for investment critics argued the budget was "
    "too small while residents asked who would pay for roads bridges and clinics the mayor promised "
    "hearings in spring engineers warned about flooding economists expect prices to rise teachers "
    "welcomed the news farmers in the valley worry about water rights and the national government has "
    "not yet decided whether to fund the railway extension that was first proposed twenty years ago"
).split()


# --- the pages ------------------------------------------------------------------------------

def sentence(rng: random.Random) -> str:
    words = [rng.choice(WORDS) for _ in range(rng.randint(12, 26))]
    return " ".join(words).capitalize() + "."


def article_html(index: int, host: str) -> bytes:
    """A news-site page: navigation, teasers and footer around one article with metadata."""
    rng = random.Random(index)
    title = " ".join(rng.choice(WORDS) for _ in range(7)).title()
    author = rng.choice(["Ana Lima", "Ben Okafor", "Chen Wei", "Dara Novak", "Eli Cohen"])
    day = 1 + index % 28
    paragraphs = "\n".join(
        f"<p>{' '.join(sentence(rng) for _ in range(rng.randint(3, 6)))}</p>" for _ in range(rng.randint(6, 12))
    )
    quote = f'<blockquote><p>"{sentence(rng)}"</p><footer>{author}</footer></blockquote>'
    nav = "".join(f'<li><a href="/section/{w}">{w.title()}</a></li>' for w in WORDS[:12])
    teasers = "".join(
        f'<li><a href="/articles/{(index + k) % 10_000}.html">{sentence(rng)}</a></li>' for k in range(1, 6)
    )
    return f"""<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>{title} | Daily {host}</title>
<meta name="author" content="{author}">
<meta property="og:title" content="{title}">
<meta property="article:published_time" content="2024-03-{day:02d}T08:00:00Z">
<link rel="canonical" href="http://{host}/articles/{index}.html">
<style>body{{font-family:serif}} .nav li{{display:inline}}</style>
<script>window.analytics = {{page: {index}}};</script>
</head><body>
<header><ul class="nav">{nav}</ul><form><input name="q"></form></header>
<main><article>
<h1>{title}</h1>
<p class="byline">By <span class="author">{author}</span>, <time datetime="2024-03-{day:02d}">March {day}, 2024</time></p>
{paragraphs}
{quote}
</article>
<aside class="related"><h2>Read more</h2><ul>{teasers}</ul></aside></main>
<footer><p>Copyright Daily {host}. All rights reserved.</p><a href="/privacy">Privacy</a></footer>
</body></html>""".encode()


# --- the server -----------------------------------------------------------------------------

ROBOTS = b"User-agent: *\nAllow: /\n"


async def serve_forever(hosts: list[str], port: int, pages: dict[str, dict[str, tuple[bytes, bytes]]],
                        latency_s: float, ready: multiprocessing.synchronize.Event) -> None:
    async def handle(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        host = writer.get_extra_info("sockname")[0]
        try:
            while True:
                head = await reader.readuntil(b"\r\n\r\n")
                line, *header_lines = head.decode("latin-1").split("\r\n")
                path = line.split(" ")[1]
                headers = {k.strip().lower(): v.strip() for k, _, v in (h.partition(":") for h in header_lines if h)}
                await asyncio.sleep(latency_s)
                extra = ""
                if path == "/robots.txt":
                    status, body, kind = 200, ROBOTS, "text/plain"
                elif path in pages[host]:
                    plain, packed = pages[host][path]
                    status, kind = 200, "text/html; charset=utf-8"
                    if "gzip" in headers.get("accept-encoding", ""):
                        body, extra = packed, "Content-Encoding: gzip\r\nVary: Accept-Encoding\r\n"
                    else:
                        body = plain
                else:
                    status, body, kind = 404, b"not found", "text/plain"
                writer.write(
                    f"HTTP/1.1 {status} X\r\nContent-Type: {kind}\r\nContent-Length: {len(body)}\r\n{extra}\r\n".encode()
                    + body
                )
                await writer.drain()
                if headers.get("connection", "").lower() == "close":
                    break
        except (asyncio.IncompleteReadError, ConnectionError, asyncio.LimitOverrunError):
            pass
        finally:
            writer.close()

    servers = [await asyncio.start_server(handle, host, port, backlog=1024) for host in hosts]
    ready.set()
    await asyncio.gather(*(s.serve_forever() for s in servers))


def server_main(hosts: list[str], port: int, count: int, latency_s: float,
                ready: multiprocessing.synchronize.Event) -> None:
    pages: dict[str, dict[str, tuple[bytes, bytes]]] = {h: {} for h in hosts}
    for i in range(count):
        host = hosts[i % len(hosts)]
        html = article_html(i, host)
        pages[host][f"/articles/{i}.html"] = (html, gzip.compress(html, 6))
    asyncio.run(serve_forever(hosts, port, pages, latency_s, ready))


def free_port(hosts: list[str]) -> int:
    while True:
        with socket.socket() as probe:
            probe.bind((hosts[0], 0))
            port = probe.getsockname()[1]
        try:
            for host in hosts:
                with socket.socket() as s:
                    s.bind((host, port))
            return port
        except OSError:
            continue


# --- measuring a client ---------------------------------------------------------------------

def tree_rss_bytes(root: int) -> int:
    """Resident memory of a process and all its descendants, from /proc."""
    children: dict[int, list[int]] = {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            stat = Path(f"/proc/{entry}/stat").read_text()
        except OSError:
            continue
        ppid = int(stat.rsplit(")", 1)[1].split()[1])
        children.setdefault(ppid, []).append(int(entry))
    total, stack = 0, [root]
    page = os.sysconf("SC_PAGE_SIZE")
    while stack:
        pid = stack.pop()
        try:
            total += int(Path(f"/proc/{pid}/statm").read_text().split()[1]) * page
        except (OSError, IndexError, ValueError):
            pass
        stack.extend(children.get(pid, []))
    return total


@dataclass
class Measured:
    name: str
    seconds: float
    cpu_s: float
    peak_rss: int
    exit_code: int


def measure(name: str, command: list[str], log: Path) -> Measured:
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.monotonic()
    with log.open("wb") as out:
        process = subprocess.Popen(command, stdout=out, stderr=subprocess.STDOUT, cwd=ROOT)
        peak = 0
        done = threading.Event()

        def sample() -> None:
            nonlocal peak
            while not done.is_set():
                peak = max(peak, tree_rss_bytes(process.pid))
                done.wait(0.02)

        sampler = threading.Thread(target=sample, daemon=True)
        sampler.start()
        code = process.wait()
        done.set()
        sampler.join()
    seconds = time.monotonic() - started
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return Measured(name, seconds, cpu, peak, code)


# --- the Scrapy baseline --------------------------------------------------------------------

def scrapy_worker(urls_file: str, db_path: str, per_host: int, concurrency: int) -> None:
    """Run in its own process: Scrapy + trafilatura.extract + one SQLite row per page."""
    import zlib

    import scrapy
    import trafilatura
    from scrapy.crawler import CrawlerProcess

    urls = [u.strip() for u in Path(urls_file).read_text().splitlines() if u.strip()]

    class ArticleSpider(scrapy.Spider):
        name = "articles"

        async def start(self):  # type: ignore[no-untyped-def]
            for url in urls:
                yield scrapy.Request(url, callback=self.parse)

        def parse(self, response):  # type: ignore[no-untyped-def]
            extracted = trafilatura.extract(response.text, url=response.url, output_format="json", with_metadata=True)
            data = json.loads(extracted) if extracted else {}
            yield {
                "url": response.url,
                "status": response.status,
                "title": data.get("title") or "",
                "author": data.get("author"),
                "date": data.get("date"),
                "body": data.get("text") or "",
                "html": zlib.compress(response.body),
            }

    class SQLitePipeline:
        def open_spider(self, spider=None):  # type: ignore[no-untyped-def]
            self.db = sqlite3.connect(db_path)
            self.db.execute("CREATE TABLE IF NOT EXISTS articles (url TEXT PRIMARY KEY, status INTEGER, title TEXT, "
                            "author TEXT, date TEXT, body TEXT, html BLOB)")

        def process_item(self, item, spider=None):  # type: ignore[no-untyped-def]
            with self.db:  # one transaction per page, as our store does
                self.db.execute("INSERT INTO articles VALUES (:url, :status, :title, :author, :date, :body, :html)", item)
            return item

        def close_spider(self, spider=None):  # type: ignore[no-untyped-def]
            self.db.close()

    module = sys.modules[__name__]
    module.SQLitePipeline = SQLitePipeline  # type: ignore[attr-defined]
    process = CrawlerProcess({
        "CONCURRENT_REQUESTS": concurrency,
        "CONCURRENT_REQUESTS_PER_DOMAIN": per_host,
        "DOWNLOAD_DELAY": 0,
        "RANDOMIZE_DOWNLOAD_DELAY": False,
        "ROBOTSTXT_OBEY": True,
        "AUTOTHROTTLE_ENABLED": False,
        "TELNETCONSOLE_ENABLED": False,
        "LOG_LEVEL": "WARNING",
        "USER_AGENT": "scrapy-benchmark (+loopback)",
        "ITEM_PIPELINES": {f"{__name__}.SQLitePipeline": 100},
    })
    process.crawl(ArticleSpider)
    process.start()


# --- our Fetcher alone, to see what fetching costs without extraction and storage --------------

def fetcher_worker(urls_file: str, per_host: int, concurrency: int) -> None:
    from scraper.config import FetchSettings
    from scraper.errors import FetchError
    from scraper.fetch import Fetcher

    urls = [u.strip() for u in Path(urls_file).read_text().splitlines() if u.strip()]
    settings = FetchSettings(per_host_delay_s=0.0, per_host_concurrency=per_host, concurrency=concurrency)

    async def run() -> int:
        queue: asyncio.Queue[str] = asyncio.Queue()
        for url in urls:
            queue.put_nowait(url)
        fetched = 0
        async with Fetcher(settings) as fetcher:
            async def worker() -> None:
                nonlocal fetched
                while not queue.empty():
                    url = queue.get_nowait()
                    try:
                        page = await fetcher.fetch(url)
                        fetched += page.is_html
                    except FetchError as exc:
                        print(f"failed: {exc}")
            await asyncio.gather(*(worker() for _ in range(concurrency)))
        return fetched

    fetched = asyncio.run(run())
    print(f"fetched {fetched} HTML pages of {len(urls)}")
    sys.exit(0 if fetched == len(urls) else 1)


# --- checks and the report ------------------------------------------------------------------

def check_ours(db: Path, urls: list[str]) -> str:
    con = sqlite3.connect(db)
    try:
        articles = dict(con.execute("SELECT url, count(*) FROM articles GROUP BY url").fetchall())
        captures = dict(con.execute("SELECT url, count(*) FROM captures GROUP BY url").fetchall())
    finally:
        con.close()
    return verdict(urls, articles, "articles") + "; " + verdict(urls, captures, "captures")


def check_scrapy(db: Path, urls: list[str]) -> str:
    con = sqlite3.connect(db)
    try:
        rows = dict(con.execute("SELECT url, count(*) FROM articles GROUP BY url").fetchall())
    finally:
        con.close()
    return verdict(urls, rows, "articles")


def verdict(urls: list[str], counts: dict[str, int], table: str) -> str:
    missing = [u for u in urls if u not in counts]
    doubled = [u for u, n in counts.items() if n > 1]
    extra = [u for u in counts if u not in set(urls)]
    if not missing and not doubled and not extra:
        return f"{table}: all {len(urls)} stored once"
    return f"{table}: {len(missing)} missing, {len(doubled)} stored twice, {len(extra)} unexpected (e.g. {(missing + doubled + extra)[:2]})"


def keep_best(best: dict[str, tuple[Measured, str]], m: Measured, check: str) -> None:
    """Keep the fastest run of each client; a run that lost pages is kept whatever its speed."""
    previous = best.get(m.name)
    failed = m.exit_code != 0 or "missing" in check or "twice" in check
    better = previous is None or failed or m.seconds < previous[0].seconds
    if better and (previous is None or "missing" not in previous[1]):
        best[m.name] = (m, check)


def report_line(m: Measured, pages: int) -> str:
    return (f"{m.name:<18} {pages / m.seconds:8.1f} pages/s  {m.seconds:7.2f} s wall  {m.cpu_s:7.2f} s CPU  "
            f"{m.peak_rss / 1e6:7.1f} MB peak RSS  exit {m.exit_code}")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--pages", type=int, default=1200)
    parser.add_argument("--hosts", type=int, default=6, help="loopback hosts 127.0.0.2 .. 127.0.0.N+1")
    parser.add_argument("--latency-ms", type=float, default=50.0)
    parser.add_argument("--per-host", type=int, default=4, help="requests in flight per host, both clients")
    parser.add_argument("--concurrency", type=int, default=32, help="requests in flight overall, both clients")
    parser.add_argument("--only", choices=["ours", "scrapy"], help="run one client")
    parser.add_argument("--repeat", type=int, default=1, help="runs per client, the fastest reported")
    parser.add_argument("--keep", type=Path, help="keep databases and logs in this folder")
    parser.add_argument("--fetcher", action="store_true",
                        help="also time our Fetcher alone (no extraction, no storage)")
    parser.add_argument("--fetcher-worker", nargs=3, metavar=("URLS", "PER_HOST", "CONCURRENCY"),
                        help=argparse.SUPPRESS)
    parser.add_argument("--scrapy-worker", nargs=4, metavar=("URLS", "DB", "PER_HOST", "CONCURRENCY"),
                        help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.fetcher_worker:
        urls_file, per_host, concurrency = args.fetcher_worker
        fetcher_worker(urls_file, int(per_host), int(concurrency))
        return 0
    if args.scrapy_worker:
        urls_file, db, per_host, concurrency = args.scrapy_worker
        scrapy_worker(urls_file, db, int(per_host), int(concurrency))
        return 0

    hosts = [f"127.0.0.{2 + i}" for i in range(args.hosts)]
    port = free_port(hosts)
    ready = multiprocessing.get_context("fork").Event()
    server = multiprocessing.get_context("fork").Process(
        target=server_main, args=(hosts, port, args.pages, args.latency_ms / 1000, ready), daemon=True)
    server.start()
    if not ready.wait(60):
        print("server did not start", file=sys.stderr)
        return 2
    work = Path(tempfile.mkdtemp(prefix="crawl-bench-")) if args.keep is None else args.keep
    work.mkdir(parents=True, exist_ok=True)
    urls = [f"http://{hosts[i % len(hosts)]}:{port}/articles/{i}.html" for i in range(args.pages)]
    urls_file = work / "urls.txt"
    urls_file.write_text("\n".join(urls) + "\n")
    config = work / "config.toml"
    config.write_text(
        "[fetch]\n"
        f"concurrency = {args.concurrency}\nper_host_concurrency = {args.per_host}\nper_host_delay_s = 0.0\n"
        "respect_robots = true\n"
    )
    print(f"{args.pages} pages on {len(hosts)} hosts ({hosts[0]}..{hosts[-1]}:{port}), "
          f"{args.latency_ms:g} ms latency, per-host concurrency {args.per_host}, global {args.concurrency}, "
          f"{os.cpu_count()} CPUs, load average {os.getloadavg()[0]:.2f}")
    best: dict[str, tuple[Measured, str]] = {}
    try:
        for round_ in range(args.repeat):
            if args.only in (None, "ours"):
                db = work / f"ours-{round_}.db"
                m = measure("scrape fetch", [str(VENV_BIN / "scrape"), "fetch", "--from-file", str(urls_file),
                                             "--db", str(db), "--config", str(config)], work / f"ours-{round_}.log")
                keep_best(best, m, check_ours(db, urls))
            if args.fetcher:
                m = measure("Fetcher alone", [sys.executable, __file__, "--fetcher-worker", str(urls_file),
                                              str(args.per_host), str(args.concurrency)], work / f"fetcher-{round_}.log")
                keep_best(best, m, (work / f"fetcher-{round_}.log").read_text().strip().splitlines()[-1])
            if args.only in (None, "scrapy"):
                db = work / f"scrapy-{round_}.db"
                m = measure("scrapy+trafilatura", [sys.executable, __file__, "--scrapy-worker", str(urls_file), str(db),
                                                   str(args.per_host), str(args.concurrency)], work / f"scrapy-{round_}.log")
                keep_best(best, m, check_scrapy(db, urls))
    finally:
        server.terminate()
        server.join()
    results = list(best.values())
    if args.repeat > 1:
        print(f"best of {args.repeat} runs each")
    for m, check in results:
        print(report_line(m, args.pages))
        print(f"{'':<18} {check}")
    if "scrape fetch" in best and "scrapy+trafilatura" in best:
        ours, theirs = best["scrape fetch"][0], best["scrapy+trafilatura"][0]
        print(f"speed-up: {theirs.seconds / ours.seconds:.2f}x pages/s, "
              f"CPU per page {ours.cpu_s / args.pages * 1000:.1f} ms vs {theirs.cpu_s / args.pages * 1000:.1f} ms")
    print(f"load average at the end: {os.getloadavg()[0]:.2f} (other work on the machine slows both clients)")
    if args.keep is None and all(m.exit_code == 0 for m, _ in results):
        shutil.rmtree(work)
    else:
        print(f"logs and databases: {work}")
    return 0 if all(m.exit_code == 0 and "missing" not in c and "twice" not in c for m, c in results) else 1


if __name__ == "__main__":
    sys.exit(main())
