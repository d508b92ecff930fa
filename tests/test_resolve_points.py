"""Every GeoNames area we return sits at GeoNames' own point: its geonameid and point agree."""

from __future__ import annotations

import json

import numpy as np
import pytest
from pyproj import Geod

from geo import settings
from geo.places import gazetteer
from geo.places.gazetteer import CITY
from geo.places.resolve import places_from_text

GEOD = Geod(ellps="WGS84")
POINTS = json.loads(settings.data_path("gazetteer", "geonames_points.json").read_text("utf-8"))


def test_the_points_file_holds_valid_coordinates_keyed_by_geonames_id() -> None:
    points = POINTS["points"]
    assert len(points) > 4000 and "GeoNames" in POINTS["source"]
    lat = np.array([p[0] for p in points.values()])
    lon = np.array([p[1] for p in points.values()])
    assert all(k.isdigit() for k in points)
    assert (np.abs(lat) <= 90).all() and (np.abs(lon) <= 180).all()


def test_every_area_of_the_index_with_a_geonames_point_sits_on_it() -> None:
    ix = gazetteer.load_index()
    points = POINTS["points"]
    rows = [
        r for r in range(len(ix.kind)) if ix.kind[r] != CITY and str(int(ix.geonameid[r])) in points
    ]
    assert len(rows) > 4000
    for r in rows:
        assert [ix.lat[r], ix.lon[r]] == pytest.approx(points[str(int(ix.geonameid[r]))])


@pytest.mark.parametrize(
    ("text", "code", "lat", "lon"),
    [
        # GeoNames 6252001 United States: 39.76, -98.5 (geonames.org/6252001).
        ("Talks between the U.S. and Mexico stalled.", "US", 39.76, -98.5),
        # GeoNames 6093943 Ontario: 49.25014, -84.49983.
        ("Farmers in Ontario expect a late harvest.", "CA-ON", 49.25014, -84.49983),
        # GeoNames 4736286 Texas: 31.25044, -99.25061.
        ("Wildfires burned across Texas on Sunday.", "US-TX", 31.25044, -99.25061),
    ],
)
def test_countries_and_regions_resolve_to_geonames_own_point(
    text: str, code: str, lat: float, lon: float
) -> None:
    found = places_from_text(text)
    row = found[found["code"] == code].iloc[0]
    metres = GEOD.inv(lon, lat, row.geometry.x, row.geometry.y)[2]
    assert metres < 1000
