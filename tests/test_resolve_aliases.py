"""Junk alternate names are dropped: common words, surnames, other areas' names, big places'."""

from __future__ import annotations

import pytest

from geo.places import gazetteer
from geo.places.gazetteer import ALTERNATE, CITY, COUNTRY, REGION
from geo.places.names import normalise
from geo.places.resolve import places_from_text


@pytest.mark.parametrize(
    "text",
    [
        "More than a hundred people came.",
        "Since then, prices have doubled.",
        "From the start, the plan was clear.",
        "First, the council met in private.",
        "Area residents filled the hall.",
    ],
)
def test_common_words_are_no_alternate_names(text: str) -> None:
    assert len(places_from_text(text)) == 0


@pytest.mark.parametrize(("name", "code"), [("Mexico", "MX"), ("Chile", "CL"), ("Missouri", "US")])
def test_a_country_or_region_name_is_no_alias_of_a_city(name: str, code: str) -> None:
    ix = gazetteer.load_index()
    rows = ix.candidates(normalise(name))
    assert not [r for r, f in rows if ix.kind[r] == CITY and f == ALTERNATE]
    found = places_from_text(f"Officials in {name} announced new rules.")
    assert found.iloc[0]["kind"] in ("country", "region")
    assert found.iloc[0]["country_code"] == code


def test_no_alternate_name_of_a_city_is_a_common_surname() -> None:
    ix = gazetteer.load_index()
    for surname in ("hughes", "hall", "lewis"):
        assert not [r for r, f in ix.candidates(surname) if f == ALTERNATE], surname


def test_bare_region_names_that_are_common_words_are_dropped() -> None:
    ix = gazetteer.load_index()
    for word in ("central", "gulf", "free"):
        kinds = {int(ix.kind[r]) for r, _ in ix.candidates(word)}
        assert REGION not in kinds, word
    assert COUNTRY in {int(ix.kind[r]) for r, _ in ix.candidates("georgia")}


def test_no_alternate_name_of_a_city_is_made_of_generic_words() -> None:
    ix = gazetteer.load_index()
    for generic in ("north side", "west end", "old town", "downtown"):
        assert not [r for r, f in ix.candidates(generic) if f == ALTERNATE], generic


def test_a_state_keeps_its_own_name_when_a_foreign_province_shortens_to_it() -> None:
    # "Montana" is also Montana Province, Bulgaria (and an English word): the US state's
    # own name stays in the gazetteer.
    found = places_from_text("A rancher from Montana met a friend from Dallas.")
    assert "US-MT" in set(found["code"])


@pytest.mark.parametrize(
    "text",
    [
        "Families gathered at Christmas and prayed to Jesus.",
        "Officials said Hamas fired rockets; Hezbollah stayed out.",
        "The Islamic Centre and the Downtown Center held a vigil.",
        "Olympic officials thanked the Marines and the Red Cross.",
    ],
)
def test_holidays_religious_figures_armed_groups_and_generic_words_are_no_places(
    text: str,
) -> None:
    assert places_from_text(text).empty
