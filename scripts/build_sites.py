"""Build ``data/sites/sites.geojson`` and ``data/sites/airfields.csv``.

- ``sites.geojson``: from the facts written in ``data/sites/sites.toml``; each ``[[site]]``
  table is checked (required fields, coordinate ranges, known type, an https or http source
  URL) and written as one GeoJSON point feature.
- ``airfields.csv``: the military airfields of the PyPI package ``airportsdata`` (those whose
  name says air base, air force base, air station, naval air station, army airfield,
  military ...), columns ``icao,name,country_code,lat,lon``; with ``data/sites/bases.toml``
  (written by hand) they are the launch places :mod:`geo.sites` finds by name.

Run: ``.venv/bin/python scripts/build_sites.py``.
"""

from __future__ import annotations

import csv
import re
import tomllib
from pathlib import Path
from typing import Any

import geopandas as gpd
from shapely.geometry import Point

ROOT = Path(__file__).resolve().parent.parent
FACTS = ROOT / "data" / "sites" / "sites.toml"
OUT = ROOT / "data" / "sites" / "sites.geojson"
AIRFIELDS = ROOT / "data" / "sites" / "airfields.csv"
MILITARY = re.compile(
    r"\b(?:air ?base|air force base|afb|air station|naval|army air ?field|military|"
    r"air force|aviation base|joint base|marine corps|ab)\b",
    re.IGNORECASE,
)
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
    n = build_airfields(AIRFIELDS)
    print(f"{AIRFIELDS.relative_to(ROOT)}: {n} military airfields from airportsdata")


def build_airfields(path: Path) -> int:
    """Write the military airfields of ``airportsdata`` to ``path``; return how many."""
    import airportsdata

    rows = [
        (a["icao"], a["name"], a["country"], round(a["lat"], 4), round(a["lon"], 4))
        for a in airportsdata.load("ICAO").values()
        if MILITARY.search(a["name"]) and a["country"]
    ]
    rows.sort(key=lambda r: (r[2], r[1]))
    with path.open("w", encoding="utf-8", newline="") as f:
        writer = csv.writer(f, lineterminator="\n")
        writer.writerow(["icao", "name", "country_code", "lat", "lon"])
        writer.writerows(rows)
    return len(rows)


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
