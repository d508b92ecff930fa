"""The offline gazetteer: region codes, cities, facts and a fast cached start."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import numpy as np
import pytest
from pyproj import Geod

from geo import settings
from geo.places import _build, _cache, gazetteer

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


@pytest.mark.parametrize("name", ["K\u200bursk region", "Kur\u00adsk Oblast", "\ufeffKursk region"])
def test_region_names_hiding_invisible_characters_are_read(name: str) -> None:
    assert gazetteer.region_code(name) == "RU-KRS"


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


def test_a_start_from_the_disk_cache_maps_the_arrays_and_rebuilds_nothing() -> None:
    """A fresh process reads the cached index memory-mapped, builds nothing, imports no pandas.

    (How fast that start is is measured by ``bench/places_speed.py``, not asserted here.)
    """
    gazetteer.load_index()  # make sure the cache entry exists
    code = (
        "import sys\n"
        "import numpy as np\n"
        "from geo.places import _build, gazetteer\n"
        "def refuse():\n"
        "    raise AssertionError('the index was rebuilt')\n"
        "_build.build_arrays = refuse\n"
        "from geo.places.resolve import place_records\n"
        "records = place_records('Shelling hit Kharkiv.')\n"
        "ix = gazetteer.load_index()\n"
        "def mapped(a):\n"
        "    while a is not None and not isinstance(a, np.memmap):\n"
        "        a = getattr(a, 'base', None)\n"
        "    return a is not None\n"
        "mapped = [mapped(a) for a in (ix.lat, ix.rows, ix.population)]\n"
        "heavy = sorted({'geopandas', 'pandas', 'shapely'} & set(sys.modules))\n"
        "print([r['name'] for r in records], mapped, heavy)\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.split("\n")[0] == "['Kharkiv'] [True, True, True] []"


# ------------------------------------------------------------------ the disk cache (issue 9)

#: A stand-in for the (slow) GeoNames build: two places, built through the real packer.
TINY_BUILD = """
from geo.places import _build, gazetteer as g

def tiny():
    b = _build._Builder()
    row = b.add(name="Testville", kind=g.CITY, country="UA", geonameid=1, population=9, lat=50.0,
                lon=30.0)
    b.name("Testville", row, g.PRIMARY)
    b.name("Old Testville", b.add(name="Other", kind=g.REGION, lat=1.0, lon=2.0), g.ALTERNATE)
    return b.pack()
"""


@pytest.fixture
def tiny_cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """Give an empty cache folder and the tiny build in this process; the real index after."""
    folder = tmp_path / "cache"
    monkeypatch.setenv("RANGEMAP_CACHE_DIR", str(folder))
    namespace: dict[str, object] = {}
    exec(TINY_BUILD, namespace)
    monkeypatch.setattr(_build, "build_arrays", namespace["tiny"])
    gazetteer._load_index_cached.cache_clear()
    yield folder
    monkeypatch.undo()
    gazetteer._load_index_cached.cache_clear()


def entries(folder: Path) -> list[Path]:
    return sorted(folder.iterdir()) if folder.is_dir() else []


def test_the_cache_holds_plain_arrays_that_load_without_pickle(tiny_cache: Path) -> None:
    ix = gazetteer.load_index()
    assert ix.name[ix.candidates("testville")[0][0]] == "Testville"
    [entry] = entries(tiny_cache)
    files = sorted(p.name for p in entry.iterdir())
    plain = [f for f in files if f not in ("meta.json", "verified.json")]
    assert "meta.json" in files and all(f.endswith(".npy") for f in plain)
    for path in entry.glob("*.npy"):
        np.load(path, allow_pickle=False)  # raises if an array needed pickle


def test_four_concurrent_cold_starts_all_succeed_and_share_one_entry(tmp_path: Path) -> None:
    folder = tmp_path / "cache"
    code = TINY_BUILD + (
        "import time\n"
        "def slow():\n"
        "    time.sleep(0.3)  # widen the window in which the four builds overlap\n"
        "    return tiny()\n"
        "_build.build_arrays = slow\n"
        "print(len(g.load_index().name))\n"
    )
    env = {**os.environ, "RANGEMAP_CACHE_DIR": str(folder)}
    procs = [
        subprocess.Popen([sys.executable, "-c", code], env=env, stdout=subprocess.PIPE, text=True)
        for _ in range(4)
    ]
    outputs = [p.communicate(timeout=60)[0].strip() for p in procs]
    assert [p.returncode for p in procs] == [0, 0, 0, 0]
    assert outputs == ["2"] * 4
    [entry] = entries(folder)  # no temporary folder left behind
    assert entry.name.startswith("gazetteer-")


@pytest.mark.parametrize("how", ["folder is a file", "folder is read-only"])
def test_an_unusable_cache_folder_falls_back_to_memory(
    tiny_cache: Path, how: str, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    if how == "folder is a file":
        tiny_cache.write_text("not a folder")
    else:
        tiny_cache.mkdir()

        def read_only(**_: object) -> str:
            raise PermissionError(30, "Read-only file system")

        monkeypatch.setattr(_cache.tempfile, "mkdtemp", read_only)
    ix = gazetteer.load_index()
    assert ix.candidates("testville")
    assert "gazetteer" in caplog.text and "memory" in caplog.text


def corrupt(entry: Path, how: str) -> None:
    """Damage a cache entry the way a crash, a full disk or an attacker would."""
    target = entry / "lat.npy"
    data = target.read_bytes()
    if how == "truncated":
        target.write_bytes(data[: len(data) - 5])
    elif how == "flipped byte":
        target.write_bytes(data[:-1] + bytes([data[-1] ^ 0xFF]))
    elif how == "pickled object array":
        np.save(target, np.array([{"x": 1}, None], dtype=object), allow_pickle=True)
    elif how == "garbage metadata":
        (entry / "meta.json").write_text("{not json")
    elif how == "inconsistent rows":
        rows = entry / "rows.npy"
        np.save(rows, np.full(np.load(rows).shape, 10**6, dtype=np.int32))
        meta = json.loads((entry / "meta.json").read_text())
        meta["arrays"]["rows"]["crc32"] = _cache._crc(np.load(rows))
        (entry / "meta.json").write_text(json.dumps(meta))


@pytest.mark.parametrize(
    "how",
    ["truncated", "flipped byte", "pickled object array", "garbage metadata", "inconsistent rows"],
)
def test_a_damaged_cache_is_rebuilt_never_trusted(tiny_cache: Path, how: str) -> None:
    gazetteer.load_index()
    [entry] = entries(tiny_cache)
    corrupt(entry, how)
    assert _cache.read(entry) is None
    gazetteer._load_index_cached.cache_clear()
    ix = gazetteer.load_index()
    assert float(ix.lat[ix.candidates("testville")[0][0]]) == 50.0
    assert _cache.read(entry) is not None  # the entry was replaced by a sound one


def test_a_settled_entry_skips_the_crc_pass_until_one_of_its_files_is_written(
    tiny_cache: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(_cache, "_SETTLED_S", 0.0)
    gazetteer.load_index()
    [entry] = entries(tiny_cache)
    assert _cache.read(entry) is not None  # a full check, which leaves a stamp
    assert (entry / "verified.json").is_file()
    crc = _cache._crc

    def no_crc(array: np.ndarray) -> int:
        raise AssertionError("a stamped entry is read without its CRC pass")

    monkeypatch.setattr(_cache, "_crc", no_crc)
    assert _cache.read(entry) is not None
    time.sleep(0.05)  # past the filesystem clock's tick
    corrupt(entry, "flipped byte")  # same size, same inode
    monkeypatch.setattr(_cache, "_crc", crc)
    assert _cache.read(entry) is None


def test_a_freshly_written_entry_gets_no_stamp(tiny_cache: Path) -> None:
    gazetteer.load_index()
    [entry] = entries(tiny_cache)
    assert _cache.read(entry) is not None
    assert not (entry / "verified.json").exists()  # younger than _SETTLED_S: checked in full


def test_writing_an_entry_keeps_only_the_newest_few(tiny_cache: Path) -> None:
    tiny_cache.mkdir(parents=True)
    for i in range(5):
        old = tiny_cache / f"gazetteer-old{i}"
        old.mkdir()
        (old / "meta.json").write_text("{}")
        os.utime(old, (1_000_000 + i, 1_000_000 + i))
    (tiny_cache / "gazetteer-0123.pkl").write_bytes(b"old pickle")
    (tiny_cache / "notes.txt").write_text("not ours")
    gazetteer.load_index()
    left = sorted(p.name for p in tiny_cache.iterdir())
    assert [n for n in left if n.startswith("gazetteer-old")] == [
        "gazetteer-old3",
        "gazetteer-old4",
    ]
    assert "gazetteer-0123.pkl" not in left and "notes.txt" in left
    assert len([n for n in left if n.startswith("gazetteer-") and "old" not in n]) == 1
