"""Normalise the many ways pages write dates to ISO 8601 strings."""

from __future__ import annotations

import re
from datetime import datetime
from email.utils import parsedate_to_datetime

_MONTHS = {
    name: i
    for i, names in enumerate(
        [
            ("jan", "january", "januar", "janvier", "enero"),
            ("feb", "february", "februar", "février", "fevrier", "febrero"),
            ("mar", "march", "märz", "maerz", "mars", "marzo"),
            ("apr", "april", "avril", "abril"),
            ("may", "mai", "mayo"),
            ("jun", "june", "juni", "juin", "junio"),
            ("jul", "july", "juli", "juillet", "julio"),
            ("aug", "august", "août", "aout", "agosto"),
            ("sep", "sept", "september", "septembre", "septiembre"),
            ("oct", "october", "oktober", "octobre", "octubre"),
            ("nov", "november", "novembre", "noviembre"),
            ("dec", "december", "dezember", "décembre", "decembre", "diciembre"),
        ],
        start=1,
    )
    for name in names
}
MONTH_OR_DAY = re.compile(
    r"^(" + "|".join(sorted(_MONTHS, key=len, reverse=True)) + r"|mon|tue|wed|thu|fri|sat|sun|monday|tuesday|wednesday"
    r"|thursday|friday|saturday|sunday|montag|dienstag|mittwoch|donnerstag|freitag|samstag|sonntag|lundi|mardi"
    r"|mercredi|jeudi|vendredi|samedi|dimanche)\.?,?$"
)
_ISO_LIKE = re.compile(r"\d{4}-\d{2}-\d{2}")
# A "+0200" offset at the end written "+02:00"; compiled once, as
# re.sub() with a pattern string looks it up in re's cache on every call.
_OFFSET_WITHOUT_COLON = re.compile(r"([+-]\d{2})(\d{2})$")
_COMPACT = re.compile(r"^(\d{4})(\d{2})(\d{2})(?:T?(\d{2})(\d{2})(\d{2})?)?Z?$")
_TEXT_DMY = re.compile(r"(\d{1,2})\.?\s+([^\W\d_]{3,10})\.?,?\s+(\d{4})")
_TEXT_MDY = re.compile(r"([^\W\d_]{3,10})\.?\s+(\d{1,2})(?:st|nd|rd|th)?,?\s+(\d{4})")
_NUMERIC_DMY = re.compile(r"\b(\d{1,2})[./](\d{1,2})[./](\d{4})\b")
_TIME = re.compile(r"\b(\d{1,2}):(\d{2})(?::(\d{2}))?\s*([ap]\.?m\.?)?", re.IGNORECASE)


def to_iso(value: object) -> str | None:
    """An ISO 8601 string for a date written in any common form, or None if it is not a date."""
    if not isinstance(value, str):
        return None
    text = value.strip()[:100]
    if not text:
        return None
    parsed = _parse(text)
    if parsed is None or not 1990 <= parsed.year <= 2100:
        return None
    if ":" not in text and parsed.hour == parsed.minute == parsed.second == 0:
        return parsed.date().isoformat()  # the page gave a day, not a time: don't invent midnight
    return parsed.isoformat()


def _parse(text: str) -> datetime | None:
    if _ISO_LIKE.match(text):
        candidate = text.replace(" ", "T", 1) if len(text) > 10 and text[10] == " " else text
        candidate = candidate.replace("Z", "+00:00")
        candidate = _OFFSET_WITHOUT_COLON.sub(r"\1:\2", candidate)
        try:
            return datetime.fromisoformat(candidate)
        except ValueError:
            try:
                return datetime.fromisoformat(candidate[:10])
            except ValueError:
                return None
    match = _COMPACT.match(text)
    if match:
        y, mo, d, h, mi, s = (int(g) if g else 0 for g in match.groups())
        return _make(y, mo, d, h, mi, s)
    if "," in text[:5] or text[:3].isalpha():
        try:
            return parsedate_to_datetime(text)
        except (TypeError, ValueError, IndexError):
            pass
    return _parse_words(text)


def _parse_words(text: str) -> datetime | None:
    hour = minute = second = 0
    time_match = _TIME.search(text)
    if time_match:
        hour, minute = int(time_match.group(1)), int(time_match.group(2))
        second = int(time_match.group(3) or 0)
        ampm = (time_match.group(4) or "").lower()
        if ampm.startswith("p") and hour < 12:
            hour += 12
        elif ampm.startswith("a") and hour == 12:
            hour = 0
    for pattern, order in ((_TEXT_MDY, "mdy"), (_TEXT_DMY, "dmy")):
        match = pattern.search(text)
        if not match:
            continue
        if order == "mdy":
            month_name, day, year = match.group(1), match.group(2), match.group(3)
        else:
            day, month_name, year = match.group(1), match.group(2), match.group(3)
        month = _MONTHS.get(month_name.lower())
        if month:
            return _make(int(year), month, int(day), hour, minute, second)
    match = _NUMERIC_DMY.search(text)
    if match:
        return _make(int(match.group(3)), int(match.group(2)), int(match.group(1)), hour, minute, second)
    return None


def _make(year: int, month: int, day: int, hour: int = 0, minute: int = 0, second: int = 0) -> datetime | None:
    try:
        return datetime(year, month, day, hour, minute, second)
    except ValueError:
        return None


# htmldate re-parses the page with lxml: only worth it, and only bounded, on ordinary pages.
HTMLDATE_MAX_CHARS = 2_000_000


def htmldate_fallback(html: str, url: str | None) -> str | None:
    """The publication date as htmldate (trafilatura's date finder) reads it: the last resort.

    It looks in places our metadata pass does not (the URL, headers of embedded scripts, date
    classes), and costs a few milliseconds, so it runs only for pages where nothing else said.
    """
    if len(html) > HTMLDATE_MAX_CHARS:
        return None
    try:
        from htmldate import find_date

        found = find_date(html, url=url, original_date=True, extensive_search=False)
    except Exception:  # noqa: BLE001 - a third-party guess must never fail the record
        return None
    return found or None
