"""Titles: the headline, without the site's name, its sections, a fandom's wiki name or heading marks."""

from __future__ import annotations

import pytest

from scraper.extract import extract
from scraper.extract.titles import site_keys, strip_site

BODY = "<p>" + "The council met on Tuesday evening and voted to keep the library open late all summer. " * 3 + "</p>"


def _page(title: str, head: str = "", h1: str = "") -> str:
    return f"<html><head><title>{title}</title>{head}</head><body><article>{h1}{BODY}</article></body></html>"


@pytest.mark.parametrize(
    ("title", "site", "url", "headline"),
    [
        (
            "Luke Skywalker | Wookieepedia | Fandom",
            "Wookieepedia",
            "https://starwars.fandom.com/wiki/Luke",
            "Luke Skywalker",
        ),
        ("Jean Grey | Marvel Database | Fandom", None, "https://marvel.fandom.com/wiki/Jean_Grey", "Jean Grey"),
        ("Budget passes | Politics | Daily Bugle", "Daily Bugle", None, "Budget passes"),
        ("energieverbraucher.de | Gaspreise", None, "https://www.energieverbraucher.de/de/preise", "Gaspreise"),
        (
            "Initiative EnergieEffizienz - kostenloser Stromcheck | Ökologisch Bauen",
            None,
            "https://www.oekologisch-bauen.info/haustechnik/",
            "Initiative EnergieEffizienz - kostenloser Stromcheck",
        ),
        (
            "News - Site Update - Leseprobe Band 14 / Kapitel 121 - Love Hina",
            None,
            "http://love-hina.ch/news/0409.html",
            "Leseprobe Band 14 / Kapitel 121",
        ),
        (
            "Star Wars Jedi: Fallen Order review – shoots for the moon, lands among the stars | VG247",
            "VG247",
            None,
            "Star Wars Jedi: Fallen Order review – shoots for the moon, lands among the stars",
        ),
        ("Advertising on Jodel | Übersicht", None, "https://advertising.jodel.com/", "Advertising on Jodel"),
    ],
)
def test_site_and_sections_come_off(title: str, site: str | None, url: str | None, headline: str) -> None:
    assert strip_site(title, site, site_keys(site, url)) == headline


def test_host_keys_are_the_sites_name_not_its_subdomains() -> None:
    assert site_keys(None, "https://advertising.jodel.com/x") == {"jodel", "advertisingjodelcom"}
    assert "bbc" in site_keys(None, "https://www.bbc.co.uk/news/1")


def test_an_agreeing_h1_keeps_its_dashes_but_loses_a_site_suffix() -> None:
    page = _page(
        "Hating Millennials - the prejudice you may boast about - Boing Boing",
        h1="<h1>Hating Millennials - the prejudice you may boast about</h1>",
    )
    assert (
        extract(page, "https://boingboing.net/2013/07/19/x.html").title
        == "Hating Millennials - the prejudice you may boast about"
    )
    page = _page(
        "EU-Taxonomie: Erdgas ist nicht nachhaltig | Umweltbundesamt",
        h1="<h1>EU-Taxonomie: Erdgas ist nicht nachhaltig | Umweltbundesamt</h1>",
    )
    assert extract(page, "https://www.umweltbundesamt.de/themen/x").title == "EU-Taxonomie: Erdgas ist nicht nachhaltig"


def test_a_logo_h1_that_agrees_with_the_title_loses_to_the_headline_h1() -> None:
    page = _page(
        "Kleine Schafskunde | Mäscot das Schaf – Webcomic",
        h1="<h1>Mäscot das Schaf – Webcomic</h1><h1>Kleine Schafskunde</h1>",
    )
    assert extract(page, "https://www.maescot.de/kleine-schafskunde/").title == "Kleine Schafskunde"


def test_no_pilcrow_in_a_declared_title() -> None:
    page = _page("Installation ¶ - Project docs", '<meta property="og:title" content="Installation¶">')
    assert extract(page).title == "Installation"
