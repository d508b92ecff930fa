"""The dashboard's weapon controls, driven headless by ``AppTest``: an inferred scenario edited.

An article about North Korean launches (written for this test) is pasted; the reader adds a
weapon by name, types a launch place that does not exist, and counts reach in Japan too.
"""

from __future__ import annotations

import re
import shutil
import subprocess

import pytest
from streamlit.testing.v1 import AppTest
from test_layers_safe import EVALUATED, PAYLOADS, hostile_layers, shown_texts

from geo.scenario import default_spec
from layers.click_place import (
    Pin,
    clicked_point,
    format_pins,
    parse_pins,
    with_pins,
    without_pins,
)
from layers.streamlit_map import base_page, overlay_script
from layers.web_map import base_window, focus_bounds

APP = "../app.py"
KOREA_ARTICLE = (
    "North Korea fires KN-23 missiles from near Pyongyang\n\n"
    "SEOUL, March 3, 2025 - North Korea launched two KN-23 missiles from an area near "
    "Pyongyang on Monday, the military in Seoul said. Analysts say the KN-23 puts all of "
    "South Korea within reach."
)


def korea_app(**query: str) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=90)
    for key, value in query.items():
        at.query_params[key] = value
    at.session_state["article_text"] = KOREA_ARTICLE  # pasted before the first run
    at.session_state["open_add_weapon"] = True  # the "Add a weapon" expander
    at.run()
    assert not at.exception
    return at


def plain(markdown: str) -> str:
    return re.sub(r"\\(.)", r"\1", markdown).replace("\u2060", "")


def summary(at: AppTest) -> str:
    return " ".join(plain(m.value) for m in at.main.markdown)


def sidebar_errors(at: AppTest) -> list[str]:
    return [plain(e.value) for e in at.sidebar.error]


def add_weapon(at: AppTest, name: str, *, km: float = 0.0, where: str = "") -> AppTest:
    at.text_input(key="add_weapon_name").input(name)
    at.number_input(key="add_weapon_km").set_value(km)
    at.text_input(key="add_weapon_from").input(where)
    next(b for b in at.sidebar.button if b.label == "Add weapon").click().run()
    assert not at.exception
    return at


def test_an_article_shows_its_weapon_with_its_launch_place_and_counted_country() -> None:
    at = korea_app()
    assert at.multiselect(key=_key(at, "from_kn-23")).value == ["Pyongyang"]
    assert "KN-23 690 km: " in summary(at) and " of KR " in summary(at)
    assert at.multiselect(key=_key(at, "count_in")).value == ["KR"]
    assert not any(k.startswith("from-") for k in at.query_params)


def test_a_catalogue_weapon_added_by_name_is_drawn_with_its_range_and_kept_in_the_link() -> None:
    at = add_weapon(korea_app(), "Fattah")
    assert "Fattah 1400 km: " in summary(at)
    assert at.query_params["add"] == "Fattah"
    assert at.query_params["from-fattah"] == "Pyongyang"
    assert at.multiselect(key=_key(at, "from_fattah")).value == ["Pyongyang"]


def test_a_weapon_of_any_name_needs_a_range_and_the_map_stays_without_it() -> None:
    at = add_weapon(korea_app(), "Qwxz Missile")
    assert any("give its range" in e for e in sidebar_errors(at))
    assert "Qwxz" not in summary(at)
    at = add_weapon(at, "Qwxz Missile", km=450, where="Sinpo")
    assert "Qwxz Missile 450 km: " in summary(at)


def test_a_launch_place_that_does_not_exist_is_refused_at_its_control() -> None:
    at = korea_app()
    at.multiselect(key=_key(at, "from_kn-23")).set_value(["Qwxzyplk Nowhere"]).run()
    assert not at.exception
    errors = sidebar_errors(at)
    assert any("Qwxzyplk" in e for e in errors), errors
    assert "KN-23 690 km: " in summary(at)
    assert [e.value for e in at.main.error] == []


def test_counting_reach_in_japan_too_is_in_the_summary_and_the_link() -> None:
    at = korea_app()
    at.multiselect(key=_key(at, "count_in")).set_value(["KR", "JP"]).run()
    assert not at.exception
    assert at.query_params["count"] == "KR,JP"
    assert "KN-23 690 km: " in summary(at) and " of KR, JP " in summary(at)


def test_a_share_link_restores_the_edited_launch_place_and_range() -> None:
    at = korea_app(**{"from-kn-23": "Sinpo", "kn-23": "900"})
    assert at.multiselect(key=_key(at, "from_kn-23")).value == ["Sinpo"]
    assert "KN-23 900 km: " in summary(at)


def _key(at: AppTest, prefix: str) -> str:
    """Return the key of the one multiselect whose key starts with ``prefix``."""
    keys = [m.key for m in at.multiselect if m.key and m.key.startswith(prefix)]
    assert len(keys) == 1, [m.key for m in at.multiselect]
    return keys[0]


def test_a_war_without_a_frontline_keeps_the_articles_date_and_offers_no_snapshot() -> None:
    at = korea_app()
    captions = " ".join(plain(c.value) for c in at.main.caption)
    assert "As of 2025-03-03" in captions and "Frontline of" not in captions
    assert not [s for s in at.sidebar.select_slider if s.label == "Snapshot date"]
    assert not [e for e in at.main.expander if "Frontline history" in e.label]


# --- click-to-place -------------------------------------------------------------------


def test_pins_go_through_the_share_link_unchanged() -> None:
    pins = [Pin("ATACMS", 150, 50.06419, 23.99414), Pin("My, missile", 40.5, -33.9, 18.4)]
    text = format_pins(pins)
    assert text == "50.0642,23.9941,150,ATACMS;-33.9000,18.4000,40.5,My, missile"
    assert parse_pins(text) == (pins, [])


@pytest.mark.parametrize(
    ("value", "problem"),
    [
        ("95,24,150,ATACMS", "latitude must be within -90..90"),
        ("50,24,0,ATACMS", "range must be"),
        ("50,24,150", "a pin is 'lat,lon,km,weapon'"),
        ("50,x,150,ATACMS", "could not convert"),
        ("50,24,150, ", "weapon name must be 1 to"),
    ],
)
def test_a_bad_pin_is_named_and_left_out(value: str, problem: str) -> None:
    pins, problems = parse_pins(f"50,24,150,ATACMS;{value}")
    assert pins == [Pin("ATACMS", 150, 50, 24)]
    assert len(problems) == 1 and problem in problems[0]


def test_a_click_on_a_wrapped_world_copy_is_read_back_to_the_first() -> None:
    assert Pin("ATACMS", 300, 50.0, 24.0 + 360.0).lon == pytest.approx(24.0)
    assert clicked_point({"last_clicked": {"lat": 50.0, "lng": 24.0}}) == (50.0, 24.0)
    assert clicked_point({"last_clicked": None}) is None


def test_each_pin_is_a_weapon_fired_from_its_point_and_can_be_taken_out() -> None:
    spec = default_spec()
    pins = [Pin("ATACMS", 150, 50.0, 24.0), Pin("ATACMS", 300, 48.5, 35.0)]
    placed = with_pins(spec, pins)
    added = placed.weapons[len(spec.weapons) :]
    assert [w.name for w in added] == ["ATACMS #1", "ATACMS #2"]
    assert [w.ranges_km for w in added] == [(150.0,), (300.0,)]
    assert [w.launch_areas for w in added] == [("50.0000,24.0000",), ("48.5000,35.0000",)]
    assert without_pins(placed, pins) == spec


@pytest.mark.skipif(shutil.which("node") is None, reason="needs node for the syntax check")
def test_the_map_script_shows_every_hostile_text_literally_and_parses() -> None:
    layers = hostile_layers(PAYLOADS)
    fit = focus_bounds(layers)
    window = base_window(fit)
    base = base_page(layers, window=window)
    script = overlay_script(layers, window=window, fit=fit, base=base, placing=True)
    page = base.script + base.header + base.html + script
    for mark in EVALUATED:
        assert mark not in page
    assert not re.search(r"<(img|svg|iframe|script)\b[^>]*(onerror|onload|javascript:)", page)
    texts = shown_texts(script)
    for payload in PAYLOADS:  # tooltips, popups, labels, layer names, legend
        assert sum(payload in t for t in texts) >= 5, payload
    for code in (base.script, script):  # what the frontend evaluates is valid JavaScript
        checked = subprocess.run(
            ["node", "--check"], input=code, text=True, capture_output=True, check=False
        )
        assert checked.returncode == 0, checked.stderr[:500]
