"""Benchmark the frontline history: import throughput and loading one date from the store.

Runs on the DeepStateMap reference files in ../shared/reference (one per format era, never
shipped), imported into a throw-away store (RANGEMAP_DATA_DIR in a temporary folder):

(a) import throughput: ``import_paths`` over the files (read, classify, derive the line,
    store), against the baseline of only reading and parsing the same files as JSON. Printed:
    files/s and the ratio import / parse, and files per CPU second of this process (wall time
    swings with the machine's load; with ``--jobs`` the workers' CPU is not counted).
(b) loading one date: ``pick(date)`` from the store (index + one GeoParquet file), against
    the baseline of reading that date's original file with ``load_file``. Target: well under
    a second; printed: median ms and the ratio store / original.
(c) a hostile file of 20,000 small polygons (the feature limit): ``load_file`` against reading
    and parsing it as JSON; printed: seconds and the ratio load / parse.

    .venv/bin/python bench/frontline.py [--repeat N]
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import tempfile
import time
import warnings
from collections.abc import Callable
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

REFERENCE = Path(__file__).resolve().parent.parent.parent / "shared" / "reference"


def median_seconds(fn: Callable[[], Any], *, repeat: int) -> float:
    """Return the median wall time of ``repeat`` calls."""
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def _many_polygons(folder: Path, load: Callable[[Path], Any]) -> None:
    """(c) print the load time of 20,000 small polygons against plain JSON parsing."""
    square = [[0, 0], [0.005, 0], [0.005, 0.005], [0, 0.005], [0, 0]]
    features = [
        {
            "type": "Feature",
            "properties": {"class": "occupied"},
            "geometry": {
                "type": "Polygon",
                "coordinates": [[[30 + (i % 100) * 0.01 + x, 45 + (i // 100) * 0.01 + y]
                                 for x, y in square]],
            },
        }
        for i in range(20_000)
    ]  # fmt: skip
    path = folder / "many.geojson"
    path.write_text(json.dumps({"type": "FeatureCollection", "features": features}))
    parse = median_seconds(lambda: json.loads(path.read_bytes()), repeat=3)
    loaded = median_seconds(lambda: load(path), repeat=1)
    print("(c) 20,000 small polygons (GeoJSON)")
    print(f"    baseline  read + JSON parse   {parse:8.2f} s")
    ratio = loaded / parse
    print(f"    load_file                     {loaded:8.2f} s   ratio {ratio:6.1f}x the parse")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=5, help="repeats of the load timing")
    parser.add_argument("--jobs", type=int, default=1, help="import worker processes")
    args = parser.parse_args()
    files = [*sorted((REFERENCE / "deepstate").glob("*.geojson"))]
    files.append(REFERENCE / "deepstate-2024-11-19.geojson")
    files = [f for f in files if f.is_file()]
    if not files:
        print(f"no reference files under {REFERENCE}: nothing to measure")
        return 1
    with tempfile.TemporaryDirectory(prefix="rangemap-bench-") as folder:
        os.environ["RANGEMAP_DATA_DIR"] = folder
        warnings.simplefilter("ignore")
        from geo import frontline

        frontline.load_file(files[0])  # warm caches (outlines, border band) for both sides
        parse = median_seconds(lambda: [json.loads(f.read_bytes()) for f in files], repeat=1)
        start, cpu_start = time.perf_counter(), time.process_time()
        results = list(frontline.import_paths(files, jobs=args.jobs))
        imported = time.perf_counter() - start
        cpu = time.process_time() - cpu_start  # steadier than wall time on a loaded machine
        stored = [r for r in results if r.status != "refused"]
        print(f"(a) import of {len(files)} files ({len(stored)} stored, {args.jobs} jobs)")
        print(
            f"    baseline  read + JSON parse   {parse:8.2f} s  {len(files) / parse:8.1f} files/s"
        )
        rate = len(files) / imported
        print(f"    import    classify + store    {imported:8.2f} s  {rate:8.2f} files/s", end="")
        print(f"   ratio {imported / parse:6.1f}x the parse")
        print(f"              CPU of this process {cpu:8.2f} s  {len(files) / cpu:8.2f} files/s")
        print(
            f"    store size {sum(p.stat().st_size for p in Path(folder).rglob('*')) / 1e6:.2f} MB"
        )
        date = "2024-11-19"
        original = REFERENCE / "deepstate-2024-11-19.geojson"
        baseline = median_seconds(lambda: frontline.load_file(original), repeat=args.repeat)
        load = median_seconds(lambda: frontline.pick(date).frame, repeat=args.repeat)
        between = median_seconds(lambda: frontline.pick("2024-01-01").frame, repeat=args.repeat)
        print(f"(b) loading one date ({args.repeat} runs, median)")
        print(f"    baseline  load_file(original)  {baseline * 1000:8.1f} ms")
        print(f"    store     pick({date})    {load * 1000:8.1f} ms   ratio {load / baseline:6.3f}")
        print(f"    store     pick(2024-01-01)    {between * 1000:8.1f} ms   (latest on or before)")
        _many_polygons(Path(folder), frontline.load_file)
    return 0


if __name__ == "__main__":
    sys.exit(main())
