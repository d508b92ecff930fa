"""Layers → one folium map: base layers, toggleable overlays, a legend and map tools.

:func:`build_map` is the single entry point of the dashboard and the CLI. Its input maps
layer keys to GeoDataFrames (any CRS; drawn in EPSG:4326):

===================  ====================================================================
key                  content
===================  ====================================================================
``land``             land polygons of the offline basemap (default: the ``borders`` ones)
``borders``          countries (``name``, ``iso_a2``)
``regions``          first-level regions (``name``, ``country_code``, ``approximate``...)
``frontline``        a snapshot, one row per ``class`` (each class its own overlay)
frontline classes    ``occupied_before_2022``, ``occupied_since_2022``, ... one class each
``launch_area``      launch areas (``name``, ``description``)
``ranges``           range rings (``weapon``, ``range_km``, ``min_km``, ``ring``, ``label``)
``places``           places from the article (split off: demonym-only mentions)
``sites``            military sites (split into in range / out of range)
===================  ====================================================================
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field

import folium
import geopandas as gpd
from folium import plugins

from geo._errors import InputError
from layers import (
    areas,
    assets,
    basemaps,
    frontline,
    labels,
    legend,
    map_state,
    places,
    ranges,
    sites,
)
from layers._display import built_once, focus_window, tolerance_for, total_bounds
from layers._html import page_css
from layers.legend import LegendEntry
from layers.style import style_for

#: Keys :func:`build_map` accepts, besides the frontline classes.
LAYER_KEYS: tuple[str, ...] = (
    "land",
    "borders",
    "regions",
    "frontline",
    *frontline.FRONTLINE_CLASSES,
    "launch_area",
    "ranges",
    "places",
    "sites",
)
#: Layers the map is fitted to, first present wins: the scenario, not the whole world.
FOCUS_ORDER: tuple[tuple[str, ...], ...] = (
    ("ranges",),
    ("frontline", *frontline.FRONTLINE_CLASSES, "launch_area"),
    ("places", "sites"),
    ("regions",),
)
#: Drawing order of range rings: above borders, below the frontline (see layers.style).
RANGE_ZORDER = 3
#: Zoom used when nothing says where to look.
DEFAULT_ZOOM = 5
#: The basemap is drawn coarser than the overlays (its tolerance is this many times theirs).
BASEMAP_COARSENESS = 2.0


#: Layers that do not change when a scenario's weapons, ranges, places or sites do: the
#: dashboard draws them once per frontline and view window (:func:`build_base_map`).
STATIC_KEYS: frozenset[str] = frozenset(
    {"land", "borders", "regions", "frontline", *frontline.FRONTLINE_CLASSES}
)
#: Grid (degrees) the base map's window is snapped to, so small edits keep the same base.
BASE_GRID_DEG = 10.0
#: folium's style of GeoJSON popups, which a base map without popups lacks (the overlays
#: added in the browser bring popups but not their page header).
_POPUP_CSS = (
    ".foliumpopup { margin: auto; } .foliumpopup table { margin: auto; } "
    ".foliumpopup tr { text-align: left; } .foliumpopup th { padding: 2px; padding-right: 8px; }"
)


@dataclass
class Overlays:
    """Overlays collected before they are added in drawing order.

    ``items``, ``entries`` and ``keys`` are aligned: one drawing order, legend entry and
    stable key (see ``layers.map_state``) per overlay.
    """

    items: list[tuple[int, folium.FeatureGroup]] = field(default_factory=list)
    entries: list[tuple[int, LegendEntry]] = field(default_factory=list)
    keys: list[tuple[folium.FeatureGroup, str]] = field(default_factory=list)

    def add(
        self,
        key: str,
        group: folium.FeatureGroup,
        entry: LegendEntry | None = None,
        *,
        stable: str | None = None,
    ) -> None:
        """Add one overlay drawn as style ``key`` (rings: :data:`RANGE_ZORDER`)."""
        zorder = style_for(key).zorder if key != "ranges" else RANGE_ZORDER
        self.items.append((zorder, group))
        self.entries.append((zorder, entry or legend.entry_for(key)))
        self.keys.append((group, stable or key))

    def keyed(self) -> list[tuple[folium.FeatureGroup, str, int]]:
        """Return ``(group, stable key, drawing order)`` of every overlay."""
        return [(g, k, z) for (g, k), (z, _) in zip(self.keys, self.items, strict=True)]


def build_map(
    layers: Mapping[str, gpd.GeoDataFrame | None],
    *,
    center: tuple[float, float] | None = None,
    zoom: int | None = None,
    offline: bool = True,
    online_basemaps: bool = True,
    height: str | int = "100%",
    api_keys: Mapping[str, str] | None = None,
) -> folium.Map:
    """Build the web map of a scenario.

    Parameters
    ----------
    layers
        Layer key → GeoDataFrame (see the module docstring); ``None`` or empty frames are
        skipped.
    center
        ``(lat, lon)`` to open at; by default the map is fitted to the ranges, else the
        frontline and launch areas, else the places and sites.
    zoom
        Zoom level to open at (with ``center``).
    offline
        Embed Leaflet and the plugins (``data:`` URIs) so the map needs no network.
    online_basemaps
        Add OpenStreetMap, CartoDB and Esri tiles as optional base layers.
    height
        CSS height of the map.
    api_keys
        Online base layer name → API key (CartoDB layers are only added with a key).

    Returns
    -------
    folium.Map
        The map: the offline basemap as default base layer, one toggleable overlay per
        layer in one LayerControl, a legend, a scale bar, measure, fullscreen and mouse
        position controls.

    Raises
    ------
    InputError
        If a key is unknown or a layer lacks a required column.
    """
    frames = _checked(layers)
    bounds = _focus_bounds(frames)
    tolerance = tolerance_for(bounds) if bounds else 0.05
    window = focus_window(bounds) if bounds else None
    m = folium.Map(
        location=list(center) if center else _middle(bounds),
        zoom_start=zoom or DEFAULT_ZOOM,
        tiles=None,
        control_scale=True,
        height=height,
    )
    _add_basemaps(
        m, frames, tolerance=tolerance, window=window, online=online_basemaps, keys=api_keys
    )
    overlays = _overlays(frames, tolerance=tolerance, window=window)
    _finish(m, overlays, fit=bounds if center is None else None, offline=offline)
    return m


def focus_bounds(layers: Mapping[str, gpd.GeoDataFrame | None]) -> tuple[float, ...] | None:
    """Return the ``(west, south, east, north)`` a map of ``layers`` is fitted to, or ``None``.

    The ranges if any, else the frontline and launch areas, else places and sites, else
    the regions (see :data:`FOCUS_ORDER`).
    """
    return _focus_bounds(_checked(layers))


def base_window(bounds: tuple[float, ...] | None) -> tuple[float, float, float, float] | None:
    """Return ``bounds`` snapped outward to the :data:`BASE_GRID_DEG` grid (``None`` stays).

    The dashboard's base map is drawn for this window: a range edit that keeps the
    scenario within the same grid cells keeps the same base map.
    """
    if bounds is None:
        return None
    west, south, east, north = bounds
    step = BASE_GRID_DEG
    return (
        max(math.floor(west / step) * step, -180.0),
        max(math.floor(south / step) * step, -90.0),
        min(math.ceil(east / step) * step, 180.0),
        min(math.ceil(north / step) * step, 90.0),
    )


def build_base_map(
    layers: Mapping[str, gpd.GeoDataFrame | None],
    *,
    window: tuple[float, float, float, float] | None,
    offline: bool = True,
    online_basemaps: bool = True,
    height: str | int = "100%",
) -> tuple[folium.Map, list[tuple[int, LegendEntry]]]:
    """Build the part of the dashboard's map that scenario edits do not change.

    Only the :data:`STATIC_KEYS` of ``layers`` are drawn (basemap, borders, regions,
    frontline), simplified for ``window`` (see :func:`base_window`) and fitted to it. The
    scenario's own overlays are added later in the browser (:func:`scenario_overlays`,
    ``layers.map_state.swap_script``).

    Returns
    -------
    tuple
        The map, and the ``(drawing order, legend entry)`` of its overlays.

    Raises
    ------
    InputError
        If a key is unknown or a layer lacks a required column.
    """
    frames = {k: v for k, v in _checked(layers).items() if k in STATIC_KEYS}
    tolerance = tolerance_for(window) if window else 0.05
    focus = focus_window(window) if window else None
    m = folium.Map(
        location=_middle(window),
        zoom_start=DEFAULT_ZOOM,
        tiles=None,
        control_scale=True,
        height=height,
    )
    _add_basemaps(m, frames, tolerance=tolerance, window=focus, online=online_basemaps, keys=None)
    page_css(m, "rangemap_popups", _POPUP_CSS)
    overlays = _overlays(frames, tolerance=tolerance, window=focus)
    _finish(m, overlays, fit=window, offline=offline, dynamic=True)
    return m, overlays.entries


def scenario_overlays(
    layers: Mapping[str, gpd.GeoDataFrame | None],
    *,
    window: tuple[float, float, float, float] | None,
) -> Overlays:
    """Return the overlays of ``layers`` that are not :data:`STATIC_KEYS` (rings, places...).

    Drawn with the tolerance of the base map's ``window`` (see :func:`build_base_map`).

    Raises
    ------
    InputError
        If a key is unknown or a layer lacks a required column.
    """
    frames = {k: v for k, v in _checked(layers).items() if k not in STATIC_KEYS}
    tolerance = tolerance_for(window) if window else 0.05
    return _overlays(frames, tolerance=tolerance, window=focus_window(window) if window else None)


def _add_basemaps(
    m: folium.Map,
    frames: Mapping[str, gpd.GeoDataFrame],
    *,
    tolerance: float,
    window: tuple[float, float, float, float] | None,
    online: bool,
    keys: Mapping[str, str] | None,
) -> None:
    land = frames.get("land", frames.get("borders"))
    basemaps.add_offline_basemap(m, land, tolerance=tolerance * BASEMAP_COARSENESS, window=window)
    if online:
        basemaps.add_online_basemaps(m, api_keys=keys)


def _finish(
    m: folium.Map,
    overlays: Overlays,
    *,
    fit: tuple[float, ...] | None,
    offline: bool,
    dynamic: bool = False,
) -> None:
    """Add the overlays in drawing order, the tools, control, legend and state script."""
    for _, group in sorted(overlays.items, key=lambda item: item[0]):
        group.add_to(m)
    _add_tools(m)
    labels.add_declutter(m)
    control = folium.LayerControl(collapsed=True, position="topright")
    control.add_to(m)
    legend.add_legend(m, [e for _, e in sorted(overlays.entries, key=lambda item: -item[0])])
    if fit:
        west, south, east, north = fit
        m.fit_bounds([[south, west], [north, east]])
    # after fit_bounds: a kept view wins
    map_state.add_map_state(m, control, overlays.keyed(), dynamic=dynamic)
    assets.drop_unused_assets(m)
    if offline:
        assets.make_offline(m)


def _overlays(
    frames: Mapping[str, gpd.GeoDataFrame],
    *,
    tolerance: float,
    window: tuple[float, float, float, float] | None,
) -> Overlays:
    """Build every overlay present in ``frames``."""
    found = Overlays()
    builders: dict[str, Callable[[gpd.GeoDataFrame], folium.FeatureGroup]] = {
        "borders": lambda f: areas.borders_layer(f, tolerance=tolerance, window=window),
        "regions": lambda f: areas.regions_layer(f, tolerance=tolerance, window=window),
        "launch_area": lambda f: built_once(
            "launch_area",
            f,
            lambda g: areas.launch_area_layer(g, tolerance=tolerance),
            options=(tolerance,),
        ),
    }
    for key, build in builders.items():
        if key in frames:
            found.add(key, build(frames[key]))
    for key, group in _frontline_groups(frames, tolerance=tolerance).items():
        found.add(key, group)
    if "ranges" in frames:
        for weapon, group, entry in ranges.weapon_layers(frames["ranges"], tolerance=tolerance):
            found.add("ranges", group, entry, stable=f"ranges:{weapon}")
    # Kept by content (a range change redraws only the rings): see layers._display.built_once.
    if "places" in frames:
        drawn = places.drawn_columns(frames["places"])
        for key, group in built_once("places", drawn, places.places_layers).items():
            found.add(key, group)
    if "sites" in frames:
        drawn = sites.drawn_columns(frames["sites"])
        for key, group in built_once("sites", drawn, sites.sites_layers).items():
            found.add(key, group)
    return found


def _frontline_groups(
    frames: Mapping[str, gpd.GeoDataFrame], *, tolerance: float
) -> dict[str, folium.FeatureGroup]:
    """Return the frontline overlays from a ``frontline`` snapshot and from per-class keys."""
    groups: dict[str, folium.FeatureGroup] = {}
    if "frontline" in frames:
        groups.update(frontline.frontline_layers(frames["frontline"], tolerance=tolerance))
    for key in frontline.FRONTLINE_CLASSES:
        if key in frames:
            groups[key] = frontline.class_layer(frames[key], key=key, tolerance=tolerance)
    return groups


def _add_tools(m: folium.Map) -> None:
    """Add the measure, fullscreen and mouse-position controls (the scale bar is built in)."""
    plugins.MeasureControl(
        position="topleft",
        primary_length_unit="kilometers",
        secondary_length_unit="miles",
        primary_area_unit="sqkilometers",
        secondary_area_unit=None,
    ).add_to(m)
    plugins.Fullscreen(position="topleft").add_to(m)
    plugins.MousePosition(
        position="bottomright", separator=" | ", num_digits=4, prefix="lat | lon:", empty_string=""
    ).add_to(m)


def _checked(layers: Mapping[str, gpd.GeoDataFrame | None]) -> dict[str, gpd.GeoDataFrame]:
    """Return the non-empty layers, after checking their keys and CRS."""
    unknown = sorted(set(layers) - set(LAYER_KEYS))
    if unknown:
        raise InputError(f"unknown map layer {unknown[0]!r}; known: {', '.join(LAYER_KEYS)}")
    frames = {}
    for key, frame in layers.items():
        if frame is None or len(frame) == 0:
            continue
        if not isinstance(frame, gpd.GeoDataFrame) or frame.crs is None:
            raise InputError(f"map layer {key!r} must be a GeoDataFrame with a CRS")
        frames[key] = frame
    return frames


def _focus_bounds(frames: Mapping[str, gpd.GeoDataFrame]) -> tuple[float, ...] | None:
    """Return the bounds of the first group of :data:`FOCUS_ORDER` that has data."""
    for keys in FOCUS_ORDER:
        bounds = total_bounds(frames[k] for k in keys if k in frames)
        if bounds is not None:
            return bounds
    return None


def _middle(bounds: tuple[float, ...] | None) -> list[float]:
    """Return ``[lat, lon]`` of the middle of ``bounds`` (or of Europe)."""
    if bounds is None:
        return [50.0, 30.0]
    west, south, east, north = bounds
    return [(south + north) / 2, (west + east) / 2]
