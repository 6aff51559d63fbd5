"""Whose page it is and in what language: the site's name, the canonical URL, the language code."""

from __future__ import annotations

from typing import Any
from urllib.parse import urljoin, urlsplit

from selectolax.lexbor import LexborHTMLParser, LexborNode


def site_label(name: str | None) -> str | None:
    """The site's name as people read it: some sites put their URL in og:site_name."""
    if not name or not name.strip():
        return None
    name = name.strip()
    if name.lower().startswith(("http://", "https://", "//")):
        host = urlsplit(name if not name.startswith("//") else "https:" + name).hostname or ""
        return host.removeprefix("www.") or None
    return name


def canonical_url(node: LexborNode | None, meta: dict[str, str], url: str | None) -> str | None:
    """`node`: the page's first <link rel="canonical" href>."""
    href = node.attributes.get("href") if node is not None else None
    return absolute(href or meta.get("og:url"), url)


def page_language(tree: LexborHTMLParser, meta: dict[str, str], art: dict[str, Any]) -> str | None:
    html = tree.css_first("html")
    lang = (html.attributes.get("lang") if html else None) or meta.get("content-language") or meta.get("og:locale")
    if not lang and isinstance(art.get("inLanguage"), str):
        lang = art["inLanguage"]
    return language_code(lang)


def language_code(tag: str | None) -> str | None:
    """The ISO 639 code of a language tag: "en" from "en-US", "en_GB" or "EN"; None for junk.

    The region says where, not what language: keeping it would split one language into many
    values (en, en-US, en-GB) wherever records are grouped or filtered by language.
    """
    primary = (tag or "").strip().replace("_", "-").partition("-")[0].lower()
    return primary if 2 <= len(primary) <= 3 and primary.isascii() and primary.isalpha() else None


def absolute(href: str | None, base: str | None) -> str | None:
    if not href or not href.strip():
        return None
    href = href.strip()
    if base:
        try:
            return urljoin(base, href)
        except ValueError:
            return href
    return href
