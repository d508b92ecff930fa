"""What the article adds to a static map: range rings, places and military sites.

Range rings follow the web map (:mod:`layers.ranges`): one colour per weapon in order of
first appearance (or ``color_index``), ``max`` and ``annulus`` filled, ``min`` dashed, one
legend entry per weapon named by its ``label`` (else "weapon (165, 300 km)"), plus a dashed
entry for a minimum range. Each maximum ring is also labelled on the map at its top.
"""

from __future__ import annotations

from dataclasses import replace

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely
from matplotlib.colors import to_rgba
from matplotlib.lines import Line2D
from matplotlib.patches import Patch

from geo._errors import InputError
from layers._static_canvas import RANGES, MapCanvas, bool_column, require, text_column
from layers._static_labels import (
    RANK_CAPITAL,
    RANK_CITY,
    RANK_OTHER,
    RANK_RING,
    RANK_SITE_IN_RANGE,
    RANK_SITE_OUT_OF_RANGE,
    LabelSpec,
    area_label,
)
from layers._static_parts import PX_TO_PT, draw_path, line_dash, line_path, polygon_path
from layers.style import (
    MIN_RANGE_DASH,
    RANGE_FILL_OPACITY,
    RANGE_WEIGHT,
    LayerStyle,
    range_color,
    style_for,
)

RING_KINDS = ("max", "annulus", "min")
RANGE_Z = 6.5
AREA_KINDS = frozenset({"country", "union", "continent"})
REGION_KINDS = frozenset({"region", "water"})
SITE_MARKER_PT = 6.0


def draw_ranges(canvas: MapCanvas, gdf: gpd.GeoDataFrame) -> None:
    """Draw range rings (``weapon``, ``range_km``, ``min_km``, ``ring``, ``label``)."""
    require(gdf, RANGES, ("weapon", "range_km", "ring"))
    rings = gdf["ring"].astype(str).str.lower()
    bad = sorted(set(rings) - set(RING_KINDS))
    if bad:
        raise InputError(f"ranges: ring must be one of {', '.join(RING_KINDS)}, got {bad}")
    if RANGES not in canvas.shown:
        return
    frame = gdf.assign(_weapon=gdf["weapon"].astype(str), _ring=rings)
    frame = frame.to_crs(4326) if frame.crs is not None else frame
    colors = weapon_colors(frame)
    projected = canvas.scene.project(frame)
    outlines = canvas.scene.project(frame.set_geometry(_true_outlines(frame.geometry.to_numpy())))
    for weapon in sorted(colors, key=lambda w: colors[w][0]):
        color = colors[weapon][1]
        for index, row in projected[projected["_weapon"] == weapon].iterrows():
            outline = outlines.geometry.get(index)
            _draw_ring(canvas, row, color, outline=outline)
        rows = frame[frame["_weapon"] == weapon]
        canvas.add_legend(RANGES, _area_handle(color), weapon_label(weapon, rows))
        minimum = rows[rows["_ring"] == "min"]
        if len(minimum):
            lows = minimum["min_km"].fillna(minimum["range_km"]) if "min_km" in rows else None
            km = ", ".join(
                dict.fromkeys(_km(v) for v in (minimum["range_km"] if lows is None else lows))
            )
            handle = Line2D([], [], color=color, linewidth=RANGE_WEIGHT * PX_TO_PT,
                            linestyle=line_dash(_min_style(color)))  # fmt: skip
            canvas.add_legend(RANGES, handle, f"{weapon}: minimum range {km} km")


def weapon_colors(frame: pd.DataFrame) -> dict[str, tuple[int, str]]:
    """Return weapon → (index, colour): ``color_index`` if given for all, else first appearance."""
    weapons = frame["weapon"].astype(str)
    if "color_index" in frame.columns and frame["color_index"].notna().all():
        first = frame.groupby(weapons, sort=False)["color_index"].first()
        return {str(w): (int(i), range_color(int(i))) for w, i in first.items()}
    return {w: (i, range_color(i)) for i, w in enumerate(dict.fromkeys(weapons))}


def weapon_label(weapon: str, rows: pd.DataFrame) -> str:
    """Return a weapon's legend text: its one ``label``, else "weapon (165, 300 km)"."""
    labels = {
        str(v).strip() for v in rows.get("label", pd.Series(dtype=object)) if isinstance(v, str)
    }
    labels.discard("")
    if len(labels) == 1:
        return labels.pop()
    ranges = list(dict.fromkeys(_km(v) for v in sorted(rows["range_km"].dropna())))
    return f"{weapon} ({', '.join(ranges)} km)" if ranges else weapon


def draw_places(canvas: MapCanvas, gdf: gpd.GeoDataFrame) -> None:
    """Draw places (``name``, ``kind``, ``population``, ``demonym_only``) and their labels.

    Countries, regions and other areas get a name label but no marker; demonym-only
    mentions go to the ``places_demonym`` layer (hidden by default).
    """
    require(gdf, "places", ("name",))
    demonym = bool_column(gdf, "demonym_only")
    for key, rows in (("places", gdf[~demonym]), ("places_demonym", gdf[demonym])):
        if key not in canvas.shown or rows.empty:
            continue
        projected = canvas.scene.project(rows)
        kinds = text_column(projected, "kind", "city")
        is_area = kinds.isin(AREA_KINDS | REGION_KINDS) & (key == "places")
        anchors = shapely.point_on_surface(projected.geometry.to_numpy())
        xs, ys = shapely.get_x(anchors), shapely.get_y(anchors)
        if (~is_area).any():
            canvas.draw_markers(key, xs[~is_area], ys[~is_area])
        for (_, row), kind, x, y in zip(projected.iterrows(), kinds, xs, ys, strict=True):
            canvas.labels.append(
                place_label(row, kind, float(x), float(y), demonym=key != "places")
            )


def place_label(row: pd.Series, kind: str, x: float, y: float, *, demonym: bool) -> LabelSpec:
    """Return the label of one place, ranked: areas and capitals first, then by population."""
    name = str(row["name"])
    population = row.get("population")
    weight = float(population) if population is not None and not pd.isna(population) else 0.0
    if demonym:
        return LabelSpec(name, x, y, RANK_OTHER, weight, color="#607d8b", fontsize=6.5)
    if kind in AREA_KINDS or kind in REGION_KINDS:
        spec = area_label(name, x, y, country=kind in AREA_KINDS, weight=weight)
        return spec if kind != "water" else replace(spec, color="#2f6a9a")
    if _is_capital(row):
        return LabelSpec(name, x, y, RANK_CAPITAL, weight, fontsize=7.5, fontweight="bold")
    return LabelSpec(name, x, y, RANK_CITY if kind == "city" else RANK_OTHER, weight)


def draw_sites(canvas: MapCanvas, gdf: gpd.GeoDataFrame) -> None:
    """Draw military sites (``name``, ``in_range``) as triangles, in range or out of range."""
    require(gdf, "sites", ("name", "in_range"))
    in_range = bool_column(gdf, "in_range")
    for key, rows, rank in (
        ("sites_in_range", gdf[in_range], RANK_SITE_IN_RANGE),
        ("sites_out_of_range", gdf[~in_range], RANK_SITE_OUT_OF_RANGE),
    ):
        if key not in canvas.shown or rows.empty:
            continue
        projected = canvas.scene.project(rows)
        anchors = shapely.point_on_surface(projected.geometry.to_numpy())
        xs, ys = shapely.get_x(anchors), shapely.get_y(anchors)
        if len(xs):
            canvas.draw_markers(key, xs, ys, marker="^", size=SITE_MARKER_PT)
        color = style_for(key).color
        for name, x, y in zip(projected["name"], xs, ys, strict=True):
            canvas.labels.append(LabelSpec(str(name), float(x), float(y), rank, color=color,
                                           fontsize=6.5))  # fmt: skip


def _draw_ring(canvas: MapCanvas, row: pd.Series, color: str, *, outline: object) -> None:
    """Fill a ring's area and stroke its true outline (seams and window edges left out)."""
    ring = str(row["_ring"])
    lines = np.array([outline if outline is not None else row.geometry.boundary], dtype=object)
    if ring == "min":
        path = line_path(lines)
        if path is not None:
            draw_path(canvas.ax, path, _min_style(color), filled=False, zorder=RANGE_Z)
        return
    path = polygon_path(np.array([row.geometry], dtype=object))
    if path is None:
        return
    fill = LayerStyle(str(row["_weapon"]), color, color, RANGE_FILL_OPACITY, 0.0)
    draw_path(canvas.ax, path, fill, filled=True, zorder=RANGE_Z)
    stroke = line_path(lines)
    if stroke is not None:
        style = LayerStyle(str(row["_weapon"]), color, None, 0.0, RANGE_WEIGHT)
        draw_path(canvas.ax, stroke, style, filled=False, zorder=RANGE_Z)
    if ring == "max":
        canvas.labels.extend(_ring_anchor(row, color))


#: Degrees between vertices of ring outlines before projecting (long edges become curves).
OUTLINE_STEP_DEG = 0.5
_SEAM = 1e-6


def _true_outlines(geoms: np.ndarray) -> np.ndarray:
    """Return each ring's outline (EPSG:4326) without the edges that only close it in lon/lat.

    A ring around a pole or across the antimeridian is stored as polygons closed along
    longitude ±180° and latitude ±90°; those edges are not part of the geodesic circle and
    are dropped, and the rest is densified so it projects as a curve.
    """
    out = np.empty(len(geoms), dtype=object)
    for i, geom in enumerate(geoms):
        dense = shapely.segmentize(shapely.boundary(geom), OUTLINE_STEP_DEG)
        runs: list[np.ndarray] = []
        for part in shapely.get_parts(dense):
            runs.extend(_off_seam_runs(shapely.get_coordinates(part)))
        out[i] = shapely.MultiLineString(runs) if runs else shapely.MultiLineString()
    return out


def _off_seam_runs(coords: np.ndarray) -> list[np.ndarray]:
    """Split a line into runs of segments that do not lie along a lon/lat seam."""
    if len(coords) < 2:
        return []
    lon, lat = np.abs(coords[:, 0]) >= 180.0 - _SEAM, np.abs(coords[:, 1]) >= 90.0 - _SEAM
    same_lon = np.isclose(coords[1:, 0], coords[:-1, 0])
    seam = (lon[1:] & lon[:-1] & same_lon) | (lat[1:] & lat[:-1])
    runs, start = [], 0
    for j in (int(k) for k in np.flatnonzero(seam)):
        if j + 1 - start >= 2:
            runs.append(coords[start : j + 1])
        start = j + 1
    if len(coords) - start >= 2:
        runs.append(coords[start:])
    return runs


def _min_style(color: str) -> LayerStyle:
    return LayerStyle("minimum range", color, None, 0.0, RANGE_WEIGHT, MIN_RANGE_DASH)


def _area_handle(color: str) -> Patch:
    face = to_rgba(color, RANGE_FILL_OPACITY * 2.5)
    return Patch(facecolor=face, edgecolor=color, linewidth=RANGE_WEIGHT * PX_TO_PT)


def _ring_anchor(row: pd.Series, color: str) -> list[LabelSpec]:
    coords = shapely.get_coordinates(row.geometry)
    if not len(coords):
        return []
    x, y = coords[int(np.argmax(coords[:, 1]))]
    text = f"{row['_weapon']} {_km(row['range_km'])} km"
    return [LabelSpec(text, float(x), float(y), RANK_RING, float(row["range_km"]), color=color,
                      fontsize=6.5, fontweight="bold")]  # fmt: skip


def _km(value: object) -> str:
    number = float(value) if isinstance(value, int | float | np.number) else float("nan")
    if not np.isfinite(number):
        return ""
    return f"{number:,.0f}" if number.is_integer() else f"{number:,.1f}"


def _is_capital(row: pd.Series) -> bool:
    capital = row.get("capital")
    code = row.get("feature_code")
    return (isinstance(capital, bool | np.bool_) and bool(capital)) or str(code).upper() == "PPLC"
