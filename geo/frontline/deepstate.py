"""DeepStateMap GeoJSON of every format era of the public archive (April 2022 onwards).

Each era is recognised by its own marks, and a file that has none of them, or a polygon whose
name and colour say nothing known, is refused rather than guessed:

========================  ==========================================================================
era                       marks
========================  ==========================================================================
``ukrainian-names``       names in Ukrainian only ("Окуповано", "Звільнено"); Crimea and ORDLO
                          filled ``#000000`` (spring 2022)
``bilingual-black``       names "Ukrainian /// English"; ORDLO/Crimea/Tuzla still ``#000000``
``bilingual``             "Ukrainian /// English"; Crimea/ORDLO ``#880e4f``
``bilingual-outside``     as ``bilingual`` plus areas far outside the war filled ``#ff5252``
``i18n-keys``             names end in a ``geoJSON.*`` i18n key (from 2024)
========================  ==========================================================================

Areas outside the Russia–Ukraine war (Transnistria, Abkhazia, Karelia, the Kurils, East
Prussia…) are dropped by their colour ``#ff5252``, their i18n key or their name; as a second
guard, an "occupied" polygon mostly outside Ukraine's outline is dropped too. Liberated areas,
grey zones and the Ukrainian-held part of Russia keep their class. The date comes from the API
answer's ``datetime`` or from the file name (the archive names files by their Unix time).
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping
from functools import cache
from pathlib import Path
from typing import Any

import geopandas as gpd
import numpy as np
import shapely
from shapely.geometry.base import BaseGeometry

from geo import _budget
from geo._errors import InputError
from geo.frontline.geojson import (
    DEEPSTATE_ATTRIBUTION,
    DEFAULT_MAX_BYTES,
    derived_line,
    dissolve,
    feature_geometries,
    features_of,
    parse_json,
    read_limited,
)

__all__ = ["ERAS", "date_from_name", "era", "is_deepstate", "load_deepstate"]

#: The format eras this loader knows, oldest first.
ERAS: tuple[str, ...] = (
    "ukrainian-names",
    "bilingual-black",
    "bilingual",
    "bilingual-outside",
    "i18n-keys",
)
#: Fill colour → class for polygons whose name says nothing more specific.
FILL_CLASSES: dict[str, str] = {
    "#a52714": "occupied_since_2022",
    "#880e4f": "occupied_before_2022",
    "#000000": "occupied_before_2022",
    "#01579b": "ukrainian_held_in_russia",
    "#0f9d58": "liberated_2022",
    "#0288d1": "liberated_2022",
    "#bdbdbd": "grey_zone",
    "#bcaaa4": "grey_zone",
}
#: Fill of areas outside the war, from 2022-09 on.
OUTSIDE_FILL = "#ff5252"
#: Share of an "occupied" polygon that must lie in Ukraine for it to count as occupied Ukraine.
MIN_SHARE_IN_UKRAINE = 0.5

#: How near Ukraine's outline (degrees) an island or spit off its coast may lie.
_NEAR_DEG = 0.3
_BEFORE_2022_KEYS = (
    "geojson.territories.crimea",
    "geojson.territories.ordlo",
    "geojson.territories.tuzla",
)
_BEFORE_2022_NAMES = re.compile(
    r"крим|crimea|ордло|ordlo|cadr|calr|тузла|tuzla|севастопол|sevastopol", re.IGNORECASE
)
_OUTSIDE_NAMES = re.compile(
    r"придністров|transnistr|абхаз|abkhaz|карел|karel|курил|kuril|прусс|prussia|ічкер|ichker|"
    r"цхінвал|tskhinval|петсамо|petsamo|салла|salla|печор|pechor|латві|latvia|естоні|estonia",
    re.IGNORECASE,
)
_KNOWN_KEYS = re.compile(
    r"geojson\.(status\.(occupied|unknown|dismissed\w*)|territories\.\w+|zmiinyi_island)"
)
_CYRILLIC = re.compile(r"[а-яіїєґ]", re.IGNORECASE)
_UNIX_NAME = re.compile(r"^(\d{9,10})(?:\.\w+)*$")
_ISO_NAME = re.compile(r"(\d{4}-\d{2}-\d{2})")


def is_deepstate(obj: Mapping[str, Any]) -> bool:
    """Tell whether parsed JSON carries DeepStateMap marks (the API answer, or its palette).

    A FeatureCollection counts when its polygons use DeepStateMap names ("… /// …",
    ``geoJSON.*`` keys, or Ukrainian status words) with DeepStateMap fill colours.
    """
    if isinstance(obj.get("map"), Mapping):
        return True
    for props in _polygon_props(obj, limit=400):
        name, fill = _name(props), _fill(props)
        if "geojson." in name.lower() or "///" in name:
            return True
        if (fill in FILL_CLASSES or fill == OUTSIDE_FILL) and _CYRILLIC.search(name):
            return True
    return False


def era(obj: Mapping[str, Any]) -> str:
    """Return the format era of a DeepStateMap FeatureCollection (see :data:`ERAS`).

    Raises
    ------
    InputError
        When the file carries none of the marks of a known era.
    """
    props = list(_polygon_props(obj))
    names = [_name(p) for p in props]
    fills = {_fill(p) for p in props}
    if not props:
        return "empty"  # nothing to misread (an API answer with no areas)
    if any(_KNOWN_KEYS.search(n.lower()) for n in names):
        return "i18n-keys"
    if any("///" in n for n in names):
        if "#000000" in fills:
            return "bilingual-black"
        return "bilingual-outside" if OUTSIDE_FILL in fills else "bilingual"
    if names and any(_CYRILLIC.search(n) for n in names) and fills & set(FILL_CLASSES):
        return "ukrainian-names"
    raise InputError(
        "not a DeepStateMap format this loader knows: no 'Ukrainian /// English' names, no "
        "geoJSON.* keys and no Ukrainian names with DeepStateMap colours (refusing to guess)"
    )


def load_deepstate(
    obj_or_path: Mapping[str, Any] | str | Path,
    *,
    date: str = "",
    derive_line: bool = True,
    name: str = "",
) -> gpd.GeoDataFrame:
    """Load a DeepStateMap snapshot of any era (a FeatureCollection, or the API answer).

    Parameters
    ----------
    obj_or_path
        The parsed JSON, or the path of a file.
    date
        ISO date to record; else the API answer's ``datetime``, else the file name's Unix time.
    derive_line
        Add the ``line_of_contact`` derived from the areas (coasts and borders left out).
    name
        The file name, for the date and for messages.

    Returns
    -------
    geopandas.GeoDataFrame
        The classified frame, EPSG:4326, with the era and the DeepStateMap attribution in
        ``source``.

    Raises
    ------
    InputError
        When the format or one of its polygons is not recognised.
    """
    obj = obj_or_path
    if isinstance(obj, str | Path):
        name = name or str(obj)
        obj = parse_json(read_limited(obj, max_bytes=DEFAULT_MAX_BYTES), name=str(obj))
    if isinstance(obj.get("map"), Mapping):
        date = date or _api_date(obj.get("datetime"))
        obj = obj["map"]
    date = date or date_from_name(name)
    kind = era(obj)
    parts = _classified(obj)
    if derive_line:
        parts["line_of_contact"] = [derived_line(parts)]
    source = f"DeepStateMap GeoJSON ({kind} format), {DEEPSTATE_ATTRIBUTION}"
    return dissolve(parts, date=date, source=source)


def date_from_name(name: str | Path) -> str:
    """Return the ISO date in a file name: a Unix time (UTC, as the archive) or YYYY-MM-DD."""
    stem = Path(str(name)).name
    unix = _UNIX_NAME.match(stem)
    if unix:
        return dt.datetime.fromtimestamp(int(unix.group(1)), tz=dt.UTC).date().isoformat()
    iso = _ISO_NAME.search(stem)
    if iso:
        try:
            return dt.date.fromisoformat(iso.group(1)).isoformat()
        except ValueError:
            return ""
    return ""


# --- helpers ---------------------------------------------------------------------------------


def _classified(obj: Mapping[str, Any]) -> dict[str, list[BaseGeometry]]:
    """Return the polygons of each class; areas outside the war are left out."""
    from geo import boundaries

    ukraine = boundaries.country("UA").geometry.union_all()
    shapely.prepare(ukraine)
    parts: dict[str, list[BaseGeometry]] = {}
    features = features_of(obj)
    for i, (feature, raw) in enumerate(zip(features, feature_geometries(features), strict=True)):
        _budget.check()
        geom = _polygonal(raw)
        if geom.is_empty:
            continue
        props = feature.get("properties")
        props = props if isinstance(props, Mapping) else {}
        cls = _polygon_class(_name(props), _fill(props), index=i)
        if cls in ("occupied_since_2022", "occupied_before_2022"):
            geom = _in_ukraine(geom, ukraine)
        if cls and not geom.is_empty:
            parts.setdefault(cls, []).append(geom)
    return parts


def _polygon_class(name: str, fill: str, *, index: int) -> str | None:
    """Return the class of a polygon from its i18n key, name and fill; ``None``: outside."""
    key = re.sub(r"\s+", " ", name.split("///")[-1]).strip().lower()
    if fill == OUTSIDE_FILL or _OUTSIDE_NAMES.search(name):
        return None
    if key.startswith("geojson.territories."):
        return (
            "occupied_before_2022"
            if key.startswith((*_BEFORE_2022_KEYS, "geojson.territories.tuzla"))
            else None
        )
    if _BEFORE_2022_NAMES.search(name) and fill in ("#000000", "#880e4f", "#a52714"):
        return "occupied_before_2022"
    if fill in FILL_CLASSES:
        return FILL_CLASSES[fill]
    raise InputError(
        f"feature {index}: DeepStateMap polygon {name.strip()[:80]!r} with fill {fill or 'none'} "
        "is of no known category (format not recognised, refusing to guess)"
    )


def _in_ukraine(geom: BaseGeometry, ukraine: BaseGeometry) -> BaseGeometry:
    """Keep the parts of an occupied polygon that are Ukraine's.

    A part counts when it lies mostly in Ukraine's outline, or is an island or spit off its
    coast (near it and not on another country's land).
    """
    parts = shapely.get_parts(geom)
    kept = [p for p in parts if p.area > 0 and _is_ukraines(p, ukraine)]
    if len(kept) == len(parts):
        return geom
    return shapely.union_all(kept) if kept else shapely.Polygon()


def _is_ukraines(part: BaseGeometry, ukraine: BaseGeometry) -> bool:
    """Tell whether one polygon is Ukraine's (see :func:`_in_ukraine`)."""
    if ukraine.contains(part):
        return True
    if shapely.intersection(part, ukraine).area >= MIN_SHARE_IN_UKRAINE * part.area:
        return True
    return bool(shapely.distance(part, ukraine) < _NEAR_DEG and _foreign_share(part) < 0.5)


def _foreign_share(part: BaseGeometry) -> float:
    """Return the share of a polygon's area on the land of countries other than Ukraine.

    Only the countries whose boxes meet the polygon's are merged, each cut to the polygon's
    box first: the same land as the whole world's union there, without building that union.
    """
    tree, outlines = _foreign_countries()
    near = outlines[tree.query(part)]
    if not len(near):
        return 0.0
    box = shapely.box(*part.bounds)
    land = shapely.union_all(shapely.intersection(near, box))
    return float(shapely.intersection(part, land).area / part.area)


@cache
def _foreign_countries() -> tuple[shapely.STRtree, np.ndarray]:
    """Return a tree over the outlines of every country but Ukraine, and those outlines."""
    from geo import boundaries

    world = boundaries.countries()
    outlines = world.loc[world["iso_a2"] != "UA"].geometry.to_numpy()
    return shapely.STRtree(outlines), outlines


def _polygon_props(obj: Mapping[str, Any], *, limit: int | None = None) -> list[Mapping[str, Any]]:
    """Return the properties of the (multi)polygon features, at most ``limit``."""
    features = obj.get("features")
    out: list[Mapping[str, Any]] = []
    for feature in features if isinstance(features, list) else ():
        if limit is not None and len(out) >= limit:
            break
        if not isinstance(feature, Mapping):
            continue
        geom, props = feature.get("geometry"), feature.get("properties")
        kind = geom.get("type") if isinstance(geom, Mapping) else None
        if kind in ("Polygon", "MultiPolygon", "GeometryCollection") and isinstance(props, Mapping):
            out.append(props)
    return out


def _polygonal(geom: BaseGeometry) -> BaseGeometry:
    """Keep the polygons of a geometry (collections included)."""
    if geom.geom_type in ("Polygon", "MultiPolygon"):
        return geom
    polys = [g for g in shapely.get_parts(geom) if g.geom_type in ("Polygon", "MultiPolygon")]
    return shapely.union_all(polys) if polys else shapely.Polygon()


def _name(props: Mapping[str, Any]) -> str:
    """Return a feature's name as text."""
    value = props.get("name")
    return value if isinstance(value, str) else ""


def _fill(props: Mapping[str, Any]) -> str:
    """Return a feature's fill colour, lower case."""
    value = props.get("fill")
    return value.strip().lower() if isinstance(value, str) else ""


def _api_date(value: object) -> str:
    """Return the ISO date of the API answer's ``datetime``, or ``""``."""
    text = str(value or "")[:10]
    try:
        return dt.date.fromisoformat(text).isoformat()
    except ValueError:
        return ""
