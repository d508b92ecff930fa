"""Exports: RFC 7946 GeoJSON, GeoPackage and KML, each read back and compared."""

from __future__ import annotations

import json
import math
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import pyogrio
import pytest
import shapely
from defusedxml import ElementTree
from hostile import all_payloads
from shapely.geometry import LineString, Point, Polygon, shape

from geo import export, geodesic
from geo._errors import InputError

KML_NS = {"k": "http://www.opengis.net/kml/2.2"}


@pytest.fixture
def layers() -> dict[str, gpd.GeoDataFrame]:
    donut = Polygon(
        [(30, 49), (33, 49), (33, 51), (30, 51)], [[(31, 49.5), (31, 50.5), (32, 50.5), (32, 49.5)]]
    )
    reach = gpd.GeoDataFrame(
        {
            "label": ["ATACMS 300 km", "across ±180°"],
            "range_km": [300.0, float("nan")],
            "when": [pd.Timestamp("2024-11-19T12:00:00Z"), pd.NaT],
            "tags": [["a", "b"], []],
            "note": ['<b>&"quotes"</b>', "x\x01y"],
        },
        geometry=[
            shapely.orient_polygons(donut, exterior_cw=True),
            geodesic.disc(179.5, 10, radius_km=300),
        ],
        crs="EPSG:4326",
    )
    places = gpd.GeoDataFrame(
        {"name": ["Kyiv", "Kharkiv & co"], "population": [2_900_000, 1_400_000]},
        geometry=[Point(30.5234, 50.4501), Point(36.2304, 49.9935)],
        crs="EPSG:4326",
    )
    line = gpd.GeoDataFrame(
        {"name": ["line"]},
        geometry=[LineString([(500_000, 5_500_000), (600_000, 5_600_000)])],
        crs=32636,
    )
    return {"reach": reach, "places": places, "line": line}


def rings_ok(geometry: dict) -> None:
    polygons = (
        [geometry["coordinates"]] if geometry["type"] == "Polygon" else geometry["coordinates"]
    )
    for rings in polygons:
        assert shapely.LinearRing(rings[0]).is_ccw  # exterior counter-clockwise
        for hole in rings[1:]:
            assert not shapely.LinearRing(hole).is_ccw  # holes clockwise


def decimals(value: float) -> int:
    text = repr(value)
    return len(text.split(".")[1]) if "." in text else 0


def test_geojson_follows_rfc_7946(layers: dict[str, gpd.GeoDataFrame]) -> None:
    doc = json.loads(export.to_geojson(layers["reach"]))
    assert doc["type"] == "FeatureCollection" and "crs" not in doc
    for feature in doc["features"]:
        rings_ok(feature["geometry"])
        coords = shapely.get_coordinates(shape(feature["geometry"]))
        assert max(decimals(float(c)) for c in coords.ravel()) <= 7
        assert np.abs(coords[:, 0]).max() <= 180
    antimeridian = doc["features"][1]["geometry"]
    assert antimeridian["type"] == "MultiPolygon"


def test_geojson_properties_are_json_safe(layers: dict[str, gpd.GeoDataFrame]) -> None:
    text = export.to_geojson(layers["reach"])
    assert "NaN" not in text
    props = [f["properties"] for f in json.loads(text)["features"]]
    assert props[0]["when"] == "2024-11-19T12:00:00+00:00"
    assert props[1]["range_km"] is None and props[1]["when"] is None
    assert props[0]["tags"] == ["a", "b"]


def test_geojson_reprojects_to_lon_lat(layers: dict[str, gpd.GeoDataFrame]) -> None:
    doc = json.loads(export.to_geojson(layers["line"]))
    lon, lat = doc["features"][0]["geometry"]["coordinates"][0]
    assert 32 < lon < 34 and 49 < lat < 50  # UTM 36N → lon/lat


def test_feature_collection_tags_every_feature_with_its_layer(
    layers: dict[str, gpd.GeoDataFrame],
) -> None:
    doc = export.feature_collection(layers)
    assert [f["properties"]["layer"] for f in doc["features"]] == [
        "reach", "reach", "places", "places", "line"
    ]  # fmt: skip
    json.dumps(doc, allow_nan=False)


def test_geojson_round_trip(layers: dict[str, gpd.GeoDataFrame]) -> None:
    back = gpd.read_file(export.to_geojson(layers["reach"]))
    for a, b in zip(back.geometry, layers["reach"].geometry, strict=True):
        assert a.hausdorff_distance(b) < 2e-7  # rounding to 7 decimals, nothing more
    assert back["label"].tolist() == layers["reach"]["label"].tolist()


def test_gpkg_round_trip(tmp_path: Path, layers: dict[str, gpd.GeoDataFrame]) -> None:
    path = export.to_gpkg(layers, tmp_path / "out.gpkg")
    assert sorted(name for name, _ in pyogrio.list_layers(path)) == ["line", "places", "reach"]
    reach = gpd.read_file(path, layer="reach")
    assert reach.crs.to_epsg() == 4326
    assert json.loads(reach["tags"].iloc[0]) == ["a", "b"]
    assert reach["note"].iloc[0] == '<b>&"quotes"</b>'
    assert math.isnan(reach["range_km"].iloc[1])
    for a, b in zip(reach.geometry, layers["reach"].geometry, strict=True):
        assert a.hausdorff_distance(b) < 2e-7  # rounding to 7 decimals, nothing more
    places = gpd.read_file(path, layer="places")
    assert places["population"].tolist() == [2_900_000, 1_400_000]


def test_kml_is_well_formed_escaped_and_round_trips(layers: dict[str, gpd.GeoDataFrame]) -> None:
    root = ElementTree.fromstring(export.to_kml(layers, name="Kyiv & <friends>"))
    assert root.find("k:Document/k:name", KML_NS).text == "Kyiv & <friends>"
    folders = root.findall("k:Document/k:Folder", KML_NS)
    assert [f.find("k:name", KML_NS).text for f in folders] == ["reach", "places", "line"]
    marks = folders[1].findall("k:Placemark", KML_NS)
    assert marks[1].find("k:name", KML_NS).text == "Kharkiv & co"
    lon, lat = map(float, marks[0].find("k:Point/k:coordinates", KML_NS).text.split(","))
    assert (lon, lat) == pytest.approx((30.5234, 50.4501))
    note = folders[0].find("k:Placemark/k:ExtendedData/k:Data[@name='note']/k:value", KML_NS)
    assert note.text == '<b>&"quotes"</b>'
    donut = folders[0].find("k:Placemark/k:Polygon", KML_NS)
    assert len(donut.findall("k:innerBoundaryIs", KML_NS)) == 1


def test_exports_refuse_frames_without_crs(layers: dict[str, gpd.GeoDataFrame]) -> None:
    bare = gpd.GeoDataFrame({"a": [1]}, geometry=[Point(0, 0)])
    with pytest.raises(InputError, match="no CRS"):
        export.to_geojson(bare)


# --- styled KML -------------------------------------------------------------------------------

FRONT_SOURCE = "DeepStateMap GeoJSON (2024 format), CC BY-NC 4.0"


def _square(x: float, y: float, size: float = 0.5) -> Polygon:
    return Polygon([(x, y), (x + size, y), (x + size, y + size), (x, y + size)])


@pytest.fixture
def scenario_layers() -> dict[str, gpd.GeoDataFrame]:
    """Return layers shaped like ``Scenario.data_layers()``: every kind of styled feature."""
    front = gpd.GeoDataFrame(
        {
            "class": ["occupied_before_2022", "occupied_since_2022", "line_of_contact"],
            "date": ["2024-11-19"] * 3,
            "source": [FRONT_SOURCE] * 3,
            "area_km2": [44_512.3, 66_518.3, 0.0],
            "length_km": [0.0, 0.0, 867.0],
        },
        geometry=[_square(34, 45), _square(37, 47), LineString([(36, 46), (37, 48)])],
        crs="EPSG:4326",
    )
    ranges = gpd.GeoDataFrame(
        {
            "weapon": ["ATACMS", "ATACMS", "Storm Shadow"],
            "label": ["ATACMS 300 km", "ATACMS 300 km (too close)", "Storm Shadow 250 km"],
            "range_km": [300.0, 300.0, 250.0],
            "min_km": [70.0, 70.0, 0.0],
            "ring": ["max", "min", "max"],
            "color_index": [0, 0, 1],
        },
        geometry=[geodesic.disc(36, 50, radius_km=r) for r in (300, 70, 250)],
        crs="EPSG:4326",
    )
    sites = gpd.GeoDataFrame(
        {"name": ["Millerovo", "Engels"], "in_range": [True, False], "distance_km": [149.0, 600.0]},
        geometry=[Point(40.4, 48.95), Point(46.2, 51.48)],
        crs="EPSG:4326",
    )
    places = gpd.GeoDataFrame(
        {"name": ["Kyiv", "Ukrainians"], "demonym_only": [False, True], "population": [2.9e6, 4e7]},
        geometry=[Point(30.52, 50.45), Point(31, 49)],
        crs="EPSG:4326",
    )
    launch = gpd.GeoDataFrame(
        {"name": ["ukraine-held@2024-11-19"], "description": ["territory held by Ukraine"]},
        geometry=[_square(30, 48, 4)],
        crs="EPSG:4326",
    )
    return {
        "frontline": front,
        "launch_area": launch,
        "ranges": ranges,
        "reach_clipped": ranges.iloc[[0]],
        "places": places,
        "sites": sites,
    }


def _styled_kml(
    layers: dict[str, gpd.GeoDataFrame], *, name: str = "Strikes", description: str | None = None
) -> str:
    from layers.style import EXPORT_HIDDEN, EXPORT_NAMES, kml_styles

    return export.to_kml(
        layers,
        name=name,
        styles=kml_styles(),
        folders=EXPORT_NAMES,
        description=description,
        hidden=EXPORT_HIDDEN,
    )


def _style_colors(root: ElementTree.Element) -> dict[str, dict[str, str]]:
    """Return style id → {"line": aabbggrr, "poly": aabbggrr, "fill": 0/1, "width": px}."""
    found = {}
    for style in root.iterfind(".//k:Style", KML_NS):
        found[style.get("id")] = {
            "line": style.findtext("k:LineStyle/k:color", namespaces=KML_NS),
            "width": style.findtext("k:LineStyle/k:width", namespaces=KML_NS),
            "poly": style.findtext("k:PolyStyle/k:color", namespaces=KML_NS),
            "fill": style.findtext("k:PolyStyle/k:fill", namespaces=KML_NS),
        }
    return found


def _kml_hex(color: str) -> str:
    """Read KML's ``aabbggrr`` back as ``#rrggbb`` (written independently of the exporter)."""
    return f"#{color[6:8]}{color[4:6]}{color[2:4]}"


def test_kml_folders_use_the_layer_names_of_the_map_and_the_sidebar(
    scenario_layers: dict[str, gpd.GeoDataFrame],
) -> None:
    root = ElementTree.fromstring(_styled_kml(scenario_layers))
    names = [f.findtext("k:name", namespaces=KML_NS) for f in root.iterfind(".//k:Folder", KML_NS)]
    assert names == [
        "Frontline (all classes)",
        "Launch area",
        "Range rings (every weapon)",
        "Range rings inside the counted countries",
        "Places in the article",
        "Sites (in and out of range)",
    ]
    assert not any("_" in name for name in names)  # no internal keys
    empty = {**scenario_layers, "frontline": scenario_layers["frontline"].iloc[:0]}
    root = ElementTree.fromstring(_styled_kml(empty))  # e.g. a war without a frontline
    assert len(root.findall(".//k:Folder", KML_NS)) == len(scenario_layers) - 1


def test_layer_names_are_the_web_maps_overlay_names_where_it_has_one() -> None:
    import layer_samples as samples

    from layers.assets import render_html
    from layers.style import LAYER_NAMES
    from layers.web_map import build_map

    page = render_html(build_map(samples.all_layers(), offline=False), offline=False)
    _, overlays = samples.layer_control(page)
    for key in ("borders", "launch_area", "places"):  # one overlay each on the map
        assert LAYER_NAMES[key] in overlays


def test_every_kml_placemark_is_named_styled_and_described(
    scenario_layers: dict[str, gpd.GeoDataFrame],
) -> None:
    root = ElementTree.fromstring(_styled_kml(scenario_layers, description="Frontline of X"))
    styles = _style_colors(root)
    marks = list(root.iterfind(".//k:Placemark", KML_NS))
    assert len(marks) == sum(len(g) for g in scenario_layers.values())
    for mark in marks:
        assert mark.findtext("k:name", namespaces=KML_NS).strip()
        assert mark.findtext("k:styleUrl", namespaces=KML_NS).lstrip("#") in styles
        assert "<td>" in mark.findtext("k:description", namespaces=KML_NS)
    names = [m.findtext("k:name", namespaces=KML_NS) for m in marks]
    assert names[:3] == [
        "Occupied before 24 Feb 2022 — DeepStateMap GeoJSON 2024-11-19",
        "Occupied since 24 Feb 2022 — DeepStateMap GeoJSON 2024-11-19",
        "Line of contact — DeepStateMap GeoJSON 2024-11-19",
    ]
    assert names[4:8] == [
        "ATACMS 300 km",
        "ATACMS min 70 km",
        "Storm Shadow 250 km",
        "ATACMS 300 km",
    ]
    assert names[8:] == ["Kyiv", "Ukrainians", "Millerovo", "Engels"]
    assert "300 km" in marks[4].findtext("k:description", namespaces=KML_NS)
    assert root.findtext("k:Document/k:description", namespaces=KML_NS) == "Frontline of X"


def test_kml_colours_widths_and_fills_follow_the_style_table(
    scenario_layers: dict[str, gpd.GeoDataFrame],
) -> None:
    from layers.style import RANGE_FILL_OPACITY, RANGE_WEIGHT, range_color, style_for

    root = ElementTree.fromstring(_styled_kml(scenario_layers))
    styles = _style_colors(root)
    marks = {
        m.findtext("k:name", namespaces=KML_NS): styles[
            m.findtext("k:styleUrl", namespaces=KML_NS).lstrip("#")
        ]
        for m in root.iterfind(".//k:Placemark", KML_NS)
    }
    occupied = style_for("occupied_since_2022")
    got = marks["Occupied since 24 Feb 2022 — DeepStateMap GeoJSON 2024-11-19"]
    assert _kml_hex(got["line"]) == occupied.color
    assert _kml_hex(got["poly"]) == occupied.fill_color
    assert int(got["poly"][:2], 16) / 255 == pytest.approx(occupied.fill_opacity, abs=0.003)
    assert float(got["width"]) == occupied.weight and got["fill"] == "1"
    ring = marks["Storm Shadow 250 km"]  # second weapon: second palette colour, lightly filled
    assert _kml_hex(ring["line"]) == range_color(1) == _kml_hex(ring["poly"])
    assert int(ring["poly"][:2], 16) / 255 == pytest.approx(RANGE_FILL_OPACITY, abs=0.003)
    assert int(ring["poly"][:2], 16) < 0x20 and float(ring["width"]) == RANGE_WEIGHT
    assert marks["ATACMS min 70 km"]["fill"] == "0"  # minimum ring: an outline only
    assert _kml_hex(marks["ATACMS 300 km"]["line"]) == range_color(0)
    for name, key in (("Millerovo", "sites_in_range"), ("Engels", "sites_out_of_range")):
        assert _kml_hex(marks[name]["poly"]) == style_for(key).fill_color
    assert _kml_hex(marks["Ukrainians"]["poly"]) == style_for("places_demonym").fill_color
    # No polygon is left white: every filled style has a colour that is not white.
    assert all(s["poly"][2:] != "ffffff" for s in styles.values())


def test_kml_opens_on_what_the_map_shows(scenario_layers: dict[str, gpd.GeoDataFrame]) -> None:
    root = ElementTree.fromstring(_styled_kml(scenario_layers))
    hidden_folders = [
        f.findtext("k:name", namespaces=KML_NS)
        for f in root.iterfind(".//k:Folder", KML_NS)
        if f.findtext("k:visibility", namespaces=KML_NS) == "0"
    ]
    assert hidden_folders == ["Range rings inside the counted countries"]  # no map draws it
    hidden_marks = {
        m.findtext("k:name", namespaces=KML_NS)
        for m in root.iterfind(".//k:Placemark", KML_NS)
        if m.findtext("k:visibility", namespaces=KML_NS) == "0"
    }
    assert hidden_marks == {"ATACMS 300 km", "Ukrainians"}  # the clipped ring; a demonym


@pytest.mark.parametrize("payload", [p.text for p in all_payloads()[::3]])
def test_hostile_names_are_escaped_in_kml(
    scenario_layers: dict[str, gpd.GeoDataFrame], payload: str
) -> None:
    hostile = {k: v.copy() for k, v in scenario_layers.items()}
    hostile["places"]["name"] = [payload, payload + " 2"]
    hostile["ranges"]["note"] = payload
    hostile["frontline"]["source"] = payload
    text = _styled_kml(hostile, name=payload, description=payload)
    root = ElementTree.fromstring(text)  # well-formed whatever the payload
    assert root.findtext("k:Document/k:name", namespaces=KML_NS) == _printable(payload)
    names = [
        m.findtext("k:name", namespaces=KML_NS) for m in root.iterfind(".//k:Placemark", KML_NS)
    ]
    assert _printable(payload) in names
    for mark in root.iterfind(".//k:Placemark", KML_NS):
        tags = _html_tags(mark.findtext("k:description", namespaces=KML_NS))
        assert tags <= {"table", "tr", "th", "td"}  # the payload is text, never markup


def test_styled_kml_reads_back_with_the_frontline_loader(
    scenario_layers: dict[str, gpd.GeoDataFrame],
) -> None:
    from geo.frontline.kml import load_kml

    text = _styled_kml({"frontline": scenario_layers["frontline"]})
    back = load_kml(text.encode("utf-8"), date="2024-11-19")
    areas = {cls: geom.area for cls, geom in zip(back["class"], back.geometry, strict=True)}
    for cls, geom in zip(
        scenario_layers["frontline"]["class"], scenario_layers["frontline"].geometry, strict=True
    ):
        if geom.geom_type == "Polygon":
            assert areas[cls] == pytest.approx(geom.area, rel=1e-6)


def test_styled_kml_opens_with_gdal(
    tmp_path: Path, scenario_layers: dict[str, gpd.GeoDataFrame]
) -> None:
    path = tmp_path / "map.kml"
    path.write_text(_styled_kml(scenario_layers), encoding="utf-8")
    folders = [name for name, _ in pyogrio.list_layers(path)]
    assert "Range rings (every weapon)" in folders and "Sites (in and out of range)" in folders
    rings = gpd.read_file(path, layer="Range rings (every weapon)")
    assert rings["Name"].tolist() == ["ATACMS 300 km", "ATACMS min 70 km", "Storm Shadow 250 km"]


def test_kml_style_rejects_a_colour_that_is_not_hex() -> None:
    with pytest.raises(ValueError, match="color must be a #rrggbb colour, got 'red'"):
        export.KmlStyle("x", "red")
    assert export.kml_color("#a52714", 0.35) == "591427a5"


def _printable(text: str) -> str:
    return "".join(c for c in text if c in "\t\n\r" or ord(c) >= 0x20)


def _html_tags(fragment: str) -> set[str]:
    from html.parser import HTMLParser

    tags: set[str] = set()

    class Collect(HTMLParser):
        def handle_starttag(self, tag: str, attrs: object) -> None:
            tags.add(tag)

    Collect().feed(fragment)
    return tags
