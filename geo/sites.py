"""Military sites: the Russian sites counted in range, and bases anywhere to launch from.

:func:`sites` are Russian military sites (airbases, airfields, naval bases ...), the
targets the Russia–Ukraine statistics count. :func:`bases` are launch places anywhere —
military airfields from ``airportsdata`` (``data/sites/airfields.csv``) and bases and ports it
lacks, written by hand (``data/sites/bases.toml``); :func:`find_base` and
:func:`bases_in_text` find them by name.

The list is written by hand with one cited source per row (``data/sites/sites.toml``) and
built into ``data/sites/sites.geojson`` by ``scripts/build_sites.py``; see
``data/sites/README.md``. It is a selection, not a census: the Institute for the Study of War
counted at least 245 known Russian military objects, including 16 airfields, within ATACMS
range of Ukrainian-held territory in November 2024.

Every function returns data in EPSG:4326.
"""

from __future__ import annotations

import csv
import re
import tomllib
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache, lru_cache

import geopandas as gpd

from geo._errors import InputError, NotFoundError
from geo.settings import data_path

#: Columns of :func:`sites`, in order.
SITE_COLUMNS: tuple[str, ...] = (
    "name",
    "type",
    "country_code",
    "operator",
    "source_title",
    "source_url",
    "source_publisher",
    "aliases",
    "icao",
    "geometry",
)
#: Types of site the bundled list uses.
SITE_TYPES: tuple[str, ...] = (
    "airbase",
    "airfield",
    "naval base",
    "depot",
    "hq",
    "factory",
    "air defence",
)


def sites(*, types: Iterable[str] | None = None) -> gpd.GeoDataFrame:
    """Return the bundled military sites.

    Parameters
    ----------
    types
        Keep only these types (see :data:`SITE_TYPES`); every site when None.

    Returns
    -------
    geopandas.GeoDataFrame
        One point per site with the columns of :data:`SITE_COLUMNS`: ``name``, ``type``,
        ``country_code`` (ISO alpha-2 of the internationally recognised territory, so sites
        in occupied Crimea are ``UA``), ``operator``, ``source_title``, ``source_url``,
        ``source_publisher``, ``aliases`` (``|``-separated), ``icao`` (may be empty), in
        EPSG:4326. A copy: callers may modify it.

    Raises
    ------
    InputError
        If a requested type is unknown.
    """
    frame = _load().copy()
    if types is not None:
        wanted = [types] if isinstance(types, str) else list(types)
        unknown = sorted(set(wanted) - set(SITE_TYPES))
        if unknown:
            raise InputError(
                f"unknown site type(s) {', '.join(map(repr, unknown))}; "
                f"known: {', '.join(SITE_TYPES)}"
            )
        frame = frame[frame["type"].isin(wanted)].reset_index(drop=True)
    return frame


@lru_cache(maxsize=1)
def _load() -> gpd.GeoDataFrame:
    path = data_path("sites", "sites.geojson")
    if not path.is_file():
        raise NotFoundError(
            f"bundled file {path} is missing; rebuild it with scripts/build_sites.py"
        )
    frame = gpd.read_file(path, engine="pyogrio")
    frame = frame.set_crs(4326) if frame.crs is None else frame.to_crs(4326)
    for column in SITE_COLUMNS[:-1]:
        frame[column] = frame[column].fillna("").astype(str) if column in frame else ""
    return frame[list(SITE_COLUMNS)]


@dataclass(frozen=True)
class Base:
    """A military base, airfield or port to launch from (EPSG:4326 lon/lat)."""

    name: str
    type: str
    country_code: str
    lon: float
    lat: float
    source: str


@dataclass(frozen=True)
class BaseMention:
    """A base named in a text, with where."""

    base: Base
    start: int
    end: int

    @property
    def name(self) -> str:
        """The base's name."""
        return self.base.name

    @property
    def country_code(self) -> str:
        """ISO alpha-2 code of the territory the base stands on."""
        return self.base.country_code


def bases_as_sites(country_codes: Iterable[str]) -> gpd.GeoDataFrame:
    """Return the bases and military airfields in some countries as a :func:`sites` frame.

    The targets counted for a war other than Russia–Ukraine ("sites in range" in Israel,
    South Korea, Japan ...): military airfields are ``airbase``, written bases keep their
    type. EPSG:4326, with the columns of :data:`SITE_COLUMNS`.
    """
    codes = set(country_codes)
    rows = [b for b in _bases() if b.country_code in codes]
    return gpd.GeoDataFrame(
        {
            "name": [b.name for b in rows],
            "type": ["airbase" if b.type == "airfield" else b.type for b in rows],
            "country_code": [b.country_code for b in rows],
            "operator": ["" for _ in rows],
            "source_title": [b.source for b in rows],
            "source_url": [b.source if b.source.startswith("https://") else "" for b in rows],
            "source_publisher": [
                "airportsdata" if b.type == "airfield" else "rangemap facts" for b in rows
            ],
            "aliases": ["" for _ in rows],
            "icao": [b.source.split("(")[-1].rstrip(")") if "(" in b.source else "" for b in rows],
        },
        geometry=gpd.points_from_xy([b.lon for b in rows], [b.lat for b in rows]),
        crs="EPSG:4326",
    )[list(SITE_COLUMNS)]


def bases() -> list[Base]:
    """Return every bundled base: hand-written bases and ports, then military airfields."""
    return list(_bases())


def find_base(name: str) -> Base | None:
    """Return the base a name stands for ("Osan Air Base", "Osan AB", "Sinpo"), or None."""
    return _base_index().get(_base_key(name))


def bases_in_text(text: str) -> list[BaseMention]:
    """Return the bases a text names, in order.

    A hand-written base counts by any of its names ("Sinpo", "Camp Humphreys"); an airfield
    by its full name, or by its distinctive word followed by "air base", "airbase",
    "airfield", "air station" or "base" ("the Nevatim air base", "Kadena Air Base").
    """
    out = []
    for m in _text_pattern().finditer(text):
        base = find_base(m.group(0))
        if base is not None:
            out.append(BaseMention(base, m.start(), m.end()))
    return out


_SUFFIX = (
    r"(?:air\s*force\s*base|air\s*base|airbase|air\s*station|army\s*air\s*field|airfield|"
    r"naval\s*air\s*station|naval\s*base|air\s*port|airport|ab|afb|base)"
)


def _base_key(name: str) -> str:
    key = re.sub(r"[\s\-‐‑–—_’'.]+", " ", name).strip().casefold()
    return re.sub(rf"\s+{_SUFFIX}$", "", key) or key


@cache
def _bases() -> tuple[Base, ...]:
    out = []
    raw = tomllib.loads(data_path("sites", "bases.toml").read_text(encoding="utf-8"))
    for b in raw.get("base", []):
        out.append(
            Base(b["name"], b["type"], b["country_code"], b["lon"], b["lat"], b["source_url"])
        )
    with data_path("sites", "airfields.csv").open(encoding="utf-8") as f:
        for row in csv.DictReader(f):
            out.append(
                Base(
                    row["name"],
                    "airfield",
                    row["country_code"],
                    float(row["lon"]),
                    float(row["lat"]),
                    f"airportsdata ({row['icao']})",
                )
            )
    return tuple(out)


@cache
def _base_index() -> dict[str, Base]:
    index: dict[str, Base] = {}
    raw = tomllib.loads(data_path("sites", "bases.toml").read_text(encoding="utf-8"))
    written = {b["name"]: b.get("aliases", []) for b in raw.get("base", [])}
    for base in _bases():
        for name in (base.name, *written.get(base.name, ())):
            index.setdefault(_base_key(name), base)
    return index


@cache
def _text_pattern() -> re.Pattern[str]:
    raw = tomllib.loads(data_path("sites", "bases.toml").read_text(encoding="utf-8"))
    written = {n for b in raw.get("base", []) for n in (b["name"], *b.get("aliases", []))}
    airfields = {b.name for b in _bases() if b.type == "airfield"}
    keys = {_base_key(n) for n in airfields} - {""}
    parts = [re.escape(n).replace("\\ ", r"[\s-]+") for n in sorted(written, key=len, reverse=True)]
    stems = [re.escape(k).replace("\\ ", r"[\s-]+") for k in sorted(keys, key=len, reverse=True)]
    return re.compile(
        rf"(?<![\w-])(?:(?:{'|'.join(parts)})|(?:{'|'.join(stems)})\s+{_SUFFIX})(?![\w-])",
        re.IGNORECASE,
    )
