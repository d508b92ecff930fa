"""Geodesic buffers, rings, distances and areas on the WGS84 ellipsoid.

Everything here measures on the ellipsoid with :class:`pyproj.Geod`; nothing is
buffered in degrees or in Web Mercator. Geometries come in and go out in
EPSG:4326 (longitude, latitude). Results that cross the antimeridian are split
into parts on either side of ±180° (RFC 7946 §3.1.9); a buffer that contains a
pole is a valid polygon closed along ±180° up to latitude ±90°.

How a buffer is made:

- a point: its geodesic circle, traced with ``Geod.fwd`` over many azimuths (exact);
- a line or polygon boundary: cut into chunks of at most 250 km (shorter for long ranges),
  each chunk buffered in an azimuthal-equidistant (AEQD) projection centred on it,
  where distances from the centre are exact and the error a chunk's half-length
  away stays far below 0.1%; the chunk buffers are unioned with the polygon
  interior, at every range in one AEQD frame centred on the launch area (all chunk rings
  mapped in two vectorised geodesic calls), or in lon/lat when no frame keeps the buffer far
  from its antipode (areas spread round the globe).

Outlines are simplified to :func:`simplification_km` (0.03 % of the range) first, at every
range: far below the ±0.1 % a buffer keeps.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable, Iterator

import numpy as np
import shapely
from numpy.typing import ArrayLike, NDArray
from pyproj import Geod, Transformer
from shapely.geometry import LineString, MultiPolygon, Point, Polygon, box
from shapely.geometry.base import BaseGeometry

from geo import _budget
from geo._errors import InputError
from geo._limits import MIN_RANGE_KM
from geo._memo import Memo, digest
from geo._simplify import outline_as_line

__all__ = [
    "EARTH_HALF_CIRCUMFERENCE_KM",
    "GEOD",
    "MAX_BUFFER_VERTICES",
    "area_km2",
    "buffer",
    "check_range_km",
    "disc",
    "distance_km",
    "distance_to_geometry_km",
    "polygonal",
    "ring",
    "simplification_km",
    "split_antimeridian",
]

#: The WGS84 ellipsoid every measure in rangemap uses.
GEOD = Geod(ellps="WGS84")

#: Shortest pole-to-pole distance along a meridian; no range can exceed it.
EARTH_HALF_CIRCUMFERENCE_KM = 20_003.93

_WORLD = box(-180.0, -90.0, 180.0, 90.0)
_STRIPS = [box(w, -90.0, w + 90.0, 90.0) for w in (-180.0, -90.0, 0.0, 90.0)]
_MEAN_RADIUS_KM = 6_371.0088
_MAX_EDGE_KM = 20.0
#: The centre and spread of launch geometries (see :func:`_spread`), by WKB digest.
_SPREADS: Memo[tuple[float, float, float] | None] = Memo(64)
#: Most vertices :func:`buffer` accepts in one launch geometry.
MAX_BUFFER_VERTICES = 5_000_000
#: From this range on, the nearest point of a launch area is always one of its convex hull's
#: corners (beyond a quarter meridian, distance only grows from a great circle's foot).
_FAR_KM = 10_100.0


def check_range_km(value: float, *, name: str = "range_km", allow_zero: bool = False) -> float:
    """Return ``value`` as a float after checking it is a usable range in km.

    A usable range is a finite number from :data:`geo._limits.MIN_RANGE_KM` (100 m) up to
    and including half the Earth's circumference (:data:`EARTH_HALF_CIRCUMFERENCE_KM`, the
    longest geodesic on WGS84: a range that long covers the whole Earth).

    Parameters
    ----------
    value
        The range in kilometres.
    name
        The parameter's name, used in the error message.
    allow_zero
        Accept 0 (a minimum range of nothing).

    Raises
    ------
    InputError
        If the value is not a finite number, not positive (or zero when allowed), shorter
        than 100 m or longer than half the Earth's circumference.
    """
    if isinstance(value, bool):
        raise InputError(f"{name} must be a number of km, got {_shown(value)}")
    try:
        km = float(value)
    except (TypeError, ValueError, OverflowError):
        raise InputError(f"{name} must be a number of km, got {_shown(value)}") from None
    if not math.isfinite(km):
        raise InputError(f"{name} must be a finite number of km, got {_shown(value)}")
    if km < 0 or (km == 0 and not allow_zero):
        raise InputError(f"{name} must be positive, got {km:g}")
    if 0 < km < MIN_RANGE_KM:
        raise InputError(f"{name} must be at least {MIN_RANGE_KM:g} km (100 m), got {km:g}")
    if km > EARTH_HALF_CIRCUMFERENCE_KM:
        raise InputError(
            f"{name} must be at most half the Earth's circumference "
            f"({EARTH_HALF_CIRCUMFERENCE_KM:,.0f} km: that range already covers the whole "
            f"Earth), got {km:g}"
        )
    return km


def disc(lon: float, lat: float, *, radius_km: float, n_points: int | None = None) -> BaseGeometry:
    """Return everything within ``radius_km`` of a point, as an EPSG:4326 (multi)polygon.

    Parameters
    ----------
    lon, lat
        The centre in degrees.
    radius_km
        The geodesic radius in km.
    n_points
        Vertices on the circle; by default one every ~20 km, at least 256.

    Returns
    -------
    BaseGeometry
        A Polygon, or a MultiPolygon when the disc crosses the antimeridian.
    """
    radius_km = check_range_km(radius_km, name="radius_km")
    lon, lat = _check_lonlat(lon, lat)
    n = n_points or int(min(4096, max(256, 2 * math.pi * radius_km / _MAX_EDGE_KM)))
    az = np.linspace(0.0, 360.0, n + 1)[:, None]

    def along(params: NDArray) -> tuple[NDArray, NDArray]:
        m = len(params)
        x, y, _ = GEOD.fwd(
            np.full(m, lon), np.full(m, lat), params[:, 0], np.full(m, radius_km * 1e3)
        )
        return np.asarray(x), np.asarray(y)

    lons, lats = _refined(az, along)
    pole = _poles_within(lon, lat, radius_km)
    return _ring_to_geographic(lons, lats, pole=pole, inside=(lon, lat))


def buffer(geometry: BaseGeometry, *, distance_km: float) -> BaseGeometry:
    """Return everything within ``distance_km`` of an EPSG:4326 geometry (geodesic).

    Parameters
    ----------
    geometry
        A (multi)point, (multi)line, (multi)polygon or collection in lon/lat degrees.
        Edges are the straight lines between vertices in lon/lat, as shapely draws them.
    distance_km
        The geodesic distance in km.

    Returns
    -------
    BaseGeometry
        An EPSG:4326 (multi)polygon, split at the antimeridian.
    """
    distance_km = check_range_km(distance_km, name="distance_km")
    if geometry is None or geometry.is_empty:
        raise InputError("cannot buffer an empty geometry")
    vertices = int(shapely.get_num_coordinates(geometry))
    if vertices > MAX_BUFFER_VERTICES:
        raise InputError(
            f"cannot buffer a geometry of {vertices:,} vertices (at most "
            f"{MAX_BUFFER_VERTICES:,}); simplify it first"
        )
    if _covers_earth(geometry, distance_km):
        return shapely.orient_polygons(_WORLD)
    if isinstance(geometry, Point):
        return disc(geometry.x, geometry.y, radius_km=distance_km)
    if distance_km >= _FAR_KM:
        return _far_buffer(geometry, distance_km)
    if (frame := _common_frame(geometry, distance_km)) is not None:
        return _framed_buffer(geometry, distance_km, frame)
    parts: list[BaseGeometry] = []
    for part in _flatten(geometry):
        _budget.check()
        if isinstance(part, Point):
            parts.append(disc(part.x, part.y, radius_km=distance_km))
            continue
        if isinstance(part, Polygon):
            parts.append(shapely.make_valid(part.simplify(_simplify_deg(distance_km))))
        for line in _boundary_lines(part):
            parts.extend(_line_buffer(line, distance_km))
    return polygonal(shapely.union_all(parts))


def simplification_km(distance_km: float) -> float:
    """Return how far :func:`buffer` may move a launch outline before buffering it, in km.

    Outlines (coasts, frontlines) are simplified to 0.03 % of the range first: far below the
    ±0.1 % the buffer keeps, and it bounds the work on very detailed outlines.
    """
    return 0.0003 * distance_km


def ring(geometry: BaseGeometry, *, max_km: float, min_km: float = 0.0) -> BaseGeometry:
    """Return the zone between ``min_km`` and ``max_km`` of a geometry (an annulus when min > 0).

    Parameters
    ----------
    geometry
        The launch geometry, EPSG:4326.
    max_km
        The outer (maximum) range in km.
    min_km
        The inner (minimum) range in km; 0 gives the full disc.

    Returns
    -------
    BaseGeometry
        An EPSG:4326 (multi)polygon.
    """
    max_km = check_range_km(max_km, name="max_km")
    min_km = check_range_km(min_km, name="min_km", allow_zero=True)
    if min_km >= max_km:
        raise InputError(f"min_km must be less than max_km, got {min_km:g} >= {max_km:g}")
    outer = buffer(geometry, distance_km=max_km)
    if min_km == 0:
        return outer
    return polygonal(shapely.difference(outer, buffer(geometry, distance_km=min_km)))


def distance_km(lon1: ArrayLike, lat1: ArrayLike, lon2: ArrayLike, lat2: ArrayLike) -> NDArray:
    """Return geodesic distances in km between points (vectorised, broadcasting)."""
    a, b, c, d = np.broadcast_arrays(
        *(np.asarray(v, dtype=float) for v in (lon1, lat1, lon2, lat2))
    )
    _, _, metres = GEOD.inv(a.ravel(), b.ravel(), c.ravel(), d.ravel())
    return np.asarray(metres).reshape(a.shape) / 1000.0


def distance_to_geometry_km(
    geometry: BaseGeometry, lons: ArrayLike, lats: ArrayLike, *, spacing_km: float = 1.0
) -> NDArray:
    """Return the geodesic distance in km from each point to a geometry (0 inside polygons).

    The distance to a line or polygon is the distance to the nearest point of its
    boundary, densified to ``spacing_km`` (error below ``spacing_km² / 8d``).

    Parameters
    ----------
    geometry
        An EPSG:4326 geometry.
    lons, lats
        Query points in degrees.
    spacing_km
        Densification of lines and boundaries.

    Returns
    -------
    numpy.ndarray
        Distances in km, one per query point.
    """
    x = np.atleast_1d(np.asarray(lons, dtype=float))
    y = np.atleast_1d(np.asarray(lats, dtype=float))
    vx, vy = _vertices(geometry, spacing_km=spacing_km)
    out = np.empty(x.shape)
    rows = max(1, 2_000_000 // max(vx.size, 1))  # keep each distance matrix near 16 MB
    for start in range(0, x.size, rows):
        sl = slice(start, start + rows)
        out[sl] = _nearest_vertex_km(x[sl], y[sl], vx, vy)
    polygons = [p for p in _flatten(geometry) if isinstance(p, Polygon)]
    if polygons:
        inside = shapely.contains_xy(shapely.union_all(polygons), x, y)
        out[inside] = 0.0
    return out


def area_km2(geometry: BaseGeometry) -> float:
    """Return the geodesic area of an EPSG:4326 geometry in km² (0 for points and lines).

    Polygons are cut into 90°-wide longitude strips, each smaller than a hemisphere,
    so a polygon closed along ±180° or round a pole is measured without ambiguity. An edge
    that jumps more than 180° in longitude crosses the antimeridian (see
    :func:`split_antimeridian`).
    """
    if geometry is None or geometry.is_empty:
        return 0.0
    total = 0.0
    split = split_antimeridian(geometry)
    polygons = [p for p in _flatten(split) if isinstance(p, Polygon)]
    if not polygons:
        return 0.0
    # a valid (multi)polygon is its own union: 20,000 parts need no overlay
    valid = split.geom_type in ("Polygon", "MultiPolygon") and split.is_valid
    merged = split if valid else shapely.union_all(polygons)
    for strip in _STRIPS:
        for part in _flatten(shapely.intersection(merged, strip)):
            if isinstance(part, Polygon):
                dense = shapely.segmentize(shapely.orient_polygons(part), max_segment_length=1.0)
                area, _ = GEOD.geometry_area_perimeter(dense)
                total += abs(area)
    return total / 1e6


def split_antimeridian(geometry: BaseGeometry) -> BaseGeometry:
    """Return a geometry whose polygons no longer jump across the antimeridian.

    A polygon ring with an edge spanning more than 180° of longitude (``179 → -179``) is
    read the short way, across ±180°, as GeoJSON writers mean it, and cut into parts on
    either side (RFC 7946 §3.1.9). Other geometries are returned unchanged.

    Parameters
    ----------
    geometry
        An EPSG:4326 geometry.

    Returns
    -------
    BaseGeometry
        EPSG:4326, longitudes within [-180, 180].
    """
    if geometry is None or geometry.is_empty:
        return geometry
    polygons = [p for p in _flatten(geometry) if isinstance(p, Polygon)]
    if not _any_jumps(polygons):
        return geometry
    out: list[BaseGeometry] = [p for p in _flatten(geometry) if not isinstance(p, Polygon)]
    for polygon in polygons:
        ex = np.asarray(polygon.exterior.coords)
        shell = _ring_to_geographic(ex[:, 0], ex[:, 1], pole=0)
        for hole in polygon.interiors:
            hx = np.asarray(hole.coords)
            shell = shell.difference(_ring_to_geographic(hx[:, 0], hx[:, 1], pole=0))
        out.append(shell)
    return shapely.union_all(out) if len(out) > 1 else out[0]


# --- helpers ---------------------------------------------------------------------------------


def _simplify_deg(distance_km: float) -> float:
    """Return :func:`simplification_km` in degrees (a degree is at most 111.32 km anywhere)."""
    return simplification_km(distance_km) / 111.32


def _any_jumps(polygons: list[Polygon]) -> bool:
    """Return True if a ring of the polygons jumps (see :func:`_jumps`), all rings at once."""
    if len(polygons) < 2:
        return any(_jumps(r) for p in polygons for r in (p.exterior, *p.interiors))
    c, ring = shapely.get_coordinates(shapely.get_rings(polygons), return_index=True)
    same = ring[:-1] == ring[1:]
    jump = np.abs(np.diff(c[:, 0])) > 180.0
    on_meridian = (np.abs(c[:-1, 0]) == 180.0) & (np.abs(c[1:, 0]) == 180.0)
    at_pole = (np.abs(c[:-1, 1]) == 90.0) & (c[:-1, 1] == c[1:, 1])
    return bool(np.any(same & jump & ~on_meridian & ~at_pole))


def _jumps(ring: BaseGeometry) -> bool:
    """Return True if a ring has an edge spanning more than 180° of longitude.

    Edges from one side of ±180° to the other side of it, or along a pole, are not jumps.
    """
    c = np.asarray(ring.coords)
    jump = np.abs(np.diff(c[:, 0])) > 180.0
    on_meridian = (np.abs(c[:-1, 0]) == 180.0) & (np.abs(c[1:, 0]) == 180.0)
    at_pole = (np.abs(c[:-1, 1]) == 90.0) & (c[:-1, 1] == c[1:, 1])
    return bool(np.any(jump & ~on_meridian & ~at_pole))


def _shown(value: object) -> str:
    """Return a short repr of a user value for a message (a 5,000-digit number stays short)."""
    text = repr(value)
    return text if len(text) <= 40 else f"{text[:37]}..."


def _check_lonlat(lon: float, lat: float) -> tuple[float, float]:
    lon, lat = float(lon), float(lat)
    if not (math.isfinite(lon) and math.isfinite(lat)) or abs(lat) > 90 or abs(lon) > 360:
        raise InputError(f"not a valid lon/lat point: ({lon}, {lat})")
    return ((lon + 180.0) % 360.0) - 180.0 if abs(lon) > 180 else lon, lat


def _poles_within(lon: float, lat: float, radius_km: float) -> int:
    """Return +1/-1 if the north/south pole is within the radius, 0 if neither or both."""
    north = distance_km(lon, lat, lon, 90.0).item() < radius_km
    south = distance_km(lon, lat, lon, -90.0).item() < radius_km
    return int(north) - int(south)


def _covers_earth(geometry: BaseGeometry, distance_km: float) -> bool:
    """Return True if every point on Earth lies within ``distance_km`` of ``geometry``.

    No point is farther than :data:`EARTH_HALF_CIRCUMFERENCE_KM` from anything; a polygon
    holding a disc of radius ``ρ`` round ``c`` brings every point within that distance − ``ρ``
    (the geodesic from the point to ``c`` enters the disc ``ρ`` before reaching ``c``).
    """
    if distance_km >= EARTH_HALF_CIRCUMFERENCE_KM:
        return True
    if distance_km < EARTH_HALF_CIRCUMFERENCE_KM / 2:
        return False
    polygons = sorted(
        (p for p in _flatten(geometry) if isinstance(p, Polygon)), key=lambda p: -p.area
    )
    for polygon in polygons[:3]:
        centre = shapely.get_point(shapely.maximum_inscribed_circle(polygon, 0.01), 0)
        vx, vy = _vertices(polygon.boundary, spacing_km=5.0)
        inradius = float(_nearest_vertex_km(np.array([centre.x]), np.array([centre.y]), vx, vy)[0])
        if distance_km >= EARTH_HALF_CIRCUMFERENCE_KM - (inradius - 2.5):
            return True
    return False


def _far_buffer(geometry: BaseGeometry, distance_km: float) -> BaseGeometry:
    """Buffer beyond a quarter meridian: the union of the discs round the hull's corners.

    Farther than a quarter of a great circle, the distance from a point to an edge only
    shrinks towards the edge's ends, so the nearest point of the geometry is a vertex, and
    a corner of its (spherical) convex hull. Edges are densified to 0.5° first, so edges
    drawn straight in lon/lat are followed.
    """
    tolerance = 0.0002 * distance_km / 111.32  # moves nothing by more than 0.02% of the range
    xs, ys = [], []
    for part in _flatten(geometry):
        simple = part.simplify(tolerance) if not isinstance(part, Point) else part
        coords = shapely.get_coordinates(shapely.segmentize(simple, max_segment_length=0.5))
        xs.append(coords[:, 0])
        ys.append(coords[:, 1])
    tolerance_rad = 0.0002 * distance_km / _MEAN_RADIUS_KM
    lon, lat = _hull_corners(np.concatenate(xs), np.concatenate(ys), tolerance=tolerance_rad)
    discs = []
    for x, y in zip(lon, lat, strict=True):
        _budget.check()
        discs.append(disc(x, y, radius_km=distance_km))
    polygons = [shapely.make_valid(p) for p in _flatten(geometry) if isinstance(p, Polygon)]
    _budget.check()
    return polygonal(shapely.union_all(discs + polygons))


def _hull_corners(lon: NDArray, lat: NDArray, *, tolerance: float) -> tuple[NDArray, NDArray]:
    """Return the corners of the spherical convex hull of lon/lat points (all when unsure).

    The hull is taken in a gnomonic projection centred on the points' mean direction, where
    great circles are straight lines, and thinned: a corner less than ``tolerance`` (radians)
    outside the chord of its neighbours is dropped, which moves a far buffer by less than
    that. Points spread too widely for one projection are split into the eight octants of
    the globe, and each octant's hull corners are kept (a far point's nearest point is still
    a corner of the hull of the octant that holds it).
    """
    lam, phi = np.radians(lon), np.radians(lat)
    xyz = np.column_stack([np.cos(phi) * np.cos(lam), np.cos(phi) * np.sin(lam), np.sin(phi)])
    mean = xyz.mean(axis=0)
    norm = float(np.linalg.norm(mean))
    if norm < 1e-9 or np.min(xyz @ (mean / norm)) < 0.2:  # beyond ~78° from the centre
        octant = (xyz >= 0) @ np.array([1, 2, 4])
        if len(lon) < 4 or len(np.unique(octant)) == 1:
            return lon, lat
        kept = [
            _hull_corners(lon[octant == k], lat[octant == k], tolerance=tolerance)
            for k in np.unique(octant)
        ]
        return np.concatenate([k[0] for k in kept]), np.concatenate([k[1] for k in kept])
    centre = mean / norm
    east = np.cross([0.0, 0.0, 1.0], centre)
    east = east / np.linalg.norm(east) if np.linalg.norm(east) > 1e-9 else np.array([1.0, 0, 0])
    north = np.cross(centre, east)
    plane = xyz / (xyz @ centre)[:, None]
    px, py = plane @ east, plane @ north
    hull = shapely.convex_hull(shapely.multipoints(np.column_stack([px, py])))
    # Gnomonic distances are never shorter than on the sphere: the thinning stays within.
    corners = {tuple(c) for c in shapely.get_coordinates(shapely.simplify(hull, tolerance))}
    keep = np.array([(x, y) in corners for x, y in zip(px, py, strict=True)])
    return lon[keep], lat[keep]


def _flatten(geometry: BaseGeometry) -> Iterable[BaseGeometry]:
    parts = shapely.get_parts(geometry)
    for part in parts:
        if part.geom_type.startswith("Multi") or part.geom_type == "GeometryCollection":
            yield from _flatten(part)
        elif not part.is_empty:
            yield part


def _boundary_lines(part: BaseGeometry) -> list[LineString]:
    if isinstance(part, Polygon):
        return [LineString(part.exterior.coords)] + [LineString(r.coords) for r in part.interiors]
    if isinstance(part, LineString):
        return [part]
    raise InputError(f"cannot buffer a {part.geom_type}")


def _chunk_km(distance_km: float) -> float:
    """Return the longest chunk whose AEQD buffer stays within 0.05% of ``distance_km``.

    A point ``d`` km from the AEQD centre is off by about ``d (k - 1)`` at distance R,
    where ``k = θ / sin θ`` (θ = R / Earth radius) is the projection's scale across.
    """
    theta = min(distance_km / _MEAN_RADIUS_KM, 3.0)
    excess = theta / math.sin(theta) - 1.0 if theta > 1e-6 else theta * theta / 6
    half = 0.0005 * distance_km / max(excess, 1e-12)
    return float(max(0.5, min(250.0, 2.0 * half)))


def _line_buffer(line: LineString, distance_km: float) -> list[BaseGeometry]:
    """Buffer one lon/lat line by chunks, each in an AEQD projection centred on it."""
    return [_chunk_buffer(coords, distance_km) for coords in _chunks(line, distance_km)]


def _spacing_deg(distance_km: float) -> float:
    """Return the vertex spacing of outlines before buffering, in degrees.

    At most 10 km (less for short chunks), and at most the range under 10 km: an edge drawn
    straight in lon/lat bows by about ``L² tan φ / 8R`` from the geodesic between its ends,
    which stays below 0.01 % of the range at mid-latitudes.
    """
    return min(_chunk_km(distance_km), 10.0, max(1.0, distance_km)) / 111.0


def _chunks(
    line: LineString, distance_km: float, *, simple: LineString | None = None
) -> Iterator[NDArray]:
    """Yield the lon/lat vertices of consecutive chunks of a line, short enough for AEQD.

    ``simple`` is the line already simplified as below, if known.
    """
    chunk_km = _chunk_km(distance_km)
    # Dropping vertices that move the line by < 0.03% of the distance cannot move the
    # buffer by more; it makes detailed outlines (coasts, frontlines) cheap.
    simplified = line.simplify(_simplify_deg(distance_km)) if simple is None else simple
    dense = shapely.segmentize(simplified, max_segment_length=_spacing_deg(distance_km))
    coords = np.asarray(dense.coords)[:, :2]
    if len(coords) < 2:
        yield coords[:1]
        return
    seg = GEOD.line_lengths(coords[:, 0], coords[:, 1])
    along = np.concatenate([[0.0], np.cumsum(seg)]) / 1000.0
    n_chunks = max(1, math.ceil(along[-1] / chunk_km))
    edges = np.searchsorted(along, np.linspace(0, along[-1], n_chunks + 1)[1:-1])
    for chunk in np.split(np.arange(len(coords)), edges):
        _budget.check()
        idx = np.unique(np.concatenate([chunk, [min(chunk[-1] + 1, len(coords) - 1)]]))
        yield coords[idx]


def _common_frame(geometry: BaseGeometry, range_km: float) -> tuple[float, float] | None:
    """Return the centre of an AEQD frame for the buffer, if it keeps far from the antipode.

    An AEQD projection is one-to-one everywhere but at its centre's antipode, so buffers mapped
    into it union exactly as on the globe while they keep ≥ 3,000 km away from that point.
    """
    spread = _SPREADS.get(digest(shapely.to_wkb(geometry)), lambda: _spread(geometry))
    if spread is None:
        return None
    lon, lat, spread_km = spread
    if spread_km + range_km > EARTH_HALF_CIRCUMFERENCE_KM - 3_000.0:
        return None
    return lon, lat


def _spread(geometry: BaseGeometry) -> tuple[float, float, float] | None:
    """Return the centre of a geometry's vertices and their farthest distance from it (km).

    The same at every range: :func:`_common_frame` keeps it by the geometry's WKB digest
    (a range edit buffers the same launch area again).
    """
    xy = shapely.get_coordinates(geometry)
    lam, phi = np.radians(xy[:, 0]), np.radians(xy[:, 1])
    xyz = np.column_stack([np.cos(phi) * np.cos(lam), np.cos(phi) * np.sin(lam), np.sin(phi)])
    mean = xyz.mean(axis=0)
    norm = float(np.linalg.norm(mean))
    if norm < 1e-6:
        return None
    centre = mean / norm
    lon, lat = math.degrees(math.atan2(centre[1], centre[0])), math.degrees(math.asin(centre[2]))
    return lon, lat, float(distance_km(lon, lat, xy[:, 0], xy[:, 1]).max())


def _diameter_bound_km(part: BaseGeometry) -> float:
    """Return an upper bound of the geodesic diameter of a part, in km.

    Any two points of its lon/lat box are joined by a path along a parallel (no longer than
    the box's widest parallel) then a meridian; a degree is at most 111.7 km along either.
    A polygon narrower than the range needs no interior: its outline's buffer covers it.
    """
    minx, miny, maxx, maxy = part.bounds
    widest = 0.0 if miny <= 0.0 <= maxy else min(abs(miny), abs(maxy))
    return 111.7 * ((maxx - minx) * math.cos(math.radians(widest)) + (maxy - miny))


def _framed_buffer(
    geometry: BaseGeometry, distance_km: float, frame: tuple[float, float]
) -> BaseGeometry:
    """Buffer chunk by chunk, each in its own AEQD, and union the chunks in one AEQD frame.

    Every chunk's buffer is made in an AEQD centred on the chunk, as in :func:`_chunk_buffer`;
    all the chunks' rings then go to the frame's AEQD in two vectorised geodesic calls. The
    union is planar, and only its outline is mapped back to lon/lat, split and capped.
    """
    chunks: list[NDArray] = []
    polygons: list[BaseGeometry] = []
    for part in _flatten(geometry):
        if isinstance(part, Point):
            chunks.append(np.array([[part.x, part.y]]))
            continue
        outline = None
        if isinstance(part, Polygon) and _diameter_bound_km(part) >= 0.9 * distance_km:
            simplified = part.simplify(_simplify_deg(distance_km))
            # The outline's own simplification, when this one provably equals it.
            outline = outline_as_line(part, simplified, _simplify_deg(distance_km))
            simple = shapely.make_valid(simplified)
            # Densified like the chunks, so its edges in the frame follow their lon/lat lines.
            polygons.append(shapely.segmentize(simple, _spacing_deg(distance_km)))
        for i, line in enumerate(_boundary_lines(part)):
            chunks.extend(_chunks(line, distance_km, simple=outline if i == 0 else None))
    pieces = _chunks_in_frame(chunks, distance_km, frame)
    if polygons:
        framed = shapely.transform(
            np.asarray(polygons, dtype=object), lambda c: _aeqd_fwd(frame, c)
        )
        pieces += list(framed)
    union = shapely.union_all(_valid(pieces))

    def along(params: NDArray) -> tuple[NDArray, NDArray]:
        lonlat = _aeqd_inv(frame, params)
        return lonlat[:, 0], lonlat[:, 1]

    out = []
    for poly in _flatten(union):
        if not isinstance(poly, Polygon):
            continue
        ex, ey = _refined(np.asarray(poly.exterior.coords), along)
        poles = _aeqd_fwd(frame, np.array([[0.0, 90.0], [0.0, -90.0]]))
        pole = int(poly.contains(Point(*poles[0]))) - int(poly.contains(Point(*poles[1])))
        # A point inside this part, not the launch area's first vertex: a part far from it
        # (an island's buffer) would otherwise be read as its complement, the rest of the Earth.
        inside = _aeqd_inv(frame, shapely.get_coordinates(poly.representative_point()))[0]
        geom = _ring_to_geographic(ex, ey, pole=pole, inside=(float(inside[0]), float(inside[1])))
        for hole in poly.interiors:
            hx, hy = _refined(np.asarray(hole.coords), along)
            geom = geom.difference(_ring_to_geographic(hx, hy, pole=0))
        out.append(geom)
    return polygonal(shapely.union_all(out))


def _valid(pieces: list[BaseGeometry]) -> NDArray:
    """Return the pieces with any made invalid by the mapping into the frame repaired.

    A chunk's buffer is valid in its own AEQD; mapped into the frame's, a ring can touch or
    cross itself by a few centimetres, which GEOS's union refuses (TopologyException).
    """
    arr = np.asarray(pieces, dtype=object)
    bad = ~shapely.is_valid(arr)
    if bad.any():
        arr[bad] = shapely.make_valid(arr[bad])
    return arr


def _chunks_in_frame(
    chunks: list[NDArray], distance_km: float, frame: tuple[float, float]
) -> list[BaseGeometry]:
    """Return each chunk's buffer, made in the chunk's own AEQD, mapped into the frame."""
    mids = np.array([c[len(c) // 2] for c in chunks])
    sizes = np.array([len(c) for c in chunks])
    local = _aeqd_fwd_many(np.repeat(mids, sizes, axis=0), np.concatenate(chunks))
    # A GEOS buffer of 32 segments a quarter has 0.03% chords: no need for more vertices.
    edge_m = max(_MAX_EDGE_KM, distance_km / 40.0) * 1000.0
    polys = []
    for shape in np.split(local, np.cumsum(sizes)[:-1]):
        _budget.check()
        polys.append(_local_buffer(shape, distance_km * 1000.0, edge_m=edge_m))
    rings = shapely.get_rings(polys, return_index=True)
    coords, ring_of = shapely.get_coordinates(rings[0], return_index=True)
    owner = rings[1][ring_of]
    lonlat = _aeqd_inv_many(mids[owner], coords)
    return list(shapely.set_coordinates(np.asarray(polys, dtype=object), _aeqd_fwd(frame, lonlat)))


def _aeqd_fwd(centre: tuple[float, float] | NDArray, lonlat: NDArray) -> NDArray:
    """Return AEQD x/y metres of lon/lat points, centred on one point (ellipsoidal, exact)."""
    return _aeqd_fwd_many(np.broadcast_to(np.asarray(centre, dtype=float), lonlat.shape), lonlat)


def _aeqd_inv(centre: tuple[float, float], xy: NDArray) -> NDArray:
    """Return lon/lat of AEQD x/y metres centred on one point (ellipsoidal, exact)."""
    return _aeqd_inv_many(np.broadcast_to(np.asarray(centre, dtype=float), xy.shape), xy)


def _aeqd_fwd_many(centres: NDArray, lonlat: NDArray) -> NDArray:
    az, _, dist = GEOD.inv(
        np.ascontiguousarray(centres[:, 0]),
        np.ascontiguousarray(centres[:, 1]),
        np.ascontiguousarray(lonlat[:, 0]),
        np.ascontiguousarray(lonlat[:, 1]),
    )
    a = np.radians(np.asarray(az))
    return np.column_stack([dist * np.sin(a), dist * np.cos(a)])


def _aeqd_inv_many(centres: NDArray, xy: NDArray) -> NDArray:
    az = np.degrees(np.arctan2(xy[:, 0], xy[:, 1]))
    lon, lat, _ = GEOD.fwd(
        np.ascontiguousarray(centres[:, 0]),
        np.ascontiguousarray(centres[:, 1]),
        az,
        np.hypot(xy[:, 0], xy[:, 1]),
    )
    return np.column_stack([lon, lat])


def _local_buffer(xy: NDArray, metres: float, *, edge_m: float) -> Polygon:
    """Return the planar buffer of a chunk in its AEQD (metres), without GEOS slivers."""
    shape = LineString(xy) if len(xy) > 1 else Point(xy[0])
    # Nearly collinear vertices make GEOS buffers grow slivers; 0.01% of R removes them.
    # 32 segments a quarter: chords 0.03% of R inside the circle, well within ±0.1%.
    # A point's circle keeps 64 (it is the whole boundary, not one of many overlapping arcs).
    buffered = shape.simplify(1e-4 * metres).buffer(metres, quad_segs=32 if len(xy) > 1 else 64)
    buffered = shapely.segmentize(buffered, max_segment_length=edge_m)
    # The buffer of a connected chunk is connected: any other part is a GEOS sliver, and
    # so is a hole thinner than 0.05% of R (a real hole is wider than that, or harmless).
    poly = max((p for p in _flatten(buffered) if isinstance(p, Polygon)), key=lambda p: p.area)
    holes = [h for h in poly.interiors if 2 * Polygon(h).area / h.length > 5e-4 * metres]
    return Polygon(poly.exterior, holes)


def _chunk_buffer(coords: NDArray, distance_km: float) -> BaseGeometry:
    """Return a chunk's buffer in lon/lat, made in an AEQD projection centred on the chunk."""
    mid = coords[len(coords) // 2]
    aeqd = _aeqd(float(mid[0]), float(mid[1]))
    poly = _chunk_polygon(aeqd, coords, distance_km)
    pole = _pole_inside_projected(aeqd, poly)

    def along(params: NDArray) -> tuple[NDArray, NDArray]:
        x, y = aeqd.transform(params[:, 0], params[:, 1], direction="INVERSE")
        return np.asarray(x), np.asarray(y)

    ex, ey = _refined(np.asarray(poly.exterior.coords), along)
    geom = _ring_to_geographic(ex, ey, pole=pole, inside=(float(mid[0]), float(mid[1])))
    for hole in poly.interiors:
        hx, hy = _refined(np.asarray(hole.coords), along)
        geom = geom.difference(_ring_to_geographic(hx, hy, pole=0))
    return geom


def _chunk_polygon(aeqd: Transformer, coords: NDArray, distance_km: float) -> Polygon:
    """Return the planar buffer of a chunk's lon/lat vertices in the AEQD ``aeqd`` (metres)."""
    x, y = aeqd.transform(coords[:, 0], coords[:, 1])
    # Vertices every 20 km, sparser on long ranges (the chord of a 60 km edge of a 5,000 km
    # circle is 0.1 km inside it); edges sweeping over 0.5° of longitude are refined later.
    edge_km = min(60.0, max(_MAX_EDGE_KM, distance_km / 80.0))
    return _local_buffer(np.column_stack([x, y]), distance_km * 1000.0, edge_m=edge_km * 1000.0)


def _aeqd(lon: float, lat: float) -> Transformer:
    """Return lon/lat degrees → azimuthal equidistant metres centred on (lon, lat), WGS84.

    A bare PROJ pipeline: no CRS lookup, so it costs microseconds, not milliseconds.
    """
    return Transformer.from_pipeline(
        "+proj=pipeline +step +proj=unitconvert +xy_in=deg +xy_out=rad "
        f"+step +proj=aeqd +lat_0={lat:.10f} +lon_0={lon:.10f} +ellps=WGS84"
    )


def _refined(
    params: NDArray, along: Callable[[NDArray], tuple[NDArray, NDArray]]
) -> tuple[NDArray, NDArray]:
    """Map a ring's parameters to lon/lat, subdividing edges that span more than 0.5° of lon.

    Near a pole a short edge can sweep many degrees of longitude; drawn straight in
    lon/lat it would cut the corner, so such edges get intermediate points (repeatedly,
    since longitude changes fastest right where the ring passes closest to the pole).
    """
    lons, lats = along(params)
    for _ in range(8):
        span = np.abs(np.diff(np.unwrap(lons, period=360.0)))
        steps = np.clip(np.ceil(span / 0.5).astype(int), 1, 64)
        if steps.max(initial=1) <= 1:
            break
        params, old = _subdivide(params, steps)
        # Only the new points are mapped; the old ones keep their place in the ring.
        new_lons, new_lats = along(params[~old])
        lons, lats = _merge(old, lons, new_lons), _merge(old, lats, new_lats)
    return lons, lats


def _subdivide(params: NDArray, steps: NDArray) -> tuple[NDArray, NDArray[np.bool_]]:
    """Split edge ``i`` of a polyline of parameters into ``steps[i]`` equal parts (vectorised).

    Returns the new parameters and a mask of those that were already there.
    """
    edge = np.repeat(np.arange(len(steps)), steps)
    first = np.repeat(np.cumsum(steps) - steps, steps)
    j = np.arange(edge.size) - first
    t = j * np.repeat(1.0 / steps, steps)
    start = params[edge]
    pieces = start + t[:, None] * (params[edge + 1] - start)
    return np.vstack([pieces, params[-1:]]), np.append(j == 0, True)


def _merge(old: NDArray[np.bool_], old_values: NDArray, new_values: NDArray) -> NDArray:
    out = np.empty(old.size)
    out[old] = old_values
    out[~old] = new_values
    return out


def _pole_inside_projected(fwd: Transformer, poly: Polygon) -> int:
    """Return +1/-1 if only the north/south pole's projection lies inside ``poly``, else 0."""
    north, south = (poly.contains(Point(*fwd.transform(0.0, lat))) for lat in (90.0, -90.0))
    return int(north) - int(south)


def _ring_to_geographic(
    lons: NDArray, lats: NDArray, *, pole: int, inside: tuple[float, float] | None = None
) -> BaseGeometry:
    """Turn a closed lon/lat ring (any longitudes) into valid EPSG:4326 polygons.

    Longitudes are unwrapped so the ring is continuous; a ring that winds once round
    the globe encloses ``pole`` and is closed along that pole's latitude. The result
    is cut into 360° windows and shifted back into [-180, 180]. When ``inside`` is
    given and falls outside a non-winding ring, the ring bounds the complement.
    """
    lons = np.unwrap(np.asarray(lons, dtype=float), period=360.0)
    lats = np.clip(np.asarray(lats, dtype=float), -90.0, 90.0)
    if lons[0] != lons[-1] or lats[0] != lats[-1]:
        lons = np.append(lons, lons[0] + 360.0 * round((lons[-1] - lons[0]) / 360.0))
        lats = np.append(lats, lats[0])
    winding = round((lons[-1] - lons[0]) / 360.0)
    coords = np.column_stack([lons, lats])
    if winding != 0:
        cap = 90.0 * (pole or (1 if np.mean(lats) > 0 else -1))
        coords = _start_on_antimeridian(coords, winding)
        coords = np.vstack([coords, [[coords[-1, 0], cap], [coords[0, 0], cap]]])
    polygon = shapely.make_valid(Polygon(coords))
    geom = _split_windows(polygon)
    if winding == 0 and inside is not None:
        probe = Point(((inside[0] + 180.0) % 360.0) - 180.0, inside[1])
        if not geom.buffer(1e-9).covers(probe):
            geom = _WORLD.difference(geom)
    return polygonal(geom)


def _start_on_antimeridian(coords: NDArray, winding: int) -> NDArray:
    """Rotate a ring that winds round a pole to start and end on a ±180° meridian.

    The cap that closes it then runs along ±180°, exactly where the ring is cut into
    360° windows, so the windows' parts join without slivers.
    """
    lons = coords[:, 0]
    turns = (lons[0] - 180.0) / 360.0
    c = 180.0 + 360.0 * (math.ceil(turns) if winding > 0 else math.floor(turns))
    side = np.sign(lons - c)
    i = int(np.flatnonzero(side[:-1] != side[1:])[0]) if np.any(side[:-1] != side[1:]) else 0
    (x0, y0), (x1, y1) = coords[i], coords[i + 1]
    lat_c = y0 if x1 == x0 else y0 + (c - x0) * (y1 - y0) / (x1 - x0)
    shifted = coords[1 : i + 1] + np.array([360.0 * winding, 0.0])
    return np.vstack([[[c, lat_c]], coords[i + 1 :], shifted, [[c + 360.0 * winding, lat_c]]])


def _split_windows(geom: BaseGeometry) -> BaseGeometry:
    minx, _, maxx, _ = geom.bounds
    pieces = []
    for m in range(math.floor((minx + 180.0) / 360.0), math.floor((maxx + 180.0) / 360.0) + 1):
        window = box(-180.0 + 360.0 * m, -90.0, 180.0 + 360.0 * m, 90.0)
        piece = geom.intersection(window)
        if not piece.is_empty:
            pieces.append(shapely.affinity.translate(piece, xoff=-360.0 * m))
    return shapely.union_all(pieces)


def polygonal(geom: BaseGeometry) -> BaseGeometry:
    """Return the polygonal parts of a geometry, made valid and oriented (CCW exteriors)."""
    geom = shapely.make_valid(geom)
    polys = [p for p in _flatten(geom) if isinstance(p, Polygon) and p.area > 0]
    if not polys:
        return Polygon()
    merged = polys[0] if len(polys) == 1 else shapely.union_all(polys)
    if isinstance(merged, Polygon | MultiPolygon):
        return shapely.orient_polygons(merged)
    return merged


def _vertices(geometry: BaseGeometry, *, spacing_km: float) -> tuple[NDArray, NDArray]:
    """Return the lon/lat vertices of a geometry's points, lines and boundaries, densified."""
    xs, ys = [], []
    for part in _flatten(geometry):
        _budget.check()
        if isinstance(part, Point):
            xs.append(np.array([part.x]))
            ys.append(np.array([part.y]))
            continue
        for line in _boundary_lines(part):
            c = shapely.get_coordinates(
                shapely.segmentize(line, max_segment_length=spacing_km / 111.0)
            )
            xs.append(c[:, 0])
            ys.append(c[:, 1])
    if not xs:
        raise InputError("cannot measure the distance to an empty geometry")
    return np.concatenate(xs), np.concatenate(ys)


def _nearest_vertex_km(x: NDArray, y: NDArray, vx: NDArray, vy: NDArray) -> NDArray:
    """Return, per query point, the geodesic distance to its nearest vertex.

    Candidates are ranked by a fast spherical distance; every vertex within 1% of
    the spherical minimum is measured on the ellipsoid (the two differ by < 0.6%).
    """
    lam1, phi1 = np.radians(x)[:, None], np.radians(y)[:, None]
    lam2, phi2 = np.radians(vx)[None, :], np.radians(vy)[None, :]
    hav = (
        np.sin((phi2 - phi1) / 2) ** 2
        + np.cos(phi1) * np.cos(phi2) * np.sin((lam2 - lam1) / 2) ** 2
    )
    central = 2.0 * np.arcsin(np.sqrt(np.clip(hav, 0.0, 1.0)))
    limit = central.min(axis=1, keepdims=True) * 1.012 + 1e-9
    rows, cols = np.nonzero(central <= limit)
    d = distance_km(x[rows], y[rows], vx[cols], vy[cols])
    out = np.full(len(x), np.inf)
    np.minimum.at(out, rows, d)
    return out
