"""Our quotations and speakers against a plain regex baseline on the quotes-dev corpus.

    python benchmarks/quotes.py [CORPUS_DIR] [--examples K]

Each article is built as simple HTML (<article><h1>title</h1><p>paragraph</p>...</article>)
and both systems run on that page, interleaved article by article so both see the same machine
load. Scored as the corpus README describes:

- a predicted quote matches a gold quote when their word overlap is at least 0.6 of the longer,
  or one contains the other; each gold quote matches at most once. Quotes under four words and
  quotes found in the title are left out on both sides;
- detection precision (matched / predicted), recall (matched / gold), F1;
- over matched quotes whose gold speaker is `named`: right when the predicted speaker shares a
  word of `speaker_heads` (case-insensitive); the same for `pronoun` quotes with a
  `speaker_name`, separately;
- speaker precision: right speakers / speakers given, over matched quotes with a scoreable gold
  speaker (named, or pronoun with a name); the share of those whose predicted speaker is null.

Then K examples of each remaining error kind of ours. The scoring functions are shared with
tests/test_extract_quotes_corpus.py (the gate).
"""

from __future__ import annotations

import argparse
import html as html_lib
import json
import re
import sys
import time
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from selectolax.lexbor import LexborHTMLParser

DEFAULT_CORPUS = Path("/work/shared/corpus/quotes-dev")
MIN_WORDS = 4
MATCH_OVERLAP = 0.6
_WORD = re.compile(r"\w+")

# (quote text, speaker or None)
Predicted = tuple[str, "str | None"]


def words(text: str) -> list[str]:
    return _WORD.findall((text or "").casefold())


def load(corpus: Path) -> list[dict]:
    path = corpus / "articles.json"
    if not path.exists():
        raise SystemExit(f"error: corpus missing: {path}")
    return json.loads(path.read_text(encoding="utf-8"))


def to_html(article: dict) -> str:
    paragraphs = "".join(f"<p>{html_lib.escape(p, quote=False)}</p>" for p in article["paragraphs"])
    title = html_lib.escape(article["title"], quote=False)
    return f"<html><body><article><h1>{title}</h1>{paragraphs}</article></body></html>"


def matches(predicted: str, gold: str) -> bool:
    a, b = words(predicted), words(gold)
    if not a or not b:
        return False
    overlap = sum((Counter(a) & Counter(b)).values())
    if overlap >= MATCH_OVERLAP * max(len(a), len(b)):
        return True
    sa, sb = " ".join(a), " ".join(b)
    return f" {sa} " in f" {sb} " or f" {sb} " in f" {sa} "


def speaker_right(speaker: str | None, heads: Sequence[str] | None) -> bool:
    if not speaker or not heads:
        return False
    given = set(words(speaker))
    return any(w in given for head in heads for w in words(head))


@dataclass
class Scores:
    predicted: int = 0
    gold: int = 0
    matched: int = 0
    named: int = 0
    named_right: int = 0
    pronoun: int = 0
    pronoun_right: int = 0
    scoreable: int = 0
    given: int = 0
    no_speaker: int = 0
    errors: dict[str, list[str]] = field(default_factory=dict)

    def add_error(self, kind: str, example: str) -> None:
        self.errors.setdefault(kind, []).append(example)

    def summary(self) -> dict[str, float]:
        p = self.matched / self.predicted if self.predicted else 0.0
        r = self.matched / self.gold if self.gold else 0.0
        right = self.named_right + self.pronoun_right
        return {
            "precision": p,
            "recall": r,
            "f1": 2 * p * r / (p + r) if p + r else 0.0,
            "named": self.named_right / self.named if self.named else 0.0,
            "pronoun": self.pronoun_right / self.pronoun if self.pronoun else 0.0,
            "speaker_precision": right / self.given if self.given else 0.0,
            "no_speaker": self.no_speaker / self.scoreable if self.scoreable else 0.0,
        }


def _context(article: dict, gold: dict) -> str:
    paragraph = article["paragraphs"][gold["paragraph"]]
    before = article["paragraphs"][gold["paragraph"] - 1][-120:] if gold["paragraph"] else ""
    return f"[{article['id']}] …{before} ¶ {paragraph[:400]}"


def score_article(article: dict, predicted: list[Predicted], scores: Scores) -> None:
    title = " ".join(words(article["title"]))
    kept = [(t, s) for t, s in predicted if len(words(t)) >= MIN_WORDS and " ".join(words(t)) not in title]
    golds = [q for q in article["quotes"] if len(words(q["text"])) >= MIN_WORDS]
    scores.predicted += len(kept)
    scores.gold += len(golds)
    used: set[int] = set()
    for gold in golds:
        hit = next((i for i, (text, _) in enumerate(kept) if i not in used and matches(text, gold["text"])), None)
        if hit is None:
            scores.add_error("missed", f"{gold['text'][:100]!r} <- {_context(article, gold)}")
            continue
        used.add(hit)
        scores.matched += 1
        speaker = kept[hit][1]
        kind = gold["speaker_kind"]
        if kind == "named" or (kind == "pronoun" and gold["speaker_name"]):
            right = speaker_right(speaker, gold["speaker_heads"])
            scores.scoreable += 1
            scores.given += speaker is not None
            scores.no_speaker += speaker is None
            if kind == "named":
                scores.named += 1
                scores.named_right += right
            else:
                scores.pronoun += 1
                scores.pronoun_right += right
            if not right:
                what = "none" if speaker is None else "wrong"
                scores.add_error(
                    f"{kind}-{what}",
                    f"got {speaker!r} want {gold['speaker_name']!r} ({gold['speaker_mention']!r}, cue "
                    f"{gold['cue']!r}) {gold['text'][:60]!r} <- {_context(article, gold)}",
                )
        elif speaker is not None and kind == "nominal":
            scores.add_error(
                "nominal-given", f"got {speaker!r} for {gold['speaker_mention']!r} <- {_context(article, gold)}"
            )
    for i, (text, speaker) in enumerate(kept):
        if i not in used:
            scores.add_error("spurious", f"{text[:100]!r} ({speaker!r}) [{article['id']}]")


def run_ours(page: str) -> list[Predicted]:
    from scraper.extract import extract

    return [(q.text, q.speaker) for q in extract(page).quotes]


_BASE_QUOTE = re.compile(r"[“\"]([^“”\"]{2,2000}?)[”\"]")
_BASE_AFTER = re.compile(
    r"^[,.]?\s*(?:said|says|told|added|wrote)\s+((?:[A-Z][a-z]+\s?){1,3})|^[,.]?\s*((?:[A-Z][a-z]+\s?){1,3})\s*(?:said|says|told|added|wrote)\b"
)
_BASE_BEFORE = re.compile(r"((?:[A-Z][a-z]+\s?){1,3})\s*(?:said|says|told \w+|added|wrote)[,:]?\s*$")


def run_baseline(page: str) -> list[Predicted]:
    """A plain regex extractor: quote marks, and a capitalised run next to a few verbs."""
    tree = LexborHTMLParser(page)
    found: list[Predicted] = []
    for node in tree.css("article p"):
        text = node.text()
        for match in _BASE_QUOTE.finditer(text):
            speaker = None
            after = _BASE_AFTER.match(text[match.end() : match.end() + 60])
            before = _BASE_BEFORE.search(text[max(0, match.start() - 60) : match.start()])
            if after:
                speaker = (after.group(1) or after.group(2)).strip()
            elif before:
                speaker = before.group(1).strip()
            found.append((match.group(1).strip(" ,"), speaker))
    return found


def evaluate(
    articles: list[dict], systems: dict[str, Callable[[str], list[Predicted]]]
) -> tuple[dict[str, Scores], dict[str, float]]:
    """Score every system, interleaved article by article; also docs/s of each."""
    scores = {name: Scores() for name in systems}
    elapsed = dict.fromkeys(systems, 0.0)
    for article in articles:
        page = to_html(article)
        for name, fn in systems.items():
            start = time.perf_counter()
            predicted = fn(page)
            elapsed[name] += time.perf_counter() - start
            score_article(article, predicted, scores[name])
    rates = {name: len(articles) / seconds if seconds else 0.0 for name, seconds in elapsed.items()}
    return scores, rates


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("corpus", nargs="?", type=Path, default=DEFAULT_CORPUS)
    parser.add_argument("--examples", type=int, default=10, help="examples of each error kind (ours)")
    parser.add_argument("--limit", type=int, default=0, help="only the first N articles")
    args = parser.parse_args()
    articles = load(args.corpus)
    if args.limit:
        articles = articles[: args.limit]
    run_ours(to_html(articles[0]))  # warm-up: imports and memos
    scores, rates = evaluate(articles, {"ours": run_ours, "baseline": run_baseline})
    columns = ["precision", "recall", "f1", "named", "pronoun", "speaker_precision", "no_speaker"]
    print(f"{len(articles)} articles, {scores['ours'].gold} gold quotes")
    print(f"{'':10}" + "".join(f"{c:>18}" for c in [*columns, "docs/s"]))
    for name, s in scores.items():
        summary = s.summary()
        print(f"{name:10}" + "".join(f"{summary[c]:>18.3f}" for c in columns) + f"{rates[name]:>18.1f}")
    ours = scores["ours"]
    print(
        f"\nours: {ours.named} named, {ours.pronoun} pronoun-with-name matched; docs/s ratio ours/baseline "
        f"{rates['ours'] / rates['baseline']:.3f}"
    )
    for kind, examples in sorted(ours.errors.items()):
        print(f"\n## {kind} ({len(examples)})")
        step = max(1, len(examples) // args.examples) if args.examples else 1
        for example in examples[::step][: args.examples]:
            print("  -", example)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
