"""Military sites as markers, split into two overlays: in range and out of range.

Input rows (Point geometry, any CRS): ``name``, ``type``, ``country_code``, ``source_title``,
``source_url``, plus ``in_range`` (bool) and ``distance_km`` (geodesic distance to the nearest
launch area) added by the range engine.
"""

from __future__ import annotations

import folium
import geopandas as gpd
import pandas as pd

from layers._display import column, drawable, geojson, leaflet_style, only_columns
from layers._html import as_number, escape, feature_group, format_latlon, popup_html
from layers.labels import SITE_RANK, Label, add_labels
from layers.style import style_for

#: Marker radius of a site in pixels.
SITE_RADIUS = 6.0

#: The columns :func:`sites_layers` reads, besides the geometry.
COLUMNS: tuple[str, ...] = (
    "name",
    "type",
    "country_code",
    "source_title",
    "source_url",
    "in_range",
    "distance_km",
)


def sites_layers(sites: gpd.GeoDataFrame) -> dict[str, folium.FeatureGroup]:
    """Return the ``sites_in_range`` and ``sites_out_of_range`` overlays (those with rows).

    Parameters
    ----------
    sites
        Point rows with the columns described in the module docstring; without an
        ``in_range`` column every site counts as out of range.

    Returns
    -------
    dict
        Style key → FeatureGroup named after the style.
    """
    frame = drawable(drawn_columns(sites))
    frame = frame.set_geometry(frame.to_crs(4326).geometry.representative_point())
    in_range = column(frame, "in_range", default=False).fillna(False).astype(bool)
    layers: dict[str, folium.FeatureGroup] = {}
    for key, rows in (
        ("sites_in_range", frame[in_range]),
        ("sites_out_of_range", frame[~in_range]),
    ):
        if len(rows):
            layers[key] = _layer(rows, key=key)
    return layers


def drawn_columns(sites: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    """Return ``sites`` with only the columns :func:`sites_layers` reads (and its geometry).

    :func:`sites_layers` draws this and nothing else, so its overlays can be kept by this
    frame's content (a range change adds nothing here).
    """
    return only_columns(sites, COLUMNS)


def site_popup(row: pd.Series) -> str:
    """Return the escaped popup HTML of one site: name, type, distance, range status, source."""
    point = row.geometry
    distance = as_number(row.get("distance_km"))
    in_range = bool(row.get("in_range", False))
    rows = [
        ("Type", row.get("type")),
        ("Country", row.get("country_code")),
        ("Coordinates", format_latlon(point.y, point.x)),
        ("Nearest launch area", f"{distance:,.0f} km" if distance is not None else None),
        ("In range", "yes" if in_range else "no"),
    ]
    link = (row.get("source_title") or "source", row.get("source_url"))
    return popup_html(row.get("name"), rows, link=link)


def _layer(rows: gpd.GeoDataFrame, *, key: str) -> folium.FeatureGroup:
    """Return one overlay of site markers."""
    style = style_for(key)
    group = feature_group(style.label, show=style.show)
    tips = [
        f"<b>{escape(name)}</b>" + (f" · {d:,.0f} km" if (d := as_number(dist)) is not None else "")
        for name, dist in zip(
            column(rows, "name"), column(rows, "distance_km", default=None), strict=True
        )
    ]
    popups = [site_popup(row) for _, row in rows.iterrows()]
    options = leaflet_style(style, radius=SITE_RADIUS)
    group.add_child(geojson(rows, style=options, tips=tips, popups=popups, radius=SITE_RADIUS))
    if key == "sites_in_range":
        labels = [
            Label(lat=p.y, lon=p.x, text=str(name), rank=SITE_RANK, color=style.color)
            for p, name in zip(rows.geometry, column(rows, "name"), strict=True)
            if str(name).strip()
        ]
        add_labels(group, labels)
    return group
