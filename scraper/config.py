"""Settings, loaded once from config.toml into frozen dataclasses.

Precedence: defaults < config.toml < command-line flags. A missing file means defaults;
a partial file overrides only the keys it sets; an unknown key or a value of the wrong
type is a ConfigError naming the file and the key. Nothing after ``load`` reads files
or the environment.
"""

from __future__ import annotations

import dataclasses
import re
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, get_type_hints
from urllib.parse import urlsplit

from scraper import __version__
from scraper.errors import ConfigError
from scraper.patterns import compile_pattern

DEFAULT_USER_AGENT = f"scraper/{__version__} (article archiver; +https://pypi.org/project/scraper/)"
DEFAULT_PORT = 8001  # `scrape serve`, as datasette


def setting(default: Any, help: str) -> Any:  # help= mirrors datasette's SETTINGS
    """A dataclass field that carries its help line (documented in config.toml, tested).

    Defaults are immutable (tuples, not lists), so no default_factory is ever needed.
    """
    return field(default=default, metadata={"help": help})


@dataclass(frozen=True, slots=True)
class ArchiveSettings:
    path: str = setting("archive.db", "SQLite file the archive is written to; created on first use")
    warc_dir: str | None = setting(None, "also write every fetch to rotating WARC files in this folder")
    warc_max_bytes: int = setting(1_000_000_000, "start a new WARC file once the current one is this big")


@dataclass(frozen=True, slots=True)
class FetchSettings:
    user_agent: str = setting(DEFAULT_USER_AGENT, "User-Agent header sent with every request")
    connect_timeout_s: float = setting(10.0, "seconds to wait for a connection")
    read_timeout_s: float = setting(20.0, "seconds to wait for the next chunk of a response")
    deadline_s: float = setting(30.0, "total seconds one page may take, retries excluded")
    max_bytes: int = setting(10_000_000, "largest body kept, counted after decompression")
    max_redirects: int = setting(10, "redirects followed before giving up")
    attempts: int = setting(3, "tries per URL on connection errors, timeouts, 429 and 5xx")
    backoff_s: float = setting(1.0, "first retry delay; doubles each try, with jitter")
    max_retry_after_s: float = setting(60.0, "longest Retry-After honoured before giving up")
    concurrency: int = setting(32, "requests in flight at once, over all hosts")
    per_host_concurrency: int = setting(2, "requests in flight at once to one host")
    per_host_delay_s: float = setting(1.0, "minimum seconds between requests to one host")
    respect_robots: bool = setting(True, "obey robots.txt rules and Crawl-delay")
    http2: bool = setting(True, "use HTTP/2 where the server offers it")
    block_private: bool = setting(
        False, "refuse private and loopback addresses for URLs from the command line and config too (links found on public pages never reach them)")


@dataclass(frozen=True, slots=True)
class SiteSelectors:
    """CSS selectors for one domain that win over the generic extraction logic."""

    title: str | None = setting(None, "CSS selector of the headline")
    body: str | None = setting(None, "CSS selector of the element holding the article text")
    remove: tuple[str, ...] = setting((), "CSS selectors of elements to drop before extraction")


@dataclass(frozen=True, slots=True)
class SourceSettings:
    """One ``[[sources]]`` table: where `scrape crawl` looks for articles of one site, and how often."""

    name: str = setting("", "unique name of the source, used by --source and in the summary (required)")
    feeds: tuple[str, ...] = setting((), "RSS or Atom feed URLs; every entry is fetched as an article")
    sitemaps: tuple[str, ...] = setting((), "sitemap or sitemap index URLs (.xml or .xml.gz, news sitemaps too)")
    start_urls: tuple[str, ...] = setting((), "pages whose links are followed, on the same site, up to max_depth")
    allow: tuple[str, ...] = setting((), "regular expressions; if any given, a found URL must match one")
    deny: tuple[str, ...] = setting((), "regular expressions; a found URL matching any is never fetched")
    article_urls: tuple[str, ...] = setting(
        (), "regular expressions; if any given, only followed links matching one are stored as articles"
    )
    max_depth: int = setting(2, "links followed away from a start URL (0: read the start pages only)")
    max_pages: int = setting(200, "most pages fetched from this source in one run (feeds and sitemaps not counted)")
    recheck_every_h: float = setting(6.0, "hours between re-checks of a stored article for changes")
    recheck_for_h: float = setting(72.0, "hours after an article was first seen during which it is re-checked")
    refresh_every_m: float = setting(0.0, "minutes between reads of the feeds, sitemaps and start pages (0: every run)")
    # Sub-tables, parsed by hand: [sources.fetch] takes any [fetch] key, [sources.extract] the selector keys.
    fetch: FetchSettings | None = setting(None, "[sources.fetch]: any [fetch] key, for this source only")  # noqa: RUF009
    extract: SiteSelectors | None = setting(None, "[sources.extract]: title, body, remove selectors for this source")  # noqa: RUF009

    @property
    def urls(self) -> tuple[str, ...]:
        return self.feeds + self.sitemaps + self.start_urls


@dataclass(frozen=True, slots=True)
class Settings:
    archive: ArchiveSettings = field(default_factory=ArchiveSettings)
    fetch: FetchSettings = field(default_factory=FetchSettings)
    # [extract.sites."example.com"]: per-domain selectors, keyed by host without "www."
    sites: dict[str, SiteSelectors] = field(default_factory=dict)
    # [[sources]]: read by `scrape crawl` only.
    sources: tuple[SourceSettings, ...] = ()

    def selectors_for(self, url: str | None) -> SiteSelectors | None:
        """The per-site selectors whose domain matches the URL's host or a parent of it."""
        if not url or not self.sites:
            return None
        from urllib.parse import urlsplit

        host = (urlsplit(url).hostname or "").lower()
        while host:
            if host in self.sites:
                return self.sites[host]
            host = host.partition(".")[2]
        return None


SECTIONS: dict[str, type] = {"archive": ArchiveSettings, "fetch": FetchSettings}


def load(path: str | Path | None, *, required: bool = False) -> Settings:
    """Read config.toml once. A missing file gives the defaults unless ``required``."""
    if path is None:
        return Settings()
    path = Path(path)
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        if required:
            raise ConfigError(f"{path}: config file not found") from None
        return Settings()
    except OSError as exc:
        raise ConfigError(f"{path}: cannot read config file ({exc.strerror})") from None
    try:
        data = tomllib.loads(raw.decode("utf-8"))
    except UnicodeDecodeError:
        raise ConfigError(f"{path}: not UTF-8 text") from None
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"{path}: invalid TOML: {exc}") from None
    return parse(data, source=str(path))


def parse(data: dict[str, Any], source: str = "config") -> Settings:
    """Turn a decoded TOML document into Settings, rejecting unknown keys and bad types."""
    known = set(SECTIONS) | {"extract", "sources"}
    for key in data:
        if key not in known:
            raise ConfigError(f"{source}: unknown section [{key}] (expected one of: {', '.join(sorted(known))})")
    values: dict[str, Any] = {}
    for name, cls in SECTIONS.items():
        section = data.get(name, {})
        if not isinstance(section, dict):
            raise ConfigError(f"{source}: [{name}] must be a table")
        values[name] = build(cls, section, f"{source}: [{name}]")
    values["sites"] = parse_sites(data.get("extract", {}), source)
    values["sources"] = parse_sources(data.get("sources", []), values["fetch"], source)
    return Settings(**values)


SOURCE_NAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9_.-]*")
SOURCE_TABLES = ("fetch", "extract")


def parse_sources(section: Any, fetch: FetchSettings, source: str) -> tuple[SourceSettings, ...]:
    """The [[sources]] array; a source's fetch settings are [fetch] with its own keys on top."""
    if not isinstance(section, list) or not all(isinstance(item, dict) for item in section):
        raise ConfigError(f"{source}: sources must be an array of tables ([[sources]])")
    result: list[SourceSettings] = []
    seen: set[str] = set()
    owners: dict[str, str] = {}
    for index, table in enumerate(section, start=1):
        name = table.get("name")
        where = f"{source}: [[sources]] #{index}" + (f" ({name})" if isinstance(name, str) else "")
        if not isinstance(name, str) or not SOURCE_NAME.fullmatch(name):
            raise ConfigError(f"{where}: name is required: letters, digits, '.', '_' or '-', got {name!r}")
        if name in seen:
            raise ConfigError(f"{where}: another source is already called {name!r}")
        seen.add(name)
        plain = {k: v for k, v in table.items() if k not in SOURCE_TABLES}
        item: SourceSettings = build(SourceSettings, plain, where)
        extra: dict[str, Any] = {}
        if "fetch" in table:
            if not isinstance(table["fetch"], dict):
                raise ConfigError(f"{where}: [sources.fetch] must be a table")
            checked = build(FetchSettings, table["fetch"], f"{where} [sources.fetch]")
            extra["fetch"] = dataclasses.replace(fetch, **{k: getattr(checked, k) for k in table["fetch"]})
        if "extract" in table:
            if not isinstance(table["extract"], dict):
                raise ConfigError(f"{where}: [sources.extract] must be a table")
            extra["extract"] = build(SiteSelectors, table["extract"], f"{where} [sources.extract]")
        item = dataclasses.replace(item, **extra)
        check_source(item, where)
        for url in item.urls:
            owner = owners.setdefault(url, name)
            if owner != name:
                raise ConfigError(f"{where}: {url} is already a URL of source {owner!r} (a URL belongs to one source)")
        result.append(item)
    return tuple(result)


def check_source(item: SourceSettings, where: str) -> None:
    if not item.urls:
        raise ConfigError(f"{where}: give at least one of feeds, sitemaps or start_urls")
    for url in item.urls:
        parts = urlsplit(url)
        if parts.scheme not in ("http", "https") or not parts.hostname:
            raise ConfigError(f"{where}: {url!r} is not an absolute http(s) URL")
    for key in ("allow", "deny", "article_urls"):
        for pattern in getattr(item, key):
            compile_pattern(pattern, f"{where} {key}")


def parse_sites(section: Any, source: str) -> dict[str, SiteSelectors]:
    if not isinstance(section, dict):
        raise ConfigError(f"{source}: [extract] must be a table")
    for key in section:
        if key != "sites":
            raise ConfigError(f"{source}: unknown key extract.{key}")
    sites = section.get("sites", {})
    if not isinstance(sites, dict):
        raise ConfigError(f"{source}: [extract.sites] must be a table of domains")
    result: dict[str, SiteSelectors] = {}
    for domain, rules in sites.items():
        where = f'{source}: [extract.sites."{domain}"]'
        if not isinstance(rules, dict):
            raise ConfigError(f"{where} must be a table")
        host = domain.lower().removeprefix("www.")
        result[host] = build(SiteSelectors, rules, where)
    return result


def build(cls: type, section: dict[str, Any], where: str) -> Any:
    """Construct a settings dataclass from a TOML table, checking every key and type."""
    hints = get_type_hints(cls)
    names = {f.name for f in dataclasses.fields(cls)}
    kwargs: dict[str, Any] = {}
    for key, value in section.items():
        if key not in names:
            raise ConfigError(f"{where}: unknown key {key!r} (expected one of: {', '.join(sorted(names))})")
        kwargs[key] = coerce(value, hints[key], f"{where} {key}")
    return cls(**kwargs)


def coerce(value: Any, hint: Any, where: str) -> Any:
    text = str(hint)
    if hint is bool:
        if not isinstance(value, bool):
            raise ConfigError(f"{where}: expected true or false, got {value!r}")
        return value
    if hint is int:
        if isinstance(value, bool) or not isinstance(value, int) or value < 0:
            raise ConfigError(f"{where}: expected a non-negative integer, got {value!r}")
        return value
    if hint is float:
        if isinstance(value, bool) or not isinstance(value, (int, float)) or value < 0:
            raise ConfigError(f"{where}: expected a non-negative number, got {value!r}")
        return float(value)
    if hint is str or text == "str | None":
        if not isinstance(value, str) or not value.strip():
            raise ConfigError(f"{where}: expected a non-empty string, got {value!r}")
        return value
    if text.startswith("tuple[str"):
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            raise ConfigError(f"{where}: expected a list of strings, got {value!r}")
        return tuple(value)
    raise ConfigError(f"{where}: unsupported setting type {text}")  # pragma: no cover - a bug


def override(settings: Settings, section: str, **changes: Any) -> Settings:
    """Apply command-line flags (None means 'not given') on top of loaded settings."""
    given = {k: v for k, v in changes.items() if v is not None}
    if not given:
        return settings
    updated = dataclasses.replace(getattr(settings, section), **given)
    changes = {section: updated}
    if section == "fetch":  # a source's own [sources.fetch] copy gets the flags too: flags win over the file
        changes["sources"] = tuple(dataclasses.replace(item, fetch=dataclasses.replace(item.fetch, **given))
                                   if item.fetch is not None else item for item in settings.sources)
    return dataclasses.replace(settings, **changes)


def documented_settings() -> list[tuple[str, str, Any, str]]:
    """(section, key, default, help) for every setting: the source of config.toml's comments."""
    rows = []
    for name, cls in [*SECTIONS.items(), ('extract.sites."<domain>"', SiteSelectors), ("sources", SourceSettings)]:
        for f in dataclasses.fields(cls):
            if cls is SourceSettings and f.name in SOURCE_TABLES:
                continue  # sub-tables whose keys are the [fetch] and selector keys above
            rows.append((name, f.name, f.default, f.metadata.get("help", "")))
    return rows
