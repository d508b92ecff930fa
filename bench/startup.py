"""Benchmark CLI start-up: CPU time of ``rangemap --help`` and of importing each command.

Baseline, in the same run: the eager parser, which imports every command module (what
``rangemap --help`` did before the command registry). Each figure is the median CPU time
(user + system) of a fresh interpreter over several runs; the heaviest imports of ``--help``
come from ``python -X importtime``. Target: ``rangemap --help`` ≤ 0.15 s CPU.

    .venv/bin/python bench/startup.py [--runs 5]
"""

from __future__ import annotations

import argparse
import os
import re
import resource
import statistics
import subprocess
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from geo import cli

ROOT = Path(__file__).resolve().parent.parent

PY = sys.executable
HELP = "from geo.cli import main\ntry:\n    main(['--help'])\nexcept SystemExit:\n    pass\n"
EAGER = "from geo.cli import build_parser\nbuild_parser().format_help()\n"


def cpu_seconds(argv: list[str], *, runs: int) -> float:
    """Return the median CPU time (user + system) of a command, in seconds."""
    times = []
    for _ in range(runs):
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        subprocess.run(argv, check=True, stdout=subprocess.DEVNULL, cwd=ROOT, env=_env())
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        times.append(after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime)
    return statistics.median(times)


def heaviest_imports(code: str, *, top: int = 6) -> list[tuple[int, str]]:
    """Return the modules with the largest cumulative import time (µs) for a snippet."""
    out = subprocess.run(
        [PY, "-X", "importtime", "-c", code], capture_output=True, text=True, env=_env()
    ).stderr
    rows = []
    for line in out.splitlines():
        m = re.match(r"import time:\s+\d+ \|\s+(\d+) \|(\s*)(\S+)", line)
        if m and len(m.group(2)) <= 3:  # top-level imports only
            rows.append((int(m.group(1)), m.group(3)))
    return sorted(rows, reverse=True)[:top]


def _env() -> dict[str, str]:
    return {**os.environ, "PYTHONPATH": str(ROOT)}


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--runs", type=int, default=5)
    runs = ap.parse_args().runs
    bare = cpu_seconds([PY, "-c", "pass"], runs=runs)
    lazy = cpu_seconds([PY, "-c", HELP], runs=runs)
    eager = cpu_seconds([PY, "-c", EAGER], runs=runs)
    print(f"python -c pass (interpreter alone)     {bare:6.3f} s CPU")
    print(f"rangemap --help (command registry)     {lazy:6.3f} s CPU  (target ≤ 0.15 s)")
    print(f"eager parser (imports every command)   {eager:6.3f} s CPU  ×{eager / lazy:.1f} slower")
    print("heaviest imports of rangemap --help:")
    for micros, name in heaviest_imports(HELP):
        print(f"    {micros / 1e6:6.3f} s  {name}")
    print("importing each command module (what `rangemap COMMAND` starts with):")
    for name in cli.COMMANDS:
        seconds = cpu_seconds([PY, "-c", f"import geo.commands.{name}"], runs=max(1, runs // 2))
        print(f"    {name:10s} {seconds:6.3f} s CPU")
    return 0


if __name__ == "__main__":
    sys.exit(main())
