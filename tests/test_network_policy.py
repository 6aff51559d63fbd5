"""The network policy the README states: the URLs you give are trusted unless [fetch] block_private,
and metadata or link-local addresses are refused in every spelling a redirect can use."""

from __future__ import annotations

import pytest
from pytest_httpserver import HTTPServer

from scraper.errors import UnsafeRedirect

from .conftest import one_line_error
from .crawl_site import Site, article, serve, story
from .servers import fetch_error, settings
from .test_fetch_redirects import PUBLIC, redirect


@pytest.fixture
def local() -> Site:
    site = Site()
    with serve(site):
        site.html("/post", article("A local post", story(1), story(2)))
        yield site


def test_a_given_loopback_url_is_fetched_by_default(scrape, local: Site, tmp_path) -> None:
    result = scrape("fetch", local.url("/post"), "--db", str(tmp_path / "a.db"), "--set", "fetch.per_host_delay_s=0")
    assert result.exit_code == 0, result.stderr
    assert result.stdout.startswith(f"stored: {local.url('/post')}")


def test_block_private_refuses_a_given_loopback_url_without_connecting(scrape, local: Site, tmp_path) -> None:
    result = scrape("fetch", local.url("/post"), "--db", str(tmp_path / "a.db"), "--set", "fetch.block_private=true")
    assert result.exit_code == 1
    assert one_line_error(result.stderr) == \
        f"failed: {local.url('/post')}: private address 127.0.0.1 refused (fetch.block_private is on)"
    assert local.paths() == []  # not even robots.txt was asked for


def test_block_private_in_config_toml_holds_for_a_crawl_seed(scrape, local: Site, tmp_path) -> None:
    local.xml("/feed.xml", f'<?xml version="1.0"?><rss version="2.0"><channel><item><link>{local.url("/post")}</link>'
                           "</item></channel></rss>")
    (tmp_path / "c.toml").write_text(f'[fetch]\nblock_private = true\n\n[[sources]]\nname = "local"\n'
                                     f'feeds = ["{local.url("/feed.xml")}"]\n')
    result = scrape("crawl", "-q", "-c", str(tmp_path / "c.toml"), "--db", str(tmp_path / "a.db"))
    assert result.exit_code == 1
    assert "private address 127.0.0.1 refused (fetch.block_private is on)" in result.stderr
    assert local.paths() == []


METADATA = "redirect to forbidden address 169.254.169.254"
MAPPED = "redirect to forbidden address ::ffff:a9fe:a9fe"
SPELLINGS = {
    "169.254.169.254": METADATA, "2852039166": METADATA, "0xa9fea9fe": METADATA, "169.254.43518": METADATA,
    # httpx refuses octal quads outright: never connected to either
    "0251.0376.0251.0376": "redirect to an invalid URL (Invalid IPv4 address: '0251.0376.0251.0376'.)",
    "[::ffff:169.254.169.254]": MAPPED, "[::ffff:a9fe:a9fe]": MAPPED,
    "[fe80::1]": "redirect to forbidden address fe80::1", "[fd00:ec2::254]": "redirect to forbidden address fd00:ec2::254",
    "100.100.100.200": "redirect to forbidden address 100.100.100.200",
}


@pytest.mark.parametrize(("host", "reason"), list(SPELLINGS.items()))
def test_a_redirect_to_metadata_or_link_local_is_refused_in_every_spelling(httpserver: HTTPServer, host: str,
                                                                          reason: str) -> None:
    httpserver.expect_request("/steer").respond_with_response(redirect(f"http://{host}/latest/meta-data/"))
    error = fetch_error(httpserver.url_for("/steer"), settings(connect_timeout_s=2.0), PUBLIC)
    assert isinstance(error, UnsafeRedirect)
    assert error.reason == reason
