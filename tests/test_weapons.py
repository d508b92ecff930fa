"""The weapons catalogue (every figure cited) and weapon/range mentions in text."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from geo import weapons
from geo._errors import InputError, NotFoundError


def read_article(shared_dir: Path, article_id: str) -> str:
    """Return a seed article (read from ../shared, never copied)."""
    return (shared_dir / "articles" / f"{article_id}.txt").read_text(encoding="utf-8")


def read_gold(shared_dir: Path, article_id: str) -> dict:
    """Return the hand-written gold answers of a seed article."""
    path = shared_dir / "articles" / "gold" / f"{article_id}.json"
    return dict(json.loads(path.read_text(encoding="utf-8")))


SYSTEMS = weapons.catalogue()


@pytest.mark.parametrize("system", SYSTEMS, ids=lambda s: s.id)
def test_every_catalogue_entry_is_complete_and_cited(system: weapons.WeaponSystem) -> None:
    assert system.type in weapons.TYPES
    assert all(re.fullmatch(r"[A-Z]{2}", c) for c in system.operators)
    assert system.ranges and sum(r.primary for r in system.ranges) == 1
    for figure in system.ranges:
        assert figure.max_km > 0
        assert figure.min_km is None or 0 <= figure.min_km < figure.max_km
        src = figure.source
        assert src.publisher and src.title and src.date
        assert re.fullmatch(r"https://[\w.-]+\.[a-z]{2,}/\S*", src.url)
        assert src.date == "n.d." or re.fullmatch(r"\d{4}-\d{2}(-\d{2})?", src.date)
    assert system.range_km_low <= system.range_km <= system.range_km_high
    assert all(launcher in {s.id for s in SYSTEMS} for launcher in system.launchers)


def test_aliases_are_unique_across_systems() -> None:
    owners: dict[str, str] = {}
    for system in SYSTEMS:
        for alias in {weapons._key(a) for a in system.aliases}:
            assert owners.setdefault(alias, system.id) == system.id, alias


@pytest.mark.parametrize(
    ("name", "low", "high"),
    [
        ("ATACMS", 165, 306),
        ("GMLRS", 70, 84),
        ("ER-GMLRS", 150, 150),
        ("GLSDB", 150, 150),
        ("Storm Shadow", 250, 560),
        ("SCALP", 250, 560),
        ("Taurus", 500, 500),
        ("Neptune", 280, 1000),
        ("Patriot", 40, 160),
        ("Iskander-M", 500, 500),
        ("Kh-101", 2500, 5500),
        ("Kinzhal", 480, 2000),
        ("PrSM", 500, 500),
        ("Fattah-2", 1400, 1400),
        ("Fateh-360", 120, 120),
        ("9M729", 2500, 2500),
        ("FP-5 Flamingo", 3000, 3000),
        ("KN-23", 450, 690),
        ("KN-24", 400, 400),
    ],
)
def test_the_figures_the_issue_names(name: str, low: float, high: float) -> None:
    system = weapons.find_weapon(name)
    assert (system.range_km_low, system.range_km_high) == (low, high)


@pytest.mark.parametrize(
    "name",
    ["DF-21D", "DF-26", "CJ-10", "Shahab-3", "Fateh-110", "Zolfaghar", "Kheibar Shekan",
     "Shahed-136", "Jericho", "LORA", "Iron Dome", "David's Sling", "Arrow 3", "Hyunmoo-2",
     "Hyunmoo-3", "KN-25", "Hwasong-15", "BrahMos", "Agni-V", "Prithvi", "Shaheen-III",
     "Ghauri", "Babur", "HIMARS", "Tomahawk", "Kalibr", "Kh-22", "Kh-32", "Oniks", "S-300",
     "S-400", "Lancet", "JASSM", "JASSM-ER", "Harpoon"],
)  # fmt: skip
def test_other_theatres_are_covered(name: str) -> None:
    assert weapons.find_weapon(name).range_km > 0


@pytest.mark.parametrize(
    ("name", "expected"),
    [("storm shadow", "storm-shadow"), ("Scalp-EG", "storm-shadow"), ("kh101", "kh-101")],
)
def test_find_weapon_ignores_case_and_dashes(name: str, expected: str) -> None:
    assert weapons.find_weapon(name).id == expected


def test_unknown_weapon_suggests_close_names() -> None:
    with pytest.raises(NotFoundError, match=r"unknown weapon 'Iskandr'.*Iskander"):
        weapons.find_weapon("Iskandr")


def test_the_seed_articles_weapons_match_the_gold(shared_dir: Path, article_id: str) -> None:
    gold = read_gold(shared_dir, article_id)["weapons"]
    text = read_article(shared_dir, article_id)
    found = {m.system.id: m for m in weapons.weapons_in_text(text)}
    for entry in gold:
        system = weapons.find_weapon(entry["name"])
        assert system.id in found, entry["name"]
        mention = found[system.id]
        if "range_km" in entry:
            assert mention.stated_range_km == pytest.approx(
                entry["range_km"], abs=entry["tolerance_km"]
            )
            assert mention.stated_range_text == entry["range_text"]
        if "operator" in entry:
            assert entry["operator"] in system.operators
        if entry.get("role") == "air defence":
            assert system.type == "air defence"
        for alias in entry.get("aliases", []):
            assert weapons.find_weapon(alias).id == system.id


def test_catalogue_and_stated_figures_are_both_kept(shared_dir: Path) -> None:
    mention = weapons.weapons_in_text(read_article(shared_dir, "000_6c64c68faa6e058a"))[0]
    record = mention.to_dict()
    assert record["catalogue_range_km"] == 300
    assert record["stated_range_km"] == pytest.approx(310)  # "about 190 miles": two figures


@pytest.mark.parametrize(
    ("text", "km", "low"),
    [
        ("can hit targets about 190 miles away", 310, None),
        ("can strike about 2,500 miles away", 4000, None),
        ("a range of 1,000 miles", 1600, None),
        ("a range of up to 300 kilometers", 300.0, None),
        ("a 500-km range", 500.0, None),
        ("a range of 1,500 to 2,000 km", 2000.0, 1500.0),
        ("a range of 1,000 km", 1000.0, None),
        ("it can strike 300km inside Russia", 300.0, None),
        ("a 186-mile missile", 299, None),
        ("a range of 2.5 kilometres", 2.5, None),
        ("a range of 100 nautical miles", 190, None),
        ("between 1500 and 2000 km range", 2000.0, 1500.0),
    ],
)
def test_stated_ranges_in_the_shapes_news_uses(text: str, km: float, low: float | None) -> None:
    (found,) = weapons.stated_ranges(text)
    assert found.km == pytest.approx(km, abs=0.05)
    assert found.low_km == (pytest.approx(low) if low else None)


@pytest.mark.parametrize(
    "text",
    [
        "The front line is 1,000 km long.",  # no range cue
        "They took 500 square kilometers in the range.",
        "Drones flew at 200 km/h to strike.",
        "The range covers 300 km² of land.",
    ],
)
def test_areas_speeds_and_plain_lengths_are_not_ranges(text: str) -> None:
    assert weapons.stated_ranges(text) == []


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Kyiv asked for more Patriots and other systems.", {"patriot"}),
        ("He is a true patriot.", set()),
        ("The Patriot Act was passed.", set()),
        ("Germany's Taurus missile system", {"taurus"}),
        ("Born under Taurus, she laughed.", set()),
        ("They fired Atacms and SCALPs.", {"atacms", "storm-shadow"}),
        ("LoRa radios were found.", set()),
        ("Russia launched Kh-101 and Kh 22 missiles.", {"kh-101", "kh-22"}),
    ],
)
def test_case_and_context_rules(text: str, expected: set[str]) -> None:
    assert {m.system.id for m in weapons.weapons_in_text(text)} == expected


def test_a_range_in_the_next_sentence_attaches_to_the_previous_weapon() -> None:
    text = "Kyiv may now use ATACMS. The weapons can hit targets about 190 miles away."
    (mention,) = weapons.weapons_in_text(text)
    assert mention.stated_range_text == "about 190 miles"


def test_a_range_attaches_to_the_weapon_named_just_before_it() -> None:
    text = "Taurus missiles reach 500 km, and Storm Shadow missiles reach 250 km."
    ranges = {m.system.id: m.stated_range_km for m in weapons.weapons_in_text(text)}
    assert ranges == {"taurus": 500, "storm-shadow": 250}


def test_abbreviations_do_not_split_sentences() -> None:
    text = "The U.S. sent ATACMS to Kyiv with a range of 300 km."
    assert weapons.weapons_in_text(text)[0].stated_range_km == 300


@pytest.mark.parametrize(
    ("toml", "message"),
    [
        ("[[systems]]\nid='x'\nname='X'\ntype='laser'\noperators=['US']\naliases=['X']\nranges=[]",
         "type must be one of"),
        ("[sources.s]\npublisher='P'\ntitle='T'\ndate='n.d.'\nurl='https://e.org/'\n"
         "[[systems]]\nid='x'\nname='X'\ntype='drone'\noperators=['USA']\naliases=['X']\n"
         "[[systems.ranges]]\nmax_km=1\nprimary=true\nsource='s'", "ISO alpha-2"),
        ("[[systems]]\nid='x'\nname='X'\ntype='drone'\noperators=['US']\naliases=['X']\n"
         "[[systems.ranges]]\nmax_km=1\nprimary=true\nsource='nowhere'", "unknown source"),
        ("[sources.s]\npublisher='P'\ntitle='T'\ndate='n.d.'\nurl='https://e.org/'\n"
         "[[systems]]\nid='x'\nname='X'\ntype='drone'\noperators=['US']\naliases=['X']\n"
         "[[systems.ranges]]\nmax_km=10\nmin_km=20\nprimary=true\nsource='s'", "min_km must"),
        ("[sources.s]\npublisher='P'\ntitle='T'\ndate='n.d.'\nurl='http://e.org/'", "https://"),
    ],
)  # fmt: skip
def test_malformed_catalogue_is_a_clear_error(tmp_path: Path, toml: str, message: str) -> None:
    path = tmp_path / "catalogue.toml"
    path.write_text(toml, encoding="utf-8")
    with pytest.raises(InputError, match=message):
        weapons.load_catalogue(path)


def test_non_text_input_is_a_clear_error() -> None:
    with pytest.raises(InputError, match="text must be a str"):
        weapons.weapons_in_text(b"ATACMS")  # type: ignore[arg-type]


def test_the_catalogue_validator_script_accepts_the_bundled_catalogue(
    capsys: pytest.CaptureFixture[str],
) -> None:
    import importlib.util

    from geo.settings import PROJECT_ROOT

    path = PROJECT_ROOT / "scripts" / "build_weapons.py"
    spec = importlib.util.spec_from_file_location("build_weapons", path)
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    assert module.main([]) == 0
    assert f"{len(SYSTEMS)} systems" in capsys.readouterr().out


def test_a_common_word_name_counts_where_another_mention_of_it_has_context() -> None:
    text = "Germany will send another Patriot system. Kyiv welcomed the Patriot."
    mention = weapons.weapons_in_text(text)[0]
    assert (mention.system.id, len(mention.spans)) == ("patriot", 2)


@pytest.mark.parametrize(
    "text",
    [
        "Jericho is a city in the West Bank. Israel tested a missile on Monday.",
        "Guests ate Tomahawk steak at the launch party. The navy fired two missiles.",
        "Air defence is short. Germany will send another Patriot. Kyiv welcomed it.",
    ],
)
def test_a_weapon_word_in_a_neighbouring_sentence_is_not_enough(text: str) -> None:
    assert weapons.weapons_in_text(text) == []


def test_launcher_defaults_and_anti_ship_klub() -> None:
    himars = weapons.find_weapon("HIMARS")
    assert himars.range_km == 70  # GMLRS, what news usually means
    assert {300, 500} <= {r.max_km for r in himars.ranges}
    assert weapons.find_weapon("SS-N-27").type == "anti-ship missile"
    assert weapons.find_weapon("Kalibr").type == "cruise missile"
    kinzhal = {r.max_km: r.variant for r in weapons.find_weapon("Kinzhal").ranges}
    assert "carrier" in kinzhal[2000] and "missile alone" in kinzhal[480]


@pytest.mark.parametrize(
    ("text", "km"),
    [
        ("The missiles flew about 600 km before falling into the sea.", None),
        ("It travelled 1,000 km in the test, though its range is 1,500 km.", 1500),
    ],
)
def test_a_flight_distance_is_not_a_range(text: str, km: float | None) -> None:
    assert [s.km for s in weapons.stated_ranges(text)] == ([km] if km else [])


@pytest.mark.parametrize(
    ("text", "name", "km"),
    [
        ("Tehran unveiled the Zarkan, a missile it says can travel 900 kilometers.", "Zarkan", 900),
        ("The group says its Samad-4 drone can fly about 1,800 km.", "Samad-4", 1800),
        ("The Iranian missile can travel 1,000 km.", None, None),
    ],
)
def test_weapons_the_catalogue_lacks_are_found_with_their_stated_range(
    text: str, name: str | None, km: float | None
) -> None:
    found = [(u.name, u.stated.km) for u in weapons.unlisted_weapons(text)]
    assert found == ([(name, km)] if name else [])
