"""Mentions → places: context disambiguation, demonyms, the frame contract, geocode()."""

from __future__ import annotations

import pytest
from pyproj import Geod

from geo._errors import InputError, NotFoundError
from geo.places.resolve import COLUMNS, geocode, places_from_text

GEOD = Geod(ellps="WGS84")


def km(row: object, lat: float, lon: float) -> float:
    geom = row.geometry  # type: ignore[attr-defined]
    return float(GEOD.inv(lon, lat, geom.x, geom.y)[2]) / 1000.0


def place(text: str, name: str) -> object:
    found = places_from_text(text)
    rows = found[found["surfaces"].apply(lambda s: name in s)]
    assert len(rows) == 1, found[["name", "surfaces"]]
    return rows.iloc[0]


@pytest.mark.parametrize(
    ("text", "surface", "lat", "lon"),
    [
        # Washington in foreign-policy text is the US capital (38.895, -77.036).
        (
            "Washington imposed new sanctions on Iran and warned Beijing.",
            "Washington",
            38.9,
            -77.04,
        ),
        # Alexandria next to Cairo is in Egypt (31.20, 29.92).
        ("Protests spread from Cairo to Alexandria.", "Alexandria", 31.2, 29.92),
        # Alexandria next to Arlington is in Virginia (38.80, -77.05).
        ("Commuters from Arlington and Alexandria faced delays.", "Alexandria", 38.8, -77.05),
        # London, Ontario is in Canada (42.98, -81.25).
        ("She grew up in London, Ontario.", "London", 42.98, -81.25),
        # Odessa next to Texas cities is Odessa, Texas (31.85, -102.37).
        ("Oil workers in Midland and Odessa went on strike.", "Odessa", 31.85, -102.37),
        # Odessa next to Ukrainian cities is Odesa (46.48, 30.74).
        ("Air raid sirens sounded in Odessa and Mykolaiv.", "Odessa", 46.48, 30.74),
        # Paris, Texas is in Texas (33.66, -95.56).
        ("A storm hit Paris, Texas.", "Paris", 33.66, -95.56),
        # Orange County, California (33.7, -117.8), not the one in Virginia.
        ("Fires spread in Orange County, California.", "Orange County", 33.7, -117.8),
        # Paris with France named is Paris, France (48.86, 2.35).
        ("Paris said France would send more aid.", "Paris", 48.86, 2.35),
    ],
)
def test_context_decides_between_namesakes(text: str, surface: str, lat: float, lon: float) -> None:
    assert km(place(text, surface), lat, lon) < 30


def test_a_region_word_makes_the_whole_article_read_the_region() -> None:
    found = places_from_text("Kursk was shelled again. The Kursk region governor spoke.")
    assert list(found["admin1_code"]) == ["RU-KRS"]
    assert found.iloc[0]["kind"] == "region"
    assert found.iloc[0]["surfaces"] == ["Kursk", "Kursk region"]


@pytest.mark.parametrize(
    ("surface", "city", "lat", "lon"),
    [("Kremlin", "Moscow", 55.75, 37.62), ("Oval Office", "Washington", 38.9, -77.04)],
)
def test_buildings_stand_for_their_city(surface: str, city: str, lat: float, lon: float) -> None:
    row = place(f"The {surface} declined to comment.", surface)
    assert row["name"] == city and row["kind"] == "city"  # type: ignore[index]
    assert km(row, lat, lon) < 10


def test_demonyms_are_low_confidence_country_mentions() -> None:
    found = places_from_text("Polish farmers and Ukrainian drivers met in Lviv.")
    poland = found[found["code"] == "PL"].iloc[0]
    assert poland["demonym_only"] and poland["confidence"] <= 0.3
    assert not found[found["name"] == "Lviv"].iloc[0]["demonym_only"]


def test_the_frame_has_the_contract_columns_and_types() -> None:
    text = "Ukraine’s army held Kupiansk, east of Kharkiv."
    found = places_from_text(text)
    assert list(found.columns) == [*COLUMNS, "geometry"]
    assert found.crs.to_epsg() == 4326
    assert str(found["geonameid"].dtype) == "Int64" and str(found["population"].dtype) == "Int64"
    row = found[found["name"] == "Kharkiv"].iloc[0]
    assert row["mentions"] == [[text.index("Kharkiv"), text.index("Kharkiv") + 7]]
    assert row["sentence"] == text and row["country_code"] == "UA"
    assert 0 < row["confidence"] <= 1


def test_empty_text_gives_an_empty_frame() -> None:
    found = places_from_text("")
    assert len(found) == 0 and found.crs.to_epsg() == 4326


def test_geocode_a_name_and_a_region() -> None:
    assert km(geocode("Kharkiv").iloc[0], 49.99, 36.23) < 10
    assert geocode("Kursk region").iloc[0]["admin1_code"] == "RU-KRS"


def test_geocode_uses_context() -> None:
    assert km(geocode("Alexandria", context=["Virginia"]).iloc[0], 38.8, -77.05) < 30


def test_geocode_a_coordinate_pair() -> None:
    row = geocode("50.45, 30.52").iloc[0]
    assert (row.geometry.y, row.geometry.x) == (50.45, 30.52)


def test_geocode_unknown_names_raise_with_suggestions() -> None:
    with pytest.raises(NotFoundError, match="did you mean: kharkiv"):
        geocode("Kharkivv")


@pytest.mark.parametrize("query", ["", "   ", "91, 10"])
def test_geocode_rejects_empty_and_impossible_queries(query: str) -> None:
    with pytest.raises(InputError):
        geocode(query)
