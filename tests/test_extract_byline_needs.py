"""The byline queries skipped when a simpler one finds nothing: each can match only where that
one does, so the skip never changes the names (bylines._NEEDS)."""

from __future__ import annotations

import pytest
from selectolax.lexbor import LexborHTMLParser

from scraper.extract.authors import author_names
from scraper.extract.bylines import _NEEDS, SELECTORS, visible_authors

_LISTED = {selector for selector, _ in SELECTORS}

# A page where each gated selector matches, with its match's text.
_PAGES = {
    '[itemprop="author"] [itemprop="name"]': '<div itemprop="author"><span itemprop="name">Jane Doe</span></div>',
    '[class*="author-name"]': '<span class="post-author-name">Jane Doe</span>',
    '[class*="byline"] a': '<p class="article-byline">By <a href="/jane">Jane Doe</a></p>',
    '[class*="author"] a[href*="author"]': '<p class="authors">By <a href="/authors/jane">Jane Doe</a></p>',
    'a[href*="/author/"], a[href*="/autor/"], a[href*="/auteur/"]': '<a href="/autor/jane-doe">Jane Doe</a>',
}


def test_every_gate_names_selectors_of_the_list() -> None:
    # A misspelt prerequisite would find nothing and silence the selector it gates.
    assert set(_NEEDS) <= _LISTED
    # ... except the one gate asked only as a gate (its page below shows it matches).
    assert set(_NEEDS.values()) - _LISTED == {'a[href*="/aut"]'}
    assert set(_PAGES) == set(_NEEDS)


@pytest.mark.parametrize("selector", sorted(_NEEDS))
def test_a_match_of_the_gated_selector_is_a_match_of_its_prerequisite(selector: str) -> None:
    tree = LexborHTMLParser(f"<html><body>{_PAGES[selector]}</body></html>")
    assert tree.css(selector)
    assert tree.css(_NEEDS[selector])


@pytest.mark.parametrize("selector", sorted(_NEEDS))
def test_the_gated_selector_still_finds_its_name(selector: str) -> None:
    tree = LexborHTMLParser(f"<html><body><h1>A headline here</h1>{_PAGES[selector]}</body></html>")
    assert visible_authors(tree, tree.css_first("h1"), author_names) == ["Jane Doe"]

