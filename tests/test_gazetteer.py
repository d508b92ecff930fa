"""The offline gazetteer: region codes, cities, facts and a fast cached start."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest
from pyproj import Geod

from geo import settings
from geo.places import gazetteer

GEOD = Geod(ellps="WGS84")


@pytest.mark.parametrize(
    ("name", "code"),
    [
        ("Kursk region", "RU-KRS"),
        ("Kursk Oblast", "RU-KRS"),
        ("kursk oblast", "RU-KRS"),
        ("Sumy oblast", "UA-59"),
        ("Belgorod region", "RU-BEL"),
        ("Kharkiv Oblast", "UA-63"),
        ("Crimea", "UA-43"),
        ("Bavaria", "DE-BY"),
        ("Texas", "US-TX"),
    ],
)
def test_region_code_reads_plain_names(name: str, code: str) -> None:
    assert gazetteer.region_code(name) == code


@pytest.mark.parametrize("name", ["Atlantis", "NATO", ""])
def test_region_code_is_none_for_unknown_names(name: str) -> None:
    assert gazetteer.region_code(name) is None


def test_cities_filter_by_population_in_wgs84() -> None:
    big = gazetteer.cities(min_population=1_000_000)
    assert big.crs.to_epsg() == 4326
    assert list(big.columns) == [
        "name",
        "country_code",
        "admin1_code",
        "population",
        "geonameid",
        "geometry",
    ]
    assert (big["population"] >= 1_000_000).all()
    kyiv = big[big["geonameid"] == 703448].iloc[0]
    _, _, metres = GEOD.inv(30.5234, 50.4501, kyiv.geometry.x, kyiv.geometry.y)
    assert metres < 5_000
    assert kyiv["admin1_code"] == "UA-30"
    assert 200 < len(big) < 1000
    assert len(gazetteer.cities()) > 200_000


def test_cities_rejects_negative_population() -> None:
    with pytest.raises(ValueError, match="min_population must be >= 0, got -1"):
        gazetteer.cities(min_population=-1)


@pytest.mark.parametrize(
    ("key", "name", "kind"),
    [
        ("kiev", "Kyiv", "city"),
        ("odessa", "Odesa", "city"),
        ("kharkov", "Kharkiv", "city"),
        ("donbass", "Donbas", "region"),
        ("black sea", "Black Sea", "water"),
        ("kremlin", "Moscow", "city"),
        ("european union", "European Union", "union"),
        ("europe", "Europe", "continent"),
        ("ukrainian", "Ukraine", "country"),
    ],
)
def test_index_knows_alternate_names_and_facts(key: str, name: str, kind: str) -> None:
    ix = gazetteer.load_index()
    found = {(ix.name[r], gazetteer.KINDS[ix.kind[r]]) for r, _ in ix.candidates(key)}
    assert (name, kind) in found


def test_every_fact_has_a_valid_point() -> None:
    facts = json.loads(settings.data_path("gazetteer", "facts.json").read_text("utf-8"))
    for place in facts["places"]:
        assert -90 <= place["lat"] <= 90 and -180 <= place["lon"] <= 180, place["name"]
        assert place["kind"] in gazetteer.KINDS
    ix = gazetteer.load_index()
    gids = set(ix.geonameid.tolist())
    assert all(poi["geonameid"] in gids for poi in facts["pois"])


def test_cold_start_from_the_disk_cache_is_fast() -> None:
    """Importing rangemap and answering takes < 0.5 s (geopandas import excluded; best of 3)."""
    gazetteer.load_index()  # make sure the cache file exists
    code = (
        "import time, geopandas\n"
        "t = time.perf_counter()\n"
        "from geo.places.resolve import places_from_text\n"
        "places_from_text('Shelling hit Kharkiv.')\n"
        "print(time.perf_counter() - t)\n"
    )
    runs = [
        subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
        for _ in range(3)
    ]
    assert min(float(out.stdout.split()[-1]) for out in runs) < 0.5
