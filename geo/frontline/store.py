"""The local frontline history: imported snapshots, normalised and de-duplicated, on disk.

Layout, in ``<user data folder>/frontline/`` (see :func:`geo.settings.user_data_dir`,
``RANGEMAP_DATA_DIR``):

- ``snapshots/<hash>.parquet``: one GeoParquet file per distinct snapshot (the classified frame
  of :mod:`geo.frontline.schema`, coordinates rounded to 1e-5°, zstd-compressed). ``hash`` is
  the SHA-256 of the rounded geometries and classes, so the same map imported twice, or
  republished unchanged on the next day, is stored once;
- ``index.json``: date → hash, source, the areas of each class (for the history chart without
  reading any geometry) and the file it came from.

Loading a date reads the index and one small Parquet file. Every write is atomic (a unique
temporary name, then ``os.replace``), and the index is a plain JSON document: nothing in the
store can run code.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import hashlib
import json
import os
import tempfile
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import geopandas as gpd
import shapely

from geo._errors import InputError, NotFoundError

try:
    import fcntl
except ImportError:  # not POSIX: imports from two processes at once may lose an index entry
    fcntl = None  # type: ignore[assignment]
from geo.frontline.schema import COLUMNS, occupied_km2

__all__ = ["PRECISION_DEG", "StoredSnapshot", "add", "dates", "entries", "folder", "load"]

#: Grid the stored coordinates are rounded to (1e-5° ≈ 1 m).
PRECISION_DEG = 1e-5
_INDEX = "index.json"
_VERSION = 1


@dataclass(frozen=True)
class StoredSnapshot:
    """What :func:`add` did with one snapshot.

    Attributes
    ----------
    date
        The snapshot's date.
    status
        ``"added"``, ``"replaced"`` (another map was stored for that date) or ``"unchanged"``.
    duplicate
        True when its geometry was already stored (under this or another date).
    """

    date: str
    status: str
    duplicate: bool


def folder() -> Path:
    """Return the store's folder (created on demand)."""
    from geo.settings import user_data_dir

    path = user_data_dir() / "frontline"
    (path / "snapshots").mkdir(parents=True, exist_ok=True)
    return path


def add(gdf: gpd.GeoDataFrame, *, origin: str = "") -> StoredSnapshot:
    """Store a classified snapshot under its date (a later import of the same date wins).

    Parameters
    ----------
    gdf
        The classified frame; its ``date`` column must hold an ISO date.
    origin
        Where it came from (a file name, a URL), recorded in the index.

    Returns
    -------
    StoredSnapshot
        The date and what happened.

    Raises
    ------
    InputError
        When the snapshot has no date.
    """
    date = _date_of(gdf)
    frame = _normalised(gdf)
    digest = _digest(frame)
    target = folder() / "snapshots" / f"{digest}.parquet"
    duplicate = target.is_file()
    if not duplicate:
        _atomic(target, lambda tmp: frame.to_parquet(tmp, compression="zstd", index=False))
    entry = {
        "hash": digest,
        "source": str(frame["source"].iloc[0]) if len(frame) else "",
        "origin": origin,
        "occupied_km2": round(occupied_km2(frame), 1),
        "areas_km2": dict(
            zip(frame["class"].astype(str), frame["area_km2"].astype(float), strict=True)
        ),
    }
    with _locked():
        index = _read_index()
        before = index["dates"].get(date)
        index["dates"][date] = entry
        _write_index(index)
    status = "added" if before is None else "unchanged" if before["hash"] == digest else "replaced"
    return StoredSnapshot(date, status, duplicate)


def dates() -> list[str]:
    """Return the ISO dates stored, oldest first."""
    return sorted(_read_index()["dates"])


def entries() -> dict[str, dict[str, Any]]:
    """Return the index: date → ``hash``, ``source``, ``origin``, ``occupied_km2``, ``areas_km2``.

    ``occupied_km2`` is the area of the union of the occupied classes.
    """
    return dict(sorted(_read_index()["dates"].items()))


def load(date: str) -> gpd.GeoDataFrame:
    """Return the stored snapshot of a date (EPSG:4326).

    Raises
    ------
    NotFoundError
        When nothing is stored for that date, or its file has gone.
    """
    entry = _read_index()["dates"].get(date)
    if entry is None:
        raise NotFoundError(f"no imported frontline snapshot for {date}")
    path = folder() / "snapshots" / f"{entry['hash']}.parquet"
    try:
        gdf = gpd.read_parquet(path)
    except (OSError, ValueError) as exc:
        raise NotFoundError(
            f"the imported snapshot of {date} cannot be read ({path.name}: {exc}); "
            "import its file again"
        ) from None
    gdf["date"] = date
    return gdf.set_crs("EPSG:4326", allow_override=True)


# --- helpers ---------------------------------------------------------------------------------


def _date_of(gdf: gpd.GeoDataFrame) -> str:
    """Return the ISO date of a frame, refusing frames without one."""
    text = str(gdf["date"].iloc[0]) if "date" in gdf.columns and len(gdf) else ""
    try:
        return dt.date.fromisoformat(text[:10]).isoformat()
    except ValueError:
        raise InputError(
            "the snapshot has no date (name the file by its date, YYYY-MM-DD or Unix time, "
            "or give --date)"
        ) from None


def _normalised(gdf: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    """Return the frame in schema order with coordinates rounded to :data:`PRECISION_DEG`."""
    frame = gdf[list(COLUMNS)].copy().reset_index(drop=True)
    frame["geometry"] = shapely.set_precision(frame.geometry.to_numpy(), PRECISION_DEG)
    return gpd.GeoDataFrame(frame, geometry="geometry", crs="EPSG:4326")


def _digest(frame: gpd.GeoDataFrame) -> str:
    """Return the SHA-256 of the classes and rounded geometries (not the date or source)."""
    sha = hashlib.sha256()
    for cls, geom in zip(frame["class"], frame.geometry, strict=True):
        sha.update(str(cls).encode())
        sha.update(shapely.to_wkb(shapely.normalize(geom)))
    return sha.hexdigest()[:32]


@contextlib.contextmanager
def _locked() -> Iterator[None]:
    """Hold the store's lock while the index is read, changed and written (POSIX)."""
    with open(folder() / ".lock", "a+b") as handle:
        if fcntl is not None:
            fcntl.flock(handle.fileno(), fcntl.LOCK_EX)
        try:
            yield
        finally:
            if fcntl is not None:
                fcntl.flock(handle.fileno(), fcntl.LOCK_UN)


def _read_index() -> dict[str, Any]:
    """Read ``index.json`` (an empty index when there is none)."""
    path = folder() / _INDEX
    try:
        index = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return {"version": _VERSION, "dates": {}}
    except (OSError, ValueError) as exc:
        raise InputError(f"the frontline history index {path} is unreadable: {exc}") from None
    if not isinstance(index, Mapping) or not isinstance(index.get("dates"), Mapping):
        raise InputError(f"the frontline history index {path} is not a rangemap index")
    return {"version": _VERSION, "dates": dict(index["dates"])}


def _write_index(index: Mapping[str, Any]) -> None:
    """Write ``index.json`` atomically."""
    text = json.dumps(index, indent=1, sort_keys=True)
    _atomic(folder() / _INDEX, lambda tmp: tmp.write_text(text, encoding="utf-8"))


def _atomic(target: Path, write: Callable[[Path], object]) -> None:
    """Write a file through a unique temporary name in its folder, then rename it in place."""
    fd, name = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.", suffix=".tmp")
    os.close(fd)
    tmp = Path(name)
    try:
        write(tmp)
        os.replace(tmp, target)
    finally:
        tmp.unlink(missing_ok=True)
