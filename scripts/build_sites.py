"""Build ``data/sites/sites.geojson`` from the facts written in ``data/sites/sites.toml``.

Each ``[[site]]`` table is checked (required fields, coordinate ranges, known type, an https
or http source URL) and written as one GeoJSON point feature. Run:
``.venv/bin/python scripts/build_sites.py``.
"""

from __future__ import annotations

import tomllib
from pathlib import Path
from typing import Any

import geopandas as gpd
from shapely.geometry import Point

ROOT = Path(__file__).resolve().parent.parent
FACTS = ROOT / "data" / "sites" / "sites.toml"
OUT = ROOT / "data" / "sites" / "sites.geojson"
TYPES = {"airbase", "airfield", "naval base", "depot", "hq", "factory", "air defence"}
REQUIRED = (
    "name",
    "type",
    "lat",
    "lon",
    "country_code",
    "operator",
    "source_publisher",
    "source_title",
    "source_url",
)


def main() -> None:
    facts = tomllib.loads(FACTS.read_text(encoding="utf-8"))
    rows = [_row(i, site) for i, site in enumerate(facts["site"], start=1)]
    names = [r["name"] for r in rows]
    duplicates = {n for n in names if names.count(n) > 1}
    if duplicates:
        raise SystemExit(f"duplicate site names: {sorted(duplicates)}")
    frame = gpd.GeoDataFrame(rows, geometry="geometry", crs=4326)
    OUT.unlink(missing_ok=True)
    frame.to_file(OUT, driver="GeoJSON", engine="pyogrio", COORDINATE_PRECISION=5)
    print(f"{OUT.relative_to(ROOT)}: {len(frame)} sites")


def _row(i: int, site: dict[str, Any]) -> dict[str, Any]:
    missing = [k for k in REQUIRED if not site.get(k) and site.get(k) != 0]
    if missing:
        raise SystemExit(f"site #{i} ({site.get('name')!r}) lacks {', '.join(missing)}")
    lat, lon = float(site["lat"]), float(site["lon"])
    if not (-90 <= lat <= 90 and -180 <= lon <= 180):
        raise SystemExit(f"site {site['name']!r}: lat/lon out of range ({lat}, {lon})")
    if site["type"] not in TYPES:
        raise SystemExit(f"site {site['name']!r}: type {site['type']!r} not in {sorted(TYPES)}")
    if not str(site["source_url"]).startswith(("https://", "http://")):
        raise SystemExit(f"site {site['name']!r}: source_url must be a web address")
    return {
        "name": site["name"],
        "type": site["type"],
        "country_code": site["country_code"],
        "operator": site["operator"],
        "source_title": site["source_title"],
        "source_url": site["source_url"],
        "source_publisher": site["source_publisher"],
        "aliases": "|".join(site.get("aliases", [])),
        "icao": site.get("icao", ""),
        "geometry": Point(lon, lat),
    }


if __name__ == "__main__":
    main()
