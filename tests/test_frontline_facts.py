"""The bundled snapshots say what the public record says (facts in data/frontline/facts-*.toml).

Points are hand-checked coordinates of places named in the cited reporting.
"""

from __future__ import annotations

import pytest
import shapely

from geo import frontline

OCCUPIED = ("occupied_before_2022", "occupied_since_2022")


def _union(date: str, classes: tuple[str, ...]) -> shapely.Geometry:
    gdf = frontline.snapshot(date)
    return gdf.loc[gdf["class"].isin(classes)].geometry.union_all()


@pytest.mark.parametrize("date", ["2024-08-20", "2024-11-19"])
@pytest.mark.parametrize(
    ("where", "lon", "lat"),
    [
        ("drained Kakhovka reservoir between Nikopol and Kamianka-Dniprovska", 34.40, 47.54),
        ("drained reservoir between Marhanets and Enerhodar", 34.64, 47.57),
        ("drained reservoir off Velyka Lepetykha", 33.86, 47.22),
        ("Dnipro delta islands between Kherson and Oleshky", 32.64, 46.62),
    ],
)
def test_the_reservoir_bed_and_the_dnipro_delta_are_not_occupied(
    date: str, where: str, lon: float, lat: float
) -> None:
    assert not _union(date, OCCUPIED).contains(shapely.Point(lon, lat)), where


@pytest.mark.parametrize("date", ["2024-08-20", "2024-11-19"])
@pytest.mark.parametrize(
    ("town", "lon", "lat"), [("Enerhodar", 34.66, 47.49), ("Oleshky", 32.72, 46.60)]
)
def test_the_old_left_shore_stays_occupied(date: str, town: str, lon: float, lat: float) -> None:
    assert _union(date, OCCUPIED).contains(shapely.Point(lon, lat)), town


@pytest.mark.parametrize(
    ("town", "lon", "lat"), [("Ukrainsk", 37.365, 48.10), ("Hirnyk", 37.372, 48.057)]
)
def test_ukrainsk_and_hirnyk_fell_between_the_two_dates(town: str, lon: float, lat: float) -> None:
    # Taken by Russian forces in September 2024 (ISW): held on 20 Aug, occupied on 19 Nov.
    point = shapely.Point(lon, lat)
    assert not _union("2024-08-20", OCCUPIED).contains(point), town
    assert _union("2024-11-19", OCCUPIED).contains(point), town


def test_the_august_salient_is_held_territory_with_the_grey_zone_apart() -> None:
    held = _union("2024-08-20", ("ukrainian_held_in_russia",))
    grey = _union("2024-08-20", ("grey_zone",))
    held_km2 = (
        frontline.snapshot("2024-08-20")
        .set_index("class")
        .loc["ukrainian_held_in_russia", "area_km2"]
    )
    assert 550 < held_km2 < 900  # ISW's assessed control, not the 1,263 km² claim
    assert shapely.intersection(held, grey).area == pytest.approx(0, abs=1e-9)
    assert grey.contains(shapely.Point(35.0, 51.35))  # by Lyubimovka: claimed, contested
    assert held.contains(shapely.Point(35.271, 51.191))  # Sudzha


def test_the_tetkino_pocket_is_held_in_august() -> None:
    held = _union("2024-08-20", ("ukrainian_held_in_russia",))
    assert held.distance(shapely.Point(34.28, 51.272)) == 0


def test_the_november_salient_is_within_ukraines_own_claim() -> None:
    # Ukrainian General Staff source to Reuters, 23 Nov 2024: "now we control approximately
    # 800 km²" (held and contested together); Sudzha stayed Ukrainian-held until March 2025.
    gdf = frontline.snapshot("2024-11-19").set_index("class")
    held_km2 = gdf.loc["ukrainian_held_in_russia", "area_km2"]
    grey_km2 = gdf.loc["grey_zone", "area_km2"]
    assert held_km2 > 500
    assert held_km2 + grey_km2 < 800
    held = _union("2024-11-19", ("ukrainian_held_in_russia",))
    assert held.contains(shapely.Point(35.271, 51.191))  # Sudzha
