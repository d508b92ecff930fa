"""Server time of a dashboard rerun: after a range change, and with nothing changed.

Run ``python bench/rerun_server.py [--before COMMIT] [--rounds N]`` from the project root.
A rerun of the dashboard builds the scenario (``geo.scenario.build_scenario``), selects its
layers (``Scenario.layers``, the base map's window) and makes the overlays script
(``layers.streamlit_map.overlay_script``) onto a base page built once
(``layers.streamlit_map.base_page``). This script times, in one process per tree:

- **range change**: ATACMS's second ring set to a range not drawn yet (200, 220, 240, 260,
  280 km; each a new ring), median of the five;
- **unchanged**: the last scenario built again (everything kept), median of five.

Each is shown as wall time and as the process's CPU time (steadier on a shared machine).

The baseline is the same steps on rangemap at ``--before`` (default ``e222434``, before the
rerun caches): its ``geo/`` and ``layers/`` are taken from that commit, the data from this
working tree, in a temporary folder. Both trees run in child processes, alternately,
``--rounds`` times (the median of the rounds is shown), and print a digest of every
scenario layer and of every overlays script they made: the scenario layers must be
identical; the overlays scripts are identical only while the map's script has not changed
since the baseline (since e222434 each overlay is wrapped to be made once, and launch
points are labelled). Ratios are before / now (above 1: now is faster).
"""

from __future__ import annotations

import argparse
import hashlib
import json
import shutil
import statistics
import subprocess
import sys
import tarfile
import tempfile
import time
from dataclasses import replace
from io import BytesIO
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
#: Paths taken from the baseline commit (all the code a rerun runs, so the tree is whole).
CHANGED = ("geo", "layers")
RANGES_KM = (200.0, 220.0, 240.0, 260.0, 280.0)


def measure() -> dict[str, Any]:
    """Time the rerun steps in this process (rangemap imported from ``sys.path``)."""
    from geo.scenario import build_scenario, default_spec
    from layers.streamlit_map import base_page, overlay_script
    from layers.web_map import base_window, focus_bounds

    spec = default_spec()
    scenario_digest, overlays_digest = hashlib.sha256(), hashlib.sha256()

    def rerun(s: Any, base: Any = None) -> tuple[Any, tuple[float, float]]:
        start, cpu = time.perf_counter(), time.process_time()
        scenario = build_scenario(s)
        layers = {k: v for k, v in scenario.layers().items() if k != "regions"}
        fit = focus_bounds(layers)
        window = base_window(fit)
        base = base or base_page(layers, window=window)
        script = overlay_script(layers, window=window, fit=fit, base=base)
        took = (time.perf_counter() - start, time.process_time() - cpu)
        overlays_digest.update(script.encode())
        for key, frame in scenario.layers().items():
            scenario_digest.update(key.encode())
            scenario_digest.update(frame.drop(columns="geometry").to_json().encode())
            scenario_digest.update(b"".join(g.wkb for g in frame.geometry))
        scenario_digest.update(scenario.summary.to_json().encode())
        return base, took

    base, _ = rerun(spec)
    first = spec.weapons[0]
    changes = []
    for km in RANGES_KM:
        ranges = (first.ranges_km[0], km)
        changed = replace(spec, weapons=(replace(first, ranges_km=ranges), *spec.weapons[1:]))
        _, took = rerun(changed, base)
        changes.append(took)
    same = [rerun(changed, base)[1] for _ in range(5)]
    return {
        "range_change": [statistics.median(t[i] for t in changes) for i in (0, 1)],
        "unchanged": [statistics.median(t[i] for t in same) for i in (0, 1)],
        "scenario": scenario_digest.hexdigest(),
        "overlays": overlays_digest.hexdigest(),
    }


def before_tree(commit: str, folder: Path) -> Path:
    """Return a copy of this tree with :data:`CHANGED` taken from ``commit``."""
    tree = folder / "before"
    shutil.copytree(ROOT / "data", tree / "data", ignore=shutil.ignore_patterns("__pycache__"))
    archive = subprocess.run(
        ["git", "archive", commit, *CHANGED], cwd=ROOT, capture_output=True, check=True
    ).stdout
    with tarfile.open(fileobj=BytesIO(archive)) as tar:
        tar.extractall(tree, filter="data")
    return tree


def run_child(tree: Path) -> dict[str, Any]:
    """Run :func:`measure` on ``tree`` in a child process and return its results."""
    done = subprocess.run(
        [sys.executable, __file__, "--child", str(tree)],
        cwd=tree,
        capture_output=True,
        text=True,
        check=True,
    )
    result: dict[str, Any] = json.loads(done.stdout.strip().splitlines()[-1])
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--before", default="e222434", metavar="COMMIT")
    parser.add_argument("--rounds", type=int, default=2)
    parser.add_argument("--child", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        sys.path.insert(0, args.child)
        print(json.dumps(measure()))
        return
    with tempfile.TemporaryDirectory() as folder:
        trees = {"before": before_tree(args.before, Path(folder)), "now": ROOT}
        runs: dict[str, list[dict[str, Any]]] = {"before": [], "now": []}
        for _ in range(args.rounds):
            for name, tree in trees.items():
                runs[name].append(run_child(tree))
    print(f"server time of a rerun, median of {args.rounds} rounds (before = {args.before})")
    for step in ("range_change", "unchanged"):
        for i, clock in enumerate(("wall", "CPU")):
            before = statistics.median(r[step][i] for r in runs["before"])
            now = statistics.median(r[step][i] for r in runs["now"])
            print(
                f"  {step:13} {clock:4} before {before:.3f} s  now {now:.3f} s  "
                f"before/now {before / now:.2f}x"
            )
    for output in ("scenario", "overlays"):
        digests = {r[output] for rs in runs.values() for r in rs}
        print(f"  {output} outputs identical: {len(digests) == 1}")


if __name__ == "__main__":
    main()
