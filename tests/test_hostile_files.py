"""User geometry files are only what their ending says, within limits, with lon/lat coordinates."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from hostile import geometry_documents
from shapely.geometry import box

from geo._errors import InputError
from geo._files import parse_json, read_geometry_file, read_user_file
from geo.launch import launch_area_from_file

DOCUMENTS = dict(geometry_documents(large=False))


def write(tmp_path: Path, name: str) -> Path:
    path = tmp_path / name
    path.write_bytes(DOCUMENTS[name])
    return path


@pytest.mark.parametrize(
    ("name", "message"),
    [
        ("vrt-curl.json", "is XML .*GDAL VRT.*refused"),
        ("vrt-passwd.json", "is XML"),
        ("vrt-bom.json", "is XML"),
        ("not-json.geojson", "is not valid JSON"),
        ("list.geojson", "not a GeoJSON object"),
        ("nondict-feature.geojson", "feature 0 is not a GeoJSON Feature"),
        ("infinity.geojson", "not a plain finite number"),
        ("nan.geojson", "not a plain finite number"),
        ("bigint.geojson", "not a plain finite number"),
        ("1e308.geojson", "lon -180..180, lat -90..90"),
        ("lon1000.geojson", r"lon -180..180, lat -90..90 \(e.g. 1000, 10\)"),
        ("lat95.geojson", "lon -180..180, lat -90..90"),
        ("deep.geojson", "nested too deeply"),
        ("bools.geojson", "a position must be 2 or 3 numbers"),
        ("strings.geojson", "a position must be 2 or 3 numbers"),
        ("onepoint-ring.geojson", "malformed Polygon"),
        ("crs-url.geojson", "not an EPSG code"),
        ("gpkg-fake.gpkg", "not a GeoPackage"),
        ("gpkg-text.gpkg", "not a GeoPackage"),
        ("binary.geojson", "not UTF-8"),
        ("utf16.geojson", "not UTF-8"),
    ],
)
def test_hostile_geometry_files_are_refused_with_a_message(
    tmp_path: Path, name: str, message: str
) -> None:
    with pytest.raises(InputError, match=message):
        read_geometry_file(write(tmp_path, name))


def test_feature_and_vertex_counts_are_limited(tmp_path: Path) -> None:
    path = write(tmp_path, "ok.geojson")
    with pytest.raises(InputError, match="has 1 features; at most 0"):
        read_geometry_file(path, max_features=0)
    with pytest.raises(InputError, match="over 4 vertices"):
        read_geometry_file(path, max_vertices=4)
    assert len(read_geometry_file(path, max_vertices=5)) == 1


@pytest.mark.parametrize("target", ["/dev/zero", "/dev/urandom", "/tmp"])
def test_devices_and_folders_are_refused_before_reading(tmp_path: Path, target: str) -> None:
    link = tmp_path / "innocent.geojson"
    link.symlink_to(target)
    with pytest.raises(InputError, match=r"not a regular file|is a folder"):
        read_geometry_file(link)


@pytest.mark.parametrize(
    "path", ["/vsicurl/http://127.0.0.1:9/x.json", "http://127.0.0.1:9/x.json", "/vsizip/a.zip"]
)
def test_urls_and_gdal_virtual_paths_are_never_opened(path: str) -> None:
    with pytest.raises(InputError, match="not a local file path"):
        read_user_file(path, max_bytes=100)


def test_the_size_limit_is_checked_before_reading(tmp_path: Path) -> None:
    path = tmp_path / "sparse.geojson"
    with path.open("wb") as handle:
        handle.truncate(10**9)  # a 1 GB sparse file: reading it would take seconds
    with pytest.raises(InputError, match="1,000,000,000 bytes, over the limit of 20,000,000"):
        read_geometry_file(path)


def test_a_polygon_across_the_antimeridian_is_split_not_wrapped_round_the_world(
    tmp_path: Path,
) -> None:
    geom = read_geometry_file(write(tmp_path, "antimeridian.geojson")).geometry.iloc[0]
    assert geom.geom_type == "MultiPolygon"
    assert sorted(round(p.area, 6) for p in geom.geoms) == [2.0, 2.0]  # 1°×2° each side
    assert geom.bounds == (-180.0, 0.0, 180.0, 2.0)


def test_a_projected_crs_member_is_honoured(tmp_path: Path) -> None:
    doc = {
        "type": "FeatureCollection",
        "crs": {"type": "name", "properties": {"name": "urn:ogc:def:crs:EPSG::3857"}},
        "features": [{"type": "Feature", "properties": {}, "geometry": {
            "type": "Point", "coordinates": [3339584.7, 6446275.8]}}],
    }  # fmt: skip
    path = tmp_path / "mercator.geojson"
    path.write_text(json.dumps(doc), encoding="utf-8")
    point = read_geometry_file(path).geometry.iloc[0]
    assert (point.x, point.y) == pytest.approx((30.0, 50.0), abs=1e-6)


def test_a_geopackage_is_read_with_its_properties(tmp_path: Path) -> None:
    import geopandas as gpd

    path = tmp_path / "area.gpkg"
    gpd.GeoDataFrame({"name": ["a"]}, geometry=[box(30, 50, 31, 51)], crs=4326).to_file(path)
    frame = read_geometry_file(path)
    assert list(frame["name"]) == ["a"] and frame.crs.to_epsg() == 4326


def test_a_geojson_named_gpkg_is_not_a_geopackage(tmp_path: Path) -> None:
    path = tmp_path / "fake.gpkg"
    path.write_bytes(DOCUMENTS["ok.geojson"])
    with pytest.raises(InputError, match="not a GeoPackage"):
        read_geometry_file(path)


def test_a_launch_polygon_must_be_an_area(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="has no polygons"):
        launch_area_from_file(write(tmp_path, "zero-area.geojson"))
    area = launch_area_from_file(write(tmp_path, "ok.geojson"))
    assert area.kind == "file" and area.area_km2 > 1000


def test_json_errors_are_messages() -> None:
    with pytest.raises(InputError, match="not a GeoJSON object"):
        parse_json(b"3", name="x")
    with pytest.raises(InputError, match="not a plain finite number"):
        parse_json(b'{"a": -Infinity}', name="x")
