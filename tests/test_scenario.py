"""A scenario turns a spec or an article into every layer's data, with honest statistics."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import geopandas as gpd
import numpy as np
import pytest
import shapely
from pyproj import Geod
from shared_data import read_article

from geo import export
from geo._errors import InputError, NotFoundError
from geo.scenario import (
    Scenario,
    ScenarioSpec,
    WeaponChoice,
    build_scenario,
    default_spec,
    spec_from_article,
)

GEOD = Geod(ellps="WGS84")


@pytest.fixture(scope="module")
def default() -> Scenario:
    return build_scenario(default_spec())


def test_default_scenario_has_every_layer_in_wgs84(default: Scenario) -> None:
    layers = default.layers()
    for key in ("borders", "frontline", "launch_area", "ranges", "places", "sites"):
        assert len(layers[key]) > 0, key
        assert layers[key].crs.to_epsg() == 4326, key
    labels = set(default.ranges["label"])
    assert labels == {"ATACMS 165 km", "ATACMS 300 km", "Storm Shadow 250 km", "Taurus 500 km"}


def test_clipped_reach_area_is_a_geodesic_area_inside_russia(default: Scenario) -> None:
    row = default.reach[default.reach["label"] == "ATACMS 300 km"].iloc[0]
    area, _ = GEOD.geometry_area_perimeter(shapely.geometry.shape(row.geometry.__geo_interface__))
    assert row.area_km2 == pytest.approx(abs(area) / 1e6, rel=1e-3)
    envelope = default.ranges[default.ranges["label"] == "ATACMS 300 km"].iloc[0]
    assert row.area_km2 < envelope.area_km2
    # A 300 km reach along a ~2,000 km border: hundreds of thousands of km² of Russia.
    assert 250_000 < row.area_km2 < 450_000


@pytest.mark.parametrize(
    ("site", "in_range_of"),
    [
        ("Belgorod", {"ATACMS 165 km", "ATACMS 300 km", "Storm Shadow 250 km", "Taurus 500 km"}),
        ("Morozovsk", {"ATACMS 300 km", "Taurus 500 km"}),
        ("Borisoglebsk", {"Taurus 500 km"}),
        ("Engels", set()),
    ],
)
def test_airfields_in_range_match_their_distance(
    default: Scenario, site: str, in_range_of: set[str]
) -> None:
    row = default.sites[default.sites["name"].str.contains(site)].iloc[0]
    got = {s for s in row.in_range_of.split(", ") if s}
    assert got == in_range_of
    assert row.in_range == bool(in_range_of)


def test_site_distance_agrees_with_geod_to_the_launch_boundary(default: Scenario) -> None:
    launch = default.launch.union_all()
    boundary = shapely.segmentize(launch.boundary, 0.005)
    coords = np.asarray(shapely.get_coordinates(boundary))
    for _, row in default.sites.head(8).iterrows():
        if launch.contains(row.geometry):
            continue
        n = len(coords)
        _, _, d = GEOD.inv(
            np.full(n, row.geometry.x), np.full(n, row.geometry.y), coords[:, 0], coords[:, 1]
        )
        assert row.distance_km == pytest.approx(d.min() / 1000, abs=1.0), row["name"]


def test_longer_ranges_reach_more_people_and_sites(default: Scenario) -> None:
    s = default.summary.set_index("label")
    assert (
        s.loc["ATACMS 165 km", "population_in_range"]
        < s.loc["ATACMS 300 km", "population_in_range"]
    )
    assert s.loc["ATACMS 300 km", "sites_in_range"] < s.loc["Taurus 500 km", "sites_in_range"]
    in_300 = default.sites[default.sites["in_range_of"].str.contains("ATACMS 300 km")]
    assert s.loc["ATACMS 300 km", "sites_in_range_anywhere"] == len(in_300)
    # Inside Russia only (the clip area): Crimean airfields are counted anywhere, not here.
    # A coastal naval base may sit just off the 1:10m coastline, hence the tolerance of one.
    in_russia = int((in_300["country_code"] == "RU").sum())
    assert in_russia - 1 <= s.loc["ATACMS 300 km", "sites_in_range"] <= in_russia


def test_the_attribution_credits_only_the_layers_drawn(default: Scenario) -> None:
    everything = default.attribution
    assert "Frontline 2024-11-19" in everything and "Sites:" in everything
    without = default.attribution_of(["borders", "ranges", "places"])
    assert "Frontline" not in without and "Sites:" not in without and "Regions" not in without
    assert "Natural Earth" in without and "Ranges:" in without and "Places:" in without


def test_unknown_extra_place_becomes_a_note_not_an_error() -> None:
    spec = replace(default_spec(), places=("Kyiv", "Xqzzyville"), weapons=())
    scenario = build_scenario(spec)
    assert "Kyiv" in set(scenario.places["name"])
    assert any("Xqzzyville" in n for n in scenario.notes)


def test_unknown_catalogue_weapon_is_named() -> None:
    spec = replace(default_spec(), weapons=(WeaponChoice("Zorblax-9", (100.0,)),))
    with pytest.raises(NotFoundError, match="Zorblax"):
        build_scenario(spec)


def test_article_scenario_draws_the_range_the_text_states() -> None:
    spec = spec_from_article(read_article("000_6c64c68faa6e058a"), name="000.txt")
    atacms = next(w for w in spec.weapons if w.name == "ATACMS")
    assert atacms.source == "text"
    assert atacms.ranges_km[0] == pytest.approx(306, abs=5)  # "about 190 miles" → 310 km
    catalogue = spec_from_article(read_article("000_6c64c68faa6e058a"), prefer="catalogue")
    assert next(w for w in catalogue.weapons if w.name == "ATACMS").source == "catalogue"


def test_air_defence_named_in_an_article_is_not_drawn_as_a_strike_range() -> None:
    text = "Germany sent more Patriot air defence systems, while ATACMS missiles hit Kursk."
    names = {w.name for w in spec_from_article(text).weapons}
    assert "ATACMS" in names
    assert not any("Patriot" in n for n in names)


def test_the_default_weapons_reach_from_ukrainian_held_territory_on_the_earlier_snapshot() -> None:
    # 2024-08-20 once failed with a GEOS TopologyException: a chunk's buffer, valid in its
    # own AEQD, crossed itself by centimetres once mapped into the launch area's frame.
    scenario = build_scenario(replace(default_spec(), date="2024-08-20"))
    ranges = scenario.layers()["ranges"]
    assert set(ranges["weapon"]) == {"ATACMS", "Storm Shadow", "Taurus"}
    assert ranges.geometry.is_valid.all() and (ranges["area_km2"] > 0).all()


def test_compare_date_adds_the_areas_gained_between_snapshots() -> None:
    spec = replace(default_spec(), compare_date="2024-08-20", weapons=())
    scenario = build_scenario(spec)
    assert scenario.change is not None
    gained = scenario.change[scenario.change["class"] == "frontline_gained"]
    # Aug→Nov 2024: Russian gains in Donetsk oblast plus the part of the Kursk salient retaken.
    assert 1_500 < gained["area_km2"].sum() < 4_000
    assert "frontline_gained" in set(scenario.layers()["frontline"]["class"])
    assert "frontline_change" in scenario.data_layers()


def test_a_launch_polygon_from_a_file_is_used_as_a_launch_area(tmp_path: Path) -> None:
    # A 1°×1° square near Kharkiv; its geodesic area is checked against pyproj.Geod.
    square = shapely.geometry.box(36.0, 49.5, 37.0, 50.5)
    f = tmp_path / "launch.geojson"
    f.write_text(gpd.GeoSeries([square], crs="EPSG:4326").to_json(), encoding="utf-8")
    spec = replace(default_spec(), launch_areas=(f"file:{f}",), weapons=())
    scenario = build_scenario(spec)
    area, _ = GEOD.geometry_area_perimeter(square)
    assert scenario.launch["area_km2"].iloc[0] == pytest.approx(abs(area) / 1e6, rel=1e-3)


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("launch.kml", "<kml/>", "launch polygon must be"),
        ("launch.geojson", "{not json", "cannot read|not valid JSON"),
        ("launch.geojson", '{"type": "Point", "coordinates": [30, 50]}', "no polygons"),
    ],
)
def test_bad_launch_polygon_files_are_named(
    tmp_path: Path, name: str, content: str, message: str
) -> None:
    f = tmp_path / name
    f.write_text(content, encoding="utf-8")
    spec = replace(default_spec(), launch_areas=(f"file:{f}",), weapons=())
    with pytest.raises(InputError, match=message):
        build_scenario(spec)


@pytest.mark.parametrize(
    "spec",
    [
        replace(default_spec(), article_text="Nothing to see here.", places=()),
        replace(default_spec(), places=("Qwzxyville",)),
        replace(default_spec(), article_text="", places=(), weapons=()),
    ],
    ids=["article-without-places", "unknown-place", "empty"],
)
def test_a_scenario_with_no_place_found_builds_and_exports(spec: ScenarioSpec) -> None:
    scenario = build_scenario(spec)  # issue 9: once "ValueError: Unknown column geometry"
    assert len(scenario.places) == 0
    assert scenario.places.geometry.name == "geometry" and scenario.places.crs == "EPSG:4326"
    assert {"in_range", "distance_km"} <= set(scenario.places.columns)
    collection = export.feature_collection(scenario.data_layers())
    assert not [f for f in collection["features"] if f["properties"]["layer"] == "places"]


def _figures(scenario: Scenario) -> dict[str, object]:
    """Every number and geometry a reader sees, in comparable form (geometries as WKB)."""
    return {
        "summary": scenario.summary.to_dict(orient="list"),
        "reach": [g.wkb for g in scenario.reach.geometry],
        "ranges": [g.wkb for g in scenario.ranges.geometry],
        "areas": list(scenario.reach["area_km2"]) + list(scenario.ranges["area_km2"]),
        "sites": scenario.sites.drop(columns="geometry").to_dict(orient="list"),
        "places": scenario.places.drop(columns="geometry").to_dict(orient="list"),
    }


def test_a_range_change_reuses_the_other_rings_and_gives_a_fresh_builds_figures() -> None:
    from geo.scenario import _rings

    spec = default_spec()
    shorter = spec.with_range("ATACMS", (165.0, 200.0))
    build_scenario(spec)  # the rings ATACMS 165 km, Storm Shadow and Taurus are now cached
    after_other = _figures(build_scenario(shorter))
    _rings.clear()
    fresh = _figures(build_scenario(shorter))
    assert after_other == fresh
    assert fresh["summary"]["label"] == [
        "ATACMS 165 km", "ATACMS 200 km", "Storm Shadow 250 km", "Taurus 500 km"
    ]  # fmt: skip
    summary = fresh["summary"]
    counted = dict(zip(summary["label"], summary["sites_in_range"], strict=True))
    assert counted["ATACMS 165 km"] <= counted["ATACMS 200 km"] <= counted["Storm Shadow 250 km"]
