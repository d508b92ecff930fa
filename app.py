"""rangemap dashboard (Streamlit): widgets → scenario → layers → map and downloads.

Run with ``streamlit run app.py``. The bundled default scenario opens with no input; the
sidebar changes the article, places, ranges, launch areas, frontline and visible layers.
Everything the reader sets lives in the URL (``?date=2024-11-19&atacms=165,300&view=...``,
launch areas, layers, places left out, pins) so a view can be shared. What a closed
expander holds (figures in detail, sites, downloads, history, the places table, the add-a-
weapon form) is made only when it is opened, so first renders and reruns stay small. A
session's first run reads the sidebar's controls without showing them and draws the map
first; the controls, figures and sections follow once the map reports it has drawn
(:func:`_read_inputs`, ``layers.deferred_controls``).

User text never runs: every message, title and label with user text goes through
:func:`_say` / :func:`geo._safe.escape_markdown`; the map escapes its own text
(``layers/_html.py``). Each scenario is built under a time budget (:mod:`geo._budget`);
a problem is shown beside the control that caused it and the last good map stays.
"""

from __future__ import annotations

import hashlib
import os
import tempfile
from collections.abc import Callable, Collection
from dataclasses import replace
from functools import partial
from pathlib import Path
from typing import Any, NamedTuple

import geopandas as gpd
import streamlit as st
from streamlit_folium import _component_func as folium_component  # st_folium, cached (below)

from geo import boundaries, export, frontline
from geo._budget import budget
from geo._errors import InputError, RangemapError
from geo._safe import escape_label, escape_markdown
from geo.article_input import read_article_bytes
from geo.launch import POLYGON_SUFFIXES, launch_area
from geo.places import gazetteer
from geo.places.resolve import geocode
from geo.scenario import (
    Scenario,
    ScenarioSpec,
    WeaponChoice,
    build_scenario,
    default_spec,
    spec_from_article,
)
from layers import click_place, dashboard, deferred_controls, history_chart, static_map, style
from layers import weapon_controls as wc
from layers.assets import render_html
from layers.map_state import drawn_from_value, hidden_from_value
from layers.streamlit_map import MapPage, base_page, component_key, overlay_script
from layers.web_map import STATIC_KEYS, base_window, build_map, focus_bounds

LAUNCH_OPTIONS = ("ukraine-held", "kursk-salient", "russia-held")
FRONTLINE_SUFFIXES = (".geojson", ".json", ".kml", ".kmz")
MAX_FRONTLINE_BYTES = 50_000_000
#: Longest pasted article, in characters.
MAX_ARTICLE_CHARS = 1_000_000
#: Longest place or launch-area name typed in a text box.
MAX_NAME_CHARS = 200
MAP_HEIGHT = 620
STATIC_DPI = 150
GEOJSON_MIME = "application/geo+json"
#: Seconds one scenario build may take before it is stopped (``RANGEMAP_APP_BUDGET_S``).
DEFAULT_BUDGET_S = 20.0
_SPEC_HASH: dict[str | type[Any], Callable[[Any], Any]] = {ScenarioSpec: hash}
_SCENARIO_HASH: dict[str | type[Any], Callable[[Any], Any]] = {Scenario: lambda s: hash(s.spec)}
Bounds = tuple[float, float, float, float]
_LAST_GOOD = "last_good_scenario"
_VIEW = "map_view"
_STORY = "map_story"
_HIDDEN = "map_hidden"
_OPENED_AT = "map_opened_at"
_INFERRED = "inferred_spec"
_PINS = "map_pins"
_PINS_DRAWN = "map_pins_drawn"
_PIN_WEAPON = "pin_weapon"
_PIN_KM = "pin_km"
_LAST_CLICK = "map_last_click"
_NO_PIN = "(nothing: clicks only move the map)"
_OPEN_FIGURES = "open_figures"
_OPEN_HISTORY = "open_history"
_OPEN_SITES = "open_sites"
_OPEN_DOWNLOADS = "open_downloads"
_OPEN_PLACES = "open_places"
_OPEN_ADD_WEAPON = "open_add_weapon"
_PIN_PROBLEMS = "pin_problems"
#: Where the sidebar's controls are: unset at a session's first run (read unshown, see
#: ``layers.deferred_controls``), ``LATER`` until the map has drawn, then ``SHOWN``.
_CONTROLS = "controls"
LATER, SHOWN = "later", "shown"
_CONTROLS_TICKS = "controls_ticks"
#: Seconds after which the controls are shown even if the map has not reported drawing.
CONTROLS_AT_LATEST_S = 8.0
#: Sidebar names of the layer families: the map's overlay names and the KML folders' too.
LAYER_NAMES: dict[str, str] = style.LAYER_NAMES


class Inputs(NamedTuple):
    """What the reader's controls ask for: the scenario (or the last good one) and more."""

    scenario: Scenario
    problem: str | None
    excluded: set[str]
    shown: list[str]


class MapLayers(NamedTuple):
    """The layers a map draws, the bounds it opens on and its base map's window."""

    layers: dict[str, gpd.GeoDataFrame]
    fit: tuple[float, ...] | None
    window: Bounds | None


def main() -> None:
    """Lay out the page; every user-fixable problem becomes a message, never a traceback."""
    st.set_page_config(page_title="rangemap", layout="wide")
    try:
        _page()
    except RangemapError as exc:
        _say(st, "error", str(exc))
    except Exception as exc:  # last resort: a message, never a traceback
        _say(st, "error", f"Something went wrong: {type(exc).__name__}: {exc}; please report it.")
    else:
        return
    if st.session_state.get(_CONTROLS) != SHOWN:  # the controls, to set things right
        st.session_state[_CONTROLS] = SHOWN
        st.rerun()


def _page() -> None:
    scenario, problem, excluded, shown = _read_inputs()
    _main_panel(scenario, problem=problem, excluded=excluded, shown=shown)
    _write_query_params(scenario.spec, shown=shown, omitted=excluded)


def _read_inputs() -> Inputs:
    """Read the controls; at a session's first run, without showing them (map first).

    The browser then lays out the map alone; once it has drawn, :func:`_map` reruns the
    app, which shows the controls at the values they were read at. A control that cannot
    be read unshown, or a scenario with a problem, shows them at once.
    """
    state = st.session_state
    if _CONTROLS in state:
        state[_CONTROLS] = SHOWN
        return _inputs(st.sidebar)
    note = st.sidebar.empty()
    note.caption("Loading the controls…")
    try:
        inputs = _inputs(deferred_controls.Unshown(state))
    except deferred_controls.DeferError:
        inputs = None
    if inputs is not None and inputs.problem is None:
        state[_CONTROLS] = LATER
        with st.sidebar:  # not in the main area: the map keeps its place there (no remount)
            _controls_at_latest()
        return inputs
    note.empty()
    state[_CONTROLS] = SHOWN
    return _inputs(st.sidebar)


def _inputs(bar: Any) -> Inputs:
    spec = _sidebar_spec(bar)
    scenario, problem = _scenario_or_last(spec)
    excluded = _places_editor(bar, scenario)
    shown = _layer_toggles(bar, scenario)
    return Inputs(scenario, problem, excluded, shown)


@st.fragment(run_every=CONTROLS_AT_LATEST_S)
def _controls_at_latest() -> None:
    """Show the controls a few seconds after the first run if the map has not drawn by then.

    Only the deferred first run calls it (its first call, inline); a full run that does
    not call it drops its timer.
    """
    state = st.session_state
    state[_CONTROLS_TICKS] = state.get(_CONTROLS_TICKS, 0) + 1
    if state[_CONTROLS_TICKS] > 1 and state.get(_CONTROLS) == LATER:
        st.rerun(scope="app")


def _say(where: Any, kind: str, text: str) -> None:
    """Show ``text`` as a plain-text message (``error``, ``warning``, ``info``, ``caption``)."""
    getattr(where, kind)(escape_markdown(text))


def _budget_s() -> float:
    try:
        seconds = float(os.environ.get("RANGEMAP_APP_BUDGET_S", DEFAULT_BUDGET_S))
    except ValueError:
        return DEFAULT_BUDGET_S
    return seconds if seconds > 0 else DEFAULT_BUDGET_S


# --- cached computations -------------------------------------------------------------


@st.cache_resource(show_spinner=False)
def _default_spec() -> ScenarioSpec:
    return default_spec()


@st.cache_resource(show_spinner="Preparing the gazetteer and the country outlines…")
def _warmed() -> bool:
    """Load the data every build needs once, outside any build's time budget.

    On a new server (or an empty cache) the gazetteer index is built first (~10 s): that
    is no runaway scenario, and the budget is for those.
    """
    gazetteer.load_index()
    boundaries.countries()
    return True


@st.cache_resource(show_spinner="Reading the article…", max_entries=16)
def _article_spec(text: str, name: str) -> ScenarioSpec:
    _warmed()
    with budget(seconds=_budget_s()):
        return spec_from_article(text, name=name, base=_default_spec())


@st.cache_resource(show_spinner="Computing ranges…", max_entries=32, hash_funcs=_SPEC_HASH)
def _scenario(spec: ScenarioSpec) -> Scenario:
    _warmed()
    with budget(seconds=_budget_s()):
        return build_scenario(spec)


@st.cache_resource(show_spinner=False)
def _failures() -> dict[int, str]:
    """Return spec hash → message of the builds that failed (not retried on every rerun)."""
    return {}


def _scenario_or_last(spec: ScenarioSpec) -> tuple[Scenario, str | None]:
    """Return the scenario of ``spec``, or the session's last good one and the problem."""
    failures = _failures()
    try:
        if hash(spec) in failures:
            raise RangemapError(failures[hash(spec)])
        scenario = _scenario(spec)
    except Exception as exc:  # a RangemapError, or a bug: either way the last map stays
        message = str(exc) if isinstance(exc, RangemapError) else _bug_message(exc)
        if len(failures) > 256:
            failures.clear()
        failures[hash(spec)] = message
        last = st.session_state.get(_LAST_GOOD)
        if last is None:
            last = _scenario(_default_spec())
        return last, message
    st.session_state[_LAST_GOOD] = scenario
    return scenario, None


def _bug_message(exc: Exception) -> str:
    text = f"{type(exc).__name__}: {exc}"[:300]
    return f"This scenario could not be built ({text}); please report it"


# --- sidebar -------------------------------------------------------------------------


def _sidebar_spec(bar: Any) -> ScenarioSpec:
    bar.header("Article")
    spec = wc.shared_launch_areas(_article_input(bar) or _default_spec())
    st.session_state[_INFERRED] = spec
    spec = _places_input(bar, spec)
    bar.header("Weapons")
    spec = _weapon_inputs(bar, spec)
    spec = _pin_inputs(bar, spec)
    if spec.frontline or spec.launch_areas:  # else each weapon has its own (above)
        bar.header("Launch areas")
        spec = _launch_inputs(bar, spec)
    bar.header("Frontline")
    if not spec.frontline:
        _say(bar, "caption", "No frontline: the bundled ones are of the Russia–Ukraine war.")
        return spec
    return _frontline_input(bar, spec)


def _article_input(bar: Any) -> ScenarioSpec | None:
    upload = bar.file_uploader(
        "Upload an article (.txt or .md, up to 1 MB)", key="article_file", help="UTF-8 text"
    )
    pasted = bar.text_area(
        "…or paste its text", key="article_text", height=120, max_chars=MAX_ARTICLE_CHARS
    )
    try:
        if upload is not None:
            text = read_article_bytes(upload.getvalue(), upload.name)
            return _article_spec(text, upload.name)
        if pasted.strip():
            with bar.expander("Pasted article", expanded=False):
                st.text(pasted[:3000])
            return _article_spec(pasted, "pasted article")
    except RangemapError as exc:
        _say(bar, "error", str(exc))
    return None


def _places_input(bar: Any, spec: ScenarioSpec) -> ScenarioSpec:
    query = bar.text_input(
        "Add a place (name or lat,lon)", key="add_place", max_chars=MAX_NAME_CHARS
    ).strip()
    if not query:
        return spec
    try:
        geocode(query)
    except RangemapError as exc:
        _say(bar, "warning", f"Place {query!r} not added: {exc}")
        return spec
    return replace(spec, places=(*spec.places, query))


def _weapon_inputs(bar: Any, inferred: ScenarioSpec) -> ScenarioSpec:
    """Per weapon its ranges and launch areas; the counted countries; weapons added by name."""
    spec, problems = wc.url_edits(inferred, st.query_params.to_dict())
    for problem in problems:
        _say(bar, "warning", problem)
    weapons, counted, adding = bar.container(), bar.container(), bar.container()
    if box := _opened(adding, "Add a weapon", key=_OPEN_ADD_WEAPON):
        spec = _add_weapon_form(box, spec)  # first, so a new weapon gets its controls
    before = {w.name: w.launch_areas for w in inferred.weapons}
    for weapon in spec.weapons:
        weapons.markdown(f"**{escape_markdown(weapon.name)}**")
        key = f"remove_{dashboard.weapon_param(weapon.name)}"
        if weapon.name not in before and weapons.button("Remove", key=key):
            spec = replace(spec, weapons=tuple(w for w in spec.weapons if w is not weapon))
            continue
        spec = _range_inputs(weapons, spec, weapon)
        spec = _weapon_launch_input(weapons, spec, weapon, inferred=before.get(weapon.name, ()))
        _say(weapons, "caption", wc.weapon_caption(spec, weapon.name))
    return _count_in_input(counted, spec, inferred)


def _pin_inputs(bar: Any, spec: ScenarioSpec) -> ScenarioSpec:
    """Return ``spec`` with the launch points placed by clicking the map (removable here)."""
    state = st.session_state
    if _PINS not in state:
        state[_PINS], state[_PIN_PROBLEMS] = click_place.parse_pins(st.query_params.get("pin", ""))
    if not isinstance(bar, deferred_controls.Unshown):  # said where the reader sees them
        for problem in state.pop(_PIN_PROBLEMS, ()):
            _say(bar, "warning", problem)
    bar.header("Place on the map")
    names = [w.name for w in spec.weapons]
    weapon = bar.selectbox(
        "Click the map to add a launch point of",
        [_NO_PIN, *names],
        key=_PIN_WEAPON,
        help="Each click adds a launch point with its own ring; remove them below",
    )
    if weapon != _NO_PIN:
        chosen = next(w for w in spec.weapons if w.name == weapon)
        bar.number_input(
            "…with a ring of (km)",
            dashboard.RANGE_MIN_KM,
            dashboard.RANGE_MAX_KM,
            float(max(chosen.ranges_km)),
            10.0,
            format="%.0f",
            key=f"{_PIN_KM}_{dashboard.weapon_param(weapon)}",
        )
    pins: list[click_place.Pin] = state[_PINS]
    if pins:
        lines = click_place.describe(pins)
        kept = bar.multiselect(
            "Placed launch points (untick to remove)",
            lines,
            default=lines,
            key=f"pins_{hash(tuple(pins))}",
        )
        if len(kept) != len(lines):
            pins = [pin for pin, line in zip(pins, lines, strict=True) if line in kept]
            state[_PINS] = pins
    state[_PINS_DRAWN] = tuple(pins)
    return click_place.with_pins(spec, pins)


def _on_map_value(key: str) -> None:
    """Add a launch point where the map was clicked, if a weapon is chosen to place."""
    state = st.session_state
    point = click_place.clicked_point(state.get(key))
    if point is None or point == state.get(_LAST_CLICK):
        return
    state[_LAST_CLICK] = point
    weapon = state.get(_PIN_WEAPON, _NO_PIN)
    pins = list(state.get(_PINS, []))
    if weapon == _NO_PIN or len(pins) >= click_place.MAX_PINS:
        return
    km = state.get(f"{_PIN_KM}_{dashboard.weapon_param(weapon)}")
    try:
        pins.append(click_place.Pin(weapon, float(km or 0.0), *point))
    except (InputError, TypeError, ValueError):
        return
    state[_PINS] = pins


def _weapon_launch_input(
    bar: Any, spec: ScenarioSpec, weapon: WeaponChoice, *, inferred: tuple[str, ...]
) -> ScenarioSpec:
    """Return ``spec`` with ``weapon``'s launch areas chosen; a bad area is refused here.

    None chosen: the weapon is fired from the scenario's launch areas (if it has some).
    """
    current = weapon.launch_areas
    options = wc.launch_options(spec, weapon)
    chosen = bar.multiselect(
        escape_label(f"{weapon.name} fired from"),
        options,
        default=list(current),
        key=wc.control_key("from", weapon.name, inferred or current),
        placeholder="the launch areas below" if spec.launch_areas else "choose or type a place",
        format_func=wc.area_label,
        accept_new_options=True,
        max_selections=wc.MAX_AREAS,
        help="Pick or type a place, region, country:XX or lat,lon, then Enter",
    )
    good = []
    for area in chosen:
        problem = None if area in options else _launch_problem(area)
        if problem:
            _say(bar, "error", f"Cannot launch {weapon.name} from {area[:80]!r}: {problem}")
        else:
            good.append(area)
    try:
        return wc.with_launch_areas(spec, weapon.name, good)
    except RangemapError as exc:
        kept = ", ".join(wc.effective_areas(spec, weapon))
        _say(bar, "error", f"{weapon.name}: {exc}; the map keeps {kept}.")
        return spec


def _launch_problem(area: str) -> str | None:
    """Return why ``area`` cannot be a launch area, or ``None`` if it can."""
    try:
        _launch_area_name(area)
    except RangemapError as exc:
        return str(exc)
    return None


@st.cache_resource(show_spinner=False, max_entries=256)
def _launch_area_name(area: str) -> str:
    return launch_area(area).name


def _add_weapon_form(where: Any, spec: ScenarioSpec) -> ScenarioSpec:
    """Return ``spec`` with the weapon the reader adds by name (a message if it cannot be)."""
    with where.form("add_weapon", clear_on_submit=True):
        name = st.text_input(
            "Weapon name",
            max_chars=wc.MAX_NAME_CHARS,
            key="add_weapon_name",
            help="Any name; catalogue names fill in the range",
        )
        km = st.number_input(
            "Range (km; 0 = the catalogue's)",
            0.0,
            dashboard.RANGE_MAX_KM,
            0.0,
            10.0,
            format="%.0f",
            key="add_weapon_km",
        )
        fired_from = st.text_input(
            "Fired from (empty: as the first weapon)",
            max_chars=MAX_NAME_CHARS,
            key="add_weapon_from",
            help="A place, region, country:XX or lat,lon",
        ).strip()
        if not st.form_submit_button("Add weapon") or not name.strip():
            return spec
        problem = _launch_problem(fired_from) if fired_from else None
        try:
            if problem:
                raise InputError(f"cannot launch from {fired_from[:80]!r}: {problem}")
            areas = [fired_from] if fired_from else []
            weapon = wc.added_weapon(spec, name, range_km=km or None, launch_areas=areas)
        except RangemapError as exc:
            _say(st, "error", f"Weapon not added: {exc}")
            return spec
    return wc.with_added(spec, [weapon])


def _count_in_input(bar: Any, spec: ScenarioSpec, inferred: ScenarioSpec) -> ScenarioSpec:
    """Return ``spec`` counting reach in the countries chosen (none: everywhere)."""
    names = _country_names()
    current = wc.counted(spec)
    chosen = bar.multiselect(
        "Count reach in",
        wc.country_options(names, chosen=current),
        default=list(current),
        key=wc.control_key("count", "in", wc.counted(inferred)),
        format_func=lambda code: f"{code} · {names.get(code, code)}",
        max_selections=wc.MAX_COUNT_IN,
        help="Area, sites and people in range are counted inside these countries",
    )
    return wc.with_count_in(spec, chosen)


@st.cache_resource(show_spinner=False)
def _country_names() -> dict[str, str]:
    frame = boundaries.countries()
    return {str(c): str(n) for c, n in zip(frame["iso_a2"], frame["name"], strict=True) if c}


def _range_inputs(bar: Any, spec: ScenarioSpec, weapon: WeaponChoice) -> ScenarioSpec:
    param = dashboard.weapon_param(weapon.name)
    ranges = _url_ranges(bar, param, weapon.ranges_km)
    chosen = []
    for i, km in enumerate(ranges):
        label = f"{weapon.name} range {i + 1} (km)" if len(ranges) > 1 else weapon.name
        value = bar.number_input(
            escape_label(f"{label} (km)" if len(ranges) == 1 else label),
            min_value=dashboard.RANGE_MIN_KM,
            max_value=dashboard.RANGE_MAX_KM,
            value=float(km),
            step=10.0,
            format="%.0f",
            key=f"range_{param}_{i}",
            help=escape_markdown(weapon.note) or None,
        )
        chosen.append(float(value))
    if tuple(chosen) != weapon.ranges_km:
        spec = spec.with_range(weapon.name, tuple(chosen))
    return spec


def _url_ranges(bar: Any, param: str, ranges: tuple[float, ...]) -> tuple[float, ...]:
    raw = st.query_params.get(param)
    if not raw:
        return ranges
    try:
        return dashboard.parse_ranges(raw)
    except InputError as exc:
        _say(bar, "warning", f"Ignored the URL's {param}: {exc}")
        return ranges


def _launch_inputs(bar: Any, spec: ScenarioSpec) -> ScenarioSpec:
    """Return ``spec`` with the launch areas chosen; a problem stays beside its control."""
    from_url = dashboard.parse_list(st.query_params.get("from", ""), max_items=10, max_chars=200)
    default = from_url or list(spec.launch_areas)
    options = list(dict.fromkeys([*_launch_options(spec), *default]))
    areas = bar.multiselect("Launch from", options, default=default, key="launch")
    if not areas:
        _say(bar, "error", "Choose at least one launch area: the map keeps the last ones.")
        areas = list(_last_launch_areas(spec))
    extra = bar.text_input(
        "…and from a place, region or lat,lon",
        key="launch_place",
        max_chars=MAX_NAME_CHARS,
        help="e.g. 'Sumy', 'Kharkiv Oblast' or '50.91,34.80'",
    ).strip()
    if extra:
        try:
            geocode(extra)
        except RangemapError as exc:
            _say(bar, "error", f"Cannot launch from {extra!r}: {exc}")
        else:
            areas = [*areas, extra]
    polygon = None
    if bar.toggle("…and from a polygon file", key="own_launch_file", help=".geojson or .gpkg"):
        polygon = bar.file_uploader(
            "Launch polygons (.geojson, .gpkg)", key="launch_file", help="lon/lat or a CRS"
        )
    if polygon is not None:
        try:
            path = _saved_upload(polygon.getvalue(), polygon.name, POLYGON_SUFFIXES)
        except RangemapError as exc:
            _say(bar, "error", str(exc))
        else:
            areas = [*areas, f"file:{path}"]
    standoff = bar.number_input(
        "Standoff behind the line of contact (km)",
        0.0,
        300.0,
        _url_number("standoff", spec.standoff_km, low=0.0, high=300.0),
        5.0,
        key="standoff",
    )
    return replace(spec, launch_areas=tuple(areas), standoff_km=float(standoff))


def _url_number(param: str, default: float, *, low: float, high: float) -> float:
    """Return a number from the URL if it is one within ``[low, high]``, else ``default``."""
    raw = st.query_params.get(param)
    try:
        value = float(str(raw)[:40]) if raw else default
    except ValueError:
        value = default
    return value if low <= value <= high else default


def _last_launch_areas(spec: ScenarioSpec) -> tuple[str, ...]:
    last = st.session_state.get(_LAST_GOOD)
    return last.spec.launch_areas if last is not None else spec.launch_areas


def _launch_options(spec: ScenarioSpec) -> list[str]:
    return list(dict.fromkeys([*LAUNCH_OPTIONS, *spec.launch_areas]))


def _frontline_input(bar: Any, spec: ScenarioSpec) -> ScenarioSpec:
    dates = frontline.available_dates()
    wanted = st.query_params.get("date", spec.date)
    if wanted not in dates:
        _say(bar, "warning", f"Ignored the URL's date {wanted[:40]!r}: use one of {dates}")
    index = (
        dates.index(wanted)
        if wanted in dates
        else (dates.index(spec.date) if spec.date in dates else 0)
    )
    date = (
        bar.select_slider("Snapshot date", dates, value=dates[index], key="date")
        if len(dates) > 1
        else bar.selectbox("Snapshot date", dates, index=index, key="date")
    )
    others = [d for d in dates if d != date]
    choices = ["(none)", *others]
    wanted_compare = st.query_params.get("compare", "(none)")
    compare = bar.selectbox(
        "Show change since/until",
        choices,
        index=choices.index(wanted_compare) if wanted_compare in choices else 0,
        key="compare_date",
        help="Areas gained and lost between the two bundled snapshots (layers hidden at first)",
    )
    spec = replace(spec, date=str(date), compare_date=None if compare == "(none)" else str(compare))
    if not bar.toggle("Use my own frontline file", key="own_frontline"):
        return spec
    upload = bar.file_uploader(
        "Frontline file (DeepStateMap GeoJSON, GeoJSON, KML, KMZ)", key="frontline_file"
    )
    if upload is None:
        return spec
    try:
        path = _saved_upload(upload.getvalue(), upload.name, FRONTLINE_SUFFIXES)
    except RangemapError as exc:
        _say(bar, "error", str(exc))
        return spec
    return replace(spec, frontline_file=path)


def _saved_upload(data: bytes, filename: str, suffixes: tuple[str, ...]) -> Path:
    """Keep an upload in a temporary file named by its content (stable across reruns)."""
    suffix = Path(filename).suffix.lower()
    if suffix not in suffixes:
        raise InputError(f"{filename[:80]!r} cannot be used here: upload {', '.join(suffixes)}")
    if len(data) > MAX_FRONTLINE_BYTES:
        raise InputError(f"{filename[:80]!r} is larger than {MAX_FRONTLINE_BYTES:,} bytes")
    digest = hashlib.sha256(data).hexdigest()[:16]
    path = Path(tempfile.gettempdir()) / "rangemap-uploads" / f"{digest}{suffix}"
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
    return path


def _places_editor(bar: Any, scenario: Scenario) -> set[str]:
    """Return the places the reader left out (by name); the table is shown on demand."""
    bar.header("Places")
    places = scenario.places
    if not len(places):
        bar.caption("No places found.")
        return set()
    names = list(dict.fromkeys(str(n) for n in places["name"]))
    linked = dashboard.parse_list(
        st.query_params.get("omit", ""), max_items=64, sep=dashboard.OMIT_SEP
    )
    omitted = bar.multiselect(
        "Leave out of the map",
        names,
        default=[n for n in names if n in linked],
        key=f"omit_{hash(tuple(names))}",  # same places: same widget
        help="Places found in the article that should not be drawn or exported",
    )
    if box := _opened(bar, f"Places found ({len(names)})", key=_OPEN_PLACES):
        box.dataframe(dashboard.places_table(places, excluded=set(omitted)), hide_index=True)
    return set(omitted)


def _layer_toggles(bar: Any, scenario: Scenario) -> list[str]:
    keys = list(scenario.layers())
    wanted = dashboard.parse_list(st.query_params.get("layers", ""))
    default = [k for k in keys if k in wanted] if wanted else keys
    chosen = bar.multiselect("Layers", keys, default=default, key="layers", format_func=_layer_name)
    return list(chosen)


def _layer_name(key: str) -> str:
    return LAYER_NAMES.get(key, key)


def _write_query_params(spec: ScenarioSpec, *, shown: list[str], omitted: Collection[str]) -> None:
    """Put everything the reader set in the URL (a share link); drop stale values."""
    if st.session_state.get(_CONTROLS) == LATER:  # the URL as opened, until the controls
        return  # show what they read of it (a value they refuse is said there)
    pins = st.session_state.get(_PINS) or []
    spec = click_place.without_pins(spec, pins)
    wanted = dashboard.share_params(
        spec,
        default_launch=_default_spec().launch_areas,
        shown=shown,
        all_layers=list(LAYER_NAMES),
        hidden=st.session_state.get(_HIDDEN) or set(),
        view=st.session_state.get(_VIEW),
        omitted=omitted,
    )
    inferred = st.session_state.get(_INFERRED)
    if inferred is not None:
        wanted.update(wc.weapon_share_params(spec, inferred=inferred))
    if pins:
        wanted["pin"] = click_place.format_pins(pins)
    if st.query_params.to_dict() != wanted:  # one update: each change is a browser history step
        st.query_params.from_dict(wanted)


# --- main panel ----------------------------------------------------------------------


def _date_caption(spec: ScenarioSpec) -> str:
    """Say which date the map shows: the frontline's, or the article's where there is none."""
    return f"Frontline of {spec.date}" if spec.frontline else f"As of {spec.date}"


def _main_panel(
    scenario: Scenario, *, problem: str | None, excluded: set[str], shown: list[str]
) -> None:
    st.header(escape_markdown(scenario.spec.title))
    _say(st, "caption", _date_caption(scenario.spec))
    notes = st.container()  # messages come and go without moving the map (a reload)
    if problem:
        _say(notes, "error", f"{problem} (showing the last map that worked)")
    for note in scenario.notes:
        _say(notes, "info", note)
    _map(scenario, shown=tuple(shown), excluded=tuple(sorted(excluded)))
    _say(st, "caption", scenario.attribution_of(shown))  # credits only what is drawn
    if st.session_state.get(_CONTROLS) == LATER:  # the map first: the rest with the controls
        return
    _figures(scenario)
    history = "Frontline history: occupied area over time"
    if scenario.spec.frontline and (box := _opened(st, history, key=_OPEN_HISTORY)):
        box.image(_history_png(scenario.spec.date))
    count = len(dashboard.sites_in_range(scenario.sites))  # the table is made when opened
    if box := _opened(st, f"Sites in range ({count})", key=_OPEN_SITES):
        box.dataframe(dashboard.sites_table(scenario.sites), hide_index=True)
    if box := _opened(
        st, "Downloads: GeoJSON, KML, GeoPackage, HTML, PNG, SVG, PDF", key=_OPEN_DOWNLOADS
    ):
        _downloads(box, scenario, shown=shown, excluded=excluded)


def _opened(where: Any, label: str, *, key: str) -> Any | None:
    """Return an expander to fill if the reader has opened it, else None.

    What a closed expander holds is not made: the first render and every rerun send only
    what is on screen (the sites grid, the 13 download buttons, the figures' metrics and
    the history chart are made when their expander is opened, which reruns the app).
    """
    box = where.expander(label, key=key, on_change="rerun")
    return box if box.open else None


@st.cache_resource(show_spinner=False, max_entries=32, hash_funcs=_SCENARIO_HASH)
def _map_layers(scenario: Scenario, shown: tuple[str, ...], excluded: tuple[str, ...]) -> MapLayers:
    """Return the layers the map draws, the bounds it opens on and its base map's window."""
    layers = {k: v for k, v in scenario.layers().items() if k in shown}
    layers = dashboard.without_places(layers, set(excluded))
    fit = focus_bounds(layers)
    return MapLayers(layers, fit, base_window(fit))


@st.cache_resource(show_spinner="Drawing the map…", max_entries=8)
def _base_page(_parts: MapLayers, key: tuple[object, ...]) -> MapPage:
    """Return the base map (frontline, borders, regions): one per ``key`` (see ``_base_key``)."""
    return base_page(_parts.layers, window=_parts.window)


def _base_key(scenario: Scenario, parts: MapLayers) -> tuple[object, ...]:
    """Return what the base map depends on: the frontline, the layers shown, the window."""
    spec = scenario.spec
    shown = tuple(k for k in parts.layers if k in STATIC_KEYS)
    frontline_file = str(spec.frontline_file) if spec.frontline_file else None
    return (spec.frontline, spec.date, frontline_file, spec.compare_date, shown, parts.window)


@st.cache_resource(show_spinner=False, max_entries=32)
def _overlays(_parts: MapLayers, _base: MapPage, key: tuple[object, ...], placing: bool) -> str:
    """Return the script of the scenario's overlays: one per scenario, layers and base."""
    return overlay_script(
        _parts.layers, window=_parts.window, fit=_parts.fit, base=_base, placing=placing
    )


@st.cache_data(show_spinner=False, max_entries=16, ttl=600)
def _history_png(date: str) -> bytes:
    """Return the occupied-area history chart as PNG (drawn once per date, not every rerun)."""
    import io

    import matplotlib.pyplot as plt

    figure = history_chart.history_figure(frontline.history.table(), mark=date)
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png", dpi=110, bbox_inches="tight")
    plt.close(figure)
    return buffer.getvalue()


@st.fragment
def _map(scenario: Scenario, *, shown: tuple[str, ...], excluded: tuple[str, ...]) -> None:
    """Show the map at the reader's view with the overlays they switched off still off.

    A fragment: what the map reports (view, overlays switched off, a click) reruns only
    this function, which keeps the share link up to date; a click that placed a launch
    point reruns the whole app, so the scenario includes it, and so does the map's report
    that it has drawn while the controls wait to be shown (:func:`_read_inputs`).
    """
    state = st.session_state
    notes = st.container()  # a message comes and goes without moving the map (a reload)
    story = hash(state.get(_INFERRED))  # the article's scenario, before the reader's edits
    if _VIEW not in state:
        state[_VIEW] = _url_view(notes)
        state[_STORY] = story
    elif state.get(_STORY) != story:  # a new article opens on its own map, not the last view
        state[_VIEW] = None
        state[_STORY] = story
    if _HIDDEN not in state:
        state[_HIDDEN] = set(dashboard.parse_list(st.query_params.get("hide", ""), max_items=64))
    parts = _map_layers(scenario, shown, excluded)
    base_key = _base_key(scenario, parts)
    base = _base_page(parts, base_key)
    placing = state.get(_PIN_WEAPON, _NO_PIN) != _NO_PIN
    overlays = _overlays(parts, base, (hash(scenario.spec), shown, excluded, base_key), placing)
    view, hidden_at_load = _opening_state(base)
    args = base.component_args(
        height=MAP_HEIGHT,
        zoom=view.zoom if view else None,
        center=(view.lat, view.lon) if view else None,
        hidden=hidden_at_load,
        overlays=overlays,
    )
    if state.get(_CONTROLS) == LATER and drawn_from_value(state.get(args["key"])):
        st.rerun(scope="app")  # the map has drawn: now show the controls
    value = folium_component(**args, on_change=partial(_on_map_value, args["key"]))
    reported = dashboard.view_from_value(value)
    if reported is not None:
        state[_VIEW] = reported
    hidden = hidden_from_value(value)
    if hidden is not None:
        state[_HIDDEN] = hidden
    if tuple(state.get(_PINS, ())) != state.get(_PINS_DRAWN, ()):
        st.rerun(scope="app")
    _write_query_params(scenario.spec, shown=list(shown), omitted=excluded)


def _opening_state(base: MapPage) -> tuple[dashboard.View | None, list[str]]:
    """Return the view and switched-off overlays a new frame of ``base`` opens with.

    They are the reader's when the base map (the frame) was first shown, and are kept while
    it stays: the frame reads them only when it loads, and a map whose arguments do not
    change is not sent again (Streamlit sends a reference to the message it already has),
    so a view report or the controls showing up costs a few bytes instead of the map.
    """
    state = st.session_state
    key = component_key(base)
    opened = state.get(_OPENED_AT)
    if opened is None or opened[0] != key:
        opened = (key, state[_VIEW], sorted(state[_HIDDEN]))
        state[_OPENED_AT] = opened
    return opened[1], opened[2]


def _url_view(notes: Any) -> dashboard.View | None:
    raw = st.query_params.get("view")
    if not raw:
        return None
    try:
        return dashboard.parse_view(raw)
    except InputError as exc:
        _say(notes, "warning", f"Ignored the URL's view: {exc}")
        return None


def _figures(scenario: Scenario) -> None:
    """One summary line per range, and the detailed figures in an expander."""
    clip = ", ".join(scenario.spec.count_in) or scenario.spec.clip or "the map"
    figures = dashboard.summary_figures(scenario.summary)
    if not figures:
        _say(st, "warning", "No weapon ranges to draw: add a weapon or an article naming one.")
        return
    lines = [
        f"{fig.label}: {fig.area_km2} of {clip} · {fig.sites} sites · {fig.population} people"
        for fig in figures
    ]
    st.markdown("  \n".join(escape_markdown(line) for line in lines))
    if box := _opened(st, "Figures in detail", key=_OPEN_FIGURES):
        for column, fig in zip(box.columns(len(figures)), figures, strict=True):
            column.metric(escape_label(f"{fig.label}: area of {clip} in range"), fig.area_km2)
            column.metric(escape_label(f"{fig.label}: sites in range"), fig.sites)
            column.metric(escape_label(f"{fig.label}: population in range"), fig.population)


def _downloads(where: Any, scenario: Scenario, *, shown: list[str], excluded: set[str]) -> None:
    """Offer every download (without the places left out); each made when clicked."""
    data = dashboard.without_places(scenario.data_layers(), excluded)
    layers = _map_layers(scenario, tuple(shown), tuple(sorted(excluded))).layers  # the map's
    drawn = replace(scenario, places=data["places"])  # the static maps leave them out too
    buttons: list[tuple[str, Callable[[], bytes], str, str]] = [
        (
            "All layers (GeoJSON)",
            partial(_geojson_all, data),
            "rangemap.geojson",
            GEOJSON_MIME,
        ),
        (
            "KML",
            partial(_kml, data, scenario),
            "rangemap.kml",
            "application/vnd.google-earth.kml+xml",
        ),
        ("GeoPackage", partial(_gpkg, data), "rangemap.gpkg", "application/geopackage+sqlite3"),
        ("Map (standalone HTML)", partial(_html, layers, scenario), "rangemap.html", "text/html"),
    ]
    for column, (label, make, name, mime) in zip(where.columns(4), buttons, strict=True):
        _button(column, label, make, name, mime)
    formats: tuple[static_map.ImageFormat, ...] = ("png", "svg", "pdf")
    mimes = {"png": "image/png", "svg": "image/svg+xml", "pdf": "application/pdf"}
    for column, fmt in zip(where.columns(3), formats, strict=True):
        make = partial(_static, drawn, _static_visible(shown), fmt)
        _button(column, f"Static map ({fmt.upper()})", make, f"rangemap.{fmt}", mimes[fmt])
    _say(where, "caption", "GeoJSON of each layer:")
    columns = where.columns(3)
    for i, (key, gdf) in enumerate(data.items()):
        label = style.EXPORT_NAMES.get(key, key)
        _button(columns[i % 3], label, partial(_geojson, gdf), f"{key}.geojson", GEOJSON_MIME)


def _button(where: Any, label: str, make: Callable[[], bytes], name: str, mime: str) -> None:
    where.download_button(
        label, make, name, mime, key=f"dl_{name}", on_click="ignore", use_container_width=True
    )


def _geojson_all(layers: dict[str, gpd.GeoDataFrame]) -> bytes:
    return _json_bytes(export.feature_collection(layers))


def _geojson(gdf: gpd.GeoDataFrame) -> bytes:
    return export.to_geojson(gdf).encode("utf-8")


def _kml(layers: dict[str, gpd.GeoDataFrame], scenario: Scenario) -> bytes:
    text = export.to_kml(
        layers,
        name=scenario.spec.title,
        styles=style.kml_styles(),
        folders=style.EXPORT_NAMES,
        hidden=style.EXPORT_HIDDEN,
        description=f"{_date_caption(scenario.spec)}. Sources: {scenario.attribution}",
    )
    return text.encode("utf-8")


def _gpkg(layers: dict[str, gpd.GeoDataFrame]) -> bytes:
    with tempfile.TemporaryDirectory() as tmp:
        return export.to_gpkg(layers, Path(tmp) / "rangemap.gpkg").read_bytes()


def _html(layers: dict[str, gpd.GeoDataFrame], scenario: Scenario) -> bytes:
    page = render_html(
        build_map(layers),
        offline=True,
        title=scenario.spec.title,
        date=_date_caption(scenario.spec),
        sources=scenario.attribution_of(list(layers)),
    )
    return page.encode("utf-8")


def _static(scenario: Scenario, visible: set[str] | None, fmt: static_map.ImageFormat) -> bytes:
    fig = static_map.render_scenario(scenario, visible=visible, dpi=STATIC_DPI)
    return static_map.to_bytes(fig, fmt)


def _static_visible(shown: list[str]) -> set[str] | None:
    default = static_map.default_visible()
    hidden = {
        k for k in ("borders", "regions", "launch_area", "places", "ranges") if k not in shown
    }
    if "frontline" not in shown:
        hidden |= {k for k in default if k.startswith(("occupied", "ukrainian", "grey", "line_"))}
    if "sites" not in shown:
        hidden |= {"sites_in_range", "sites_out_of_range"}
    return set(default - hidden) if hidden else None


def _json_bytes(value: Any) -> bytes:
    import json

    return json.dumps(value, ensure_ascii=False, allow_nan=False).encode("utf-8")


main()
