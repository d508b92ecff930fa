"""Benchmark ``rangemap inrange`` at scale: 100 M points on Dask against one process, in one run.

1. Builds the default scenario's ranges (every range of every weapon).
2. Writes 100 M random points (float64 lon/lat over Europe and western Russia) to a Parquet
   file in a temporary folder (~1.6 GB, 1 M-row groups; deleted at the end), and a 1 M-row
   and a 5 M-row sample of them.
3. Single process on the 5 M sample: the baseline throughput.
4. Dask, 2 local worker processes, on the 1 M sample: rows identical to the single process.
5. Dask, 2 local worker processes, on the 100 M file: throughput as a ratio to the baseline,
   and the peak resident memory of this process and of the Dask processes (sampled every
   0.2 s), next to the size of the data.

    .venv/bin/python bench/inrange.py [--points 100_000_000] [--keep-going]

Takes several minutes on a 2-core machine; needs ~1.8 GB of free disk in the temp folder.
"""

from __future__ import annotations

import argparse
import shutil
import sys
import tempfile
import threading
import time
from pathlib import Path

import numpy as np
import pandas as pd
import psutil
import pyarrow as pa
import pyarrow.parquet as pq

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from geo import inrange
from geo.scenario import build_scenario, default_spec

ROW_GROUP = 1_000_000


class PeakRSS:
    """Sample the memory and CPU time of this process and its descendants in a thread."""

    def __init__(self) -> None:
        self.peak_total = 0
        self.peak_self = 0
        self._cpu: dict[int, float] = {}
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def __enter__(self) -> PeakRSS:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join()

    @property
    def cpu_seconds(self) -> float:
        """CPU seconds (user + system) used by this process and its descendants meanwhile."""
        return sum(self._cpu.values())

    def _run(self) -> None:
        me = psutil.Process()
        start = sum(me.cpu_times()[:2])
        while not self._stop.is_set():
            try:
                own = me.memory_info().rss
                kids = me.children(recursive=True)
                rss = sum(p.memory_info().rss for p in kids)
                self._cpu.update({p.pid: sum(p.cpu_times()[:2]) for p in kids})
                self._cpu[me.pid] = sum(me.cpu_times()[:2]) - start
            except psutil.Error:
                continue
            kids = rss
            self.peak_self = max(self.peak_self, own)
            self.peak_total = max(self.peak_total, own + kids)
            self._stop.wait(0.2)


def write_points(path: Path, n: int, *, seed: int) -> None:
    rng = np.random.default_rng(seed)
    schema = pa.schema([("lon", pa.float64()), ("lat", pa.float64())])
    with pq.ParquetWriter(path, schema, compression="none") as writer:
        for start in range(0, n, ROW_GROUP):
            m = min(ROW_GROUP, n - start)
            lon, lat = rng.uniform(15.0, 50.0, m), rng.uniform(40.0, 60.0, m)
            writer.write_table(pa.table({"lon": lon, "lat": lat}, schema=schema))


def run(points: Path, zones: dict, out: Path, **options: object) -> tuple[float, object]:
    if out.exists():
        out.unlink()
    start = time.perf_counter()
    result = inrange.classify_file(
        points, zones, out, partition_rows=ROW_GROUP, flags_only=True, **options
    )
    return time.perf_counter() - start, result


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--points", type=int, default=100_000_000)
    args = ap.parse_args()
    zones = inrange.zones_from_ranges(build_scenario(default_spec()).ranges)
    print(f"zones: {len(zones)} ranges of the default scenario: {', '.join(zones)}")
    folder = Path(tempfile.mkdtemp(prefix="rangemap-inrange-bench-"))
    try:
        big, small, sample = folder / "big.parquet", folder / "1m.parquet", folder / "5m.parquet"
        start = time.perf_counter()
        write_points(big, args.points, seed=1)
        write_points(small, min(1_000_000, args.points), seed=2)
        write_points(sample, min(5_000_000, args.points), seed=3)
        size = big.stat().st_size
        print(f"wrote {args.points:,} points ({size / 2**30:.2f} GiB) in "
              f"{time.perf_counter() - start:.0f} s to {folder}")  # fmt: skip

        with PeakRSS() as one_cpu:
            base_s, base = run(sample, zones, folder / "o5.parquet", parallel=False)
        base_rate = base.rows / base_s
        base_cpu = base.rows / one_cpu.cpu_seconds
        print(f"single process, {base.rows:,} points: {base_s:6.1f} s  {base_rate:>12,.0f} pts/s  "
              f"({base_cpu:,.0f} pts per CPU second)")  # fmt: skip

        one_s, _ = run(small, zones, folder / "one.parquet", parallel=False)
        dask_s, _ = run(small, zones, folder / "dask.parquet", parallel=True, workers=2)
        same = pd.read_parquet(folder / "one.parquet").equals(
            pd.read_parquet(folder / "dask.parquet")
        )
        print(f"1 M sample: single process {one_s:.1f} s, Dask {dask_s:.1f} s "
              f"(with cluster start-up); rows identical: {same}")  # fmt: skip

        with PeakRSS() as rss:
            big_s, res = run(big, zones, folder / "big_out.parquet", parallel=True, workers=2)
        rate, cpu_rate = res.rows / big_s, res.rows / rss.cpu_seconds
        print(f"Dask, 2 workers, {res.rows:,} points: {big_s:6.1f} s  {rate:>12,.0f} pts/s  "
              f"×{rate / base_rate:.2f} the single-process throughput (wall clock); "
              f"{cpu_rate:,.0f} pts per CPU second, ×{cpu_rate / base_cpu:.2f} (all processes, "
              f"cluster start-up included)")  # fmt: skip
        print(f"peak RSS: {rss.peak_total / 2**20:,.0f} MiB for this process and the Dask "
              f"processes together ({rss.peak_self / 2**20:,.0f} MiB this process) vs "
              f"{size / 2**20:,.0f} MiB of points (×{rss.peak_total / size:.2f})")  # fmt: skip
        print(f"in range: {res.in_range}")
    finally:
        shutil.rmtree(folder, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
