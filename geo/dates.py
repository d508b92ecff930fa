"""The date an article speaks of: a dateline, an explicit date, or a weekday with a month-day.

:func:`article_date` reads the date that should pick the frontline snapshot for an article:

1. a **dateline** at the head of the text ("KYIV, June 8, 2023 (Reuters) -",
   "Thursday 8 June 2023", "2023-06-08"), or a dated "Published/Updated" line;
2. else the first **explicit date** in the text ("June 8, 2023", "8 June 2023", "2023-06-08",
   "08.06.2023");
3. else a **month-day without a year** (in the dateline or the text) resolved with a year: the
   weekday beside it ("Thursday, June 8") when exactly one year in the window matches it, else
   the only four-digit year the text mentions.

Pure and bounded: regular expressions over at most :data:`MAX_CHARS` characters, no I/O.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

__all__ = ["MAX_CHARS", "TextDate", "article_date", "parse_date"]

#: Characters of an article read for its date (datelines are at the top).
MAX_CHARS = 200_000
#: Characters from the start of the text where a date counts as the dateline.
DATELINE_CHARS = 160
#: Earliest date read by default: the full-scale invasion, where frontline snapshots begin
#: (a history of 2014 in an article does not pick a frontline).
EARLIEST = dt.date(2022, 2, 24)

_MONTHS = {
    m: i
    for i, names in enumerate(
        (
            ("january", "jan"),
            ("february", "feb"),
            ("march", "mar"),
            ("april", "apr"),
            ("may",),
            ("june", "jun"),
            ("july", "jul"),
            ("august", "aug"),
            ("september", "sep", "sept"),
            ("october", "oct"),
            ("november", "nov"),
            ("december", "dec"),
        ),
        start=1,
    )
    for m in names
}
_WEEKDAYS = {
    name: i
    for i, names in enumerate(
        (
            ("monday", "mon"),
            ("tuesday", "tue", "tues"),
            ("wednesday", "wed"),
            ("thursday", "thu", "thurs"),
            ("friday", "fri"),
            ("saturday", "sat"),
            ("sunday", "sun"),
        )
    )
    for name in names
}
_MONTH = r"(?P<month>" + "|".join(sorted(_MONTHS, key=len, reverse=True)) + r")\.?"
_WEEKDAY = r"(?:(?P<weekday>" + "|".join(sorted(_WEEKDAYS, key=len, reverse=True)) + r")\.?,?\s+)?"
_DAY = r"(?P<day>[0-3]?\d)(?:st|nd|rd|th)?"
_YEAR = r"(?:,?\s+(?P<year>(?:19|20)\d\d)\b)?"
_PATTERNS = (
    re.compile(r"\b(?P<year>(?:19|20)\d\d)-(?P<mnum>[01]\d)-(?P<day>[0-3]\d)\b"),
    re.compile(r"\b(?P<day>[0-3]?\d)\.(?P<mnum>[01]?\d)\.(?P<year>(?:19|20)\d\d)\b"),
    re.compile(r"\b" + _WEEKDAY + _MONTH + r"\s+" + _DAY + r"\b" + _YEAR, re.IGNORECASE),
    re.compile(r"\b" + _WEEKDAY + _DAY + r"\s+(?:of\s+)?" + _MONTH + r"\b" + _YEAR, re.IGNORECASE),
)
_PUBLISHED = re.compile(r"\b(?:published|updated|posted|dated)\b[^\n]{0,40}$", re.IGNORECASE)
_ANY_YEAR = re.compile(r"\b((?:19|20)\d\d)\b")


@dataclass(frozen=True)
class TextDate:
    """A date read from text.

    Attributes
    ----------
    date
        The date.
    how
        ``"dateline"``, ``"explicit"``, ``"weekday"`` (year from the weekday) or
        ``"year-in-text"`` (year from the only year the text mentions).
    text
        The words the date was read from.
    start
        Offset of those words in the text.
    """

    date: dt.date
    how: str
    text: str
    start: int


def article_date(
    text: str, *, earliest: dt.date = EARLIEST, latest: dt.date | None = None
) -> TextDate | None:
    """Return the date an article speaks of, or ``None`` when the text does not say.

    Parameters
    ----------
    text
        The article.
    earliest, latest
        The window a year-less month-day is resolved in (``latest`` defaults to today);
        explicit dates outside it are ignored too.

    Returns
    -------
    TextDate or None
        The dateline's date, else the first explicit date, else a month-day with the year the
        weekday or the text implies.
    """
    latest = latest or dt.date.today()
    head = text[:MAX_CHARS]
    found = [m for m in _matches(head) if m[1] is not None or m[2] is not None]
    dated = [m for m in found if m[1] is not None and earliest <= m[1] <= latest]
    for start, when, _, words in dated:
        if when and (start < DATELINE_CHARS or _PUBLISHED.search(head[max(0, start - 60) : start])):
            return TextDate(when, "dateline", words, start)
    for start, when, _, words in dated:
        if when:
            return TextDate(when, "explicit", words, start)
    for start, _, partial, words in found:
        resolved = _resolve_year(partial, head, earliest=earliest, latest=latest)
        if resolved is not None:
            return TextDate(resolved[0], resolved[1], words, start)
    return None


def parse_date(value: str) -> dt.date | None:
    """Return the date of one date string ("2023-06-08", "June 8, 2023", "8 June 2023")."""
    for _, when, _, _ in _matches(value.strip()):
        if when is not None:
            return when
    return None


# --- helpers ---------------------------------------------------------------------------------

_Partial = tuple[int, int, int | None]  # month, day, weekday (no year)


def _matches(text: str) -> list[tuple[int, dt.date | None, _Partial | None, str]]:
    """Return every date-like match: (offset, full date or None, year-less parts or None, words)."""
    out: list[tuple[int, dt.date | None, _Partial | None, str]] = []
    for pattern in _PATTERNS:
        for m in pattern.finditer(text):
            groups = m.groupdict()
            month = int(groups["mnum"]) if groups.get("mnum") else _MONTHS[groups["month"].lower()]
            day = int(groups["day"])
            weekday = groups.get("weekday")
            wd = _WEEKDAYS[weekday.lower()] if weekday else None
            if not 1 <= month <= 12 or not 1 <= day <= 31:
                continue
            if groups.get("year"):
                when = _date(int(groups["year"]), month, day)
                if when is not None and (wd is None or when.weekday() == wd):
                    out.append((m.start(), when, None, m.group(0)))
            else:
                out.append((m.start(), None, (month, day, wd), m.group(0)))
    return sorted(out, key=lambda item: item[0])


def _resolve_year(
    partial: _Partial | None, text: str, *, earliest: dt.date, latest: dt.date
) -> tuple[dt.date, str] | None:
    """Give a year-less month-day its year: the weekday's, else the text's only year."""
    if partial is None:
        return None
    month, day, weekday = partial
    candidates = [
        d
        for year in range(earliest.year, latest.year + 1)
        if (d := _date(year, month, day)) is not None and earliest <= d <= latest
    ]
    if weekday is not None:
        fitting = [d for d in candidates if d.weekday() == weekday]
        if len(fitting) == 1:
            return fitting[0], "weekday"
    years = {int(y) for y in _ANY_YEAR.findall(text)}
    if len(years) == 1:
        year_dates = [d for d in candidates if d.year in years]
        if year_dates and (weekday is None or year_dates[0].weekday() == weekday):
            return year_dates[0], "year-in-text"
    return None


def _date(year: int, month: int, day: int) -> dt.date | None:
    """Return the date, or ``None`` when it does not exist (31 June)."""
    try:
        return dt.date(year, month, day)
    except ValueError:
        return None
