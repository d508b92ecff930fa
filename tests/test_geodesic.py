"""Geodesic buffers: every boundary point lies at R ± 0.1% from the launch geometry, anywhere."""

from __future__ import annotations

import math

import numpy as np
import pytest
import shapely
from hypothesis import given, settings
from hypothesis import strategies as st
from pyproj import Geod, Transformer
from shapely.geometry import LineString, MultiPoint, MultiPolygon, Point, Polygon, box
from shapely.geometry.base import BaseGeometry

from geo import geodesic
from geo._errors import InputError

WGS84 = Geod(ellps="WGS84")
KURSK = (36.19, 51.73)


def boundary_sample(geom: BaseGeometry, *, n: int = 800) -> np.ndarray:
    """Boundary points (vertices and edge midpoints), without antimeridian and pole cuts."""
    c = shapely.get_coordinates(shapely.segmentize(geom.boundary, 0.05))
    keep = (np.abs(np.abs(c[:, 0]) - 180) > 1e-7) & (np.abs(np.abs(c[:, 1]) - 90) > 1e-7)
    c = c[keep]
    step = max(1, len(c) // n)
    return c[::step]


def relative_errors(
    buffer: BaseGeometry, launch: BaseGeometry, r_km: float, *, n: int = 800, spacing_km: float = 1
) -> np.ndarray:
    """Relative error of the distance from each boundary point to the launch geometry."""
    pts = boundary_sample(buffer, n=n)
    if isinstance(launch, Point):
        _, _, m = WGS84.inv(np.full(len(pts), launch.x), np.full(len(pts), launch.y), *pts.T)
        d = np.asarray(m) / 1000
    else:
        # Densified to ≤ R/20: the distance to it is off by < s²/8R, under 0.003 % of R.
        spacing = min(spacing_km, r_km / 20)
        d = geodesic.distance_to_geometry_km(launch, *pts.T, spacing_km=spacing)
    return np.asarray(d / r_km - 1)


@pytest.mark.parametrize(
    ("lon", "lat", "r_km"),
    [
        (*KURSK, 300),
        (179.5, 10.0, 500),
        (-179.9, -60.0, 2000),
        (0.0, 89.0, 300),
        (10.0, -88.0, 1500),
        (100.0, 0.0, 5500),
        (170.0, 85.0, 2500),
        (0.0, 0.0, 15000),
    ],
)
def test_disc_boundary_is_at_the_radius(lon: float, lat: float, r_km: float) -> None:
    d = geodesic.disc(lon, lat, radius_km=r_km)
    assert d.is_valid
    assert np.abs(relative_errors(d, Point(lon, lat), r_km)).max() < 0.001


@given(
    lon=st.floats(-180, 180),
    lat=st.floats(-89.9, 89.9),
    r_km=st.floats(1, 12000),
)
@settings(max_examples=50, deadline=None)
def test_disc_anywhere_on_earth(lon: float, lat: float, r_km: float) -> None:
    d = geodesic.disc(lon, lat, radius_km=r_km)
    assert d.is_valid and d.buffer(1e-9).covers(Point(lon, lat))
    assert np.abs(relative_errors(d, Point(lon, lat), r_km)).max() < 0.001


@given(
    lon=st.floats(-180, 180),
    lat=st.floats(-85, 85),
    bearing=st.floats(0, 360),
    length_km=st.floats(5, 400),
    r_km=st.floats(5, 3000),
)
@settings(max_examples=25, deadline=None)
def test_line_buffer_anywhere_on_earth(
    lon: float, lat: float, bearing: float, length_km: float, r_km: float
) -> None:
    lon2, lat2, _ = WGS84.fwd(lon, lat, bearing, length_km * 1000)
    if abs(lon2 - lon) > 180:  # an RFC 7946 line never jumps across the antimeridian
        lon2 += 360 if lon2 < lon else -360
    line = LineString([(lon, lat), (lon2, lat2)])
    if abs(lon2) > 180:
        line = shapely.affinity.translate(line, xoff=-360 if lon2 > 0 else 360)
        line = line.intersection(box(-180, -90, 180, 90))
    b = geodesic.buffer(line, distance_km=r_km)
    assert b.is_valid
    assert np.abs(relative_errors(b, line, r_km)).max() < 0.001


@pytest.mark.parametrize("r_km", [10, 50, 300, 2500, 5000, 12000])
def test_polygon_buffer_of_a_country_sized_area(r_km: float) -> None:
    ang = np.linspace(0, 2 * np.pi, 300, endpoint=False)
    wobble = 1 + 0.15 * np.sin(5 * ang)
    area = Polygon(
        np.column_stack([31.5 + 8 * wobble * np.cos(ang), 48.8 + 3 * wobble * np.sin(ang)])
    )
    b = geodesic.buffer(area, distance_km=r_km)
    assert b.covers(area)
    assert np.abs(relative_errors(b, area, r_km)).max() < 0.001


@pytest.mark.parametrize(
    ("area", "r_km"),
    [
        # Chukotka-like: one area split at the antimeridian per RFC 7946.
        (MultiPolygon([box(175, 64, 180, 68), box(-180, 64, -172, 68)]), 400),
        (box(-20, 80, 40, 84), 700),  # close to the north pole: the buffer contains it
        (Polygon([(-60, -75), (0, -80), (60, -75)]), 1200),  # Antarctic wedge
    ],
)
def test_polygon_buffer_near_the_antimeridian_and_poles(area: BaseGeometry, r_km: float) -> None:
    b = geodesic.buffer(area, distance_km=r_km)
    assert b.is_valid and b.covers(area)
    assert np.abs(shapely.get_coordinates(b)[:, 0]).max() <= 180
    assert np.abs(relative_errors(b, area, r_km)).max() < 0.001


def test_web_mercator_buffer_falls_short_and_ours_does_not() -> None:
    """The fact from the issue: a 300 km EPSG:3857 buffer at Kursk reaches only ~185 km."""
    to3857 = Transformer.from_crs(4326, 3857, always_xy=True)
    back = Transformer.from_crs(3857, 4326, always_xy=True)
    x, y = to3857.transform(*KURSK)
    ring = np.asarray(Point(x, y).buffer(300_000, quad_segs=32).exterior.coords)
    lon, lat = back.transform(*ring.T)
    _, _, m = WGS84.inv(np.full(len(lon), KURSK[0]), np.full(len(lon), KURSK[1]), lon, lat)
    assert 180 < np.min(m) / 1000 < 190
    ours = relative_errors(geodesic.disc(*KURSK, radius_km=300), Point(*KURSK), 300)
    assert np.abs(ours).max() < 0.001


@pytest.mark.parametrize(("lon", "lat"), [(179.0, 0.0), (-179.5, 65.0)])
def test_antimeridian_disc_is_split_into_a_multipolygon(lon: float, lat: float) -> None:
    d = geodesic.disc(lon, lat, radius_km=500)
    assert d.geom_type == "MultiPolygon"
    minx, _, maxx, _ = d.bounds
    assert minx == pytest.approx(-180) and maxx == pytest.approx(180)
    assert all(p.bounds[2] - p.bounds[0] < 20 for p in d.geoms)


@pytest.mark.parametrize(("lat", "pole"), [(88.0, 90.0), (-87.0, -90.0)])
def test_disc_round_a_pole_contains_the_pole(lat: float, pole: float) -> None:
    d = geodesic.disc(25.0, lat, radius_km=600)
    assert d.is_valid
    assert d.covers(Point(0, pole)) and d.covers(Point(179.9, pole * 0.999))
    cap = 2 * math.pi * 6371.0**2 * (1 - math.cos(600 / 6371.0))
    assert geodesic.area_km2(d) == pytest.approx(cap, rel=0.01)


def test_disc_area_matches_the_spherical_cap_formula() -> None:
    cap = 2 * math.pi * 6371.0088**2 * (1 - math.cos(300 / 6371.0088))
    assert geodesic.area_km2(geodesic.disc(*KURSK, radius_km=300)) == pytest.approx(cap, rel=0.005)


def test_area_across_the_antimeridian_is_read_the_short_way() -> None:
    """A 2° box drawn 179 → -179 (GeoJSON style) is 2° wide, not 358°."""
    across = Polygon([(179, 0), (-179, 0), (-179, 2), (179, 2)])
    assert geodesic.area_km2(across) == pytest.approx(geodesic.area_km2(box(-1, 0, 1, 2)))
    split = MultiPolygon([box(179, 0, 180, 2), box(-180, 0, -179, 2)])
    assert geodesic.area_km2(split) == pytest.approx(geodesic.area_km2(box(-1, 0, 1, 2)))
    _, _, perimeter = WGS84.inv(-1, 0, 1, 0)
    assert geodesic.area_km2(across) == pytest.approx(perimeter / 1000 * 221.2, rel=0.01)


def test_split_antimeridian_keeps_holes_and_leaves_other_shapes_alone() -> None:
    holed = Polygon(
        [(179, 0), (-179, 0), (-179, 2), (179, 2)],
        [[(179.5, 0.5), (-179.5, 0.5), (-179.5, 1.5), (179.5, 1.5)]],
    )
    parts = geodesic.split_antimeridian(holed)
    assert parts.geom_type == "MultiPolygon" and np.abs(parts.bounds[::2]).max() == 180
    assert geodesic.area_km2(holed) == pytest.approx(
        geodesic.area_km2(box(-1, 0, 1, 2)) - geodesic.area_km2(box(-0.5, 0.5, 0.5, 1.5))
    )
    plain = box(30, 50, 31, 51)
    assert geodesic.split_antimeridian(plain) is plain


def test_area_of_the_whole_world() -> None:
    assert geodesic.area_km2(box(-180, -90, 180, 90)) == pytest.approx(510_065_622, rel=1e-6)


def test_annulus_has_both_edges_at_their_ranges() -> None:
    annulus = geodesic.ring(Point(*KURSK), max_km=300, min_km=100)
    assert len(annulus.interiors) == 1
    _, _, inner = WGS84.inv(*KURSK, *np.asarray(annulus.interiors[0].coords)[0])
    assert inner / 1000 == pytest.approx(100, rel=0.001)
    expected = geodesic.area_km2(geodesic.disc(*KURSK, radius_km=300)) - geodesic.area_km2(
        geodesic.disc(*KURSK, radius_km=100)
    )
    assert geodesic.area_km2(annulus) == pytest.approx(expected, rel=1e-4)


def test_multipoint_buffer_is_the_union_of_discs() -> None:
    pts = MultiPoint([KURSK, (30.52, 50.45)])
    b = geodesic.buffer(pts, distance_km=200)
    union = shapely.union_all([geodesic.disc(p.x, p.y, radius_km=200) for p in pts.geoms])
    assert b.is_valid and b.covers(pts)
    # Every boundary point is 200 km ± 0.1 % from its nearest point (pyproj.Geod).
    edge = boundary_sample(b)
    _, _, m = WGS84.inv(np.repeat([[p.x, p.y] for p in pts.geoms], len(edge), axis=0).T[0],
                        np.repeat([[p.x, p.y] for p in pts.geoms], len(edge), axis=0).T[1],
                        *np.tile(edge, (2, 1)).T)  # fmt: skip
    nearest = np.asarray(m).reshape(2, -1).min(axis=0) / 1000
    assert np.abs(nearest / 200 - 1).max() < 0.001
    assert geodesic.area_km2(b) == pytest.approx(geodesic.area_km2(union), rel=0.001)


# Islands far apart: a mainland, an island 3,800 km away, a chain across the antimeridian.
ARCHIPELAGO = MultiPolygon(
    [
        box(-100, 35, -90, 42),
        box(-156, 19, -155, 20),
        box(-160.5, 21.8, -159.3, 22.3),
        box(172, 52, 174, 53),
        box(-178, 51, -176, 52),
        Polygon([(-80, 25), (-79.5, 26), (-80.5, 26.3)]),
    ]
)


@pytest.mark.parametrize("r_km", [5, 300, 800])
def test_buffer_of_far_apart_parts_is_each_part_buffered(r_km: float) -> None:
    b = geodesic.buffer(ARCHIPELAGO, distance_km=r_km)
    assert b.is_valid and b.covers(ARCHIPELAGO)
    # No part's buffer is read as its complement (the rest of the Earth).
    parts_km2 = sum(
        geodesic.area_km2(geodesic.buffer(p, distance_km=r_km)) for p in ARCHIPELAGO.geoms
    )
    assert geodesic.area_km2(b) <= parts_km2 * 1.001
    assert np.abs(relative_errors(b, ARCHIPELAGO, r_km)).max() < 0.001


def test_buffer_of_a_multipart_country_outline_at_300_km() -> None:
    from geo import boundaries

    usa = boundaries.country("US").geometry.iloc[0]  # Alaska, Hawaii, Aleutians, islands
    b = geodesic.buffer(usa, distance_km=300)
    assert b.is_valid and b.covers(usa.simplify(0.01))
    assert geodesic.area_km2(b) < 40e6
    assert np.abs(relative_errors(b, usa, 300, n=300, spacing_km=3)).max() < 0.001


def test_distance_to_polygon_is_zero_inside_and_geodesic_outside() -> None:
    square = box(30, 50, 31, 51)
    d = geodesic.distance_to_geometry_km(square, [30.5, 32.0], [50.5, 50.5])
    _, _, m = WGS84.inv(31, 50.5, 32.0, 50.5)
    assert d[0] == 0
    assert d[1] == pytest.approx(m / 1000, abs=0.01)


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"radius_km": -5}, "radius_km must be positive, got -5"),
        ({"radius_km": 0}, "radius_km must be positive"),
        ({"radius_km": float("nan")}, "finite"),
        ({"radius_km": 25000}, "half the Earth"),
        ({"radius_km": "far"}, "must be a number"),
    ],
)
def test_bad_radius_is_a_clear_error(kwargs: dict, message: str) -> None:
    with pytest.raises(InputError, match=message):
        geodesic.disc(0, 0, **kwargs)


def test_min_range_must_be_below_max_range() -> None:
    with pytest.raises(InputError, match="min_km must be less than max_km"):
        geodesic.ring(Point(0, 0), max_km=100, min_km=100)


def test_bad_coordinates_are_a_clear_error() -> None:
    with pytest.raises(InputError, match="not a valid lon/lat"):
        geodesic.disc(0, 95, radius_km=10)


@pytest.mark.parametrize(
    ("value", "message"),
    [
        (1e-300, "at least 0.1 km"),
        (0.05, "at least 0.1 km"),
        (float("inf"), "finite"),
        (float("nan"), "finite"),
        (1e9, "at most half the Earth's circumference"),
        (20_004, "at most half the Earth's circumference"),
        (-1, "must be positive, got -1"),
        (True, "must be a number"),
        (10**400, "must be a number"),
    ],
)
def test_range_outside_100_m_to_half_the_earth_is_refused(value: object, message: str) -> None:
    with pytest.raises(InputError, match=message):
        geodesic.check_range_km(value, name="range_km")  # type: ignore[arg-type]


@pytest.mark.parametrize("km", [0.1, 300, geodesic.EARTH_HALF_CIRCUMFERENCE_KM])
def test_range_from_100_m_to_half_the_earth_is_accepted(km: float) -> None:
    assert geodesic.check_range_km(km) == km


def test_half_the_earth_from_a_point_is_the_whole_earth() -> None:
    whole = geodesic.buffer(Point(*KURSK), distance_km=geodesic.EARTH_HALF_CIRCUMFERENCE_KM)
    assert geodesic.area_km2(whole) == pytest.approx(510_065_622, rel=1e-6)


def test_a_range_beyond_the_farthest_point_is_the_whole_earth() -> None:
    """Every point on Earth is within 20,000 km of a 300 km-wide area: the buffer is the globe."""
    area = box(30, 48, 34, 51)
    whole = geodesic.buffer(area, distance_km=20_000)
    assert whole.equals(box(-180, -90, 180, 90))
    # The farthest point from the area is its centre's antipode, less the area's half-width.
    antipode = (32 - 180, -49.5)
    gap = geodesic.distance_to_geometry_km(area, [antipode[0]], [antipode[1]])[0]
    almost = geodesic.buffer(area, distance_km=gap - 20)
    assert not almost.covers(Point(*antipode)) and geodesic.area_km2(almost) < 510_065_622


@pytest.mark.parametrize(
    ("geom", "r_km"),
    [
        (LineString([(150, 60), (179.9, 62), (160, 75)]), 14000),  # up to the antimeridian
        (LineString([(-179, 0), (179, 0)]), 10200),  # almost the whole equator
        (MultiPoint([(0, 0), (90, 10), (180, -10), (-90, 45), (20, -60)]), 11000),
    ],
)
def test_far_ranges_from_lines_and_scattered_points(geom: BaseGeometry, r_km: float) -> None:
    b = geodesic.buffer(geom, distance_km=r_km)
    assert b.is_valid
    if geodesic.area_km2(b) < 510_000_000:
        assert np.abs(relative_errors(b, geom, r_km)).max() < 0.001


def test_too_many_vertices_is_a_clear_error(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(geodesic, "MAX_BUFFER_VERTICES", 100)
    line = LineString(np.column_stack([np.linspace(30, 31, 101), np.full(101, 50.0)]))
    with pytest.raises(InputError, match=r"101 vertices \(at most 100\); simplify it first"):
        geodesic.buffer(line, distance_km=10)
