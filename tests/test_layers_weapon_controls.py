"""The dashboard's weapon controls: a scenario's weapons ↔ control values ↔ share link."""

from __future__ import annotations

from dataclasses import replace

import pytest

from geo._errors import InputError, NotFoundError
from geo.scenario import ScenarioSpec, WeaponChoice
from layers import dashboard
from layers import weapon_controls as wc

KN23 = WeaponChoice("KN-23", (690.0,), source="catalogue", launch_areas=("Pyongyang",))
HWASONG = WeaponChoice("Hwasong-11", (300.0,), source="text", launch_areas=("country:KP",))
#: What an article about North Korean launches infers (written by hand, no gazetteer).
KOREA = ScenarioSpec(
    title="North Korea fires missiles",
    date="2025-03-03",
    weapons=(KN23, HWASONG),
    launch_areas=(),
    clip="KR",
    count_in=("KR",),
    frontline=False,
)
#: A Ukraine scenario whose weapons follow the scenario's launch areas.
UKRAINE = ScenarioSpec(weapons=(WeaponChoice("ATACMS", (165.0, 300.0)),))


def test_a_weapon_is_fired_from_its_own_areas_else_the_scenarios() -> None:
    assert wc.effective_areas(KOREA, KN23) == ("Pyongyang",)
    assert wc.effective_areas(UKRAINE, UKRAINE.weapons[0]) == ("ukraine-held",)


def test_launch_options_put_the_weapons_own_areas_first_and_frontline_areas_only_in_ukraine() -> (
    None
):
    options = wc.launch_options(KOREA, HWASONG)
    assert options[0] == "country:KP"
    assert "Pyongyang" in options
    assert "ukraine-held" not in options
    assert wc.launch_options(UKRAINE, UKRAINE.weapons[0])[:2] == ["ukraine-held", "kursk-salient"]


def test_changing_a_weapons_launch_areas_leaves_the_other_weapons_alone() -> None:
    edited = wc.with_launch_areas(KOREA, "KN-23", ["Sinpo", " 39.0,125.7 ", "Sinpo"])
    assert edited.weapons[0].launch_areas == ("Sinpo", "39.0,125.7")
    assert edited.weapons[1] == HWASONG


def test_no_launch_area_means_the_scenarios_when_it_has_some() -> None:
    pinned = wc.with_launch_areas(UKRAINE, "ATACMS", ["kursk-salient"])
    assert pinned.weapons[0].launch_areas == ("kursk-salient",)
    assert wc.with_launch_areas(pinned, "ATACMS", []).weapons[0].launch_areas == ()
    assert wc.weapon_share_params(pinned, inferred=UKRAINE) == {"from-atacms": "kursk-salient"}
    moved = replace(UKRAINE, launch_areas=("Sumy",))  # the scenario's areas, not the weapon's
    assert wc.weapon_share_params(moved, inferred=UKRAINE) == {}
    inferred = wc.with_launch_areas(UKRAINE, "ATACMS", ["Sumy"])
    assert wc.weapon_share_params(UKRAINE, inferred=inferred) == {"from-atacms": "-"}
    assert wc.url_edits(inferred, {"from-atacms": "-"}) == (UKRAINE, [])
    with pytest.raises(InputError, match="at least one launch area"):
        wc.with_launch_areas(KOREA, "KN-23", [])


def test_a_frontline_articles_shared_launch_areas_become_the_scenarios() -> None:
    article = ScenarioSpec(
        weapons=(
            WeaponChoice("ATACMS", (300.0,), launch_areas=("ukraine-held",)),
            WeaponChoice("Storm Shadow", (250.0,), launch_areas=("ukraine-held",)),
        ),
        launch_areas=(),
    )
    shared = wc.shared_launch_areas(article)
    assert shared.launch_areas == ("ukraine-held",)
    assert [w.launch_areas for w in shared.weapons] == [(), ()]
    assert wc.shared_launch_areas(KOREA) is KOREA
    mixed = replace(
        article, weapons=(article.weapons[0], replace(article.weapons[1], launch_areas=("Sumy",)))
    )
    assert wc.shared_launch_areas(mixed) is mixed


@pytest.mark.parametrize(
    ("areas", "match"),
    [
        ([], "at least one launch area"),
        ([" "], "at least one"),
        (["x"] * 3 + [str(i) for i in range(11)], "at most 10"),
    ],
)
def test_bad_launch_area_choices_are_refused_with_a_reason(areas: list[str], match: str) -> None:
    with pytest.raises(InputError, match=match):
        wc.with_launch_areas(KOREA, "KN-23", areas)


def test_an_unknown_weapon_is_named_with_the_ones_there_are() -> None:
    with pytest.raises(NotFoundError, match="KN-23, Hwasong-11"):
        wc.with_launch_areas(KOREA, "Taurus", ["Pyongyang"])


def test_count_in_sets_the_clip_for_one_country_and_none_for_several() -> None:
    one = wc.with_count_in(KOREA, ["jp"])
    assert (one.count_in, one.clip) == (("JP",), "JP")
    two = wc.with_count_in(KOREA, ["KR", "JP", "KR"])
    assert (two.count_in, two.clip) == (("KR", "JP"), None)
    assert wc.with_count_in(KOREA, ["KR"]) is KOREA


def test_the_default_scenarios_clip_is_what_is_counted_until_changed() -> None:
    assert wc.counted(UKRAINE) == ("RU",)
    assert wc.with_count_in(UKRAINE, ["RU"]) is UKRAINE
    everywhere = wc.with_count_in(UKRAINE, [])
    assert (everywhere.count_in, everywhere.clip, wc.counted(everywhere)) == ((), None, ())
    assert wc.weapon_share_params(everywhere, inferred=UKRAINE) == {"count": "-"}


@pytest.mark.parametrize(
    "codes", [["Korea"], ["K1"], ["{{7*7}}"], [f"{a}A" for a in "ABCDEFGHIJKLM"]]
)
def test_count_in_takes_only_a_few_two_letter_codes(codes: list[str]) -> None:
    with pytest.raises(InputError):
        wc.with_count_in(KOREA, codes)


def test_an_added_catalogue_weapon_gets_the_catalogue_range_and_the_first_weapons_areas() -> None:
    fattah = wc.added_weapon(KOREA, "fattah")
    assert fattah.name == "Fattah"
    assert fattah.ranges_km == (1400,)
    assert fattah.source == "catalogue"
    assert fattah.launch_areas == ("Pyongyang",)


def test_an_added_weapon_of_any_name_needs_its_range() -> None:
    mine = wc.added_weapon(KOREA, "  Hwasong  Test ", range_km=450, launch_areas=["Sinpo"])
    assert (mine.name, mine.ranges_km, mine.source, mine.launch_areas) == (
        "Hwasong Test",
        (450.0,),
        "user",
        ("Sinpo",),
    )
    with pytest.raises(InputError, match="give its range"):
        wc.added_weapon(KOREA, "Hwasong Test")


@pytest.mark.parametrize(
    ("name", "range_km", "match"),
    [
        ("", None, "1 to 60 characters"),
        ("x" * 61, 100, "1 to 60 characters"),
        ("kn-23", None, "already on the map"),
        ("Nameless", 0, "range must be"),
        ("Nameless", float("inf"), "range must be"),
        ("Nameless", 30_000, "range must be"),
    ],
)
def test_bad_added_weapons_are_refused_with_a_reason(
    name: str, range_km: float | None, match: str
) -> None:
    with pytest.raises(InputError, match=match):
        wc.added_weapon(KOREA, name, range_km=range_km)


def test_a_weapon_added_to_a_scenario_with_no_launch_area_must_say_where_from() -> None:
    empty = ScenarioSpec(weapons=(), launch_areas=(), count_in=("IL",), frontline=False)
    with pytest.raises(InputError, match="where the weapon is fired from"):
        wc.added_weapon(empty, "Fattah")
    assert wc.added_weapon(empty, "Fattah", launch_areas=["country:IR"]).launch_areas == (
        "country:IR",
    )


def test_share_link_names_only_what_the_reader_changed() -> None:
    assert wc.weapon_share_params(KOREA, inferred=KOREA) == {}
    spec = wc.with_launch_areas(KOREA, "KN-23", ["Sinpo", "39.0,125.7"])
    spec = wc.with_count_in(spec, ["KR", "JP"])
    spec = wc.with_added(spec, [wc.added_weapon(spec, "Zircon", range_km=900)])
    assert wc.weapon_share_params(spec, inferred=KOREA) == {
        "from-kn-23": "Sinpo;39.0,125.7",
        "count": "KR,JP",
        "add": "Zircon",
        "from-zircon": "Sinpo;39.0,125.7",
    }


def test_share_link_round_trips_through_the_url() -> None:
    spec = wc.with_launch_areas(KOREA, "Hwasong-11", ["Sinpo"])
    spec = wc.with_count_in(spec, [])
    spec = wc.with_added(spec, [wc.added_weapon(spec, "My Missile", range_km=820)])
    params = {
        **dashboard.share_params(
            spec, default_launch=(), shown=[], all_layers=[], hidden=(), view=None
        ),
        **wc.weapon_share_params(spec, inferred=KOREA),
    }
    assert params["count"] == "-"
    restored, problems = wc.url_edits(KOREA, params)
    assert problems == []
    assert restored == spec


def test_a_bad_url_value_is_ignored_with_a_message_and_the_rest_applies() -> None:
    params = {
        "from-kn-23": ";;",
        "count": "KR,Japan",
        "add": "Nameless;Fattah",
        "from-hwasong-11": "Sinpo",
    }
    restored, problems = wc.url_edits(KOREA, params)
    assert [w.name for w in restored.weapons] == ["KN-23", "Hwasong-11", "Fattah"]
    assert restored.weapons[1].launch_areas == ("Sinpo",)
    assert restored.count_in == ("KR",)
    assert len(problems) == 3
    assert any("from-kn-23" in p for p in problems)
    assert any("'Nameless'" in p and "give its range" in p for p in problems)


def test_url_lists_are_bounded() -> None:
    assert len(wc.parse_added(";".join(f"w{i}" for i in range(50)))) == wc.MAX_ADDED
    with pytest.raises(InputError, match="under 200 characters"):
        wc.parse_areas("a" * 201)


def test_captions_say_where_the_range_and_launch_areas_come_from() -> None:
    assert (
        wc.weapon_caption(KOREA, "Hwasong-11")
        == "range from the article; fired from KP (whole country)"
    )
    assert wc.weapon_caption(UKRAINE, "ATACMS").startswith(
        "range from the catalogue; fired from ukraine-held"
    )


def test_a_control_key_changes_with_the_articles_default_only() -> None:
    a = wc.control_key("from", "KN-23", ("Pyongyang",))
    assert a == wc.control_key("from", "KN-23", ("Pyongyang",))
    assert a != wc.control_key("from", "KN-23", ("Sinpo",))
    assert a.startswith("from_kn-23_")
