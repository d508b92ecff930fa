"""Many points → in or out of a scenario's reach: one column per range, on Dask when large.

Points come from a CSV or Parquet file with longitude/latitude columns (event or fire-detection
data: ``lon``/``lat``, ``longitude``/``latitude``, ``x``/``y``) or from a GeoParquet file of
points. Each range of a scenario (every range of every weapon) becomes one boolean column,
``in <label>``, plus ``in_any``; points with missing or impossible coordinates are in nothing.

Two paths give the same rows in the same order:

- single process: the file is read in slices of ``partition_rows`` and classified slice by
  slice (memory: one slice);
- Dask (``dask.dataframe`` for CSV and Parquet, ``dask_geopandas`` for GeoParquet): partitions
  are read and classified on worker processes (local ones, or an existing cluster's), and
  written in order by this process, which holds at most ``2 × workers`` results at a time.

The output is one Parquet file: ``lon``, ``lat`` (unless ``flags_only``) and the flags.
"""

from __future__ import annotations

import json
import sys
import time
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq
import shapely
from numpy.typing import NDArray
from shapely.geometry.base import BaseGeometry

from geo._errors import InputError

__all__ = ["InrangeResult", "classify", "classify_file", "classify_frame", "zones_from_ranges"]

#: Files larger than this go to Dask unless the caller says otherwise.
PARALLEL_BYTES = 256 * 2**20
LON_NAMES = ("lon", "lng", "long", "longitude", "x")
LAT_NAMES = ("lat", "latitude", "y")


@dataclass
class InrangeResult:
    """What :func:`classify_file` did: rows, points in each range, where it ran, how long."""

    rows: int = 0
    invalid: int = 0
    in_range: dict[str, int] = field(default_factory=dict)
    partitions: int = 0
    mode: str = "single process"
    seconds: float = 0.0


def zones_from_ranges(ranges: pd.DataFrame) -> dict[str, BaseGeometry]:
    """Return ``{"in <label>": zone}`` for every range of a reach/scenario frame (EPSG:4326).

    Parameters
    ----------
    ranges
        A :func:`geo.reach.reach` result or ``Scenario.ranges``: ``label`` and geometry.
    """
    zones: dict[str, BaseGeometry] = {}
    for label, geom in zip(ranges["label"], ranges.geometry, strict=True):
        name, n = f"in {label}", 2
        while name in zones:
            name, n = f"in {label} ({n})", n + 1
        zones[name] = geom
    if not zones:
        raise InputError("the scenario has no range to classify points against")
    return zones


def classify(
    lon: NDArray, lat: NDArray, zones: Mapping[str, BaseGeometry]
) -> dict[str, NDArray[np.bool_]]:
    """Return, per zone, whether each lon/lat point lies in it, and ``in_any``.

    Vectorised: a bounding-box test, then ``shapely.contains_xy`` on the prepared zone for the
    points inside the box. Points on a zone's edge, and invalid points, are not in it.
    """
    x, y = np.asarray(lon, dtype=float), np.asarray(lat, dtype=float)
    valid = np.isfinite(x) & np.isfinite(y) & (np.abs(x) <= 180) & (np.abs(y) <= 90)
    flags: dict[str, NDArray[np.bool_]] = {}
    for name, zone in zones.items():
        inside = np.zeros(x.shape, dtype=bool)
        if not zone.is_empty:
            minx, miny, maxx, maxy = zone.bounds
            near = valid & (x >= minx) & (x <= maxx) & (y >= miny) & (y <= maxy)
            shapely.prepare(zone)
            inside[near] = shapely.contains_xy(zone, x[near], y[near])
        flags[name] = inside
    any_zone = np.zeros(x.shape, dtype=bool)
    for inside in flags.values():
        any_zone |= inside
    flags["in_any"] = any_zone
    return flags


def classify_frame(
    frame: pd.DataFrame,
    zones: Mapping[str, BaseGeometry],
    *,
    lon: str,
    lat: str,
    flags_only: bool = False,
) -> pd.DataFrame:
    """Return a slice of points as ``lon``, ``lat`` (unless ``flags_only``) and flag columns.

    ``frame`` has numeric ``lon``/``lat`` columns of those names, or point geometry (a
    GeoDataFrame; ``lon``/``lat`` are then ignored).
    """
    if lon == lat:  # one column of point geometries (shapely objects or WKB)
        values = np.asarray(frame[lon].values, dtype=object)
        if len(values) and isinstance(values[0], bytes | bytearray):
            values = shapely.from_wkb(values)
        xy = shapely.get_coordinates(values)
        if len(xy) != len(frame):
            raise InputError("the GeoParquet geometry must be one point per row")
        x, y = xy[:, 0], xy[:, 1]
    else:
        x = pd.to_numeric(frame[lon], errors="coerce").to_numpy(dtype=float)
        y = pd.to_numeric(frame[lat], errors="coerce").to_numpy(dtype=float)
    columns: dict[str, Any] = {} if flags_only else {"lon": x, "lat": y}
    columns.update(classify(x, y, zones))
    return pd.DataFrame(columns)


def classify_file(
    points: str | Path,
    zones: Mapping[str, BaseGeometry],
    out: str | Path,
    *,
    lon: str | None = None,
    lat: str | None = None,
    parallel: bool | None = None,
    scheduler: str | None = None,
    workers: int = 2,
    partition_rows: int = 2_000_000,
    flags_only: bool = False,
    progress: bool = False,
) -> InrangeResult:
    """Classify every point of a file and write the flags to ``out`` (Parquet).

    Parameters
    ----------
    points
        CSV (``.csv``, ``.csv.gz``), Parquet or GeoParquet file.
    zones
        Column name → EPSG:4326 zone (see :func:`zones_from_ranges`).
    out
        The Parquet file to write; the caller checks it may be written (``geo._outputs``).
    lon, lat
        Column names; found among the usual names when not given.
    parallel
        Use Dask; by default when ``scheduler`` is given or the file is over 256 MiB.
    scheduler
        Address of a running Dask scheduler; default: ``workers`` local worker processes.
    workers
        Local worker processes (one thread each).
    partition_rows
        Rows per slice (single process) or per partition (Dask, approximate for CSV).
    flags_only
        Write only the flag columns (rows keep the input's order).
    progress
        Print one line per partition to standard error.

    Returns
    -------
    InrangeResult
        Row counts, points in each range, the mode and the wall time.
    """
    source = _Source.open(Path(points), lon=lon, lat=lat)
    if parallel is None:
        parallel = scheduler is not None or source.path.stat().st_size > PARALLEL_BYTES
    start = time.perf_counter()
    if parallel:
        from geo import _inrange_dask

        parts = _inrange_dask.classified(
            source, zones, scheduler=scheduler, workers=workers, rows=partition_rows,
            flags_only=flags_only,
        )  # fmt: skip
        mode = f"dask ({scheduler})" if scheduler else f"dask ({workers} local workers)"
    else:
        parts = (
            classify_frame(f, zones, lon=source.lon, lat=source.lat, flags_only=flags_only)
            for f in source.slices(partition_rows)
        )
        mode = "single process"
    result = _write(parts, Path(out), progress=progress)
    result.mode, result.seconds = mode, time.perf_counter() - start
    return result


@dataclass(frozen=True)
class _Source:
    """A points file: its kind (``csv``, ``parquet``, ``geoparquet``) and coordinate columns."""

    path: Path
    kind: str
    lon: str
    lat: str

    @classmethod
    def open(cls, path: Path, *, lon: str | None, lat: str | None) -> _Source:
        if not path.is_file():
            raise InputError(f"{path} is not a file")
        name = path.name.lower()
        if name.endswith((".csv", ".csv.gz", ".txt")):
            kind = "csv"
            columns = list(pd.read_csv(path, nrows=0).columns)
        elif name.endswith((".parquet", ".pq", ".geoparquet")):
            schema = pq.read_schema(path)
            columns = list(schema.names)
            geo = (schema.metadata or {}).get(b"geo", b"")
            kind = "geoparquet" if geo and not _find(columns, lon, LON_NAMES) else "parquet"
            if kind == "geoparquet":
                column = str(json.loads(geo).get("primary_column", "geometry"))
                return cls(path, kind, column, column)
        else:
            raise InputError(f"{path.name}: give a .csv, .parquet or GeoParquet file of points")
        x, y = _find(columns, lon, LON_NAMES), _find(columns, lat, LAT_NAMES)
        if x is None or y is None:
            raise InputError(
                f"{path.name} has no longitude/latitude columns (looked for "
                f"{lon or ', '.join(LON_NAMES)} and {lat or ', '.join(LAT_NAMES)}; "
                f"found {', '.join(map(str, columns[:12]))}); name them with --lon/--lat"
            )
        return cls(path, kind, x, y)

    def slices(self, rows: int) -> Iterator[pd.DataFrame]:
        """Yield the file in slices of ``rows`` rows (single process)."""
        if self.kind == "csv":
            yield from pd.read_csv(self.path, usecols=[self.lon, self.lat], chunksize=rows)
            return
        for batch in pq.ParquetFile(self.path).iter_batches(
            batch_size=rows, columns=list(dict.fromkeys([self.lon, self.lat]))
        ):
            if self.kind == "geoparquet":
                wkb = batch.column(0).to_numpy(zero_copy_only=False)
                yield pd.DataFrame({self.lon: shapely.from_wkb(wkb)})
            else:
                yield batch.to_pandas()


def _find(columns: list[str], given: str | None, names: tuple[str, ...]) -> str | None:
    if given is not None:
        return given if given in columns else None
    lower = {str(c).lower(): c for c in columns}
    return next((lower[n] for n in names if n in lower), None)


def _write(parts: Iterator[pd.DataFrame], out: Path, *, progress: bool) -> InrangeResult:
    """Write classified slices to one Parquet file, in order, and count what they hold."""
    result = InrangeResult()
    writer: pq.ParquetWriter | None = None
    try:
        for part in parts:
            table = pa.Table.from_pandas(part, preserve_index=False)
            if writer is None:
                # Coordinates are incompressible noise; flags pack to bits and compress well.
                codecs = {n: "none" if n in ("lon", "lat") else "snappy" for n in part.columns}
                writer = pq.ParquetWriter(out, table.schema, compression=codecs)
            writer.write_table(table)
            _count(result, part)
            if progress:
                done = f"partition {result.partitions}: {result.rows:,} rows"
                print(f"inrange: {done}", file=sys.stderr)
    finally:
        if writer is not None:
            writer.close()
    if writer is None:
        raise InputError("the points file has no rows")
    return result


def _count(result: InrangeResult, part: pd.DataFrame) -> None:
    result.partitions += 1
    result.rows += len(part)
    if "lon" in part.columns:
        x, y = part["lon"].to_numpy(), part["lat"].to_numpy()
        ok = np.isfinite(x) & np.isfinite(y) & (np.abs(x) <= 180) & (np.abs(y) <= 90)
        result.invalid += int((~ok).sum())
    for name in part.columns:
        if name.startswith("in"):
            result.in_range[name] = result.in_range.get(name, 0) + int(part[name].sum())
