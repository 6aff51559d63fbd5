"""In-body links and related links: teasers, read-more boxes, see-also headings, prev/next."""

from __future__ import annotations

from scraper.extract import extract

URL = "https://paper.example/news/2024/harbour-plan"
P = "<p>The harbour board approved the new plan on Monday after months of public hearings in the town hall.</p>"


def texts(links) -> list[str]:
    return [link.text for link in links]


def test_inline_links_stay_in_body_and_in_links() -> None:
    html = f'<html><body><article>{P}<p>The plan follows <a href="/news/2023/survey">last year\'s survey</a> of boat owners, which found strong support.</p>{P}</article></body></html>'
    article = extract(html, URL)
    assert "last year's survey of boat owners" in article.body
    assert [(l.url, l.text) for l in article.links] == [
        ("https://paper.example/news/2023/survey", "last year's survey")
    ]
    assert article.related_links == ()


def test_read_more_teaser_leaves_body_and_loses_its_label() -> None:
    html = (
        f"<html><body><article>{P}"
        '<p><strong>Read more:</strong> <a href="/news/2024/harbour-fees">Harbour fees to rise for the first time in a decade</a></p>'
        f"{P}</article></body></html>"
    )
    article = extract(html, URL)
    assert "Harbour fees" not in article.body and "Read more" not in article.body
    assert [(l.url, l.text) for l in article.related_links] == [
        ("https://paper.example/news/2024/harbour-fees", "Harbour fees to rise for the first time in a decade")
    ]


def test_editorial_label_is_kept_in_teaser_text() -> None:
    html = f'<html><body><article>{P}<p>EXCLUSIVE: <a href="/x/ferry-deal">Inside the secret ferry deal that saved the port</a></p>{P}</article></body></html>'
    article = extract(html, URL)
    assert texts(article.related_links) == ["EXCLUSIVE: Inside the secret ferry deal that saved the port"]


def test_see_also_heading_box() -> None:
    html = (
        f"<html><body><article>{P * 3}</article>"
        '<div><h3>See also</h3><ul><li><a href="/a">Fishermen protest new quota system in the bay</a></li>'
        '<li><a href="/b">Lighthouse restoration finished ahead of schedule</a></li></ul></div>'
        '<div><h3>Popular</h3><ul><li><a href="/c">Celebrity chef opens a new harbour restaurant</a></li></ul></div>'
        "</body></html>"
    )
    article = extract(html, URL)
    assert texts(article.related_links) == [
        "Fishermen protest new quota system in the bay",
        "Lighthouse restoration finished ahead of schedule",
    ]
    assert "Fishermen" not in article.body


def test_rel_prev_next_without_classes() -> None:
    html = (
        f"<html><body><article>{P * 3}</article>"
        '<div><a rel="prev" href="/news/2024/older">Older: Council delays vote on the harbour plan</a> '
        '<a rel="next" href="/news/2024/newer">Harbour plan faces legal challenge from residents</a></div></body></html>'
    )
    article = extract(html, URL)
    assert texts(article.related_links) == [
        "Council delays vote on the harbour plan",  # the "Older:" label is UI, not title
        "Harbour plan faces legal challenge from residents",
    ]


def test_buttons_are_not_related_links() -> None:
    html = (
        f"<html><body><article>{P * 3}</article><div class='related-posts'>"
        '<a href="https://wa.me/?text=x">Share this on WhatsApp</a> <a href="/all">View all (23)</a>'
        '<a href="/subscribe">Click here to subscribe now</a>'
        '<a href="/news/2024/dredging">Dredging work to start in the outer harbour next month</a></div></body></html>'
    )
    article = extract(html, URL)
    assert texts(article.related_links) == ["Dredging work to start in the outer harbour next month"]


def test_related_links_are_absolute_and_unique() -> None:
    html = (
        f"<html><body><article>{P * 3}</article><div class='related'>"
        + '<a href="../2024/x#comments">The harbour master retires after forty years</a>' * 3
        + "</div></body></html>"
    )
    article = extract(html, URL)
    assert [(l.url, l.text) for l in article.related_links] == [
        ("https://paper.example/news/2024/x", "The harbour master retires after forty years")
    ]
