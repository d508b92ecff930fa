"""Any article, any war: the scenario is read from the text, not the Ukraine default.

The articles in ``tests/data/articles/`` were written for these tests (short, invented
reports in news style); the seed articles are read from ``../shared``.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

import pytest
import shapely
from pyproj import Geod
from shared_data import ARTICLE_IDS, read_article

from geo._errors import InputError
from geo.scenario import (
    Scenario,
    build_scenario,
    infer_scenario,
    spec_from_article,
    weapon_choice,
)
from geo.scenario.infer import NOT_IN_CATALOGUE

ARTICLES = Path(__file__).parent / "data" / "articles"
GEOD = Geod(ellps="WGS84")


@cache
def scenario(article: str) -> Scenario:
    text = (ARTICLES / article).read_text(encoding="utf-8")
    return build_scenario(infer_scenario(text, name=article))


# article, weapon, km, launch areas, counted countries, (target city, lon, lat)
THEATRES = [
    (
        "korea_kn23.txt",
        "KN-23",
        690,
        ("Pyongyang", "Sinpo"),
        ("KR", "JP"),
        ("Busan", 129.04, 35.10),
    ),
    (
        "iran_fattah.txt",
        "Fattah",
        1400,
        ("Tabriz", "Kermanshah"),
        ("IL",),
        ("Tel Aviv", 34.78, 32.08),
    ),
    ("taiwan_df17.txt", "DF-17", 1800, ("region:CN-FJ",), ("TW",), ("Taipei", 121.56, 25.04)),
    ("india_brahmos.txt", "BrahMos", 450, ("region:IN-RJ",), ("PK",), ("Lahore", 74.35, 31.55)),
    ("houthi_red_sea.txt", "Toufan", 1950, ("Al Ḩudaydah",), ("IL",), ("Eilat", 34.95, 29.56)),
    (
        "ukraine_atacms.txt",
        "ATACMS",
        300,
        ("ukraine-held",),
        ("RU",),
        ("Millerovo", 40.30, 48.95),
    ),
]


@pytest.mark.parametrize(("article", "weapon", "km", "launch", "count_in", "target"), THEATRES)
def test_each_war_is_drawn_from_the_shooters_launch_places(
    article: str,
    weapon: str,
    km: float,
    launch: tuple[str, ...],
    count_in: tuple[str, ...],
    target: tuple[str, float, float],
) -> None:
    spec = scenario(article).spec
    (choice,) = spec.weapons
    assert (choice.name, choice.ranges_km) == (weapon, (km,))
    assert choice.launch_areas == launch
    assert spec.count_in == count_in


@pytest.mark.parametrize(("article", "weapon", "km", "launch", "count_in", "target"), THEATRES)
def test_the_target_city_is_inside_the_ring_at_its_geodesic_distance(
    article: str,
    weapon: str,
    km: float,
    launch: tuple[str, ...],
    count_in: tuple[str, ...],
    target: tuple[str, float, float],
) -> None:
    sc = scenario(article)
    _, lon, lat = target
    ring = sc.ranges[sc.ranges["weapon"] == weapon].geometry.iloc[0]
    assert ring.contains(shapely.Point(lon, lat))
    launch_geom = sc.launch.union_all()
    if launch_geom.geom_type in ("Point", "MultiPoint"):  # independent check with pyproj
        d = min(
            GEOD.inv(p.x, p.y, lon, lat)[2] / 1000
            for p in getattr(launch_geom, "geoms", [launch_geom])
        )
        assert d <= km


@pytest.mark.parametrize("article", [t[0] for t in THEATRES[:-1]])
def test_no_ukrainian_frontline_or_russia_clip_outside_the_russia_ukraine_war(
    article: str,
) -> None:
    sc = scenario(article)
    assert not sc.spec.frontline
    assert len(sc.frontline) == 0
    assert sc.spec.clip != "RU" and "RU" not in sc.spec.count_in
    assert "Frontline" not in sc.attribution and "Regions" not in sc.attribution
    assert "Crimea" not in sc.attribution and "Natural Earth" in sc.attribution
    assert not any("held" in a for w in sc.spec.weapons for a in w.launch_areas)


def test_the_russia_ukraine_war_keeps_its_frontline() -> None:
    sc = scenario("ukraine_atacms.txt")
    assert sc.spec.frontline and len(sc.frontline) > 0
    assert sc.spec.date == "2024-11-19"
    assert "Frontline 2024-11-19" in sc.attribution


def test_the_flight_distance_is_not_taken_for_the_range() -> None:
    (choice,) = scenario("korea_kn23.txt").spec.weapons
    assert 600 not in choice.ranges_km
    assert "690 km" in choice.note


def test_a_weapon_the_catalogue_lacks_is_drawn_and_marked() -> None:
    (choice,) = scenario("houthi_red_sea.txt").spec.weapons
    assert choice.source == "text"
    assert NOT_IN_CATALOGUE in choice.note and "1,950" in choice.note


def test_geojson_properties_say_where_each_ring_is_fired_from() -> None:
    sc = scenario("iran_fattah.txt")
    assert sc.ranges["launch_from"].tolist() == ["Tabriz; Kermanshah"]
    assert set(sc.launch["weapon"]) == {"Fattah"}


def test_title_is_the_headline_and_date_the_articles() -> None:
    spec = scenario("taiwan_df17.txt").spec
    assert spec.title == "China holds drills with DF-17 missiles opposite Taiwan"
    assert spec.date == "2024-08-05"


@pytest.mark.parametrize("article_id", ARTICLE_IDS)
def test_seed_articles_still_fire_atacms_from_ukrainian_held_territory_into_russia(
    article_id: str,
) -> None:
    spec = spec_from_article(read_article(article_id), name=f"{article_id}.txt")
    atacms = next(w for w in spec.weapons if w.name == "ATACMS")
    assert atacms.launch_areas == ("ukraine-held",)
    assert spec.count_in == ("RU",) and spec.clip == "RU" and spec.frontline
    assert all(w.launch_areas == ("ukraine-held",) for w in spec.weapons)


@pytest.mark.parametrize(
    "text",
    [
        "Nothing happened in the village today.",
        "Officials in Seoul and Tokyo met on Tuesday to discuss trade.",
        "",
    ],
)
def test_no_strike_weapon_means_no_rings_and_a_plain_note(text: str) -> None:
    spec = infer_scenario(text)
    sc = build_scenario(spec)
    assert spec.weapons == () and len(sc.ranges) == 0
    assert any("No strike weapon" in n for n in sc.notes)
    assert "ATACMS" not in str(sc.summary)


def test_a_country_named_as_subject_of_a_launch_verb_is_the_shooter() -> None:
    text = (
        "Pakistan test-fired a Babur cruise missile on Monday from a site near Karachi. "
        "The missile can strike targets 700 km away, officials in Islamabad said, "
        "reaching deep into India."
    )
    spec = infer_scenario(text)
    (choice,) = spec.weapons
    assert choice.name == "Babur" and choice.ranges_km == (700,)
    assert choice.launch_areas == ("Karachi",)
    assert spec.count_in == ("IN",)


def test_russias_weapons_in_the_war_fire_from_russian_held_territory() -> None:
    text = (
        "KYIV, November 19, 2024 — Russia launched Kinzhal missiles at Kyiv overnight, "
        "Ukraine's air force said. Ukraine has asked for more ATACMS to hit back."
    )
    spec = infer_scenario(text)
    by_name = {w.name: w for w in spec.weapons}
    assert by_name["Kinzhal"].launch_areas == ("russia-held",)
    assert by_name["ATACMS"].launch_areas == ("ukraine-held",)
    assert set(spec.count_in) == {"RU", "UA"} and spec.frontline


def test_a_country_named_in_passing_is_not_counted_as_a_target() -> None:
    text = (
        "Iran fires missiles at Israel\n\nApril 14, 2024 - Iran launched Kheibar Shekan "
        "missiles at Israel on Sunday. Iran has also sold drones to Russia for its war in "
        "Ukraine. Most missiles were intercepted over Jerusalem."
    )
    spec = infer_scenario(text)
    assert spec.count_in == ("IL",) and not spec.frontline
    assert spec.weapons[0].launch_areas == ("country:IR",)


def test_a_western_weapon_ukraine_may_receive_is_fired_from_ukrainian_held_territory() -> None:
    text = (
        "Tomahawks for Kyiv?\n\nOctober 10, 2025 - The United States is weighing sending "
        "Tomahawk cruise missiles to Ukraine. With a range of about 1,600 km they could reach "
        "Moscow, Russian officials warned."
    )
    spec = infer_scenario(text)
    (tomahawk,) = spec.weapons
    assert tomahawk.launch_areas == ("ukraine-held",) and tomahawk.ranges_km == (1600,)
    assert spec.count_in == ("RU",) and spec.frontline


@pytest.mark.parametrize(
    ("dateline", "snapshot", "gap"),
    [
        ("December 3, 2024", "2024-11-19", "14 days before the article's date 2024-12-03"),
        ("June 8, 2023", "2024-08-20", "439 days after the article's date 2023-06-08"),
    ],
)
def test_the_notes_say_how_far_the_frontline_date_is_from_the_articles(
    dateline: str, snapshot: str, gap: str
) -> None:
    text = f"KYIV, {dateline} — Ukraine fired ATACMS missiles at an airfield in Russia."
    spec = infer_scenario(text)
    assert spec.date == snapshot
    assert any(gap in note for note in spec.notes), spec.notes


def test_adding_a_weapon_by_name_fills_in_the_catalogue_range() -> None:
    assert weapon_choice("Fattah-2").ranges_km == (1400,)
    mine = weapon_choice("Zarkan-9", range_km=900, launch_areas=["Tabriz"])
    assert (mine.ranges_km, mine.launch_areas, mine.source) == ((900,), ("Tabriz",), "user")
    assert "not in the catalogue" in mine.note
    with pytest.raises(InputError, match="give its range"):
        weapon_choice("Zarkan-9")


@pytest.mark.parametrize(
    ("text", "weapon", "launch", "count_in"),
    [
        (
            "Carrier-killers moved\n\nJune 2, 2024 - China has deployed DF-21D anti-ship missiles "
            "on Hainan island, which can strike ships up to 1,500 km away, near the Philippines.",
            ("DF-21D", 1500),
            ("region:CN-HI",),
            ("PH",),
        ),
        (
            "Rockets fired\n\nMay 10, 2025 - Pakistan said it fired Zarb-7 rockets, which have "
            "a range of 400 kilometres, at Indian air bases near Amritsar.",
            ("Zarb-7", 400),
            ("country:PK",),
            ("IN",),
        ),
    ],
)
def test_launch_places_and_weapons_in_other_phrasings(
    text: str, weapon: tuple[str, float], launch: tuple[str, ...], count_in: tuple[str, ...]
) -> None:
    spec = infer_scenario(text)
    (choice,) = spec.weapons
    assert (choice.name, choice.ranges_km[0]) == weapon
    assert choice.launch_areas == launch and spec.count_in == count_in


def test_bases_in_the_target_countries_are_the_sites_counted() -> None:
    sc = scenario("iran_fattah.txt")
    in_range = set(sc.sites.loc[sc.sites["in_range"], "name"])
    assert "Nevatim Air Base" in in_range
    assert set(sc.sites["country_code"]) == {"IL"}
    assert int(sc.summary["sites_in_range"].iloc[0]) == len(in_range)
    korea = scenario("korea_kn23.txt").sites
    assert {"Osan Air Base", "Camp Humphreys"} <= set(korea.loc[korea["in_range"], "name"])
