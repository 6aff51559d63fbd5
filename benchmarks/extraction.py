"""Our extractor against trafilatura (default and favor_precision) and readability-lxml, on
both dev corpora, in one run.

    python benchmarks/extraction.py [--only-ours] [--worst K] [--corpus articles-dev|trafeval-dev]

articles-dev is scored as its README says (4-token shingles, per-page normalised counts, means
over pages): P, R, F1. trafeval-dev as its README says (`with` snippets found, `without` snippets
absent, F1 over all snippets). For both: empty bodies, docs/s, how often our second opinion
(the JSON-LD articleBody, or the readability-style scorer when the chosen region is empty or
far shorter than the page's best candidate) replaced the first body, the pages that name an
author (ours, and trafilatura's metadata, read in an untimed pass), and the pages we do worst.

docs/s is extraction only (pages already in memory), interleaved page by page so every
system runs under the same machine load; quote the ratios, not the absolute rates.
"""

from __future__ import annotations

import argparse
import gc
import gzip
import json
import re
import sys
import time
from collections import Counter
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from selectolax.lexbor import LexborHTMLParser

# The two systems are imported where they run, so each RSS child loads only its own.

CORPORA = Path("/work/shared/corpus")
CORPUS_NAMES = ("articles-dev", "trafeval-dev")
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


def run_ours(html: bytes, url: str) -> str:
    from scraper.extract import extract

    return extract(html, url).body


def run_trafilatura(html: bytes, url: str) -> str:
    import trafilatura

    return trafilatura.extract(html, url=url) or ""


def run_trafilatura_precision(html: bytes, url: str) -> str:
    import trafilatura

    return trafilatura.extract(html, url=url, favor_precision=True) or ""


def run_readability(html: bytes, url: str) -> str:
    from readability import Document

    try:
        summary = Document(html.decode("utf-8", "replace"), url=url).summary(html_partial=True)
    except Exception:  # noqa: BLE001 - a peer's failure is an empty body, as for trafilatura
        return ""
    tree = LexborHTMLParser(summary)
    # Block by block, as our bodies and trafilatura's read: one paragraph a line.
    blocks = [" ".join(n.text().split()) for n in tree.css("p, h1, h2, h3, h4, h5, h6, li, pre, td, blockquote")]
    text = "\n".join(b for b in blocks if b)
    return text or " ".join(tree.text().split())


SYSTEMS: list[tuple[str, Callable[[bytes, str], str]]] = [
    ("ours", run_ours),
    ("trafilatura", run_trafilatura),
    ("traf-precision", run_trafilatura_precision),
    ("readability", run_readability),
]


def timed_interleaved(
    systems: list[tuple[str, Callable[[bytes, str], str]]], pages: list[tuple[str, bytes, str]]
) -> tuple[dict[str, dict[str, str]], dict[str, float]]:
    """Run every system on each page in turn, timing each call, so all run under the same load."""
    outputs: dict[str, dict[str, str]] = {name: {} for name, _ in systems}
    spent: dict[str, float] = {name: 0.0 for name, _ in systems}
    for key, html, url in pages:
        for name, fn in systems:
            gc.disable()
            start = time.perf_counter()
            outputs[name][key] = fn(html, url)
            spent[name] += time.perf_counter() - start
            gc.enable()
    return outputs, {name: len(pages) / (spent[name] or 1e-9) for name in spent}


def _normalise(text: str) -> str:
    return " ".join(text.split())


def snippet_counts(body: str, record: dict) -> tuple[int, int, int, int]:
    """(with found, with missed, without present, without absent) for one page."""
    text = _normalise(body)
    found = sum(_normalise(s) in text for s in record["with"])
    present = sum(_normalise(s) in text for s in record["without"])
    return found, len(record["with"]) - found, present, len(record["without"]) - present


def snippet_score(predictions: dict[str, str], records: dict[str, dict]) -> dict[str, float]:
    """trafeval-dev's scoring (its README): over all pages, F1 = 2tp / (2tp + fp + fn)."""
    tp = fn = fp = tn = 0
    for key, record in records.items():
        found, missed, present, absent = snippet_counts(predictions.get(key, ""), record)
        tp, fn, fp, tn = tp + found, fn + missed, fp + present, tn + absent
    return {
        "with_found": tp / (tp + fn) if tp + fn else 1.0,
        "without_absent": tn / (tn + fp) if tn + fp else 1.0,
        "f1": 2 * tp / (2 * tp + fp + fn) if tp else 0.0,
    }


def load_corpus(root: Path) -> tuple[list[tuple[str, bytes, str]], dict[str, dict]]:
    """(pages as (key, html, url), the labels by key) of either corpus."""
    labels_file = root / "snippets.json" if (root / "snippets.json").exists() else root / "ground-truth.json"
    if not labels_file.exists():
        raise SystemExit(f"error: no corpus at {root} (snippets.json or ground-truth.json missing)")
    labels = json.loads(labels_file.read_text(encoding="utf-8"))
    pages = [
        (key, gzip.decompress((root / "html" / f"{key}.html.gz").read_bytes()), record.get("url") or "")
        for key, record in sorted(labels.items())
    ]
    return pages, labels


def fallback_wins(pages: list[tuple[str, bytes, str]]) -> int:
    """Pages whose body came from the second opinion rather than the chosen region."""
    from scraper.extract import extract_traced

    return sum(extract_traced(html, url)[1] != "region" for _, html, url in pages)


def authors_found(pages: list[tuple[str, bytes, str]], peers: bool) -> dict[str, int]:
    """Pages where each system names an author (untimed: trafilatura reads metadata only when asked)."""
    from scraper.extract import extract

    found = {"ours": sum(bool(extract(html, url).authors) for _, html, url in pages)}
    if peers:
        import trafilatura

        documents = (trafilatura.bare_extraction(html, url=url, with_metadata=True) for _, html, url in pages)
        found["trafilatura"] = sum(bool(doc is not None and doc.author) for doc in documents)
    return found


def report(name: str, root: Path, systems: list[tuple[str, Callable[[bytes, str], str]]], worst: int) -> dict:
    pages, labels = load_corpus(root)
    snippets = "with" in next(iter(labels.values()))
    outputs, rates = timed_interleaved(systems, pages)
    rows: dict[str, dict[str, float]] = {}
    for system, _ in systems:
        out = outputs[system]
        if snippets:
            row = snippet_score(out, labels)
        else:
            row = score(out, {k: r["articleBody"] for k, r in labels.items()})
        row["empty"] = sum(not out[k].strip() for k in out)
        row["docs_s"] = rates[system]
        rows[system] = row
    rows["ours"]["fallback"] = fallback_wins(pages)
    for system, count in authors_found(pages, "trafilatura" in rows).items():
        rows[system]["authors"] = count
    metrics = ["with_found", "without_absent", "f1"] if snippets else ["precision", "recall", "f1"]
    print(f"\n{name}: {len(pages)} pages")
    names = [n for n, _ in systems]
    print(f"{'metric':<16}" + "".join(f"{n:>16}" for n in names))
    for metric in [*metrics, "empty", "docs_s", "fallback", "authors"]:
        cells = []
        for n in names:
            value = rows[n].get(metric)
            cells.append("-" if value is None else f"{value:.4f}" if metric in metrics else f"{value:.1f}" if metric == "docs_s" else f"{int(value)}")
        print(f"{metric.replace('_', '-'):<16}" + "".join(f"{c:>16}" for c in cells))
    if "trafilatura" in rows:
        ours, theirs = rows["ours"], rows["trafilatura"]
        print(f"F1 ours - trafilatura: {ours['f1'] - theirs['f1']:+.4f}; speed ours / trafilatura: {ours['docs_s'] / theirs['docs_s']:.2f}x")
        lost = [k for k in outputs["ours"] if not outputs["ours"][k].strip() and outputs["trafilatura"][k].strip()]
        print(f"empty for us where trafilatura finds text: {len(lost)} {' '.join(lost[:10])}")
    ours_out = outputs["ours"]
    if snippets:
        def badness(key: str) -> int:
            _, missed, present, _ = snippet_counts(ours_out[key], labels[key])
            return missed + present

        ranked = sorted(ours_out, key=badness, reverse=True)
        print(f"worst {worst} for us (with missed / without present):")
        for key in ranked[:worst]:
            found, missed, present, absent = snippet_counts(ours_out[key], labels[key])
            print(f"  {missed}/{found + missed} {present}/{present + absent} {key} {labels[key]['url'][:80]}")
    else:
        gold = {k: r["articleBody"] for k, r in labels.items()}
        ranked = sorted(gold, key=lambda k: page_f1(ours_out[k], gold[k]))
        print(f"worst {worst} for us (page F1):")
        for key in ranked[:worst]:
            print(f"  {page_f1(ours_out[key], gold[key]):.3f} {key[:16]} {labels[key]['url'][:80]}")
    return rows


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--corpus-dir", type=Path, default=CORPORA, help="folder holding both corpora")
    parser.add_argument("--corpus", action="append", choices=CORPUS_NAMES, help="only this corpus (repeatable)")
    parser.add_argument("--worst", type=int, default=15, help="list the K pages where we do worst")
    parser.add_argument("--only-ours", action="store_true", help="skip the peers (quick tuning runs)")
    args = parser.parse_args()
    systems = SYSTEMS[:1] if args.only_ours else SYSTEMS
    # Warm-up on our fixtures: first calls pay for imports and lazy setup a crawler has paid.
    warmup = [(p.stem, p.read_bytes(), "https://example.org/" + p.stem) for p in sorted(FIXTURES.glob("*.html"))]
    timed_interleaved(systems, warmup)
    for name in args.corpus or CORPUS_NAMES:
        report(name, args.corpus_dir / name, systems, args.worst)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
