"""Countries and first-level regions beat their small namesakes unless the text says otherwise.

Local evidence for the small place ("X, State", its state named) makes it win; local
homonyms (counties included) follow the article's other places.
"""

from __future__ import annotations

import pytest

from geo.places.resolve import places_from_text


def reading(text: str, surface: str) -> tuple[str, str | None, str | None]:
    found = places_from_text(text)
    rows = found[found["surfaces"].apply(lambda s: surface in s)]
    assert len(rows) == 1, found[["name", "surfaces"]]
    row = rows.iloc[0]
    return row["kind"], row["country_code"], row["admin1_code"]


@pytest.mark.parametrize(
    ("text", "surface", "kind", "country"),
    [
        # A US article naming a country: the country, not the small US town of that name.
        ("Ohio farmers said exports to China fell after Dayton talks.", "China", "country", "CN"),
        ("Officials in Pittsburgh expect tourists from Egypt.", "Egypt", "country", "EG"),
        (
            "Jordan and Lebanon closed their borders as Iran and Israel traded strikes.",
            "Jordan",
            "country",
            "JO",
        ),
        (
            "Jordan and Lebanon closed their borders as Iran and Israel traded strikes.",
            "Lebanon",
            "country",
            "LB",
        ),
        # A state's own name beats a town of that name in another state.
        ("Baltimore officials flew to California for the summit.", "California", "region", "US"),
        # Georgia next to Tbilisi is the country; next to Atlanta it is the US state.
        ("Protesters marched in Tbilisi as Georgia's parliament met.", "Georgia", "country", "GE"),
        ("Traffic in Atlanta slowed as Georgia's legislature met.", "Georgia", "region", "US"),
    ],
)
def test_countries_and_regions_beat_their_namesakes(
    text: str, surface: str, kind: str, country: str
) -> None:
    assert reading(text, surface)[:2] == (kind, country)


@pytest.mark.parametrize(
    ("text", "surface", "admin1"),
    [
        # "X, State" is local evidence for the small place.
        ("The fair opened in Lebanon, Pennsylvania, on Friday.", "Lebanon", "US-PA"),
        # So is the town's state named elsewhere in the article.
        ("Texas officials said Palestine will host the rodeo.", "Palestine", "US-TX"),
    ],
)
def test_local_evidence_makes_the_small_namesake_win(text: str, surface: str, admin1: str) -> None:
    kind, country, found_admin1 = reading(text, surface)
    assert (kind, country, found_admin1) == ("city", "US", admin1)


def test_a_county_follows_its_state_named_in_the_article() -> None:
    text = "Deputies in Orange County searched the hills. California officials sent help."
    assert reading(text, "Orange County")[2] == "US-CA"


def test_a_countys_bare_name_is_the_county_next_to_its_state() -> None:
    text = "Schools in DeKalb reopened. Georgia officials praised the Atlanta area."
    found = places_from_text(text)
    row = found[found["surfaces"].apply(lambda s: "DeKalb" in s)].iloc[0]
    assert row["admin1_code"] == "US-GA"


def test_a_city_of_a_tenth_of_its_namesake_regions_people_is_a_namesake() -> None:
    # Ontario, California has ~180,000 people; the province of Ontario ~14 million.
    found = places_from_text("Farmers in Ontario expect a late harvest.")
    assert list(found["code"]) == ["CA-ON"]


@pytest.mark.parametrize(
    ("text", "surface", "admin1"),
    [
        # A state named among other states is the state, not its namesake county or town
        # in one of them: the other states are peers, not local evidence.
        (
            "Farm incomes in Missouri rose, trailing only Texas, while Oklahoma fell.",
            "Texas",
            "US-TX",
        ),
        ("Sales climbed in Ohio, while Kentucky's fell.", "Ohio", "US-OH"),
        ("Drivers from mid-Ohio headed west to Wyoming.", "Wyoming", "US-WY"),
        # Bare "Delaware" is the state, not one of the Delaware Counties.
        ("The fund is a Delaware company owned by investors in Indiana.", "Delaware", "US-DE"),
    ],
)
def test_a_state_among_states_beats_its_namesake_county_or_town(
    text: str, surface: str, admin1: str
) -> None:
    assert reading(text, surface) == ("region", "US", admin1)


def test_a_list_of_countries_is_no_place_and_its_container() -> None:
    # "Russia, U.S. officials" lists two countries: no village of Russia, Ohio.
    text = "He had worked for years in Russia, U.S. officials said on Wednesday."
    assert reading(text, "Russia")[:2] == ("country", "RU")


def test_a_town_and_its_state_still_make_the_town() -> None:
    assert reading("The plant in Russia, Ohio, closed.", "Russia") == ("city", "US", "US-OH")


def test_a_region_listed_with_its_countrys_regions_beats_a_namesake_near_its_own_state() -> None:
    # Queensland is also a hamlet in Alberta; said beside New South Wales it is the state.
    text = (
        "Hospitals in New South Wales and Queensland are full, said a nurse who moved to Alberta."
    )
    assert reading(text, "Queensland")[:2] == ("region", "AU")


@pytest.mark.parametrize(
    "text",
    [
        "Canada signed the pact in Tokyo; Canadian companies in Asia will gain.",
        "Canadian exporters met in Sydney and Melbourne, far from Ottawa.",
    ],
)
def test_a_demonym_is_its_country_not_a_town_of_that_name(text: str) -> None:
    # Canadian, Victoria (Australia) and Canadian, Texas are namesakes of the demonym.
    assert reading(text, "Canadian")[:2] == ("country", "CA")


@pytest.mark.parametrize(
    ("text", "surface", "code"),
    [
        # A region's own name, shared with a city of a tenth of its people, is the region...
        ("Ministers in Montreal asked the Quebec government for funds.", "Quebec", "CA-QC"),
        ("Typhoon warnings were issued for Okinawa and Tokyo.", "Okinawa", "JP-47"),
    ],
)
def test_a_regions_own_name_beats_its_much_smaller_city(text: str, surface: str, code: str) -> None:
    found = places_from_text(text)
    row = found[found["surfaces"].apply(lambda s: surface in s)].iloc[0]
    assert (row["kind"], row["code"]) == ("region", code)


def test_an_oblasts_bare_name_is_still_its_city() -> None:
    # ... but a bare "Kursk" (Kursk Oblast's name without "Oblast") is the city.
    assert reading("Shelling hit Kursk overnight.", "Kursk")[0] == "city"


def test_a_state_is_near_the_places_inside_it() -> None:
    # Las Vegas is far from Nevada's centre point but inside the state.
    text = (
        "A chain based in Des Moines runs 40 shops in Iowa and 12 in Nevada, most near Las Vegas."
    )
    assert reading(text, "Nevada") == ("region", "US", "US-NV")


def test_a_name_said_as_a_city_is_a_city_in_the_whole_article() -> None:
    # "The city of Lebanon" is one of the US towns, and so is the later bare "Lebanon".
    text = "The city of Lebanon approved its budget. Lebanon police were praised."
    assert reading(text, "Lebanon")[:2] == ("city", "US")
