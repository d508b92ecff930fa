"""Range rings as overlays: one toggleable overlay per weapon system, each in its own colour.

Input rows (any CRS; geodesic geometry made by ``geo``): ``weapon``, ``range_km``,
``min_km`` (nullable), ``ring`` (``"max"``: everything within the maximum range; ``"min"``:
the area inside the minimum range, drawn as a dashed outline; ``"annulus"``: between the
two), ``label`` and optionally ``color_index``. Without ``color_index``, weapons take the
palette colours in order of first appearance.
"""

from __future__ import annotations

from collections.abc import Sequence

import folium
import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from geo._errors import InputError
from layers._display import built_once, column, drawable, geojson, in_lonlat
from layers._html import as_number, escape, feature_group
from layers.labels import RING_RANK, Label, add_labels
from layers.legend import LegendEntry
from layers.style import MIN_RANGE_DASH, RANGE_FILL_OPACITY, RANGE_WEIGHT, range_color

RING_KINDS = ("max", "annulus", "min")


def range_layers(
    rings: gpd.GeoDataFrame, *, tolerance: float = 0.0
) -> list[tuple[folium.FeatureGroup, LegendEntry]]:
    """Return one overlay per weapon, with its legend entry, in colour order.

    Parameters
    ----------
    rings
        Range geometries with ``weapon``, ``range_km``, ``min_km``, ``ring``, ``label`` and
        optional ``color_index`` columns.
    tolerance
        Display simplification in degrees.

    Returns
    -------
    list of (folium.FeatureGroup, LegendEntry)
        Overlays named by the weapon's label, e.g. "ATACMS (300 km)".

    Raises
    ------
    InputError
        If ``weapon`` or ``ring`` is missing, or a ring kind is unknown.
    """
    return [(group, entry) for _, group, entry in weapon_layers(rings, tolerance=tolerance)]


def weapon_layers(
    rings: gpd.GeoDataFrame, *, tolerance: float = 0.0
) -> list[tuple[str, folium.FeatureGroup, LegendEntry]]:
    """Return :func:`range_layers` with the weapon of each overlay: ``(weapon, group, entry)``."""
    frame = _checked(rings)
    layers = []
    for weapon, rows in frame.groupby("_weapon", sort=False):
        # Kept by content: a range change redraws only the weapon whose rings changed.
        group, entry = built_once(
            "ranges", rows, lambda r: _weapon_layer(r, tolerance=tolerance), options=(tolerance,)
        )
        layers.append((str(weapon), group, entry))
    return layers


def _weapon_layer(
    rows: gpd.GeoDataFrame, *, tolerance: float
) -> tuple[folium.FeatureGroup, LegendEntry]:
    """Return the overlay and legend entry of one weapon's rows (of :func:`_checked`)."""
    weapon = str(rows["_weapon"].iloc[0])
    color = range_color(int(rows["_color"].iloc[0]))
    label = _weapon_label(weapon, rows)
    group = feature_group(label, show=True)
    kinds = rows["_ring"].to_numpy()
    for kind in RING_KINDS:
        if (kinds == kind).any():
            part = rows[kinds == kind]
            group.add_child(_ring_geojson(part, kind=kind, color=color, tolerance=tolerance))
    add_labels(group, ring_labels(rows, color=color))
    entry = LegendEntry(label=_legend_label(label, rows), color=color, symbol="line")
    return group, entry


def ring_labels(rows: gpd.GeoDataFrame, *, color: str) -> list[Label]:
    """Return one label per ring, written on the ring at its northernmost point.

    Maximum rings read "ATACMS 300 km"; minimum rings "ATACMS min 70 km".
    """
    labels = []
    shown = in_lonlat(rows)
    for geom, weapon, kind, rng, low in zip(
        shown.geometry,
        shown["_weapon"],
        shown["_ring"],
        column(shown, "range_km", default=None),
        column(shown, "min_km", default=None),
        strict=True,
    ):
        km = _km(low) if kind == "min" else _km(rng)
        if geom is None or geom.is_empty or not km:
            continue
        coords = shapely.get_coordinates(geom)
        lon, lat = coords[int(np.argmax(coords[:, 1]))]
        text = f"{weapon} min {km} km" if kind == "min" else f"{weapon} {km} km"
        rank = RING_RANK - (10 if kind == "min" else 0)
        labels.append(Label(lat, lon, text, rank, color=color, direction="center"))
    return labels


def _legend_label(label: str, rows: pd.DataFrame) -> str:
    """Return the legend text of a weapon: its rings, and the dashed minimum range if any."""
    if "min_km" not in rows.columns:
        return label
    mins = rows["min_km"].to_numpy()[rows["_ring"].to_numpy() == "min"]
    lows = sorted({_km(v) for v in mins} - {""})
    return f"{label}; dashed: minimum {', '.join(lows)} km" if lows else label


def weapon_colors(weapons: Sequence[str]) -> dict[str, str]:
    """Return weapon → ring colour, assigned in order of first appearance."""
    order = list(dict.fromkeys(weapons))
    return {weapon: range_color(i) for i, weapon in enumerate(order)}


def _checked(rings: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    """Validate the columns and add ``_weapon``, ``_ring`` and ``_color``."""
    for name in ("weapon", "ring"):
        if name not in rings.columns:
            raise InputError(f"range rings have no {name!r} column")
    frame = drawable(rings).copy()
    frame["_weapon"] = frame["weapon"].astype(str)
    frame["_ring"] = frame["ring"].astype(str).str.lower()
    unknown = sorted(set(frame["_ring"]) - set(RING_KINDS))
    if unknown:
        raise InputError(f"unknown ring kind {unknown[0]!r}; expected one of {RING_KINDS}")
    if "color_index" in frame.columns and frame["color_index"].notna().all():
        frame["_color"] = frame["color_index"].astype(int)
    else:
        order = {w: i for i, w in enumerate(dict.fromkeys(frame["_weapon"]))}
        frame["_color"] = frame["_weapon"].map(order)
    return frame.sort_values("_color", kind="stable")


def _weapon_label(weapon: str, rows: pd.DataFrame) -> str:
    """Return the overlay name of a weapon: its label, else "weapon (range km)"."""
    labels = [str(v) for v in column(rows, "label") if isinstance(v, str) and v.strip()]
    if len(set(labels)) == 1:
        return labels[0]
    ranges = sorted({_km(v) for v in column(rows, "range_km", default=None)} - {""})
    return f"{weapon} ({', '.join(ranges)} km)" if ranges else weapon


def _ring_geojson(
    part: gpd.GeoDataFrame, *, kind: str, color: str, tolerance: float
) -> folium.GeoJson:
    """Return the GeoJson of one kind of ring: filled solid, or dashed for a minimum range."""
    if kind == "min":
        style = {"color": color, "weight": RANGE_WEIGHT, "dashArray": MIN_RANGE_DASH}
        style |= {"fill": False, "fillOpacity": 0.0, "opacity": 1.0}
    else:  # an outline with a faint fill: stacked rings stay readable
        style = {"color": color, "weight": RANGE_WEIGHT, "opacity": 0.95, "fill": True}
        style |= {"fillColor": color, "fillOpacity": RANGE_FILL_OPACITY}
    tips = [
        _tip(weapon, kind=kind, range_km=rng, min_km=low, label=label)
        for weapon, rng, low, label in zip(
            part["_weapon"],
            column(part, "range_km", default=None),
            column(part, "min_km", default=None),
            column(part, "label"),
            strict=True,
        )
    ]
    return geojson(part, style=style, tips=tips, tolerance=tolerance)


def _tip(weapon: str, *, kind: str, range_km: object, min_km: object, label: object) -> str:
    """Return the escaped hover text of one ring."""
    title = escape(label) or escape(weapon)
    if kind == "min":
        return f"<b>{title}</b><br>inside the minimum range of {_km(min_km)} km"
    reach = f"within {_km(range_km)} km"
    if _km(min_km):
        reach = f"between {_km(min_km)} and {_km(range_km)} km"
    return f"<b>{title}</b><br>{reach}"


def _km(value: object) -> str:
    """Return a distance in km as text ("300", "12.5"), or "" when missing."""
    number = as_number(value)
    if number is None:
        return ""
    return f"{number:,.0f}" if number.is_integer() else f"{number:,.1f}"
