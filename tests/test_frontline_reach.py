"""Honest controlled territory: no slivers or scraps as launch areas, an independent reach.

The independent computation (:func:`grid_reach_km2`) shares no code with ``geo.geodesic``:
it lays a 0.1° grid over Russia, takes each cell's distance to the launch territory as the
great-circle distance (sphere of mean radius 6,371.0088 km) from the cell centre to the
nearest vertex of the territory's outline densified to ~2 km, counts the cells within 300 km
(or inside the territory), and adds up their exact spherical areas. Sphere against ellipsoid
and grid cells against a polygon edge differ by well under 1 %.
"""

from __future__ import annotations

import json
import warnings

import numpy as np
import pytest
import shapely
from pyproj import Geod
from shared_data import REFERENCE

from geo import boundaries, cli, frontline
from geo.geodesic import area_km2

R_KM = 6371.0088
WGS84 = Geod(ellps="WGS84")


def grid_reach_km2(territory: shapely.Geometry, country: shapely.Geometry, km: float) -> float:
    """Return the area of ``country`` within ``km`` of ``territory`` (independent method)."""
    step = 0.1
    x0, y0, x1, y1 = territory.bounds
    country = shapely.clip_by_rect(country, x0 - 6, y0 - 4, x1 + 6, y1 + 4)
    shapely.prepare(country)
    outline = shapely.segmentize(territory.boundary, 0.02)
    vx, vy = shapely.get_coordinates(outline).T
    # Only the outline's vertices near the country can be nearest to its cells (pre-filter).
    near_country = shapely.dwithin(country, shapely.points(vx, vy), 6)
    vx, vy = vx[near_country], vy[near_country]
    lons = np.arange(vx.min() - 6 + step / 2, vx.max() + 6, step)
    lats = np.arange(vy.min() - 4 + step / 2, min(vy.max() + 4, 89.9), step)
    lon, lat = (a.ravel() for a in np.meshgrid(lons, lats))
    inside = shapely.contains_xy(country, lon, lat)
    lon, lat = lon[inside], lat[inside]
    near = _nearest_angle(lon, lat, vx, vy) * R_KM <= km
    near |= shapely.contains_xy(territory, lon, lat)
    phi = np.radians(lat)
    half = np.radians(step / 2)
    cell = R_KM**2 * np.radians(step) * (np.sin(phi + half) - np.sin(phi - half))
    return float(cell[near].sum())


def _unit(lon: np.ndarray, lat: np.ndarray) -> np.ndarray:
    lam, phi = np.radians(lon), np.radians(lat)
    return np.stack([np.cos(phi) * np.cos(lam), np.cos(phi) * np.sin(lam), np.sin(phi)], axis=1)


def _nearest_angle(lon: np.ndarray, lat: np.ndarray, vx: np.ndarray, vy: np.ndarray) -> np.ndarray:
    points, vertices = _unit(lon, lat), _unit(vx, vy)
    best = np.empty(len(points))
    for start in range(0, len(points), 4096):
        dots = points[start : start + 4096] @ vertices.T
        best[start : start + 4096] = np.arccos(np.clip(dots.max(axis=1), -1, 1))
    return best


@pytest.fixture(scope="module")
def held() -> shapely.Geometry:
    return frontline.controlled_territory("ukraine", "2024-11-19").geometry.iloc[0]


@pytest.fixture(scope="module")
def russia() -> shapely.Geometry:
    return boundaries.country("RU").geometry.union_all()


def test_no_sliver_or_scrap_is_held_territory(held: shapely.Geometry) -> None:
    parts = list(shapely.get_parts(held))
    assert min(area_km2(p) for p in parts) >= frontline.MIN_PART_KM2
    shyrokyne, arabat_spit = shapely.Point(37.79, 47.09), shapely.Point(34.86, 45.99)
    for point in (shyrokyne, arabat_spit):  # occupied since 2015 / 2022
        assert shapely.distance(held, point) > 0.05


def test_atacms_reach_into_russia_matches_an_independent_computation(
    capsys: pytest.CaptureFixture[str], held: shapely.Geometry, russia: shapely.Geometry
) -> None:
    code = cli.main(
        ["reach", "--from", "ukraine-held@2024-11-19", "--weapon", "ATACMS", "--clip", "RU"]
    )
    out = json.loads(capsys.readouterr().out)
    assert code == 0
    reach = next(f for f in out["features"] if f["properties"].get("layer") != "launch")
    area = reach["properties"]["area_km2"]
    assert area == pytest.approx(grid_reach_km2(held, russia, 300.0), rel=0.03)
    # And against the territory DeepStateMap shows Ukraine holding on that day.
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", frontline.FrontlineRepairWarning)
        reference = frontline.load_file(REFERENCE / "deepstate-2024-11-19.geojson")
    truth = frontline.controlled_territory("ukraine", reference).geometry.iloc[0]
    assert area == pytest.approx(grid_reach_km2(truth, russia, 300.0), rel=0.03)


@pytest.mark.parametrize(
    ("city", "lon", "lat"),
    [("Krasnodar", 38.976, 45.035), ("Novorossiysk", 37.768, 44.724), ("Krymsk", 38.0, 44.93)],
)
def test_krasnodar_and_novorossiysk_are_beyond_300_km_of_ukrainian_held_land(
    held: shapely.Geometry, city: str, lon: float, lat: float
) -> None:
    outline = shapely.segmentize(held.boundary, 0.01)
    vx, vy = shapely.get_coordinates(outline).T
    km = WGS84.inv(np.full(len(vx), lon), np.full(len(vx), lat), vx, vy)[2].min() / 1000
    assert km > 300, f"{city} is {km:.0f} km from Ukrainian-held land"
