"""Settings from the command line: ``--set SECTION.KEY=VALUE`` for any setting, and the common flags' help.

Like datasette's ``--setting``, every key of ``[archive]`` and ``[fetch]`` can be set for one run
without a flag of its own; the few flags that remain take their help line from the setting, so
the two never drift. Values are checked by ``config.build``, exactly as config.toml's are.
"""

from __future__ import annotations

import dataclasses
import tomllib
from collections.abc import Iterable
from typing import Any, get_type_hints

from scraper import config
from scraper.errors import ConfigError

SET_METAVAR = "SECTION.KEY=VALUE"


def help_of(name: str, extra: str = "") -> str:
    """The help line of the setting ``section.key``, as the flag that overrides it shows it."""
    section, _, key = name.partition(".")
    field = next(f for f in dataclasses.fields(config.SECTIONS[section]) if f.name == key)
    text = field.metadata["help"]
    return f"{text[0].upper()}{text[1:]}{extra} (--set {name})."


def assign(settings: config.Settings, assignments: Iterable[str]) -> config.Settings:
    """Apply each ``SECTION.KEY=VALUE``; VALUE is read as TOML (3, 0.5, true, ["a", "b"]), a bare
    word as a string. A bad section, key or value is a ConfigError, one line, exit 2."""
    for item in assignments:
        name, sep, raw = item.partition("=")
        section, _, key = name.strip().partition(".")
        if not sep or section not in config.SECTIONS or not key:
            raise ConfigError(f"--set {item!r}: expected SECTION.KEY=VALUE, SECTION one of: "
                              f"{', '.join(config.SECTIONS)}")
        cls = config.SECTIONS[section]
        checked = config.build(cls, {key: parse_value(raw.strip(), get_type_hints(cls).get(key))}, f"--set [{section}]")
        settings = config.override(settings, section, **{key: getattr(checked, key)})
    return settings


def parse_value(raw: str, hint: Any) -> Any:
    if hint is str or str(hint) == "str | None":
        return raw  # a user agent or a path is text even when it looks like a number
    try:
        return tomllib.loads(f"value = {raw}")["value"]
    except tomllib.TOMLDecodeError:
        return raw  # coerce then says what was expected
