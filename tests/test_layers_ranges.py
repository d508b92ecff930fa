"""Range rings as overlays: one per weapon, palette colours, dashed minimum range."""

from __future__ import annotations

import geopandas as gpd
import layer_samples as samples
import pytest

from geo._errors import InputError
from layers.ranges import range_layers, weapon_colors
from layers.style import MIN_RANGE_DASH, RANGE_PALETTE


def _render(rings: gpd.GeoDataFrame) -> tuple[list[str], str]:
    import folium

    m = folium.Map(tiles=None)
    built = range_layers(rings)
    for group, _ in built:
        group.add_to(m)
    return [group.layer_name for group, _ in built], m.get_root().render()


def test_one_overlay_per_weapon_with_palette_colours_in_order() -> None:
    built = range_layers(samples.ranges())
    assert [g.layer_name for g, _ in built] == ["ATACMS (300 km)", "Taurus (500 km)"]
    assert [e.color for _, e in built] == list(RANGE_PALETTE[:2])


def test_minimum_range_is_a_dashed_unfilled_outline() -> None:
    _, page = _render(samples.ranges())
    assert f'"dashArray": "{MIN_RANGE_DASH}"' in page
    assert page.count(f'"dashArray": "{MIN_RANGE_DASH}"') == 1
    assert '"fill": false' in page


def test_color_index_column_chooses_the_colour() -> None:
    rings = samples.ranges().assign(color_index=[3, 3, 5])
    built = range_layers(rings)
    assert [e.color for _, e in built] == [RANGE_PALETTE[3], RANGE_PALETTE[5]]


def test_without_labels_the_overlay_is_named_weapon_and_range() -> None:
    rings = samples.ranges().drop(columns="label")
    assert [g.layer_name for g, _ in range_layers(rings)] == ["ATACMS (300 km)", "Taurus (500 km)"]


def test_hover_text_gives_the_distance_band() -> None:
    _, page = _render(samples.ranges())
    assert "between 80 and 300 km" in page
    assert "inside the minimum range of 80 km" in page
    assert "within 500 km" in page


def test_weapon_names_in_overlay_names_are_escaped() -> None:
    built = range_layers(samples.ranges(label=samples.XSS))
    assert "<script>" not in built[1][0].layer_name
    assert built[1][1].label == samples.XSS  # the legend escapes when drawing


def test_unknown_ring_kind_is_refused() -> None:
    with pytest.raises(InputError, match="unknown ring kind 'outer'"):
        range_layers(samples.ranges().assign(ring=["outer", "min", "max"]))


def test_weapon_colors_follow_first_appearance() -> None:
    assert weapon_colors(["B", "A", "B", "C"]) == {
        "B": RANGE_PALETTE[0],
        "A": RANGE_PALETTE[1],
        "C": RANGE_PALETTE[2],
    }


def test_palette_cycles_after_its_last_colour() -> None:
    names = [f"W{i}" for i in range(len(RANGE_PALETTE) + 1)]
    assert weapon_colors(names)[names[-1]] == RANGE_PALETTE[0]
