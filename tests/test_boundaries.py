"""Country outlines and first-level regions: borders, lookups, areas, user files."""

from __future__ import annotations

import json
from pathlib import Path

import pyproj
import pytest
import shapely
from shapely.geometry import Point

from geo import boundaries
from geo._errors import InputError, NotFoundError
from geo.settings import data_path

GEOD = pyproj.Geod(ellps="WGS84")


def area_km2(geom: shapely.Geometry) -> float:
    return abs(GEOD.geometry_area_perimeter(geom)[0]) / 1e6


def codes_at(frame: object, lat: float, lon: float) -> list[str]:
    hits = frame[frame.contains(Point(lon, lat))]  # type: ignore[index,attr-defined]
    column = "iso_a2" if "iso_a2" in hits else "code"
    return sorted(hits[column])


# ----------------------------------------------------------------------------- countries


def test_countries_are_valid_epsg4326_with_iso_codes() -> None:
    frame = boundaries.countries()
    assert frame.crs.to_epsg() == 4326
    assert list(frame.columns) == list(boundaries.COUNTRY_COLUMNS)
    assert 230 <= len(frame) <= 250
    assert frame.is_valid.all()
    coded = frame[frame["iso_a2"] != ""]
    assert coded["iso_a2"].is_unique and coded["iso_a3"].is_unique
    assert not frame[["iso_a2", "iso_a3", "iso_n3"]].isin(["-99", "-1"]).any().any()


@pytest.mark.parametrize(
    ("iso_a2", "iso_a3"), [("FR", "FRA"), ("NO", "NOR"), ("XK", "XKX"), ("UA", "UKR")]
)
def test_codes_natural_earth_gets_wrong_are_fixed(iso_a2: str, iso_a3: str) -> None:
    row = boundaries.country(iso_a2)
    assert row["iso_a3"].iloc[0] == iso_a3


@pytest.mark.parametrize(
    ("place", "lat", "lon"),
    [
        # GeoNames coordinates of the city centres.
        ("Sevastopol", 44.58883, 33.5224),
        ("Simferopol", 44.9521, 34.1024),
        ("Kerch", 45.3562, 36.4674),
        ("Dzhankoi", 45.7086, 34.3933),
    ],
)
def test_crimea_is_part_of_ukraine(place: str, lat: float, lon: float) -> None:
    assert codes_at(boundaries.countries(), lat, lon) == ["UA"], place


def test_sevastopol_bay_point_is_nearest_to_ukraine_not_russia() -> None:
    # 44.6167 N 33.5254 E lies on the shore of Sevastopol Bay: nearest outline must be Ukraine.
    point = Point(33.5254, 44.6167)
    ukraine = boundaries.country("UA").geometry.iloc[0]
    russia = boundaries.country("RU").geometry.iloc[0]
    assert ukraine.distance(point) < 0.02  # degrees, ~2 km
    assert russia.distance(point) > 1.0
    assert not russia.contains(Point(34.1024, 44.9521))


@pytest.mark.parametrize(
    ("code", "reference_km2"),
    [
        ("UA", 603_550),  # official area including Crimea
        ("BY", 207_600),
        ("RU", 17_098_246 - 27_000),  # official area claimed by Russia, less Crimea
        ("PL", 312_696),
    ],
)
def test_country_areas_match_official_figures_within_2_percent(
    code: str, reference_km2: float
) -> None:
    geom = boundaries.country(code).geometry.iloc[0]
    assert area_km2(geom) == pytest.approx(reference_km2, rel=0.02)


def test_no_polygon_wraps_around_the_antimeridian() -> None:
    frame = boundaries.countries()
    for code, geom in zip(frame["iso_a2"], frame.geometry, strict=True):
        if code == "AQ":  # Antarctica surrounds the pole: it legitimately spans 360 degrees
            continue
        for part in shapely.get_parts(geom):
            west, _, east, _ = part.bounds
            assert east - west < 180, code


@pytest.mark.parametrize(
    ("code", "lat", "lon"),
    [("RU", 66.5, -175.0), ("RU", 68.05, 166.44), ("FJ", -17.8, 178.0), ("US", 38.5, -98.0)],
)
def test_countries_on_both_sides_of_the_antimeridian(code: str, lat: float, lon: float) -> None:
    assert codes_at(boundaries.countries(), lat, lon) == [code]


@pytest.mark.parametrize(
    ("query", "code"),
    [
        ("RU", "RU"),
        ("RUS", "RU"),
        ("Russia", "RU"),
        ("russian federation", "RU"),
        ("ua", "UA"),
        ("Ukraine", "UA"),
        ("Belarus", "BY"),
        ("United States of America", "US"),
        ("Côte d'Ivoire", "CI"),
    ],
)
def test_country_lookup(query: str, code: str) -> None:
    assert boundaries.country(query)["iso_a2"].tolist() == [code]


def test_unknown_country_suggests_close_names() -> None:
    with pytest.raises(NotFoundError, match=r"unknown country 'Rusia'.*'Russia'"):
        boundaries.country("Rusia")


@pytest.mark.parametrize("junk", ["!!!", "-", "'"])
def test_punctuation_never_matches_the_uncoded_units(junk: str) -> None:
    with pytest.raises(NotFoundError, match="unknown country"):
        boundaries.country(junk)


@pytest.mark.parametrize(("value", "message"), [("", "must not be empty"), (42, "string")])
def test_bad_country_input_is_an_input_error(value: object, message: str) -> None:
    with pytest.raises(InputError, match=message):
        boundaries.country(value)  # type: ignore[arg-type]


def test_land_covers_kyiv_but_not_the_atlantic() -> None:
    land = boundaries.land()
    assert land.crs.to_epsg() == 4326
    geom = land.geometry.iloc[0]
    assert geom.contains(Point(30.5234, 50.4501))
    assert not geom.contains(Point(-40.0, 30.0))


def test_bundled_boundary_files_stay_small() -> None:
    total = sum(p.stat().st_size for p in data_path("boundaries").glob("*.geojson"))
    assert total < 5.5e6


# ----------------------------------------------------------------------------- regions


@pytest.mark.parametrize(
    ("city", "lat", "lon", "code"),
    [
        ("Kursk", 51.7373, 36.1874, "RU-KRS"),
        ("Belgorod", 50.5977, 36.5858, "RU-BEL"),
        ("Bryansk", 53.2521, 34.3717, "RU-BRY"),
        ("Voronezh", 51.6720, 39.1843, "RU-VOR"),
        ("Rostov-on-Don", 47.2357, 39.7015, "RU-ROS"),
        ("Moscow", 55.7558, 37.6173, "RU-MOW"),
        ("Kaliningrad", 54.7104, 20.4522, "RU-KGD"),
        ("Bilibino (Chukotka)", 68.05, 166.44, "RU-CHU"),
        ("Sumy", 50.9077, 34.7981, "UA-59"),
        ("Kharkiv", 49.9935, 36.2304, "UA-63"),
        ("Kyiv", 50.4501, 30.5234, "UA-30"),
        ("Lviv", 49.8397, 24.0297, "UA-46"),
        ("Donetsk", 48.0159, 37.8028, "UA-14"),
        ("Simferopol", 44.9521, 34.1024, "UA-43"),
        ("Sevastopol", 44.58883, 33.5224, "UA-40"),
        ("Minsk", 53.9006, 27.5590, "BY-HM"),
        ("Homel", 52.4345, 30.9754, "BY-HO"),
    ],
)
def test_each_region_contains_its_capital(city: str, lat: float, lon: float, code: str) -> None:
    assert codes_at(boundaries.regions(), lat, lon) == [code], city


@pytest.mark.parametrize("country_code", boundaries.REGION_COUNTRIES)
def test_regions_tile_their_country_without_gaps_or_overlaps(country_code: str) -> None:
    parts = boundaries.regions(country_codes=[country_code])
    outline = boundaries.country(country_code).geometry.iloc[0]
    total = sum(area_km2(g) for g in parts.geometry)
    union = area_km2(shapely.union_all(parts.geometry.values))
    assert total == pytest.approx(area_km2(outline), rel=0.01)
    assert union == pytest.approx(total, rel=0.01)


#: Official areas (km², national statistics offices as quoted by Wikipedia).
OFFICIAL_REGION_AREAS = {
    "RU-KRS": 29_997, "RU-BEL": 27_134, "RU-BRY": 34_857, "RU-VOR": 52_216,
    "RU-ROS": 100_967, "RU-KDA": 75_485, "RU-MOS": 44_329, "UA-59": 23_834,
    "UA-63": 31_415, "UA-74": 31_865, "UA-43": 26_081, "UA-14": 26_517, "UA-09": 26_684,
    "UA-23": 27_180, "UA-65": 28_461, "UA-32": 28_131, "UA-46": 21_833, "UA-51": 33_310,
    "BY-MI": 39_854, "BY-HO": 40_372, "BY-BR": 32_786,
}  # fmt: skip


@pytest.mark.parametrize(("code", "official_km2"), sorted(OFFICIAL_REGION_AREAS.items()))
def test_approximate_region_area_is_within_15_percent_of_official(
    code: str, official_km2: float
) -> None:
    # Measured at build time: median error 2.5%, worst Kherson -13.6%, Moscow Oblast +11.8%.
    geom = boundaries.region(code).geometry.iloc[0]
    assert area_km2(geom) == pytest.approx(official_km2, rel=0.15)


def test_bundled_regions_are_labelled_as_approximations() -> None:
    frame = boundaries.regions()
    assert frame.crs.to_epsg() == 4326
    assert frame["approximate"].all()
    assert frame["source"].str.contains("Voronoi").all()
    assert frame["code"].is_unique
    assert (frame["code"].str[:2] == frame["country_code"]).all()
    assert frame.is_valid.all()
    counts = frame["country_code"].value_counts()
    assert counts["UA"] == 27 and counts["RU"] == 83 and counts["BY"] == 7


def test_chukotka_is_split_at_the_antimeridian_not_wrapped() -> None:
    chukotka = boundaries.region("RU-CHU").geometry.iloc[0]
    widths = [p.bounds[2] - p.bounds[0] for p in shapely.get_parts(chukotka)]
    assert max(widths) < 180
    assert chukotka.bounds[0] < -170 and chukotka.bounds[2] > 170


@pytest.mark.parametrize(
    ("query", "code"),
    [
        ("Kursk region", "RU-KRS"),
        ("Kursk Oblast", "RU-KRS"),
        ("Kursk oblast", "RU-KRS"),
        ("Kurskaya oblast'", "RU-KRS"),
        ("RU-KRS", "RU-KRS"),
        ("ru-bel", "RU-BEL"),
        ("Sumy oblast", "UA-59"),
        ("UA-59", "UA-59"),
        ("Crimea", "UA-43"),
        ("Republic of Crimea", "UA-43"),
        ("Sevastopol", "UA-40"),
        ("Kyiv", "UA-30"),
        ("Kyiv region", "UA-32"),
        ("Kiev Oblast", "UA-32"),
        ("Kharkov oblast", "UA-63"),
        ("Minsk", "BY-HM"),
        ("Minsk region", "BY-MI"),
        ("Moscow Oblast", "RU-MOS"),
        ("Krasnodar Krai", "RU-KDA"),
    ],
)
def test_region_lookup(query: str, code: str) -> None:
    assert boundaries.region(query)["code"].tolist() == [code]


def test_unknown_region_suggests_close_names() -> None:
    with pytest.raises(NotFoundError, match=r"unknown region 'Kurks Oblast'.*'Kursk Oblast'"):
        boundaries.region("Kurks Oblast")


@pytest.mark.parametrize(
    ("countries", "expected"), [(["UA"], 27), (["Russia", "BLR"], 90), (["DE"], 0)]
)
def test_regions_filtered_by_country(countries: list[str], expected: int) -> None:
    assert len(boundaries.regions(country_codes=countries)) == expected


def test_regions_of_an_unknown_country_is_an_error() -> None:
    with pytest.raises(NotFoundError, match="unknown country 'Atlantis'"):
        boundaries.regions(country_codes=["Atlantis"])


# ----------------------------------------------------------------------------- user files

SQUARE = [[[36.0, 51.0], [37.0, 51.0], [37.0, 52.0], [36.0, 52.0], [36.0, 51.0]]]


def write_geojson(path: Path, properties: dict[str, object], crs: bool = True) -> Path:
    doc: dict[str, object] = {
        "type": "FeatureCollection",
        "features": [
            {
                "type": "Feature",
                "properties": properties,
                "geometry": {"type": "Polygon", "coordinates": SQUARE},
            }
        ],
    }
    path.write_text(json.dumps(doc), encoding="utf-8")
    return path


@pytest.mark.parametrize(
    ("properties", "code", "name", "country_code"),
    [
        # Natural Earth admin-1
        (
            {"iso_3166_2": "RU-KRS", "name": "Kursk", "name_en": "Kursk Oblast", "adm0_a3": "RUS"},
            "RU-KRS",
            "Kursk Oblast",
            "RU",
        ),
        # geoBoundaries ADM1
        (
            {"shapeISO": "RU-KRS", "shapeName": "Kursk Oblast", "shapeGroup": "RUS"},
            "RU-KRS",
            "Kursk Oblast",
            "RU",
        ),
        # GADM level 1 (no ISO code: HASC code kept)
        (
            {"GID_0": "RUS", "GID_1": "RUS.34_1", "NAME_1": "Kursk", "HASC_1": "RU.KS"},
            "RU.KS",
            "Kursk",
            "RU",
        ),
        # Natural Earth's -99 placeholder falls through to the name
        (
            {"iso_3166_2": "-99", "name": "Somewhere", "iso_a2": "UA"},
            "Somewhere",
            "Somewhere",
            "UA",
        ),
    ],
)
def test_load_regions_file_maps_common_schemas(
    tmp_path: Path, properties: dict[str, object], code: str, name: str, country_code: str
) -> None:
    frame = boundaries.load_regions_file(write_geojson(tmp_path / "r.geojson", properties))
    assert frame.crs.to_epsg() == 4326
    row = frame.iloc[0]
    assert (row["code"], row["name"], row["country_code"]) == (code, name, country_code)
    assert not row["approximate"]
    assert row["source"] == "user file r.geojson"
    assert boundaries.region(name, frame=frame)["code"].tolist() == [code]


def test_load_regions_file_without_a_name_field(tmp_path: Path) -> None:
    path = write_geojson(tmp_path / "r.geojson", {"population": 3})
    with pytest.raises(InputError, match="no region name field"):
        boundaries.load_regions_file(path)


@pytest.mark.parametrize(
    ("content", "message"), [("not json at all", "cannot read"), ("", "cannot read")]
)
def test_load_regions_file_rejects_broken_files(tmp_path: Path, content: str, message: str) -> None:
    path = tmp_path / "broken.geojson"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(InputError, match=message):
        boundaries.load_regions_file(path)


def test_load_regions_file_missing(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="not found"):
        boundaries.load_regions_file(tmp_path / "nope.gpkg")


def test_load_regions_file_over_the_size_limit(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = write_geojson(tmp_path / "big.geojson", {"name": "Kursk"})
    monkeypatch.setattr(boundaries, "MAX_FILE_BYTES", 100)
    with pytest.raises(InputError, match=r"big.geojson is 0.0 MB, over the 0 MB limit"):
        boundaries.load_regions_file(path)


def test_load_regions_file_without_crs_in_metres(tmp_path: Path) -> None:
    doc = {
        "type": "FeatureCollection",
        "features": [
            {
                "type": "Feature",
                "properties": {"name": "Kursk"},
                "geometry": {
                    "type": "Polygon",
                    "coordinates": [[[0, 0], [5e5, 0], [5e5, 5e5], [0, 5e5], [0, 0]]],
                },
            }
        ],
    }
    path = tmp_path / "metres.json"
    path.write_text(json.dumps(doc), encoding="utf-8")
    with pytest.raises(InputError, match="not lon/lat"):
        boundaries.load_regions_file(path)


def test_returned_frames_are_copies() -> None:
    first = boundaries.countries()
    first.loc[:, "name"] = "changed"
    assert "changed" not in set(boundaries.countries()["name"])
