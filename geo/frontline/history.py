"""Frontline history: importing files into the store, picking a date, the table of areas.

The dates available are the bundled snapshots (``data/frontline``) and the imported ones
(:mod:`geo.frontline.store`); for a date that has both, the imported one (a real map the
user chose) is used.
"""

from __future__ import annotations

import datetime as dt
import warnings
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import geopandas as gpd
import pandas as pd

from geo._errors import NotFoundError, RangemapError
from geo.frontline import store
from geo.frontline.schema import occupied_km2

__all__ = [
    "HISTORY_COLUMNS",
    "IMPORT_SUFFIXES",
    "ImportResult",
    "Pick",
    "import_paths",
    "pick",
    "table",
]

#: File endings :func:`import_paths` reads from folders.
IMPORT_SUFFIXES: tuple[str, ...] = (".geojson", ".json", ".kml", ".kmz")
#: Fewest files per worker process worth starting workers for.
_MIN_FILES_PER_JOB = 8
#: Columns of :func:`table`.
HISTORY_COLUMNS: tuple[str, ...] = (
    "date",
    "occupied_km2",
    "occupied_since_2022_km2",
    "occupied_before_2022_km2",
    "ukrainian_held_in_russia_km2",
    "grey_zone_km2",
    "origin",
    "source",
)


@dataclass(frozen=True)
class ImportResult:
    """The outcome of importing one file: ``status`` is added/replaced/unchanged/refused."""

    path: str
    date: str
    status: str
    duplicate: bool = False
    message: str = ""


@dataclass(frozen=True)
class Pick:
    """The snapshot chosen for a requested date.

    Attributes
    ----------
    frame
        The classified frame, EPSG:4326.
    date
        The snapshot's date (on or before ``requested``).
    requested
        The date asked for.
    gap_days
        Days between them (0 when exact).
    """

    frame: gpd.GeoDataFrame
    date: str
    requested: str
    gap_days: int

    @property
    def note(self) -> str:
        """Say which snapshot stands for the requested date, and how far apart they are."""
        if self.gap_days == 0:
            return f"frontline of {self.date}"
        days = "day" if self.gap_days == 1 else "days"
        return f"frontline of {self.date}, {self.gap_days} {days} before {self.requested}"


def import_paths(
    paths: Iterable[str | Path], *, date: str = "", jobs: int = 1
) -> Iterator[ImportResult]:
    """Import frontline files (or every frontline file in folders) into the store.

    Parameters
    ----------
    paths
        Files, or folders searched recursively for :data:`IMPORT_SUFFIXES`.
    date
        ISO date for files that carry none (otherwise the file's own date or name is used).
    jobs
        Worker processes that read and classify files (the store is written by this one).

    Yields
    ------
    ImportResult
        One per file; a file that cannot be read is ``refused`` with the reason, and the
        import goes on.
    """
    files = list(_files(paths))
    if jobs > 1 and len(files) >= _MIN_FILES_PER_JOB * jobs:  # workers take seconds to start
        from concurrent.futures import ProcessPoolExecutor

        with ProcessPoolExecutor(max_workers=jobs) as pool:
            loaded = pool.map(_load, files, [date] * len(files), chunksize=4)
            yield from (_store(path, result) for path, result in zip(files, loaded, strict=True))
    else:
        yield from (_store(path, _load(path, date)) for path in files)


def available_dates() -> list[str]:
    """Return the dates of the bundled and the imported snapshots, oldest first."""
    from geo.frontline import bundled_dates

    return sorted(set(bundled_dates()) | set(_stored_dates()))


def pick(date: str | dt.date) -> Pick:
    """Return the latest snapshot on or before a date (bundled or imported).

    Raises
    ------
    NotFoundError
        When every snapshot is later than the date.
    """
    from geo.frontline import _iso, snapshot

    requested = _iso(date)
    earlier = [d for d in available_dates() if d <= requested]
    if not earlier:
        first = available_dates()[:1]
        raise NotFoundError(
            f"no frontline snapshot on or before {requested}"
            + (f"; the earliest is {first[0]}" if first else "")
            + " (import more with 'rangemap frontline import')"
        )
    chosen = earlier[-1]
    gap = (dt.date.fromisoformat(requested) - dt.date.fromisoformat(chosen)).days
    return Pick(snapshot(chosen), chosen, requested, gap)


def table() -> pd.DataFrame:
    """Return the areas of every available snapshot, one row per date (oldest first).

    Returns
    -------
    pandas.DataFrame
        :data:`HISTORY_COLUMNS`; ``origin`` is ``bundled`` or the imported file's name.
    """
    from geo.frontline import _read_snapshot, bundled_dates

    rows = {}
    for d in bundled_dates():
        gdf = _read_snapshot(d)
        rows[d] = _row(d, _areas(gdf), occupied_km2(gdf), "bundled", _source(d))
    for d, entry in _stored_entries().items():
        origin = str(entry.get("origin") or "imported")
        areas = dict(entry["areas_km2"])
        fallback = areas.get("occupied_since_2022", 0.0) + areas.get("occupied_before_2022", 0.0)
        total = float(entry.get("occupied_km2", fallback))
        rows[d] = _row(d, areas, total, origin, str(entry["source"]))
    frame = pd.DataFrame([rows[d] for d in sorted(rows)], columns=list(HISTORY_COLUMNS))
    return frame


# --- helpers ---------------------------------------------------------------------------------


def _load(path: Path, date: str) -> gpd.GeoDataFrame | str:
    """Read and classify one file; return the frame, or the reason it was refused."""
    from geo.frontline.geojson import FrontlineRepairWarning, load_file

    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", FrontlineRepairWarning)
            return load_file(path, date=date)
    except (RangemapError, OSError) as exc:
        return str(exc)


def _store(path: Path, loaded: gpd.GeoDataFrame | str) -> ImportResult:
    """Store one loaded file; say what happened."""
    if isinstance(loaded, str):
        return ImportResult(str(path), "", "refused", message=loaded)
    try:
        done = store.add(loaded, origin=path.name)
    except (RangemapError, OSError) as exc:
        return ImportResult(str(path), "", "refused", message=str(exc))
    return ImportResult(str(path), done.date, done.status, done.duplicate)


def _files(paths: Iterable[str | Path]) -> Iterator[Path]:
    """Yield the files named, and the frontline files inside the folders named (sorted)."""
    for raw in paths:
        path = Path(raw)
        if path.is_dir():
            yield from sorted(
                p for p in path.rglob("*") if p.is_file() and p.suffix.lower() in IMPORT_SUFFIXES
            )
        else:
            yield path


def _areas(gdf: gpd.GeoDataFrame) -> dict[str, float]:
    """Return area per class of a frame."""
    return {str(c): float(a) for c, a in zip(gdf["class"], gdf["area_km2"], strict=True)}


def _row(
    date: str, areas: dict[str, float], occupied: float, origin: str, source: str
) -> dict[str, object]:
    """Return one row of the history table (``occupied``: area of the occupied union)."""
    since = areas.get("occupied_since_2022", 0.0)
    before = areas.get("occupied_before_2022", 0.0)
    return {
        "date": date,
        "occupied_km2": round(occupied, 1),
        "occupied_since_2022_km2": round(since, 1),
        "occupied_before_2022_km2": round(before, 1),
        "ukrainian_held_in_russia_km2": round(areas.get("ukrainian_held_in_russia", 0.0), 1),
        "grey_zone_km2": round(areas.get("grey_zone", 0.0), 1),
        "origin": origin,
        "source": source,
    }


def _source(date: str) -> str:
    """Return the source of a bundled snapshot."""
    from geo.frontline import _read_snapshot

    gdf = _read_snapshot(date)
    return str(gdf["source"].iloc[0]) if len(gdf) else ""


def _stored_dates() -> list[str]:
    """Return the imported dates; none when the user's data folder is unusable."""
    try:
        return store.dates()
    except (RangemapError, OSError):
        return []


def _stored_entries() -> dict[str, dict[str, Any]]:
    """Return the store's index; empty when the user's data folder is unusable."""
    try:
        return store.entries()
    except (RangemapError, OSError):
        return {}
