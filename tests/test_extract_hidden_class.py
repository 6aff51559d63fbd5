"""The hiding-class query of clean.py runs only where named_nodes saw a class that may hide."""

from __future__ import annotations

import pytest
from selectolax.lexbor import LexborHTMLParser

from scraper.extract.classify import MAY_HIDE, class_flags, class_marks
from scraper.extract.clean import clean, named_nodes
from scraper.extract.options import Options

STORY = "".join(f"<p>Paragraph {i} of the story, told at some length so that it outweighs the rest.</p>" for i in range(6))


@pytest.mark.parametrize("classes", ["hidden", "Is-Hidden md:x", "D-NONE", "u-hidden", "x d-none-ish", "caf\u00e9"])
def test_classes_that_may_hide_are_marked(classes: str) -> None:
    assert class_marks(classes) == class_flags(classes) | MAY_HIDE


@pytest.mark.parametrize("classes", ["", "story", "share", "hide", "d-block"])
def test_other_classes_are_not_marked(classes: str) -> None:
    assert class_marks(classes) == class_flags(classes)


def _after_clean(html: str, options: Options) -> str:
    tree = LexborHTMLParser(html)
    root = tree.body
    assert root is not None
    clean(root, named_nodes(root, options), (), options)
    return root.html or ""


@pytest.mark.parametrize("hiding", ["hidden", "HIDDEN", "d-none", "is-hidden"])
def test_a_hidden_class_element_goes(hiding: str) -> None:
    html = f'<html><body><article>{STORY}</article><div class="{hiding}">Secret note</div></body></html>'
    assert "Secret note" not in _after_clean(html, Options())


def test_a_hidden_class_past_the_named_cap_still_goes() -> None:
    # The hiding element is the last of the named ones, past max_named: no mark reaches it.
    filler = '<span class="x">.</span>' * 5
    html = f'<html><body><article>{STORY}</article>{filler}<div class="hidden">Secret note</div></body></html>'
    assert "Secret note" not in _after_clean(html, Options(max_named=3))
    assert "Secret note" in _after_clean(html.replace('class="hidden"', 'class="shown"'), Options(max_named=3))
