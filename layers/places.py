"""Places named in an article as markers: size by kind, popup with the sentence that names them.

Input rows (Point geometry, any CRS): ``name``, ``kind`` (country, region, city, continent,
union, poi, water), ``country_code``, ``population``, ``surfaces`` (the spellings found),
``confidence``, ``sentence`` and ``demonym_only`` (places only named through an adjective
such as "Russian", shown in a separate overlay hidden by default).
"""

from __future__ import annotations

from collections.abc import Iterable

import folium
import geopandas as gpd
import pandas as pd

from layers._display import column, drawable, geojson, leaflet_style, only_columns
from layers._html import as_number, escape, feature_group, format_latlon, popup_html
from layers.labels import Label, add_labels, place_rank
from layers.style import style_for

#: Marker radius in pixels by kind of place: wide areas get big circles, cities small ones.
KIND_RADIUS: dict[str, float] = {
    "continent": 11.0,
    "union": 11.0,
    "country": 9.0,
    "water": 8.0,
    "region": 7.0,
    "city": 5.0,
    "poi": 4.0,
}
#: Radius of a kind missing from :data:`KIND_RADIUS`.
DEFAULT_RADIUS = 5.0

#: The columns :func:`places_layers` reads, besides the geometry.
COLUMNS: tuple[str, ...] = (
    "name",
    "kind",
    "country_code",
    "population",
    "surfaces",
    "confidence",
    "sentence",
    "demonym_only",
)


def places_layers(places: gpd.GeoDataFrame) -> dict[str, folium.FeatureGroup]:
    """Return the ``places`` overlay and, if any, the ``places_demonym`` overlay.

    Parameters
    ----------
    places
        Point rows with the columns described in the module docstring (missing optional
        columns are tolerated; non-point geometries are drawn at their representative point).

    Returns
    -------
    dict
        Style key → FeatureGroup named after the style; keys with no rows are left out.
    """
    frame = drawable(drawn_columns(places))
    frame = frame.set_geometry(frame.to_crs(4326).geometry.representative_point())
    demonym = column(frame, "demonym_only", default=False).fillna(False).astype(bool)
    layers: dict[str, folium.FeatureGroup] = {}
    for key, rows in (("places", frame[~demonym]), ("places_demonym", frame[demonym])):
        if len(rows):
            layers[key] = _layer(rows, key=key)
    return layers


def drawn_columns(places: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    """Return ``places`` with only the columns :func:`places_layers` reads (and its geometry).

    :func:`places_layers` draws this and nothing else, so its overlays can be kept by this
    frame's content (a range change adds nothing here).
    """
    return only_columns(places, COLUMNS)


def place_popup(row: pd.Series) -> str:
    """Return the escaped popup HTML of one place: name, kind, coordinates, the sentence."""
    point = row.geometry
    population = as_number(row.get("population"))
    confidence = as_number(row.get("confidence"))
    rows = [
        ("Kind", row.get("kind")),
        ("Country", row.get("country_code")),
        ("Coordinates", format_latlon(point.y, point.x)),
        ("Population", f"{population:,.0f}" if population else None),
        ("Written as", ", ".join(_strings(row.get("surfaces")))),
        ("Confidence", f"{confidence:.2f}" if confidence is not None else None),
    ]
    if bool(row.get("demonym_only", False)):
        rows.append(("Mentioned", "only through a demonym"))
    return popup_html(row.get("name"), rows, quote=row.get("sentence"))


def _layer(rows: gpd.GeoDataFrame, *, key: str) -> folium.FeatureGroup:
    """Return one overlay of place markers, one GeoJson per kind (kinds differ in size)."""
    style = style_for(key)
    group = feature_group(style.label, show=style.show)
    kinds = column(rows, "kind").fillna("").astype(str).str.lower()
    for kind in dict.fromkeys(kinds):
        part = rows[kinds == kind]
        tips = [
            f"<b>{escape(name)}</b> <small>{escape(kind)}</small>" for name in column(part, "name")
        ]
        popups = [place_popup(row) for _, row in part.iterrows()]
        radius = KIND_RADIUS.get(kind, DEFAULT_RADIUS)
        options = leaflet_style(style, radius=radius)
        group.add_child(geojson(part, style=options, tips=tips, popups=popups, radius=radius))
    if key == "places":
        add_labels(group, place_labels(rows))
    return group


def place_labels(rows: gpd.GeoDataFrame) -> list[Label]:
    """Return the permanent labels of places (EPSG:4326 points), ranked by kind and size."""
    return [
        Label(lat=p.y, lon=p.x, text=str(name), rank=place_rank(kind, pop))
        for p, name, kind, pop in zip(
            rows.geometry,
            column(rows, "name"),
            column(rows, "kind"),
            column(rows, "population", default=None),
            strict=True,
        )
        if str(name).strip()
    ]


def _strings(value: object) -> list[str]:
    """Return the distinct strings of a list-like cell (or of one string)."""
    if isinstance(value, str):
        return [value]
    if isinstance(value, Iterable):
        return list(dict.fromkeys(str(v) for v in value if v is not None))
    return []
