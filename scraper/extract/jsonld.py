"""JSON-LD: the article objects a page declares (NewsArticle and friends), outermost first,
and the plain values read from them (names, the first URL, the articleBody as paragraphs)."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from typing import Any

from selectolax.lexbor import LexborHTMLParser, LexborNode

from scraper.extract.text import normalise

ARTICLE_TYPES = frozenset(
    {
        "article",
        "newsarticle",
        "reportagenewsarticle",
        "analysisnewsarticle",
        "opinionnewsarticle",
        "backgroundnewsarticle",
        "reviewnewsarticle",
        "blogposting",
        "socialmediaposting",
        "liveblogposting",
        "report",
        "scholarlyarticle",
        "techarticle",
        "webpage",
        "medicalwebpage",
        "creativework",
        "posting",
    }
)
# Types that wrap an article rather than being one: ranked after the real articles.
_WRAPPER_TYPES = frozenset({"webpage", "medicalwebpage", "creativework"})
MAX_JSONLD_CHARS = 500_000
_MAX_OBJECTS = 5000


def read_jsonld(scripts: list[LexborNode]) -> list[dict[str, Any]]:
    """Every JSON-LD object of an article-like type in the page's <script type="application/ld+json">
    elements, real articles before page wrappers, with their author and publisher references resolved."""
    objects: list[dict[str, Any]] = []
    by_id: dict[str, dict[str, Any]] = {}
    for node in scripts:
        raw = node.text(deep=True) or ""
        if not raw.strip() or len(raw) > MAX_JSONLD_CHARS:
            continue
        try:
            data = json.loads(raw.strip().rstrip(";"))
        except (ValueError, RecursionError):
            data = _salvage(raw)
        for obj in _walk(data):
            if _types(obj.get("@type")) & ARTICLE_TYPES:
                objects.append(obj)
            if isinstance(obj.get("@id"), str) and "name" in obj:
                by_id.setdefault(obj["@id"], obj)
    objects.sort(key=lambda o: _type_rank(o.get("@type")))
    return [_resolved(obj, by_id) for obj in objects] if by_id else objects


def _resolved(obj: dict[str, Any], by_id: dict[str, dict[str, Any]]) -> dict[str, Any]:
    """Yoast and other @graph writers name the author once, as a Person elsewhere in the graph,
    and point to it by "@id": put the named object in place of the pointer."""
    copy = dict(obj)
    for key in ("author", "publisher"):
        value = obj.get(key)
        items = value if isinstance(value, list) else [value]
        resolved = [_target(i, by_id) for i in items]
        if any(r is not i for r, i in zip(resolved, items, strict=True)):
            copy[key] = resolved if isinstance(value, list) else resolved[0]
    return copy


def _target(item: Any, by_id: dict[str, dict[str, Any]]) -> Any:
    if isinstance(item, dict) and "name" not in item and isinstance(item.get("@id"), str):
        return by_id.get(item["@id"], item)
    return item


# Broken JSON (an unescaped quote in a headline is common): the few fields worth reading,
# each a plain string value, found by pattern, as trafilatura does.
_SALVAGE_TYPE = re.compile(r'"@type"\s*:\s*"([A-Za-z]*Article|BlogPosting|Report)"')
_SALVAGE_AUTHOR = re.compile(r'"author"\s*:\s*(\[[^\]]{0,2000}\]|\{[^{}]{0,1000}\})')
_SALVAGE_NAME = re.compile(r'"name"\s*:\s*"([^"]{1,100})"')
_SALVAGE_DATES = re.compile(r'"(datePublished|dateModified)"\s*:\s*"([^"]{1,40})"')


def _salvage(raw: str) -> dict[str, Any] | None:
    kind = _SALVAGE_TYPE.search(raw)
    if kind is None:
        return None
    found: dict[str, Any] = {"@type": kind.group(1)}
    author = _SALVAGE_AUTHOR.search(raw)
    if author:
        found["author"] = [{"name": name} for name in _SALVAGE_NAME.findall(author.group(1))]
    for key, value in _SALVAGE_DATES.findall(raw):
        found.setdefault(key, value)
    return found


def _types(value: Any) -> set[str]:
    names = value if isinstance(value, list) else [value]
    return {t.lower() for t in names if isinstance(t, str)}


def _type_rank(value: Any) -> int:
    lowered = _types(value)
    return 1 if lowered & _WRAPPER_TYPES and not lowered & (ARTICLE_TYPES - {"webpage"}) else 0


def _walk(data: Any) -> Iterator[dict[str, Any]]:
    """Depth-first over nested JSON without recursion (pages nest @graph arbitrarily deep)."""
    stack = [data]
    seen = 0
    while stack and seen < _MAX_OBJECTS:
        item = stack.pop()
        seen += 1
        if isinstance(item, dict):
            yield item
            stack.extend(reversed([v for v in item.values() if isinstance(v, (dict, list))]))
        elif isinstance(item, list):
            stack.extend(reversed(item))


def ld_names(value: Any) -> list[str]:
    """Names from a JSON-LD person or organisation value (str, dict, or a list of either)."""
    items = value if isinstance(value, list) else [value]
    names: list[str] = []
    for item in items[:20]:
        name = item.get("name") if isinstance(item, dict) else item
        if isinstance(name, list):
            name = name[0] if name else None
        if isinstance(name, str):
            clean = normalise(name)
            if clean and not clean.startswith("http") and len(clean) < 100:
                names.append(clean)
    return names


def first_str(value: Any) -> str | None:
    """The first URL (or name) of a value that may be a string, a list or an ImageObject."""
    if isinstance(value, list):
        value = value[0] if value else None
    if isinstance(value, dict):
        value = value.get("url") or value.get("@id") or value.get("name")
    return normalise(value) if isinstance(value, str) and value.strip() else None


def publisher(ld: list[dict[str, Any]]) -> str | None:
    for obj in ld:
        value = obj.get("publisher")
        names = ld_names(value) if value else []
        if names:
            return names[0]
    return None


def article_body(ld: list[dict[str, Any]]) -> str:
    """The first articleBody, tags stripped, as paragraphs: a fallback when the markup lacks the text."""
    for obj in ld:
        raw = obj.get("articleBody")
        if isinstance(raw, str) and raw.strip():
            return _plain_paragraphs(raw)
    return ""


def _plain_paragraphs(raw: str) -> str:
    """Some sites put HTML in articleBody, most plain text with newlines."""
    raw = raw[:MAX_JSONLD_CHARS]
    if "<" in raw and ">" in raw:
        fragment = LexborHTMLParser(raw)
        blocks = [normalise(n.text()) for n in fragment.css("p, h2, h3, h4, li, blockquote")]
        text = "\n\n".join(b for b in blocks if b)
        if text:
            return text
        raw = fragment.text(separator="\n")
    return "\n\n".join(p for p in (normalise(line) for line in raw.splitlines()) if p)
