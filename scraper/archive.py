"""``Archive``: the archive as a Python object, the one face the CLI and scripts share.

    >>> from scraper import Archive
    >>> archive = Archive("archive.db")
    >>> result = archive.fetch(["https://example.org/some-article"])  # doctest: +SKIP

Each method is one command of ``scrape`` and returns a typed result: Outcomes and a Tally,
a crawl Summary, SearchHits, a History, Articles. Errors are the project's (scraper/errors.py):
``StoreError`` (archive missing, locked, unwritable), ``ConfigError``, ``WarcError``,
``NoSuchArticle`` (history), ``Locked`` (crawl and reextract, another run holds the archive).
A single URL's failure is never raised: it is an Outcome with status ``failed``. Ctrl-C or
SIGTERM during ``fetch`` or ``import_warc`` raises ``Interrupted`` (a KeyboardInterrupt) once what
was done is committed; its ``summary`` is the totals line.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from scraper.config import DEFAULT_PORT, Settings, load, override
from scraper.errors import Interrupted
from scraper.models import Article
from scraper.outcome import Outcome
from scraper.summary import Tally

if TYPE_CHECKING:
    from scraper.crawl.progress import Plan, Reporter
    from scraper.crawl.run import Summary
    from scraper.history import Version
    from scraper.scale.merge import MergeCounts
    from scraper.scale.partition import Shard
    from scraper.scale.run import RunSummary
    from scraper.store_rows import SearchHit
    from scraper.warc.read import ImportEvent


@dataclass(frozen=True, slots=True)
class FetchResult:
    """What ``Archive.fetch`` did: an Outcome per URL, in the order they finished, and the Tally."""

    outcomes: list[Outcome]
    tally: Tally

    @property
    def ok(self) -> bool:
        return not self.tally.failed


@dataclass(frozen=True, slots=True)
class History:
    """An article's versions, oldest first; the last is the current text."""

    url: str
    versions: list[Version]


class Quiet:
    """A crawl Reporter that says nothing: a script reads the Summary instead."""

    def start(self, sources: dict[str, Plan]) -> None: ...
    def event(self, source: str, status: str, url: str, detail: str = "") -> None: ...
    def warning(self, source: str, message: str) -> None: ...
    def finished(self, source: str) -> None: ...
    def stop(self) -> None: ...


class Archive:
    """An archive database at ``path`` (created by the first write), with ``settings`` (default: the defaults).

    ``path`` wins over ``settings.archive.path``; pass ``config.load("config.toml")`` for a config file.
    """

    def __init__(self, path: str | Path | None = None, settings: Settings | None = None) -> None:
        settings = settings or Settings()
        if path is not None:
            settings = override(settings, "archive", path=str(path))
        self.settings = settings
        self.path = Path(settings.archive.path)

    def __repr__(self) -> str:
        return f"Archive({str(self.path)!r})"

    def fetch(self, urls: Iterable[str] | str, *, report: Callable[[Outcome], None] | None = None) -> FetchResult:
        """Fetch, extract and store each URL (duplicates once); ``report`` sees each Outcome as it finishes."""
        from scraper.pipeline import fetch_urls

        tally = Tally()

        def each(outcome: Outcome) -> None:
            tally.add(outcome)
            if report is not None:
                report(outcome)

        try:
            outcomes = fetch_urls([urls] if isinstance(urls, str) else urls, self.settings, each)
        except Interrupted:
            raise Interrupted(tally.line("fetched")) from None
        return FetchResult(outcomes, tally)

    def crawl(self, config: Settings | str | Path | None = None, *, sources: list[str] | None = None,
              max_pages: int | None = None, max_time_s: float | None = None, reporter: Reporter | None = None,
              shard: Shard | None = None, workers: int | None = None) -> Summary:
        """One run over the [[sources]] of ``config`` (Settings or a config.toml path; default: the Archive's own).

        ``shard``: only the sources whose registered domain falls in it; ``workers``: extraction
        processes (every core when None). Raises Locked when another crawl holds the archive,
        ConfigError when there is nothing to crawl.
        """
        from scraper.crawl.run import crawl

        settings = self.settings if config is None else config
        if isinstance(settings, (str, Path)):
            settings = load(settings, required=True)
        settings = override(settings, "archive", path=str(self.path))
        return crawl(settings, reporter or Quiet(), sources=sources, max_pages=max_pages, max_time_s=max_time_s,
                     shard=shard, workers=workers)

    def search(self, query: str, limit: int = 10) -> list[SearchHit]:
        """Full-text search over titles and bodies, best match first."""
        from scraper.store import Store

        with Store.open_read_only(self.path) as store:
            return store.search(query, limit)

    def search_across(self, others: Iterable[str | Path], query: str, limit: int = 10) -> list[tuple[Path, SearchHit]]:
        """``search`` over this archive and ``others`` (one a month, say): the best ``limit`` hits, each with its file."""
        from scraper.scale.archives import search_archives

        return search_archives([self.path, *(Path(p) for p in others)], query, limit)

    def history(self, url: str) -> History:
        """The versions of the article at ``url`` (its URL, canonical URL or an address the crawl knows)."""
        from scraper.history import versions
        from scraper.store import Store

        with Store.open_read_only(self.path) as store:
            return History(*versions(store, url))

    def reextract(self, *, report: Callable[[Outcome], None] | None = None, workers: int | None = None,
                  on_total: Callable[[int], None] | None = None) -> Tally:
        """Extract every stored article again from its capture (no network); updated ones get a new version.

        ``on_total`` is told how many articles there are before the first one is done."""
        from scraper.reextract import reextract

        return reextract(self.settings, report or (lambda outcome: None), workers, on_total or (lambda n: None))

    def import_warc(self, paths: Iterable[str | Path], *, report: Callable[[ImportEvent], None] | None = None,
                    workers: int | None = None) -> Tally:
        """Store the HTML responses of WARC/ARC files (paths or http(s) URLs, streamed) with their capture
        dates; a record seen before is a duplicate. ``workers`` extraction processes, every core when None."""
        from scraper.journey import StoreEvery
        from scraper.pipeline import ExtractorPool
        from scraper.scale.run import plain_sources
        from scraper.stopping import stop_on_signals
        from scraper.store import Store
        from scraper.warc.read import import_warc

        tally = Tally()

        def each(event: ImportEvent) -> None:
            tally.add(event.outcome)
            if report is not None:
                report(event)

        with Store.open(self.path) as store, ExtractorPool(workers) as pool, stop_on_signals() as stop:
            import_warc(plain_sources([str(p) for p in paths], self.settings), store, pool,
                        max_bytes=self.settings.fetch.max_bytes, rules=StoreEvery(self.settings), on_event=each,
                        stop=stop)
        if stop:
            raise Interrupted(tally.line("imported"))
        return tally

    def import_warc_sharded(self, paths: Iterable[str | Path], shards: str | Path, *, scheduler: str | None = None,
                            workers: int | None = None, quiet: bool = True) -> RunSummary:
        """``import_warc`` on Dask: each WARC a shard archive in ``shards``, on the cluster at ``scheduler``
        (default: a LocalCluster of ``workers``); merge them with ``merge``. A bar on a terminal's stderr;
        ``quiet`` False adds a line per finished file."""
        from scraper.scale.run import run_import

        return run_import([str(p) for p in paths], Path(shards), self.settings, scheduler=scheduler, workers=workers,
                          quiet=quiet)

    def reextract_sharded(self, shards: str | Path, *, scheduler: str | None = None, workers: int | None = None,
                          quiet: bool = True) -> Tally:
        """``reextract`` on Dask, ranges of captures as shards in ``shards``, merged back into this archive."""
        from scraper.scale.reextract import run_reextract

        return run_reextract(self.settings, Path(shards), scheduler=scheduler, workers=workers, quiet=quiet)

    def merge(self, shards: Iterable[str | Path], *, report: Callable[[str], None] | None = None) -> MergeCounts:
        """Fold shard archives (or any archives) into this one, in order; a shard merged before is skipped."""
        from scraper.scale.merge import merge

        return merge([Path(p) for p in shards], self.path, report or (lambda line: None))

    def export_warc(self, path: str | Path, *, since: str | None = None) -> int:
        """Write the captures (from ``since``, ISO 8601, on) as WARC 1.1; return how many were written."""
        from scraper.store import Store
        from scraper.warc.write import export_warc

        with Store.open_read_only(self.path) as store:
            return export_warc(store, Path(path), since=since, user_agent=self.settings.fetch.user_agent)

    def serve(self, port: int = DEFAULT_PORT, *, also: Iterable[str | Path] = ()) -> None:
        """Browse this archive (and ``also`` others) in datasette on 127.0.0.1 until Ctrl-C or SIGTERM."""
        from scraper.serve import serve

        serve(self.path, port, [Path(p) for p in also])

    def articles(self) -> Iterator[Article]:
        """Every stored article, with its quotes and links, oldest first."""
        from scraper.store import Store

        with Store.open_read_only(self.path) as store:
            yield from store.articles()
