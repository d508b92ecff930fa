"""Russian military sites (airbases, airfields, naval bases ...), from bundled facts.

The list is written by hand with one cited source per row (``data/sites/sites.toml``) and
built into ``data/sites/sites.geojson`` by ``scripts/build_sites.py``; see
``data/sites/README.md``. It is a selection, not a census: the Institute for the Study of War
counted at least 245 known Russian military objects, including 16 airfields, within ATACMS
range of Ukrainian-held territory in November 2024.

Every function returns data in EPSG:4326.
"""

from __future__ import annotations

from collections.abc import Iterable
from functools import lru_cache

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
