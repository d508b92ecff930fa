"""The projection of a static map: an azimuthal equal-area projection centred on the scene.

A static map of a 1,000-km scene must not be drawn in Web Mercator (its scale grows by a
third between Kyiv and Moscow). Lambert azimuthal equal-area centred on the scene keeps
areas exact and distances within a fraction of a percent over a few thousand kilometres.

Geometries are clipped in EPSG:4326 to a generous window around the map frame *before* they
are projected, so world polygons never reach the far side of the azimuthal projection, and a
window that crosses the antimeridian is split into two longitude boxes.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass

import geopandas as gpd
import numpy as np
import shapely
from pyproj import CRS, Transformer
from shapely.geometry import box
from shapely.geometry.base import BaseGeometry

from geo._errors import InputError

#: ``(west, south, east, north)`` in degrees; ``west > east`` crosses the antimeridian.
Extent = tuple[float, float, float, float]
#: ``(xmin, ymin, xmax, ymax)`` in metres of the scene's projection.
Frame = tuple[float, float, float, float]

#: Extra degrees of the clip window around the frame: a fraction of its span, at least a floor.
WINDOW_MARGIN_FRACTION = 0.25
WINDOW_MARGIN_MIN_DEG = 2.0
#: Largest extent a static map accepts (beyond it an azimuthal projection is a poor choice).
MAX_SPAN_DEG = 150.0
#: Geometries reaching this close to both ±180° are treated as split at the antimeridian.
SEAM_DEG = 1e-6


@dataclass(frozen=True)
class Scene:
    """Where a static map looks and how it is projected.

    Parameters
    ----------
    crs
        The scene's projection (Lambert azimuthal equal-area centred on the extent).
    frame
        Bounds of the map in metres of ``crs``, padded to the axes' aspect ratio.
    window
        The EPSG:4326 area data are clipped to before projecting (covers the frame with margin).
    """

    crs: CRS
    frame: Frame
    window: BaseGeometry

    def to_lonlat(self, x: np.ndarray, y: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Return longitudes and latitudes (EPSG:4326) of projected coordinates."""
        lon, lat = _inverse(self.crs).transform(x, y)
        return np.asarray(lon, dtype=float), np.asarray(lat, dtype=float)

    def to_xy(self, lon: np.ndarray, lat: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Return projected coordinates of longitudes and latitudes (EPSG:4326)."""
        x, y = _forward(self.crs).transform(lon, lat)
        return np.asarray(x, dtype=float), np.asarray(y, dtype=float)

    def project(self, gdf: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
        """Clip a GeoDataFrame to the window and project it; the result is in ``self.crs``.

        Rows left empty by the clip, or not finite once projected, are dropped; invalid
        geometries (in the input, or folded by the projection) are repaired.
        """
        if gdf.crs is None:
            raise InputError("a layer has no CRS: set it (EPSG:4326) before drawing")
        data = gdf.to_crs(4326) if not gdf.crs.equals(CRS.from_epsg(4326)) else gdf
        clipped = shapely.intersection(_valid(data.geometry.to_numpy()), self.window)
        keep = ~shapely.is_empty(clipped) & ~shapely.is_missing(clipped)
        clipped = clipped[keep]
        bounds = shapely.bounds(clipped).reshape(-1, 4)
        seam = (bounds[:, 0] <= -180.0 + SEAM_DEG) & (bounds[:, 2] >= 180.0 - SEAM_DEG)
        x, y = _forward(self.crs).transform(*shapely.get_coordinates(clipped).T)
        projected = shapely.set_coordinates(clipped.copy(), np.column_stack([x, y]))
        finite = np.isfinite(shapely.bounds(projected).reshape(-1, 4)).all(axis=1)
        projected, seam = projected[finite], seam[finite]
        if seam.any():  # parts split at the antimeridian meet again here: merge them
            projected[seam] = [_merge_seam(g) for g in projected[seam]]
        rows = data.loc[keep].loc[finite].drop(columns=data.geometry.name)
        return gpd.GeoDataFrame(rows, geometry=_valid(projected), crs=self.crs)


def scene_crs(extent: Extent) -> CRS:
    """Return a Lambert azimuthal equal-area CRS centred on an extent (never EPSG:3857).

    Parameters
    ----------
    extent
        ``(west, south, east, north)`` in degrees; ``west > east`` crosses the antimeridian.
    """
    lon_0, lat_0 = extent_centre(extent)
    return CRS.from_proj4(
        f"+proj=laea +lat_0={lat_0:.6f} +lon_0={lon_0:.6f} +x_0=0 +y_0=0 "
        "+datum=WGS84 +units=m +no_defs"
    )


def extent_centre(extent: Extent) -> tuple[float, float]:
    """Return the centre ``(lon, lat)`` of an extent, across the antimeridian if it crosses it."""
    west, south, east, north = validate_extent(extent)
    lon = _wrap(west + _lon_span(west, east) / 2.0)
    return lon, (south + north) / 2.0


def make_scene(extent: Extent, *, aspect: float) -> Scene:
    """Return the projection, frame and clip window of a map showing ``extent``.

    Parameters
    ----------
    extent
        ``(west, south, east, north)`` in degrees to show (all of it stays visible).
    aspect
        Width / height of the map axes; the frame is widened or heightened to match it.
    """
    if not aspect > 0:
        raise InputError(f"aspect must be positive, got {aspect}")
    crs = scene_crs(extent)
    west, south, east, north = extent
    lons, lats = _box_outline(west, south, west + _lon_span(west, east), north)
    x, y = _forward(crs).transform(lons, lats)
    frame = _pad_to_aspect((min(x), min(y), max(x), max(y)), aspect)
    centre = extent_centre(extent)
    window = shapely.intersection(_window(crs, frame, centre[0]), _reach_window(frame, centre))
    return Scene(crs=crs, frame=frame, window=window)


def validate_extent(extent: Extent) -> Extent:
    """Return an extent unchanged if it is valid, else raise an error naming the problem."""
    if len(extent) != 4 or not all(np.isfinite(v) for v in extent):
        raise InputError(
            f"extent must be four finite numbers (west, south, east, north), got {extent}"
        )
    west, south, east, north = (float(v) for v in extent)
    if not (-180.0 <= west <= 180.0 and -180.0 <= east <= 180.0):
        raise InputError(f"extent longitudes must be within -180..180, got {west}, {east}")
    if not -90.0 <= south < north <= 90.0:
        raise InputError(
            f"extent needs -90 <= south < north <= 90, got south={south}, north={north}"
        )
    span = _lon_span(west, east)
    if span <= 0 or max(span, north - south) > MAX_SPAN_DEG:
        raise InputError(
            f"extent spans {span:g}° of longitude and {north - south:g}° of latitude: "
            f"a static map shows between 0 and {MAX_SPAN_DEG:g}°"
        )
    return west, south, east, north


def _lon_span(west: float, east: float) -> float:
    return (east - west) % 360.0 if east != west else 0.0


def _wrap(lon: float) -> float:
    return (lon + 180.0) % 360.0 - 180.0


def _box_outline(
    west: float, south: float, east: float, north: float, *, n: int = 64
) -> tuple[np.ndarray, np.ndarray]:
    """Return the densified outline of a lon/lat box (east may exceed 180)."""
    xs = np.linspace(west, east, n)
    ys = np.linspace(south, north, n)
    lons = np.concatenate([xs, np.full(n, east), xs[::-1], np.full(n, west)])
    lats = np.concatenate([np.full(n, south), ys, np.full(n, north), ys[::-1]])
    return lons, lats


def _pad_to_aspect(bounds: Frame, aspect: float) -> Frame:
    xmin, ymin, xmax, ymax = bounds
    width, height = xmax - xmin, ymax - ymin
    cx, cy = (xmin + xmax) / 2.0, (ymin + ymax) / 2.0
    if width / height < aspect:
        width = height * aspect
    else:
        height = width / aspect
    return cx - width / 2.0, cy - height / 2.0, cx + width / 2.0, cy + height / 2.0


def _window(crs: CRS, frame: Frame, lon_0: float) -> BaseGeometry:
    """Return the EPSG:4326 window (one or two boxes) covering ``frame`` with a margin."""
    xmin, ymin, xmax, ymax = frame
    xs, ys = _box_outline(xmin, ymin, xmax, ymax)
    lons, lats = _inverse(crs).transform(xs, ys)
    unwrapped = lon_0 + (np.asarray(lons) - lon_0 + 180.0) % 360.0 - 180.0
    lo, hi = float(unwrapped.min()), float(unwrapped.max())
    south, north = float(np.min(lats)), float(np.max(lats))
    px, py = _forward(crs).transform([0.0, 0.0], [90.0, -90.0])
    for pole_x, pole_y, lat in zip(px, py, (90.0, -90.0), strict=True):
        if xmin <= pole_x <= xmax and ymin <= pole_y <= ymax:
            lo, hi = -180.0, 180.0
            south, north = min(south, lat), max(north, lat)
    dlon = max(WINDOW_MARGIN_MIN_DEG, WINDOW_MARGIN_FRACTION * (hi - lo))
    dlat = max(WINDOW_MARGIN_MIN_DEG, WINDOW_MARGIN_FRACTION * (north - south))
    lo, hi = lo - dlon, hi + dlon
    south, north = max(-90.0, south - dlat), min(90.0, north + dlat)
    if hi - lo >= 360.0:
        return box(-180.0, south, 180.0, north)
    boxes = [box(max(lo, -180.0), south, min(hi, 180.0), north)]
    if hi > 180.0:
        boxes.append(box(-180.0, south, hi - 360.0, north))
    if lo < -180.0:
        boxes.append(box(lo + 360.0, south, 180.0, north))
    return shapely.union_all(boxes)


def _merge_seam(geom: BaseGeometry) -> BaseGeometry:
    """Merge the parts of a geometry split at the antimeridian; keep them apart if GEOS can't.

    Snapping to a 1 m grid closes the hairline gap between the parts; where that makes the
    parts' rings touch in ways GEOS rejects (a "side location conflict"), they are merged
    after repair, else left as they are (a hairline seam, never an error).
    """
    parts = shapely.get_parts(geom)
    try:
        return shapely.union_all(parts, grid_size=1.0)
    except shapely.errors.GEOSException:
        pass
    try:
        return shapely.union_all(shapely.make_valid(parts))
    except shapely.errors.GEOSException:
        return geom


#: Mean Earth radius (km) for converting LAEA distances from the centre to arcs.
EARTH_RADIUS_KM = 6371.0088
#: The clip window reaches this much beyond the frame's farthest corner (a fraction of it)...
REACH_MARGIN = 0.15
#: ... and never farther from the centre than this (the far side folds in LAEA).
MAX_REACH_KM = 16_000.0


def _reach_window(frame: Frame, centre: tuple[float, float]) -> BaseGeometry:
    """Return the lon/lat area within reach of the scene's centre (a geodesic disc).

    Clipping to it keeps every projected vertex on the near side of the globe, where the
    azimuthal projection does not fold: a ring wider than the view, or one around a pole,
    is cut to what the frame can show instead of wrapping round the map.
    """
    from geo import geodesic

    corner_m = max(np.hypot(x, y) for x in frame[::2] for y in frame[1::2])
    arc = 2.0 * np.arcsin(min(1.0, corner_m / 1000.0 / (2.0 * EARTH_RADIUS_KM)))
    reach_km = min(MAX_REACH_KM, arc * EARTH_RADIUS_KM * (1.0 + REACH_MARGIN) + 200.0)
    return geodesic.disc(centre[0], centre[1], radius_km=reach_km)


def _valid(geoms: np.ndarray) -> np.ndarray:
    """Return geometries with the invalid ones repaired (input, or folded by projecting)."""
    invalid = ~shapely.is_valid(geoms)
    if not invalid.any():
        return geoms
    geoms = geoms.copy()
    geoms[invalid] = shapely.make_valid(geoms[invalid])
    return geoms


@functools.lru_cache(maxsize=32)
def _forward(crs: CRS) -> Transformer:
    return Transformer.from_crs(4326, crs, always_xy=True)


@functools.lru_cache(maxsize=32)
def _inverse(crs: CRS) -> Transformer:
    return Transformer.from_crs(crs, 4326, always_xy=True)
