"""scraper: fetch, extract and archive news and blog articles.

The public face: ``Archive`` (scraper/archive.py), the archive with one method per command, and
``extract(html, url)`` (scraper/extract/), the pure extractor.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

__version__ = "0.1.0"

# Imported here, not on first use: the name is also the subpackage's, and importing the subpackage
# later would otherwise leave `scraper.extract` bound to the module instead of the function.
from scraper.extract import extract

__all__ = ["Archive", "extract"]

if TYPE_CHECKING:
    from scraper.archive import Archive


def __getattr__(name: str) -> Any:
    if name == "Archive":  # on first use: it pulls in the whole pipeline's names
        from scraper.archive import Archive

        return Archive
    raise AttributeError(f"module 'scraper' has no attribute {name!r}")
