"""Reading an article for a scenario: who fires, from which places, at whom.

Cues in the words around country and place names, used by :mod:`geo.scenario.infer`:
"North Korea launched", "fired by India", "Iran's Revolutionary Guards presented" (who fires);
"fired from an area near Pyongyang", "bases near Tabriz and Kermanshah", "launchers to bases in
Fujian province" (launch places); "missiles at Israel", "targets in Pakistan", "Japan within
range" (targets). Pure: regular expressions over the text and the places frame.
"""

from __future__ import annotations

import re
from typing import Any

import geopandas as gpd

from geo import boundaries, geodesic
from geo._errors import RangemapError

__all__ = ["GROUPS", "countries_named", "cued_targets", "launch_places", "relations", "shooters"]

#: Armed groups news names instead of their country (where they fire from).
GROUPS: dict[str, str] = {"houthi": "YE", "houthis": "YE", "hezbollah": "LB", "hamas": "PS"}

_LAUNCH_VERB = (
    r"(?:test-?fire[sd]?|test-?launch(?:es|ed)?|fire[sd]?|launch(?:es|ed)?|field(?:s|ed)?|"
    r"deploy(?:s|ed)?|unveil(?:s|ed)?|present(?:s|ed)?|use[sd]?|tested|moved|struck|"
    r"shot|sent|aim(?:s|ed)|targeted|attacked)"
)
_BY = r"(?:fired|launched|fielded|used|deployed|operated|built|developed|made|shot)\s+by"
_SUPPLIER = re.compile(r"^[-‐‑]?\s*(?:supplied|made|built|provided|donated|designed|produced)")
_LAUNCH_BEFORE = re.compile(
    r"(?:\bfrom|\b(?:bases?|sites?|positions?|launchers?|silos?|launch(?:ed|es)?|fired|"
    r"firing|tested)\s+(?:\w+\s+)?(?:in|near|at|around|outside|to|on)|\b(?:deploy(?:ed|s)?|"
    r"station(?:ed|s)?|based|mov(?:ed|es)|position(?:ed|s)?)\s+(?:[\w-]+\s+){0,4}?"
    r"(?:in|near|at|around|outside|to|on))(?:\s+(?:the|an?|areas?|bases?|sites?|positions?|near|around|outside|in|at|of|"
    r"coast|coastal|province|region|city|port|town|[\w-]+'s|[\w-]+’s))*\s*$",
    re.IGNORECASE,
)
_AND = re.compile(r"^\s*(?:,\s*(?:and\s+|or\s+)?|and\s+|or\s+)$", re.IGNORECASE)


def countries_named(text: str, places: gpd.GeoDataFrame) -> dict[str, list[str]]:
    """Return country code → the words the article names it by, in order of first mention."""
    out: dict[str, list[str]] = {}
    if len(places):
        rows = places[places["kind"] == "country"]
        for code, surfaces in zip(rows["country_code"], rows["surfaces"], strict=True):
            if isinstance(code, str) and len(code) == 2:
                out.setdefault(code, []).extend(str(s) for s in list(surfaces))
    for word, code in GROUPS.items():
        if re.search(rf"\b{word}\b", text, re.IGNORECASE):
            out.setdefault(code, []).append(word)
    first = {c: min((_find(text, s) for s in words), default=len(text)) for c, words in out.items()}
    return dict(sorted(out.items(), key=lambda kv: first[kv[0]]))


def shooters(text: str, named: dict[str, list[str]]) -> dict[str, int]:
    """Return, per country, how many sentences make it the subject of a launch verb."""
    counts: dict[str, int] = {}
    for code, words in named.items():
        counts[code] = sum(len(list(relations(text, w))) for w in words)
    return counts


def relations(text: str, word: str) -> list[re.Match[str]]:
    """Return the places where ``word`` (a country's name) fires, launches, fields..."""
    w = re.escape(word)
    subject = re.compile(
        rf"\b{w}(?:['’]s)?(?![-‐‑]\s*(?:supplied|made|built|provided))\s+(?:[\w'’-]+\s+){{0,6}}?"
        rf"{_LAUNCH_VERB}\b",
        re.IGNORECASE,
    )
    agent = re.compile(rf"\b{_BY}\s+(?:the\s+)?(?:[\w'’-]+\s+){{0,2}}?{w}\b", re.IGNORECASE)
    hits = []
    for pattern in (subject, agent):
        for m in pattern.finditer(text):
            inner = m.group(0)
            if "." in inner.rstrip(".") or _SUPPLIER.match(text[m.start() + len(word) :]):
                continue
            hits.append(m)
    return hits


def launch_places(text: str, places: gpd.GeoDataFrame) -> dict[str, list[tuple[str, str]]]:
    """Return country code → [(launch spec, name)] of the places named as launch sites.

    A place counts when the words before it in its sentence say it is where weapons are
    fired from ("from an area near X", "bases near X and Y", "launchers to bases in X").
    """
    hits: list[tuple[int, int, str, str, str]] = []
    for row in places.itertuples() if len(places) else ():
        if row.kind == "country" or not isinstance(row.country_code, str):
            continue
        for surface in dict.fromkeys(str(s) for s in list(row.surfaces)):
            for m in re.finditer(rf"(?<!\w){re.escape(surface)}(?!\w)", text):
                hits.append((m.start(), m.end(), row.country_code, _place_spec(row), str(row.name)))
    hits.extend(_bases_named(text))
    hits.sort()
    out: dict[str, list[tuple[str, str]]] = {}
    last_end = -1
    for start, end, code, spec, label in hits:
        before = text[max(0, start - 80) : start]
        before = re.split(r"[.!?;\n]", before)[-1]
        if _LAUNCH_BEFORE.search(before) or (last_end >= 0 and _AND.match(text[last_end:start])):
            pairs = out.setdefault(code, [])
            if (spec, label) not in pairs:
                pairs.append((spec, label))
            last_end = end
    return out


def _bases_named(text: str) -> list[tuple[int, int, str, str, str]]:
    """Return the military bases and ports (``geo.sites.bases``) the text names."""
    from geo import sites

    out = []
    for base in sites.bases_in_text(text):
        out.append((base.start, base.end, base.country_code, base.name, base.name))
    return out


def _place_spec(row: Any) -> str:
    """Return a launch spec for a place row that reads back to the same place.

    A region with an outline by its code; else the place's name when
    :func:`geo.launch.launch_area` reads that name as the same place (within 25 km); else
    the point ``lat,lon``.
    """
    from geo.launch import launch_area

    code = getattr(row, "code", None)
    if getattr(row, "kind", "") == "region" and isinstance(code, str):
        try:
            boundaries.region(code)
            return f"region:{code}"
        except RangemapError:
            pass
    point = row.geometry.representative_point()
    name = str(getattr(row, "name", ""))
    try:
        back = launch_area(name).geometry.representative_point()
        if float(geodesic.distance_km(back.x, back.y, point.x, point.y)) <= 25:
            return name
    except RangemapError:
        pass
    return f"{point.y:.4f},{point.x:.4f}"


_TARGET_BEFORE = re.compile(
    r"\b(?:at|against|toward|towards|into|on|over|reach(?:es|ed)?|hit(?:s|ting)?|strike|struck|"
    r"striking|target(?:s|ed|ing)?\s+(?:in|on|across)|attack(?:s|ed)?)\s+"
    r"(?:the\s+|all\s+of\s+|any\s+|parts?\s+of\s+|[\w-]+\s+){0,3}$",
    re.IGNORECASE,
)
_TARGET_AFTER = re.compile(r"^[^.;]{0,40}\bwithin\s+(?:striking\s+)?(?:range|reach)\b", re.I)


def cued_targets(text: str, places: gpd.GeoDataFrame) -> set[str]:
    """Return the countries whose name, or a place in which, the text aims weapons at."""
    out: set[str] = set()
    for row in places.itertuples() if len(places) else ():
        code = row.country_code
        if not isinstance(code, str):
            continue
        for surface in dict.fromkeys(str(s) for s in list(row.surfaces)):
            for m in re.finditer(rf"(?<!\w){re.escape(surface)}(?!\w)", text):
                before = re.split(r"[.!?;\n]", text[max(0, m.start() - 60) : m.start()])[-1]
                if _TARGET_BEFORE.search(before) or _TARGET_AFTER.match(text[m.end() :]):
                    out.add(code)
    return out


def _find(text: str, word: str) -> int:
    m = re.search(rf"(?<!\w){re.escape(word)}(?!\w)", text, re.IGNORECASE)
    return m.start() if m else len(text)
