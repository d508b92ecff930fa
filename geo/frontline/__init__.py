"""Frontline snapshots: bundled dates, real frontline files, controlled territory and change.

Every function returns the classified frame of :mod:`geo.frontline.schema`: EPSG:4326, one
row per class, columns ``class``, ``date``, ``source``, ``area_km2``, ``length_km`` and
``geometry``. Classes: ``occupied_before_2022``, ``occupied_since_2022``,
``ukrainian_held_in_russia``, ``grey_zone``, ``line_of_contact`` (loaders may add
``liberated_2022`` and ``unclassified``).

The bundled snapshots (``data/frontline/YYYY-MM-DD.geojson``) are approximations built by
``scripts/build_frontline.py`` from facts written in the repo; see ``data/frontline/README.md``.
"""

from __future__ import annotations

import datetime as dt
import re
import warnings
from functools import cache
from typing import Literal

import geopandas as gpd
import shapely
from shapely.geometry.base import BaseGeometry

from geo._errors import InputError, NotFoundError, RangemapError
from geo.frontline import history
from geo.frontline._shapes import near_main_body, without_scraps
from geo.frontline.deepstate import load_deepstate
from geo.frontline.geojson import (
    DEEPSTATE_ATTRIBUTION,
    FrontlineRepairWarning,
    load_file,
    load_geojson,
)
from geo.frontline.history import Pick, import_paths, pick
from geo.frontline.schema import CLASSES, OCCUPIED_CLASSES, make_frame
from geo.geodesic import area_km2
from geo.settings import data_path

__all__ = [
    "CLASSES",
    "DEEPSTATE_ATTRIBUTION",
    "MIN_PART_KM2",
    "MIN_WIDTH_KM",
    "FrontlineRepairWarning",
    "Pick",
    "accuracy",
    "available_dates",
    "bundled_dates",
    "change",
    "controlled_territory",
    "fetch_latest",
    "fetch_version",
    "history",
    "import_paths",
    "load_deepstate",
    "load_file",
    "load_geojson",
    "pick",
    "snapshot",
]

#: Smallest part of a side's territory that counts as territory (km², geodesic).
MIN_PART_KM2 = 1.0
#: Narrowest strip of a side's territory that counts as territory (km).
MIN_WIDTH_KM = 1.0
#: Farthest a detached Ukrainian-held part (island, delta) may lie from the main territory.
MAX_GAP_KM = 5.0
#: Date of the default snapshot (the seed articles' date).
DEFAULT_DATE = "2024-11-19"
_DATE_FILE = re.compile(r"^(\d{4}-\d{2}-\d{2})\.geojson$")


def available_dates() -> list[str]:
    """Return the ISO dates of the bundled and the imported snapshots, oldest first."""
    from geo.frontline.history import available_dates as dates

    return dates()


def bundled_dates() -> list[str]:
    """Return the ISO dates of the bundled snapshots, oldest first."""
    folder = data_path("frontline")
    found = (_DATE_FILE.match(p.name) for p in folder.glob("*.geojson")) if folder.is_dir() else ()
    return sorted(m.group(1) for m in found if m)


def snapshot(date: str | dt.date = DEFAULT_DATE) -> gpd.GeoDataFrame:
    """Return the snapshot of a date: the imported one if there is one, else the bundled one.

    Parameters
    ----------
    date
        An ISO date (``"2024-11-19"``) or a :class:`datetime.date`; must be one of
        :func:`available_dates` (see :func:`pick` for the latest on or before a date).

    Returns
    -------
    geopandas.GeoDataFrame
        The classified frame, EPSG:4326 (a copy: callers may modify it).

    Raises
    ------
    NotFoundError
        When there is no snapshot of that date (the message lists the dates there are).
    """
    from geo.frontline import store

    iso = _iso(date)
    if iso in history._stored_dates():
        return store.load(iso)
    dates = bundled_dates()
    if iso not in dates:
        known = available_dates()
        shown = (
            ", ".join(known)
            if len(known) <= 12
            else f"{len(known)} dates, {known[0]} … {known[-1]}"
        )
        raise NotFoundError(
            f"no frontline snapshot for {iso}; available dates: {shown} "
            "(use the latest on or before a date with --date / pick(), import files with "
            "'rangemap frontline import', or load one with --file / load_file())"
        )
    return _read_snapshot(iso).copy()


def controlled_territory(
    side: Literal["ukraine", "russia"], date_or_gdf: str | dt.date | gpd.GeoDataFrame
) -> gpd.GeoDataFrame:
    """Return the territory one side held: Ukraine or Russia, on a date or in a snapshot.

    Ukrainian-held = Ukraine's internationally recognised outline minus the occupied classes,
    plus the Ukrainian-held part of Russia; Russian-held = the occupied classes (Russia's own
    territory is not included). Grey zones belong to neither. Slivers and scraps are no
    territory anyone launches from: strips narrower than :data:`MIN_WIDTH_KM` and parts smaller
    than :data:`MIN_PART_KM2` (the differences between a snapshot's outline and the country
    outline, along coasts and rivers) are left out, and so are Ukrainian-held parts more than
    :data:`MAX_GAP_KM` from the main territory (scraps between an occupied area and the border
    or coast; an encircled pocket would be left out too).

    Returns
    -------
    geopandas.GeoDataFrame
        One row, class ``held_by_ukraine`` or ``held_by_russia``, EPSG:4326.
    """
    if side not in ("ukraine", "russia"):
        raise InputError(f"side must be 'ukraine' or 'russia', got {side!r}")
    gdf = date_or_gdf if isinstance(date_or_gdf, gpd.GeoDataFrame) else snapshot(date_or_gdf)
    occupied = _union(gdf, OCCUPIED_CLASSES)
    if side == "russia":
        geom = occupied
    else:
        from geo import boundaries

        ukraine = boundaries.country("UA").geometry.union_all()
        grey = _union(gdf, ("grey_zone",))
        held = shapely.difference(ukraine, shapely.union(occupied, grey))
        geom = shapely.union(held, _union(gdf, ("ukrainian_held_in_russia",)))
    geom = without_scraps(geom, min_km2=MIN_PART_KM2, min_width_km=MIN_WIDTH_KM)
    if side == "ukraine":
        geom = near_main_body(geom, max_gap_km=MAX_GAP_KM)
    return make_frame({f"held_by_{side}": geom}, date=_date_of(gdf), source=_source_of(gdf))


def change(before: gpd.GeoDataFrame, after: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    """Return the territory that changed hands between two snapshots.

    ``frontline_gained``: became Russian-held (occupied, or Ukrainian-held Russian territory
    that Russia took back); ``frontline_lost``: Russian-held before and not any more.

    Returns
    -------
    geopandas.GeoDataFrame
        Rows ``frontline_gained`` and ``frontline_lost`` (when not empty) with ``area_km2``,
        ``date`` = ``"<before>/<after>"``, EPSG:4326.
    """
    occ_before, occ_after = _union(before, OCCUPIED_CLASSES), _union(after, OCCUPIED_CLASSES)
    ukr_before = _union(before, ("ukrainian_held_in_russia",))
    ukr_after = _union(after, ("ukrainian_held_in_russia",))
    gained = shapely.union(
        shapely.difference(occ_after, occ_before), shapely.difference(ukr_before, ukr_after)
    )
    lost = shapely.union(
        shapely.difference(occ_before, occ_after), shapely.difference(ukr_after, ukr_before)
    )
    parts = {"frontline_gained": _clean(gained), "frontline_lost": _clean(lost)}
    return make_frame(
        parts,
        date=f"{_date_of(before)}/{_date_of(after)}",
        source=f"change: {_source_of(before)} → {_source_of(after)}",
    )


def accuracy(gdf: gpd.GeoDataFrame, reference: gpd.GeoDataFrame) -> dict[str, float]:
    """Measure a snapshot against a reference (for example DeepStateMap of the same date).

    Returns
    -------
    dict
        ``occupied_iou``, ``occupied_area_ratio``, ``kursk_iou``, ``kursk_area_ratio``,
        ``crimea_before_iou`` (occupied before 2022), with geodesic areas on WGS84.
    """
    figures: dict[str, float] = {}
    groups = {
        "occupied": OCCUPIED_CLASSES,
        "kursk": ("ukrainian_held_in_russia",),
        "before_2022": ("occupied_before_2022",),
    }
    for name, classes in groups.items():
        a, b = _union(gdf, classes), _union(reference, classes)
        union = area_km2(shapely.union(a, b))
        ref_area = area_km2(b)
        figures[f"{name}_iou"] = area_km2(shapely.intersection(a, b)) / union if union else 0.0
        figures[f"{name}_area_ratio"] = area_km2(a) / ref_area if ref_area else 0.0
    return figures


def fetch_latest(*, timeout: float = 10) -> gpd.GeoDataFrame:
    """Fetch the latest DeepStateMap snapshot (optional, online), cached on disk.

    Returns
    -------
    geopandas.GeoDataFrame
        The classified frame, EPSG:4326, with the DeepStateMap attribution in ``source``.

    Raises
    ------
    OfflineError
        When deepstatemap.live cannot be reached; the bundled snapshots stay usable.
    """
    from geo import _http

    obj = _http.get_json(_http.DEEPSTATE_LATEST_URL, timeout=timeout, cache_name="deepstate-last")
    if not isinstance(obj, dict):
        raise InputError("DeepStateMap answered with something other than a JSON object")
    gdf = load_deepstate(obj)
    _keep(gdf, origin=_http.DEEPSTATE_LATEST_URL)
    return gdf


def fetch_version(history_id: int, *, timeout: float = 10) -> gpd.GeoDataFrame:
    """Fetch one DeepStateMap version by its history id (optional, online), cached on disk.

    Returns
    -------
    geopandas.GeoDataFrame
        The classified frame, EPSG:4326.

    Raises
    ------
    OfflineError
        When deepstatemap.live cannot be reached.
    """
    from geo import _http

    if isinstance(history_id, bool) or not isinstance(history_id, int) or history_id <= 0:
        raise InputError(f"history_id must be a positive integer, got {history_id!r}")
    url = _http.DEEPSTATE_VERSION_URL.format(id=history_id)
    obj = _http.get_json(url, timeout=timeout, cache_name=f"deepstate-{history_id}")
    if not isinstance(obj, dict):
        raise InputError("DeepStateMap answered with something other than a JSON object")
    date = dt.datetime.fromtimestamp(history_id, tz=dt.UTC).date().isoformat()
    gdf = load_deepstate(obj, date=date)
    _keep(gdf, origin=url)
    return gdf


# --- helpers ---------------------------------------------------------------------------------


def _keep(gdf: gpd.GeoDataFrame, *, origin: str) -> None:
    """Store a fetched snapshot in the history; warn (not fail) when that is impossible."""
    from geo.frontline import store

    if not len(gdf):
        return  # an answer with no areas: nothing to keep
    try:
        store.add(gdf, origin=origin)
    except (RangemapError, OSError) as exc:
        warnings.warn(f"the fetched frontline was not stored: {exc}", stacklevel=3)


@cache
def _read_snapshot(iso: str) -> gpd.GeoDataFrame:
    """Read a bundled snapshot file once."""
    gdf = gpd.read_file(data_path("frontline", f"{iso}.geojson"))
    gdf = gdf.set_crs("EPSG:4326", allow_override=True)
    gdf["date"] = gdf["date"].astype(str)
    return gdf


def _iso(date: str | dt.date) -> str:
    """Return an ISO date string, with a clear error for anything else."""
    if isinstance(date, dt.date):
        return date.isoformat()
    try:
        return dt.date.fromisoformat(str(date).strip()).isoformat()
    except ValueError as exc:
        raise InputError(f"date must be YYYY-MM-DD, got {date!r}") from exc


def _union(gdf: gpd.GeoDataFrame, classes: tuple[str, ...]) -> BaseGeometry:
    """Return the union of the geometries of the given classes (empty if none)."""
    if "class" not in gdf.columns:
        raise InputError("expected a classified frontline frame with a 'class' column")
    rows = gdf[gdf["class"].isin(classes)]
    return shapely.union_all(list(rows.geometry)) if len(rows) else shapely.Polygon()


def _clean(geom: BaseGeometry) -> BaseGeometry:
    """Drop slivers (differences of near-identical outlines) below 0.01 km²."""
    parts = [
        p
        for p in shapely.get_parts(geom)
        if p.geom_type in ("Polygon", "MultiPolygon") and area_km2(p) >= 0.01
    ]
    return shapely.union_all(parts) if parts else shapely.Polygon()


def _date_of(gdf: gpd.GeoDataFrame) -> str:
    """Return the date recorded in a frame (or ``""``)."""
    return str(gdf["date"].iloc[0]) if "date" in gdf.columns and len(gdf) else ""


def _source_of(gdf: gpd.GeoDataFrame) -> str:
    """Return the source recorded in a frame (or ``""``)."""
    return str(gdf["source"].iloc[0]) if "source" in gdf.columns and len(gdf) else ""
