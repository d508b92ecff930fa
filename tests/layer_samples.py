"""Synthetic layer GeoDataFrames with the schemas ``layers.web_map.build_map`` expects.

Used by the layer unit tests and by the browser fixture app. Geometry is hand-made: discs are
exact geodesic circles (an azimuthal-equidistant buffer centred on the launch point), places
and sites are at hand-checked coordinates.
"""

from __future__ import annotations

import geopandas as gpd
from shapely.geometry import LineString, Point, Polygon, box

#: A payload that must show as text wherever user text is displayed.
XSS = "<script>alert(1)</script><img src=x onerror=alert(2)>`${alert(3)}`"
KYIV = (30.5234, 50.4501)
MOSCOW = (37.6173, 55.7558)
KURSK = (36.1874, 51.7373)


def disc(lon: float, lat: float, radius_km: float) -> Polygon:
    """Return the geodesic disc of ``radius_km`` around a point, in EPSG:4326."""
    aeqd = f"+proj=aeqd +lat_0={lat} +lon_0={lon} +datum=WGS84 +units=m"
    circle = gpd.GeoSeries([Point(0, 0).buffer(radius_km * 1000, 64)], crs=aeqd)
    polygon: Polygon = circle.to_crs(4326).iloc[0]
    return polygon


def countries() -> gpd.GeoDataFrame:
    """Return two boxy 'countries' (UA-ish and RU-ish) that share a border along 40° E."""
    return gpd.GeoDataFrame(
        {"iso_a2": ["UA", "RU"], "iso_a3": ["UKR", "RUS"], "name": ["Ukraine", "Russia"]},
        geometry=[box(22.0, 44.5, 40.0, 52.3), box(40.0, 44.5, 60.0, 60.0)],
        crs=4326,
    )


def frontline(*, source: str = "sample") -> gpd.GeoDataFrame:
    """Return a snapshot with an occupied area, the Kursk salient and a line of contact."""
    return gpd.GeoDataFrame(
        {
            "class": ["occupied_since_2022", "ukrainian_held_in_russia", "line_of_contact"],
            "date": ["2024-11-19"] * 3,
            "source": [source] * 3,
            "area_km2": [100_000.0, 650.0, None],
        },
        geometry=[
            box(36.0, 46.5, 39.5, 48.5),
            box(35.0, 51.2, 35.6, 51.5),
            LineString([(36.0, 48.5), (39.5, 48.5)]),
        ],
        crs=4326,
    )


def launch_areas() -> gpd.GeoDataFrame:
    """Return one launch area around Sumy."""
    return gpd.GeoDataFrame(
        {"name": ["Sumy area"], "description": ["launchers near the border"]},
        geometry=[box(33.5, 50.5, 35.5, 51.5)],
        crs=4326,
    )


def ranges(*, label: str | None = None) -> gpd.GeoDataFrame:
    """Return rings around Kursk: ATACMS 300 km (minimum 80 km) and Taurus 500 km."""
    return gpd.GeoDataFrame(
        {
            "weapon": ["ATACMS", "ATACMS", "Taurus"],
            "range_km": [300.0, 300.0, 500.0],
            "min_km": [80.0, 80.0, None],
            "ring": ["annulus", "min", "max"],
            "label": ["ATACMS (300 km)", "ATACMS (300 km)", label or "Taurus (500 km)"],
        },
        geometry=[
            disc(*KURSK, 300).difference(disc(*KURSK, 80)),
            disc(*KURSK, 80),
            disc(*KURSK, 500),
        ],
        crs=4326,
    )


def places(*, name: str = "Kyiv", sentence: str = "Kyiv was quiet.") -> gpd.GeoDataFrame:
    """Return a city, a country and a demonym-only mention."""
    return gpd.GeoDataFrame(
        {
            "name": [name, "Russia", "Russia (demonym)"],
            "kind": ["city", "country", "country"],
            "country_code": ["UA", "RU", "RU"],
            "population": [2_952_301, 144_000_000, None],
            "surfaces": [[name], ["Russia"], ["Russian"]],
            "confidence": [0.95, 0.9, 0.6],
            "sentence": [sentence, "Russia said so.", "Russian forces moved."],
            "demonym_only": [False, False, True],
        },
        geometry=[Point(*KYIV), Point(*MOSCOW), Point(*MOSCOW)],
        crs=4326,
    )


def sites(*, url: str = "https://example.org/kursk") -> gpd.GeoDataFrame:
    """Return one airfield in range, one out of range."""
    return gpd.GeoDataFrame(
        {
            "name": ["Kursk Khalino", "Engels"],
            "type": ["air base", "air base"],
            "country_code": ["RU", "RU"],
            "source_title": ["Example source", "Example source"],
            "source_url": [url, "https://example.org/engels"],
            "in_range": [True, False],
            "distance_km": [45.0, 610.0],
        },
        geometry=[Point(36.2950, 51.7506), Point(46.2000, 51.4800)],
        crs=4326,
    )


def all_layers(**overrides: gpd.GeoDataFrame) -> dict[str, gpd.GeoDataFrame]:
    """Return every layer key with a sample frame (``overrides`` replaces some)."""
    layers = {
        "borders": countries(),
        "frontline": frontline(),
        "launch_area": launch_areas(),
        "ranges": ranges(),
        "places": places(),
        "sites": sites(),
    }
    layers.update(overrides)
    return layers


def layer_control(page: str) -> tuple[list[str], list[str]]:
    """Return the (base layer names, overlay names) of a rendered map's LayerControl."""
    import json
    import re

    def names(block: str) -> list[str]:
        return [json.loads(n) for n in re.findall(r'^\s*("(?:[^"\\]|\\.)*") :', block, re.M)]

    base = re.search(r"base_layers : \{(.*?)\},", page, re.S)
    overlays = re.search(r"overlays :  \{(.*?)\},", page, re.S)
    assert base and overlays, "no LayerControl in the page"
    return names(base.group(1)), names(overlays.group(1))
