"""The fourth round's shortcuts give what the plain ways give: links.absolute() joins the common
link shapes without urljoin, and gives what urljoin and urldefrag give."""

from __future__ import annotations

import itertools
import random
from collections.abc import Callable
from urllib.parse import urldefrag, urljoin

import pytest

from scraper.extract import links


def _plain_absolute(href: str, base: str | None) -> str | None:
    """links.absolute() as it was before the shortcut: urljoin for every relative link."""
    href = href.strip()
    if not href or href.startswith(("#", "javascript:", "mailto:", "tel:", "data:")):
        return None
    if href.startswith(("https://", "http://")) and "#" not in href:
        return href
    try:
        return urldefrag(urljoin(base, href) if base else href)[0] or None
    except ValueError:  # (before, urldefrag's error escaped: a page with such a link failed)
        return None


_BASES = [
    None,
    "",
    "https://example.com/news/story.html",
    "https://example.com",
    "http://example.com/a/b/",
    "HTTPS://Example.COM/Path?q=1#frag",
    "https://user:pw@example.com:8080/x;p?y#z",
    "https://[::1]/x",
    "https://[::1/x",
    "https://ex]ample.com/",
    "https://exämple.com/x",
    "https://ｅxample.com/x",
    "https:///nohost/x",
    "https:relative/x",
    "ftp://example.com/x",
    "hard::example.com/x",
    "//example.com/x",
    "/only/a/path",
    "https://example.com/\tx",
    "http://example.com?query",
    "https://example.com#only-fragment",
]
_HREFS = [
    "/",
    "/nfl",
    "/a/b/c.html",
    "/quote?stockTicker=HD",
    "/finance/markets/index?symbol=.DJI",
    "/a?",
    "/a?#",
    "/a?b?c",
    "/a;p",
    "/a;",
    "/a;?x",
    "/a/./b",
    "/a/../b",
    "/..",
    "/.",
    "/.well-known/x",
    "/a//b",
    "//cdn.example.com/x",
    "///x",
    "/a#frag",
    "/a\tb",
    "/a\nb",
    "/a\rb",
    "/a b",
    "/ä/ö?ü=ß",
    "/x:y",
    "/[x]",
    "https://example.com/a#b",
    "https://example.com#b",
    "https://example.com?#b",
    "https://example.com/a?#b",
    "https://example.com/a?x#b",
    "https://example.com/a;p#b",
    "https://example.com/a;#b",
    "https://#b",
    "https:///x#b",
    "https://[::1]/x#b",
    "https://[::1/x#b",
    "https://exämple.com/x#b",
    "https://ｅxample.com/x#b",
    "https://example.com/ä#b",
    "https://example.com/a\tb#c",
    "https://example.com/a#b#c",
    "https://example.com/a#",
    "http://example.com/a/../b#c",
    "http://example.com/./b#c",
    "http://u:p@example.com:80/a#b",
    "http://example.com:bad/a#b",
    "https://example.com/a?q=/./x#y",
    "https://example.com/a?q=#y",
    "a/b",
    "../a",
    "?q=1",
    "#top",
    "javascript:void(0)",
    "whatsapp://send?text=x",
    "%20https://x",
    "  /padded  ",
    "\x01/control",
]


def _outcome(join: Callable[[str, str | None], str | None], href: str, base: str | None) -> object:
    """The URL, or the error either raises."""
    try:
        return join(href, base)
    except ValueError as error:
        return type(error), str(error)


@pytest.mark.parametrize(("href", "base"), list(itertools.product(_HREFS, _BASES)))
def test_absolute_is_urljoin(href: str, base: str | None) -> None:
    assert _outcome(links.absolute, href, base) == _outcome(_plain_absolute, href, base)


def test_absolute_is_urljoin_on_random_links() -> None:
    """Links put together from the pieces the rules turn on, in every order."""
    rng = random.Random(4)
    pieces = ["/", "//", "a", "é", ".", "..", "?", "#", ";", ":", "@", "[", "]", "\t", "\n", " ", "%2e", "x=1", "&"]
    starts = ["/", "https://", "http://", "https://h", "http://h.de", "HTTP://h", "https://ä", ""]
    bases = [b for b in _BASES if b is not None] + ["https://h/a/b", "http://h.de/", "https://h:1/a?b#c"]
    for _ in range(20000):
        href = rng.choice(starts) + "".join(rng.choice(pieces) for _ in range(rng.randint(0, 8)))
        base = rng.choice(bases)
        assert _outcome(links.absolute, href, base) == _outcome(_plain_absolute, href, base), (href, base)
