"""Pieces of a static map: geometry paths, graticule, scale bar, north arrow and legend handles.

Everything is drawn with matplotlib's object-oriented API onto an ``Axes`` whose data
coordinates are metres of the scene's projection (see :mod:`layers.projection`).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Literal

import numpy as np
import shapely
from matplotlib.artist import Artist
from matplotlib.axes import Axes
from matplotlib.collections import LineCollection
from matplotlib.colors import to_rgba
from matplotlib.lines import Line2D
from matplotlib.patches import Patch, PathPatch, Rectangle
from matplotlib.path import Path
from pyproj import Geod
from shapely.geometry import LineString, MultiLineString

from layers.projection import Scene
from layers.style import LayerStyle

GEOD = Geod(ellps="WGS84")
#: Graticule spacings in degrees, the first giving at most ``MAX_GRATICULE_LINES`` per side.
GRATICULE_STEPS = (0.5, 1.0, 2.0, 5.0, 10.0, 15.0, 30.0)
MAX_GRATICULE_LINES = 7
KM_PER_DEGREE = 111.2
GRATICULE_COLOR = "#7d8b99"
#: Frame fraction kept free of graticule labels near each corner.
CORNER_GAP = 0.03
#: Leaflet CSS pixels → typographic points.
PX_TO_PT = 0.75
FURNITURE_Z = 30.0


@dataclass(frozen=True)
class ScaleBar:
    """A drawn scale bar: its stated length and where it was drawn (projected metres)."""

    km: float
    x0: float
    x1: float
    y: float
    artists: tuple[Artist, ...]


@dataclass(frozen=True)
class NorthArrow:
    """A drawn north arrow: its base and its angle from "up", clockwise, in degrees."""

    x: float
    y: float
    angle_deg: float
    artists: tuple[Artist, ...]


def polygon_path(geoms: np.ndarray) -> Path | None:
    """Return one compound path of every polygon in ``geoms`` (holes cut out), or ``None``."""
    polys = shapely.get_parts(geoms)
    polys = polys[shapely.get_type_id(polys) == 3]
    if len(polys) == 0:
        return None
    rings = shapely.get_rings(shapely.orient_polygons(polys))
    return _rings_path(rings, closed=True)


def line_path(geoms: np.ndarray, *, outlines: bool = True) -> Path | None:
    """Return one compound path of every line in ``geoms``.

    Parameters
    ----------
    geoms
        Shapely geometries of any type (points are ignored).
    outlines
        Whether polygons contribute their rings (``False``: only line geometries count).
    """
    parts = shapely.get_parts(geoms)
    kinds = shapely.get_type_id(parts)
    lines = list(parts[(kinds == 1) | (kinds == 2)])
    rings = list(shapely.get_rings(parts[kinds == 3])) if outlines else []
    allparts = np.asarray([*lines, *rings], dtype=object)
    return _rings_path(allparts, closed=False) if len(allparts) else None


def line_dash(
    style: LayerStyle, dash: str | None = None
) -> Literal["solid"] | tuple[float, tuple[float, ...]]:
    """Return the matplotlib line style of a Leaflet ``dashArray`` (absolute, in points)."""
    pattern = dash if dash is not None else style.dash
    if not pattern:
        return "solid"
    width = max(style.weight * PX_TO_PT, 0.1)
    on_off = tuple(float(v) * PX_TO_PT / width for v in pattern.replace(",", " ").split())
    return (0.0, on_off)


def draw_path(ax: Axes, path: Path, style: LayerStyle, *, filled: bool, zorder: float) -> None:
    """Draw a path with a layer's stroke (and fill when ``filled`` and the style has one)."""
    face = to_rgba(style.fill_color, style.fill_opacity) if filled and style.fill_color else "none"
    # add_artist, not add_patch: the frame is fixed, and add_patch would walk every Bézier
    # segment of a world basemap to update data limits nobody reads (seconds per map).
    ax.add_artist(
        PathPatch(
            path,
            facecolor=face,
            edgecolor=style.color if style.weight > 0 else "none",
            linewidth=style.weight * PX_TO_PT,
            linestyle=line_dash(style),
            zorder=zorder,
            joinstyle="round",
        )
    )


def legend_handle(style: LayerStyle, *, kind: str, marker: str = "o") -> Artist:
    """Return the legend symbol of a layer drawn as ``kind`` ('polygon', 'line' or 'point')."""
    width = style.weight * PX_TO_PT
    if kind == "polygon":
        face = to_rgba(style.fill_color, style.fill_opacity) if style.fill_color else "none"
        return Patch(
            facecolor=face, edgecolor=style.color, linewidth=width, linestyle=line_dash(style)
        )
    if kind == "point":
        return Line2D(
            [], [], linestyle="none", marker=marker, markersize=6,
            markerfacecolor=style.fill_color or style.color, markeredgecolor=style.color,
            markeredgewidth=width,
        )  # fmt: skip
    return Line2D([], [], color=style.color, linewidth=max(width, 0.8), linestyle=line_dash(style))


def draw_graticule(ax: Axes, scene: Scene) -> float:
    """Draw meridians and parallels with degree labels at the frame edges; return the step."""
    xmin, ymin, xmax, ymax = scene.frame
    step = graticule_step(max(xmax - xmin, ymax - ymin) / 1000.0)
    west, south, east, north = scene.window.bounds
    meridians = [_meridian(lon, south, north) for lon in _multiples(west, east, step)]
    parallels = [_parallel(lat, west, east) for lat in _multiples(south, north, step)]
    edges = {
        "bottom": LineString([(xmin, ymin), (xmax, ymin)]),
        "top": LineString([(xmin, ymax), (xmax, ymax)]),
        "left": LineString([(xmin, ymin), (xmin, ymax)]),
        "right": LineString([(xmax, ymin), (xmax, ymax)]),
    }
    ticks: dict[str, list[tuple[float, str]]] = {side: [] for side in edges}
    segments: list[np.ndarray] = []
    for family, lines in (("lon", meridians), ("lat", parallels)):
        for value, line in lines:
            projected = _graticule_line(scene, line, segments)
            if projected is None:
                continue
            sides = ("bottom", "top") if family == "lon" else ("left", "right")
            for side in sides:
                for pos in _crossings(projected, edges[side], vertical=family == "lat"):
                    ticks[side].append((pos, _degree_label(value, family=family)))
    ax.add_collection(
        LineCollection(segments, colors=GRATICULE_COLOR, linewidths=0.45, alpha=0.7, zorder=1.5),
        autolim=False,
    )
    _set_ticks(ax, ticks, scene)
    return step


def graticule_step(span_km: float) -> float:
    """Return the graticule spacing in degrees for a map ``span_km`` across."""
    span_deg = span_km / KM_PER_DEGREE
    for step in GRATICULE_STEPS:
        if span_deg / step <= MAX_GRATICULE_LINES:
            return step
    return GRATICULE_STEPS[-1]


def nice_km(km: float) -> float:
    """Return the largest 1, 2 or 5 × 10ⁿ kilometres not above ``km``."""
    if not km > 0:
        raise ValueError(f"km must be positive, got {km}")
    power = 10.0 ** math.floor(math.log10(km))
    return max(m * power for m in (1.0, 2.0, 5.0) if m * power <= km * (1 + 1e-9))


def geodesic_km(scene: Scene, x0: float, y0: float, x1: float, y1: float) -> float:
    """Return the WGS84 geodesic distance in km between two points of the scene's projection."""
    lon, lat = scene.to_lonlat(np.array([x0, x1]), np.array([y0, y1]))
    _, _, metres = GEOD.inv(lon[0], lat[0], lon[1], lat[1])
    return float(metres) / 1000.0


def draw_scale_bar(ax: Axes, scene: Scene, *, fontsize: float = 7.0) -> ScaleBar:
    """Draw a scale bar near the lower-left corner whose length is geodesically right."""
    xmin, ymin, xmax, ymax = scene.frame
    width, height = xmax - xmin, ymax - ymin
    x0, y = xmin + 0.035 * width, ymin + 0.045 * height
    km = nice_km(geodesic_km(scene, x0, y, x0 + 0.22 * width, y))
    x1 = _solve_length(scene, x0, y, km)
    bar_h = 0.009 * height
    parts = 4 if str(int(km) if km >= 1 else km)[0] in "12" else 5
    edges = np.linspace(x0, x1, parts + 1)
    artists: list[Artist] = []
    for i in range(parts):
        artists.append(
            ax.add_patch(
                Rectangle(
                    (edges[i], y), edges[i + 1] - edges[i], bar_h, zorder=FURNITURE_Z + 1,
                    facecolor="#222222" if i % 2 == 0 else "white", edgecolor="none",
                )
            )
        )  # fmt: skip
    outline = Rectangle((x0, y), x1 - x0, bar_h, fill=False, edgecolor="#222222", lw=0.6)
    outline.set_gid("scale-bar")
    outline.set_zorder(FURNITURE_Z + 2)
    artists.append(ax.add_patch(outline))
    text_y = y + bar_h * 1.6
    for x, text, gid in ((x0, "0", None), (x1, f"{km:g} km", "scale-bar-label")):
        label = ax.text(x, text_y, text, fontsize=fontsize, ha="center", va="bottom",
                        zorder=FURNITURE_Z + 2, parse_math=False, gid=gid)  # fmt: skip
        artists.append(label)
    return ScaleBar(km=km, x0=x0, x1=x1, y=y, artists=tuple(artists))


def draw_north_arrow(ax: Axes, scene: Scene) -> NorthArrow:
    """Draw an arrow towards true north at its own position (not "up" off the centre)."""
    xmin, ymin, xmax, ymax = scene.frame
    height = ymax - ymin
    x, y = xmax - 0.045 * (xmax - xmin), ymax - 0.17 * height
    dx, dy = true_north(scene, x, y)
    length = 0.08 * height
    tip = (x + dx * length, y + dy * length)
    arrow = ax.annotate(
        "", xy=tip, xytext=(x, y), zorder=FURNITURE_Z,
        arrowprops={"arrowstyle": "-|>,head_length=0.8,head_width=0.4", "color": "#222222",
                    "lw": 1.4, "shrinkA": 0, "shrinkB": 0},
    )  # fmt: skip
    arrow.set_gid("north-arrow")
    letter = ax.text(
        tip[0] + dx * 0.03 * height, tip[1] + dy * 0.03 * height, "N", fontsize=9,
        fontweight="bold", ha="center", va="center", zorder=FURNITURE_Z, parse_math=False,
    )  # fmt: skip
    angle = math.degrees(math.atan2(dx, dy))
    return NorthArrow(x=x, y=y, angle_deg=angle, artists=(arrow, letter))


def true_north(scene: Scene, x: float, y: float) -> tuple[float, float]:
    """Return the unit vector (projected) pointing to true north from ``(x, y)``."""
    lon, lat = scene.to_lonlat(np.array([x]), np.array([y]))
    if lat[0] > 89.999:
        return 0.0, 1.0
    lon2, lat2, _ = GEOD.fwd(lon[0], lat[0], 0.0, 1000.0)
    x2, y2 = scene.to_xy(np.array([lon2]), np.array([lat2]))
    dx, dy = float(x2[0] - x), float(y2[0] - y)
    norm = math.hypot(dx, dy)
    return dx / norm, dy / norm


def _rings_path(rings: np.ndarray, *, closed: bool) -> Path | None:
    coords, index = shapely.get_coordinates(rings, return_index=True)
    if len(coords) == 0:
        return None
    codes = np.full(len(coords), Path.LINETO, dtype=np.uint8)
    starts = np.r_[0, np.flatnonzero(np.diff(index)) + 1]
    codes[starts] = Path.MOVETO
    if closed:
        codes[np.r_[starts[1:] - 1, len(coords) - 1]] = Path.CLOSEPOLY
    return Path(coords, codes)


def _solve_length(scene: Scene, x0: float, y: float, km: float) -> float:
    """Return the x at which the geodesic distance from ``(x0, y)`` along y is ``km``."""
    length = km * 1000.0
    for _ in range(6):
        measured = geodesic_km(scene, x0, y, x0 + length, y)
        length *= km / measured
        if abs(measured - km) < 1e-7 * km:
            break
    return x0 + length


def _multiples(lo: float, hi: float, step: float) -> list[float]:
    first = math.ceil(lo / step) * step
    return [round(v, 6) for v in np.arange(first, hi + 1e-9, step)]


def _meridian(lon: float, south: float, north: float) -> tuple[float, LineString]:
    lats = np.linspace(south, north, max(int((north - south) / 0.25), 2))
    return lon, LineString(np.column_stack([np.full(len(lats), lon), lats]))


def _parallel(lat: float, west: float, east: float) -> tuple[float, LineString]:
    lons = np.linspace(west, east, max(int((east - west) / 0.25), 2))
    return lat, LineString(np.column_stack([lons, np.full(len(lons), lat)]))


def _graticule_line(
    scene: Scene, line: LineString, segments: list[np.ndarray]
) -> LineString | MultiLineString | None:
    """Clip a lon/lat line to the window and project it; add it to ``segments`` and return it."""
    clipped = shapely.intersection(line, scene.window)
    parts = [p for p in shapely.get_parts(clipped) if isinstance(p, LineString) and not p.is_empty]
    projected: list[LineString] = []
    for part in parts:
        lon, lat = np.asarray(part.coords).T
        x, y = scene.to_xy(lon, lat)
        ok = np.isfinite(x) & np.isfinite(y)
        if ok.sum() < 2:
            continue
        segments.append(np.column_stack([x[ok], y[ok]]))
        projected.append(LineString(np.column_stack([x[ok], y[ok]])))
    if not projected:
        return None
    return projected[0] if len(projected) == 1 else MultiLineString(projected)


def _crossings(
    line: LineString | MultiLineString, edge: LineString, *, vertical: bool
) -> list[float]:
    hits = shapely.get_parts(shapely.intersection(line, edge))
    points = [p for p in hits if p.geom_type == "Point"]
    return [p.y if vertical else p.x for p in points]


def _degree_label(value: float, *, family: str) -> str:
    if value == 0:
        return "0°" if family == "lon" else "Equator"
    if family == "lon" and abs(value) == 180:
        return "180°"
    hemi = ("E", "W") if family == "lon" else ("N", "S")
    return f"{abs(value):g}°{hemi[0] if value > 0 else hemi[1]}"


def _set_ticks(ax: Axes, ticks: dict[str, list[tuple[float, str]]], scene: Scene) -> None:
    xmin, ymin, xmax, ymax = scene.frame
    gap_x, gap_y = CORNER_GAP * (xmax - xmin), CORNER_GAP * (ymax - ymin)
    top = ax.secondary_xaxis("top")
    right = ax.secondary_yaxis("right")
    for side, axis, lo, hi, gap in (
        ("bottom", ax.xaxis, xmin, xmax, gap_x),
        ("top", top.xaxis, xmin, xmax, gap_x),
        ("left", ax.yaxis, ymin, ymax, gap_y),
        ("right", right.yaxis, ymin, ymax, gap_y),
    ):
        kept = sorted((pos, text) for pos, text in ticks[side] if lo + gap <= pos <= hi - gap)
        axis.set_ticks([pos for pos, _ in kept], labels=[text for _, text in kept])
    for axes in (ax, top, right):
        axes.tick_params(labelsize=7, length=3, width=0.6, direction="out", colors="#333333")
    for axes in (ax, right):
        axes.tick_params(axis="y", labelrotation=90)
        for label in axes.get_yticklabels():
            label.set_verticalalignment("center")
