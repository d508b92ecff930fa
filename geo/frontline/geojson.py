"""Load the frontline files users have: DeepStateMap GeoJSON, generic GeoJSON, KML and KMZ.

Every loader returns the classified frame of :mod:`geo.frontline.schema` (EPSG:4326, one row
per class). Invalid geometries are repaired with :func:`shapely.make_valid` and reported with a
:class:`FrontlineRepairWarning` (``warnings.warn``); input that cannot be read safely (not JSON,
too large, hostile XML, zip bombs) raises :class:`geo._errors.InputError`.
"""

from __future__ import annotations

import json
import re
import warnings
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

import geopandas as gpd
import shapely
from shapely.geometry import shape
from shapely.geometry.base import BaseGeometry

from geo._errors import InputError
from geo.frontline.schema import make_frame

__all__ = [
    "DEEPSTATE_ATTRIBUTION",
    "DEFAULT_MAX_BYTES",
    "LINE_BORDER_GAP_KM",
    "FrontlineRepairWarning",
    "classify_text",
    "derived_line",
    "dissolve",
    "load_deepstate",
    "load_file",
    "load_geojson",
    "read_limited",
    "repair_geometry",
]

#: Largest frontline file read by default (a full DeepStateMap snapshot is well under 5 MB).
DEFAULT_MAX_BYTES = 64 * 1024 * 1024
#: Distance from Ukraine's border and coast within which an occupied edge is not the front.
LINE_BORDER_GAP_KM = 3.0
_OCCUPIED = ("occupied_before_2022", "occupied_since_2022")
#: Attribution for DeepStateMap data.
DEEPSTATE_ATTRIBUTION = "© DeepStateMap (deepstatemap.live)"

#: DeepStateMap fill colours → class (``None``: not part of the frontline, dropped).
FILL_CLASSES: dict[str, str | None] = {
    "#a52714": "occupied_since_2022",
    "#880e4f": "occupied_before_2022",
    "#01579b": "ukrainian_held_in_russia",
    "#0f9d58": "liberated_2022",
    "#bdbdbd": "grey_zone",
    "#bcaaa4": "grey_zone",
    "#ff5252": None,
}
_BEFORE_2022_KEYS = (
    "geojson.territories.crimea",
    "geojson.territories.ordlo",
    "geojson.territories.tuzla",
)
#: Keyword rules for free-text classes (first match wins; specific before general).
_KEYWORDS: tuple[tuple[str, str], ...] = (
    (r"ukrainian[_ -]held[_ -]in[_ -]russia|kursk|incursion|sudzha", "ukrainian_held_in_russia"),
    (r"before[_ -]2022|pre[_ -]?2022|crimea|ordlo|\bdnr\b|\blnr\b|annex", "occupied_before_2022"),
    (r"grey|gray|contested|unknown|disputed", "grey_zone"),
    (r"liberat|dismissed|de-?occupied", "liberated_2022"),
    (r"line[_ -]of[_ -]contact|front[_ -]?line|contact line", "line_of_contact"),
    (r"occupied|russian[_ -](held|controlled|control)|under russia", "occupied_since_2022"),
)


class FrontlineRepairWarning(UserWarning):
    """A geometry of a frontline file was invalid and has been repaired with ``make_valid``."""


def load_file(
    path: str | Path, *, max_bytes: int = DEFAULT_MAX_BYTES, date: str = ""
) -> gpd.GeoDataFrame:
    """Load a frontline file, detecting DeepStateMap GeoJSON, generic GeoJSON, KML or KMZ.

    Parameters
    ----------
    path
        The file to read.
    max_bytes
        Largest file size accepted (and, for KMZ, largest uncompressed size).
    date
        ISO date to record in the ``date`` column (files rarely say).

    Returns
    -------
    geopandas.GeoDataFrame
        The classified frame, EPSG:4326.

    Raises
    ------
    InputError
        When the file is missing, too large, of an unknown format, malformed or hostile.
    """
    data = read_limited(path, max_bytes=max_bytes)
    head = data[:512].lstrip(b"\xef\xbb\xbf \t\r\n")
    if data[:4] == b"PK\x03\x04":
        from geo.frontline.kml import load_kmz

        return load_kmz(data, max_bytes=max_bytes, date=date, name=str(path))
    if head.startswith(b"<"):
        from geo.frontline.kml import load_kml

        return load_kml(data, date=date, name=str(path))
    obj = _parse_json(data, name=str(path))
    if _is_deepstate(obj):
        return load_deepstate(obj, date=date)
    return load_geojson(obj, date=date, source=f"file {Path(path).name}")


def load_deepstate(
    obj_or_path: Mapping[str, Any] | str | Path, *, date: str = "", derive_line: bool = True
) -> gpd.GeoDataFrame:
    """Load a DeepStateMap snapshot (a FeatureCollection, or the API answer with ``map``).

    Polygons are classified on the i18n key at the end of ``name``
    (``"Ukrainian /// English /// geoJSON.status.occupied"``), falling back to the fill colour;
    the ``geoJSON.territories.*`` polygons far outside the war and all points are dropped.

    Parameters
    ----------
    obj_or_path
        The parsed JSON, or the path of a file.
    date
        ISO date to record; taken from the API answer's ``datetime`` when there is one.
    derive_line
        Add a ``line_of_contact``: the edge of the Russian-held areas (occupied, and the
        Ukrainian-held part of Russia) more than :data:`LINE_BORDER_GAP_KM` from Ukraine's
        international border and coast.

    Returns
    -------
    geopandas.GeoDataFrame
        The classified frame, EPSG:4326.
    """
    obj = obj_or_path
    if isinstance(obj, str | Path):
        obj = _parse_json(read_limited(obj, max_bytes=DEFAULT_MAX_BYTES), name=str(obj))
    if isinstance(obj.get("map"), Mapping):
        date = date or str(obj.get("datetime") or "")[:10]
        obj = obj["map"]
    parts: dict[str, list[BaseGeometry]] = {}
    for i, feature in enumerate(_features(obj)):
        props = feature.get("properties") or {}
        cls = _deepstate_class(str(props.get("name") or ""), str(props.get("fill") or ""))
        geom = _polygonal(_geometry(feature, i))
        if cls and not geom.is_empty:
            parts.setdefault(cls, []).append(geom)
    if derive_line:
        parts["line_of_contact"] = [derived_line(parts)]
    return dissolve(parts, date=date, source=f"DeepStateMap GeoJSON, {DEEPSTATE_ATTRIBUTION}")


def load_geojson(
    obj: Mapping[str, Any], *, date: str = "", source: str = "GeoJSON file"
) -> gpd.GeoDataFrame:
    """Load a generic GeoJSON FeatureCollection, classifying each feature by its properties.

    A feature's class comes from a ``class``/``status``/``category``/``name``/``description``
    property (the vocabulary itself, or keywords such as "occupied", "Crimea", "grey zone",
    "Kursk"), else from a ``fill``/``fillColor`` colour of the DeepStateMap palette, else it is
    ``unclassified``. Lines are the ``line_of_contact``; points are dropped.

    Returns
    -------
    geopandas.GeoDataFrame
        The classified frame, EPSG:4326.
    """
    parts: dict[str, list[BaseGeometry]] = {}
    for i, feature in enumerate(_features(obj)):
        props = feature.get("properties") or {}
        geom = _geometry(feature, i)
        if geom.is_empty or geom.geom_type in ("Point", "MultiPoint"):
            continue
        cls = _property_class(props, is_line="Line" in geom.geom_type)
        if cls:
            parts.setdefault(cls, []).append(geom)
    return dissolve(parts, date=date, source=source)


def classify_text(text: str) -> str | None:
    """Return the class named by free text (a name, folder, status), or ``None``."""
    low = text.strip().lower()
    for pattern, cls in _KEYWORDS:
        if re.search(pattern, low):
            return cls
    return None


def derived_line(parts: Mapping[str, Iterable[BaseGeometry]]) -> BaseGeometry:
    """Return the line of contact implied by classified areas (EPSG:4326).

    It is the boundary of the occupied areas and of the Ukrainian-held part of Russia, minus
    what lies within :data:`LINE_BORDER_GAP_KM` (a geodesic buffer) of Ukraine's outline:
    the international border and the coast are not a front. Pieces shorter than 1 km go.
    """
    from geo import boundaries
    from geo.frontline.schema import length_km
    from geo.geodesic import buffer

    areas = [g for cls in (*_OCCUPIED, "ukrainian_held_in_russia") for g in parts.get(cls, [])]
    if not areas:
        return shapely.LineString()
    edge = shapely.union_all(areas).boundary
    ukraine = boundaries.country("UA").geometry.union_all()
    near_border = buffer(ukraine.boundary, distance_km=LINE_BORDER_GAP_KM)
    line = shapely.line_merge(shapely.difference(edge, near_border))
    pieces = [p for p in shapely.get_parts(line) if length_km(p) >= 1.0]
    return shapely.MultiLineString(pieces) if pieces else shapely.LineString()


def dissolve(
    parts: Mapping[str, Iterable[BaseGeometry]], *, date: str, source: str
) -> gpd.GeoDataFrame:
    """Union the geometries of each class and return the classified frame (EPSG:4326)."""
    merged = {cls: shapely.union_all(list(geoms)) for cls, geoms in parts.items()}
    return make_frame(merged, date=date, source=source)


def read_limited(path: str | Path, *, max_bytes: int) -> bytes:
    """Read a file, refusing files over ``max_bytes``.

    Raises
    ------
    InputError
        When the file does not exist, cannot be read or is too large.
    """
    file = Path(path)
    try:
        size = file.stat().st_size
        if size > max_bytes:
            raise InputError(
                f"{file} is {size:,} bytes, over the limit of {max_bytes:,} bytes for frontline "
                "files (pass max_bytes= to raise it)"
            )
        with file.open("rb") as fh:
            data = fh.read(max_bytes + 1)
    except OSError as exc:
        raise InputError(f"cannot read frontline file {file}: {exc.strerror or exc}") from exc
    if len(data) > max_bytes:
        raise InputError(f"{file} is over the limit of {max_bytes:,} bytes for frontline files")
    return data


def repair_geometry(geom: BaseGeometry, *, what: str) -> BaseGeometry:
    """Return a valid geometry, warning when ``make_valid`` had to repair it."""
    if geom.is_valid:
        return geom
    reason = shapely.is_valid_reason(geom)
    warnings.warn(
        f"{what}: invalid geometry repaired with make_valid ({reason})",
        FrontlineRepairWarning,
        stacklevel=3,
    )
    return shapely.make_valid(geom)


# --- helpers ---------------------------------------------------------------------------------


def _parse_json(data: bytes, *, name: str) -> dict[str, Any]:
    """Parse JSON bytes into an object, with errors that say what is wrong."""
    try:
        obj = json.loads(data.decode("utf-8-sig"))
    except UnicodeDecodeError as exc:
        raise InputError(
            f"{name} is not UTF-8 text (byte {exc.start}): not a GeoJSON file"
        ) from exc
    except json.JSONDecodeError as exc:
        raise InputError(
            f"{name} is not valid JSON (line {exc.lineno}, column {exc.colno}: {exc.msg}); "
            "expected GeoJSON, KML or KMZ"
        ) from exc
    except RecursionError as exc:
        raise InputError(f"{name} is JSON nested too deeply to be GeoJSON") from exc
    if not isinstance(obj, dict):
        raise InputError(f"{name} is JSON but not a GeoJSON object (found {type(obj).__name__})")
    return obj


def _is_deepstate(obj: Mapping[str, Any]) -> bool:
    """Tell whether a parsed JSON object looks like a DeepStateMap snapshot."""
    if isinstance(obj.get("map"), Mapping):
        return True
    features = obj.get("features")
    if not isinstance(features, list):
        return False
    for feature in features[:200]:
        name = str(((feature or {}).get("properties") or {}).get("name") or "")
        if "geoJSON." in name and "///" in name:
            return True
    return False


def _features(obj: Mapping[str, Any]) -> list[Mapping[str, Any]]:
    """Return the features of a FeatureCollection (or a single Feature)."""
    if obj.get("type") == "Feature":
        return [obj]
    features = obj.get("features")
    if obj.get("type") != "FeatureCollection" or not isinstance(features, list):
        raise InputError(
            f"expected a GeoJSON FeatureCollection, found type {obj.get('type')!r} "
            "without a 'features' list"
        )
    return [f for f in features if isinstance(f, Mapping)]


def _geometry(feature: Mapping[str, Any], index: int) -> BaseGeometry:
    """Return a feature's 2-D geometry, repaired with a warning when invalid."""
    raw = feature.get("geometry")
    if not raw:
        return shapely.Polygon()
    try:
        geom = shapely.force_2d(shape(raw))
    except (ValueError, TypeError, AttributeError, KeyError, IndexError) as exc:
        raise InputError(f"feature {index} has a malformed geometry: {exc}") from exc
    except shapely.errors.ShapelyError as exc:
        raise InputError(f"feature {index} has a malformed geometry: {exc}") from exc
    return repair_geometry(geom, what=f"feature {index}")


def _polygonal(geom: BaseGeometry) -> BaseGeometry:
    """Keep the polygons of a geometry."""
    polys = [g for g in shapely.get_parts(geom) if g.geom_type in ("Polygon", "MultiPolygon")]
    return shapely.union_all(polys) if polys else shapely.Polygon()


def _deepstate_class(name: str, fill: str) -> str | None:
    """Return the class of a DeepStateMap polygon from its i18n key, else its fill colour."""
    key = re.sub(r"\s+", " ", name.split("///")[-1]).strip().lower()
    fill = fill.strip().lower()
    if key == "geojson.status.occupied":
        return "occupied_since_2022"
    if key in _BEFORE_2022_KEYS:
        return "occupied_before_2022"
    if key.startswith("geojson.territories."):
        return None
    if key.startswith("geojson.status.dismissed") or key == "geojson.zmiinyi_island":
        return "ukrainian_held_in_russia" if fill == "#01579b" else "liberated_2022"
    if key == "geojson.status.unknown":
        return "grey_zone"
    return FILL_CLASSES.get(fill)


def _property_class(props: Mapping[str, Any], *, is_line: bool) -> str | None:
    """Return the class of a generic GeoJSON feature from its properties."""
    if is_line:
        return "line_of_contact"
    for key in ("class", "status", "category", "type", "name", "title", "description"):
        value = props.get(key)
        cls = classify_text(value) if isinstance(value, str) else None
        if cls and cls != "line_of_contact":
            return cls
    raw_style = props.get("style")
    style: Mapping[str, Any] = raw_style if isinstance(raw_style, Mapping) else {}
    for key in ("fill", "fillColor", "fill_color", "color"):
        value = props.get(key) or style.get(key)
        if isinstance(value, str) and value.strip().lower() in FILL_CLASSES:
            return FILL_CLASSES[value.strip().lower()]
    return "unclassified"
