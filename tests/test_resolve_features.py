"""Natural features and partial spans: the longest name wins, a river is no town."""

from __future__ import annotations

import json

import pytest

from geo import settings
from geo.places.resolve import places_from_text

FEATURES = json.loads(settings.data_path("gazetteer", "features.json").read_text("utf-8"))


def readings(text: str) -> list[tuple[str, str]]:
    return [(r["name"], r["kind"]) for _, r in places_from_text(text).iterrows()]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Tankers crossed the Indian Ocean in May.", [("Indian Ocean", "water")]),
        ("Spills fouled creeks in the Niger Delta.", [("Niger Delta", "region")]),
        ("Missiles flew over the Korean Peninsula.", [("Korean Peninsula", "region")]),
        ("North American exports fell.", [("North America", "continent")]),
        ("Rangers patrolled the Gobi Desert.", [("Gobi Desert", "region")]),
    ],
)
def test_the_longest_name_wins(text: str, expected: list[tuple[str, str]]) -> None:
    assert readings(text) == expected


def test_a_name_said_as_a_river_is_the_river_not_the_town() -> None:
    found = readings("Troops crossed the Oskil river near Kupiansk.")
    assert ("Oskil", "water") in found and ("Oskil", "city") not in found


def test_an_unknown_river_is_not_its_namesake_state() -> None:
    assert readings("Barges sank in the Tennessee River.") == []


@pytest.mark.parametrize("feature", FEATURES, ids=[f["name"] for f in FEATURES])
def test_every_feature_entry_is_valid(feature: dict[str, object]) -> None:
    assert feature["kind"] in ("water", "region", "continent")
    assert -90 <= float(feature["lat"]) <= 90 and -180 <= float(feature["lon"]) <= 180  # type: ignore[arg-type]
    assert isinstance(feature["aliases"], list)


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("Storms battered Cornwall overnight.", "GB-CON"),
        ("Ferries to the Isle of Wight were cancelled.", "GB-IOW"),
        ("Power cuts hit the Shetland Islands.", "GB-ZET"),
    ],
)
def test_uk_counties_and_islands_are_regions(text: str, code: str) -> None:
    found = places_from_text(text)
    assert list(found["code"]) == [code]
    assert list(found["kind"]) == ["region"]


def test_a_us_town_named_like_a_uk_county_follows_its_state() -> None:
    found = places_from_text("Deputies in Kent, Ohio arrested a man.")
    assert found.iloc[0]["admin1_code"] == "US-OH"


@pytest.mark.parametrize(
    ("text", "surface"),
    [
        ("Satellite images showed Al Minhad Air Base.", "Al Minhad Air Base"),
        ("Jets took off from Kursk East at dawn.", "Kursk East"),
    ],
)
def test_military_bases_and_airfields_are_points_of_interest(text: str, surface: str) -> None:
    found = places_from_text(text)
    row = found[found["surfaces"].apply(lambda s: surface in s)].iloc[0]
    assert row["kind"] == "poi"


@pytest.mark.parametrize(
    ("text", "absent"),
    [
        ("Ranchers near Tennessee Colony lost cattle.", "Tennessee"),
        ("Ohio University raised its fees.", "Ohio"),
    ],
)
def test_a_name_inside_a_longer_unknown_name_is_dropped(text: str, absent: str) -> None:
    found = {s for row in places_from_text(text)["surfaces"] for s in row}
    assert absent not in found


def test_new_york_state_is_still_new_york() -> None:
    found = places_from_text("Voters across New York State went to the polls.")
    assert len(found) == 1


def test_a_name_that_says_it_is_water_is_the_water() -> None:
    # Egypt's and Sudan's Red Sea regions are named after the sea; the text means the sea.
    found = places_from_text("A cargo ship sank in the Red Sea, an Egyptian official said.")
    row = found[found["surfaces"].apply(lambda s: "Red Sea" in s)].iloc[0]
    assert row["kind"] == "water"


@pytest.mark.parametrize(
    ("text", "not_code"),
    [
        # The longest name wins: a lake or gulf we do not know is not the place it is named
        # after.
        ("Sailors crossed Lake Ontario in a storm.", "CA-ON"),
        ("Storms formed over the Gulf of Alaska this week.", "US-AK"),
    ],
)
def test_a_name_inside_an_unknown_features_name_is_not_that_place(text: str, not_code: str) -> None:
    assert not_code not in set(places_from_text(text)["code"])


def test_a_river_is_not_the_county_named_after_it() -> None:
    # "Red River" is also Red River County's bare name; said alone it is the river.
    found = places_from_text("The Red River will crest on Friday, forecasters in Fargo said.")
    assert "Red River County" not in set(found["name"])
