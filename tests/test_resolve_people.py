"""People are no places: given name + surname, a later bare surname, "X said", titles."""

from __future__ import annotations

import pytest

from geo.places.people import find_people
from geo.places.resolve import places_from_text


def surfaces(text: str) -> set[str]:
    return {s for row in places_from_text(text)["surfaces"] for s in row}


@pytest.mark.parametrize(
    ("text", "not_place", "place"),
    [
        ("Georgia Stevens opened a bakery in Atlanta.", "Georgia", "Atlanta"),
        ("Chad Smith played a show in Denver.", "Chad", "Denver"),
        ("Jordan Peterson spoke to students in Toronto.", "Jordan", "Toronto"),
        # Once "Carl Lincoln" is named, a bare "Lincoln" is the person.
        ("Carl Lincoln coached in Omaha for years. Lincoln retired in May.", "Lincoln", "Omaha"),
        # "X said" with a common surname is a person.
        ("The mayor of Tulsa resigned. Moore said the vote was unfair.", "Moore", "Tulsa"),
        # After a title, a capitalised word is a person.
        ("Gov. Perry visited Houston on Monday.", "Perry", "Houston"),
        # A small region named like a person's surname is the person (Flores, Uruguay).
        ("Maria Flores moved to Austin. Flores said she loved it.", "Flores", "Austin"),
    ],
)
def test_people_are_not_places(text: str, not_place: str, place: str) -> None:
    found = surfaces(text)
    assert not_place not in found and place in found


def test_a_surname_said_with_its_state_stays_a_place() -> None:
    text = "Tom Jones flew home. Storms hit Jones, Oklahoma, overnight."
    assert "Jones" in surfaces(text)


def test_a_country_stays_a_country_after_a_namesake_person() -> None:
    text = "Michael Jordan visited Amman. Jordan welcomed more tourists this year."
    found = places_from_text(text)
    assert "JO" in set(found["country_code"])


def test_find_people_reports_spans_and_surnames() -> None:
    text = "President Barack Obama met George W. Bush near Virginia Beach."
    people = find_people(text)
    assert {text[a:b] for a, b in people.spans} == {"Barack Obama", "George W. Bush"}
    assert people.surnames == {"obama", "bush"}


def test_confidence_is_lower_for_a_small_town_named_like_a_surname() -> None:
    found = places_from_text("Officials in Ukraine said Kyiv and Bristow were quiet.")
    conf = dict(zip(found["name"], found["confidence"], strict=True))
    assert conf["Ukraine"] >= 0.9
    assert conf.get("Bristow", 0.0) < 0.9  # or no place at all: no place cue is near it


@pytest.mark.parametrize(
    ("text", "not_place", "place"),
    [
        ("United Russia won most seats in Moscow.", "Russia", "Moscow"),
        ("Air Canada Cargo added flights to Toronto.", "Canada", "Toronto"),
        ("The Washington Times sent a reporter to Dallas.", "Washington", "Dallas"),
    ],
)
def test_places_inside_organisation_names_are_not_places(
    text: str, not_place: str, place: str
) -> None:
    found = surfaces(text)
    assert not_place not in found and place in found


def test_countries_named_united_are_still_countries() -> None:
    found = places_from_text("The United States and the United Kingdom met.")
    assert set(found["code"]) == {"US", "GB"}


@pytest.mark.parametrize(
    "text",
    [
        # "In" and "So" are in the census lists of given names, but open sentences too.
        "Jobs fell. In Columbus, firefighters agreed to a pay freeze.",
        "So Columbus firefighters agreed to a pay freeze.",
    ],
)
def test_a_sentences_first_function_word_is_no_given_name(text: str) -> None:
    assert "Columbus" in surfaces(text)
    assert find_people(text).spans == ()


@pytest.mark.parametrize(
    ("text", "kept"),
    [
        # A common surname that only villages bear is a person when nothing says place ...
        ("Welch told the board the budget was late.", False),
        ("Welch and Sullivan told the board on Monday.", False),
        # So does a county's bare name ("Braxton" for Braxton County).
        ("Braxton and Welch told the board on Monday.", False),
        # ... and a place after "in", "of" or with its state.
        ("Officers found the car in Welch overnight.", True),
        ("Dana Smith, 43, of Welch was charged.", True),
        ("The mine near Welch, West Virginia, closed.", True),
    ],
)
def test_a_villages_surname_name_needs_a_place_cue(text: str, kept: bool) -> None:
    assert ("Welch" in surfaces(text)) is kept
    assert not {"Sullivan", "Braxton"} & surfaces(text)
