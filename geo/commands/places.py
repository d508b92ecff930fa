"""``rangemap places``: the places an article names, as a table, GeoJSON, JSON lines or CSV.

With ``--corpus PATH --out FILE.parquet`` it runs over a whole corpus of articles on Dask
and writes one GeoParquet file of mentions (see :mod:`geo.corpus`).
"""

from __future__ import annotations

import argparse
import csv
import io
import json
import sys
from collections.abc import Mapping, Sequence
from typing import Any

from geo._errors import InputError
from geo._outputs import add_force_option, check_outputs
from geo.commands._text import read_text

FORMATS = ("table", "geojson", "jsonl", "csv")

EPILOG = """examples:
  rangemap places article.txt
  rangemap places article.txt --format geojson > places.geojson
  cat article.txt | rangemap places - --format csv
  rangemap places news/*.txt --format jsonl
  rangemap places --corpus news/ --out places.parquet
  rangemap places --corpus articles.jsonl --out places.parquet --workers 4
  rangemap places --corpus articles.parquet --out places.parquet --scheduler tcp://host:8786

--corpus reads a folder of .txt files (the id is the file name), a JSON-lines file or a
Parquet file of articles with fields "id", "text" and optionally "date". It writes one
GeoParquet file with a row per mention (article id, date, offsets, surface and the place's
fields, point geometry in EPSG:4326). Partitions finished by an interrupted run are kept
next to the output and not redone when the same command is run again.
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
    parser.add_argument("files", nargs="*", metavar="FILE", help="text file, or - for stdin")
    parser.add_argument("--format", choices=FORMATS, default="table", help="output format")
    corpus = parser.add_argument_group("corpus mode (parallel, on Dask)")
    corpus.add_argument("--corpus", metavar="PATH", help="folder of .txt, .jsonl or .parquet")
    corpus.add_argument("--out", metavar="FILE", help="GeoParquet file of mentions to write")
    corpus.add_argument(
        "--scheduler",
        metavar="ADDRESS",
        help="address of a running Dask scheduler (default: local worker processes)",
    )
    corpus.add_argument(
        "--workers", type=int, metavar="N", help="local worker processes (default: one per core)"
    )
    corpus.add_argument(
        "--partition-size",
        type=int,
        default=500,
        metavar="N",
        help="articles per partition, the unit of work and of resuming (default 500)",
    )
    corpus.add_argument("--quiet", action="store_true", help="no progress bar")
    add_force_option(parser)
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    """Print the places of every file; return 0, 1 if some files failed, 2 if all did."""
    if args.corpus is not None or args.out is not None:
        return _run_corpus(args)
    files: list[str] = list(args.files)
    if not files:
        raise InputError("give a FILE (or - for stdin), or --corpus PATH --out FILE.parquet")
    if args.format == "geojson" and len(files) > 1:
        raise InputError("--format geojson takes one file; use --format jsonl for several")
    from geo.places.resolve import place_records

    failures = 0
    for name in files:
        try:
            text = read_text(name, encoding="utf-8")
        except InputError as exc:
            print(f"rangemap: error: {exc}", file=sys.stderr)
            failures += 1
            continue
        places = place_records(text)
        sys.stdout.write(_render(places, name, args.format, several=len(files) > 1))
    if failures == len(files):
        return 2
    return 1 if failures else 0


def feature_collection(places: Sequence[Mapping[str, Any]]) -> dict[str, Any]:
    """Return an RFC 7946 FeatureCollection of place records (EPSG:4326, 7 decimals).

    Parameters
    ----------
    places
        Records of :func:`geo.places.resolve.place_records`.
    """
    from geo.places.resolve import COLUMNS

    features = []
    for place in places:
        features.append(
            {
                "type": "Feature",
                "geometry": {
                    "type": "Point",
                    "coordinates": [round(place["lon"], 7), round(place["lat"], 7)],
                },
                "properties": {c: place[c] for c in COLUMNS},
            }
        )
    return {"type": "FeatureCollection", "features": features}


# ----------------------------------------------------------------------------- helpers


def _run_corpus(args: argparse.Namespace) -> int:
    if args.corpus is None or args.out is None:
        raise InputError("corpus mode needs both --corpus PATH and --out FILE.parquet")
    if args.files:
        raise InputError("give either FILE arguments or --corpus, not both")
    check_outputs({"--out": args.out}, inputs=[args.corpus], force=args.force)
    from geo import corpus

    summary = corpus.places_to_parquet(
        args.corpus,
        args.out,
        scheduler=args.scheduler,
        workers=args.workers,
        partition_size=args.partition_size,
        progress=not args.quiet,
        force=args.force,
    )
    print(summary.describe(), file=sys.stderr)
    return 0


def _render(places: list[dict[str, Any]], name: str, fmt: str, *, several: bool) -> str:
    if fmt == "geojson":
        return json.dumps(feature_collection(places), ensure_ascii=False, indent=1) + "\n"
    if fmt == "jsonl":
        return json.dumps({**feature_collection(places), "file": name}, ensure_ascii=False) + "\n"
    if fmt == "csv":
        return _csv(places, name if several else None)
    return _table(places, name if several else None)


def _csv(places: list[dict[str, Any]], name: str | None) -> str:
    from geo.places.resolve import COLUMNS

    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\n")
    head = ["file"] if name is not None else []
    writer.writerow([*head, *COLUMNS, "lat", "lon"])
    for place in places:
        values = [json.dumps(v) if isinstance(v, list) else v for v in map(place.get, COLUMNS)]
        lat, lon = round(place["lat"], 7), round(place["lon"], 7)
        writer.writerow([*([name] if name is not None else []), *values, lat, lon])
    return buf.getvalue()


def _table(places: list[dict[str, Any]], name: str | None) -> str:
    lines = [f"== {name}"] if name is not None else []
    lines.append(f"{'name':28} {'kind':10} {'code':8} {'conf':>5}  {'lat,lon':20} surfaces")
    for place in places:
        code = place["code"] or place["country_code"] or ""
        where = f"{place['lat']:.4f},{place['lon']:.4f}"
        flag = " (demonym only)" if place["demonym_only"] else ""
        lines.append(
            f"{str(place['name'])[:28]:28} {place['kind']:10} {code:8} "
            f"{place['confidence']:5.2f}  {where:20} {', '.join(place['surfaces'])}{flag}"
        )
    return "\n".join(lines) + "\n"
