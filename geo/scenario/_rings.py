"""Per-ring results kept across scenario builds: a range change computes only its new ring.

A dashboard rerun that changes one range rebuilds the whole scenario, yet every other
ring — its envelope, its part inside the counting area, the sites and people in it — and
the distances from the launch areas are the same as before. They are kept here in bounded
LRU caches keyed by what they depend on: the launch geometry (its WKB; a dated launch
area such as ``ukraine-held@2024-11-19`` carries its frontline date in its outline), the
:class:`~geo.reach.RangeSpec` (range, minimum, label), the counting area's names and the
sites' selection. Results are computed by the same functions as an uncached build, so they
are bit-identical to it. Every value is shared between builds: callers copy before changing.
"""

from __future__ import annotations

import functools
from collections.abc import Iterable

import geopandas as gpd
import numpy as np
import shapely
from numpy.typing import NDArray
from shapely.geometry.base import BaseGeometry

from geo import boundaries, geodesic, sites
from geo._errors import NotFoundError
from geo._memo import Memo
from geo.places import gazetteer
from geo.reach import (
    RangeSpec,
    clip_zone,
    in_range,
    point_arrays,
    population_arrays,
    reach,
    simplification_notes,
)

__all__ = [
    "CountKey",
    "SitesKey",
    "clear",
    "clipped_ring",
    "common_notes",
    "count_area",
    "distances_km",
    "envelope",
    "launch_union",
    "population",
    "ring_counts",
    "site_frame",
]

#: How many rings (and distance tables) are kept: a few scenarios' worth.
RING_CACHE_SIZE = 128
#: The notes of each ring's envelope, by launch WKB and range (see :func:`common_notes`).
_NOTES: Memo[list[str]] = Memo(RING_CACHE_SIZE)
#: Cities at least this large count towards "population in range".
POPULATION_MIN = 1000

#: The area statistics are counted in: ``("count_in", names)``, ``("clip", (name,))`` or None.
CountKey = tuple[str, tuple[str, ...]] | None
#: The sites a scenario shows: ``("frontline", ())`` (Russia's) or ``("bases", iso codes)``.
SitesKey = tuple[str, tuple[str, ...]]


@functools.lru_cache(maxsize=32)
def launch_union(parts: tuple[bytes, ...]) -> tuple[BaseGeometry, bytes]:
    """Return the union of launch areas given as WKB, and its WKB (the rings' cache key)."""
    geom = shapely.union_all([shapely.from_wkb(p) for p in parts])
    return geom, shapely.to_wkb(geom)


@functools.lru_cache(maxsize=RING_CACHE_SIZE)
def envelope(launch_wkb: bytes, spec: RangeSpec) -> gpd.GeoDataFrame:
    """Return one range's envelope (:func:`geo.reach.reach`, one row), unclipped.

    Without ``attrs["notes"]``: see :func:`common_notes`.
    """
    return reach(shapely.from_wkb(launch_wkb), ranges=[spec], notes=False)


def common_notes(rings: Iterable[tuple[bytes, RangeSpec]]) -> list[str] | None:
    """Return the ``attrs["notes"]`` every ring's :func:`geo.reach.reach` has, else None.

    ``pandas.concat`` keeps the ``attrs`` of frames only when they are all equal: this is
    the ``attrs["notes"]`` of the envelopes of ``rings`` concatenated. Notes already known
    are compared first, so a range change that makes them differ measures no new outline.
    """
    keys = list(dict.fromkeys((wkb, spec.max_km) for wkb, spec in rings))
    keys.sort(key=lambda key: key not in _NOTES)  # the known ones first
    found: list[str] | None = None
    for key in keys:
        notes = _NOTES.get(key, functools.partial(_notes, *key))
        if found is not None and notes != found:
            return None
        found = notes
    return None if found is None else list(found)


@functools.lru_cache(maxsize=16)
def count_area(key: CountKey) -> BaseGeometry | None:
    """Return the area statistics are counted in (see :data:`CountKey`)."""
    if key is None:
        return None
    kind, names = key
    if kind == "count_in":
        return shapely.union_all([_named_area(c) for c in names])
    return _named_area(names[0])


@functools.lru_cache(maxsize=RING_CACHE_SIZE)
def clipped_ring(launch_wkb: bytes, spec: RangeSpec, key: CountKey) -> tuple[BaseGeometry, float]:
    """Return one range's zone inside the counting area and its geodesic area (km², 0.1)."""
    zone = envelope(launch_wkb, spec).geometry.iloc[0]
    area = count_area(key)
    if area is None:
        return zone, float(envelope(launch_wkb, spec)["area_km2"].iloc[0])
    return clip_zone(zone, area)


@functools.lru_cache(maxsize=RING_CACHE_SIZE)
def ring_counts(
    launch_wkb: bytes, spec: RangeSpec, key: CountKey, sites_key: SitesKey
) -> tuple[int, int]:
    """Return the sites and the population inside one range's counted zone."""
    zone, _ = clipped_ring(launch_wkb, spec, key)
    x, y = _site_xy(sites_key)
    px, py, people = _population_xy()
    return int(in_range(zone, x, y).sum()), int(people[in_range(zone, px, py)].sum())


@functools.lru_cache(maxsize=8)
def site_frame(key: SitesKey) -> gpd.GeoDataFrame:
    """Return the sites of :data:`SitesKey` (shared: copy before changing)."""
    kind, codes = key
    return sites.sites() if kind == "frontline" else sites.bases_as_sites(list(codes))


@functools.lru_cache(maxsize=1)
def population() -> gpd.GeoDataFrame:
    """Return the cities counted for "population in range" (loaded once; read only)."""
    return gazetteer.cities(min_population=POPULATION_MIN)


def distances_km(launch_wkb: bytes, x: NDArray, y: NDArray) -> NDArray:
    """Return the geodesic distance (km) from each lon/lat point to a launch geometry.

    Cached by the geometry and the points; the array returned is read-only.
    """
    xy = np.stack([np.asarray(x, dtype=float), np.asarray(y, dtype=float)])
    return _distances(launch_wkb, xy.tobytes())


@functools.lru_cache(maxsize=RING_CACHE_SIZE)
def _distances(launch_wkb: bytes, xy: bytes) -> NDArray:
    x, y = np.frombuffer(xy, dtype=float).reshape(2, -1)
    out = np.asarray(geodesic.distance_to_geometry_km(shapely.from_wkb(launch_wkb), x, y))
    out.flags.writeable = False
    return out


@functools.lru_cache(maxsize=8)
def _site_xy(key: SitesKey) -> tuple[NDArray, NDArray]:
    frame = site_frame(key)
    if frame.empty:
        return np.empty(0), np.empty(0)
    return point_arrays(frame)


@functools.lru_cache(maxsize=1)
def _population_xy() -> tuple[NDArray, NDArray, NDArray]:
    return population_arrays(population())


def clear() -> None:
    """Forget every cached ring, distance and area (the next build computes them afresh)."""
    for cached in (launch_union, envelope, count_area, clipped_ring, ring_counts, _distances):
        cached.cache_clear()
    _NOTES.clear()


def _notes(launch_wkb: bytes, km: float) -> list[str]:
    return simplification_notes(shapely.from_wkb(launch_wkb), km)


def _named_area(name: str) -> BaseGeometry:
    try:
        frame = boundaries.country(name)
    except NotFoundError:
        frame = boundaries.region(name)
    geom: BaseGeometry = frame.geometry.iloc[0]
    return geom
