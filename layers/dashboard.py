"""Scenario frames → the dashboard's tables, figures and URL state (pure; no ``st.*``).

``app.py`` only lays these out with Streamlit widgets, so the formatting is testable
without a Streamlit runtime.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass

import geopandas as gpd
import pandas as pd

from geo._errors import InputError
from geo.geodesic import EARTH_HALF_CIRCUMFERENCE_KM, check_range_km
from geo.scenario import ScenarioSpec

#: Smallest and largest range the dashboard draws, in km (100 m; half the Earth's circumference).
RANGE_MIN_KM = 0.1
RANGE_MAX_KM = float(int(EARTH_HALF_CIRCUMFERENCE_KM))
#: Most ranges drawn for one weapon.
MAX_RANGES_PER_WEAPON = 10
#: Longest value of one URL parameter the dashboard reads.
MAX_URL_VALUE_CHARS = 200
#: Columns of the in-range sites table, in order, with their headers.
SITE_COLUMNS: dict[str, str] = {
    "name": "Site",
    "type": "Type",
    "country_code": "Country",
    "distance_km": "Distance from launch area (km)",
    "in_range_of": "In range of",
}
#: Columns of the editable places table, in order, with their headers.
PLACE_COLUMNS: dict[str, str] = {
    "name": "Place",
    "kind": "Kind",
    "country_code": "Country",
    "distance_km": "Distance (km)",
    "in_range_of": "In range of",
}


@dataclass(frozen=True)
class Figure:
    """One summary figure of one range: what :func:`summary_figures` returns."""

    label: str
    area_km2: str
    sites: str
    population: str


def summary_figures(summary: pd.DataFrame) -> list[Figure]:
    """Return the formatted figures (area, sites, population in range) of each range."""
    return [
        Figure(
            label=str(row["label"]),
            area_km2=f"{float(row['area_km2']):,.0f} km²",
            sites=f"{int(row['sites_in_range'])}",
            population=f"{int(row['population_in_range']):,}",
        )
        for _, row in summary.iterrows()
    ]


def sites_in_range(sites: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    """Return the sites marked in range (``in_range``)."""
    return sites[sites["in_range"].astype(bool)] if len(sites) else sites


def sites_table(sites: gpd.GeoDataFrame) -> pd.DataFrame:
    """Return the sites in range as a plain table, nearest first."""
    in_range = sites_in_range(sites)
    cols = [c for c in SITE_COLUMNS if c in in_range.columns]
    table = pd.DataFrame(in_range[cols]).sort_values("distance_km", kind="stable")
    return table.rename(columns=SITE_COLUMNS).reset_index(drop=True)


def places_table(places: gpd.GeoDataFrame, *, excluded: set[str]) -> pd.DataFrame:
    """Return the places as a table with an ``include`` column (False for ``excluded``)."""
    cols = [c for c in PLACE_COLUMNS if c in places.columns]
    table = pd.DataFrame(places[cols]).rename(columns=PLACE_COLUMNS).reset_index(drop=True)
    table.insert(0, "include", [str(n) not in excluded for n in places["name"]])
    return table


def without_places(
    layers: Mapping[str, gpd.GeoDataFrame], excluded: set[str]
) -> dict[str, gpd.GeoDataFrame]:
    """Return the layers with the ``excluded`` places dropped (EPSG:4326 as given)."""
    out = dict(layers)
    places = out.get("places")
    if places is not None and excluded and len(places):
        out["places"] = places[~places["name"].astype(str).isin(excluded)]
    return out


def weapon_param(name: str) -> str:
    """Return the URL parameter naming a weapon's ranges (``"Storm Shadow"`` → ``storm-shadow``)."""
    return re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-") or "weapon"


def parse_ranges(value: str) -> tuple[float, ...]:
    """Parse a URL range list such as ``"165,300"`` into kilometres.

    Raises
    ------
    InputError
        If the list is too long, or an item is not a number between :data:`RANGE_MIN_KM`
        and :data:`RANGE_MAX_KM` (``inf``, ``nan``, ``1e9`` and ``1e-7`` are refused).
    """
    if len(value) > MAX_URL_VALUE_CHARS:
        raise InputError(f"a range list in the URL must be under {MAX_URL_VALUE_CHARS} characters")
    items = value.split(",")
    if len(items) > MAX_RANGES_PER_WEAPON:
        raise InputError(f"at most {MAX_RANGES_PER_WEAPON} ranges per weapon, got {len(items)}")
    return tuple(check_range(item.strip()) for item in items)


def check_range(value: object) -> float:
    """Return ``value`` in km if it is a range the dashboard draws, else raise.

    Raises
    ------
    InputError
        "range must be between 0.1 and 20,003 km, got ..." for anything else.
    """
    bounds = f"between {RANGE_MIN_KM:g} and {RANGE_MAX_KM:,.0f} km"
    text = str(value)[:40]
    try:
        km = float(text)
    except ValueError:
        raise InputError(f"range must be a number of km {bounds}, got {text!r}") from None
    try:
        km = check_range_km(km, name="range")
    except InputError:
        raise InputError(f"range must be {bounds}, got {text!r}") from None
    if not RANGE_MIN_KM <= km <= RANGE_MAX_KM:
        raise InputError(f"range must be {bounds}, got {text!r}")
    return km


def format_ranges(ranges_km: tuple[float, ...]) -> str:
    """Return ranges as a URL list (``(165.0, 300.0)`` → ``"165,300"``)."""
    return ",".join(f"{r:g}" for r in ranges_km)


@dataclass(frozen=True)
class View:
    """The map's view: centre ``(lat, lon)`` and zoom level."""

    lat: float
    lon: float
    zoom: int

    def to_param(self) -> str:
        """Return the view as a URL value, ``"50.1234,36.5678,7"``."""
        return f"{self.lat:.4f},{self.lon:.4f},{self.zoom}"


def parse_view(value: str) -> View:
    """Parse ``"lat,lon,zoom"`` from a URL.

    Raises
    ------
    InputError
        If it is not three numbers with a latitude in [-90, 90], a longitude in
        [-180, 180] and a zoom level in [1, 18].
    """
    parts = value[:MAX_URL_VALUE_CHARS].split(",")
    try:
        lat, lon, zoom = (float(p) for p in parts)
    except ValueError:
        raise InputError(f"view must be 'lat,lon,zoom', got {value[:40]!r}") from None
    if not (-90 <= lat <= 90 and -180 <= lon <= 180 and 1 <= zoom <= 18):
        raise InputError(f"view must be latitude, longitude, zoom 1-18, got {value[:40]!r}")
    return View(lat=lat, lon=lon, zoom=int(zoom))


def view_from_value(value: Mapping[str, object] | None) -> View | None:
    """Return the view st_folium reported (``None`` before the map has reported one)."""
    center = (value or {}).get("center")
    zoom = (value or {}).get("zoom")
    if not isinstance(center, Mapping) or not isinstance(zoom, int | float):
        return None
    try:
        lat, lon = float(center["lat"]), float(center["lng"])
    except (KeyError, TypeError, ValueError):
        return None
    lon = (lon + 180.0) % 360.0 - 180.0
    if not (-90 <= lat <= 90 and 1 <= zoom <= 18):
        return None
    return View(lat=lat, lon=lon, zoom=int(zoom))


#: Separates the places left out in a share link (``omit=Kyiv;Washington, D.C.``).
OMIT_SEP = ";"


def parse_list(
    value: str, *, max_items: int = 20, max_chars: int = 120, sep: str = ","
) -> list[str]:
    """Parse a ``sep``-separated URL list (``"ukraine-held,Sumy"``), bounded in size."""
    items = [v.strip() for v in value[: max_items * (max_chars + 1)].split(sep)]
    return [v for v in items if v and len(v) <= max_chars][:max_items]


def article_token(text: str, name: str) -> str:
    """Return a short, stable token naming an article in a share link (name and hash)."""
    digest = hashlib.sha256(text.encode("utf-8")).hexdigest()[:12]
    stem = re.sub(r"[^A-Za-z0-9._-]+", "-", name)[:40].strip("-") or "article"
    return f"{stem}-{digest}"


def share_params(
    spec: ScenarioSpec,
    *,
    default_launch: tuple[str, ...],
    shown: Sequence[str],
    all_layers: Sequence[str],
    hidden: Collection[str],
    view: View | None,
    omitted: Collection[str] = (),
) -> dict[str, str]:
    """Return the URL parameters of a share link: everything the reader set, nothing stale.

    Parameters
    ----------
    spec
        The scenario shown.
    default_launch
        Launch areas of the default scenario (left out of the link when unchanged).
    shown, all_layers
        Layer families shown in the sidebar, and all of them (``layers`` only if fewer).
    hidden
        Stable keys of the overlays switched off in the map.
    view
        The map's view, or ``None`` before the reader moved it.
    omitted
        Places the reader left out of the map (``omit``, separated by ``;``: a place's
        name may hold a comma).

    Returns
    -------
    dict
        ``date`` and one entry per weapon (``atacms=165,300``) always; ``from``, ``compare``,
        ``standoff``, ``article``, ``layers``, ``hide``, ``view`` and ``omit`` when set.
    """
    wanted = {"date": spec.date}
    for weapon in spec.weapons:
        wanted[weapon_param(weapon.name)] = format_ranges(weapon.ranges_km)
    launch = [a for a in spec.launch_areas if not a.startswith("file:")]
    optional = {
        "from": ",".join(launch) if tuple(spec.launch_areas) != tuple(default_launch) else "",
        "compare": spec.compare_date or "",
        "standoff": f"{spec.standoff_km:g}" if spec.standoff_km else "",
        "article": article_token(spec.article_text, spec.article_name or "")
        if spec.article_text
        else "",
        "layers": ",".join(shown) if set(all_layers) - set(shown) else "",
        "hide": ",".join(sorted(hidden)),
        "view": view.to_param() if view is not None else "",
        "omit": OMIT_SEP.join(sorted(omitted)),
    }
    wanted.update({k: v for k, v in optional.items() if v})
    return wanted
