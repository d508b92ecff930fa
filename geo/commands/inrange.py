"""``rangemap inrange``: which points of a CSV/Parquet file lie within a scenario's reach."""

from __future__ import annotations

import argparse
import json
import sys

from geo._errors import InputError
from geo._outputs import add_force_option, atomic_path, check_outputs

EPILOG = """examples:
  rangemap inrange fires.csv --scenario default --out fires_in_range.parquet
  rangemap inrange events.parquet --scenario my-scenario.toml --out marked.parquet --workers 4
  rangemap inrange points.parquet --scenario default --out flags.parquet --flags-only
  rangemap inrange big.parquet --scenario default --out f.parquet --scheduler tcp://10.0.0.5:8786
"""


def register(subparsers: argparse._SubParsersAction) -> None:
    """Add the ``inrange`` sub-command."""
    parser = subparsers.add_parser(
        "inrange",
        help="mark which of many points (CSV/Parquet lat/lon) are within a scenario's reach",
        description="Read points (a CSV or Parquet file with longitude/latitude columns, or a "
        "GeoParquet file of points), build the scenario's ranges (every range of every "
        "weapon), and write a Parquet file with lon, lat and one true/false column per range "
        "('in <label>') plus 'in_any', in the input's row order. Large files (over 256 MiB) "
        "are classified on Dask worker processes; small ones in this process.",
        epilog=EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("points", metavar="POINTS", help="CSV, Parquet or GeoParquet file")
    parser.add_argument(
        "--scenario",
        required=True,
        metavar="PATH",
        help="scenario TOML file, or 'default' for the bundled one",
    )
    parser.add_argument("--out", required=True, metavar="PATH", help="Parquet file to write")
    parser.add_argument("--lon", metavar="COLUMN", help="longitude column (default: found)")
    parser.add_argument("--lat", metavar="COLUMN", help="latitude column (default: found)")
    where = parser.add_mutually_exclusive_group()
    where.add_argument("--scheduler", metavar="ADDRESS", help="address of a running Dask scheduler")
    where.add_argument(
        "--single-process", action="store_true", help="never use Dask, whatever the size"
    )
    parser.add_argument(
        "--workers", type=int, default=2, help="local Dask worker processes (default 2)"
    )
    parser.add_argument(
        "--partition-rows",
        type=int,
        default=2_000_000,
        help="rows per partition, the unit of work and of memory (default 2000000)",
    )
    parser.add_argument(
        "--flags-only", action="store_true", help="write only the true/false columns"
    )
    parser.add_argument("-q", "--quiet", action="store_true", help="no progress lines")
    add_force_option(parser)
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    """Classify the points, write the Parquet file, print a JSON summary; return 0."""
    if not 1 <= args.workers <= 64:
        raise InputError(f"--workers must be between 1 and 64, got {args.workers}")
    if not 1_000 <= args.partition_rows <= 50_000_000:
        raise InputError(
            f"--partition-rows must be between 1000 and 50000000, got {args.partition_rows}"
        )
    scenario_file = None if args.scenario == "default" else args.scenario
    check_outputs({"--out": args.out}, inputs=[args.points, scenario_file], force=args.force)
    from geo import inrange
    from geo.scenario import build_scenario, default_spec, load_spec

    spec = default_spec() if scenario_file is None else load_spec(scenario_file)
    zones = inrange.zones_from_ranges(build_scenario(spec).ranges)
    with atomic_path(args.out, force=args.force) as tmp:
        result = inrange.classify_file(
            args.points,
            zones,
            tmp,
            lon=args.lon,
            lat=args.lat,
            parallel=False if args.single_process else None,
            scheduler=args.scheduler,
            workers=args.workers,
            partition_rows=args.partition_rows,
            flags_only=args.flags_only,
            progress=not args.quiet,
        )
    summary = {
        "out": str(args.out),
        "rows": result.rows,
        "invalid_coordinates": result.invalid,
        "in_range": result.in_range,
        "partitions": result.partitions,
        "mode": result.mode,
        "seconds": round(result.seconds, 2),
    }
    json.dump(summary, sys.stdout, indent=2, ensure_ascii=False)
    print()
    return 0
