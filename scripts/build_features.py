"""Build ``data/gazetteer/features.json``: major natural features news text names.

GeoNames' populated-place files hold no rivers, seas, peninsulas or deserts, so "the
Indian Ocean" became India and "the Oskil river" a village. These are written facts: name,
aliases, kind (``water`` for oceans, seas, gulfs, straits, rivers and lakes; ``region`` for
land features), country (when inside one) and a representative point: the coordinates of
the English Wikipedia article of each feature, rounded to 0.1° (for rivers, the article's
point or mid-course). Features already in ``facts.json`` (Black Sea, Dnipro, Danube...)
are not repeated. Run ``.venv/bin/python scripts/build_features.py``.
"""

from __future__ import annotations

import json
from pathlib import Path

OUT = Path(__file__).resolve().parent.parent / "data" / "gazetteer" / "features.json"

#: name, aliases, kind, country code (or None), lat, lon
FEATURES: list[tuple[str, list[str], str, str | None, float, float]] = [
    # oceans
    ("Indian Ocean", [], "water", None, -20.0, 80.0),
    ("Atlantic Ocean", [], "water", None, 0.0, -25.0),
    ("Pacific Ocean", [], "water", None, 0.0, -160.0),
    ("Arctic Ocean", [], "water", None, 90.0, 0.0),
    ("Southern Ocean", [], "water", None, -60.0, 90.0),
    # seas and gulfs
    ("Caribbean Sea", ["Caribbean", "the Caribbean"], "water", None, 14.5, -75.0),
    ("Arabian Sea", [], "water", None, 14.0, 65.0),
    ("East China Sea", [], "water", None, 30.0, 125.0),
    ("Sea of Japan", ["East Sea"], "water", None, 40.0, 135.0),
    ("Yellow Sea", [], "water", None, 35.0, 123.0),
    ("Adriatic Sea", ["Adriatic"], "water", None, 43.0, 15.0),
    ("Aegean Sea", ["Aegean"], "water", None, 39.0, 25.0),
    ("Barents Sea", [], "water", None, 75.0, 40.0),
    ("Sea of Okhotsk", [], "water", None, 55.0, 150.0),
    ("Bering Sea", [], "water", None, 58.0, -178.0),
    ("Gulf of Mexico", [], "water", None, 25.0, -90.0),
    ("Gulf of Finland", [], "water", None, 60.0, 26.0),
    ("Gulf of Oman", [], "water", None, 24.5, 58.5),
    ("Gulf of Guinea", [], "water", None, 1.0, 4.0),
    ("Bay of Bengal", [], "water", None, 15.0, 88.0),
    ("English Channel", [], "water", None, 50.2, -1.0),
    # straits
    ("Bosphorus", ["Bosporus"], "water", "TR", 41.1, 29.05),
    ("Strait of Gibraltar", [], "water", None, 35.97, -5.5),
    ("Strait of Malacca", [], "water", None, 4.0, 100.0),
    ("Bab el-Mandeb", [], "water", None, 12.6, 43.3),
    ("Suez Canal", [], "water", "EG", 30.7, 32.3),
    ("Panama Canal", [], "water", "PA", 9.1, -79.7),
    # rivers and lakes
    ("Nile", ["Nile River", "River Nile"], "water", None, 27.0, 31.0),
    ("Amazon River", ["Amazon River"], "water", "BR", -3.0, -60.0),
    ("Mississippi River", [], "water", "US", 35.0, -90.0),
    ("Missouri River", [], "water", "US", 41.0, -96.0),
    ("Ohio River", [], "water", "US", 38.7, -84.0),
    ("Rio Grande", [], "water", None, 29.5, -104.0),
    ("Volga", ["Volga River"], "water", "RU", 48.7, 44.5),
    ("Don River", [], "water", "RU", 47.3, 39.5),
    ("Rhine", ["Rhine River", "River Rhine"], "water", None, 50.0, 7.6),
    ("Thames", ["River Thames", "Thames River"], "water", "GB", 51.5, -0.1),
    ("Seine", ["Seine River"], "water", "FR", 49.0, 1.5),
    ("Euphrates", ["Euphrates River"], "water", None, 34.5, 40.9),
    ("Tigris", ["Tigris River"], "water", None, 35.0, 43.3),
    ("Yangtze", ["Yangtze River"], "water", "CN", 30.5, 114.3),
    ("Yellow River", [], "water", "CN", 35.0, 110.0),
    ("Mekong", ["Mekong River"], "water", None, 15.0, 105.8),
    ("Ganges", ["Ganges River"], "water", "IN", 25.3, 83.0),
    ("Indus", ["Indus River"], "water", "PK", 28.0, 69.0),
    ("Jordan River", [], "water", None, 32.3, 35.55),
    ("Oskil", ["Oskil River"], "water", "UA", 49.4, 37.6),
    ("Siverskyi Donets", ["Seversky Donets", "Donets River"], "water", "UA", 48.9, 38.0),
    ("Dniester", ["Dniester River"], "water", None, 47.0, 29.6),
    ("Zambezi", ["Zambezi River"], "water", None, -16.0, 29.0),
    ("Congo River", [], "water", None, -1.0, 18.0),
    ("Niger River", [], "water", None, 13.5, 2.1),
    ("Great Lakes", [], "water", None, 45.0, -84.0),
    ("Lake Victoria", [], "water", None, -1.0, 33.0),
    # peninsulas, deltas, deserts, mountains
    ("Korean Peninsula", [], "region", None, 37.5, 127.5),
    ("Arabian Peninsula", [], "region", None, 23.0, 46.0),
    ("Iberian Peninsula", [], "region", None, 40.0, -4.0),
    ("Sinai Peninsula", ["Sinai"], "region", "EG", 29.5, 33.8),
    ("Kola Peninsula", [], "region", "RU", 67.5, 36.0),
    ("Kamchatka Peninsula", [], "region", "RU", 56.0, 160.0),
    ("Niger Delta", [], "region", "NG", 5.0, 6.0),
    ("Mekong Delta", [], "region", "VN", 10.0, 105.8),
    ("Nile Delta", [], "region", "EG", 30.9, 31.0),
    ("Sahara", ["Sahara Desert"], "region", None, 23.0, 13.0),
    ("Gobi Desert", ["Gobi"], "region", None, 42.6, 103.4),
    ("Negev", ["Negev Desert"], "region", "IL", 30.8, 34.8),
    ("Kalahari Desert", ["Kalahari"], "region", None, -23.0, 22.0),
    ("Atacama Desert", [], "region", "CL", -24.5, -69.25),
    ("Mojave Desert", [], "region", "US", 35.0, -115.5),
    ("Alps", ["the Alps"], "region", None, 46.5, 10.0),
    ("Himalayas", ["Himalaya"], "region", None, 28.0, 84.0),
    ("Andes", [], "region", None, -32.0, -70.0),
    ("Rocky Mountains", ["Rockies"], "region", None, 44.0, -109.0),
    ("Ural Mountains", ["Urals"], "region", "RU", 60.0, 59.0),
    ("Carpathian Mountains", ["Carpathians"], "region", None, 47.5, 25.0),
    ("Appalachian Mountains", ["Appalachians", "Appalachia"], "region", "US", 38.0, -80.0),
    ("North America", ["North American"], "continent", None, 46.07, -100.55),
    ("South America", ["South American"], "continent", None, -14.6, -57.66),
]


def main() -> None:
    rows = [
        {"name": n, "aliases": a, "kind": k, "country_code": c, "lat": lat, "lon": lon}
        for n, a, k, c, lat, lon in FEATURES
    ]
    lines = ",\n".join(" " + json.dumps(r, ensure_ascii=False) for r in rows)
    OUT.write_text("[\n" + lines + "\n]\n", encoding="utf-8")
    print(f"{OUT}: {len(rows)} features")


if __name__ == "__main__":
    main()
