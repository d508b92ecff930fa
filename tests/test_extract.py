"""Text → place mentions: what real news text does (own example sentences)."""

from __future__ import annotations

import pytest

from geo.places.extract import find_mentions, fuzzy_candidates, sentences
from geo.places.resolve import places_from_text


def names(text: str) -> list[str]:
    return sorted(places_from_text(text)["name"])


@pytest.mark.parametrize(
    ("text", "surface"),
    [
        ("Drones struck Ukraine’s Sumy region overnight.", "Sumy region"),
        ("Troops entered Russia's Kursk Oblast in August.", "Kursk Oblast"),
        ("Fighting continued in the Zaporizhzhia oblast.", "Zaporizhzhia oblast"),
        ("Shelling hit the New York suburbs.", "New York"),
        ("Ships crossed the Sea of Azov.", "Sea of Azov"),
    ],
)
def test_multiword_names_possessives_and_region_words(text: str, surface: str) -> None:
    assert surface in [m.surface for m in find_mentions(text)]


def test_mention_offsets_cover_the_surface() -> None:
    text = "Residents of “Kharkiv” and Odesa sheltered."
    for m in find_mentions(text):
        assert text[m.start : m.end] == m.surface


@pytest.mark.parametrize(
    ("text", "name"),
    [
        ("Missiles flew toward Kiev at dawn.", "Kyiv"),
        ("The port of Odessa was quiet.", "Odesa"),
        ("Soviet-era factories in Kharkov closed.", "Kharkiv"),
    ],
)
def test_alternate_and_transliterated_names(text: str, name: str) -> None:
    assert name in names(text)


def test_fuzzy_matching_finds_a_misspelt_region_near_its_country() -> None:
    found = places_from_text("Russian officials said Voronesh, a region of Russia, was hit.")
    assert "RU-VOR" in set(found["code"])
    assert found.loc[found["code"] == "RU-VOR", "confidence"].iloc[0] < 0.7


def test_fuzzy_matching_keeps_away_from_unrelated_capitalised_words() -> None:
    text = (
        "Senator Hargreaves told Bloomberg that Microsoft, Kellogg and Walgreens would "
        "meet Pemberton, Whitfield and Castellano about the Marathon in Pittsburg."
    )
    assert all(not m.fuzzy for m in find_mentions(text))


@pytest.mark.parametrize("word", ["belgorad", "kharkof"])
def test_fuzzy_candidates_are_close_spellings(word: str) -> None:
    hits = fuzzy_candidates(word)
    assert hits and all(score >= 85 for _, score in hits)


@pytest.mark.parametrize(
    "text",
    [
        "Florence Pugh and Austin Butler walked the red carpet.",
        "President Lincoln spoke on Friday in May.",
        "Taurus, Patriot and Tomahawk missiles, plus Storm Shadow and SCALP.",
        "NATO and Courthouse News reported it on Monday.",
        "Nice work: reading the Mobile app was a nice touch.",
        "Nice weather is expected.",
    ],
)
def test_things_that_are_not_places(text: str) -> None:
    assert names(text) == []


@pytest.mark.parametrize(
    ("text", "name"),
    [("They flew to Nice, France.", "Nice"), ("He commutes to Reading daily.", "Reading")],
)
def test_common_words_are_places_in_place_context(text: str, name: str) -> None:
    assert name in names(text)


def test_sentences_do_not_break_after_abbreviations() -> None:
    text = "The U.S. Army moved. Mr. Smith left on Jan. 20 for Kyiv."
    assert [text[a:b] for a, b in sentences(text)] == [
        "The U.S. Army moved.",
        "Mr. Smith left on Jan. 20 for Kyiv.",
    ]


@pytest.mark.parametrize(
    "text",
    [
        "Shelling hit K\u200bharkiv overnight.",  # zero-width space
        "Shelling hit Khar\u00adkiv overnight.",  # soft hyphen
        "Shelling hit Kh\u200carkiv\u200d overnight.",  # zero-width non-joiner and joiner
        "Shelling hit \ufeffKhar\u2060kiv overnight.",  # byte-order mark, word joiner
        "Shelling hit Kha\u0301rkiv overnight.",  # combining acute accent
    ],
)
def test_names_hiding_invisible_or_combining_characters_are_found(text: str) -> None:
    [mention] = find_mentions(text)
    assert mention.key == "kharkiv"
    assert text[mention.start : mention.end] == mention.surface
    assert "Kharkiv" in names(text)


@pytest.mark.parametrize(
    ("text", "surface"),
    [
        ("Troops left New\u00a0York.", "New\u00a0York"),  # no-break space inside a name
        ("Drones struck the Kursk\u200b region.", "Kursk\u200b region"),
        ("Drones struck Zu\u0308rich.", "Zu\u0308rich"),  # decomposed (NFD) umlaut
    ],
)
def test_multiword_and_decomposed_names_keep_their_exact_surface(text: str, surface: str) -> None:
    assert [m.surface for m in find_mentions(text)] == [surface]
