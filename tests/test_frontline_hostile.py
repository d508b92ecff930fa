"""Hostile frontline files (issue 9): a message, never a traceback, a stall or a silent zero.

Every file is generated here; each must either load or raise ``InputError`` naming the problem.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from geo import frontline
from geo._errors import InputError
from geo.frontline import geojson, kml

SQUARE = [[36.0, 48.0], [36.1, 48.0], [36.1, 48.1], [36.0, 48.1], [36.0, 48.0]]


def _polygon(ring: list[list[float]], props: object = None) -> dict[str, object]:
    return {
        "type": "Feature",
        "properties": {"class": "occupied"} if props is None else props,
        "geometry": {"type": "Polygon", "coordinates": [ring]},
    }


def _collection(*features: object) -> str:
    return json.dumps({"type": "FeatureCollection", "features": list(features)})


def _write(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


@pytest.mark.parametrize(
    ("name", "text", "message"),
    [
        ("bigint.geojson", '{"type": "FeatureCollection", "n": 1' + "0" * 5000 + "}",
         "not a plain finite number"),
        ("inf.geojson", '{"type": "FeatureCollection", "features": [{"type": "Feature", '
         '"properties": {}, "geometry": {"type": "Polygon", "coordinates": '
         "[[[Infinity, 1], [2, NaN], [3, 3], [Infinity, 1]]]}}]}", "not a plain finite number"),
        ("lon1000.geojson", _collection(_polygon([[1000, 48], [1001, 48], [1001, 49], [1000, 48]])),
         r"\(1000, 48\) is not lon -180..180"),
        ("lat95.geojson", _collection(_polygon([[30, 95], [31, 95], [31, 96], [30, 95]])),
         r"\(30, 95\) is not lon -180..180, lat -90..90"),
        ("e308.geojson", _collection(_polygon([[1e308, 48], [31, 48], [31, 49], [1e308, 48]])),
         "is not lon -180..180"),
        ("world.geojson", _collection(_polygon([[-180, -90], [180, -90], [180, 90], [-180, 90],
                                                [-180, -90]])), "whole-world"),
    ],
)  # fmt: skip
def test_hostile_geojson_is_refused_with_a_message(
    tmp_path: Path, name: str, text: str, message: str
) -> None:
    with pytest.raises(InputError, match=message):
        frontline.load_file(_write(tmp_path, name, text))


def test_non_dict_features_and_properties_are_skipped_not_crashed_on(tmp_path: Path) -> None:
    text = _collection(1, "x", None, [1], _polygon(SQUARE, props=[1, 2]), _polygon(SQUARE))
    gdf = frontline.load_file(_write(tmp_path, "odd.geojson", text))
    assert set(gdf["class"]) <= {"occupied_since_2022", "unclassified"}


def test_a_zero_area_polygon_never_becomes_a_line_of_contact(tmp_path: Path) -> None:
    flat = [[30.0, 48.0], [31.0, 48.0], [32.0, 48.0], [30.0, 48.0]]
    with pytest.warns(frontline.FrontlineRepairWarning):
        gdf = frontline.load_file(_write(tmp_path, "flat.geojson", _collection(_polygon(flat))))
    assert "line_of_contact" not in set(gdf["class"])


def test_too_many_features_or_vertices_are_refused_before_any_geometry_work(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(geojson, "MAX_FEATURES", 50)
    many = _write(tmp_path, "many.geojson", _collection(*[_polygon(SQUARE)] * 51))
    with pytest.raises(InputError, match="51 features, more than the 50"):
        frontline.load_file(many)
    monkeypatch.setattr(geojson, "MAX_VERTICES", 1000)
    ring = [[36 + i * 1e-4, 48 + (i % 2) * 1e-4] for i in range(1200)] + [[36, 48]]
    dense = _write(tmp_path, "dense.geojson", _collection(_polygon(ring)))
    with pytest.raises(InputError, match="more than 1,000 vertices"):
        frontline.load_file(dense)


def test_a_file_over_the_size_limit_is_refused_before_it_is_parsed(tmp_path: Path) -> None:
    big = _write(tmp_path, "big.geojson", " " * 2048)
    with pytest.raises(InputError, match="over the limit"):
        frontline.load_file(big, max_bytes=1024)


def _kml(body: str) -> str:
    return (
        '<?xml version="1.0"?><kml xmlns="http://www.opengis.net/kml/2.2"><Document>'
        f"{body}</Document></kml>"
    )


def test_kml_with_thousands_of_nested_folders_is_refused(tmp_path: Path) -> None:
    placemark = (
        "<Placemark><name>occupied</name><Polygon><outerBoundaryIs><LinearRing><coordinates>"
        "36,48 36.1,48 36.1,48.1 36,48</coordinates></LinearRing></outerBoundaryIs></Polygon>"
        "</Placemark>"
    )
    body = "<Folder>" * 3000 + placemark + "</Folder>" * 3000
    with pytest.raises(InputError, match=f"nested more than {kml.MAX_FOLDER_DEPTH} deep"):
        frontline.load_file(_write(tmp_path, "nested.kml", _kml(body)))


def test_a_one_point_kml_linestring_is_dropped_with_a_warning(tmp_path: Path) -> None:
    body = "<Placemark><name>front</name><LineString><coordinates>36,48</coordinates>"
    body += "</LineString></Placemark>"
    with pytest.warns(frontline.FrontlineRepairWarning, match="one point"):
        gdf = frontline.load_file(_write(tmp_path, "one.kml", _kml(body)))
    assert len(gdf) == 0


def _grid(n: int) -> str:
    """Return a FeatureCollection of ``n`` small separate squares (a hostile file's shape)."""
    features = [
        _polygon(
            [[30 + (i % 100) * 0.01 + dx, 45 + (i // 100) * 0.01 + dy] for dx, dy in
             ((0, 0), (0.005, 0), (0.005, 0.005), (0, 0.005), (0, 0))]
        )
        for i in range(n)
    ]  # fmt: skip
    return _collection(*features)


def test_loading_many_polygons_builds_and_unions_them_in_array_calls(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Issue 9 stall: the shapely calls of a load do not grow with the number of features."""
    import shapely

    counts: dict[str, int] = {}
    for name in ("from_geojson", "union_all", "is_valid", "make_valid"):
        real = getattr(shapely, name)

        def counted(*args: object, _real: object = real, _name: str = name, **kw: object) -> object:
            counts[_name] = counts.get(_name, 0) + 1
            return _real(*args, **kw)  # type: ignore[operator]

        monkeypatch.setattr(shapely, name, counted)
    monkeypatch.setattr(geojson, "shape", lambda *a: pytest.fail("per-feature shape() call"))
    calls = []
    for n in (20, 400):
        counts.clear()
        gdf = frontline.load_file(_write(tmp_path, f"grid{n}.geojson", _grid(n)))
        assert gdf.loc[gdf["class"] == "occupied_since_2022", "area_km2"].item() > 0
        calls.append(dict(counts))
    assert calls[0] == calls[1]
    assert calls[1]["from_geojson"] == 1


def test_many_separate_polygons_keep_their_area(tmp_path: Path) -> None:
    """The union of separate squares is their sum (geodesic reference: pyproj.Geod)."""
    from pyproj import Geod

    text = _grid(300)
    gdf = frontline.load_file(_write(tmp_path, "grid.geojson", text))
    geod = Geod(ellps="WGS84")
    expected = (
        sum(
            abs(geod.polygon_area_perimeter(*zip(*f["geometry"]["coordinates"][0], strict=True))[0])
            for f in json.loads(text)["features"]
        )
        / 1e6
    )
    area = gdf.loc[gdf["class"] == "occupied_since_2022", "area_km2"].item()
    assert area == pytest.approx(expected, abs=0.1)
