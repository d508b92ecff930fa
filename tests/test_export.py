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
