"""The overlays script is what a full folium render gives, made without compiling a template."""

from __future__ import annotations

import re

import jinja2
import pytest
import streamlit_folium as sf
from test_layers_safe import PAYLOADS, hostile_layers

from geo.scenario import build_scenario, default_spec
from layers import streamlit_map
from layers.streamlit_map import overlay_script
from layers.web_map import base_window, focus_bounds, scenario_overlays


def _group_scripts(layers: dict, window: tuple, *, full_render: bool) -> list[str]:
    """Return each overlay's script, readied by ``render()`` or by the dashboard's shortcut."""
    host = streamlit_map.folium.Map(tiles=None)
    scripts = []
    for i, (group, _, _) in enumerate(scenario_overlays(layers, window=window).keyed()):
        group.show = False
        group.add_to(host)
        if full_render:
            group.render()
        else:
            streamlit_map._prepare_script(group)
        scripts.append(sf.generate_leaflet_string(group, base_id=f"rm{i}"))
    return scripts


def test_the_overlay_scripts_equal_those_of_a_full_render() -> None:
    layers = hostile_layers(PAYLOADS[:3])
    window = base_window(focus_bounds(layers))
    assert window is not None
    quick = _group_scripts(layers, window, full_render=False)
    assert quick == _group_scripts(layers, window, full_render=True)
    assert any("addTo" in s for s in quick)  # the shown GeoJson layers are added to their group


def test_making_the_overlays_script_compiles_no_template(monkeypatch: pytest.MonkeyPatch) -> None:
    layers = hostile_layers(PAYLOADS[:3])
    fit = focus_bounds(layers)
    window = base_window(fit)
    base = streamlit_map.base_page(layers, window=window)
    compiled: list[str] = []
    original = jinja2.Environment.compile

    def counting(self: jinja2.Environment, source: object, *args: object, **kwargs: object):
        compiled.append(str(source))
        return original(self, source, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(jinja2.Environment, "compile", counting)
    overlay_script(layers, window=window, fit=fit, base=base)
    assert not [s for s in compiled if any(p in s for p in PAYLOADS[:3])]
    assert len(compiled) <= 1  # the empty host map's own template at most


def test_a_range_change_remakes_only_the_changed_rings_in_the_map() -> None:
    scenario = build_scenario(default_spec())
    changed = build_scenario(default_spec().with_range("ATACMS", (165.0, 200.0)))
    before, after = (_made_keys(s.layers()) for s in (scenario, changed))
    assert before.keys() == after.keys()  # the same layers, by stable key
    kept = {key for key in before if before[key] == after[key]}
    atacms = {key for key in before if "atacms" in key.lower()}
    assert atacms and not kept & atacms  # the changed rings are made anew
    assert {"places", "launch_area"} <= kept  # the rest is reused as made
    assert len(set(before.values())) == len(before)  # no two layers share a digest


def _made_keys(layers: dict) -> dict[str, str]:
    """Return each overlay's stable key and the digest its layer is made once under."""
    fit = focus_bounds(layers)
    window = base_window(fit)
    script = overlay_script(
        layers, window=window, fit=fit, base=streamlit_map.base_page(layers, window=window)
    )
    made = dict(re.findall(r'var (\w+) = made\["(\w+)"\]', script))
    keys = dict(re.findall(r'\{layer: (\w+), key: "([^"]*)"', script))
    return {keys[var]: digest for var, digest in made.items()}
