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
from collections.abc import Iterable, Mapping, Sequence
from functools import cache
from pathlib import Path
from typing import Any

import geopandas as gpd
import numpy as np
import shapely
from numpy.typing import NDArray
from shapely.geometry import Polygon, shape
from shapely.geometry.base import BaseGeometry

from geo import _budget
from geo._errors import InputError
from geo.frontline._shapes import grown, opened
from geo.frontline.schema import make_frame

__all__ = [
    "DEEPSTATE_ATTRIBUTION",
    "DEFAULT_MAX_BYTES",
    "LINE_BORDER_GAP_KM",
    "FrontlineRepairWarning",
    "classify_text",
    "derived_line",
    "dissolve",
    "feature_geometries",
    "feature_geometry",
    "features_of",
    "load_file",
    "load_geojson",
    "parse_json",
    "read_limited",
    "repair_geometry",
]

#: Largest frontline file read by default (a DeepStateMap snapshot is under 1 MB; parsing
#: JSON costs about a second per 10 MB).
DEFAULT_MAX_BYTES = 25 * 1024 * 1024
#: Largest area a class of a frontline may cover (km²): five times Ukraine.
MAX_AREA_KM2 = 3_000_000.0
#: Most features a frontline file may hold (a DeepStateMap snapshot has about 500).
MAX_FEATURES = 20_000
#: Most vertices a frontline file may hold (a DeepStateMap snapshot has about 40,000).
MAX_VERTICES = 1_000_000
#: Distance from Ukraine's border and coast within which an occupied edge is not the front.
LINE_BORDER_GAP_KM = 3.0
#: Holes in occupied territory smaller than this are water, not a Ukrainian-held pocket.
MAX_HOLE_KM2 = 100.0
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
#: Keyword rules for free-text classes (first match wins; specific before general).
_KEYWORDS: tuple[tuple[str, str], ...] = (
    (r"ukrainian[_ -]held[_ -]in[_ -]russia|kursk|incursion|sudzha", "ukrainian_held_in_russia"),
    (
        r"before[_ -](24[_ -]feb\w*[_ -])?2022|pre[_ -]?2022|crimea|ordlo|\bdnr\b|\blnr\b|annex",
        "occupied_before_2022",
    ),
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
    obj = parse_json(data, name=str(path))
    from geo.frontline import deepstate

    if deepstate.is_deepstate(obj):
        return deepstate.load_deepstate(obj, date=date, name=str(path))
    return load_geojson(obj, date=date, source=f"file {Path(path).name}")


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
    features = features_of(obj)
    parts: dict[str, list[BaseGeometry]] = {}
    for feature, geom in zip(features, feature_geometries(features), strict=True):
        _budget.check()
        raw_props = feature.get("properties")
        props: Mapping[str, Any] = raw_props if isinstance(raw_props, Mapping) else {}
        is_line = _raw_type(feature) in ("LineString", "MultiLineString")
        # a polygon that repairs into a line (zero area) is no line of contact: keep polygons
        geom = _lines(geom) if is_line else _polygonal(geom)
        if geom.is_empty:
            continue
        cls = _property_class(props, is_line=is_line)
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

    In Ukraine it is the edge of the occupied areas where the land on the other side is
    Ukraine's and not occupied (Ukrainian-held or grey): narrow strips between a file's
    coastline and Natural Earth's (under :data:`LINE_BORDER_GAP_KM` wide), holes smaller
    than :data:`MAX_HOLE_KM2` (rivers, lakes) and any hole in the areas occupied before 2022
    (the Syvash lagoon) are not land held by anyone. In Russia it is
    the edge of the Ukrainian-held part. Within :data:`LINE_BORDER_GAP_KM` of Ukraine's
    international border or coast nothing is a front. Pieces shorter than 1 km go.
    """
    from geo import boundaries
    from geo.frontline.schema import length_km

    before = [_without_holes(g, min_km2=float("inf")) for g in parts.get(_OCCUPIED[0], [])]
    occupied = _without_holes(
        shapely.union_all([*before, *parts.get(_OCCUPIED[1], [])]), min_km2=MAX_HOLE_KM2
    )
    held_in_russia = shapely.union_all(list(parts.get("ukrainian_held_in_russia", [])))
    if occupied.is_empty and held_in_russia.is_empty:
        return shapely.LineString()
    ukraine = boundaries.country("UA").geometry.union_all()
    other_side = opened(shapely.difference(ukraine, occupied), km=LINE_BORDER_GAP_KM / 2)
    front = shapely.intersection(occupied.boundary, grown(other_side, km=0.2))
    edge = front if held_in_russia.is_empty else shapely.union(front, held_in_russia.boundary)
    line = shapely.line_merge(shapely.difference(edge, _near_border()))
    pieces = [p for p in shapely.get_parts(line) if length_km(p) >= 1.0]
    return shapely.MultiLineString(pieces) if pieces else shapely.LineString()


def dissolve(
    parts: Mapping[str, Iterable[BaseGeometry]], *, date: str, source: str
) -> gpd.GeoDataFrame:
    """Union the geometries of each class and return the classified frame (EPSG:4326).

    Raises
    ------
    InputError
        When an area class is larger than :data:`MAX_AREA_KM2` (a whole-world polygon is no
        frontline).
    """
    merged = {cls: _union_all(list(geoms)) for cls, geoms in parts.items()}
    frame = make_frame(merged, date=date, source=source)
    too_big = frame[frame["area_km2"] > MAX_AREA_KM2]
    if len(too_big):
        row = too_big.iloc[0]
        raise InputError(
            f"the {row['class']} area covers {row['area_km2']:,.0f} km², more than any "
            f"frontline ({MAX_AREA_KM2:,.0f} km² at most; Ukraine is 603,500 km²): "
            "is it a whole-world or inverted polygon?"
        )
    return frame


def read_limited(path: str | Path, *, max_bytes: int) -> bytes:
    """Read a regular local frontline file, refusing files over ``max_bytes``.

    Raises
    ------
    InputError
        When the path is not a regular local file (a folder, a device, a URL), does not exist,
        cannot be read or is too large.
    """
    from geo._files import read_user_file

    return read_user_file(path, max_bytes=max_bytes, what="frontline file")


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


@cache
def _near_border() -> BaseGeometry:
    """Return the band within :data:`LINE_BORDER_GAP_KM` of Ukraine's border and coast."""
    from geo import boundaries
    from geo.geodesic import buffer

    ukraine = boundaries.country("UA").geometry.union_all()
    band = buffer(ukraine.boundary, distance_km=LINE_BORDER_GAP_KM)
    shapely.prepare(band)
    return band


def _without_holes(geom: BaseGeometry, *, min_km2: float) -> BaseGeometry:
    """Fill the holes of an area smaller than ``min_km2`` (lagoons, rivers, lakes)."""
    from geo.geodesic import area_km2

    polys = []
    for part in shapely.get_parts(geom):
        if part.geom_type != "Polygon":
            continue
        holes = [r for r in part.interiors if _big(r, min_km2) and area_km2(Polygon(r)) >= min_km2]
        polys.append(Polygon(part.exterior, holes))
    return shapely.union_all(polys) if polys else Polygon()


def _big(ring: BaseGeometry, min_km2: float) -> bool:
    """Tell whether a ring may enclose ``min_km2`` (a generous planar bound, no geodesy)."""
    x0, y0, x1, y1 = ring.bounds
    return (x1 - x0) * (y1 - y0) * 112.0**2 >= min_km2


def parse_json(data: bytes, *, name: str) -> dict[str, Any]:
    """Parse JSON bytes into an object, with messages instead of tracebacks.

    ``NaN``/``Infinity``, integers of thousands of digits and deep nesting are refused.
    """
    from geo._files import parse_json as parse_plain_json

    return parse_plain_json(data, name=name, what="GeoJSON frontline")


def features_of(obj: Mapping[str, Any]) -> list[Mapping[str, Any]]:
    """Return the features of a FeatureCollection (or a single Feature)."""
    if obj.get("type") == "Feature":
        return [obj]
    features = obj.get("features")
    if obj.get("type") != "FeatureCollection" or not isinstance(features, list):
        raise InputError(
            f"expected a GeoJSON FeatureCollection, found type {obj.get('type')!r} "
            "without a 'features' list"
        )
    if len(features) > MAX_FEATURES:
        raise InputError(
            f"the frontline file has {len(features):,} features, more than the {MAX_FEATURES:,} "
            "a frontline needs: simplify or dissolve it first"
        )
    return [f for f in features if isinstance(f, Mapping)]


def feature_geometries(features: Sequence[Mapping[str, Any]]) -> list[BaseGeometry]:
    """Return the 2-D lon/lat geometries of features, repaired with a warning when invalid.

    The same checks as :func:`feature_geometry` (vertex budget, malformed geometries,
    coordinate range, repair), done on arrays: the geometries are built by one
    :func:`shapely.from_geojson` call and checked by vectorised shapely functions, so the work
    per feature is a few array elements. A file with a malformed geometry is read feature by
    feature, for the message of :func:`feature_geometry`.

    Raises
    ------
    InputError
        As :func:`feature_geometry`, or when the features hold more than
        :data:`MAX_VERTICES` vertices.
    """
    budget = VertexBudget()
    for i, feature in enumerate(features):
        _budget.check()
        budget.take_raw(feature, index=i)
    geoms = _from_geojson([feature.get("geometry") for feature in features])
    if geoms is None:
        return [feature_geometry(feature, i) for i, feature in enumerate(features)]
    geoms = shapely.force_2d(geoms)
    _check_lonlat_all(geoms)
    out = list(geoms)
    for bad in np.flatnonzero(~shapely.is_valid(geoms)).tolist():
        _budget.check()
        out[bad] = repair_geometry(out[bad], what=f"feature {bad}")
    return out


def feature_geometry(feature: Mapping[str, Any], index: int) -> BaseGeometry:
    """Return a feature's 2-D lon/lat geometry, repaired with a warning when invalid.

    Raises
    ------
    InputError
        When the geometry is malformed or a coordinate is not a longitude in -180..180 and a
        latitude in -90..90.
    """
    raw = feature.get("geometry")
    if not raw:
        return shapely.Polygon()
    try:
        geom = shapely.force_2d(shape(raw))
    except (ValueError, TypeError, AttributeError, KeyError, IndexError) as exc:
        raise InputError(f"feature {index} has a malformed geometry: {exc}") from None
    except shapely.errors.ShapelyError as exc:
        raise InputError(f"feature {index} has a malformed geometry: {exc}") from None
    check_lonlat(geom, what=f"feature {index}")
    return repair_geometry(geom, what=f"feature {index}")


def check_lonlat(geom: BaseGeometry, *, what: str) -> None:
    """Refuse a geometry with a coordinate that is not a finite lon/lat in range."""
    if geom.is_empty:
        return
    xy = shapely.get_coordinates(geom)
    if not np.isfinite(xy).all():
        raise InputError(f"{what}: a coordinate is not a finite number")
    lon, lat = xy[:, 0], xy[:, 1]
    if (np.abs(lon) > 180).any() or (np.abs(lat) > 90).any():
        bad = xy[(np.abs(lon) > 180) | (np.abs(lat) > 90)][0]
        raise InputError(
            f"{what}: coordinate ({bad[0]:.6g}, {bad[1]:.6g}) is not lon -180..180, lat -90..90 "
            "(frontline files are WGS84 longitude, latitude)"
        )


class VertexBudget:
    """Count the vertices of a file's features; refuse beyond :data:`MAX_VERTICES`."""

    def __init__(self) -> None:
        self.used = 0

    def take(self, geom: BaseGeometry, *, index: int) -> BaseGeometry:
        """Count a geometry's vertices; return it."""
        self._add(int(shapely.get_num_coordinates(geom)), index=index)
        return geom

    def take_raw(self, feature: Mapping[str, Any], *, index: int) -> None:
        """Count the positions of a GeoJSON feature before any geometry is built."""
        raw = feature.get("geometry")
        coords = raw.get("coordinates") if isinstance(raw, Mapping) else None
        self._add(_positions(coords), index=index)

    def _add(self, count: int, *, index: int) -> None:
        """Add to the count; refuse beyond the limit."""
        self.used += count
        if self.used > MAX_VERTICES:
            raise InputError(
                f"the frontline file has more than {MAX_VERTICES:,} vertices (at feature "
                f"{index}): simplify it first (a DeepStateMap snapshot has about 40,000)"
            )


def _positions(coords: object, depth: int = 0) -> int:
    """Count the positions in nested GeoJSON coordinate arrays (without building anything)."""
    if not isinstance(coords, list) or not coords or depth > 4:
        return 0
    if not isinstance(coords[0], list):
        return 1
    if not isinstance(coords[0][0], list) if coords[0] else True:
        return len(coords)
    return sum(_positions(c, depth + 1) for c in coords)


def _raw_type(feature: Mapping[str, Any]) -> str:
    """Return the geometry type the file declares for a feature."""
    raw = feature.get("geometry")
    return str(raw.get("type")) if isinstance(raw, Mapping) else ""


def _lines(geom: BaseGeometry) -> BaseGeometry:
    """Keep the lines of a geometry that have a length."""
    lines = [
        g
        for g in shapely.get_parts(geom)
        if g.geom_type in ("LineString", "MultiLineString") and g.length > 0
    ]
    return shapely.union_all(lines) if lines else shapely.LineString()


def _polygonal(geom: BaseGeometry) -> BaseGeometry:
    """Keep the polygons of a geometry."""
    if geom.geom_type in ("Polygon", "MultiPolygon"):
        return geom
    polys = [g for g in shapely.get_parts(geom) if g.geom_type in ("Polygon", "MultiPolygon")]
    return shapely.union_all(polys) if polys else shapely.Polygon()


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


#: GeoJSON geometry types (as :func:`shapely.geometry.shape` reads them, case and all).
_GEOMETRY_TYPES = frozenset(
    (
        "Point",
        "MultiPoint",
        "LineString",
        "MultiLineString",
        "Polygon",
        "MultiPolygon",
        "GeometryCollection",
    )
)


def _from_geojson(raws: Sequence[object]) -> NDArray[np.object_] | None:
    """Build the geometries of GeoJSON geometry objects at once (empty polygon for none).

    Returns ``None`` when one of them is not a plain GeoJSON geometry that GEOS reads, so
    the caller reads them one by one, with messages.
    """
    if not all(_plain_geometry(raw) for raw in raws if raw):
        return None
    try:
        texts = [json.dumps(raw, allow_nan=False) if raw else None for raw in raws]
        geoms = shapely.from_geojson(np.array(texts, dtype=object), on_invalid="raise")
    except (shapely.errors.ShapelyError, ValueError, TypeError):
        return None
    missing = shapely.is_missing(geoms)
    geoms[missing] = shapely.Polygon()
    return np.asarray(geoms, dtype=object)


def _plain_geometry(raw: object) -> bool:
    """Tell whether a raw geometry is a GeoJSON geometry object all its parts included."""
    if not isinstance(raw, Mapping) or raw.get("type") not in _GEOMETRY_TYPES:
        return False
    if raw["type"] == "GeometryCollection":
        members = raw.get("geometries")
        return isinstance(members, list) and all(_plain_geometry(m) for m in members)
    return isinstance(raw.get("coordinates"), list)


def _check_lonlat_all(geoms: NDArray[np.object_]) -> None:
    """Refuse the first geometry with a coordinate out of range, as :func:`check_lonlat`."""
    xy, index = shapely.get_coordinates(geoms, return_index=True)
    bad = ~np.isfinite(xy).all(axis=1) | (np.abs(xy[:, 0]) > 180) | (np.abs(xy[:, 1]) > 90)
    if bad.any():
        first = int(index[np.flatnonzero(bad)[0]])
        check_lonlat(geoms[first], what=f"feature {first}")


def _union_all(geoms: list[BaseGeometry]) -> BaseGeometry:
    """Return the union of valid geometries, leaving the ones that touch nothing out of overlay.

    Thousands of small separate polygons are their own union: only the parts that intersect
    another part go through :func:`shapely.union_all` (an overlay costs far more per part than
    the spatial-index query that finds them).
    """
    arr = np.asarray(shapely.get_parts(np.asarray(geoms, dtype=object)), dtype=object)
    simple = (shapely.get_type_id(arr) == 3) & shapely.is_valid(arr)  # valid Polygon parts
    if len(arr) < 2 or not simple.all():
        return shapely.union_all(geoms)
    pairs = shapely.STRtree(arr).query(arr, predicate="intersects")
    touching = np.zeros(len(arr), dtype=bool)
    touching[pairs[0][pairs[0] != pairs[1]]] = True
    if touching.all():
        return shapely.union_all(geoms)
    alone: list[Polygon] = list(arr[~touching])
    rest: list[Polygon] = (
        list(shapely.get_parts(shapely.union_all(arr[touching]))) if touching.any() else []
    )
    return shapely.MultiPolygon([*rest, *alone])
