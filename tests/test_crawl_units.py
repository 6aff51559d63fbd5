"""The crawl's pure parts: URL normalisation, feed/sitemap parsing and its guards, config, lock, output."""

from __future__ import annotations

import gzip
import io
from pathlib import Path

import pytest
from rich.console import Console

from scraper import config
from scraper.crawl.lock import ArchiveLock, Locked
from scraper.crawl.progress import PlainReporter, Plan, RichReporter
from scraper.crawl.run import parse_duration
from scraper.crawl.sources import NotAFeed, inflate, page_links, parse_feed, parse_sitemap
from scraper.crawl.urls import Rules, normal_url
from scraper.errors import ConfigError
from scraper.summary import Tally


@pytest.mark.parametrize(
    ("url", "base", "expected"),
    [
        ("HTTPS://WWW.Example.COM:443/a/../b/?utm_source=x&b=2&a=1&fbclid=3#frag", None, "https://www.example.com/b/?a=1&b=2"),
        ("../c?gclid=1&id=5#x", "http://Ex.com/a/b/", "http://ex.com/a/c?id=5"),
        ("/p?mc_cid=1&q=1", "http://ex.com/", "http://ex.com/p?q=1"),
        ("//cdn.ex.com/x", "https://ex.com/", "https://cdn.ex.com/x"),
        ("mailto:desk@ex.com", "https://ex.com/", None),
        ("javascript:void(0)", "https://ex.com/", None),
        ("http://[::1", None, None),
        ("   ", None, None),
    ],
)
def test_normal_url(url: str, base: str | None, expected: str | None) -> None:
    assert normal_url(url, base) == expected


def test_rules() -> None:
    rules = Rules.make([r"/20\d\d/"], [r"/calendar/"], [r"/20\d\d/\d\d/"], ["https://www.ex.com/"])
    assert rules.same_site("http://ex.com/a") and not rules.same_site("https://other.com/a")
    assert rules.wanted("https://ex.com/2024/01/x") and not rules.wanted("https://ex.com/about")
    assert not rules.wanted("https://ex.com/2024/calendar/1") and not rules.wanted("https://ex.com/2024/a.pdf")
    assert rules.is_article("https://ex.com/2024/01/x") and not rules.is_article("https://ex.com/2024/")


def test_atom_and_rdf_feeds() -> None:
    atom = b"""<feed xmlns="http://www.w3.org/2005/Atom"><entry><title>A</title>
    <link rel="self" href="https://ex.com/self"/><link href="https://ex.com/a"/><updated>2024-02-01T10:00:00+01:00</updated>
    </entry><entry><title>No link</title></entry></feed>"""
    found = parse_feed(atom)
    assert [(e.url, e.modified) for e in found.pages] == [("https://ex.com/a", "2024-02-01T09:00:00+00:00")]
    assert found.warnings == ["entry 2 ('No link') has no link; skipped"]
    rdf = b"""<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" xmlns="http://purl.org/rss/1.0/">
    <item><link>https://ex.com/r</link></item></rdf:RDF>"""
    assert [e.url for e in parse_feed(rdf).pages] == ["https://ex.com/r"]


def test_not_a_feed() -> None:
    with pytest.raises(NotAFeed, match="root element <html>"):
        parse_feed(b"<html><body><p>hello</p></body></html>")
    with pytest.raises(NotAFeed, match="not a valid feed"):
        parse_feed(b"")


def test_entity_bomb_is_not_expanded() -> None:
    bomb = b"""<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "aaaaaaaaaa">
    <!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;"><!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;">
    <!ENTITY d "&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;"><!ENTITY e "&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;">]>
    <urlset><url><loc>&e;</loc></url><url><loc>https://ex.com/ok</loc></url></urlset>"""
    found = parse_sitemap(bomb)
    assert [e.url for e in found.pages] == ["https://ex.com/ok"]
    assert "declares its own entities (a possible entity bomb)" in found.warnings[0]
    assert "url entry 1 has no usable <loc>" in found.warnings[1]


def billion_laughs(root: str) -> bytes:
    """Nine levels of ten: 10^9 'lol's if expanded, beyond libxml2's own amplification limit."""
    levels = '<!ENTITY l0 "lol">' + "".join(f'<!ENTITY l{i} "{f"&l{i - 1};" * 10}">' for i in range(1, 10))
    return f'<?xml version="1.0"?><!DOCTYPE lolz [{levels}]>{root}'.encode()


def test_billion_laughs_keeps_the_entries_around_the_bomb() -> None:
    feed = parse_feed(billion_laughs("<rss><channel><item><link>https://ex.com/a</link></item>"
                                     "<item><title>&l9;</title><link>https://ex.com/b</link></item>"
                                     "<item><link>https://ex.com/c</link></item></channel></rss>"))
    assert [e.url for e in feed.pages] == ["https://ex.com/a", "https://ex.com/b", "https://ex.com/c"]
    assert feed.warnings == ["the feed declares its own entities (a possible entity bomb); they were not expanded"]
    sitemap = parse_sitemap(billion_laughs("<urlset><url><loc>https://ex.com/a</loc></url><url><loc>&l9;</loc></url>"
                                           "<url><loc>https://ex.com/c</loc></url></urlset>"))
    assert [e.url for e in sitemap.pages] == ["https://ex.com/a", "https://ex.com/c"]
    assert "possible entity bomb" in sitemap.warnings[0]


def test_external_entities_are_not_read(tmp_path: Path) -> None:
    secret = tmp_path / "secret.txt"
    secret.write_text("https://ex.com/secret")
    xxe = f"""<?xml version="1.0"?><!DOCTYPE x [<!ENTITY s SYSTEM "file://{secret}">]>
    <urlset><url><loc>&s;</loc></url></urlset>""".encode()
    assert parse_sitemap(xxe).pages == []


def test_gzip_bomb_is_capped() -> None:
    with pytest.raises(NotAFeed, match="larger than"):
        inflate(gzip.compress(b"<" * 2_000_000), limit=1_000_000)
    assert inflate(gzip.compress(b"<urlset/>")) == b"<urlset/>"
    with pytest.raises(NotAFeed, match="broken gzip"):
        inflate(b"\x1f\x8b\x08\x00garbage")


def test_sitemap_index_and_news_dates() -> None:
    index = parse_sitemap(b"""<sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">
    <sitemap><loc>https://ex.com/s1.xml.gz</loc><lastmod>2024-03-01</lastmod></sitemap></sitemapindex>""")
    assert [(e.url, e.modified) for e in index.sitemaps] == [("https://ex.com/s1.xml.gz", "2024-03-01T00:00:00+00:00")]
    assert index.pages == []
    with pytest.raises(NotAFeed, match="not a sitemap"):
        parse_sitemap(b"<rss><channel/></rss>")


def test_page_links() -> None:
    html = '<a href="/a">A</a><a href="#top">top</a><a>none</a><a href=" https://ex.com/b ">B</a>'
    assert page_links(html) == ["/a", "https://ex.com/b"]


def test_sources_config_errors() -> None:
    good = {"name": "a", "feeds": ["https://ex.com/feed"]}
    cases = [
        ([{"feeds": ["https://ex.com/f"]}], "name is required"),
        ([good, good], "another source is already called 'a'"),
        ([{**good, "deny": ["("]}], "deny: bad regular expression"),
        ([{**good, "max_depth": -1}], "max_depth: expected a non-negative integer"),
        ([{**good, "fetch": {"timeout": 3}}], "[sources.fetch]: unknown key 'timeout'"),
        ([{**good, "extract": {"body": 3}}], "[sources.extract] body: expected a non-empty string"),
        ([{"name": "b", "start_urls": ["ftp://ex.com/"]}], "is not an absolute http(s) URL"),
        ({"name": "c"}, "sources must be an array of tables"),
        ([good, {"name": "d", "feeds": good["feeds"]}], "https://ex.com/feed is already a URL of source 'a'"),
    ]
    for sources, message in cases:
        with pytest.raises(ConfigError) as info:
            config.parse({"sources": sources}, source="c.toml")
        assert message in str(info.value), str(info.value)
        assert str(info.value).startswith("c.toml: ")


def test_source_fetch_overrides_sit_on_top_of_fetch() -> None:
    settings = config.parse({"fetch": {"attempts": 5}, "sources": [
        {"name": "a", "feeds": ["https://ex.com/f"], "fetch": {"per_host_delay_s": 3}}]})
    fetch = settings.sources[0].fetch
    assert fetch is not None and fetch.attempts == 5 and fetch.per_host_delay_s == 3.0
    assert settings.fetch.per_host_delay_s == config.FetchSettings().per_host_delay_s


def test_example_config_has_a_working_source() -> None:
    from .conftest import ROOT

    settings = config.load(ROOT / "config.toml", required=True)
    assert [s.name for s in settings.sources] == ["example"]
    assert settings.sources[0].feeds and settings.sources[0].sitemaps and settings.sources[0].start_urls


@pytest.mark.parametrize(("text", "seconds"), [("90", 90), ("90s", 90), ("10m", 600), ("1h30m", 5400), ("2d", 172800)])
def test_parse_duration(text: str, seconds: float) -> None:
    assert parse_duration(text) == seconds


@pytest.mark.parametrize("text", ["", "soon", "10x", "m"])
def test_parse_duration_rejects(text: str) -> None:
    with pytest.raises(ConfigError, match="--max-time"):
        parse_duration(text)


def test_lock_is_exclusive_and_released(tmp_path: Path) -> None:
    db = tmp_path / "a.db"
    with ArchiveLock(db, "crawl"):
        with pytest.raises(Locked) as info:
            ArchiveLock(db, "reextract").acquire()
        assert str(info.value).startswith("another crawl is running (pid ")
    with ArchiveLock(db, "reextract"):
        pass  # free again


def test_reporters() -> None:
    out, err = io.StringIO(), io.StringIO()
    plain = PlainReporter(quiet=False, out=out, err=err)
    plain.start({"a": Plan(1, 10, Tally())})
    plain.event("a", "stored", "https://ex.com/1", "Title")
    plain.event("a", "failed", "https://ex.com/2", "HTTP 500")
    plain.warning("a", "entry 3 has no link")
    assert "stored: a: https://ex.com/1 — Title" in out.getvalue()
    assert "failed: a: https://ex.com/2: HTTP 500" in err.getvalue() and "warning: a:" in err.getvalue()
    quiet_out, quiet_err = io.StringIO(), io.StringIO()
    quiet = PlainReporter(quiet=True, out=quiet_out, err=quiet_err)
    quiet.event("a", "stored", "https://ex.com/1", "Title")
    quiet.warning("a", "x")
    quiet.event("a", "failed", "https://ex.com/2", "HTTP 500")
    assert quiet_out.getvalue() == "" and quiet_err.getvalue().count("\n") == 1

    screen = io.StringIO()
    rich = RichReporter(console=Console(file=screen, force_terminal=True, width=100, highlight=False))
    rich.start({"a": Plan(1, 2, Tally())})
    rich.event("a", "stored", "https://ex.com/1", "Title")
    rich.event("a", "listed", "https://ex.com/feed", "1 URLs")
    rich.finished("a")
    rich.stop()
    assert "stored: a: https://ex.com/1" in screen.getvalue()


def test_lock_in_a_missing_directory_says_so(tmp_path: Path) -> None:
    from scraper.errors import ScraperError

    with pytest.raises(ScraperError, match="directory .* does not exist"):
        ArchiveLock(tmp_path / "nope" / "a.db").acquire()


def test_due_order_seeds_then_new_and_rechecks_interleaved(tmp_path: Path) -> None:
    from scraper.crawl.frontier import Frontier, Link
    from scraper.store import Store

    with Store.open(tmp_path / "a.db") as store:
        frontier = Frontier(store)
        frontier.seed("s", [Link("https://ex.com/feed", "feed", article=False),
                            Link("https://ex.com/", "start", follow=True, article=False)], 0)
        with store.db.atomic():
            frontier.add("s", "https://ex.com/feed", [Link(f"https://ex.com/new{i}", "page") for i in range(6)])
            frontier.add("s", "https://ex.com/feed", [Link(f"https://ex.com/old{i}", "page") for i in range(2)])
        store.db.execute("UPDATE crawl_urls SET state = 'done', next_due = '2000-01-01T00:00:00+00:00', "
                         "fetched_at = '2000-01-01T00:00:00+00:00' WHERE url LIKE '%/old%'")
        frontier.start_run()
        order = [r.url.removeprefix("https://ex.com/") for r in frontier.due("s", pages=True, exclude=set())]
        assert order == ["feed", "", "new0", "new1", "new2", "old0", "new3", "new4", "new5", "old1"]
        assert [r.url for r in frontier.due("s", pages=False, exclude=set())] == ["https://ex.com/feed"]
        first = frontier.due("s", pages=True, exclude=set())[2]
        assert first.id not in {r.id for r in frontier.due("s", pages=True, exclude={first.id})}
