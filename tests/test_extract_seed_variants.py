"""The seed article in other markup: another theme's class names, and no class names at all.

The clean record must not depend on the names in the seed fixture: the same text in other
clothes gives the same body, quote and related links.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from scraper.extract import extract

SEED = Path(os.environ.get("SCRAPER_SEED_DIR", "/work/shared/seed")) / "expected.json"
URL = "https://news.example.com/2017/11/21/iran-declares-victory-over-isis/"


@pytest.fixture(scope="module")
def expected() -> dict:
    assert SEED.exists(), f"seed ground truth missing: {SEED}"
    return json.loads(SEED.read_text(encoding="utf-8"))


def paragraphs_html(expected: dict) -> str:
    return "".join(f"<p>{p}</p>" for p in expected["body"].split("\n\n"))


def other_theme(expected: dict) -> str:
    return f"""<!DOCTYPE html><html lang="en"><head><meta charset="utf-8">
<title>{expected["title"]} - World News Daily</title>
<meta property="og:title" content="{expected["title"]}"></head>
<body class="wp-singular jnews">
<div class="jeg_header"><div class="jeg_nav_row"><a href="/">World News Daily</a>
<ul class="jeg_menu"><li><a href="/world">World</a></li><li><a href="/politics">Politics</a></li></ul></div></div>
<div class="jeg_main"><div class="jeg_inner_content">
<div class="jeg_post_category"><span>in <a href="/world">World</a></span></div>
<h1 class="jeg_post_title">{expected["title"]}</h1>
<div class="jeg_meta_container"><div class="jeg_meta_author">by <a href="/author/x">Staff</a></div></div>
<div class="heateor_sss_sharing_container"><a href="https://www.facebook.com/sharer.php">Facebook</a> <a href="https://twitter.com/intent/tweet">Twitter</a></div>
<div class="td-post-content tagdiv-type">
{paragraphs_html(expected).replace("<p>Today, Syrian", '<div class="code-block code-block-2"><p>ADVERTISEMENT</p></div><p>Today, Syrian')}
<p><strong>WINNERS: <a href="/2017/11/21/winners-bashar-al-assad-meets-vladimir-putin-in-russia/">Bashar al-Assad meets Vladimir Putin in Russia</a></strong></p>
<div class="code-block code-block-7"><p style="text-align:center"><strong>Help us grow. Support The Duran on Patreon!</strong></p></div>
<p><em>The statements, views and opinions expressed in this column are solely those of the author and do not necessarily represent those of The Duran.</em></p>
</div>
<div class="kk-star-ratings"><div class="kksr-legend">What do you think?</div><div class="kksr-score">31 Points</div><span>Upvote</span> <span>Downvote</span></div>
<div class="jp-relatedposts"><h3 class="jp-relatedposts-headline">Related</h3></div>
<div class="jeg_prevnext_post">
<a href="/2017/11/21/breaking-robert-mugabe-resigns/" class="post prev-post"><span class="caption">Previous Post</span><h3 class="post-title">BREAKING: Robert Mugabe resigns as President of Zimbabwe</h3></a>
<a href="/2017/11/22/putin-trump-phone-call/" class="post next-post"><span class="caption">Next Post</span><h3 class="post-title">Vladimir Putin and Donald Trump hold phone conversation on eve of major summit on Syria</h3></a>
</div>
<div id="comments" class="comments-area"><div class="wpd-form-head"><span>Notify of</span></div>
<div class="wpd-thread-info">Inline Feedbacks</div><div class="wpd-load-more">View all comments</div></div>
</div></div>
<div class="jeg_footer"><p>© 2017 World News Daily</p></div></body></html>"""


def no_classes(expected: dict) -> str:
    return f"""<html><head><meta charset="utf-8"><title>{expected["title"]} | World News Daily</title></head>
<body>
<div><a href="/">World News Daily</a> <a href="/world">World</a> <a href="/politics">Politics</a> <a href="/about">About</a></div>
<div>
<div>in <a href="/world">World</a>,</div>
<h1>{expected["title"]}</h1>
<div>
{paragraphs_html(expected)}
<p><strong>WINNERS: <a href="/2017/11/21/winners-bashar-al-assad-meets-vladimir-putin-in-russia/">Bashar al-Assad meets Vladimir Putin in Russia</a></strong></p>
<div><p><strong>Help us grow. Support The Duran on Patreon!</strong></p><p><a href="https://www.patreon.com/x"><img src="/patreon.png"></a></p></div>
<p><em>The statements, views and opinions expressed in this column are solely those of the author and do not necessarily represent those of The Duran.</em></p>
</div>
<div><h3>What do you think?</h3><div>31 Points</div><div><span>Upvote</span> <span>Downvote</span></div></div>
<div><div>Notify of</div><div>Inline Feedbacks</div><div>View all comments</div></div>
<div><a rel="prev" href="/2017/11/21/breaking-robert-mugabe-resigns/">BREAKING: Robert Mugabe resigns as President of Zimbabwe</a></div>
<div><a rel="next" href="/2017/11/22/putin-trump-phone-call/">Vladimir Putin and Donald Trump hold phone conversation on eve of major summit on Syria</a></div>
</div>
<div><p>© 2017 World News Daily. All rights reserved.</p></div>
</body></html>"""


@pytest.mark.parametrize("build", [other_theme, no_classes], ids=["other-theme", "no-classes"])
def test_same_record_in_other_markup(build, expected: dict) -> None:
    article = extract(build(expected), URL)
    assert article.title == expected["title"]
    assert article.body.split("\n\n") == expected["body"].split("\n\n")
    for phrase in expected["must_not_contain"]:
        assert phrase not in article.body, phrase
    required = [q for q in expected["quotes"] if q["required"]]
    found = {q.text: q.speaker for q in article.quotes}
    for quote in required:
        assert found.get(quote["text"]) == quote["speaker"]
    assert [link.text for link in article.related_links] == [r["text"] for r in expected["related_links"]]
    assert all(link.url.startswith("https://news.example.com/2017/") for link in article.related_links)
