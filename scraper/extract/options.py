"""What the extractor believes, as numbers: every threshold the steps weigh, named in one place.

The word lists and patterns live in selectors.py; this is their numeric twin (as trafilatura
keeps its settings.cfg beside its xpaths.py). One frozen `Options` is passed to each step, so a
reader sees the whole belief at once and a test can vary one value.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Options:
    # clean.py: a <noscript> holding more than this share of the page's text is the page
    # (an element opened inside it and never closed); smaller ones are dropped.
    noscript_page_share: float = 0.5
    # clean.py: a widget-named element is a hint, weighed against the share of the page's own
    # (non-link) text it holds. Past these shares it is more likely the article in an unlucky
    # wrapper ("entry share", "widget Blog", "has-paywall") than a widget.
    named_share: float = 0.5  # names that say "widget" firmly (share, sidebar, footer, nav, ...)
    named_share_hinted: float = 0.2  # ... when the names, or the tag, also say "article"
    comment_share: float = 0.6  # comment threads can outweigh the article: a higher bar
    named_paragraphs: int = 3  # fewer <p> than this: judged by text share alone
    named_paragraph_share: float = 0.4  # share of the page's <p> that keeps a named element
    named_paragraph_share_hinted: float = 0.25
    # Weak names (teaser, caption, meta, widget, ad, paywall, print, ...) describe article parts
    # as often as widgets: they remove only link lists.
    weak_link_density: float = 0.35
    # <nav>, <footer>, <aside>, <form>, <header>, <menu>: furniture unless they hold the article.
    structural_paragraphs: int = 4
    structural_text_share: float = 0.2
    structural_paragraph_share: float = 0.5
    # An article <header> (it holds the headline) keeps its standfirst unless it is a link box.
    header_link_density: float = 0.3
    # A hidden element (hidden, aria-hidden, display:none) holding this much of the page's text
    # is a page revealed by script, not a modal.
    hidden_share: float = 0.6
    # region.py: the best container widens to an ancestor that holds this much more paragraph
    # text, whose text is at least this share paragraphs and at most this share link text.
    widen_min_gain: float = 0.6
    widen_min_prose_share: float = 0.6
    widen_max_link_density: float = 0.15
    widen_max_steps: int = 4
    # lead.py: the standfirst above the region. Blocks walked back from the region's first one;
    # link-heavy blocks are skipped, and a long one (a link list) ends the search.
    lead_max_blocks: int = 10
    lead_max_link_ratio: float = 0.3
    lead_link_list_chars: int = 80
    lead_min_chars: int = 30
    # A sub-heading this long is a paragraph set in heading type (a standfirst, a section summary),
    # not a headline or a one-line dek.
    lead_heading_min_chars: int = 120
    # Prose that does not end like a sentence counts when it is this long.
    lead_unpunctuated_chars: int = 80
    lead_unpunctuated_words: int = 10
    # With no headline in reach: other text this long between ends the run above the region,
    # and the lead must meet the region within this many ancestors.
    lead_break_chars: int = 40
    lead_max_hops: int = 4
    # body.py: this many lines closing the text, each shorter than this and not ending like a
    # sentence, half of them linked, are a teaser list.
    teaser_tail_min: int = 3
    teaser_tail_chars: int = 200
    # __init__.py: a body shorter than this gets a second opinion (the page scored again with
    # no class-name rules); the second body wins when it is this many times longer and longer
    # by at least this much.
    fallback_min_chars: int = 200
    fallback_ratio: float = 3.0
    fallback_min_gain: int = 400
    # scripted.py: with an empty body, text from the page's JSON data: documents (and prose
    # strings) shorter than this are skipped; at most this many documents are read.
    scripted_min_chars: int = 150
    scripted_max_sources: int = 50
    # The publisher's JSON-LD articleBody replaces a body shorter than this share of it.
    ld_body_min: int = 400
    ld_body_ratio: float = 0.3
    # Bounds for hostile pages (100,000 nested or classed elements).
    max_named: int = 20_000
    max_doomed: int = 5_000


DEFAULT = Options()
