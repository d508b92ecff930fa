"""Frontline classes, launch areas, borders, regions, display geometry and the legend."""

from __future__ import annotations

import json
import re

import geopandas as gpd
import layer_samples as samples
import pytest
import shapely
from shapely.geometry import Polygon, box

from layers import areas
from layers._display import focus_window, to_display, tolerance_for
from layers.frontline import FRONTLINE_CLASSES, frontline_layers
from layers.labels import place_rank
from layers.legend import entry_for, legend_html
from layers.style import STYLES, style_for


def test_every_frontline_class_has_a_style() -> None:
    assert set(FRONTLINE_CLASSES) <= set(STYLES)


def test_one_overlay_per_frontline_class_present() -> None:
    groups = frontline_layers(samples.frontline())
    assert list(groups) == ["occupied_since_2022", "ukrainian_held_in_russia", "line_of_contact"]
    assert groups["line_of_contact"].layer_name == style_for("line_of_contact").label


def test_frontline_hover_text_gives_date_area_and_source() -> None:
    import folium

    m = folium.Map(tiles=None)
    frontline_layers(samples.frontline())["occupied_since_2022"].add_to(m)
    page = m.get_root().render()
    assert "as of 2024-11-19" in page and "100,000 km" in page and "source: sample" in page


def test_regions_say_when_their_outline_is_approximate() -> None:
    regions = gpd.GeoDataFrame(
        {"code": ["UA.1"], "name": ["Sumy"], "country_code": ["UA"], "approximate": [True]},
        geometry=[box(33, 50, 35, 52)],
        crs=4326,
    )
    import folium

    m = folium.Map(tiles=None)
    areas.regions_layer(regions).add_to(m)
    assert "(approximate outline)" in m.get_root().render()


def test_a_launch_point_is_a_circle_in_the_launch_area_style_not_a_pin() -> None:
    import folium
    from shapely.geometry import Point

    bases = gpd.GeoDataFrame(
        {"name": ["Sinpo"], "description": ["the naval base Sinpo"]},
        geometry=[Point(128.18, 40.03)],
        crs=4326,
    )
    m = folium.Map(tiles=None)
    areas.launch_area_layer(bases).add_to(m)
    page = m.get_root().render()
    assert "new L.CircleMarker" in page and "L.marker(" not in page  # no default blue pin
    assert style_for("launch_area").fill_color in page


def test_a_launch_point_is_named_on_the_map_above_any_place_and_an_area_is_not() -> None:
    import folium
    from shapely.geometry import Point

    launch = gpd.GeoDataFrame(
        {
            "name": ["Sinpo", "held area", "50.0642,23.9941"],
            "description": ["a naval base", "an area", "a clicked point"],
        },
        geometry=[Point(128.18, 40.03), box(30, 48, 32, 50), Point(23.9941, 50.0642)],
        crs=4326,
    )
    m = folium.Map(tiles=None)
    areas.launch_area_layer(launch).add_to(m)
    page = m.get_root().render()
    labels = json.loads(re.search(r"(\[\{.*?\}\])\.forEach", page).group(1))
    assert [(item["html"], item["lat"], item["lon"]) for item in labels] == [
        ("Sinpo", 40.03, 128.18)
    ]
    assert labels[0]["rank"] > place_rank("country", 1e9)


def test_borders_are_drawn_as_lines_clipped_to_the_window() -> None:
    group = areas.borders_layer(samples.countries(), window=(20, 40, 45, 55))
    data = next(iter(group._children.values())).data
    types = {f["geometry"]["type"] for f in data["features"]}
    assert types <= {"LineString", "MultiLineString"}
    xs = [
        c[0]
        for f in data["features"]
        for c in shapely.get_coordinates(shapely.geometry.shape(f["geometry"]))
    ]
    assert max(xs) <= 45


def test_to_display_converts_to_lon_lat_and_rounds() -> None:
    frame = gpd.GeoDataFrame(geometry=[shapely.Point(30.123456789, 50.987654321)], crs=4326)
    shown = to_display(frame.to_crs(3857))
    assert shown.crs.to_epsg() == 4326
    assert (shown.geometry.x[0], shown.geometry.y[0]) == pytest.approx(
        (30.12346, 50.98765), abs=1e-9
    )


def test_to_display_drops_small_islands_and_simplifies() -> None:
    island = box(0, 0, 0.01, 0.01)
    wavy = Polygon(
        [(1, 0), *[(1 + i / 100, 0.001 * (i % 2)) for i in range(1, 100)], (2, 0), (2, 1), (1, 1)]
    )
    frame = gpd.GeoDataFrame(geometry=[shapely.union(island, wavy)], crs=4326)
    shown = to_display(frame, tolerance=0.01, min_area=0.001)
    geom = shown.geometry.iloc[0]
    assert len(shapely.get_parts(geom)) == 1
    assert shapely.get_num_coordinates(geom) < 10


@pytest.mark.parametrize(
    ("bounds", "expected"),
    [((22, 44, 45, 57), 0.023), ((30, 50, 30.1, 50.1), 0.001), ((-180, -85, 180, 85), 0.1)],
)
def test_tolerance_is_about_a_pixel_of_the_fitted_map(
    bounds: tuple[float, ...], expected: float
) -> None:
    assert tolerance_for(bounds) == pytest.approx(expected)


def test_focus_window_pads_by_half_the_span_and_stays_on_earth() -> None:
    assert focus_window((20, 40, 40, 60)) == (10, 30, 50, 70)
    assert focus_window((170, 80, 179, 89)) == (165, 75, 180, 90)


def test_legend_is_drawn_from_the_style_table_and_escaped() -> None:
    entry = entry_for("launch_area")
    assert entry.color == style_for("launch_area").color and entry.dash == "6 4"
    assert entry_for("line_of_contact").symbol == "line"
    assert entry_for("sites_in_range").symbol == "marker"
    html = legend_html([entry, entry_for("places", label=samples.XSS)])
    assert "<script>" not in html and "&lt;script&gt;" in html
    assert "stroke-dasharray='6 4'" in html
