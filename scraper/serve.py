"""`scrape serve`: datasette on 127.0.0.1 over the archive, with the shipped configuration.

The configuration lives in ``scraper/datasette/`` (metadata, plugin, template, stylesheet) and is
found relative to this package, so the command works from any directory. datasette names a
database after its file's stem, and metadata is keyed by that name, so the metadata written for
``archive.db`` is re-keyed for whatever file is served.
"""

from __future__ import annotations

import errno
import json
import socket
import sqlite3
import sys
import tempfile
from pathlib import Path
from typing import Any

import click
import yaml

from scraper import datasette as browse
from scraper.config import DEFAULT_PORT
from scraper.errors import ScraperError, StoreError

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
    return metadata


def _url_name(name: str) -> str:
    from datasette.utils import tilde_encode

    return tilde_encode(name)


def arguments(db: Path, port: int, metadata_path: Path, host: str = HOST) -> list[str]:
    """The `datasette` command-line arguments that serve ``db`` with the metadata at ``metadata_path``."""
    return [
        "serve",
        str(db),
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
    """Fail with one line unless ``db`` is an archive written by `scrape fetch`."""
    if not db.exists():
        raise StoreError(f"{db}: no archive here yet (run `scrape fetch URL` first)")
    if db.is_dir():
        raise StoreError(f"{db}: is a directory, not a database file")
    try:
        conn = sqlite3.connect(f"file:{db.resolve()}?mode=ro", uri=True)
        try:
            tables = {row[0] for row in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
        finally:
            conn.close()
    except sqlite3.Error:
        raise StoreError(f"{db}: not an SQLite database, or it is corrupt") from None
    if "articles" not in tables:
        raise StoreError(f"{db}: not a scraper archive (it has no articles table)")


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


def serve(db: Path, port: int = DEFAULT_PORT) -> None:
    """Run datasette over ``db`` in this process until Ctrl-C or SIGTERM (uvicorn handles both)."""
    check_archive(db)
    check_port(port)
    from datasette.cli import cli as datasette_cli

    with tempfile.TemporaryDirectory(prefix="scrape-serve-") as tmp:
        metadata_path = Path(tmp) / "metadata.json"
        metadata_path.write_text(json.dumps(metadata_for(database_name(db)), ensure_ascii=False), encoding="utf-8")
        where = f"http://{HOST}:{port}/{_url_name(database_name(db))}/articles" if port else f"{HOST}, a free port"
        print(f"serving {db} at {where} (Ctrl-C to stop)", file=sys.stderr, flush=True)
        try:
            datasette_cli.main(arguments(db, port, metadata_path), prog_name="datasette", standalone_mode=False)
        except click.ClickException as exc:
            raise ScraperError(f"datasette: {exc.format_message()}") from None
