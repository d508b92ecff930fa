"""Draw a static map's layers: the offline basemap, regions, frontline and any styled layer.

:func:`draw_layers` dispatches each GeoDataFrame to its drawing function; every function
projects its input with :meth:`layers.projection.Scene.project` (clip in EPSG:4326, then
project) and styles it from :mod:`layers.style`. Range rings, places and sites are drawn by
:mod:`layers._static_marks`.
"""

from __future__ import annotations

from collections.abc import Mapping

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely
from matplotlib.path import Path
from shapely.geometry import Polygon, box
from shapely.ops import polylabel

from geo._errors import InputError
from layers._static_canvas import (
    FRONTLINE,
    FRONTLINE_CLASSES,
    RANGES,
    MapCanvas,
    bool_column,
    text_column,
)
from layers._static_labels import LabelSpec, area_label
from layers._static_marks import AREA_KINDS, REGION_KINDS, draw_places, draw_ranges, draw_sites
from layers._static_parts import draw_path, legend_handle, line_path, polygon_path
from layers.projection import Extent
from layers.style import STYLES, style_for

TILES_NOTE = "web tiles unavailable offline: offline basemap used"
TILE_TIMEOUT_S = (3.0, 10.0)
#: Grid (metres) outlines are snapped to before internal borders are worked out: at least
#: this, and at most a fraction of a pixel (the frame's width / BORDER_GRID_PX), so a map of a
#: continent does not union a million vertices nobody can see.
BORDER_GRID_M = 1.0
BORDER_GRID_PX = 8000
#: Share of the frame a country or region must cover to get a name label.
AREA_LABEL_MIN_FRACTION = 0.015
#: Layers that frame the map by default, in order of preference.
FOCUS_GROUPS = ((RANGES, "launch_area", FRONTLINE, *FRONTLINE_CLASSES), ("sites", "places"))


def draw_layers(canvas: MapCanvas, layers: Mapping[str, gpd.GeoDataFrame], *, tiles: bool) -> None:
    """Draw every layer onto the canvas, basemap first (``borders``: land, sea, borders)."""
    for key, gdf in layers.items():
        if not isinstance(gdf, gpd.GeoDataFrame):
            raise InputError(f"layer {key!r} must be a GeoDataFrame, got {type(gdf).__name__}")
        if key not in {RANGES, "places", "sites", FRONTLINE} and key not in STYLES:
            known = ", ".join(sorted({RANGES, "places", "sites", FRONTLINE} | set(STYLES)))
            raise InputError(f"unknown layer {key!r}; known layers: {known}")
    _draw_basemap(canvas, layers.get("borders"), tiles=tiles)
    for key, gdf in layers.items():
        if key == "borders" or gdf.empty:
            continue
        if key == RANGES:
            draw_ranges(canvas, gdf)
        elif key == "places":
            draw_places(canvas, gdf)
        elif key == "sites":
            draw_sites(canvas, gdf)
        elif key == FRONTLINE or key in FRONTLINE_CLASSES:
            _draw_frontline(canvas, key, gdf)
        elif key == "regions":
            _draw_regions(canvas, gdf)
        else:
            _draw_styled(canvas, key, gdf)


def default_extent(layers: Mapping[str, gpd.GeoDataFrame], shown: frozenset[str]) -> Extent:
    """Return the extent of the story: launch areas, frontline, places and regional rings.

    The story is the shown launch areas and frontline, the city-like places near them
    (within 1.25 times the longest regional ring, at least :data:`STORY_NEAR_KM`, or in
    range) and
    the rings up to :data:`STORY_RING_KM`; a longer ring is drawn clipped to the frame and
    does not set it. Without any of those, the shown sites and places are framed instead.
    The extent never spans more than :data:`MAX_STORY_SPAN_DEG` degrees: beyond it, it
    is narrowed around the launch areas (or the story's middle).
    """
    ranges = layers.get(RANGES)
    longest = _longest_km(ranges) if RANGES in shown else 0.0
    groups = (
        (_story_rows(layers, shown, longest), "story"),
        (_group_rows(layers, shown, FOCUS_GROUPS[1]), "fallback"),
    )
    for geoms, _ in groups:
        if geoms:
            coords = shapely.get_coordinates(np.concatenate(geoms))
            if len(coords):
                return _limited(_padded_extent(coords), _anchor(layers, shown, coords))
    raise InputError(
        "nothing to frame: give a ranges, launch_area, frontline, sites or places layer "
        "with geometry, or pass extent=(west, south, east, north)"
    )


#: Rings up to this radius (km) are part of the story's extent; longer ones are clipped.
STORY_RING_KM = 2000.0
#: Places within this distance (km) of the launch areas count as the story, whatever the rings.
STORY_NEAR_KM = 1500.0
#: The widest extent the story sets (degrees of longitude or latitude).
MAX_STORY_SPAN_DEG = 120.0


def _longest_km(ranges: gpd.GeoDataFrame | None) -> float:
    if ranges is None or ranges.empty or "range_km" not in ranges.columns:
        return 0.0
    return float(pd.to_numeric(ranges["range_km"], errors="coerce").fillna(0).max())


def _story_rows(
    layers: Mapping[str, gpd.GeoDataFrame], shown: frozenset[str], longest_km: float
) -> list[np.ndarray]:
    geoms = _group_rows(layers, shown, ("launch_area", FRONTLINE, *FRONTLINE_CLASSES))
    ranges = layers.get(RANGES)
    if ranges is not None and not ranges.empty and RANGES in shown and ranges.crs is not None:
        km = pd.to_numeric(
            ranges.get("range_km", pd.Series(0, index=ranges.index)), errors="coerce"
        )
        regional = ranges[km.fillna(0) <= STORY_RING_KM]
        if len(regional):
            geoms.append(regional.to_crs(4326).geometry.to_numpy())
    places = _focus_rows("places", layers["places"], shown) if "places" in layers else None
    if places is not None and len(places) and geoms:
        near = max(STORY_NEAR_KM, 1.25 * min(longest_km, STORY_RING_KM))
        if "distance_km" in places.columns:
            distance = pd.to_numeric(places["distance_km"], errors="coerce").fillna(0)
            places = places[(distance <= near) | bool_column(places, "in_range")]
        geoms.append(places.to_crs(4326).geometry.to_numpy())
    elif places is not None and len(places) and not geoms:
        return []
    return [g for g in geoms if len(g)]


def _group_rows(
    layers: Mapping[str, gpd.GeoDataFrame], shown: frozenset[str], keys: tuple[str, ...]
) -> list[np.ndarray]:
    frames = [_focus_rows(key, layers[key], shown) for key in keys if key in layers]
    return [f.to_crs(4326).geometry.to_numpy() for f in frames if f is not None and len(f)]


def _anchor(
    layers: Mapping[str, gpd.GeoDataFrame], shown: frozenset[str], coords: np.ndarray
) -> tuple[float, float]:
    """Return the point a too-wide extent is narrowed around: the launch areas' centre."""
    launch = _group_rows(layers, shown, ("launch_area",))
    if launch:
        centre = shapely.union_all(np.concatenate(launch)).centroid
        if not centre.is_empty:
            return float(centre.x), float(centre.y)
    return float(np.median(coords[:, 0])), float(np.median(coords[:, 1]))


def _limited(extent: Extent, anchor: tuple[float, float]) -> Extent:
    """Narrow an extent to :data:`MAX_STORY_SPAN_DEG` around ``anchor`` where it is wider."""
    west, south, east, north = extent
    span = (east - west) % 360.0 or 360.0
    half = MAX_STORY_SPAN_DEG / 2.0
    if span > MAX_STORY_SPAN_DEG:
        west, east = _wrap(anchor[0] - half), _wrap(anchor[0] + half)
    if north - south > MAX_STORY_SPAN_DEG:
        south = max(-89.0, min(anchor[1] - half, 89.0 - MAX_STORY_SPAN_DEG))
        north = south + MAX_STORY_SPAN_DEG
    return west, south, east, north


def _focus_rows(key: str, gdf: gpd.GeoDataFrame, shown: frozenset[str]) -> gpd.GeoDataFrame | None:
    if gdf.crs is None or gdf.empty:
        return None
    if key in (FRONTLINE, *FRONTLINE_CLASSES):
        classes = gdf["class"].astype(str) if "class" in gdf.columns else pd.Series(key, gdf.index)
        return gdf[classes.isin(shown)]
    if key == "places":
        kinds = text_column(gdf, "kind", "city")
        keep = ~bool_column(gdf, "demonym_only") & ~kinds.isin(AREA_KINDS | REGION_KINDS)
        return gdf[keep] if "places" in shown else None
    if key == "sites":
        return gdf if {"sites_in_range", "sites_out_of_range"} & shown else None
    return gdf if key in shown else None


def _padded_extent(coords: np.ndarray) -> Extent:
    lons, lats = coords[:, 0], coords[:, 1]
    shifted = lons % 360.0
    if np.ptp(shifted) < np.ptp(lons):
        lons = shifted
    west, east = float(lons.min()), float(lons.max())
    south, north = float(lats.min()), float(lats.max())
    pad_lon = max(0.25, 0.05 * (east - west))
    pad_lat = max(0.25, 0.05 * (north - south))
    west, east = west - pad_lon, east + pad_lon
    return _wrap(west), max(-89.0, south - pad_lat), _wrap(east), min(89.0, north + pad_lat)


def _wrap(lon: float) -> float:
    return lon if -180.0 <= lon <= 180.0 else (lon + 180.0) % 360.0 - 180.0


def _draw_basemap(canvas: MapCanvas, borders: gpd.GeoDataFrame | None, *, tiles: bool) -> None:
    tiled = False
    if tiles:
        try:
            canvas.notes.append(f"Tiles: {_add_tiles(canvas)}")
            tiled = True
        except Exception:  # any failure (offline, no rasterio, bad tile) → offline basemap
            canvas.notes.append(TILES_NOTE)
    if borders is None or borders.empty:
        return
    countries = canvas.scene.project(borders)
    geoms = countries.geometry.to_numpy()
    if not tiled and "sea" in canvas.shown:
        canvas.ax.set_facecolor(style_for("sea").fill_color or "white")
    land = polygon_path(geoms)
    if not tiled and "land" in canvas.shown and land is not None:
        draw_path(canvas.ax, land, style_for("land"), filled=True, zorder=0.5)
    if "borders" in canvas.shown and len(geoms):
        xmin, _, xmax, _ = canvas.scene.frame
        inner = _internal_borders(geoms, grid_m=max(BORDER_GRID_M, (xmax - xmin) / BORDER_GRID_PX))
        if inner is not None:
            style = style_for("borders")
            draw_path(canvas.ax, inner, style, filled=False, zorder=style.zorder)
            canvas.add_legend("borders", legend_handle(style, kind="line"), style.label)
    if {"borders", "land"} & canvas.shown and "name" in countries.columns:
        canvas.labels.extend(_area_labels(canvas, countries, country=True))


def _add_tiles(canvas: MapCanvas) -> str:
    """Draw web tiles warped to the scene's CRS; return their attribution (raises when offline)."""
    import contextily  # optional: only for tiles=True

    provider = contextily.providers.CartoDB.Positron
    contextily.add_basemap(
        canvas.ax, crs=canvas.scene.crs.to_wkt(), source=provider, attribution=False,
        timeout=TILE_TIMEOUT_S, headers={"User-Agent": "rangemap (static map)"}, zorder=0.4,
    )  # fmt: skip
    return str(provider.get("attribution", provider.get("name", "web tiles")))


def _internal_borders(geoms: np.ndarray, *, grid_m: float = BORDER_GRID_M) -> Path | None:
    """Return the path of borders between countries (coastlines and window edges left out).

    Outlines are snapped to a grid of ``grid_m`` metres first, which makes neighbours'
    shared edges identical and the polygons valid after projection; if that still fails,
    every outline is drawn.
    """
    try:
        snapped = shapely.set_precision(shapely.make_valid(geoms), grid_m)
        edges = shapely.union_all(shapely.boundary(snapped), grid_size=grid_m)
        outline = shapely.boundary(shapely.union_all(snapped, grid_size=grid_m))
        inner = shapely.difference(edges, outline, grid_size=grid_m)
    except shapely.errors.GEOSException:
        return line_path(geoms)
    return line_path(np.array([inner], dtype=object))


def _area_labels(canvas: MapCanvas, gdf: gpd.GeoDataFrame, *, country: bool) -> list[LabelSpec]:
    """Return name labels of the areas covering enough of the frame, at their visual centre."""
    xmin, ymin, xmax, ymax = canvas.scene.frame
    frame = box(xmin, ymin, xmax, ymax)
    specs = []
    for name, geom in zip(gdf["name"], gdf.geometry, strict=True):
        inside = shapely.intersection(geom, frame)
        if pd.isna(name) or inside.is_empty or inside.area < AREA_LABEL_MIN_FRACTION * frame.area:
            continue
        parts = [p for p in shapely.get_parts(inside) if isinstance(p, Polygon)]
        if not parts:
            continue
        largest = max(parts, key=lambda p: p.area)
        anchor = polylabel(largest, tolerance=(xmax - xmin) / 200.0)
        specs.append(area_label(str(name), anchor.x, anchor.y, country=country, weight=-1.0))
    return specs


def _draw_regions(canvas: MapCanvas, gdf: gpd.GeoDataFrame) -> None:
    """Draw first-level regions as outlines; the legend says "approximate" when they are."""
    if "regions" not in canvas.shown:
        return
    projected = canvas.scene.project(gdf)
    path = line_path(projected.geometry.to_numpy())
    if path is None:
        return
    base = style_for("regions")
    label = base.label.replace("(approximate)", "").strip()
    if bool_column(gdf, "approximate").any():
        label = f"{label} (approximate)"
    draw_path(canvas.ax, path, base, filled=False, zorder=base.zorder)
    canvas.add_legend("regions", legend_handle(base, kind="line"), label)
    if "name" in projected.columns:
        canvas.labels.extend(_area_labels(canvas, projected, country=False))


def _draw_frontline(canvas: MapCanvas, key: str, gdf: gpd.GeoDataFrame) -> None:
    """Draw frontline rows, each styled by its ``class`` (or by the layer key)."""
    if "class" in gdf.columns:
        classes = gdf["class"].astype(str)
    elif key == FRONTLINE:
        raise InputError("the frontline layer needs a 'class' column (one style key per row)")
    else:
        classes = pd.Series(key, index=gdf.index)
    for cls in dict.fromkeys(classes):
        if cls not in STYLES:
            known = ", ".join(FRONTLINE_CLASSES)
            raise InputError(f"frontline class {cls!r} has no style; known classes: {known}")
        _draw_styled(canvas, cls, gdf[classes == cls])


def _draw_styled(canvas: MapCanvas, key: str, gdf: gpd.GeoDataFrame) -> None:
    """Draw any layer with its style: polygons filled, lines stroked, points as markers."""
    if key not in canvas.shown:
        return
    style = style_for(key)
    projected = canvas.scene.project(gdf)
    geoms = projected.geometry.to_numpy()
    polygons = polygon_path(geoms)
    lines = line_path(geoms, outlines=False)
    if polygons is not None:
        draw_path(canvas.ax, polygons, style, filled=True, zorder=style.zorder)
        canvas.add_legend(key, legend_handle(style, kind="polygon"), style.label)
    if lines is not None:
        draw_path(canvas.ax, lines, style, filled=False, zorder=style.zorder)
        canvas.add_legend(key, legend_handle(style, kind="line"), style.label)
    points = shapely.get_parts(geoms)
    points = points[shapely.get_type_id(points) == 0]
    if len(points):
        canvas.draw_markers(key, shapely.get_x(points), shapely.get_y(points))
