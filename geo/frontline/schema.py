"""The classified frontline GeoDataFrame every snapshot and loader returns (a contract).

One row per class, EPSG:4326, columns ``class``, ``date`` (ISO ``YYYY-MM-DD`` or ``""``
when unknown), ``source``, ``area_km2`` (geodesic on WGS84; 0 for lines), ``length_km``
(geodesic; 0 for polygons) and ``geometry``.
"""

from __future__ import annotations

from collections.abc import Mapping

import geopandas as gpd
import shapely
from pyproj import Geod
from shapely.geometry.base import BaseGeometry

from geo.geodesic import area_km2

__all__ = [
    "AREA_CLASSES",
    "CLASSES",
    "COLUMNS",
    "LINE_CLASSES",
    "OCCUPIED_CLASSES",
    "length_km",
    "make_frame",
    "occupied_km2",
]

#: The fixed vocabulary, in drawing order; loaders may add ``liberated_2022`` and
#: ``unclassified``.
CLASSES: tuple[str, ...] = (
    "occupied_before_2022",
    "occupied_since_2022",
    "ukrainian_held_in_russia",
    "grey_zone",
    "liberated_2022",
    "unclassified",
    "line_of_contact",
)
#: Classes that are Russian-held territory of Ukraine.
OCCUPIED_CLASSES: tuple[str, ...] = ("occupied_before_2022", "occupied_since_2022")
#: Classes drawn as lines.
LINE_CLASSES: tuple[str, ...] = ("line_of_contact",)
#: Classes drawn as areas.
AREA_CLASSES: tuple[str, ...] = tuple(c for c in CLASSES if c not in LINE_CLASSES)
#: Columns of the classified frame, in order.
COLUMNS: tuple[str, ...] = ("class", "date", "source", "area_km2", "length_km", "geometry")

_GEOD = Geod(ellps="WGS84")


def make_frame(parts: Mapping[str, BaseGeometry], *, date: str, source: str) -> gpd.GeoDataFrame:
    """Return the classified frame for geometries keyed by class, in vocabulary order.

    Parameters
    ----------
    parts
        Geometry (EPSG:4326) per class; empty geometries are left out.
    date
        ISO date of the snapshot, or ``""`` when the file does not say.
    source
        Where the geometries come from, with attribution.

    Returns
    -------
    geopandas.GeoDataFrame
        One row per class, EPSG:4326.
    """
    order = {c: i for i, c in enumerate(CLASSES)}
    rows = []
    for cls in sorted(parts, key=lambda c: (order.get(c, len(order)), c)):
        geom = parts[cls]
        if geom is None or geom.is_empty:
            continue
        rows.append(
            {
                "class": cls,
                "date": date,
                "source": source,
                "area_km2": round(area_km2(geom), 1),
                "length_km": round(length_km(geom), 1),
                "geometry": geom,
            }
        )
    return gpd.GeoDataFrame(rows, columns=list(COLUMNS), geometry="geometry", crs="EPSG:4326")


def length_km(geometry: BaseGeometry) -> float:
    """Return the geodesic length in km of the lines in an EPSG:4326 geometry (0 otherwise)."""
    lines = [
        g
        for g in shapely.get_parts(geometry)
        if g.geom_type in ("LineString", "LinearRing", "MultiLineString")
    ]
    return float(sum(_GEOD.geometry_length(g) for g in lines)) / 1000.0


def occupied_km2(gdf: gpd.GeoDataFrame) -> float:
    """Return the geodesic area of the union of the occupied classes of a classified frame."""
    rows = gdf[gdf["class"].isin(OCCUPIED_CLASSES)]
    return area_km2(shapely.union_all(rows.geometry.to_numpy())) if len(rows) else 0.0
