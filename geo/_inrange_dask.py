"""The Dask side of :mod:`geo.inrange`: partitions read and classified on worker processes.

Imported only when a points file goes to Dask, so nothing else pays for importing Dask.
"""

from __future__ import annotations

import contextlib
import logging
from collections import deque
from collections.abc import Iterator, Mapping
from typing import TYPE_CHECKING, Any

import pandas as pd
from shapely.geometry.base import BaseGeometry

from geo.inrange import classify_frame

if TYPE_CHECKING:
    from geo.inrange import _Source


def classified(
    source: _Source,
    zones: Mapping[str, BaseGeometry],
    *,
    scheduler: str | None,
    workers: int,
    rows: int,
    flags_only: bool,
) -> Iterator[pd.DataFrame]:
    """Yield the classified partitions of a points file in order, computed on Dask.

    At most ``2 × workers`` partitions are in flight, so this process and the workers
    hold a bounded number of partitions whatever the size of the file.
    """
    with _client(scheduler, workers) as client:
        n_workers = max(1, len(client.scheduler_info().get("workers", {})) or workers)
        shared = client.scatter(dict(zones), broadcast=True)
        options = {"lon": source.lon, "lat": source.lat, "flags_only": flags_only}
        parts = iter(_partitions(source, rows))
        pending: deque[Any] = deque()
        while True:
            while len(pending) < 2 * n_workers and (part := next(parts, None)) is not None:
                if isinstance(part, list):  # row groups of a Parquet file, read on the worker
                    task = client.submit(_row_groups, source, part, shared, **options, pure=False)
                else:
                    frame = client.compute(part)
                    task = client.submit(classify_frame, frame, shared, **options)
                pending.append(task)
            if not pending:
                return
            future = pending.popleft()
            yield future.result()
            future.release()


@contextlib.contextmanager
def _client(scheduler: str | None, workers: int) -> Iterator[Any]:
    from distributed import Client, LocalCluster

    logging.getLogger("distributed").setLevel(logging.ERROR)
    if scheduler:
        with Client(scheduler) as client:
            yield client
        return
    with (
        LocalCluster(
            n_workers=workers,
            threads_per_worker=1,
            processes=True,
            host="127.0.0.1",
            # ``None`` still starts a web server on :8787 (dask/distributed#8136): a random
            # local port instead.
            dashboard_address="127.0.0.1:0",
        ) as cluster,
        Client(cluster) as client,
    ):
        yield client


def _row_groups(
    source: _Source,
    groups: list[int],
    zones: Mapping[str, BaseGeometry],
    *,
    lon: str,
    lat: str,
    flags_only: bool,
) -> pd.DataFrame:
    """Read some row groups of a Parquet file and classify them (runs on a worker)."""
    import pyarrow.parquet as pq

    table = pq.ParquetFile(source.path).read_row_groups(groups, columns=[lon, lat])
    return classify_frame(table.to_pandas(), zones, lon=lon, lat=lat, flags_only=flags_only)


def _partitions(source: _Source, rows: int) -> list[Any]:
    """Return the file's partitions of about ``rows`` rows each.

    Parquet: lists of row groups, read by the workers with pyarrow (no graph to build).
    CSV: ``dask.dataframe`` byte-range partitions. GeoParquet: ``dask_geopandas`` partitions.
    """
    import dask.dataframe as dd

    if source.kind == "parquet":
        import pyarrow.parquet as pq

        meta = pq.ParquetFile(source.path).metadata
        parts: list[Any] = []
        current: list[int] = []
        count = 0
        for i in range(meta.num_row_groups):
            current.append(i)
            count += meta.row_group(i).num_rows
            if count >= rows:
                parts.append(current)
                current, count = [], 0
        return parts + ([current] if current else [])
    if source.kind == "csv":
        blocksize = max(1 << 20, rows * _bytes_per_row(source))
        frame = dd.read_csv(source.path, usecols=[source.lon, source.lat], blocksize=blocksize)
    else:
        import dask_geopandas

        frame = dask_geopandas.read_parquet(source.path, columns=[source.lon])
    return list(frame.to_delayed())


def _bytes_per_row(source: _Source) -> int:
    with source.path.open("rb") as handle:
        head = handle.read(1 << 16)
    return max(8, len(head) // max(1, head.count(b"\n")))
