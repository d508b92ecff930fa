"""``rangemap places``: the places an article names, as a table, GeoJSON, JSON lines or CSV."""

from __future__ import annotations

import argparse
import csv
import io
import json
import sys
from typing import Any

import geopandas as gpd

from geo._errors import InputError
from geo.commands._text import read_text
from geo.places.resolve import COLUMNS, places_from_text

FORMATS = ("table", "geojson", "jsonl", "csv")

EPILOG = """examples:
  rangemap places article.txt
  rangemap places article.txt --format geojson > places.geojson
  cat article.txt | rangemap places - --format csv
  rangemap places news/*.txt --format jsonl
"""


def register(subparsers: argparse._SubParsersAction) -> None:
    """Add the ``places`` sub-command."""
    parser = subparsers.add_parser(
        "places",
        help="list the places an article names, geocoded offline",
        description="Find and geocode the places named in text files (offline GeoNames "
        "gazetteer). Offsets in 'mentions' are character offsets into the UTF-8 text.",
        epilog=EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("files", nargs="+", metavar="FILE", help="text file, or - for stdin")
    parser.add_argument("--format", choices=FORMATS, default="table", help="output format")
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    """Print the places of every file; return 0, 1 if some files failed, 2 if all did."""
    files: list[str] = list(args.files)
    if args.format == "geojson" and len(files) > 1:
        raise InputError("--format geojson takes one file; use --format jsonl for several")
    failures = 0
    for name in files:
        try:
            text = read_text(name, encoding="utf-8")
        except InputError as exc:
            print(f"rangemap: error: {exc}", file=sys.stderr)
            failures += 1
            continue
        places = places_from_text(text)
        sys.stdout.write(_render(places, name, args.format, several=len(files) > 1))
    if failures == len(files):
        return 2
    return 1 if failures else 0


def feature_collection(places: gpd.GeoDataFrame) -> dict[str, Any]:
    """Return an RFC 7946 FeatureCollection of a places frame (EPSG:4326, 7 decimals)."""
    features = []
    for _, row in places.iterrows():
        props = {c: _plain(row[c]) for c in COLUMNS}
        point = row.geometry
        features.append(
            {
                "type": "Feature",
                "geometry": {
                    "type": "Point",
                    "coordinates": [round(point.x, 7), round(point.y, 7)],
                },
                "properties": props,
            }
        )
    return {"type": "FeatureCollection", "features": features}


# ----------------------------------------------------------------------------- helpers


def _plain(value: Any) -> Any:
    if isinstance(value, list):
        return [_plain(v) for v in value]
    if value is None or value is getattr(gpd.pd, "NA", None):
        return None
    if hasattr(value, "item"):
        return value.item()
    if isinstance(value, float) and value != value:
        return None
    return value


def _render(places: gpd.GeoDataFrame, name: str, fmt: str, *, several: bool) -> str:
    if fmt == "geojson":
        return json.dumps(feature_collection(places), ensure_ascii=False, indent=1) + "\n"
    if fmt == "jsonl":
        return json.dumps({**feature_collection(places), "file": name}, ensure_ascii=False) + "\n"
    if fmt == "csv":
        return _csv(places, name if several else None)
    return _table(places, name if several else None)


def _csv(places: gpd.GeoDataFrame, name: str | None) -> str:
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\n")
    head = ["file"] if name is not None else []
    writer.writerow([*head, *COLUMNS, "lat", "lon"])
    for _, row in places.iterrows():
        values = [json.dumps(v) if isinstance(v, list) else _plain(v) for v in row[list(COLUMNS)]]
        lat, lon = round(row.geometry.y, 7), round(row.geometry.x, 7)
        writer.writerow([*([name] if name is not None else []), *values, lat, lon])
    return buf.getvalue()


def _table(places: gpd.GeoDataFrame, name: str | None) -> str:
    lines = [f"== {name}"] if name is not None else []
    lines.append(f"{'name':28} {'kind':10} {'code':8} {'conf':>5}  {'lat,lon':20} surfaces")
    for _, row in places.iterrows():
        code = _plain(row["code"]) or _plain(row["country_code"]) or ""
        where = f"{row.geometry.y:.4f},{row.geometry.x:.4f}"
        flag = " (demonym only)" if row["demonym_only"] else ""
        lines.append(
            f"{str(row['name'])[:28]:28} {row['kind']:10} {code:8} {row['confidence']:5.2f}  "
            f"{where:20} {', '.join(row['surfaces'])}{flag}"
        )
    return "\n".join(lines) + "\n"
