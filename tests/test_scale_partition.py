"""`scrape crawl --shard I/N`: every host in exactly one shard, the same one on every machine."""

from __future__ import annotations

import subprocess
import sys

import pytest

from scraper.config import SourceSettings
from scraper.errors import ConfigError
from scraper.scale.partition import Shard, parse_shard, registered_domain, shard_of, sources_in

from .conftest import TEST_CONFIG, one_line_error
from .scale_warcs import fixture_pages

HOSTS = [
    "https://www.bbc.co.uk/news", "https://feeds.bbc.co.uk/news/rss.xml", "https://www.nytimes.com/",
    "https://theduran.com/x", "http://127.0.0.1:8000/", "http://localhost/feed", "https://user.github.io/blog/",
    "https://WWW.Example.ORG./a", "https://example.org:8443/b", "https://xn--80ak6aa92e.com/",
    *(url for url, _ in fixture_pages()),
]


@pytest.mark.parametrize("count", [1, 2, 3, 4, 7, 16, 128])
def test_every_host_falls_in_exactly_one_shard(count: int) -> None:
    for url in HOSTS:
        holders = [i for i in range(count) if Shard(i, count).holds(url)]
        assert len(holders) == 1, (url, holders)


def test_a_site_stays_together() -> None:
    assert registered_domain("https://feeds.bbc.co.uk/x") == registered_domain("https://www.bbc.co.uk/") == "bbc.co.uk"
    assert registered_domain("https://WWW.Example.ORG./a") == registered_domain("https://example.org:8443/") == "example.org"
    assert registered_domain("https://a.user.github.io/") == "user.github.io"  # a public suffix run by a company
    assert registered_domain("http://127.0.0.1:8000/") == "127.0.0.1"
    for count in (2, 7, 128):
        assert shard_of("https://feeds.bbc.co.uk/x", count) == shard_of("https://www.bbc.co.uk/", count)


def test_shards_are_the_same_in_every_process() -> None:
    """SHA-1 of the domain, not the per-process salted hash(): pinned, and checked in a fresh interpreter."""
    pinned = {"https://www.bbc.co.uk/news": 10, "https://www.nytimes.com/": 13, "https://theduran.com/x": 12,
              "http://127.0.0.1:8000/": 9, "https://blog.kestrelcode.io/": 3}
    assert {url: shard_of(url, 16) for url in pinned} == pinned
    code = "import sys; from scraper.scale.partition import shard_of; print([shard_of(u, 16) for u in sys.argv[1:]])"
    other = subprocess.run([sys.executable, "-c", code, *pinned], capture_output=True, text=True, check=True,
                           env={"PYTHONHASHSEED": "12345", "PATH": ""})
    assert other.stdout.strip() == str(list(pinned.values()))


def test_sources_are_split_without_loss() -> None:
    sources = [SourceSettings(name=f"s{i}", feeds=(url,)) for i, url in enumerate(HOSTS)]
    picked = [s.name for i in range(4) for s in sources_in(sources, Shard(i, 4))]
    assert sorted(picked) == sorted(s.name for s in sources)


@pytest.mark.parametrize("text", ["4/4", "1", "-1/3", "a/b", "0/0", ""])
def test_bad_shard(text: str) -> None:
    with pytest.raises(ConfigError, match="--shard: expected I/N"):
        parse_shard(text)


def test_good_shard() -> None:
    assert parse_shard(" 3 / 8 ") == Shard(3, 8) and str(Shard(3, 8)) == "3/8"


def test_crawl_shard_takes_only_its_sources(scrape, tmp_path, site) -> None:
    site.expect_request("/feed.xml").respond_with_data(
        '<?xml version="1.0"?><rss version="2.0"><channel><title>t</title></channel></rss>', content_type="application/rss+xml")
    port = site.port
    config = tmp_path / "config.toml"
    config.write_text(TEST_CONFIG + f'[[sources]]\nname = "numeric"\nfeeds = ["http://127.0.0.1:{port}/feed.xml"]\n'
                      f'[[sources]]\nname = "named"\nfeeds = ["http://localhost:{port}/feed.xml"]\n', encoding="utf-8")
    assert (shard_of("http://127.0.0.1:9/", 3), shard_of("http://localhost:9/", 3)) == (2, 1)
    tables = {}
    for index in range(3):
        result = scrape("crawl", "--config", str(config), "--db", str(tmp_path / f"a{index}.db"),
                        "--shard", f"{index}/3", "--max-pages", "0", "-q")
        assert result.exit_code == 0, result.stderr
        tables[index] = result.stdout
    assert "numeric" in tables[2] and "named" not in tables[2]
    assert "named" in tables[1] and "numeric" not in tables[1]
    assert "numeric" not in tables[0] and "named" not in tables[0]
    bad = scrape("crawl", "--config", str(config), "--shard", "3/3")
    assert bad.exit_code == 2
    assert "--shard: expected I/N" in one_line_error(bad.stderr)
