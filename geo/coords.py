"""One parser for coordinates typed by people: ``lat,lon`` in decimal or degrees-minutes-seconds.

Accepted (latitude first unless hemisphere letters say otherwise)::

    50.45,30.52        50.45, 30.52        -33.9,18.4        50.45 30.52
    50.45N 30.52E      50.45° N, 30.52° E  N50.45 E30.52     33.9S,18.4E
    50°27′N 30°31′E    50°27'12"N 30°31'5"E                 50 27 12 N 30 31 5 E

With hemisphere letters the order does not matter (``30.5E 50.4N`` is the same point); the
letters replace signs (``-33.9N`` is refused as contradictory). Every value is checked:
finite, latitude -90..90, longitude -180..180, minutes and seconds below 60.

:func:`fix_negative_coordinates` lets argparse take ``--from -33.9,18.4``: it glues a value
that starts with ``-`` but is a coordinate to its option (``--from=-33.9,18.4``).
"""

from __future__ import annotations

import functools
import math
import re
from collections.abc import Sequence

from geo._errors import InputError

__all__ = [
    "fix_negative_coordinates",
    "is_coordinate_text",
    "looks_like_coordinates",
    "parse_latlon",
]

_NUMBER = r"[+-]?(?:\d+(?:\.\d*)?|\.\d+)"
_DEG = "°º˚"
_MIN = "′'’`"
_SEC = '″"”'
#: One coordinate: optional leading hemisphere, degrees, optional minutes and seconds,
#: optional trailing hemisphere.
_PART = rf"""\s*(?P<pre>[NSEW])?\s*
    (?P<deg>{_NUMBER})\s*[{_DEG}]?\s*
    (?:(?P<min>\d+(?:\.\d*)?)\s*[{_MIN}]?\s*)?
    (?:(?P<sec>\d+(?:\.\d*)?)\s*(?:[{_SEC}]|[{_MIN}]{{2}})?\s*)?
    (?P<post>[NSEW])?\s*"""


@functools.cache
def _part_pattern() -> re.Pattern[str]:
    """Return the compiled :data:`_PART` (compiled on first use: ~20 ms every CLI start)."""
    return re.compile(_PART, re.VERBOSE | re.IGNORECASE)


_COORDINATE_CHARS = re.compile(rf"[\d\s.,;+\-{_DEG}{_MIN}{_SEC}NSEWnsew]+")
_LONGEST = 80


def parse_latlon(text: str) -> tuple[float, float]:
    """Return ``(lat, lon)`` in degrees from a coordinate pair typed by a person.

    Parameters
    ----------
    text
        Two coordinates, see the module docstring for the forms.

    Raises
    ------
    InputError
        If the text is not a coordinate pair, or a value is out of range.
    """
    if not isinstance(text, str) or not text.strip() or len(text) > _LONGEST:
        raise InputError(f"not a coordinate pair: {str(text)[:_LONGEST]!r}")
    first, second = _split(text)
    a, b = _part(first, text), _part(second, text)
    lat, lon = _order(a, b, text)
    if not -90 <= lat <= 90:
        raise InputError(f"latitude must be between -90 and 90, got {lat:g} in {text!r}")
    if not -180 <= lon <= 180:
        raise InputError(f"longitude must be between -180 and 180, got {lon:g} in {text!r}")
    return lat, lon


def is_coordinate_text(text: str) -> bool:
    """Tell whether ``text`` is written only with what coordinates are written with.

    Such text (digits, signs, separators, degree/minute/second marks, N/S/E/W) is meant as
    coordinates: read it with :func:`parse_latlon` and report its errors, rather than look it
    up as a place name.
    """
    return bool(_COORDINATE_CHARS.fullmatch(text) and re.search(r"\d", text))


def looks_like_coordinates(text: str) -> bool:
    """Tell whether ``text`` is a coordinate pair :func:`parse_latlon` accepts."""
    try:
        parse_latlon(text)
    except InputError:
        return False
    return True


def fix_negative_coordinates(argv: Sequence[str]) -> list[str]:
    """Glue option values that start with ``-`` but are coordinates to their option.

    argparse reads ``--from -33.9,18.4`` as two options; ``--from=-33.9,18.4`` is what the
    user meant. Only a token right after a long option, that parses as a coordinate pair, is
    glued, so ``-h``, ``-q`` and negative numbers of ``nargs`` options keep their meaning.
    """
    out: list[str] = []
    tokens = list(argv)
    i = 0
    while i < len(tokens):
        token = tokens[i]
        nxt = tokens[i + 1] if i + 1 < len(tokens) else ""
        if (
            token.startswith("--")
            and "=" not in token
            and len(token) > 2
            and nxt.startswith("-")
            and looks_like_coordinates(nxt)
        ):
            out.append(f"{token}={nxt}")
            i += 2
            continue
        out.append(token)
        i += 1
    return out


# --- helpers ----------------------------------------------------------------------------------


def _split(text: str) -> tuple[str, str]:
    """Split a pair at its comma (or the space between two coordinates)."""
    stripped = text.strip()
    if stripped.count(",") == 1 or ";" in stripped:
        first, _, second = re.split(r"([,;])", stripped, maxsplit=1)
        return first, second
    # No comma: split at the hemisphere letters (before the second of leading letters,
    # after the first of trailing ones), or between two plain numbers.
    if m := re.match(r"^([NSEW][^NSEW]+)([NSEW].*)$", stripped, re.IGNORECASE):
        return m.group(1), m.group(2)
    if m := re.match(r"^([^NSEW]+[NSEW])(.+)$", stripped, re.IGNORECASE):
        return m.group(1), m.group(2)
    if m := re.match(r"^([NSEW]?\s*[-+]?[\d.]+[^,\s]*)\s+(.*)$", stripped, re.IGNORECASE):
        first, second = m.group(1), m.group(2)
        if _numbers(first) == 1 and _numbers(second) == 1:
            return first, second
    numbers = re.findall(r"[-+]?\d+(?:\.\d+)?", stripped)
    if len(numbers) in (4, 6) and not re.search("[NSEW]", stripped, re.IGNORECASE):
        half = len(numbers) // 2
        return " ".join(numbers[:half]), " ".join(numbers[half:])
    raise InputError(f"not a coordinate pair: {text!r} (give 'lat,lon', e.g. 50.45,30.52)")


def _numbers(text: str) -> int:
    return len(re.findall(r"\d+(?:\.\d+)?", text))


def _part(part: str, text: str) -> tuple[float, str | None]:
    """Return one coordinate's signed degrees and its hemisphere letter (or None)."""
    m = _part_pattern().fullmatch(part)
    if not m or (m["pre"] and m["post"]):
        raise InputError(f"not a coordinate pair: {text!r} (cannot read {part.strip()!r})")
    deg = float(m["deg"])
    minutes = float(m["min"] or 0)
    seconds = float(m["sec"] or 0)
    if minutes >= 60 or seconds >= 60 or not math.isfinite(deg):
        raise InputError(f"minutes and seconds must be below 60 in {text!r}")
    if (minutes or seconds) and ("." in m["deg"] or m["deg"].startswith("+")):
        raise InputError(f"decimal degrees cannot have minutes in {text!r}")
    sign = -1.0 if m["deg"].startswith("-") else 1.0
    value = sign * (abs(deg) + minutes / 60 + seconds / 3600)
    hemisphere = (m["pre"] or m["post"] or "").upper() or None
    if hemisphere and sign < 0:
        raise InputError(f"give either a minus sign or {hemisphere}, not both, in {text!r}")
    if hemisphere in ("S", "W"):
        value = -value
    return value, hemisphere


def _order(
    a: tuple[float, str | None], b: tuple[float, str | None], text: str
) -> tuple[float, float]:
    """Return (lat, lon) from two parts, swapping them when hemisphere letters say so."""
    (va, ha), (vb, hb) = a, b
    axis = {"N": "lat", "S": "lat", "E": "lon", "W": "lon", None: None}
    first, second = axis[ha], axis[hb]
    if first == "lon" or second == "lat":
        va, vb, first, second = vb, va, second, first
    if first == "lon" or second == "lat":
        raise InputError(f"one latitude (N/S) and one longitude (E/W) please, in {text!r}")
    return va, vb
