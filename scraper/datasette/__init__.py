"""How the archive looks in datasette: metadata, one small plugin, a template and a stylesheet.

Kept inside the package so ``scrape serve`` finds them from any working directory after
``pip install -e .`` (and a regular install, through package-data in pyproject.toml).

- ``metadata.yml``       titles, table and column descriptions, sort order, facets, canned queries
- ``plugins/``           ``render_cell``: article bodies as paragraphs, search snippets with marks
- ``templates/``         a row page laid out as a record (one field a line) instead of a wide table
- ``static/browse.css``  reading width and line height for bodies; clamped bodies on table pages
"""

from __future__ import annotations

from pathlib import Path

HERE = Path(__file__).resolve().parent
METADATA = HERE / "metadata.yml"
PLUGINS = HERE / "plugins"
TEMPLATES = HERE / "templates"
STATIC = HERE / "static"
# The URL prefix under which STATIC is mounted (datasette --static NAME:DIR).
STATIC_MOUNT = "scraper-static"

# The metadata is written for a database named "archive" (archive.db); serve.py renames it.
DATABASE_KEY = "archive"

# Delimiters the `search` canned query wraps matched words in; the plugin turns them into <mark>.
# Rare in news text, and still readable in the JSON API or without the plugin.
MARK_OPEN = "\u27e6"  # ⟦
MARK_CLOSE = "\u27e7"  # ⟧
