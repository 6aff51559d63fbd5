"""How the archive looks in datasette: metadata, one plugin, templates and a stylesheet.

Kept inside the package so ``scrape serve`` finds them from any working directory after
``pip install -e .`` (and a regular install, through package-data in pyproject.toml).

- ``metadata.yml``       titles, descriptions, sort order, facets, canned queries (feeds among them)
- ``plugins/``           the plugin's hooks: cells, template variables, routes, the .atom renderer
- ``render.py``          untrusted text to safe HTML: Markdown, paragraphs, links, tags, word diffs
- ``pages.py``           what the home, article and capture pages read from the database
- ``routes.py``          what changed, one version, the archived page and its raw bytes
- ``atom.py``            Atom feeds of queries with atom_* columns
- ``chart.py``           the home page's SVG bar chart
- ``templates/``         home, reading view, query pages without SQL, the compact articles table
- ``static/browse.css``  reading width, chips, diff marks, the capture banner
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
