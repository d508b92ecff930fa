"""Recall of written forms: state abbreviations, St./Ft./Mt. names, datelines."""

from __future__ import annotations

import pytest

from geo.places.resolve import places_from_text


def by_surface(text: str) -> dict[str, tuple[str, str | None]]:
    found = places_from_text(text)
    return {
        s: (row["name"], row["admin1_code"]) for _, row in found.iterrows() for s in row["surfaces"]
    }


@pytest.mark.parametrize(
    ("text", "surface", "admin1"),
    [
        ("The plant in Wheeling, W.Va., will close.", "W.Va.", "US-WV"),
        ("Growers near Fresno, Calif., lost their crop.", "Calif.", "US-CA"),
        ("The ferry left Nanaimo, B.C., at noon.", "B.C.", "CA-BC"),
        ("Floods cut roads around Lismore, NSW, again.", "NSW", "AU-NSW"),
        ("Rep. Ann Cole, D-Mass., voted no.", "Mass.", "US-MA"),
    ],
)
def test_state_and_province_abbreviations_are_regions(text: str, surface: str, admin1: str) -> None:
    assert by_surface(text)[surface][1] == admin1


def test_a_short_abbreviation_needs_a_comma_before_it() -> None:
    assert "Pa." not in by_surface("Pa. said he would come home late.")


@pytest.mark.parametrize(
    ("text", "surface", "name"),
    [
        ("Fans in St. Louis celebrated.", "St. Louis", "St. Louis"),
        ("The ship docked in St. Petersburg on Friday.", "St. Petersburg", "Saint Petersburg"),
        ("Troops trained at Ft. Worth for a week.", "Ft. Worth", "Fort Worth"),
        # A word before St./Ste. may begin the name.
        ("She grew up in Sault Ste. Marie, Ontario.", "Sault Ste. Marie", "Sault Ste. Marie"),
        ("Farms near Fort St. John will flood.", "Fort St. John", "Fort St. John"),
    ],
)
def test_st_ft_mt_names_are_whole_places(text: str, surface: str, name: str) -> None:
    assert by_surface(text)[surface][0] == name


def test_an_abbreviation_after_a_town_is_its_container() -> None:
    found = by_surface("Crews reached Athens, Ga., by noon.")
    assert found["Athens"][1] == "US-GA"


def test_all_caps_datelines_are_places() -> None:
    found = places_from_text("KYIV — Air defences were active overnight.")
    assert list(found["name"]) == ["Kyiv"]


@pytest.mark.parametrize(
    ("text", "names"),
    [
        ("A Toronto-based lender grew.", ["Toronto"]),
        ("EU-Canada talks resumed.", ["European Union", "Canada"]),
        ("The Russia-Ukraine talks stalled.", ["Russia", "Ukraine"]),
        ("Flights to Guinea-Bissau resumed.", ["Guinea-Bissau"]),
        # Demonyms inside compounds name their countries ...
        ("Egyptian-US relations improved.", ["Egypt", "United States"]),
        ("Israeli-Egyptian trade grew.", ["Israel", "Egypt"]),
        # ... unless the compound names a group of people, not two countries.
        ("The African-American museum opened.", []),
        ("He called the vote un-American.", []),
        # A name found across the hyphenated word stays whole.
        ("A New York-based fund bought it.", ["New York"]),
    ],
)
def test_places_inside_hyphenated_words(text: str, names: list[str]) -> None:
    assert list(places_from_text(text)["name"]) == names


@pytest.mark.parametrize("surface", ["Côte d'Ivoire", "Cote d’Ivoire"])
def test_names_with_an_elided_french_article(surface: str) -> None:
    found = places_from_text(f"Cocoa prices in {surface} rose.")
    assert list(found["code"]) == ["CI"]


@pytest.mark.parametrize(
    ("text", "counties"),
    [
        (
            "Roads are closed in Becker, Clay and Otter Tail counties.",
            ["Becker County", "Clay County", "Otter Tail County"],
        ),
        ("Schools in Butler, Clark or Warren counties may apply.", None),
    ],
)
def test_each_name_of_a_list_of_counties_is_a_county(text: str, counties: list[str] | None) -> None:
    found = places_from_text(text)
    assert set(found["kind"]) == {"region"}
    assert all(name.endswith(" County") for name in found["name"])
    if counties is not None:
        assert list(found["name"]) == counties


@pytest.mark.parametrize(
    ("text", "surface"),
    [
        # A base named with a number, or with a lower-case type after its name.
        ("Drones struck Engels-2 overnight.", "Engels-2"),
        ("Explosions rocked Saky air base in Crimea.", "Saky air base"),
        ("Satellite images showed the Sinpo naval base.", "Sinpo naval base"),
    ],
)
def test_bases_named_with_a_number_or_a_lower_case_type(text: str, surface: str) -> None:
    found = places_from_text(text)
    row = found[found["surfaces"].apply(lambda s: surface in s)].iloc[0]
    assert row["kind"] == "poi"


def test_a_town_named_like_its_base_stays_the_town() -> None:
    found = by_surface("The Saky air base burned, and Saky residents fled.")
    assert found["Saky"][0] == "Saki"


@pytest.mark.parametrize(
    ("text", "surface", "name"),
    [
        # A lower-case direction before a city is a direction ...
        ("The victim was taken to an east London hospital.", "London", "London"),
        # ... but it may begin a region's name.
        ("Storms hit northern Ireland overnight.", "northern Ireland", "Northern Ireland"),
    ],
)
def test_a_lower_case_direction_begins_only_a_regions_name(
    text: str, surface: str, name: str
) -> None:
    assert by_surface(text)[surface][0] == name
