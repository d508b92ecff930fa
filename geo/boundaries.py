"""Country outlines and first-level regions (oblasts, provinces), from bundled data.

Countries are Natural Earth 4.1.0 admin-0 polygons with internationally recognised borders
(Crimea and Sevastopol are part of Ukraine, UN General Assembly resolution 68/262). Regions
are approximations built from GeoNames settlements unless the user loads real boundary files
with :func:`load_regions_file`. See ``data/boundaries/README.md`` for provenance.

Every function returns data in EPSG:4326.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from functools import lru_cache
from pathlib import Path

import geopandas as gpd
import pandas as pd
import shapely
from rapidfuzz import process

from geo._errors import InputError, NotFoundError, RangemapError
from geo.settings import data_path

#: Columns of :func:`countries`, in order.
COUNTRY_COLUMNS: tuple[str, ...] = ("iso_a2", "iso_a3", "iso_n3", "name", "name_ne", "geometry")
#: Columns of :func:`regions` and :func:`load_regions_file`, in order.
REGION_COLUMNS: tuple[str, ...] = (
    "code",
    "name",
    "country_code",
    "approximate",
    "source",
    "geometry",
)

#: Countries whose first-level regions are bundled (approximations, see :func:`regions`).
REGION_COUNTRIES: tuple[str, ...] = ("UA", "RU", "BY", "MD", "PL", "RO", "EE")
#: Words that say "a region" and are dropped when matching region names.
REGION_CUES: frozenset[str] = frozenset(
    {
        "oblast", "obl", "obl.", "region", "regions", "province", "krai", "kray", "republic",
        "autonomous", "okrug", "ao", "of", "the", "voblast", "voblasts", "county", "district",
        "raion", "governorate", "voivodeship", "city",
    }
)  # fmt: skip
#: Largest user boundary file :func:`load_regions_file` reads.
MAX_FILE_BYTES = 500_000_000

#: Other names users write for countries whose bundled name differs.
COUNTRY_ALIASES: dict[str, str] = {
    "russian federation": "RU",
    "the russian federation": "RU",
    "usa": "US",
    "us": "US",
    "u.s.": "US",
    "united states of america": "US",
    "america": "US",
    "uk": "GB",
    "u.k.": "GB",
    "great britain": "GB",
    "britain": "GB",
    "england": "GB",
    "czech republic": "CZ",
    "republic of moldova": "MD",
    "moldavia": "MD",
    "byelorussia": "BY",
    "belorussia": "BY",
    "the ukraine": "UA",
    "south korea": "KR",
    "republic of korea": "KR",
    "north korea": "KP",
    "dprk": "KP",
    "iran, islamic republic of": "IR",
    "islamic republic of iran": "IR",
    "syrian arab republic": "SY",
    "turkiye": "TR",
    "viet nam": "VN",
    "lao pdr": "LA",
    "ivory coast": "CI",
    "dr congo": "CD",
    "drc": "CD",
    "democratic republic of the congo": "CD",
    "republic of the congo": "CG",
    "holland": "NL",
    "the netherlands": "NL",
    "burma": "MM",
    "east timor": "TL",
    "swaziland": "SZ",
    "cape verde": "CV",
    "macedonia": "MK",
    "palestinian territories": "PS",
    "state of palestine": "PS",
}


def countries() -> gpd.GeoDataFrame:
    """Return every country outline (Natural Earth 4.1.0, 1:10m simplified), cached.

    Returns
    -------
    geopandas.GeoDataFrame
        One row per country: ``iso_a2``, ``iso_a3`` (ISO 3166-1 alpha codes; Kosovo is
        XK/XKX; a few disputed specks have empty codes), ``iso_n3`` (numeric), ``name``
        (GeoNames English name), ``name_ne`` (Natural Earth short name) and a (Multi)Polygon
        geometry split at the antimeridian, in EPSG:4326. A copy: callers may modify it.
    """
    return _bundled_countries().copy()


def country(code_or_name: str) -> gpd.GeoDataFrame:
    """Return the outline of one country.

    Parameters
    ----------
    code_or_name
        ISO 3166-1 alpha-2 or alpha-3 code (``"RU"``, ``"RUS"``) or an English name, in any
        case (``"Russia"``, ``"russian federation"``).

    Returns
    -------
    geopandas.GeoDataFrame
        One row with the columns of :func:`countries`, in EPSG:4326.

    Raises
    ------
    NotFoundError
        If no country matches; the message suggests the closest names.
    """
    frame = _bundled_countries()
    key = _normalize(_check_text(code_or_name, what="country"))
    code = COUNTRY_ALIASES.get(key, key.upper()) or "?"
    hit = frame[(frame["iso_a2"] == code) | (frame["iso_a3"] == code)]
    if hit.empty:
        names = frame["name"].map(_normalize)
        hit = frame[(names == key) | (frame["name_ne"].map(_normalize) == key)]
    if hit.empty:
        raise NotFoundError(
            f"unknown country {code_or_name!r}; did you mean {_suggest(key, frame['name'])}?"
        )
    return hit.iloc[[0]].reset_index(drop=True)


def land() -> gpd.GeoDataFrame:
    """Return the land of the world as one MultiPolygon (the union of all countries), cached.

    Returns
    -------
    geopandas.GeoDataFrame
        One row, column ``name`` (``"land"``) and geometry, in EPSG:4326. Everything else is
        sea (for an offline basemap). A copy: callers may modify it.
    """
    return _bundled_land().copy()


def regions(*, country_codes: Sequence[str] | None = None) -> gpd.GeoDataFrame:
    """Return the bundled first-level regions (oblasts, krais, republics, voivodeships ...).

    The bundled regions are approximations (``approximate`` is True): Voronoi cells of
    GeoNames settlements dissolved by admin-1 code and clipped to the country outline;
    measured on Ukraine against real oblast boundaries, median IoU 0.90, worst 0.71. Load
    real boundaries with :func:`load_regions_file` when you have them.

    Parameters
    ----------
    country_codes
        Keep only these countries (ISO alpha-2, alpha-3 or names); all bundled countries
        (:data:`REGION_COUNTRIES`) when None. A known country without bundled regions adds
        no rows.

    Returns
    -------
    geopandas.GeoDataFrame
        Columns ``code`` (ISO 3166-2, e.g. ``"RU-KRS"``), ``name`` (English, e.g. ``"Kursk
        Oblast"``), ``country_code`` (alpha-2), ``approximate``, ``source``, ``aliases``
        (other names, ``|``-separated) and a MultiPolygon geometry, in EPSG:4326.

    Raises
    ------
    NotFoundError
        If a requested country is unknown.
    """
    if country_codes is None:
        return _bundled_regions().reset_index(drop=True)
    if isinstance(country_codes, str):
        country_codes = [country_codes]
    wanted = frozenset(_iso_a2(c) for c in country_codes)
    return _regions_of(wanted).copy()  # a copy: callers may modify it


def region(name_or_code: str, *, frame: gpd.GeoDataFrame | None = None) -> gpd.GeoDataFrame:
    """Return one first-level region, found by ISO 3166-2 code or by name.

    Parameters
    ----------
    name_or_code
        ``"RU-KRS"``, ``"UA-59"``, ``"Kursk Oblast"``, ``"Kursk region"``, ``"Kurskaya
        oblast"``, ``"Sumy oblast"``, ``"Crimea"`` ... in any case. A bare city-region name
        (``"Kyiv"``) means the city; with a cue word (``"Kyiv oblast"``) the province.
    frame
        Regions to search, e.g. from :func:`load_regions_file`; the bundled ones when None.

    Returns
    -------
    geopandas.GeoDataFrame
        One row with the columns of :func:`regions`, in EPSG:4326.

    Raises
    ------
    NotFoundError
        If no region matches; the message suggests the closest names.
    """
    text = _check_text(name_or_code, what="region")
    table = _bundled_regions() if frame is None else frame
    index = _match_region(text, table)
    if index is None and frame is None:
        index = _gazetteer_match(text, table)
        if index is None and (outline := _settlement_region(text)) is not None:
            return outline
    if index is None:
        suggestions = _suggest(_normalize(text), table["name"])
        raise NotFoundError(f"unknown region {text!r}; did you mean {suggestions}?")
    return table.loc[[index]].reset_index(drop=True)


def load_regions_file(path: str | Path) -> gpd.GeoDataFrame:
    """Read real first-level boundaries a user brings and map them to the :func:`regions` columns.

    Understands Natural Earth admin-1 (``iso_3166_2``, ``name_en``/``name``, ``iso_a2``),
    geoBoundaries (``shapeISO``, ``shapeName``, ``shapeGroup``) and GADM level 1 (``ISO_1``
    or ``HASC_1`` or ``GID_1``, ``NAME_1``, ``GID_0``), as GeoJSON, GeoPackage, Shapefile or
    anything else GDAL reads.

    Parameters
    ----------
    path
        The boundary file (at most 500 MB).

    Returns
    -------
    geopandas.GeoDataFrame
        The columns of :func:`regions`, ``approximate`` False, ``source`` naming the file,
        geometries repaired with ``make_valid``, in EPSG:4326.

    Raises
    ------
    InputError
        If the file is missing, too large, unreadable, has no polygons or no name field.
    """
    return _regions_from_file(Path(path))


@lru_cache(maxsize=1)
def _bundled_countries() -> gpd.GeoDataFrame:
    frame = _read(data_path("boundaries", "countries.geojson"))
    for column in COUNTRY_COLUMNS[:-1]:
        frame[column] = frame[column].fillna("").astype(str)
    return frame[list(COUNTRY_COLUMNS)]


@lru_cache(maxsize=1)
def _bundled_land() -> gpd.GeoDataFrame:
    return _read(data_path("boundaries", "land.geojson"))


def _iso_a2(code_or_name: str) -> str:
    """Return the alpha-2 code of a country :func:`country` finds (names resolved once)."""
    if isinstance(code_or_name, str):
        return _cached_iso_a2(code_or_name)
    return str(country(code_or_name)["iso_a2"].iloc[0])  # raises the usual InputError


@lru_cache(maxsize=1024)
def _cached_iso_a2(code_or_name: str) -> str:
    return str(country(code_or_name)["iso_a2"].iloc[0])


@lru_cache(maxsize=32)
def _regions_of(wanted: frozenset[str]) -> gpd.GeoDataFrame:
    """Return the bundled regions of the countries ``wanted`` (alpha-2; shared: copy it)."""
    frame = _bundled_regions()
    return frame[frame["country_code"].isin(wanted)].reset_index(drop=True)


@lru_cache(maxsize=1)
def _bundled_regions() -> gpd.GeoDataFrame:
    frame = _read(data_path("boundaries", "regions.geojson"))
    frame["approximate"] = frame["approximate"].astype(bool)
    frame["aliases"] = frame["aliases"].fillna("").astype(str)
    return frame[[*REGION_COLUMNS[:-1], "aliases", "geometry"]]


def read_polygons(path: str | Path) -> gpd.GeoDataFrame:
    """Read a user's polygon file (GeoJSON, GeoPackage...) with size, content and CRS checks.

    Returns the file's rows in its own CRS (EPSG:4326 when it names none).

    Raises
    ------
    InputError
        If the file is missing, too large, unreadable, has no polygons or coordinates that
        are not lon/lat without a projected CRS.
    """
    return _read_user_file(Path(path))


def _read(path: Path) -> gpd.GeoDataFrame:
    if not path.is_file():
        raise NotFoundError(
            f"bundled data file {path} is missing; rebuild it with scripts/build_*.py"
        )
    frame = gpd.read_file(path, engine="pyogrio")
    if frame.crs is None:
        frame = frame.set_crs(4326)
    return frame.to_crs(4326)


def _match_region(text: str, table: gpd.GeoDataFrame) -> object | None:
    """Return the index label of the best region match, or None (codes, names, aliases)."""
    key = _normalize(text)
    if re.fullmatch(r"[a-z]{2}-[a-z0-9]{1,3}", key):
        hit = table.index[table["code"].str.upper() == key.upper()]
        return hit[0] if len(hit) else None
    stem, wants_city = _stem(key), not (set(key.split()) - {"city"}) & REGION_CUES
    for candidates in (list(table["name"].map(_normalize).items()), _alias_pairs(table)):
        exact = [label for label, name in candidates if name == key]
        if exact:
            return exact[0]
        found = _by_stem(stem, wants_city=wants_city, candidates=candidates) if stem else None
        if found is not None:
            return found
    return None


def _alias_pairs(table: gpd.GeoDataFrame) -> list[tuple[object, str]]:
    if "aliases" not in table:
        return []
    return [
        (label, _normalize(alias))
        for label, aliases in table["aliases"].fillna("").astype(str).items()
        for alias in aliases.split("|")
        if alias.strip()
    ]


def _by_stem(stem: str, *, wants_city: bool, candidates: list[tuple[object, str]]) -> object | None:
    """Pick among names with this stem: a city for a bare name, else a province."""
    hits = [(label, name) for label, name in candidates if _stem(name) == stem]
    cities = [label for label, name in hits if _is_city(name)]
    provinces = [label for label, name in hits if not _is_city(name)]
    preferred = (cities or provinces) if wants_city else (provinces or cities)
    return preferred[0] if preferred else None


def _is_city(name: str) -> bool:
    words = set(name.split())
    return "city" in words or not words & REGION_CUES


def _stem(key: str) -> str:
    return " ".join(w for w in key.split() if w not in REGION_CUES)


def _gazetteer_match(text: str, table: gpd.GeoDataFrame) -> object | None:
    """Ask the gazetteer (optional, imported lazily) for an ISO 3166-2 code."""
    try:
        from geo.places.gazetteer import region_code
    except ImportError:  # pragma: no cover - the gazetteer ships with rangemap
        return None
    try:
        code = region_code(text)
    except RangemapError:
        return None
    if not code:
        return None
    hit = table.index[table["code"] == code]
    return hit[0] if len(hit) else None


#: Settlements inside a region without a bundled outline are hulled and widened by this.
SETTLEMENT_MARGIN_KM = 15.0


def _settlement_region(text: str) -> gpd.GeoDataFrame | None:
    """Return an approximate outline of any first-level region from its settlements.

    For regions of countries without bundled outlines ("Fujian province", "IN-RJ"): the
    convex hull of the region's GeoNames settlements (population ≥ 1000), widened by
    :data:`SETTLEMENT_MARGIN_KM` and clipped to the country. Coarse where a region is
    concave, but it is where the region's towns are.
    """
    from geo.places.gazetteer import region_code

    code = (
        text.strip().upper()
        if re.fullmatch(r"[A-Za-z]{2}-[A-Za-z0-9]{1,3}", text.strip())
        else None
    )
    try:
        code = code or region_code(text)
    except RangemapError:
        return None
    if not code:
        return None
    geom = _settlement_outline(code)
    if geom is None:
        return None
    return gpd.GeoDataFrame(
        {
            "code": [code],
            "name": [code if code.casefold() == text.strip().casefold() else text.strip()],
            "country_code": [code[:2]],
            "approximate": [True],
            "source": ["convex hull of GeoNames settlements (CC BY 4.0)"],
            "aliases": [""],
        },
        geometry=[geom],
        crs="EPSG:4326",
    )


@lru_cache(maxsize=1)
def _towns() -> gpd.GeoDataFrame:
    from geo.places.gazetteer import cities

    return cities(min_population=1000)


@lru_cache(maxsize=64)
def _settlement_outline(code: str) -> shapely.Geometry | None:
    from pyproj import CRS

    from geo import geodesic

    towns = _towns()
    towns = towns[towns["admin1_code"] == code]
    if len(towns) < 3:
        return None
    try:
        outline = country(code[:2]).geometry.iloc[0]
    except NotFoundError:
        return None
    centre = towns.union_all().centroid
    local = CRS.from_proj4(f"+proj=aeqd +lat_0={centre.y} +lon_0={centre.x} +datum=WGS84")
    hull = towns.to_crs(local).union_all().convex_hull.buffer(SETTLEMENT_MARGIN_KM * 1000)
    hull = gpd.GeoSeries([hull], crs=local).to_crs(4326).iloc[0]
    near = shapely.clip_by_rect(outline, *hull.bounds)
    return geodesic.polygonal(shapely.intersection(hull, near))


_CODE_FIELDS = ("iso_3166_2", "shapeiso", "iso_1", "hasc_1", "gid_1", "code", "iso_code")
_NAME_FIELDS = ("name_en", "name", "name_1", "shapename", "region", "nom")
_COUNTRY_FIELDS = ("iso_a2", "adm0_a3", "shapegroup", "gid_0", "country_code", "iso_a3")


def _regions_from_file(path: Path) -> gpd.GeoDataFrame:
    raw = _read_user_file(path)
    names = _first_field(raw, _NAME_FIELDS)
    if names is None:
        raise InputError(
            f"{path.name}: no region name field; expected one of {', '.join(_NAME_FIELDS)}"
        )
    codes = _first_field(raw, _CODE_FIELDS)
    countries_raw = _first_field(raw, _COUNTRY_FIELDS)
    codes = names if codes is None else codes.where(codes != "", names)
    alpha2 = _alpha2_series(countries_raw, codes)
    geometry = shapely.make_valid(raw.geometry.values)
    frame = gpd.GeoDataFrame(
        {
            "code": codes.to_numpy(),
            "name": names.to_numpy(),
            "country_code": alpha2.to_numpy(),
            "approximate": False,
            "source": f"user file {path.name}",
            "aliases": "",
        },
        geometry=gpd.GeoSeries(geometry, crs=raw.crs).to_crs(4326).to_numpy(),
        crs=4326,
    )
    return frame[frame.geom_type.isin(["Polygon", "MultiPolygon", "GeometryCollection"])]


def _read_user_file(path: Path) -> gpd.GeoDataFrame:
    if not path.is_file():
        raise InputError(f"boundary file not found: {path}")
    size = path.stat().st_size
    if size > MAX_FILE_BYTES:
        raise InputError(
            f"{path.name} is {size / 1e6:.1f} MB, over the {MAX_FILE_BYTES / 1e6:.0f} MB limit"
        )
    try:
        raw = gpd.read_file(path, engine="pyogrio")
    except Exception as exc:  # GDAL raises many types for unreadable files
        raise InputError(f"cannot read {path.name} as a boundary file: {exc}") from exc
    if raw.empty or not raw.geom_type.isin(["Polygon", "MultiPolygon"]).any():
        raise InputError(f"{path.name} has no polygons")
    if raw.crs is None or raw.crs.is_geographic:
        minx, miny, maxx, maxy = raw.total_bounds
        if not (-180.5 <= minx <= maxx <= 180.5 and -90.5 <= miny <= maxy <= 90.5):
            raise InputError(
                f"{path.name}: coordinates are not lon/lat (bounds {minx:.0f}, {miny:.0f}, "
                f"{maxx:.0f}, {maxy:.0f}) and the file names no projected CRS"
            )
    return raw if raw.crs is not None else raw.set_crs(4326)


def _first_field(frame: pd.DataFrame, fields: Sequence[str]) -> pd.Series | None:
    """Return, per row, the first non-blank value among the fields present (case-insensitive)."""
    lower = {str(c).lower(): c for c in frame.columns if c != "geometry"}
    present = [lower[f] for f in fields if f in lower]
    if not present:
        return None
    out = pd.Series("", index=frame.index, dtype=object)
    for column in reversed(present):
        values = frame[column].astype(str).str.strip()
        good = frame[column].notna() & ~values.isin(["", "-99", "nan", "None", "-1"])
        out = out.where(~good, values)
    return out.astype(str)


def _alpha2_series(raw: pd.Series | None, codes: pd.Series) -> pd.Series:
    """Turn country fields (alpha-2, alpha-3, GADM GID_0) into alpha-2; else use code prefixes."""
    table = _bundled_countries()
    by_a3 = dict(zip(table["iso_a3"], table["iso_a2"], strict=True))
    known = set(table["iso_a2"])
    prefix = codes.str.extract(r"^([A-Za-z]{2})-", expand=False).fillna("").str.upper()
    if raw is None:
        return prefix
    upper = raw.str.upper().str.slice(0, 3)
    mapped = upper.map(lambda c: c if c in known else by_a3.get(c, ""))
    return mapped.where(mapped != "", prefix)


def _check_text(value: object, *, what: str) -> str:
    if not isinstance(value, str):
        raise InputError(f"{what} must be a string, got {type(value).__name__}")
    text = value.strip()
    if not text:
        raise InputError(f"{what} must not be empty")
    if len(text) > 200:
        raise InputError(f"{what} is too long ({len(text)} characters, at most 200)")
    return text


def _normalize(text: str) -> str:
    """Lower-case, strip accents and punctuation other than dots, collapse spaces."""
    decomposed = unicodedata.normalize("NFKD", text)
    plain = "".join(c for c in decomposed if not unicodedata.combining(c))
    plain = re.sub(r"['’`ʼ]", "", plain).lower()
    plain = re.sub(r"[^\w.-]+", " ", plain)
    return re.sub(r"\s+", " ", plain).strip()


def _suggest(key: str, choices: pd.Series, *, limit: int = 3) -> str:
    found = process.extract(key, list(dict.fromkeys(choices)), limit=limit)
    return " or ".join(repr(name) for name, _score, _idx in found) or "nothing close"


__all__ = [
    "COUNTRY_COLUMNS",
    "REGION_COLUMNS",
    "REGION_COUNTRIES",
    "countries",
    "country",
    "land",
    "load_regions_file",
    "region",
    "regions",
]
