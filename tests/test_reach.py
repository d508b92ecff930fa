"""Reach geometry, launch areas and in-range statistics, checked against pyproj.Geod."""

from __future__ import annotations

import geopandas as gpd
import numpy as np
import pytest
import shapely
from pyproj import Geod
from shapely.geometry import Point, box

from geo import boundaries, frontline, geodesic, launch, reach
from geo._errors import InputError, NotFoundError

WGS84 = Geod(ellps="WGS84")
KURSK = Point(36.19, 51.73)
DATE = "2024-11-19"


def points(rows: list[tuple[str, float, float, int]]) -> gpd.GeoDataFrame:
    names, lons, lats, pops = zip(*rows, strict=True)
    return gpd.GeoDataFrame(
        {"name": names, "population": pops}, geometry=gpd.points_from_xy(lons, lats), crs=4326
    )


CITIES = points(
    [
        ("Kharkiv", 36.2304, 49.9935, 1_400_000),
        ("Belgorod", 36.5983, 50.5977, 340_000),
        ("Kyiv", 30.5234, 50.4501, 2_900_000),
        ("Moscow", 37.6173, 55.7558, 12_000_000),
    ]
)


def geod_km(a: Point, b: Point) -> float:
    return WGS84.inv(a.x, a.y, b.x, b.y)[2] / 1000


def test_reach_has_one_row_per_range_with_its_parameters() -> None:
    specs = [*reach.weapon_ranges("ATACMS", every_figure=True), reach.RangeSpec(300, 100)]
    gdf = reach.reach(KURSK, ranges=specs)
    assert gdf.crs.to_epsg() == 4326
    assert list(gdf.columns) == reach.COLUMNS
    assert gdf["range_km"].tolist() == [165, 300, 306, 300]
    assert gdf["ring"].tolist() == ["max", "max", "max", "annulus"]
    assert gdf["weapon"].iloc[0] == "ATACMS"


def test_areas_are_geodesic_and_annulus_is_the_difference() -> None:
    gdf = reach.reach(KURSK, ranges=[300, reach.RangeSpec(300, 100)])
    disc100 = geodesic.area_km2(geodesic.disc(KURSK.x, KURSK.y, radius_km=100))
    assert gdf["area_km2"].iloc[0] == pytest.approx(282_663, rel=1e-3)
    assert gdf["area_km2"].iloc[1] == pytest.approx(gdf["area_km2"].iloc[0] - disc100, rel=1e-4)


def test_min_zone_is_returned_when_asked() -> None:
    gdf = reach.reach(KURSK, ranges=[reach.RangeSpec(300, 100)], min_zone=True)
    assert gdf["ring"].tolist() == ["min", "annulus"]
    assert gdf["range_km"].tolist() == [100, 300]


def test_clip_keeps_only_the_part_inside_the_area() -> None:
    russia = boundaries.country("RU")
    full = reach.reach(KURSK, ranges=300)
    clipped = reach.reach(KURSK, ranges=300, clip=russia)
    assert 0 < clipped["area_km2"].iloc[0] < full["area_km2"].iloc[0]
    assert russia.geometry.iloc[0].buffer(1e-6).covers(clipped.geometry.iloc[0])


def test_exclude_launch_removes_the_launch_area() -> None:
    square = box(30, 49, 32, 50)
    with_area = reach.reach(square, ranges=100)["area_km2"].iloc[0]
    without = reach.reach(square, ranges=100, exclude_launch=True)["area_km2"].iloc[0]
    assert with_area - without == pytest.approx(geodesic.area_km2(square), rel=1e-3)


def test_stats_count_places_population_and_geodesic_distance() -> None:
    gdf = reach.reach(KURSK, ranges=[165, 300])
    stats = reach.reach_stats(gdf, launch=KURSK, places=CITIES, sites=CITIES, population=CITIES)
    assert stats.summary["places_in_range"].tolist() == [1, 2]  # Belgorod; + Kharkiv (194 km)
    assert stats.summary["population_in_range"].tolist() == [340_000, 1_740_000]
    kharkiv = stats.places[stats.places["name"] == "Kharkiv"].iloc[0]
    assert kharkiv["distance_km"] == pytest.approx(geod_km(KURSK, CITIES.geometry[0]), abs=0.1)


def test_population_from_plain_lon_lat_columns_sums_the_same() -> None:
    gdf = reach.reach(KURSK, ranges=[165, 300])
    plain = CITIES.drop(columns="geometry").assign(lon=CITIES.geometry.x, lat=CITIES.geometry.y)
    as_points = reach.reach_stats(gdf, launch=KURSK, population=CITIES).summary
    as_columns = reach.reach_stats(gdf, launch=KURSK, population=plain).summary
    assert as_columns["population_in_range"].tolist() == [340_000, 1_740_000]
    assert as_columns.equals(as_points)


def test_reach_says_how_much_a_detailed_outline_was_simplified() -> None:
    ang = np.linspace(0, 2 * np.pi, 20_000, endpoint=False)
    wiggly = shapely.Polygon(np.column_stack([36 + np.cos(ang), 51 + 0.6 * np.sin(ang)]))
    notes = reach.reach(wiggly, ranges=[300, 1000]).attrs["notes"]
    assert len(notes) == 1 and "simplified from 20,001 to" in notes[0] and "300 km" in notes[0]
    assert reach.reach(KURSK, ranges=300).attrs["notes"] == []


def test_in_range_is_false_outside_the_bounding_box_and_on_the_edge() -> None:
    square = box(30, 50, 31, 51)
    inside = reach.in_range(square, [30.5, 30.5, 31.0, 40.0, -30.5], [50.5, 52.0, 50.5, 50.5, 50.5])
    assert inside.tolist() == [True, False, False, False, False]


def test_distance_to_a_launch_area_is_zero_inside_and_to_its_edge_outside() -> None:
    square = box(36.0, 50.0, 37.0, 51.0)
    gdf = reach.reach(square, ranges=200)
    stats = reach.reach_stats(gdf, launch=square, places=CITIES)
    dist = dict(zip(stats.places["name"], stats.places["distance_km"], strict=True))
    assert dist["Belgorod"] == 0
    assert dist["Kharkiv"] == pytest.approx(
        geod_km(Point(36.2304, 50.0), CITIES.geometry[0]), abs=0.1
    )


def test_in_range_matches_geod_inv_on_random_points() -> None:
    rng = np.random.default_rng(1)
    lon, lat = rng.uniform(28, 44, 20_000), rng.uniform(46, 57, 20_000)
    zone = geodesic.disc(KURSK.x, KURSK.y, radius_km=300)
    _, _, m = WGS84.inv(np.full(lon.size, KURSK.x), np.full(lon.size, KURSK.y), lon, lat)
    truth = m / 1000 <= 300
    agree = reach.in_range(zone, lon, lat) == truth
    near_edge = np.abs(m / 1000 - 300) < 0.3
    assert agree[~near_edge].all()


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"max_km": -5}, "range_km must be positive, got -5"),
        ({"max_km": 100, "min_km": 150}, "min_km must be less than range_km"),
        ({"max_km": 100, "min_km": -1}, "min_km must be positive"),
    ],
)
def test_bad_ranges_are_clear_errors(kwargs: dict, message: str) -> None:
    with pytest.raises(InputError, match=message):
        reach.RangeSpec(**kwargs)


def test_population_needs_a_population_column() -> None:
    gdf = reach.reach(KURSK, ranges=100)
    with pytest.raises(InputError, match="'population' column"):
        reach.reach_stats(gdf, launch=KURSK, population=CITIES.drop(columns="population"))


# --- launch areas -----------------------------------------------------------------------------


def test_launch_from_lat_lon_is_a_point() -> None:
    area = launch.launch_area("51.73,36.19")
    assert area.kind == "point" and area.geometry.equals(Point(36.19, 51.73))


@pytest.mark.parametrize(
    ("spec", "message"),
    [
        ("95,10", "not a valid 'lat,lon'"),
        ("", "a launch area must be"),
        ("martian-held@2024-11-19", "side must be"),
    ],
)
def test_bad_launch_specs_are_clear_errors(spec: str, message: str) -> None:
    with pytest.raises(InputError, match=message):
        launch.launch_area(spec)


def test_unknown_launch_name_is_not_found() -> None:
    with pytest.raises(NotFoundError):
        launch.launch_area("country:Atlantis")


def test_place_name_resolves_through_the_gazetteer() -> None:
    area = launch.launch_area("Kharkiv")
    assert geod_km(area.geometry.centroid, CITIES.geometry[0]) < 25


def test_region_and_country_outlines() -> None:
    region = launch.launch_area("Belgorod oblast")
    country = launch.launch_area("country:UA")
    assert region.kind == "region" and 20_000 < region.area_km2 < 35_000
    assert country.kind == "country" and 580_000 < country.area_km2 < 620_000


def test_ukraine_held_territory_matches_the_frontline() -> None:
    area = launch.launch_area(f"ukraine-held@{DATE}")
    expected = frontline.controlled_territory("ukraine", DATE).geometry.iloc[0]
    assert area.area_km2 == pytest.approx(geodesic.area_km2(expected), rel=1e-3)
    assert 450_000 < area.area_km2 < 520_000


def test_kursk_salient_is_the_ukrainian_held_part_of_kursk_oblast() -> None:
    area = launch.launch_area(f"kursk-salient@{DATE}")
    kursk = boundaries.region("Kursk Oblast").geometry.iloc[0]
    assert kursk.buffer(1e-6).covers(area.geometry)
    assert 300 < area.area_km2 < 1_500


def test_standoff_keeps_launchers_behind_the_line() -> None:
    held = launch.launch_area(f"ukraine-held@{DATE}")
    back = launch.launch_area(f"ukraine-held@{DATE}", standoff_km=50)
    enemy = frontline.controlled_territory("russia", DATE).geometry.iloc[0]
    assert back.area_km2 < held.area_km2
    pts = shapely.get_coordinates(back.geometry.boundary)[::50]
    d = geodesic.distance_to_geometry_km(enemy, pts[:, 0], pts[:, 1])
    assert d.min() >= 50 * 0.999


def test_standoff_of_a_plain_outline_is_a_geodesic_negative_buffer() -> None:
    square = box(30, 49, 33, 51)
    inner = launch.standoff(square, standoff_km=50)
    pts = shapely.get_coordinates(inner.boundary)
    d = geodesic.distance_to_geometry_km(square, *pts.T)  # 0 inside: measure to the edge
    edge = geodesic.distance_to_geometry_km(square.boundary, *pts.T)
    assert (d == 0).all() and np.abs(edge / 50 - 1).max() < 0.001


def test_standoff_of_a_point_is_an_error() -> None:
    with pytest.raises(InputError, match="standoff needs an area"):
        launch.launch_area("51.73,36.19", standoff_km=10)


def test_reach_from_held_territory_into_russia() -> None:
    area = launch.launch_area(f"ukraine-held@{DATE}")
    gdf = reach.reach(area.geometry, ranges=300, clip=boundaries.country("RU"))
    # Belgorod (~36 km from the line) is in range; Moscow (~450 km) is not.
    stats = reach.reach_stats(gdf, launch=area.geometry, places=CITIES)
    assert set(stats.places["name"]) == {"Belgorod"}
    assert 250_000 < gdf["area_km2"].iloc[0] < 450_000


def test_launch_geodataframe_in_any_crs_is_reprojected() -> None:
    utm = gpd.GeoDataFrame(geometry=[KURSK], crs=4326).to_crs(32637)
    a = reach.reach(utm, ranges=200).geometry.iloc[0]
    b = reach.reach(KURSK, ranges=200).geometry.iloc[0]
    assert a.symmetric_difference(b).area < 1e-9


def test_plain_ranges_are_named_by_their_label() -> None:
    gdf = reach.reach(KURSK, ranges=[reach.RangeSpec(300, 100)])
    assert gdf["weapon"].tolist() == gdf["label"].tolist() == ["100–300 km"]


def test_clip_reach_equals_clipping_while_buffering() -> None:
    site = Point(36.19, 51.73)
    mask = box(30.0, 45.0, 36.19, 60.0)  # the western half of the disc
    once = reach.reach(site, ranges=[300.0], clip=mask)
    after = reach.clip_reach(reach.reach(site, ranges=[300.0]), mask)
    assert after["area_km2"].iloc[0] == pytest.approx(once["area_km2"].iloc[0], rel=1e-6)
    assert after.geometry.iloc[0].symmetric_difference(once.geometry.iloc[0]).area < 1e-9


def test_a_shared_zone_is_prepared_and_tested_by_one_thread_at_a_time(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # The dashboard's sessions share cached rings; shapely.prepare changes a geometry in place.
    seen: list[bool] = []
    contains_xy = shapely.contains_xy

    def checked(*args: object, **kwargs: object) -> object:
        seen.append(reach._PREPARED.locked())
        return contains_xy(*args, **kwargs)

    monkeypatch.setattr(shapely, "contains_xy", checked)
    zone = shapely.box(30.0, 45.0, 40.0, 52.0)
    inside = reach.in_range(zone, [35.0, 10.0], [50.0, 50.0])
    assert inside.tolist() == [True, False] and seen == [True]
