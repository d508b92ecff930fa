"""The dashboard's logic, driven headless by Streamlit's ``AppTest`` (no browser)."""

from __future__ import annotations

import json
import re
from collections.abc import Hashable
from functools import cache
from typing import Any

import pytest
from streamlit.testing.v1 import AppTest

from geo.scenario import build_scenario, default_spec
from layers.style import EXPORT_NAMES

APP = "../app.py"
XSS_ARTICLE = (
    "Ukraine fired Storm Shadow missiles, which fly 250 km, at targets near "
    "<img src=x onerror=alert(1)>Belgorod<script>alert(2)</script> on Tuesday."
)


@cache
def default_summary() -> dict[str, dict[Hashable, Any]]:
    """Return the figures the app must show per range label, computed without Streamlit."""
    summary = build_scenario(default_spec()).summary
    return {str(row["label"]): row for row in summary.to_dict(orient="records")}


def run_app(*, opened: tuple[str, ...] = ("open_figures",), **query: str) -> AppTest:
    """Run the app at a URL with ``query``, with the expanders ``opened`` open."""
    at = AppTest.from_file(APP, default_timeout=60)
    for key in opened:
        at.session_state[key] = True
    at.session_state["controls"] = "shown"  # the deferred first run: tests/test_app_first_run.py
    for key, value in query.items():
        at.query_params[key] = value
    return at.run()


def plain(markdown: str) -> str:
    """Return what Streamlit shows for escaped Markdown: the text without its backslashes."""
    return re.sub(r"\\(.)", r"\1", markdown).replace("\u2060", "")


def is_plain_text(markdown: str) -> bool:
    """Return whether every Markdown punctuation character of ``markdown`` is escaped."""
    bare = re.sub(r"\\.", "", markdown)
    return not re.search(r"[\[\]()!<>`*_{}$:&|~#]", bare)


def messages(at: AppTest, kind: str) -> list[str]:
    return [plain(m.value) for m in getattr(at, kind)]


def metric(at: AppTest, label: str) -> str:
    values = [m.value for m in at.metric if plain(m.label) == label]
    assert values, f"no metric {label!r}; have {[plain(m.label) for m in at.metric]}"
    return str(values[0])


def number(text: str) -> float:
    return float(re.sub(r"[^0-9.]", "", text))


def test_default_scenario_shows_the_bundled_figures() -> None:
    at = run_app()
    assert not at.exception
    assert [e.value for e in at.error] == []
    expected = default_summary()
    area = number(metric(at, "ATACMS 300 km: area of RU in range"))
    assert area == pytest.approx(float(expected["ATACMS 300 km"]["area_km2"]), rel=0.05)
    assert 300_000 < area < 500_000  # ~300 km deep along a ~1,300 km border
    sites = number(metric(at, "ATACMS 300 km: sites in range"))
    assert sites == int(expected["ATACMS 300 km"]["sites_in_range"])
    assert len(at.metric) == 3 * len(default_summary())


def test_changing_a_range_changes_the_in_range_figures() -> None:
    at = run_app()
    at.number_input(key="range_atacms_1").set_value(200).run()
    assert not at.exception
    labels = [plain(m.label) for m in at.metric]
    assert "ATACMS 300 km: area of RU in range" not in labels
    area_200 = number(metric(at, "ATACMS 200 km: area of RU in range"))
    area_300 = float(default_summary()["ATACMS 300 km"]["area_km2"])
    assert area_200 < 0.8 * area_300
    assert at.query_params["atacms"] in ("165,200", ["165,200"])


def test_ranges_in_the_url_are_applied() -> None:
    at = run_app(atacms="165,250", date="2024-11-19")
    assert not at.exception
    assert metric(at, "ATACMS 250 km: sites in range")
    assert at.number_input(key="range_atacms_1").value == 250


@pytest.mark.parametrize("bad", ["abc", "-5", "165,,300", "inf", "1e9", "1e-7", "nan", "20004"])
def test_a_bad_range_in_the_url_is_a_warning_not_an_error(bad: str) -> None:
    at = run_app(atacms=bad)
    assert not at.exception
    assert [e.value for e in at.error] == []
    assert any("atacms" in w for w in messages(at, "warning"))
    assert any("between 0.1 and 20,003 km" in w for w in messages(at, "warning"))
    assert metric(at, "ATACMS 300 km: sites in range")


def test_a_pasted_article_shows_its_weapons_and_its_text_verbatim() -> None:
    at = run_app()
    at.text_area(key="article_text").input(XSS_ARTICLE).run()
    assert not at.exception
    assert [e.value for e in at.error] == []
    labels = [plain(m.label) for m in at.metric]
    assert any(x.startswith("Storm Shadow") and "250 km: area" in x for x in labels), labels
    assert not [m for m in at.metric if m.label.startswith("Taurus")]
    assert any(XSS_ARTICLE in t.value for t in at.text)
    assert all("<script>" not in m.value for m in at.markdown)


def test_an_unknown_place_is_a_warning() -> None:
    at = run_app()
    at.text_input(key="add_place").input("Qwxzyplk Nowhere").run()
    assert not at.exception
    assert any("Qwxzyplk" in w for w in messages(at, "warning"))


def test_no_launch_area_is_a_message_at_the_control_and_the_last_map_stays() -> None:
    at = run_app()
    at.multiselect(key="launch").set_value([]).run()
    assert not at.exception
    assert any("launch area" in e for e in [plain(e.value) for e in at.sidebar.error])
    assert metric(at, "ATACMS 300 km: sites in range")
    assert [e.value for e in at.main.error] == []


def test_an_unknown_launch_place_is_a_message_at_the_control_and_the_last_map_stays() -> None:
    at = run_app()
    at.text_input(key="launch_place").set_value("Qwxzyplk Nowhere").run()
    assert not at.exception
    assert any("Qwxzyplk" in plain(e.value) for e in at.sidebar.error)
    assert metric(at, "ATACMS 300 km: sites in range")


@pytest.mark.parametrize(
    ("param", "payload"),
    [
        ("atacms", "![x](http://127.0.0.1:9/pixel.png)"),
        ("atacms", "[click](http://127.0.0.1:9) <img src=x onerror=alert(1)> :red[big]"),
        ("date", "![x](http://127.0.0.1:9/pixel.png) {{7*7}}"),
    ],
)
def test_url_values_in_messages_are_plain_text(param: str, payload: str) -> None:
    at = run_app(**{param: payload})
    assert not at.exception
    shown = [w.value for w in at.warning]
    assert shown, "the bad URL value must be reported"
    assert any(payload[:30] in plain(w) for w in shown)
    assert all(is_plain_text(w) for w in shown)


def test_a_scenario_over_its_time_budget_stops_with_a_message(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    at = run_app()
    # A budget far below any new build's time: the geodesic chunk loop checks it, so the
    # stop does not depend on how fast this machine is.
    monkeypatch.setenv("RANGEMAP_APP_BUDGET_S", "0.01")
    at.number_input(key="range_taurus_0").set_value(5_000).run()
    assert not at.exception
    assert any("took longer than 0.01 s" in e for e in messages(at, "error"))
    assert metric(at, "ATACMS 300 km: sites in range")  # the last good map stays


def test_launching_from_a_point_adds_it_to_the_launch_areas() -> None:
    at = run_app()
    before = number(metric(at, "ATACMS 300 km: area of RU in range"))
    at.text_input(key="launch_place").set_value(
        "54.0,38.0"
    ).run()  # deep in Russia, south of Moscow
    assert not at.exception
    assert [e.value for e in at.error] == []
    after = number(metric(at, "ATACMS 300 km: area of RU in range"))
    assert after > before


def test_comparing_snapshots_runs_without_error() -> None:
    at = run_app()
    at.selectbox(key="compare_date").set_value("2024-08-20").run()
    assert not at.exception
    assert [e.value for e in at.error] == []


# --- the map as the dashboard sends it: a base page and the overlays script -------------


def test_a_pin_in_the_share_link_is_drawn_as_its_own_ring() -> None:
    at = run_app(pin="50.0,24.0,150,ATACMS")
    assert not at.exception
    shown = " ".join(plain(m.value) for m in at.markdown)
    assert "ATACMS #1 150 km:" in shown
    assert "pin=50.0000,24.0000,150,ATACMS" in _url(at)


def test_a_bad_pin_in_the_share_link_is_a_warning() -> None:
    at = run_app(pin="95,24,150,ATACMS;50,24,0,ATACMS")
    assert not at.exception
    warnings = " ".join(messages(at, "warning"))
    assert "latitude must be within -90..90" in warnings and "range must be" in warnings
    assert "pin" not in at.query_params


def _url(at: AppTest) -> str:
    return "&".join(f"{k}={v}" for k, v in at.query_params.items()).replace("%2C", ",")


def test_closed_sections_send_nothing_but_their_titles() -> None:
    at = run_app(opened=())
    titles = [plain(e.label) for e in at.expander]
    assert "Figures in detail" in titles and "Sites in range (" in " ".join(titles)
    assert any(t.startswith("Downloads: GeoJSON, KML") for t in titles)
    assert not at.metric and not at.dataframe and not at.get("download_button")
    assert "Add a weapon" in titles and "Places found (" in " ".join(titles)
    assert "add_weapon_name" not in [t.key for t in at.text_input]
    assert len(at.get("file_uploader")) == 1  # the article's; own files behind their toggles


def test_own_files_are_offered_once_their_toggle_is_on() -> None:
    at = run_app()
    at.toggle(key="own_frontline").set_value(True)
    at.toggle(key="own_launch_file").set_value(True).run()
    assert len(at.get("file_uploader")) == 3


def test_opened_downloads_offer_every_file_and_each_layer() -> None:
    at = run_app(opened=("open_downloads",))
    labels = {plain(b.proto.label) for b in at.get("download_button")}
    assert {"All layers (GeoJSON)", "KML", "GeoPackage", "Map (standalone HTML)"} <= labels
    assert {"Static map (PNG)", "Static map (SVG)", "Static map (PDF)"} <= labels
    assert {EXPORT_NAMES["ranges"], EXPORT_NAMES["sites"]} <= labels  # named like the map


def test_a_place_left_out_leaves_the_map() -> None:
    at = run_app(opened=("open_places",))
    leave_out = next(m for m in at.multiselect if m.label == "Leave out of the map")
    name = leave_out.options[0]
    assert name in _overlays(at)
    leave_out.set_value([name]).run()
    assert name not in _overlays(at)
    table = at.dataframe[0].value
    assert not table.loc[table["Place"] == name, "include"].any()


def _overlays(at: AppTest) -> str:
    """Return the map's overlays script (the component's ``feature_group`` argument)."""
    return str(json.loads(at.get("component_instance")[0].proto.json_args)["feature_group"])


def test_places_left_out_are_in_the_share_link_and_restored_from_it() -> None:
    at = run_app()
    leave_out = next(m for m in at.multiselect if m.label == "Leave out of the map")
    leave_out.set_value(leave_out.options[:2]).run()
    link = at.query_params["omit"]
    assert sorted(link.split(";")) == sorted(leave_out.options[:2])
    shared = run_app(omit=link)
    kept = next(m for m in shared.multiselect if m.label == "Leave out of the map")
    assert sorted(kept.value) == sorted(leave_out.options[:2])
    assert all(name not in _overlays(shared) for name in kept.value)
