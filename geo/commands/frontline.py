"""``rangemap frontline``: a snapshot or file; ``import``, ``list`` and ``history`` of snapshots.

- ``rangemap frontline [--date D | --file F] [--format table|geojson] [-o PATH]``: the
  classified layers and their areas; ``--date`` uses the latest snapshot on or before ``D``
  (bundled or imported) and says how many days separate them.
- ``rangemap frontline import PATH...``: store files (or folders of files) in the history.
- ``rangemap frontline list``: the dates available, bundled and imported.
- ``rangemap frontline history --format csv|png [-o PATH]``: occupied area (and the Kursk
  salient) over time.

Files are written through :mod:`geo._outputs`: never over an input, never through a symlink,
and an existing file only with ``--force``.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import warnings
from pathlib import Path

import geopandas as gpd

from geo import frontline
from geo._errors import InputError
from geo._outputs import add_force_option, check_outputs, write_bytes, write_text
from geo.settings import PROJECT_ROOT

FORMATS = ("table", "geojson")
HISTORY_FORMATS = ("csv", "png")
#: The DeepStateMap snapshot the bundled 2024-11-19 snapshot is measured against (tests only;
#: it lives next to the checkout, never in it).
REFERENCE = PROJECT_ROOT.parent / "shared" / "reference" / "deepstate-2024-11-19.geojson"
REFERENCE_DATE = "2024-11-19"

EPILOG = """examples:
  rangemap frontline
  rangemap frontline --date 2024-08-20 --format table
  rangemap frontline --date 2023-06-08        # the latest snapshot on or before that day
  rangemap frontline --file deepstate.geojson --format geojson -o frontline.geojson
  rangemap frontline import ~/deepstatemaps-history/geojsons
  rangemap frontline list
  rangemap frontline history --format png -o history.png
"""


def register(subparsers: argparse._SubParsersAction) -> None:
    """Add the ``frontline`` sub-command and its ``import``, ``list``, ``history`` actions."""
    parser = subparsers.add_parser(
        "frontline",
        help="frontline snapshots: print one, import files, list dates, history of areas",
        description="Print the classified frontline layers (occupied before/since 2022, "
        "Ukrainian-held part of Russia, grey zone, liberated, line of contact) of a snapshot "
        "(bundled or imported; --date picks the latest on or before that day) or of a "
        "DeepStateMap GeoJSON (any format since 2022), generic GeoJSON, KML or KMZ file, "
        "with geodesic areas in km².",
        epilog=EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    source = parser.add_mutually_exclusive_group()
    source.add_argument("--date", help="YYYY-MM-DD: the latest snapshot on or before it")
    source.add_argument("--file", type=Path, help="frontline file: GeoJSON, KML or KMZ")
    parser.add_argument("--format", choices=FORMATS, default="table", help="output format")
    parser.add_argument("-o", "--output", type=Path, help="write to this file, not stdout")
    add_force_option(parser)
    parser.set_defaults(func=run)
    actions = parser.add_subparsers(dest="action", metavar="{import,list,history}")
    _register_import(actions)
    _register_list(actions)
    _register_history(actions)


def run(args: argparse.Namespace) -> int:
    """Print (or write) the snapshot; return 0."""
    check_outputs({"--output": args.output}, inputs=[args.file], force=args.force)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always", frontline.FrontlineRepairWarning)
        if args.file is not None:
            gdf = frontline.load_file(args.file)
        elif args.date:
            chosen = frontline.pick(args.date)
            print(f"rangemap: {chosen.note}", file=sys.stderr)
            gdf = chosen.frame
        else:
            gdf = frontline.snapshot(frontline.DEFAULT_DATE)
    for warning in caught:
        print(f"rangemap: warning: {warning.message}", file=sys.stderr)
    if args.format == "geojson":
        text = to_geojson(gdf) + "\n"
    else:
        text = table(gdf)
        if args.file is None and str(gdf["date"].iloc[0] if len(gdf) else "") == REFERENCE_DATE:
            text += accuracy_table(gdf)
    _emit(text, args.output, force=args.force)
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


# --- import / list / history -------------------------------------------------------------------


def _register_import(actions: argparse._SubParsersAction) -> None:
    parser = actions.add_parser(
        "import",
        help="store frontline files (or folders of them) in the local history",
        description="Read DeepStateMap GeoJSON of any format, GeoJSON, KML or KMZ files "
        "(folders are searched for *.geojson, *.json, *.kml, *.kmz) and store each snapshot, "
        "normalised and de-duplicated, in the history under RANGEMAP_DATA_DIR "
        "(default ~/.local/share/rangemap). A snapshot's date is the file's own, or the "
        "Unix time or YYYY-MM-DD in its name, or --date.",
    )
    parser.add_argument("paths", nargs="+", type=Path, metavar="PATH", help="files or folders")
    parser.add_argument("--date", default="", help="date for files that carry none")
    parser.add_argument(
        "--jobs", type=int, default=min(4, os.cpu_count() or 1), help="worker processes"
    )
    parser.set_defaults(func=run_import)


def _register_list(actions: argparse._SubParsersAction) -> None:
    parser = actions.add_parser("list", help="list the snapshot dates, bundled and imported")
    parser.set_defaults(func=run_list)


def _register_history(actions: argparse._SubParsersAction) -> None:
    parser = actions.add_parser(
        "history",
        help="occupied area (and the Kursk salient) over time, as CSV or a PNG chart",
    )
    parser.add_argument("--format", choices=HISTORY_FORMATS, default="csv")
    parser.add_argument("-o", "--output", type=Path, help="write to this file (PNG: required)")
    add_force_option(parser)
    parser.set_defaults(func=run_history)


def run_import(args: argparse.Namespace) -> int:
    """Import the files; print one line per file and a summary; 1 if any was refused."""
    counts: dict[str, int] = {}
    jobs = max(1, min(args.jobs, 32))
    for result in frontline.import_paths(args.paths, date=args.date, jobs=jobs):
        counts[result.status] = counts.get(result.status, 0) + 1
        if result.status == "refused":
            print(f"refused  {result.path}: {result.message}", file=sys.stderr)
        else:
            same = result.duplicate and result.status != "unchanged"
            dup = " (the same map as another date: stored once)" if same else ""
            print(f"{result.status:<9} {result.date}  {result.path}{dup}")
    summary = ", ".join(f"{n} {status}" for status, n in sorted(counts.items()))
    print(f"imported into {frontline.store.folder()}: {summary or 'no files found'}")
    return 1 if counts.get("refused") or not counts else 0


def run_list(args: argparse.Namespace) -> int:
    """Print the available dates with their origin and occupied area."""
    rows = frontline.history.table()
    print(f"{'date':<10}  {'occupied km²':>12}  origin")
    for _, row in rows.iterrows():
        print(f"{row['date']:<10}  {row['occupied_km2']:>12,.1f}  {row['origin']}")
    print(f"{len(rows)} snapshots")
    return 0


def run_history(args: argparse.Namespace) -> int:
    """Write the history as CSV (stdout or file) or a PNG chart (file)."""
    if args.format == "png" and args.output is None:
        raise InputError("history --format png needs --output PATH.png")
    check_outputs({"--output": args.output}, force=args.force)
    rows = frontline.history.table()
    if args.format == "csv":
        _emit(rows.to_csv(index=False), args.output, force=args.force)
        return 0
    from layers.history_chart import to_png

    write_bytes(args.output, to_png(rows), force=args.force)
    print(f"wrote {args.output} ({len(rows)} snapshots)", file=sys.stderr)
    return 0


def _emit(text: str, output: Path | None, *, force: bool) -> None:
    """Write text to the output file, or to standard output."""
    if output is None or str(output) == "-":
        sys.stdout.write(text)
    else:
        write_text(output, text, force=force)
