"""Bundled military sites: required entries, provenance, coordinates cross-checked."""

from __future__ import annotations

import csv
import io
import json
import re
import tomllib

import airportsdata
import pandas as pd
import pyproj
import pytest
import shapely
import shapely.ops
from shapely.geometry import Point

from geo import boundaries
from geo import sites as site_module
from geo._errors import InputError
from geo.cli import main
from geo.launch import launch_area
from geo.settings import data_path
from geo.sites import SITE_COLUMNS, SITE_TYPES, sites

GEOD = pyproj.Geod(ellps="WGS84")
AIRPORTS = airportsdata.load()  # ICAO -> record; an independent source of coordinates

#: Airfields that press coverage of the ATACMS decision named as in or near range.
REQUIRED = [
    "Kursk Khalino",
    "Kursk East",
    "Belgorod",
    "Millerovo",
    "Morozovsk",
    "Baltimor",
    "Buturlinovka",
    "Borisoglebsk",
    "Lipetsk",
    "Shaykovka",
    "Savasleyka",
    "Engels",
    "Marinovka",
    "Yeysk",
    "Primorsko-Akhtarsk",
    "Belbek",
    "Saky",
    "Dzhankoi",
    "Kacha",
    "Gvardeyskoye",
    "Hvardiiske",
    "Kirovske",
    "Khotilovo",
    "Seshcha",
    "Krymsk",
    "Mozdok",
    "Olenya",
    "Dyagilevo",
    "Ostrov",
]


def find(name: str) -> pd.Series:
    frame = sites()
    hay = (frame["name"] + "|" + frame["aliases"]).str.lower()
    hits = frame[hay.str.contains(re.escape(name.lower()))]
    assert len(hits) == 1, f"{name}: {len(hits)} matches"
    return hits.iloc[0]


def distance_km(a: Point, lat: float, lon: float) -> float:
    return float(GEOD.inv(a.x, a.y, lon, lat)[2]) / 1000


def test_sites_frame_has_the_contract_columns() -> None:
    frame = sites()
    assert frame.crs.to_epsg() == 4326
    assert list(frame.columns) == list(SITE_COLUMNS)
    assert len(frame) >= 30
    assert frame["name"].is_unique
    assert (frame.geom_type == "Point").all()


@pytest.mark.parametrize("name", REQUIRED)
def test_required_site_is_listed(name: str) -> None:
    find(name)


@pytest.mark.parametrize("name", sorted(sites()["name"]))
def test_every_site_has_type_and_a_cited_source(name: str) -> None:
    row = find(name)
    assert row["type"] in SITE_TYPES
    assert row["operator"] and row["source_title"] and row["source_publisher"]
    assert re.match(r"https?://[\w.-]+\.\w+/", row["source_url"])


@pytest.mark.parametrize("name", sorted(sites()["name"]))
def test_every_site_stands_in_its_country(name: str) -> None:
    # Crimean sites are in Ukraine (recognised border); naval bases sit on the shore.
    row = find(name)
    outline = boundaries.country(row["country_code"]).geometry.iloc[0]
    assert outline.distance(row.geometry) < 0.03  # degrees, ~3 km at most


def test_crimean_sites_are_in_ukraine_and_operated_by_russia() -> None:
    for name in ("Belbek", "Saky", "Dzhankoi", "Kacha", "Gvardeyskoye", "Kirovske"):
        row = find(name)
        assert row["country_code"] == "UA"
        assert "Russian" in row["operator"]


def test_facts_keep_at_least_three_decimals() -> None:
    text = data_path("sites", "sites.toml").read_text(encoding="utf-8")
    values = re.findall(r"^(?:lat|lon) = (\S+)$", text, flags=re.M)
    assert len(values) == 2 * len(sites())
    assert all(re.fullmatch(r"-?\d+\.\d{3,}", v) for v in values)


WITH_ICAO = sorted(n for n, code in zip(sites()["name"], sites()["icao"], strict=True) if code)


@pytest.mark.parametrize("name", WITH_ICAO)
def test_coordinates_agree_with_airportsdata_within_3_km(name: str) -> None:
    row = find(name)
    reference = AIRPORTS.get(row["icao"])
    assert reference is not None, f"{row['icao']} not in airportsdata"
    assert distance_km(row.geometry, reference["lat"], reference["lon"]) < 3.0


def test_enough_sites_are_cross_checked() -> None:
    matched = [n for n in WITH_ICAO if find(n)["icao"] in AIRPORTS]
    print(f"{len(matched)} of {len(sites())} sites cross-checked against airportsdata")
    assert len(matched) >= 12


def test_filter_by_type_and_reject_unknown_types() -> None:
    naval = sites(types=["naval base"])
    assert len(naval) >= 2 and set(naval["type"]) == {"naval base"}
    with pytest.raises(InputError, match=r"unknown site type.*'castle'"):
        sites(types=["castle"])


def test_cli_csv_lists_every_site(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["sites", "--format", "csv"]) == 0
    rows = list(csv.DictReader(io.StringIO(capsys.readouterr().out)))
    assert len(rows) == len(sites())
    engels = next(r for r in rows if r["name"] == "Engels-2")
    assert float(engels["lat"]) == pytest.approx(51.482, abs=1e-3)
    assert engels["source_url"].startswith("https://")


def test_cli_geojson_features_carry_sources(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["sites", "--format", "geojson", "--type", "airbase"]) == 0
    doc = json.loads(capsys.readouterr().out)
    assert len(doc["features"]) == len(sites(types=["airbase"]))
    assert all(f["properties"]["source_url"] for f in doc["features"])


def test_cli_table_names_the_sites(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["sites"]) == 0
    out = capsys.readouterr().out
    assert "Morozovsk" in out and f"{len(sites())} sites" in out


# --- launch places anywhere: bases and military airfields ----------------------------------

_BASES = tomllib.loads(data_path("sites", "bases.toml").read_text("utf-8"))["base"]


@pytest.mark.parametrize(
    ("name", "lon", "lat"),
    [  # hand-checked positions (rounded), independent of the data files
        ("Sinpo", 128.2, 40.0),
        ("Osan Air Base", 127.0, 37.1),
        ("Camp Humphreys", 127.0, 37.0),
        ("Nevatim", 35.0, 31.2),
        ("Kadena Air Base", 127.8, 26.35),
        ("Engels", 46.2, 51.5),
    ],
)
def test_bases_news_names_are_launch_areas(name: str, lon: float, lat: float) -> None:
    area = launch_area(name)
    point = area.geometry
    assert GEOD.inv(point.x, point.y, lon, lat)[2] / 1000 < 15


@pytest.mark.parametrize("base", _BASES, ids=[b["name"] for b in _BASES])
def test_every_written_base_is_cited_and_on_its_country(base: dict[str, object]) -> None:
    assert str(base["source_url"]).startswith("https://")
    outline = boundaries.country(str(base["country_code"])).geometry.iloc[0]
    point = shapely.Point(float(base["lon"]), float(base["lat"]))  # type: ignore[arg-type]
    nearest = shapely.ops.nearest_points(outline, point)[0]
    assert GEOD.inv(point.x, point.y, nearest.x, nearest.y)[2] / 1000 < 5  # ports: on the coast


def test_bases_are_found_in_text_by_name_or_with_a_base_word() -> None:
    text = "Jets left the Nevatim air base; a submarine sailed from Sinpo. Osan is a city."
    assert [(m.name, m.country_code) for m in site_module.bases_in_text(text)] == [
        ("Nevatim Air Base", "IL"),
        ("Sinpo", "KP"),
    ]


def test_airfields_file_is_military_fields_from_airportsdata() -> None:
    path = data_path("sites", "airfields.csv")
    with path.open(encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
    assert len(rows) > 400
    reference = airportsdata.load("ICAO")
    for row in rows[::25]:
        ref = reference[row["icao"]]
        assert (ref["name"], ref["country"]) == (row["name"], row["country_code"])
