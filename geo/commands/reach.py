"""``rangemap reach``: what a weapon can reach from a launch point or area, with statistics."""

from __future__ import annotations

import argparse
import json
import sys

import geopandas as gpd
import pandas as pd

from geo import export, launch, reach
from geo._errors import InputError
from geo._outputs import add_force_option, check_outputs, write_text

FORMATS = ("geojson", "table")

EPILOG = """examples:
  rangemap reach --from 51.73,36.19 --weapon ATACMS
  rangemap reach --from Kharkiv --range-km 300 --min-km 50 --format table
  rangemap reach --from ukraine-held@2024-11-19 --weapon ATACMS --clip Russia --format table
  rangemap reach --from kursk-salient@2024-11-19 --weapon "Storm Shadow" --every-figure
  rangemap reach --from ukraine-held@2024-11-19 --weapon ATACMS --weapon Taurus --clip RU
  rangemap reach --from ukraine-held@2024-11-19 --standoff-km 20 --range-km 165 300
  rangemap reach --from -33.9,18.4 --range-km 500 --output cape.geojson
  rangemap reach --from "50°27′N 30°31′E" --weapon ATACMS --format table
"""


def register(subparsers: argparse._SubParsersAction) -> None:
    """Add the ``reach`` sub-command."""
    parser = subparsers.add_parser(
        "reach",
        help="print the geodesic range of a weapon from a launch point or area",
        description="Draw everything within range of a launch geometry (geodesic, exact on "
        "WGS84) and measure it: area in km², cities and population within range, military "
        "sites within range. LAUNCH is 'lat,lon', a place, a region or country name, "
        "'<side>-held@DATE' or '<region>-salient@DATE'. AREA is a country or region name or "
        "ISO code. Output: an RFC 7946 FeatureCollection (statistics in the properties) or "
        "a table.",
        epilog=EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--from", dest="launch", required=True, metavar="LAUNCH")
    what = parser.add_mutually_exclusive_group(required=True)
    what.add_argument(
        "--weapon",
        metavar="NAME",
        action="append",
        help="a system from the catalogue (repeat to compare systems)",
    )
    what.add_argument("--range-km", type=float, nargs="+", metavar="N", help="range(s) in km")
    parser.add_argument("--min-km", type=float, default=None, help="minimum range in km")
    parser.add_argument(
        "--every-figure", action="store_true", help="one ring per published figure of --weapon"
    )
    parser.add_argument("--clip", metavar="AREA", help="keep only the part inside this area")
    parser.add_argument(
        "--exclude-launch", action="store_true", help="leave out the launch area itself"
    )
    parser.add_argument("--standoff-km", type=float, default=0.0, help="launchers stay N km back")
    parser.add_argument(
        "--places-min-population",
        type=int,
        default=100_000,
        help="list cities of at least this population in range (default 100000)",
    )
    parser.add_argument("--format", choices=FORMATS, default="geojson", help="output format")
    parser.add_argument(
        "-o", "--output", metavar="PATH", help="write to this file instead of standard output"
    )
    add_force_option(parser)
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    """Compute and print (or write) the reach; return 0."""
    check_outputs({"--output": args.output}, force=args.force)
    if args.places_min_population < 0:
        raise InputError(
            f"--places-min-population must be 0 or more, got {args.places_min_population}"
        )
    specs = _specs(args)
    area = launch.launch_area(args.launch, standoff_km=args.standoff_km)
    clip = _clip(args.clip) if args.clip else None
    gdf = reach.reach(area.geometry, ranges=specs, clip=clip, exclude_launch=args.exclude_launch)
    stats = _stats(gdf, area, args.places_min_population)
    if args.format == "table":
        text = _table(area, stats)
    else:
        layers = {"reach": _with_stats(gdf, stats), "launch": area.to_gdf()}
        text = json.dumps(export.feature_collection(layers), ensure_ascii=False) + "\n"
    if args.output and args.output != "-":
        write_text(args.output, text, force=args.force)
        print(f"wrote {args.output}", file=sys.stderr)
    else:
        sys.stdout.write(text)
    return 0


def _specs(args: argparse.Namespace) -> list[reach.RangeSpec]:
    min_km = args.min_km or 0.0
    if args.weapon:
        specs = [
            spec
            for name in args.weapon
            for spec in reach.weapon_ranges(name, every_figure=args.every_figure)
        ]
        if args.min_km is not None:
            specs = [reach.RangeSpec(s.max_km, min_km, weapon=s.weapon) for s in specs]
        return specs
    if args.every_figure:
        raise InputError("--every-figure needs --weapon")
    return [reach.RangeSpec(km, min_km) for km in args.range_km]


def _clip(name: str) -> gpd.GeoDataFrame:
    from geo import boundaries
    from geo._errors import NotFoundError

    try:
        return boundaries.country(name)
    except NotFoundError:
        return boundaries.region(name)


def _stats(gdf: gpd.GeoDataFrame, area: launch.LaunchArea, min_pop: int) -> reach.ReachStats:
    from geo import sites
    from geo.places import gazetteer

    big = gazetteer.cities(min_population=min_pop)
    # Population sums need no Point per city: plain lon/lat arrays of the gazetteer's cities.
    ix = gazetteer.load_index()
    city = ix.kind == gazetteer.CITY
    population = pd.DataFrame(
        {"lon": ix.lon[city], "lat": ix.lat[city], "population": ix.population[city]}
    )
    return reach.reach_stats(
        gdf, launch=area.geometry, places=big, sites=sites.sites(), population=population
    )


def _with_stats(gdf: gpd.GeoDataFrame, stats: reach.ReachStats) -> gpd.GeoDataFrame:
    out = gdf.copy()
    for column in ("places_in_range", "sites_in_range", "population_in_range"):
        out[column] = stats.summary[column].to_numpy()
    found = stats.places
    has_names = not found.empty and {"label", "name"} <= set(found.columns)
    out["places"] = [
        found.loc[found["label"] == lab, "name"].head(50).tolist() if has_names else []
        for lab in out["label"]
    ]
    return out


def _table(area: launch.LaunchArea, stats: reach.ReachStats) -> str:
    lines = [f"launch: {area.name} ({area.description}; {area.area_km2:,.0f} km²)"]
    columns = ["label", "ring", "range_km", "min_km", "area_km2", "population_in_range",
               "places_in_range", "sites_in_range"]  # fmt: skip
    with pd.option_context("display.width", 160, "display.max_columns", 20):
        lines.append(stats.summary[columns].to_string(index=False))
        if not stats.places.empty:
            lines.append("\ncities in range (nearest first):")
            shown = stats.places[["label", "name", "population", "distance_km"]]
            lines.append(shown.groupby("label").head(15).to_string(index=False))
    return "\n".join(lines) + "\n"
