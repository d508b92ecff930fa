"""Scenario frames → the dashboard's tables, figures and URL state (pure; no ``st.*``).

``app.py`` only lays these out with Streamlit widgets, so the formatting is testable
without a Streamlit runtime.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass

import geopandas as gpd
import pandas as pd

from geo._errors import InputError

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


def sites_table(sites: gpd.GeoDataFrame) -> pd.DataFrame:
    """Return the sites in range as a plain table, nearest first."""
    in_range = sites[sites["in_range"].astype(bool)] if len(sites) else sites
    cols = [c for c in SITE_COLUMNS if c in in_range.columns]
    table = pd.DataFrame(in_range[cols]).sort_values("distance_km", kind="stable")
    return table.rename(columns=SITE_COLUMNS).reset_index(drop=True)


def places_table(places: gpd.GeoDataFrame, *, excluded: set[str]) -> pd.DataFrame:
    """Return the places as a table with an ``include`` column (False for ``excluded``)."""
    cols = [c for c in PLACE_COLUMNS if c in places.columns]
    table = pd.DataFrame(places[cols]).rename(columns=PLACE_COLUMNS).reset_index(drop=True)
    table.insert(0, "include", [str(n) not in excluded for n in places["name"]])
    return table


def excluded_places(edited: pd.DataFrame) -> set[str]:
    """Return the names of the places unticked in an edited :func:`places_table`."""
    if not len(edited):
        return set()
    return {str(n) for n, keep in zip(edited["Place"], edited["include"], strict=True) if not keep}


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
        If an item is not a positive number.
    """
    out: list[float] = []
    for item in value.split(","):
        try:
            km = float(item.strip())
        except ValueError:
            raise InputError(f"range in the URL must be numbers in km, got {value!r}") from None
        if not km > 0:
            raise InputError(f"range in the URL must be positive, got {item.strip()!r}")
        out.append(km)
    return tuple(out)


def format_ranges(ranges_km: tuple[float, ...]) -> str:
    """Return ranges as a URL list (``(165.0, 300.0)`` → ``"165,300"``)."""
    return ",".join(f"{r:g}" for r in ranges_km)
