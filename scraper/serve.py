"""`scrape serve`: datasette on 127.0.0.1 over the archive, with the shipped configuration.

The configuration lives in ``scraper/datasette/`` (metadata, plugin, template, stylesheet) and is
found relative to this package, so the command works from any directory. datasette names a
database after its file's stem, and metadata is keyed by that name, so the metadata written for
``archive.db`` is re-keyed for whatever file is served.
"""

from __future__ import annotations

import copy
import errno
import json
import os
import socket
import sys
import tempfile
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import click
import yaml  # type: ignore[import-untyped]

from scraper import datasette as browse
from scraper.config import DEFAULT_PORT
from scraper.errors import ScraperError
from scraper.scale.archives import attach_note

HOST = "127.0.0.1"


def database_name(db: Path) -> str:
    """The name datasette gives the database in its URLs (the file name without its suffix)."""
    return db.stem


def metadata_for(name: str) -> dict[str, Any]:
    """The shipped metadata, keyed for the database ``name``."""
    metadata: dict[str, Any] = yaml.safe_load(browse.METADATA.read_text(encoding="utf-8"))
    databases = metadata.get("databases", {})
    if name != browse.DATABASE_KEY and browse.DATABASE_KEY in databases:
        databases[name] = databases.pop(browse.DATABASE_KEY)
        # The front page links into the database by name.
        metadata["description_html"] = metadata["description_html"].replace(
            f"/{browse.DATABASE_KEY}/", f"/{_url_name(name)}/"
        )
        # Feed queries build their entries' links, which start with the database's path.
        for canned in databases[name].get("queries", {}).values():
            canned["sql"] = canned["sql"].replace(f"'/{browse.DATABASE_KEY}/", f"'/{_url_name(name)}/")
    return metadata


def _url_name(name: str) -> str:
    from datasette.utils import tilde_encode  # type: ignore[import-untyped]

    return tilde_encode(name)


def read_only(db: Path) -> bool:
    """True when neither the archive nor its directory may be written (mode bits, or access for us).

    Mode bits count even for root, who may write anyway: a file made 0444 says "do not change me".
    """
    def unwritable(path: Path) -> bool:
        return not os.access(path, os.W_OK) or not path.stat().st_mode & 0o222

    return unwritable(db) or unwritable(db.resolve().parent)


def arguments(db: Path, port: int, metadata_path: Path, host: str = HOST, more: Sequence[Path] = (),
              immutable: bool = False) -> list[str]:
    """The `datasette` command-line arguments that serve ``db`` with the metadata at ``metadata_path``.

    With ``more`` archives (a month each), all are served, and attached together for the
    cross-archive search (plugins/scraper_archives.py). An immutable database (``-i``) is opened
    without locks or a WAL, so a read-only file or directory can be served, and datasette can
    cache its pages and counts.
    """
    files = [str(path) for path in (db, *more)]
    return [
        "serve",
        *([part for f in files for part in ("-i", f)] if immutable else files),
        *(["--crossdb"] if more else []),
        "--host",
        host,
        "--port",
        str(port),
        "--metadata",
        str(metadata_path),
        "--plugins-dir",
        str(browse.PLUGINS),
        "--template-dir",
        str(browse.TEMPLATES),
        "--static",
        f"{browse.STATIC_MOUNT}:{browse.STATIC}",
    ]


def check_archive(db: Path) -> None:
    """Fail with one line unless ``db`` is an archive written by `scrape fetch` (the Store's own test of one)."""
    from scraper.store import Store

    Store.open_read_only(db).close()


def check_port(port: int, host: str = HOST) -> None:
    """Fail early with one line rather than let datasette die with a traceback."""
    if port == 0:
        return
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        try:
            sock.bind((host, port))
        except OSError as exc:
            if exc.errno in (errno.EADDRINUSE, errno.EACCES):
                raise ScraperError(f"port {port} is already in use on {host} (choose another with --port)") from None
            raise ScraperError(f"cannot listen on {host}:{port} ({exc.strerror})") from None


def metadata_for_all(db: Path, more: Sequence[Path]) -> dict[str, Any]:
    """The shipped metadata for ``db``, with the same database block for each of ``more``."""
    metadata = metadata_for(database_name(db))
    block = metadata.get("databases", {}).get(database_name(db))
    for path in more:
        if block is not None:
            metadata["databases"][database_name(path)] = copy.deepcopy(block)
    return metadata


def serve(db: Path, port: int = DEFAULT_PORT, more: Sequence[Path] = ()) -> None:
    """Run datasette over ``db`` (and ``more`` archives) in this process until Ctrl-C or SIGTERM (uvicorn handles both)."""
    check_archive(db)
    for path in more:
        check_archive(path)
    names = [database_name(p) for p in (db, *more)]
    if len(set(names)) < len(names):
        raise ScraperError("two archives with the same file name: datasette names each database by its file name")
    check_port(port)
    from datasette.cli import cli as datasette_cli  # type: ignore[import-untyped]

    with tempfile.TemporaryDirectory(prefix="scrape-serve-") as tmp:
        metadata_path = Path(tmp) / "metadata.json"
        metadata_path.write_text(json.dumps(metadata_for_all(db, more), ensure_ascii=False), encoding="utf-8")
        where = f"http://{HOST}:{port}/{_url_name(database_name(db))}" if port else f"{HOST}, a free port"
        immutable = any(read_only(path) for path in (db, *more))
        state = ", read-only: served immutable" if immutable else ""
        print(f"serving {db} at {where} (Ctrl-C to stop{state})", file=sys.stderr, flush=True)
        if more and port:
            print(f"searching all {len(names)} archives at http://{HOST}:{port}/_memory/search_archives",
                  file=sys.stderr, flush=True)
        note = attach_note(len(names))
        if note:
            print(note, file=sys.stderr, flush=True)
        try:
            datasette_cli.main(
                arguments(db, port, metadata_path, more=more, immutable=immutable),
                prog_name="datasette",
                standalone_mode=False,
            )
        except click.ClickException as exc:
            raise ScraperError(f"datasette: {exc.format_message()}") from None
