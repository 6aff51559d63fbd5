"""Our extractor against trafilatura (default settings) on the articles-dev corpus.

    /work/venv/bin/python benchmarks/extraction.py [CORPUS_DIR] [--repeat N] [--show-worst K]

Prints, side by side: mean body token precision / recall / F1 and exact-token accuracy, scored
the way the corpus README describes (4-token shingles, per-page normalised counts, means over
pages); title exact-match rate; docs/s (extraction only, one process, pages already in memory, both systems warmed up on the
fixture pages first, then interleaved page by page so both run under the same machine load;
each corpus page is extracted once by default);
peak memory two ways: the Python heap (tracemalloc, in a separate pass so it does not slow the
timing) and the peak RSS of a fresh process extracting every page (counts C allocations:
lexbor, lxml), with its growth over the RSS after imports.

Title ground truth: the corpus has none, so the reference is the page's own consensus: an <h1>
(not the og:site_name logo) whose text equals the og:title / twitter:title / JSON-LD headline,
or is a prefix or suffix of <title>; the longest if several agree. Pages with no such consensus
are left out of the title rate (the count is shown). Our extractor uses similar evidence, so
this rate flatters it: read it as "agrees with the page's own declared headline".
"""

from __future__ import annotations

import argparse
import gc
import gzip
import json
import re
import sys
import time
import tracemalloc
from collections import Counter
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from selectolax.lexbor import LexborHTMLParser

# The two systems are imported where they run, so each RSS child loads only its own.

DEFAULT_CORPUS = Path("/work/shared/corpus/articles-dev")
FIXTURES = Path(__file__).resolve().parent.parent / "fixtures"
_WORD = re.compile(r"\w+")


def tokens(text: str) -> list[str]:
    return _WORD.findall(text or "")


def shingles(toks: list[str], n: int = 4) -> Counter[tuple[str, ...]]:
    if len(toks) < n:
        return Counter([tuple(toks)]) if toks else Counter()
    return Counter(tuple(toks[i : i + n]) for i in range(len(toks) - n + 1))


def page_counts(predicted: str, truth: str) -> tuple[float, float, float]:
    """(tp, fp, fn) of 4-token shingles, divided by their sum (README steps 1-3)."""
    pred, gold = shingles(tokens(predicted)), shingles(tokens(truth))
    tp = sum((pred & gold).values())
    fp = sum(pred.values()) - tp
    fn = sum(gold.values()) - tp
    total = tp + fp + fn
    if total == 0:
        return 0.0, 0.0, 0.0
    return tp / total, fp / total, fn / total


def score(predictions: dict[str, str], truth: dict[str, str]) -> dict[str, float]:
    precisions, recalls, exact = [], [], 0
    for key, gold in truth.items():
        predicted = predictions.get(key, "")
        tp, fp, fn = page_counts(predicted, gold)
        if tp + fp > 0:
            precisions.append(tp / (tp + fp) if fp else 1.0)
        if tp + fn > 0:
            recalls.append(tp / (tp + fn) if fn else 1.0)
        exact += tokens(predicted) == tokens(gold)
    p = sum(precisions) / len(precisions) if precisions else 0.0
    r = sum(recalls) / len(recalls) if recalls else 0.0
    f1 = 2 * p * r / (p + r) if p + r else 0.0
    return {"precision": p, "recall": r, "f1": f1, "accuracy": exact / len(truth)}


def page_f1(predicted: str, gold: str) -> float:
    tp, fp, fn = page_counts(predicted, gold)
    p = tp / (tp + fp) if tp + fp else 0.0
    r = tp / (tp + fn) if tp + fn else 0.0
    return 2 * p * r / (p + r) if p + r else 0.0


def _squash(text: str) -> str:
    return " ".join(re.sub(r"[^\w\s]", " ", text).split()).casefold()


def reference_title(html: str) -> str | None:
    tree = LexborHTMLParser(html)
    declared = []
    for selector, attr in (('meta[property="og:title"]', "content"), ('meta[name="twitter:title"]', "content")):
        node = tree.css_first(selector)
        if node is not None and node.attributes.get(attr):
            declared.append(_squash(node.attributes[attr] or ""))
    for node in tree.css('script[type="application/ld+json"]'):
        match = re.search(r'"headline"\s*:\s*"((?:[^"\\]|\\.)*)"', node.text() or "")
        if match:
            try:
                declared.append(_squash(json.loads(f'"{match.group(1)}"')))
            except ValueError:
                pass
    title_node = tree.css_first("title")
    doc_title = _squash(title_node.text()) if title_node is not None else ""
    site = tree.css_first('meta[property="og:site_name"]')
    site_name = _squash(site.attributes.get("content") or "") if site is not None else ""
    agreeing = []
    for h1 in tree.css("h1"):
        text = " ".join(h1.text().split())
        key = _squash(text)
        if not key or key == site_name:
            continue  # a logo in an <h1>
        if key in declared or (doc_title and (doc_title.startswith(key) or doc_title.endswith(key))):
            agreeing.append(text)
    # Several agree when one is the site's logo ("India Post" ends "<headline> - India Post"):
    # the headline is the longer.
    return max(agreeing, key=len) if agreeing else None


def run_ours(html: bytes, url: str) -> tuple[str, str]:
    from scraper.extract import extract

    article = extract(html, url)
    return article.body, article.title


def run_trafilatura(html: bytes, url: str) -> tuple[str, str]:
    import trafilatura

    return trafilatura.extract(html, url=url) or "", ""


def trafilatura_title(html: bytes) -> str:
    import trafilatura

    meta = trafilatura.extract_metadata(html)
    return (meta.title or "") if meta is not None else ""


def timed_interleaved(
    systems: list[tuple[str, Callable[[bytes, str], tuple[str, str]]]], pages: list[tuple[str, bytes, str]], repeat: int
) -> tuple[dict[str, dict[str, tuple[str, str]]], dict[str, float]]:
    """Run every system on each page in turn, timing each call. Interleaving puts all systems
    under the same machine load (the benchmark host is shared), so the docs/s ratio is fair
    even when the absolute rates drift. Each page's fastest of `repeat` passes counts."""
    outputs: dict[str, dict[str, tuple[str, str]]] = {name: {} for name, _ in systems}
    best: dict[str, dict[str, float]] = {name: {} for name, _ in systems}
    for _ in range(repeat):
        for key, html, url in pages:
            for name, fn in systems:
                gc.disable()
                start = time.perf_counter()
                outputs[name][key] = fn(html, url)
                elapsed = time.perf_counter() - start
                gc.enable()
                previous = best[name].get(key)
                best[name][key] = elapsed if previous is None else min(previous, elapsed)
    rates = {name: len(pages) / sum(times.values()) for name, times in best.items()}
    return outputs, rates


def peak_memory(fn: Callable[[bytes, str], tuple[str, str]], pages: list[tuple[str, bytes, str]]) -> float:
    gc.collect()
    tracemalloc.start()
    for _, html, url in pages:
        fn(html, url)
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return peak / 1e6


def _high_water_mb() -> float:
    """This process's peak resident set (VmHWM). ru_maxrss would not do: Linux carries it
    across exec, so a spawned child would report its parent's peak."""
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    import resource

    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _rss_child(name: str, corpus: str, queue) -> None:  # pragma: no cover - runs in a child process
    truth = json.loads((Path(corpus) / "ground-truth.json").read_text(encoding="utf-8"))
    fn = run_ours if name == "ours" else run_trafilatura
    fn(b"<html><body><p>warm-up: imports the system's library</p></body></html>", "https://example.org/")
    before = _high_water_mb()
    for key, record in sorted(truth.items()):
        fn(gzip.decompress((Path(corpus) / "html" / f"{key}.html.gz").read_bytes()), record.get("url") or "")
    queue.put((before, _high_water_mb()))


def peak_rss(name: str, corpus: Path) -> tuple[float, float]:
    """(max RSS after imports, max RSS after extracting every page) in MB, measured in a fresh
    process: unlike tracemalloc this counts C allocations (lexbor, lxml) too."""
    import multiprocessing

    context = multiprocessing.get_context("spawn")
    queue = context.Queue()
    process = context.Process(target=_rss_child, args=(name, str(corpus), queue))
    process.start()
    result = queue.get(timeout=600)
    process.join()
    return result


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("corpus", nargs="?", type=Path, default=DEFAULT_CORPUS)
    parser.add_argument(
        "--repeat",
        type=int,
        default=1,
        help="timing passes; each page's fastest counts (1 = every page seen once, as in a crawl; "
        "more passes favour extractors that cache per-document work)",
    )
    parser.add_argument("--show-worst", type=int, default=0, help="list the K pages where we score lowest")
    parser.add_argument("--only-ours", action="store_true", help="skip trafilatura (quick tuning runs)")
    args = parser.parse_args()

    truth_file = args.corpus / "ground-truth.json"
    if not truth_file.exists():
        print(f"error: no corpus at {args.corpus} (ground-truth.json missing)", file=sys.stderr)
        return 2
    truth = json.loads(truth_file.read_text(encoding="utf-8"))
    pages = []
    for key, record in sorted(truth.items()):
        html = gzip.decompress((args.corpus / "html" / f"{key}.html.gz").read_bytes())
        pages.append((key, html, record.get("url") or ""))
    gold = {key: record["articleBody"] for key, record in truth.items()}
    titles = {key: reference_title(html.decode("utf-8", "replace")) for key, html, _ in pages}
    with_title = {k: t for k, t in titles.items() if t}

    systems = [("ours", run_ours)] + ([] if args.only_ours else [("trafilatura", run_trafilatura)])
    # Warm both up on pages outside the corpus (our fixtures): first calls pay for imports,
    # regex compilation and lazy setup that a running crawler has already paid.
    warmup = [(p.stem, p.read_bytes(), "https://example.org/" + p.stem) for p in sorted(FIXTURES.glob("*.html"))]
    timed_interleaved(systems, warmup, 1)
    outputs, rates = timed_interleaved(systems, pages, args.repeat)
    results = {}
    for name, fn in systems:
        out = outputs[name]
        if name == "trafilatura":
            out = {key: (out[key][0], trafilatura_title(html)) for key, html, _ in pages}
        scores = score({k: v[0] for k, v in out.items()}, gold)
        title_hits = sum(" ".join(out[k][1].split()) == t for k, t in with_title.items())
        scores["title"] = title_hits / len(with_title) if with_title else 0.0
        scores["docs_s"] = rates[name]
        scores["peak_mb"] = peak_memory(fn, pages)
        base_rss, peak = peak_rss(name, args.corpus)
        scores["rss_mb"] = peak
        scores["rss_growth_mb"] = peak - base_rss
        results[name] = (scores, out)

    print(f"corpus: {args.corpus} ({len(pages)} pages; {len(with_title)} with an h1/metadata title consensus)")
    names = [n for n, _ in systems]
    print(f"{'metric':<22}" + "".join(f"{n:>14}" for n in names))
    for metric, fmt in (
        ("precision", "{:.4f}"),
        ("recall", "{:.4f}"),
        ("f1", "{:.4f}"),
        ("accuracy", "{:.4f}"),
        ("title", "{:.4f}"),
        ("docs_s", "{:.1f}"),
        ("peak_mb", "{:.1f}"),
        ("rss_mb", "{:.1f}"),
        ("rss_growth_mb", "{:.1f}"),
    ):
        label = {
            "title": "title exact-match",
            "docs_s": "docs/s",
            "peak_mb": "peak Python heap (MB)",
            "rss_mb": "peak RSS (MB)",
            "rss_growth_mb": "RSS growth (MB)",
        }.get(metric, metric)
        print(f"{label:<22}" + "".join(f"{fmt.format(results[n][0][metric]):>14}" for n in names))
    if "trafilatura" in results:
        ours, theirs = results["ours"][0], results["trafilatura"][0]
        print(f"F1 margin (ours - trafilatura): {ours['f1'] - theirs['f1']:+.4f}  (target >= +0.01)")
        print(f"speed ratio (ours / trafilatura): {ours['docs_s'] / theirs['docs_s']:.2f}x  (target >= 3.0x)")
    if args.show_worst:
        out = results["ours"][1]
        ranked = sorted(gold, key=lambda k: page_f1(out[k][0], gold[k]))
        for key in ranked[: args.show_worst]:
            tp, fp, fn = page_counts(out[key][0], gold[key])
            print(
                f"  {page_f1(out[key][0], gold[key]):.3f} tp={tp:.2f} fp={fp:.2f} fn={fn:.2f} {key[:12]} {truth[key]['url'][:90]}"
            )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
