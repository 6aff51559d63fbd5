"""config.toml: defaults, partial files, bad files, flags, and the example documenting every key."""

from __future__ import annotations

import tomllib
from pathlib import Path

import pytest

from scraper import config
from scraper.errors import ConfigError

from .conftest import ROOT


def test_missing_file_gives_defaults(tmp_path: Path) -> None:
    settings = config.load(tmp_path / "nope.toml")
    assert settings == config.Settings()
    assert settings.archive.path == "archive.db"
    assert settings.fetch.per_host_concurrency == 2


def test_missing_file_is_an_error_when_named(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="config file not found"):
        config.load(tmp_path / "nope.toml", required=True)


def test_partial_file_overrides_only_its_keys(tmp_path: Path) -> None:
    path = tmp_path / "c.toml"
    path.write_text('[fetch]\nmax_bytes = 1000\n[archive]\npath = "x.db"\n')
    settings = config.load(path)
    assert settings.fetch.max_bytes == 1000
    assert settings.archive.path == "x.db"
    assert settings.fetch.attempts == config.FetchSettings().attempts


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("[fetch\nx=1", "invalid TOML"),
        ("[fetsh]\n", "unknown section [fetsh]"),
        ("[fetch]\ntimeout = 3\n", "unknown key 'timeout'"),
        ('[fetch]\nmax_bytes = "big"\n', "max_bytes: expected a non-negative integer"),
        ("[fetch]\nrespect_robots = 1\n", "respect_robots: expected true or false"),
        ("[fetch]\nper_host_delay_s = -1\n", "expected a non-negative number"),
        ('[extract.sites."a.com"]\nremove = "x"\n', "remove: expected a list of strings"),
        ("fetch = 3\n", "[fetch] must be a table"),
    ],
)
def test_malformed_file_names_file_and_problem(tmp_path: Path, text: str, message: str) -> None:
    path = tmp_path / "bad.toml"
    path.write_text(text)
    with pytest.raises(ConfigError) as info:
        config.load(path)
    assert str(path) in str(info.value)
    assert message in str(info.value)
    assert "\n" not in str(info.value)


def test_unreadable_file(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="cannot read config file"):
        config.load(tmp_path)  # a directory


def test_not_utf8(tmp_path: Path) -> None:
    path = tmp_path / "c.toml"
    path.write_bytes(b"\xff\xfe[fetch]")
    with pytest.raises(ConfigError, match="not UTF-8"):
        config.load(path)


def test_site_selectors_match_subdomains() -> None:
    settings = config.parse({"extract": {"sites": {"www.Example.com": {"body": "div.story", "remove": [".ad"]}}}})
    rules = settings.selectors_for("https://news.example.com/a/b")
    assert rules == config.SiteSelectors(body="div.story", remove=(".ad",))
    assert settings.selectors_for("https://example.org/") is None


def test_flags_override_file() -> None:
    settings = config.parse({"fetch": {"user_agent": "from-file", "attempts": 5}})
    settings = config.override(settings, "fetch", user_agent="from-flag", attempts=None)
    assert settings.fetch.user_agent == "from-flag"
    assert settings.fetch.attempts == 5


def test_example_config_is_valid_and_documents_every_setting() -> None:
    example = ROOT / "config.toml"
    settings = config.load(example, required=True)
    assert settings.fetch == config.FetchSettings()  # the example shows the defaults
    text = example.read_text()
    for section, key, _default, help_line in config.documented_settings():
        assert f"{key} = " in text, f"config.toml does not document {section}.{key}"
        assert help_line, f"{section}.{key} has no help line"
    tomllib.loads(text)
