"""``rangemap sites``: print the bundled list of military sites."""

from __future__ import annotations

import argparse
import sys

import geopandas as gpd

from geo.sites import SITE_TYPES, sites

EPILOG = """examples:
  rangemap sites
  rangemap sites --type airbase --format csv > airbases.csv
  rangemap sites --format geojson > sites.geojson
"""


def register(subparsers: argparse._SubParsersAction) -> None:
    """Add the ``sites`` sub-command."""
    parser = subparsers.add_parser(
        "sites",
        help="list bundled Russian military sites (airbases, naval bases ...)",
        description=(
            "List the bundled Russian military sites with their type, coordinates, operator "
            "and cited source. A selection, not a census: ISW counted at least 245 known "
            "Russian military objects, including 16 airfields, within ATACMS range of "
            "Ukrainian-held territory in November 2024."
        ),
        epilog=EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument(
        "--format", choices=("table", "csv", "geojson"), default="table", help="output format"
    )
    parser.add_argument(
        "--type",
        dest="types",
        action="append",
        choices=SITE_TYPES,
        help="keep only this type (repeatable)",
    )
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    """Print the sites in the requested format and return the exit code."""
    frame = sites(types=args.types)
    if args.format == "geojson":
        sys.stdout.write(frame.to_json(drop_id=True, ensure_ascii=False) + "\n")
    elif args.format == "csv":
        _flat(frame).to_csv(sys.stdout, index=False)
    else:
        _print_table(_flat(frame))
    return 0


def _flat(frame: gpd.GeoDataFrame) -> gpd.pd.DataFrame:
    """Return the sites as a plain table with ``lat``/``lon`` columns (EPSG:4326)."""
    table = frame.drop(columns="geometry").copy()
    table.insert(2, "lat", frame.geometry.y.round(4))
    table.insert(3, "lon", frame.geometry.x.round(4))
    return table


def _print_table(table: gpd.pd.DataFrame) -> None:
    columns = ["name", "type", "lat", "lon", "country_code", "operator"]
    shown = table[columns].astype(str)
    widths = {c: min(max(len(c), shown[c].str.len().max()), 48) for c in columns}
    print("  ".join(c.ljust(widths[c]) for c in columns))
    for _, row in shown.iterrows():
        print("  ".join(row[c][: widths[c]].ljust(widths[c]) for c in columns))
    print(f"\n{len(table)} sites; sources: rangemap sites --format csv (source_url column)")
