"""The web map as a whole: overlays, base layers, legend, tools, fit, escaping, size."""

from __future__ import annotations

import json
import re

import geopandas as gpd
import layer_samples as samples
import pytest
from shapely.geometry import Point

from geo._errors import InputError
from layers.assets import render_html
from layers.basemaps import ONLINE_BASEMAPS
from layers.style import style_for
from layers.web_map import build_map


@pytest.fixture(scope="module")
def page() -> str:
    return render_html(build_map(samples.all_layers(), offline=False), offline=False)


def test_every_layer_is_a_named_overlay_in_one_layer_control(page: str) -> None:
    base, overlays = samples.layer_control(page)
    assert page.count("L.control.layers(") == 1
    assert overlays == [
        style_for("borders").label,
        "ATACMS (300 km)",
        "Taurus (500 km)",
        style_for("occupied_since_2022").label,
        style_for("ukrainian_held_in_russia").label,
        style_for("line_of_contact").label,
        style_for("launch_area").label,
        style_for("places").label,
        style_for("places_demonym").label,
        style_for("sites_in_range").label,
        style_for("sites_out_of_range").label,
    ]
    assert base[0] == style_for("land").label


def test_offline_basemap_is_the_default_base_layer(page: str) -> None:
    names = re.findall(r"var (tile_layer_\w+) = L\.tileLayer", page)
    assert len(names) == 2  # OpenStreetMap and Esri; CartoDB needs an API key
    for name in names:
        assert f"{name}.addTo(" not in page
    assert "div.leaflet-container { background: #dceaf5; }" in page


def test_online_basemaps_carry_their_attribution(page: str) -> None:
    assert "openstreetmap.org/copyright" in page
    assert "Esri" in page


def test_cartodb_basemaps_are_added_with_an_api_key() -> None:
    keys = {"CartoDB Positron": "k1", "CartoDB Dark Matter": "k2"}
    m = build_map({"places": samples.places()}, offline=False, api_keys=keys)
    base, _ = samples.layer_control(m.get_root().render())
    assert base == [style_for("land").label, *ONLINE_BASEMAPS]
    assert "key=k1" in m.get_root().render()


def test_hidden_overlays_are_not_added_when_the_map_opens(page: str) -> None:
    groups = dict(re.findall(r'"([^"]+)" : (feature_group_\w+)', page))
    assert f"{groups[style_for('places_demonym').label]}.addTo(" not in page
    assert f"{groups[style_for('places').label]}.addTo(" in page


def test_map_has_scale_measure_fullscreen_and_mouse_position(page: str) -> None:
    assert "L.control.scale(" in page
    assert "L.Control.Measure(" in page
    assert "L.control.fullscreen(" in page
    assert "L.Control.MousePosition(" in page


def test_map_is_fitted_to_the_ranges_not_the_world(page: str) -> None:
    west, south, east, north = samples.ranges().total_bounds
    fit = re.search(r"fitBounds\(\s*\[\[([-\d.]+), ([-\d.]+)\], \[([-\d.]+), ([-\d.]+)\]\]", page)
    assert fit is not None
    assert [float(v) for v in fit.groups()] == pytest.approx([south, west, north, east])


def test_map_without_ranges_is_fitted_to_the_frontline_and_launch_areas() -> None:
    layers = {"frontline": samples.frontline(), "launch_area": samples.launch_areas()}
    page = build_map(layers, offline=False).get_root().render()
    fit = re.search(r"fitBounds\(\s*\[\[([-\d.]+), ([-\d.]+)\], \[([-\d.]+), ([-\d.]+)\]\]", page)
    assert fit is not None
    assert [float(v) for v in fit.groups()] == pytest.approx([46.5, 33.5, 51.5, 39.5])


def test_center_and_zoom_override_the_fit() -> None:
    m = build_map({"ranges": samples.ranges()}, center=(50.0, 30.0), zoom=7, offline=False)
    page = m.get_root().render()
    assert "fitBounds" not in page
    assert m.location == [50.0, 30.0] and m.options["zoom"] == 7


def test_legend_lists_only_the_layers_present() -> None:
    page = build_map({"places": samples.places()}, offline=False).get_root().render()
    legend = re.search(r"div\.innerHTML = (\".*?\");", page)
    assert legend is not None
    assert style_for("places").label in legend.group(1)
    assert style_for("sites_in_range").label not in legend.group(1)
    assert style_for("borders").label not in legend.group(1)


@pytest.mark.parametrize("where", ["place name", "sentence", "range label", "frontline source"])
def test_user_text_never_reaches_the_page_unescaped(where: str) -> None:
    xss = samples.XSS
    overrides = {
        "place name": {"places": samples.places(name=xss)},
        "sentence": {"places": samples.places(sentence=xss)},
        "range label": {"ranges": samples.ranges(label=xss)},
        "frontline source": {"frontline": samples.frontline(source=xss)},
    }[where]
    page = render_html(build_map(samples.all_layers(**overrides), offline=False), offline=False)
    for raw in ("<script>alert(1)", "<img src=x", "${alert(3)}", "\\u003cscript\\u003ealert"):
        assert raw not in page
    assert "&lt;script&gt;alert(1)" in page or "\\u0026lt;script\\u0026gt;alert(1)" in page


@pytest.mark.parametrize(
    ("layers", "message"),
    [
        ({"rivers": samples.places()}, "unknown map layer 'rivers'"),
        ({"places": samples.places().set_crs(None, allow_override=True)}, "with a CRS"),
        ({"frontline": samples.frontline().assign(**{"class": "mud"})}, "unknown frontline class"),
        ({"ranges": samples.ranges().drop(columns="ring")}, "no 'ring' column"),
    ],
)
def test_bad_layers_give_a_clear_error(layers: dict[str, gpd.GeoDataFrame], message: str) -> None:
    with pytest.raises(InputError, match=message):
        build_map(layers, offline=False)


def test_empty_and_missing_layers_are_skipped() -> None:
    empty = samples.sites().iloc[0:0]
    m = build_map({"sites": empty, "places": None, "ranges": samples.ranges()}, offline=False)
    _, overlays = samples.layer_control(m.get_root().render())
    assert overlays == ["ATACMS (300 km)", "Taurus (500 km)"]


def test_layers_in_other_crs_are_drawn_in_lon_lat() -> None:
    places = samples.places().to_crs(3857)
    page = build_map({"places": places}, offline=False).get_root().render()
    assert "[30.5234, 50.4501]" in page  # Kyiv, GeoJSON order lon, lat


def test_coordinates_are_rounded_to_five_decimals() -> None:
    page = build_map({"ranges": samples.ranges()}, offline=False).get_root().render()
    payloads = [json.loads(p) for p in re.findall(r"_add\((\{.*?\})\);\n", page)]
    values = [v for p in payloads for f in p["features"] for v in _numbers(f["geometry"])]
    assert len(values) > 100
    assert all(round(v, 5) == v for v in values)


def _numbers(geometry: dict[str, object]) -> list[float]:
    flat = str(geometry["coordinates"]).replace("[", " ").replace("]", " ").replace(",", " ")
    return [float(v) for v in flat.split()]


def test_default_like_scenario_page_is_under_3_mb() -> None:
    from geo import boundaries

    layers = samples.all_layers(borders=boundaries.countries(), land=boundaries.land())
    page = render_html(build_map(layers), offline=True)
    assert len(page.encode("utf-8")) < 3_000_000


def test_a_point_scenario_is_still_fitted_and_drawn() -> None:
    one = gpd.GeoDataFrame({"name": ["X"], "kind": ["city"]}, geometry=[Point(30, 50)], crs=4326)
    page = build_map({"places": one}, offline=False).get_root().render()
    assert "fitBounds" in page and "[30.0, 50.0]" in page
