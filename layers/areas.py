"""Areas as toggleable overlays: country borders, first-level regions and launch areas.

Inputs are GeoDataFrames in any CRS (converted to EPSG:4326 here):

- countries: ``iso_a2``, ``iso_a3``, ``name``, (Multi)Polygon geometry;
- regions: ``code``, ``name``, ``country_code``, ``approximate`` (bool), ``source``;
- launch areas: ``name``, ``description``, (Multi)Polygon geometry.
"""

from __future__ import annotations

from collections.abc import Sequence

import folium
import geopandas as gpd

from geo.coords import looks_like_coordinates
from layers._display import column, geojson, in_lonlat, leaflet_style
from layers._html import escape, feature_group
from layers.labels import LAUNCH_RANK, Label, add_labels
from layers.style import style_for

#: Radius in pixels of a launch area that is a point (a base or a place).
LAUNCH_POINT_RADIUS = 8.0


def borders_layer(
    countries: gpd.GeoDataFrame,
    *,
    tolerance: float = 0.0,
    window: Sequence[float] | None = None,
) -> folium.FeatureGroup:
    """Return the country borders as an overlay of lines (country name on hover).

    Parameters
    ----------
    countries
        Country polygons with a ``name`` column (``iso_a2`` shown beside it when present).
    tolerance
        Display simplification in degrees.
    window
        ``(west, south, east, north)``: only borders inside are drawn (lines are clipped, so
        no false edge appears at the window's edge).

    Returns
    -------
    folium.FeatureGroup
        Overlay named after the ``borders`` style.
    """
    style = style_for("borders")
    group = feature_group(style.label, show=style.show)
    if len(countries):
        lines = countries.set_geometry(countries.geometry.boundary)
        tips = [
            f"{escape(name)}{f' ({escape(code)})' if escape(code) else ''}"
            for name, code in zip(column(lines, "name"), column(lines, "iso_a2"), strict=True)
        ]
        group.add_child(
            geojson(lines, style=leaflet_style(style), tips=tips, tolerance=tolerance, clip=window)
        )
    return group


def regions_layer(
    regions: gpd.GeoDataFrame,
    *,
    tolerance: float = 0.0,
    window: Sequence[float] | None = None,
) -> folium.FeatureGroup:
    """Return first-level regions as an overlay; approximate outlines say so on hover.

    Parameters
    ----------
    regions
        Region polygons with ``name``, ``country_code``, ``approximate`` and ``source``.
    tolerance
        Display simplification in degrees.
    window
        ``(west, south, east, north)``: only what lies inside is drawn.

    Returns
    -------
    folium.FeatureGroup
        Overlay named after the ``regions`` style (hidden by default).
    """
    style = style_for("regions")
    group = feature_group(style.label, show=style.show)
    if len(regions):
        approximate = column(regions, "approximate", default=False).fillna(False).astype(bool)
        tips = [
            f"<b>{escape(name)}</b> {escape(country)}"
            + (" <i>(approximate outline)</i>" if approx else "")
            + (f"<br><small>{escape(source)}</small>" if escape(source) else "")
            for name, country, approx, source in zip(
                column(regions, "name"),
                column(regions, "country_code"),
                approximate,
                column(regions, "source"),
                strict=True,
            )
        ]
        options = leaflet_style(style, fill=True, fillOpacity=0.0)
        group.add_child(
            geojson(regions, style=options, tips=tips, tolerance=tolerance, clip=window)
        )
    return group


def launch_area_layer(areas: gpd.GeoDataFrame, *, tolerance: float = 0.0) -> folium.FeatureGroup:
    """Return the launch areas as an overlay, name on hover, description on click.

    Parameters
    ----------
    areas
        Polygons with ``name`` and ``description`` columns.
    tolerance
        Display simplification in degrees.

    Returns
    -------
    folium.FeatureGroup
        Overlay named after the ``launch_area`` style.
    """
    style = style_for("launch_area")
    group = feature_group(style.label, show=style.show)
    if len(areas):
        names = column(areas, "name")
        tips = [f"{escape(style.label)}: <b>{escape(name)}</b>" for name in names]
        popups = [
            f"<b>{escape(name)}</b><br>{escape(text)}"
            for name, text in zip(names, column(areas, "description"), strict=True)
        ]
        layer = geojson(
            areas,
            style=leaflet_style(style, radius=LAUNCH_POINT_RADIUS),
            tips=tips,
            popups=popups,
            tolerance=tolerance,
            radius=LAUNCH_POINT_RADIUS,  # a launch point (Sinpo) in its style, not a blue pin
        )
        group.add_child(layer)
        add_labels(group, _launch_point_labels(areas, color=style.color))
    return group


def _launch_point_labels(areas: gpd.GeoDataFrame, *, color: str) -> list[Label]:
    """Return a label naming each launch point (an area is told by its outline and legend).

    Ranked above every place (a country's label must not hide where the missiles start)
    and below the rings. A point named by its coordinates (placed by a click) is not
    labelled.
    """
    points = in_lonlat(areas[areas.geometry.geom_type == "Point"])
    return [
        Label(lat=p.y, lon=p.x, text=str(name), rank=LAUNCH_RANK, color=color)
        for name, p in zip(column(points, "name"), points.geometry, strict=True)
        if not looks_like_coordinates(str(name))  # a clicked point: its ring says whose it is
    ]
