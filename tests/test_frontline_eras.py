"""Every DeepStateMap format era is read as an independent reading finds it.

Areas within 0.5 %, nothing outside the war counted, a line of contact, the date and the
attribution; unknown formats refused.

The figures are those of ../shared/reference/deepstate/README.md (one archive file per era).
"""

from __future__ import annotations

import json
import warnings
from pathlib import Path

import geopandas as gpd
import pytest
import shapely
from shared_data import REFERENCE

from geo import boundaries, frontline
from geo._errors import InputError
from geo.frontline import deepstate

ERA_FILES = REFERENCE / "deepstate"
#: file → (date, era, occupied total km², Ukrainian-held in Russia km²), from the README.
EXPECTED = {
    "1648989208": ("2022-04-03", "ukrainian-names", 107_286.8, 0.0),
    "1652434992": ("2022-05-13", "bilingual-black", 122_130.7, 0.0),
    "1662501910": ("2022-09-06", "bilingual-outside", 124_847.7, 0.0),
    "1678662899": ("2023-03-12", "bilingual-outside", 109_194.9, 0.0),
    "1754251105": ("2025-08-03", "i18n-keys", 114_329.2, 16.9),
}
OCCUPIED = ("occupied_before_2022", "occupied_since_2022")

pytestmark = pytest.mark.skipif(not ERA_FILES.is_dir(), reason="../shared reference not present")


@pytest.fixture(scope="module", params=sorted(EXPECTED))
def era_file(request: pytest.FixtureRequest) -> tuple[str, gpd.GeoDataFrame]:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", frontline.FrontlineRepairWarning)
        return request.param, frontline.load_file(ERA_FILES / f"{request.param}.geojson")


def _area(gdf: gpd.GeoDataFrame, classes: tuple[str, ...]) -> float:
    return float(gdf.loc[gdf["class"].isin(classes), "area_km2"].sum())


def test_occupied_total_is_within_half_a_percent_of_the_independent_reading(
    era_file: tuple[str, gpd.GeoDataFrame],
) -> None:
    stem, gdf = era_file
    assert _area(gdf, OCCUPIED) == pytest.approx(EXPECTED[stem][2], rel=0.005)


def test_the_kursk_salient_is_within_half_a_percent(era_file: tuple[str, gpd.GeoDataFrame]) -> None:
    stem, gdf = era_file
    assert _area(gdf, ("ukrainian_held_in_russia",)) == pytest.approx(
        EXPECTED[stem][3], rel=0.005, abs=0.05
    )


def test_no_area_outside_the_war_is_counted(era_file: tuple[str, gpd.GeoDataFrame]) -> None:
    _, gdf = era_file
    occupied = gdf.loc[gdf["class"].isin(OCCUPIED)].geometry.union_all()
    ukraine = boundaries.country("UA").geometry.union_all()
    for code in ("MD", "GE", "FI", "EE", "LV"):  # Transnistria, Abkhazia, Karelia/Petsamo...
        other = boundaries.country(code).geometry.union_all()
        assert shapely.intersection(occupied, shapely.difference(other, ukraine)).area < 1e-3
    assert occupied.bounds[0] > 22 and occupied.bounds[2] < 41  # no Kurils, no Kaliningrad


def test_every_era_has_a_line_of_contact_date_and_attribution(
    era_file: tuple[str, gpd.GeoDataFrame],
) -> None:
    stem, gdf = era_file
    line = gdf.loc[gdf["class"] == "line_of_contact"]
    assert len(line) == 1 and line["length_km"].iloc[0] > 500
    assert gdf["date"].iloc[0] == EXPECTED[stem][0]
    assert "© DeepStateMap" in gdf["source"].iloc[0]
    assert f"({EXPECTED[stem][1]} format)" in gdf["source"].iloc[0]


def test_the_line_of_contact_leaves_out_the_coast(era_file: tuple[str, gpd.GeoDataFrame]) -> None:
    # Crimea's west coast and the Azov coast are far from any front in every era.
    _, gdf = era_file
    line = gdf.loc[gdf["class"] == "line_of_contact"].geometry.iloc[0]
    crimea_west = shapely.box(32.4, 44.3, 34.0, 45.9)
    azov_coast = shapely.box(35.5, 46.4, 37.4, 46.9)
    assert line.intersection(crimea_west).length == 0
    assert line.intersection(azov_coast).length == 0


def test_liberated_and_grey_areas_keep_their_class(era_file: tuple[str, gpd.GeoDataFrame]) -> None:
    _, gdf = era_file
    assert {"liberated_2022", "grey_zone"} <= set(gdf["class"])


@pytest.mark.parametrize(
    ("name", "expected"),
    [("1678662899.geojson", "2023-03-12"), ("2024-11-19.geojson", "2024-11-19"), ("x.json", "")],
)
def test_the_date_comes_from_a_unix_time_or_iso_file_name(name: str, expected: str) -> None:
    assert deepstate.date_from_name(name) == expected


def _collection(name: str, fill: str) -> dict[str, object]:
    ring = [[36.0, 48.0], [36.1, 48.0], [36.1, 48.1], [36.0, 48.1], [36.0, 48.0]]
    return {
        "type": "FeatureCollection",
        "features": [
            {
                "type": "Feature",
                "properties": {"name": name, "fill": fill},
                "geometry": {"type": "Polygon", "coordinates": [ring]},
            }
        ],
    }


@pytest.mark.parametrize(
    ("name", "fill"),
    [
        ("Окуповано /// Occupied /// geoJSON.status.something_new", "#123456"),
        ("Нове /// New", "#abcdef"),
    ],
)
def test_a_polygon_of_no_known_category_is_refused_not_guessed(name: str, fill: str) -> None:
    with pytest.raises(InputError, match="no known category"):
        frontline.load_deepstate(_collection(name, fill))


def test_a_file_without_the_marks_of_any_era_is_refused(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="not a DeepStateMap format"):
        frontline.load_deepstate(_collection("occupied", "#a52714"))
    path = tmp_path / "1678662899.geojson"
    path.write_text(json.dumps(_collection("Окуповано", "#a52714")), encoding="utf-8")
    gdf = frontline.load_file(path)
    assert gdf["date"].iloc[0] == "2023-03-12"
    assert "(ukrainian-names format)" in gdf["source"].iloc[0]
