"""The article page and the home page on a 10,000-article archive: ours against plain datasette.

Builds the archive with synthetic rows written through the Store (one transaction per batch),
then times each page through datasette's in-process ASGI client, once with the archive's
configuration (metadata, plugin, templates: what `scrape serve` runs) and once as plain
`datasette archive.db` serves the same URLs. Target: under 200 ms for ours. On a shared machine
read the ratio to the peer measured in the same run, not the seconds.

    python benchmarks/browse.py [--articles 10000] [--repeat 20] [--db PATH]
"""

from __future__ import annotations

import argparse
import asyncio
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

from scraper.models import Article, Quote
from scraper.store import Store

WORDS = "archive council budget bridge library river harbour storm election market energy school".split()
SITES = [f"Site {n}" for n in range(40)]
SPEAKERS = [f"Speaker {n}" for n in range(300)]


def build(db: Path, count: int) -> None:
    rng = random.Random(13)
    with Store.open(db) as store:
        batch = 500
        for start in range(0, count, batch):
            with store.db.atomic():
                for n in range(start, min(count, start + batch)):
                    paragraphs = [" ".join(rng.choices(WORDS, k=60)) + "." for _ in range(8)]
                    day = f"20{rng.randint(15, 24)}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}"
                    article = Article(
                        url=f"https://news{n % 40}.example/story/{n}",
                        title=f"Story {n}: the {rng.choice(WORDS)} and the {rng.choice(WORDS)}",
                        body="\n\n".join(paragraphs),
                        body_markdown="## A heading\n\n" + "\n\n".join(paragraphs),
                        authors=(f"Author {n % 500}",),
                        published=f"{day}T09:00:00+00:00",
                        language="en",
                        site_name=SITES[n % len(SITES)],
                        tags=("news", rng.choice(WORDS)),
                        quotes=(Quote(" ".join(rng.choices(WORDS, k=12)), rng.choice(SPEAKERS)),),
                    )
                    store.save_article(article, url=article.url or "", seen=f"2026-01-01T00:{n // 600 % 60:02d}:{n % 60:02d}+00:00")


async def timings(db: Path, configured: bool, paths: list[str], repeat: int) -> dict[str, float]:
    from datasette.app import Datasette

    from scraper import datasette as browse
    from scraper.serve import metadata_for

    if configured:
        ds = Datasette([str(db)], metadata=metadata_for(db.stem), plugins_dir=str(browse.PLUGINS),
                       template_dir=str(browse.TEMPLATES), static_mounts=[(browse.STATIC_MOUNT, str(browse.STATIC))])
    else:
        ds = Datasette([str(db)])
    await ds.invoke_startup()
    found: dict[str, float] = {}
    for path in paths:
        response = await ds.client.get(path)  # warm: the first request compiles templates
        assert response.status_code == 200, (path, response.status_code)
        seconds = []
        for _ in range(repeat):
            start = time.perf_counter()
            await ds.client.get(path)
            seconds.append(time.perf_counter() - start)
        found[path] = statistics.median(seconds)
    return found


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=10_000)
    parser.add_argument("--repeat", type=int, default=20)
    parser.add_argument("--db", type=Path, help="reuse or build the archive here")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        db = args.db or Path(tmp) / "archive.db"
        if not db.exists():
            started = time.perf_counter()
            build(db, args.articles)
            print(f"built {args.articles:,} articles in {time.perf_counter() - started:.1f} s", file=sys.stderr)
        name = db.stem
        paths = {"home": f"/{name}", "article": f"/{name}/articles/{args.articles // 2}"}
        ours = asyncio.run(timings(db, True, list(paths.values()), args.repeat))
        plain = asyncio.run(timings(db, False, list(paths.values()), args.repeat))
    print(f"{'page':<10}{'ours ms':>10}{'plain ms':>10}{'ratio':>8}")
    for label, path in paths.items():
        print(f"{label:<10}{ours[path] * 1000:>10.1f}{plain[path] * 1000:>10.1f}{ours[path] / plain[path]:>8.2f}")
    slow = [label for label, path in paths.items() if ours[path] > 0.2]
    if slow:
        print(f"over 200 ms: {', '.join(slow)}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
