"""scraper: fetch, extract and archive news and blog articles.

The public face: ``Archive`` (scraper/archive.py), the archive with one method per command, and
``extract(html, url)`` (scraper/extract/), the pure extractor. Both load on first use, so a
command that needs neither (``scrape search``, ``scrape --version``) does not import them.
"""

from __future__ import annotations

import sys
import types
from typing import TYPE_CHECKING, Any

__version__ = "0.1.0"
__all__ = ["Archive", "extract"]

if TYPE_CHECKING:
    from scraper.archive import Archive
    from scraper.extract import extract


class _Package(types.ModuleType):
    """`scraper.extract` is the function, though a subpackage has the same name.

    Importing a submodule binds it as an attribute of its package; this property keeps the name
    for the function, whatever was imported first (the subpackage stays in sys.modules).
    """

    @property
    def extract(self) -> Any:
        from scraper.extract import extract

        return extract

    @extract.setter
    def extract(self, value: Any) -> None:
        pass  # the import system binding the subpackage: `scraper.extract` stays the function


def __getattr__(name: str) -> Any:
    if name == "Archive":
        from scraper.archive import Archive

        return Archive
    raise AttributeError(f"module 'scraper' has no attribute {name!r}")


sys.modules[__name__].__class__ = _Package
