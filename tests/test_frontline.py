"""Bundled frontline snapshots: schema, dates, facts, controlled territory and change."""

from __future__ import annotations

import datetime as dt
import math
from pathlib import Path

import pytest
import shapely
from pyproj import Geod
from shapely.geometry import Point

from geo import boundaries, frontline
from geo._errors import InputError, NotFoundError
from geo.frontline._shapes import with_internal_waters
from geo.frontline.facts import (
    MAX_MISMATCH_KM,
    build_snapshot,
    read_facts,
    read_outlines,
    resolve_point,
)
from geo.frontline.schema import CLASSES, COLUMNS
from geo.settings import data_path

BUNDLED = ("2024-08-20", "2024-11-19")
FACTS = sorted(data_path("frontline").glob("facts-*.toml"))
OUTLINES = data_path("frontline", "outlines.geojson")
GEOD = Geod(ellps="WGS84")


def test_bundled_dates_are_listed_oldest_first() -> None:
    assert frontline.bundled_dates() == list(BUNDLED)
    assert set(BUNDLED) <= set(frontline.available_dates())


@pytest.mark.parametrize("date", [*BUNDLED, dt.date(2024, 11, 19)])
def test_snapshot_has_the_classified_schema(date: str | dt.date) -> None:
    gdf = frontline.snapshot(date)
    assert gdf.crs.to_epsg() == 4326
    assert list(gdf.columns) == list(COLUMNS)
    assert {
        "occupied_before_2022",
        "occupied_since_2022",
        "ukrainian_held_in_russia",
        "line_of_contact",
    } <= set(gdf["class"])
    assert set(gdf["class"]) <= set(CLASSES)
    assert gdf["class"].is_unique
    assert (gdf["date"] == str(date)).all()
    assert gdf["source"].str.contains("approximate, built from settlement list").all()
    assert gdf.geometry.is_valid.all()


def test_snapshot_default_date_is_the_articles_date() -> None:
    assert frontline.snapshot()["date"].iloc[0] == "2024-11-19"


def test_snapshot_returns_a_copy_callers_may_modify() -> None:
    gdf = frontline.snapshot()
    gdf.loc[0, "class"] = "changed"
    assert "changed" not in set(frontline.snapshot()["class"])


@pytest.mark.parametrize(
    ("date", "error", "match"),
    [
        ("2024-01-01", NotFoundError, "available dates: 2024-08-20, 2024-11-19"),
        ("19/11/2024", InputError, "YYYY-MM-DD"),
    ],
)
def test_snapshot_of_an_unknown_date_says_what_exists(date: str, error: type, match: str) -> None:
    with pytest.raises(error, match=match):
        frontline.snapshot(date)


@pytest.mark.parametrize(
    ("lon", "lat", "cls"),
    [
        (33.52, 44.60, "occupied_before_2022"),  # Sevastopol
        (34.10, 44.95, "occupied_before_2022"),  # Simferopol
        (33.37, 45.19, "occupied_before_2022"),  # Yevpatoria (west Crimea)
        (32.60, 45.45, "occupied_before_2022"),  # Tarkhankut peninsula
        (33.60, 46.30, "occupied_since_2022"),  # Kalanchak, north of the Perekop isthmus
        (37.80, 48.00, "occupied_before_2022"),  # Donetsk
        (39.31, 48.57, "occupied_before_2022"),  # Luhansk
        (37.54, 47.10, "occupied_since_2022"),  # Mariupol
        (35.37, 47.10, "occupied_since_2022"),  # Melitopol
        (38.48, 48.94, "occupied_since_2022"),  # Sievierodonetsk
        (37.99, 48.59, "occupied_since_2022"),  # Bakhmut
        (37.25, 47.78, "occupied_since_2022"),  # Vuhledar, taken 1 Oct 2024
        (35.27, 51.19, "ukrainian_held_in_russia"),  # Sudzha
    ],
)
def test_known_places_fall_in_the_right_class(lon: float, lat: float, cls: str) -> None:
    gdf = frontline.snapshot("2024-11-19")
    hits = gdf[gdf.geometry.contains(Point(lon, lat))]["class"].tolist()
    assert hits == [cls]


@pytest.mark.parametrize(
    ("lon", "lat"),
    [
        (36.23, 49.99),  # Kharkiv
        (35.14, 47.84),  # Zaporizhzhia
        (32.61, 46.64),  # Kherson (right bank, liberated Nov 2022)
        (37.18, 48.28),  # Pokrovsk
        (37.71, 48.53),  # Kostiantynivka
        (37.62, 49.71),  # Kupiansk
        (31.58, 46.64),  # Ochakiv (inland edge), across the strait from the Kinburn spit
    ],
)
def test_ukrainian_held_cities_are_outside_the_occupied_area(lon: float, lat: float) -> None:
    held = frontline.controlled_territory("ukraine", "2024-11-19").geometry.iloc[0]
    occupied = frontline.controlled_territory("russia", "2024-11-19").geometry.iloc[0]
    assert held.contains(Point(lon, lat))
    assert not occupied.contains(Point(lon, lat))


def test_controlled_territory_partitions_ukraine() -> None:
    ukraine = boundaries.country("UA").geometry.iloc[0]
    held = frontline.controlled_territory("ukraine", "2024-11-19")
    occupied = frontline.controlled_territory("russia", "2024-11-19")
    kursk = frontline.snapshot()["class"] == "ukrainian_held_in_russia"
    kursk_km2 = float(frontline.snapshot().loc[kursk, "area_km2"].iloc[0])
    total = held["area_km2"].iloc[0] + occupied["area_km2"].iloc[0] - kursk_km2
    ukraine_km2 = abs(GEOD.geometry_area_perimeter(shapely.segmentize(ukraine, 0.1))[0]) / 1e6
    assert total == pytest.approx(ukraine_km2, rel=1e-3)
    assert held["class"].iloc[0] == "held_by_ukraine"


def test_controlled_territory_rejects_an_unknown_side() -> None:
    with pytest.raises(InputError, match="side must be 'ukraine' or 'russia', got 'nato'"):
        frontline.controlled_territory("nato", "2024-11-19")  # type: ignore[arg-type]


def test_change_aug_to_nov_2024_shows_russian_gains_and_a_smaller_kursk_salient() -> None:
    diff = frontline.change(frontline.snapshot("2024-08-20"), frontline.snapshot("2024-11-19"))
    areas = dict(zip(diff["class"], diff["area_km2"], strict=True))
    # DeepStateMap's monthly tallies of Russian gains in Ukraine: about 470 km² (Sep), 500-600
    # (Oct) and 700+ (Nov 2024); the Kursk salient shrank from ~1,000+ to ~600 km² (ISW,
    # Ukrainian General Staff). Together: 1,500-3,500 km² changed to Russian hands.
    assert 1_500 < areas["frontline_gained"] < 4_000
    assert areas.get("frontline_lost", 0.0) < 100
    assert diff["date"].iloc[0] == "2024-08-20/2024-11-19"
    vuhledar = Point(37.25, 47.78)
    assert diff[diff["class"] == "frontline_gained"].geometry.iloc[0].contains(vuhledar)


def test_change_of_a_snapshot_with_itself_is_empty() -> None:
    same = frontline.snapshot()
    assert frontline.change(same, same).empty


@pytest.mark.parametrize("facts_path", FACTS, ids=lambda p: p.name)
def test_every_facts_point_cites_a_listed_source(facts_path: Path) -> None:
    facts = read_facts(facts_path)
    assert facts_path.name == f"facts-{facts['date']}.toml"
    for area in facts["areas"]:
        assert area["points"], area["id"]
        for point in area["points"]:
            assert point["src"] in facts["sources"]
            assert ("name" in point) != ("at" in point), point


def _named_points() -> list[dict[str, object]]:
    return [p for f in FACTS for a in read_facts(f)["areas"] for p in a["points"] if "name" in p]


@pytest.mark.parametrize("point", _named_points(), ids=lambda p: str(p["name"]))
def test_named_settlements_resolve_in_geonames_near_the_hand_entered_point(
    point: dict[str, object],
) -> None:
    lon, lat, how = resolve_point(point)
    assert how.startswith("geonames:")
    _, _, gap = GEOD.inv(lon, lat, float(point["lon"]), float(point["lat"]))  # type: ignore[arg-type]
    assert gap / 1000 < MAX_MISMATCH_KM


def test_a_named_settlement_far_from_its_hand_entered_point_is_refused() -> None:
    wrong = {"name": "Kurakhove", "in": "UA-14", "lat": 48.5, "lon": 37.28, "src": "isw"}
    with pytest.raises(InputError, match=r"Kurakhove .*km from the hand-entered point"):
        resolve_point(wrong)


@pytest.mark.parametrize("facts_path", FACTS, ids=lambda p: p.name)
def test_bundled_snapshot_is_what_the_facts_build(facts_path: Path) -> None:
    facts = read_facts(facts_path)
    built = build_snapshot(facts, outline=read_outlines(OUTLINES))
    bundled = frontline.snapshot(facts["date"])
    assert built["class"].tolist() == bundled["class"].tolist()
    for column in ("area_km2", "length_km"):
        assert built[column].tolist() == pytest.approx(bundled[column].tolist(), rel=1e-3, abs=0.2)


def test_a_lagoon_behind_a_narrow_strait_is_internal_water_a_wide_bay_is_sea() -> None:
    # 20 km of coast at 46 N: a lagoon (4 x 4 km) open to the sea by a 0.4 km strait, like the
    # Syvash behind the Henichesk strait, and a bay with a 3 km mouth.
    def km(x: float, y: float) -> tuple[float, float]:
        return 34.0 + x / (111.32 * math.cos(math.radians(46.0))), 46.0 + y / 111.2

    def box(x0: float, y0: float, x1: float, y1: float) -> shapely.Polygon:
        return shapely.Polygon([km(x0, y0), km(x1, y0), km(x1, y1), km(x0, y1)])

    lagoon, strait, bay = box(4, 8, 8, 12), box(-1, 9.8, 4.5, 10.2), box(14, 8, 21, 11)
    land = box(0, 0, 20, 20).difference(shapely.union_all([lagoon, strait, bay]))
    territory = with_internal_waters(land, strait_km=1.0)
    assert territory.contains(Point(km(6, 10)))  # the lagoon
    assert not territory.contains(Point(km(18, 9.5)))  # the bay
    assert territory.buffer(1e-9).contains(land)
