"""``rangemap frontline``: a frontline snapshot or file, as GeoJSON or a table of areas."""

from __future__ import annotations

import argparse
import json
import sys
import warnings
from pathlib import Path

import geopandas as gpd

from geo import frontline
from geo.settings import PROJECT_ROOT

FORMATS = ("table", "geojson")
#: The DeepStateMap snapshot the bundled 2024-11-19 snapshot is measured against (tests only;
#: it lives next to the checkout, never in it).
REFERENCE = PROJECT_ROOT.parent / "shared" / "reference" / "deepstate-2024-11-19.geojson"
REFERENCE_DATE = "2024-11-19"

EPILOG = """examples:
  rangemap frontline
  rangemap frontline --date 2024-08-20 --format table
  rangemap frontline --file deepstate.geojson --format geojson > frontline.geojson
  rangemap frontline --file my_map.kmz
"""


def register(subparsers: argparse._SubParsersAction) -> None:
    """Add the ``frontline`` sub-command."""
    parser = subparsers.add_parser(
        "frontline",
        help="print a frontline snapshot (bundled date or a file) with its areas",
        description="Print the classified frontline layers (occupied before/since 2022, "
        "Ukrainian-held part of Russia, grey zone, line of contact) of a bundled snapshot "
        f"(dates: {', '.join(frontline.available_dates()) or 'none'}) or of a DeepStateMap "
        "GeoJSON, generic GeoJSON, KML or KMZ file, with geodesic areas in km².",
        epilog=EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    source = parser.add_mutually_exclusive_group()
    source.add_argument("--date", help="bundled snapshot date, YYYY-MM-DD (default: 2024-11-19)")
    source.add_argument("--file", type=Path, help="frontline file: GeoJSON, KML or KMZ")
    parser.add_argument("--format", choices=FORMATS, default="table", help="output format")
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    """Print the snapshot; return 0."""
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always", frontline.FrontlineRepairWarning)
        if args.file is not None:
            gdf = frontline.load_file(args.file)
        else:
            gdf = frontline.snapshot(args.date or frontline.DEFAULT_DATE)
    for warning in caught:
        print(f"rangemap: warning: {warning.message}", file=sys.stderr)
    if args.format == "geojson":
        sys.stdout.write(to_geojson(gdf) + "\n")
    else:
        sys.stdout.write(table(gdf))
        if args.file is None and (args.date or frontline.DEFAULT_DATE) == REFERENCE_DATE:
            sys.stdout.write(accuracy_table(gdf))
    return 0


def to_geojson(gdf: gpd.GeoDataFrame) -> str:
    """Return the frame as RFC 7946 GeoJSON; every feature has class, date, source, area_km2."""
    return json.dumps(json.loads(gdf.to_crs("EPSG:4326").to_json(drop_id=True)))


def table(gdf: gpd.GeoDataFrame) -> str:
    """Return the classes with their areas (and line lengths) as a text table."""
    date = str(gdf["date"].iloc[0]) if len(gdf) else ""
    lines = [
        f"frontline {date or '(undated file)'}",
        f"{'class':<26} {'area km²':>12} {'length km':>10}",
    ]
    for _, row in gdf.iterrows():
        lines.append(f"{row['class']:<26} {row['area_km2']:>12,.1f} {row['length_km']:>10,.1f}")
    if len(gdf):
        lines.append(f"source: {gdf['source'].iloc[0]}")
    return "\n".join(lines) + "\n"


def accuracy_table(gdf: gpd.GeoDataFrame, *, reference: Path = REFERENCE) -> str:
    """Return the snapshot's accuracy against the DeepStateMap reference, if it is available."""
    if not reference.is_file():
        return f"accuracy vs DeepStateMap {REFERENCE_DATE}: reference not available ({reference})\n"
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", frontline.FrontlineRepairWarning)
        ref = frontline.load_deepstate(reference)
    fig = frontline.accuracy(gdf, ref)
    return (
        f"accuracy vs DeepStateMap {REFERENCE_DATE} ({reference.name}):\n"
        f"  occupied territory  IoU {fig['occupied_iou']:.3f}  "
        f"area ratio {fig['occupied_area_ratio']:.3f}\n"
        f"  occupied before 2022  IoU {fig['before_2022_iou']:.3f}  "
        f"area ratio {fig['before_2022_area_ratio']:.3f}\n"
        f"  Kursk salient (Ukrainian-held)  IoU {fig['kursk_iou']:.3f}  "
        f"area ratio {fig['kursk_area_ratio']:.3f}\n"
    )
