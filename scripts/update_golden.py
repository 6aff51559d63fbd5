"""Regenerate the golden records beside the fixture pages, deliberately.

    /work/venv/bin/python scripts/update_golden.py [NAME ...] [--url NAME=URL ...]

For each fixtures/<name>.html (all, or the names given) this runs extract() on the page's
bytes and writes fixtures/<name>.json: the expected record the golden tests compare with.
The URL passed to extract() is the "url" already in the .json; for a new fixture it is
taken from --url, else from the page's canonical link. Review `git diff fixtures/` before
committing: a changed snapshot is a changed behaviour.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from selectolax.lexbor import LexborHTMLParser

from scraper.extract import extract

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures"


def page_url(html: bytes) -> str | None:
    tree = LexborHTMLParser(html, encoding=True)
    node = tree.css_first('link[rel="canonical"][href]') or tree.css_first('meta[property="og:url"][content]')
    if node is None:
        return None
    return node.attributes.get("href") or node.attributes.get("content")


def snapshot(html_path: Path, url: str | None) -> dict:
    json_path = html_path.with_suffix(".json")
    html = html_path.read_bytes()
    if url is None and json_path.exists():
        url = json.loads(json_path.read_text(encoding="utf-8")).get("url")
    if url is None:
        url = page_url(html)
    if url is None:
        raise SystemExit(f"{html_path.name}: no URL known; pass --url {html_path.stem}=https://...")
    record = extract(html, url).to_dict()
    record.pop("body_markdown")  # snapshotted in the .md beside the .json
    return record


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("names", nargs="*", help="fixture names (file stem); default: all")
    parser.add_argument("--url", action="append", default=[], help="NAME=URL for a fixture without one")
    args = parser.parse_args()
    urls = dict(item.split("=", 1) for item in args.url)
    pages = sorted(FIXTURES.glob("*.html"))
    if args.names:
        pages = [p for p in pages if p.stem in args.names]
    for html_path in pages:
        record = snapshot(html_path, urls.get(html_path.stem))
        json_path = html_path.with_suffix(".json")
        text = json.dumps(record, ensure_ascii=False, indent=2, sort_keys=False) + "\n"
        old = json_path.read_text(encoding="utf-8") if json_path.exists() else None
        json_path.write_text(text, encoding="utf-8")
        print(f"{'unchanged' if old == text else 'written  '} {json_path.relative_to(FIXTURES.parent)}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
