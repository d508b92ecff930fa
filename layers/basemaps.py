"""Base layers: an offline basemap drawn from bundled land polygons, and online tiles.

Tiles need a network by nature, so the default base layer is offline: the map background
is sea-coloured (CSS) and the land is drawn as polygons. Online tiles come from
``xyzservices`` (with their attributions) as extra base layers the user can pick.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import folium
import geopandas as gpd
import shapely
import xyzservices
import xyzservices.providers as xyz

from layers._display import geojson, leaflet_style
from layers._html import feature_group, page_css
from layers.style import style_for

#: Simplification (degrees) of land outside the detailed window.
COARSE_TOLERANCE = 0.25
#: Islands smaller than this (square degrees) are left out outside the detailed window.
COARSE_MIN_AREA = 0.2

#: Online base layers: name in the LayerControl → tile provider (attribution included).
ONLINE_BASEMAPS: dict[str, xyzservices.TileProvider] = {
    "OpenStreetMap": xyz.OpenStreetMap.Mapnik,
    "CartoDB Positron": xyz.CartoDB.Positron,
    "CartoDB Dark Matter": xyz.CartoDB.DarkMatter,
    "Esri World Imagery": xyz.Esri.WorldImagery,
}


def add_offline_basemap(
    m: folium.Map,
    land: gpd.GeoDataFrame | None,
    *,
    tolerance: float = 0.0,
    window: Sequence[float] | None = None,
) -> folium.FeatureGroup:
    """Add the offline basemap to ``m`` as its default base layer and colour the sea.

    Parameters
    ----------
    m
        The map (created with ``tiles=None``).
    land
        Land or country polygons (any CRS); ``None`` draws only the sea colour.
    tolerance
        Display simplification in degrees inside ``window``.
    window
        ``(west, south, east, north)`` drawn in detail; the rest of the world is drawn
        coarsely (:data:`COARSE_TOLERANCE`, islands under :data:`COARSE_MIN_AREA` left out)
        so the page stays light. ``None`` draws everything at ``tolerance``.

    Returns
    -------
    folium.FeatureGroup
        The base layer, named after the ``land`` style, shown when the map opens.
    """
    style = style_for("land")
    sea = style_for("sea")
    page_css(m, "rangemap_sea", f"div.leaflet-container {{ background: {sea.fill_color}; }}")
    base = feature_group(style.label, overlay=False, control=True, show=True)
    if land is not None and len(land):
        options = leaflet_style(style, stroke=False)
        for part, tol, min_area in _land_parts(land, tolerance=tolerance, window=window):
            base.add_child(
                geojson(part, style=options, tolerance=tol, min_area=min_area, interactive=False)
            )
    base.add_to(m)
    return base


def add_online_basemaps(
    m: folium.Map, *, api_keys: Mapping[str, str] | None = None
) -> list[folium.TileLayer]:
    """Add the :data:`ONLINE_BASEMAPS` tile layers to ``m`` as base layers, not shown at first.

    Parameters
    ----------
    m
        The map.
    api_keys
        Base layer name → API key, for providers that need one (CartoDB since 2025);
        providers that need a key and have none are left out.

    Returns
    -------
    list of folium.TileLayer
        The tile layers added, in :data:`ONLINE_BASEMAPS` order.
    """
    layers = []
    for name, provider in ONLINE_BASEMAPS.items():
        if provider.requires_token():
            key = (api_keys or {}).get(name)
            if not key:
                continue
            provider = provider(apikey=key)
        layer = folium.TileLayer(tiles=provider, name=name, overlay=False, control=True, show=False)
        layer.add_to(m)
        layers.append(layer)
    return layers


def _land_parts(
    land: gpd.GeoDataFrame, *, tolerance: float, window: Sequence[float] | None
) -> list[tuple[gpd.GeoDataFrame, float, float]]:
    """Split land into (frame, tolerance, min_area): detailed inside the window, coarse outside."""
    land = land.to_crs(4326)
    if window is None:
        return [(land, tolerance, 0.0)]
    west, south, east, north = window
    box = shapely.box(west, south, east, north)
    inside = gpd.GeoDataFrame(geometry=shapely.clip_by_rect(land.geometry.array, *window), crs=4326)
    outside = gpd.GeoDataFrame(geometry=land.geometry.difference(box).array, crs=4326)
    fine_area = (3 * tolerance) ** 2
    coarse = max(COARSE_TOLERANCE, tolerance)
    return [(outside, coarse, COARSE_MIN_AREA), (inside, tolerance, fine_area)]
