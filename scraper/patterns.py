"""User-written URL patterns (allow, deny, article_urls), matched in linear time.

Python's ``re`` backtracks: ``(a+)+$`` against thirty a's and a '!' runs for hours and
holds the crawl lock past ``--max-time`` and SIGTERM (a C loop never returns to the
interpreter to see either). RE2 guarantees time linear in the input, and refuses the
constructs that need backtracking (backreferences, lookaround), so a pattern that would
be slow is a config error instead.
"""

from __future__ import annotations

import re2  # type: ignore[import-untyped]

from scraper.errors import ConfigError

_OPTIONS = re2.Options()
_OPTIONS.log_errors = False  # RE2 would print its own parse errors to stderr beside ours


class Pattern:
    """One compiled user pattern; ``search`` is all the crawl needs."""

    __slots__ = ("_compiled", "source")

    def __init__(self, source: str, compiled: object) -> None:
        self.source = source
        self._compiled = compiled

    def search(self, text: str) -> bool:
        return self._compiled.search(text) is not None  # type: ignore[attr-defined]

    def __repr__(self) -> str:
        return f"Pattern({self.source!r})"


def compile_pattern(source: str, where: str) -> Pattern:
    """Compile ``source`` with RE2; a construct RE2 refuses is a ConfigError naming ``where``."""
    try:
        return Pattern(source, re2.compile(source, options=_OPTIONS))
    except re2.error as exc:
        reason = exc.args[0].decode("utf-8", "replace") if exc.args and isinstance(exc.args[0], bytes) else str(exc)
        hint = ""
        if "escape" in reason and any(f"\\{d}" in source for d in "123456789"):
            hint = " (backreferences need backtracking; patterns run in linear time)"
        elif "perl operator" in reason:
            hint = " (lookahead and lookbehind need backtracking; patterns run in linear time)"
        raise ConfigError(f"{where}: bad regular expression {source!r}: {reason}{hint}") from None
