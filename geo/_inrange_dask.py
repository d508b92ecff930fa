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
                frame = client.compute(part)
                pending.append(client.submit(classify_frame, frame, shared, **options))
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


def _partitions(source: _Source, rows: int) -> list[Any]:
    """Return the file's partitions as Dask delayed objects of about ``rows`` rows each."""
    import dask.dataframe as dd

    if source.kind == "csv":
        blocksize = max(1 << 20, rows * _bytes_per_row(source))
        frame = dd.read_csv(source.path, usecols=[source.lon, source.lat], blocksize=blocksize)
    elif source.kind == "geoparquet":
        import dask_geopandas

        frame = dask_geopandas.read_parquet(source.path, columns=[source.lon])
    else:
        frame = dd.read_parquet(
            source.path, columns=[source.lon, source.lat], split_row_groups=True
        )
    return list(frame.to_delayed())


def _bytes_per_row(source: _Source) -> int:
    with source.path.open("rb") as handle:
        head = handle.read(1 << 16)
    return max(8, len(head) // max(1, head.count(b"\n")))
