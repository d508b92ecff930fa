"""A frontline snapshot as overlays: one toggleable overlay per class of territory.

The snapshot has one row per class (``class`` is a style key: ``occupied_before_2022``,
``occupied_since_2022``, ``ukrainian_held_in_russia``, ``grey_zone``, ``line_of_contact``,
``frontline_gained``, ``frontline_lost``) with ``date``, ``source`` and ``area_km2``.
"""

from __future__ import annotations

import folium
import geopandas as gpd

from geo._errors import InputError
from layers._display import column, drawable, geojson, leaflet_style
from layers._html import as_number, escape, feature_group, format_date
from layers.style import style_for

#: Frontline classes in drawing order (bottom first), as in the style table.
FRONTLINE_CLASSES: tuple[str, ...] = (
    "occupied_before_2022",
    "occupied_since_2022",
    "ukrainian_held_in_russia",
    "grey_zone",
    "frontline_gained",
    "frontline_lost",
    "line_of_contact",
)


def frontline_layers(
    snapshot: gpd.GeoDataFrame, *, tolerance: float = 0.0
) -> dict[str, folium.FeatureGroup]:
    """Return one overlay per class present in ``snapshot``, keyed by class.

    Parameters
    ----------
    snapshot
        Rows with ``class``, ``date``, ``source``, ``area_km2`` and a geometry, any CRS.
    tolerance
        Display simplification in degrees.

    Returns
    -------
    dict
        Class → FeatureGroup named after the class's style, in :data:`FRONTLINE_CLASSES`
        order; classes without a non-empty geometry are left out.

    Raises
    ------
    InputError
        If the ``class`` column is missing or names a class without a style.
    """
    if "class" not in snapshot.columns:
        raise InputError("frontline snapshot has no 'class' column")
    unknown = sorted(set(snapshot["class"].astype(str)) - set(FRONTLINE_CLASSES))
    if unknown:
        raise InputError(
            f"unknown frontline class {unknown[0]!r}; known: {', '.join(FRONTLINE_CLASSES)}"
        )
    layers: dict[str, folium.FeatureGroup] = {}
    for key in FRONTLINE_CLASSES:
        rows = snapshot[snapshot["class"].astype(str) == key]
        rows = drawable(rows)
        if len(rows):
            layers[key] = class_layer(rows, key=key, tolerance=tolerance)
    return layers


def class_layer(rows: gpd.GeoDataFrame, *, key: str, tolerance: float = 0.0) -> folium.FeatureGroup:
    """Return the overlay of one frontline class (or any area drawn with style ``key``).

    Parameters
    ----------
    rows
        Features of the class, with optional ``date``, ``source`` and ``area_km2``.
    key
        Style key of the class.
    tolerance
        Display simplification in degrees.

    Returns
    -------
    folium.FeatureGroup
        Overlay named after the style; the class, date, area and source show on hover.
    """
    style = style_for(key)
    group = feature_group(style.label, show=style.show)
    tips = [
        _tip(style.label, date=date, area=area, source=source)
        for date, area, source in zip(
            column(rows, "date"), column(rows, "area_km2"), column(rows, "source"), strict=True
        )
    ]
    group.add_child(geojson(rows, style=leaflet_style(style), tips=tips, tolerance=tolerance))
    return group


def _tip(label: str, *, date: object, area: object, source: object) -> str:
    """Return the escaped hover text of a frontline feature."""
    parts = [f"<b>{escape(label)}</b>"]
    if format_date(date):
        parts.append(f"as of {format_date(date)}")
    km2 = as_number(area)
    if km2 is not None and km2 > 0:
        parts.append(f"{km2:,.0f} km²")
    if escape(source):
        parts.append(f"<small>source: {escape(source)}</small>")
    return "<br>".join(parts)
