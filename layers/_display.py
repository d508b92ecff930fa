"""Geometry made light for display: EPSG:4326, simplified, rounded, only the needed columns.

Simplification here is in degrees and for drawing only: a vertex that moves by less than a
pixel at the zoom the map opens at changes nothing on screen. Never measure on the result.
"""

from __future__ import annotations

import copy
import math
import pickle
from collections.abc import Callable, Hashable, Iterable, Mapping, Sequence
from typing import Any, TypeVar

import folium
import geopandas as gpd
import numpy as np
import pandas as pd
import pyproj
import shapely

from geo._memo import Memo, digest
from geo._safe import assert_inert
from layers.style import LayerStyle

#: Decimals kept in coordinates (5 decimals ≈ 1 m).
PRECISION = 5
#: Pixels across the map the scenario is fitted into (a browser-sized map).
MAP_PIXELS = 1000.0
#: Bounds of the whole world, as ``(west, south, east, north)``.
WORLD = (-180.0, -85.0, 180.0, 85.0)
#: How many built overlays :func:`built_once` keeps (a few scenarios' worth).
OVERLAY_CACHE_SIZE = 64
_WGS84 = pyproj.CRS.from_epsg(4326)
_BUILT: Memo[Any] = Memo(OVERLAY_CACHE_SIZE)
T = TypeVar("T")


def to_display(
    frame: gpd.GeoDataFrame,
    *,
    columns: Mapping[str, Any] | None = None,
    tolerance: float = 0.0,
    clip: Sequence[float] | None = None,
    min_area: float = 0.0,
) -> gpd.GeoDataFrame:
    """Return a copy in EPSG:4326, simplified by ``tolerance`` degrees, rounded, trimmed.

    Parameters
    ----------
    frame
        Any GeoDataFrame with a CRS.
    columns
        New columns, name → values (a Series or a list aligned with ``frame``); the output
        keeps only these and the geometry. ``None`` keeps no attribute.
    tolerance
        Simplification tolerance in degrees (topology preserved); 0 keeps every vertex.
    clip
        ``(west, south, east, north)``: keep only what lies inside (for display).
    min_area
        Drop polygon parts (islands) smaller than this many square degrees.

    Returns
    -------
    geopandas.GeoDataFrame
        EPSG:4326, without empty or missing geometries, coordinates rounded to
        :func:`decimals_for` the tolerance, index reset.

    Raises
    ------
    ValueError
        If ``frame`` has no CRS.
    """
    geoms, data = display_parts(
        frame, columns=columns, tolerance=tolerance, clip=clip, min_area=min_area
    )
    return gpd.GeoDataFrame(data, geometry=gpd.GeoSeries(geoms, crs=4326), crs=4326)


def display_parts(
    frame: gpd.GeoDataFrame,
    *,
    columns: Mapping[str, Any] | None = None,
    tolerance: float = 0.0,
    clip: Sequence[float] | None = None,
    min_area: float = 0.0,
) -> tuple[np.ndarray, dict[str, list[Any]]]:
    """Return what :func:`to_display` returns as plain arrays: geometries and column lists.

    The same steps on shapely arrays and Python lists (no per-row pandas work), so a layer
    of thousands of features is made ready in milliseconds.

    Raises
    ------
    ValueError
        If ``frame`` has no CRS.
    """
    if frame.crs is None:
        raise ValueError("layer GeoDataFrame has no CRS; set it (EPSG:4326 for lon/lat)")
    series = frame.geometry if _is_lonlat(frame.crs) else frame.geometry.to_crs(4326)
    geoms = np.asarray(series.array, dtype=object)
    keep = ~shapely.is_missing(geoms) & ~shapely.is_empty(geoms)
    data = {
        name: [v for v, k in zip(values, keep, strict=True) if k]
        for name, values in (columns or {}).items()
    }
    geoms = geoms[keep]
    if clip is not None:
        geoms = shapely.clip_by_rect(geoms, *clip)
    if min_area > 0:
        geoms = _drop_small_parts(np.asarray(geoms), min_area)
    if tolerance > 0:
        geoms = shapely.simplify(geoms, tolerance, preserve_topology=True)
    digits = decimals_for(tolerance)
    geoms = shapely.transform(geoms, lambda xy: np.round(xy, digits))
    shown = ~shapely.is_empty(geoms)
    data = {
        name: [v for v, k in zip(values, shown, strict=True) if k] for name, values in data.items()
    }
    return np.asarray(geoms, dtype=object)[shown], data


def built_once(
    kind: str,
    frame: pd.DataFrame,
    build: Callable[[Any], T],
    *,
    options: tuple[Hashable, ...] = (),
) -> T:
    """Return a fresh copy of ``build(frame)``, built once per content of ``frame``.

    A dashboard rerun after a range change draws the same places, sites and launch areas
    again: their overlays are kept, keyed by ``kind``, ``options`` and a digest of
    ``frame`` (its pickled bytes: every value, dtype, index, column and the CRS; equal
    bytes mean equal frames, so a stale overlay is never returned). The kept value is never
    handed out: each call gets a deep copy, which a caller may change (folium elements are
    changed when they are added to a map and rendered).

    Parameters
    ----------
    kind
        What ``build`` makes (one name per builder).
    frame
        Everything ``build`` reads, and nothing else: pass only the columns it uses.
    build
        A pure function of ``frame`` (and of ``options``, which it must close over).
    options
        The other values ``build`` depends on (a tolerance...).
    """
    try:  # pickle only serialises here, as a complete description of the frame: never loaded
        content = pickle.dumps(frame, protocol=pickle.HIGHEST_PROTOCOL)
    except (pickle.PicklingError, TypeError, AttributeError):  # a cell no pickle can describe
        return build(frame)
    key = (kind, options, digest(content))
    return copy.deepcopy(_BUILT.get(key, lambda: build(frame)))


def decimals_for(tolerance: float) -> int:
    """Return the decimals kept after simplifying by ``tolerance`` degrees.

    A tenth of the tolerance (a tenth of a pixel at the zoom the map opens at), between 3
    (about 100 m) and :data:`PRECISION`; unsimplified geometry keeps :data:`PRECISION`.
    """
    if not tolerance > 0:
        return PRECISION
    return int(min(max(math.ceil(-math.log10(tolerance / 10.0)), 3), PRECISION))


def _is_lonlat(crs: Any) -> bool:
    """Return whether ``crs`` is EPSG:4326 (cheaply: most layers already are)."""
    return bool(crs == _WGS84)


def tolerance_for(bounds: Sequence[float], *, pixels: float = MAP_PIXELS) -> float:
    """Return a simplification tolerance of about one pixel when ``bounds`` fill the map.

    Parameters
    ----------
    bounds
        ``(west, south, east, north)`` in degrees.
    pixels
        Width of the map in pixels.

    Returns
    -------
    float
        Degrees, between 0.001 and 0.1.
    """
    west, south, east, north = bounds
    span = max(east - west, north - south, 1e-9)
    return float(min(max(span / pixels, 0.001), 0.1))


def total_bounds(frames: Iterable[gpd.GeoDataFrame]) -> tuple[float, float, float, float] | None:
    """Return the ``(west, south, east, north)`` of all non-empty frames in EPSG:4326."""
    boxes = [in_lonlat(f).total_bounds for f in frames if len(f) and f.crs is not None]
    boxes = [b for b in boxes if np.all(np.isfinite(b))]
    if not boxes:
        return None
    stack = np.array(boxes)
    return (
        float(stack[:, 0].min()),
        float(stack[:, 1].min()),
        float(stack[:, 2].max()),
        float(stack[:, 3].max()),
    )


def in_lonlat(frame: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    """Return ``frame`` in EPSG:4326: itself (not a copy) when it already is or has no CRS."""
    return frame if frame.crs is None or _is_lonlat(frame.crs) else frame.to_crs(4326)


def constant_style(style: Mapping[str, Any]) -> Any:
    """Return a folium ``style_function`` that gives every feature ``style``."""
    frozen = dict(style)

    def _style(_feature: Mapping[str, Any]) -> dict[str, Any]:
        return frozen

    return _style


def leaflet_style(style: LayerStyle, **overrides: Any) -> dict[str, Any]:
    """Return the Leaflet path options of a layer style (``color``, ``weight``, ``dashArray``...).

    Parameters
    ----------
    style
        An entry of the style table.
    **overrides
        Leaflet options that replace the style's (e.g. ``color`` of a range ring).

    Returns
    -------
    dict
        Options for ``L.Path``; lines and outlines get ``fill: false``.
    """
    options: dict[str, Any] = {
        "color": style.color,
        "weight": style.weight,
        "opacity": 1.0,
        "fill": style.fill_color is not None,
        "fillColor": style.fill_color or style.color,
        "fillOpacity": style.fill_opacity if style.fill_color is not None else 0.0,
    }
    if style.dash:
        options["dashArray"] = style.dash
    options.update(overrides)
    return options


def geojson(
    frame: gpd.GeoDataFrame,
    *,
    style: Mapping[str, Any],
    tips: Sequence[str] | None = None,
    popups: Sequence[str] | None = None,
    tolerance: float = 0.0,
    interactive: bool = True,
    radius: float | None = None,
    clip: Sequence[float] | None = None,
    min_area: float = 0.0,
) -> folium.GeoJson:
    """Return a ``folium.GeoJson`` of ``frame`` drawn with one style and escaped hover text.

    Parameters
    ----------
    frame
        Features to draw (any CRS; converted to EPSG:4326). Their attributes are NOT
        embedded: only ``tips``/``popups``, which the caller has escaped.
    style
        Leaflet path options (see :func:`leaflet_style`).
    tips
        HTML shown on hover, one per row of ``frame``, already escaped
        (``layers._html.escape``); ``None`` for no tooltip. A raw brace raises
        :class:`geo._safe.UnsafeTextError` (the feature properties are rendered by Jinja2).
    popups
        HTML shown on click, one per row, already escaped; ``None`` for no popup.
    tolerance
        Display simplification in degrees.
    interactive
        ``False`` lets clicks and hovers pass through (basemaps).
    radius
        Draw points as circle markers of this radius in pixels (``None``: Leaflet's default
        pin, which needs its image).
    clip, min_area
        See :func:`to_display`.

    Returns
    -------
    folium.GeoJson
        The layer; add it to a FeatureGroup.
    """
    columns: dict[str, Any] = {}
    if tips is not None:
        columns["tip"] = [assert_inert(t, where="tooltip") for t in tips]
    if popups is not None:
        columns["info"] = [assert_inert(p, where="popup") for p in popups]
    geoms, data = display_parts(
        frame, columns=columns, tolerance=tolerance, clip=clip, min_area=min_area
    )
    options: dict[str, Any] = {}
    if tips is not None:
        options["tooltip"] = folium.GeoJsonTooltip(fields=["tip"], labels=False, sticky=True)
    if popups is not None:
        options["popup"] = folium.GeoJsonPopup(fields=["info"], labels=False, max_width=320)
    if not interactive:
        options["interactive"] = False
    if radius is not None:
        options["marker"] = folium.CircleMarker(radius=radius)
    return folium.GeoJson(
        feature_collection(geoms, data),
        style_function=constant_style(style),
        highlight_function=None,
        smooth_factor=1.0,
        **options,
    )


def feature_collection(geoms: np.ndarray, data: Mapping[str, list[Any]]) -> dict[str, Any]:
    """Return geometries and their properties as a GeoJSON FeatureCollection dict.

    Parameters
    ----------
    geoms
        EPSG:4326 shapely geometries (from :func:`display_parts`).
    data
        Property name → one value per geometry.

    Returns
    -------
    dict
        ``{"type": "FeatureCollection", "features": [...]}``.
    """
    names = list(data)
    rows = zip(*(data[n] for n in names), strict=True) if names else ((),) * len(geoms)
    features = [
        {
            "type": "Feature",
            "geometry": geom.__geo_interface__,
            "properties": dict(zip(names, row, strict=True)),
        }
        for geom, row in zip(geoms, rows, strict=True)
    ]
    return {"type": "FeatureCollection", "features": features}


def column(frame: pd.DataFrame, name: str, *, default: object = "") -> pd.Series:
    """Return a column, or a column of ``default`` when the frame lacks it."""
    if name in frame.columns:
        return frame[name]
    return pd.Series([default] * len(frame), index=frame.index, dtype=object)


def focus_window(
    bounds: Sequence[float], *, pad: float = 0.5, min_pad: float = 5.0
) -> tuple[float, float, float, float]:
    """Return ``bounds`` grown by ``pad`` times their span (at least ``min_pad`` degrees).

    Geometry inside the window is drawn in detail; outside it only coarsely or not at all.
    """
    west, south, east, north = bounds
    dx = max((east - west) * pad, min_pad)
    dy = max((north - south) * pad, min_pad)
    return (
        max(west - dx, -180.0),
        max(south - dy, -90.0),
        min(east + dx, 180.0),
        min(north + dy, 90.0),
    )


def _drop_small_parts(geoms: np.ndarray, min_area: float) -> np.ndarray:
    """Return polygons without their parts smaller than ``min_area`` square degrees."""
    out = []
    for geom in geoms:
        if geom is None or geom.is_empty or geom.geom_type not in {"Polygon", "MultiPolygon"}:
            out.append(geom)
            continue
        parts = shapely.get_parts(geom)
        keep = parts[shapely.area(parts) >= min_area]
        out.append(shapely.multipolygons(keep) if len(keep) else shapely.Polygon())
    return np.asarray(out, dtype=object)


def only_columns(frame: gpd.GeoDataFrame, names: Sequence[str]) -> gpd.GeoDataFrame:
    """Return ``frame`` with only those of ``names`` it has, and its geometry column."""
    return frame[[*(c for c in names if c in frame.columns), frame.geometry.name]]


def drawable(frame: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    """Return the rows of ``frame`` whose geometry is neither missing nor empty."""
    geoms = np.asarray(frame.geometry.array, dtype=object)
    return frame[~shapely.is_missing(geoms) & ~shapely.is_empty(geoms)]
