"""The dashboard's pure helpers: figures, tables and URL state."""

from __future__ import annotations

import geopandas as gpd
import pandas as pd
import pytest
from shapely.geometry import Point

from geo._errors import InputError
from layers import dashboard


def test_summary_figures_are_formatted_per_range() -> None:
    summary = pd.DataFrame(
        {
            "label": ["ATACMS 300 km"],
            "area_km2": [376476.04],
            "sites_in_range": [15],
            "population_in_range": [13705708],
        }
    )
    assert dashboard.summary_figures(summary) == [
        dashboard.Figure("ATACMS 300 km", "376,476 km²", "15", "13,705,708")
    ]


def test_sites_table_keeps_sites_in_range_nearest_first() -> None:
    sites = gpd.GeoDataFrame(
        {
            "name": ["Far", "Out", "Near"],
            "type": ["airbase"] * 3,
            "distance_km": [250.0, 400.0, 80.5],
            "in_range": [True, False, True],
            "in_range_of": ["ATACMS 300 km", "", "ATACMS 165 km, ATACMS 300 km"],
        },
        geometry=[Point(36, 51), Point(40, 55), Point(35, 50)],
        crs="EPSG:4326",
    )
    table = dashboard.sites_table(sites)
    assert table["Site"].tolist() == ["Near", "Far"]
    assert table["Distance from launch area (km)"].tolist() == [80.5, 250.0]


def test_places_left_out_are_removed_from_the_layers_and_unticked_in_the_table() -> None:
    places = gpd.GeoDataFrame(
        {"name": ["Kyiv", "Paris"], "kind": ["city", "city"]},
        geometry=[Point(30.52, 50.45), Point(2.35, 48.86)],
        crs="EPSG:4326",
    )
    assert dashboard.places_table(places, excluded=set())["include"].tolist() == [True, True]
    excluded = {"Paris"}
    assert dashboard.places_table(places, excluded=excluded)["include"].tolist() == [True, False]
    kept = dashboard.without_places({"places": places}, excluded)["places"]
    assert kept["name"].tolist() == ["Kyiv"]
    assert kept.crs == "EPSG:4326"


@pytest.mark.parametrize(
    ("name", "param"),
    [("ATACMS", "atacms"), ("Storm Shadow / SCALP-EG", "storm-shadow-scalp-eg"), ("???", "weapon")],
)
def test_weapon_url_parameters(name: str, param: str) -> None:
    assert dashboard.weapon_param(name) == param


@pytest.mark.parametrize(("text", "ranges"), [("165,300", (165.0, 300.0)), (" 250 ", (250.0,))])
def test_url_ranges_round_trip(text: str, ranges: tuple[float, ...]) -> None:
    assert dashboard.parse_ranges(text) == ranges
    assert dashboard.parse_ranges(dashboard.format_ranges(ranges)) == ranges


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("abc", "must be a number of km"),
        ("0", r"between 0\.1 and 20,003 km"),
        ("inf", "between"),
        ("nan", "between"),
        ("1e9", "between"),
        ("1e-7", "between"),
        ("1,2,3,4,5,6,7,8,9,10,11", "at most 10 ranges"),
    ],
)
def test_bad_url_ranges_are_named(text: str, message: str) -> None:
    with pytest.raises(InputError, match=message):
        dashboard.parse_ranges(text)
