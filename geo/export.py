"""Export layers: GeoJSON (RFC 7946), GeoPackage (for QGIS) and KML (for Google Earth).

Layers are named GeoDataFrames in any CRS; everything is written in EPSG:4326 lon/lat.
GeoJSON follows RFC 7946: no ``crs`` member, counter-clockwise exterior rings and
clockwise holes, at most 7 decimals, geometries crossing the antimeridian split into
parts on either side (build them with :mod:`geo.geodesic`, which does), JSON-safe
properties (NaN → null, timestamps → ISO 8601, lists kept). GeoPackage stores lists
and dicts as JSON strings.

KML (for Google Earth) is styled from plain data the caller passes (:class:`KmlStyle`, built
from the style table by ``layers.style.kml_styles``): one ``<Folder>`` per layer with a human
name, one ``<Style>`` per kind of feature, and on every placemark a readable ``<name>`` and a
``<description>`` with its figures. Every text is XML-escaped; descriptions are HTML (Google
Earth renders them so), with the user's text HTML-escaped before that.
"""

from __future__ import annotations

import datetime as dt
import html
import json
import math
from collections.abc import Collection, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from xml.sax.saxutils import escape, quoteattr

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely
from shapely.geometry import Polygon, mapping
from shapely.geometry.base import BaseGeometry

from geo._errors import InputError

__all__ = ["KmlStyle", "feature_collection", "kml_style_key", "to_geojson", "to_gpkg", "to_kml"]

#: Decimal places kept in GeoJSON and KML (1 cm at the equator).
PRECISION = 7

#: Figures shown in a KML placemark's description: column → heading (unit added by _figure).
KML_FIGURES: dict[str, str] = {
    "description": "What",
    "range_km": "Range",
    "min_km": "Minimum range",
    "area_km2": "Area",
    "length_km": "Length",
    "launch_from": "Fired from",
    "weapon": "Weapon",
    "distance_km": "Distance from the launch areas",
    "in_range_of": "In range of",
    "population": "Population",
    "type": "Type",
    "operator": "Operator",
    "country_code": "Country",
    "date": "Date",
    "note": "Note",
    "source": "Source",
    "source_title": "Source",
    "source_url": "Link",
}
_UNITS = {
    "range_km": "km",
    "min_km": "km",
    "distance_km": "km",
    "length_km": "km",
    "area_km2": "km²",
}


@dataclass(frozen=True)
class KmlStyle:
    """How one kind of feature is drawn in Google Earth: plain data, no rendering library.

    Parameters
    ----------
    label
        Human name of the kind (e.g. "Occupied since 24 Feb 2022"), used in placemark names.
    color
        Stroke (and icon) colour, ``#rrggbb``.
    width
        Line width in pixels.
    fill_color
        Fill colour ``#rrggbb``, or ``None`` for an unfilled outline.
    fill_opacity
        Opacity of the fill, 0–1.
    show
        Whether features of this kind are ticked (shown) when the file opens.
    """

    label: str
    color: str
    width: float = 1.5
    fill_color: str | None = None
    fill_opacity: float = 0.0
    show: bool = True

    def __post_init__(self) -> None:
        for what, value in (("color", self.color), ("fill_color", self.fill_color)):
            if value is not None and _rgb(value) is None:
                raise ValueError(f"{what} must be a #rrggbb colour, got {value!r}")
        if not 0.0 <= self.fill_opacity <= 1.0:
            raise ValueError(f"fill_opacity must be between 0 and 1, got {self.fill_opacity}")
        if not (math.isfinite(self.width) and self.width >= 0):
            raise ValueError(f"width must be a finite number ≥ 0, got {self.width}")

    def kml(self, style_id: str) -> str:
        """Return the ``<Style>`` element (colours in KML's ``aabbggrr``)."""
        stroke = f"<color>{kml_color(self.color)}</color><width>{self.width:g}</width>"
        line = f"<LineStyle>{stroke}</LineStyle>"
        fill = self.fill_color or self.color
        filled = int(self.fill_color is not None and self.fill_opacity > 0)
        poly = (
            f"<PolyStyle><color>{kml_color(fill, self.fill_opacity if filled else 0.0)}</color>"
            f"<fill>{filled}</fill><outline>1</outline></PolyStyle>"
        )
        icon = (
            f"<IconStyle><color>{kml_color(fill)}</color><scale>0.8</scale><Icon><href>"
            f"{_ICON}</href></Icon></IconStyle><LabelStyle><scale>0.8</scale></LabelStyle>"
        )
        return f"<Style id={quoteattr(style_id)}>{icon}{line}{poly}</Style>"


def to_geojson(gdf: gpd.GeoDataFrame, *, indent: int | None = None) -> str:
    """Return one layer as an RFC 7946 FeatureCollection string."""
    return json.dumps(
        _collection(_features(gdf)), indent=indent, ensure_ascii=False, allow_nan=False
    )


def feature_collection(layers: Mapping[str, gpd.GeoDataFrame]) -> dict[str, Any]:
    """Return all layers as one RFC 7946 FeatureCollection, each feature tagged with ``layer``."""
    features = []
    for name, gdf in layers.items():
        for feature in _features(gdf):
            feature["properties"] = {"layer": name, **feature["properties"]}
            features.append(feature)
    return _collection(features)


def to_gpkg(layers: Mapping[str, gpd.GeoDataFrame], path: str | Path) -> Path:
    """Write each layer as a table of one GeoPackage (EPSG:4326) and return its path.

    Lists and dicts become JSON strings; timestamps become ISO 8601 strings.
    """
    import pyogrio

    out = Path(path)
    if not layers:
        raise InputError("nothing to export: no layers given")
    if out.exists():
        out.unlink()
    for name, gdf in layers.items():
        frame = _prepared(gdf)
        for column in frame.columns.drop(frame.geometry.name):
            frame[column] = frame[column].map(_gpkg_value)
        pyogrio.write_dataframe(frame, out, layer=_layer_name(name), driver="GPKG")
    return out


def to_kml(
    layers: Mapping[str, gpd.GeoDataFrame],
    *,
    name: str = "rangemap",
    styles: Mapping[str, KmlStyle] | None = None,
    folders: Mapping[str, str] | None = None,
    description: str | None = None,
    hidden: Collection[str] = (),
) -> str:
    """Return the layers as a styled KML 2.2 document, one Folder per layer (all text escaped).

    Parameters
    ----------
    layers
        Layer key → frame (any CRS; written in lon/lat); empty frames get no folder.
    name
        Name of the document (e.g. the scenario's title).
    styles
        Style key → style (see :func:`kml_style_key` for each feature's key). Features
        whose key has no style are drawn in Google Earth's default style; features whose
        style has ``show=False`` start unticked.
    folders
        Layer key → human folder name; else the style's label of the layer key, else the key.
    description
        Plain text about the whole document (date, sources), shown under its name.
    hidden
        Layer keys whose folders start unticked (e.g. layers no map draws).

    Returns
    -------
    str
        The KML document. Each placemark has a ``<name>`` (its name or label, a frontline
        class with its source and date, a ring as "ATACMS 300 km"), a ``<description>``
        with its figures, its style and every property as ``ExtendedData``.
    """
    styles = styles or {}
    used: dict[str, str] = {}  # style id → <Style>, for the styles placemarks use
    body = [
        _folder(
            gdf,
            layer=str(layer),
            title=_folder_name(str(layer), styles, folders or {}),
            styles=styles,
            shown=layer not in hidden,
            used=used,
        )
        for layer, gdf in layers.items()
        if len(gdf)  # no empty "Frontline" folder on a map of another war
    ]
    about = _kml_text(description or "")
    head = [
        '<?xml version="1.0" encoding="UTF-8"?>',
        '<kml xmlns="http://www.opengis.net/kml/2.2"><Document>',
        f"<name>{escape(_kml_text(name))}</name>",
        f"<description>{escape(html.escape(about))}</description>" if about else "",
        *used.values(),
    ]
    return "\n".join([*head, *body, "</Document></kml>"])


def kml_style_key(layer: str, properties: Mapping[str, Any]) -> str:
    """Return the style key of one feature of ``layer``.

    The first that applies: a frontline ``class`` (``occupied_since_2022``); a range ring's
    colour, ``range_<color_index>`` (``range_<i>_min`` for a minimum-range ring); a site or
    place ``in_range`` flag (``sites_in_range`` / ``sites_out_of_range``); a demonym-only place
    (``places_demonym``); else the layer key.
    """
    cls = properties.get("class")
    if isinstance(cls, str) and cls:
        return cls
    index = properties.get("color_index")
    if isinstance(index, int | float) and not isinstance(index, bool) and math.isfinite(index):
        ring = "_min" if properties.get("ring") == "min" else ""
        return f"range_{int(index)}{ring}"
    if layer == "sites" and isinstance(properties.get("in_range"), bool):
        return "sites_in_range" if properties["in_range"] else "sites_out_of_range"
    if properties.get("demonym_only") is True:
        return "places_demonym"
    return layer


def kml_color(hex_rgb: str, opacity: float = 1.0) -> str:
    """Return ``#rrggbb`` at ``opacity`` as KML's ``aabbggrr`` (``#a52714``, 0.35: ``591427a5``)."""
    rgb = _rgb(hex_rgb)
    if rgb is None:
        raise ValueError(f"not a #rrggbb colour: {hex_rgb!r}")
    alpha = round(min(max(opacity, 0.0), 1.0) * 255)
    return f"{alpha:02x}{rgb[4:6]}{rgb[2:4]}{rgb[0:2]}"


# --- helpers ----------------------------------------------------------------------------------


def _collection(features: list[dict[str, Any]]) -> dict[str, Any]:
    return {"type": "FeatureCollection", "features": features}


def _prepared(gdf: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    if not isinstance(gdf, gpd.GeoDataFrame):
        raise InputError(f"expected a GeoDataFrame, got {type(gdf).__name__}")
    if gdf.crs is None:
        raise InputError("the GeoDataFrame has no CRS; set it (e.g. EPSG:4326) before exporting")
    frame = gdf.to_crs(4326).copy()
    frame[frame.geometry.name] = [_rfc7946(g) for g in frame.geometry]
    return frame


def _rfc7946(geom: BaseGeometry | None) -> BaseGeometry | None:
    """Round to 7 decimals and orient polygons: exteriors counter-clockwise, holes clockwise."""
    if geom is None or geom.is_empty:
        return None
    rounded = shapely.set_precision(geom, 10.0**-PRECISION, mode="pointwise")
    if rounded.geom_type in ("Polygon", "MultiPolygon", "GeometryCollection"):
        rounded = shapely.orient_polygons(rounded)
    return rounded


def _features(gdf: gpd.GeoDataFrame) -> list[dict[str, Any]]:
    frame = _prepared(gdf)
    props = frame.drop(columns=frame.geometry.name)
    features = []
    for geom, (_, row) in zip(frame.geometry, props.iterrows(), strict=True):
        features.append(
            {
                "type": "Feature",
                "geometry": _round_mapping(geom) if geom is not None else None,
                "properties": {str(k): _json_value(v) for k, v in row.items()},
            }
        )
    return features


def _round_mapping(geom: BaseGeometry) -> dict[str, Any]:
    def fix(obj: Any) -> Any:
        if isinstance(obj, tuple | list):
            if obj and isinstance(obj[0], float | int):
                return [round(float(c), PRECISION) for c in obj[:2]]
            return [fix(o) for o in obj]
        if isinstance(obj, dict):
            return {k: fix(v) for k, v in obj.items()}
        return obj

    result: dict[str, Any] = fix(dict(mapping(geom)))
    return result


def _json_value(value: Any) -> Any:
    """Return a JSON-safe version of a cell: NaN → None, timestamps → ISO, numpy → Python."""
    if isinstance(value, np.ndarray):
        return [_json_value(v) for v in value.tolist()]
    if isinstance(value, list | tuple | set):
        return [_json_value(v) for v in value]
    if isinstance(value, dict):
        return {str(k): _json_value(v) for k, v in value.items()}
    if isinstance(value, np.generic):
        value = value.item()
    if isinstance(value, pd.Timestamp | dt.datetime | dt.date):
        return None if pd.isna(value) else value.isoformat()
    if isinstance(value, float) and not math.isfinite(value):
        return None
    if value is None or value is pd.NaT or (not isinstance(value, str | bytes) and pd.isna(value)):
        return None
    if isinstance(value, bytes):
        return value.decode("utf-8", errors="replace")
    if isinstance(value, str | int | float | bool):
        return value
    return str(value)


def _gpkg_value(value: Any) -> Any:
    safe = _json_value(value)
    if isinstance(safe, list | dict):
        return json.dumps(safe, ensure_ascii=False)
    return safe


def _layer_name(name: str) -> str:
    clean = "".join(c if c.isalnum() or c in "_-" else "_" for c in str(name)).strip("_")
    if not clean:
        raise InputError(f"layer name {name!r} has no usable characters")
    return clean


#: Google Earth's own round icon for points (tinted by the style's colour).
_ICON = "http://maps.google.com/mapfiles/kml/shapes/placemark_circle.png"


def _rgb(value: str) -> str | None:
    """Return ``rrggbb`` (lower case) of a ``#rrggbb`` colour, or ``None``."""
    text = value.strip().lower()
    if len(text) == 7 and text[0] == "#" and all(c in "0123456789abcdef" for c in text[1:]):
        return text[1:]
    return None


def _style_id(key: str) -> str:
    return "style-" + "".join(c if c.isalnum() or c in "_-" else "_" for c in key)


def _folder_name(layer: str, styles: Mapping[str, KmlStyle], folders: Mapping[str, str]) -> str:
    if folders.get(layer):
        return folders[layer]
    return styles[layer].label if layer in styles else layer


def _placemark_name(values: Mapping[str, Any], style: KmlStyle | None, *, fallback: str) -> str:
    """Return a placemark's readable name: never empty."""
    if values.get("class") is not None:
        kind = style.label if style else str(values["class"]).replace("_", " ")
        date = values.get("date")
        stamp = " ".join(t for t in (_short_source(values.get("source")), str(date or "")) if t)
        return f"{kind} — {stamp}" if stamp else kind
    if values.get("ring") == "min" and _figure("min_km", values.get("min_km")):
        return f"{values.get('weapon')} min {_figure('min_km', values['min_km'])}"
    for key in ("name", "label"):
        if isinstance(values.get(key), str) and values[key].strip():
            return str(values[key])
    return style.label if style else fallback


def _short_source(source: object) -> str:
    """Return a source's first words ("DeepStateMap GeoJSON", "rangemap facts")."""
    text = source if isinstance(source, str) else ""
    for stop in (":", "(", ","):
        text = text.split(stop)[0]
    return text.strip()


def _figure(column: str, value: Any) -> str:
    """Return one property as text: numbers rounded with their unit, lists joined."""
    if value is None or value == "" or value == []:
        return ""
    if isinstance(value, list):
        return ", ".join(_figure(column, v) for v in value)
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, int | float):
        if column in _UNITS and value == 0 and column != "distance_km":
            return ""  # a line's area, a ring without minimum
        number = (
            f"{value:,.0f}" if abs(value) >= 100 or float(value).is_integer() else f"{value:,.1f}"
        )
        return f"{number} {_UNITS[column]}" if column in _UNITS else number
    return _kml_text(value)


def _description(values: Mapping[str, Any]) -> str:
    """Return the HTML of a placemark's figures, user text HTML-escaped (XML-escaped later)."""
    rows = []
    for column, heading in KML_FIGURES.items():
        text = _figure(column, values.get(column))
        if text:
            rows.append(f"<tr><th align='left'>{heading}</th><td>{html.escape(text)}</td></tr>")
    return f"<table>{''.join(rows)}</table>" if rows else ""


def _folder(
    gdf: gpd.GeoDataFrame,
    *,
    layer: str,
    title: str,
    styles: Mapping[str, KmlStyle],
    shown: bool,
    used: dict[str, str],
) -> str:
    """Return one layer's ``<Folder>``; add the styles its placemarks use to ``used``."""
    frame = _prepared(gdf)
    props = frame.drop(columns=frame.geometry.name)
    parts = [f"<Folder><name>{escape(_kml_text(title))}</name>{_visibility(shown)}"]
    for geom, (_, row) in zip(frame.geometry, props.iterrows(), strict=True):
        values = {str(k): _json_value(v) for k, v in row.items()}
        key = kml_style_key(layer, values)
        style = styles.get(key)
        style_id = _style_id(key) if style else None
        if style and style_id:
            used[style_id] = style.kml(style_id)
        name = _placemark_name(values, style, fallback=title)
        visible = shown and (style.show if style else True)
        parts.append(_placemark(geom, values, name=name, style_id=style_id, visible=visible))
    parts.append("</Folder>")
    return "\n".join(parts)


def _visibility(shown: bool) -> str:
    return "" if shown else "<visibility>0</visibility>"


def _placemark(
    geom: BaseGeometry | None,
    values: Mapping[str, Any],
    *,
    name: str,
    style_id: str | None,
    visible: bool = True,
) -> str:
    data = "".join(
        f"<Data name={quoteattr(k)}><value>{escape(_kml_text(v))}</value></Data>"
        for k, v in values.items()
    )
    style = f"<styleUrl>#{style_id}</styleUrl>" if style_id else ""
    body = _kml_geometry(geom) if geom is not None else ""
    return (
        f"<Placemark><name>{escape(_kml_text(name))}</name>{_visibility(visible)}"
        f"<description>{escape(_description(values))}</description>{style}"
        f"<ExtendedData>{data}</ExtendedData>{body}</Placemark>"
    )


def _kml_text(value: Any) -> str:
    text = value if isinstance(value, str) else json.dumps(value, ensure_ascii=False)
    # XML 1.0 forbids most control characters even when escaped.
    return "".join(c for c in text if c in "\t\n\r" or ord(c) >= 0x20)


def _coords(seq: Any) -> str:
    return " ".join(f"{x:.{PRECISION}f},{y:.{PRECISION}f}" for x, y, *_ in seq)


def _kml_geometry(geom: BaseGeometry) -> str:
    kind = geom.geom_type
    if kind == "Point":
        return f"<Point><coordinates>{_coords(geom.coords)}</coordinates></Point>"
    if kind == "LineString":
        return f"<LineString><coordinates>{_coords(geom.coords)}</coordinates></LineString>"
    if isinstance(geom, Polygon):
        outer = f"<outerBoundaryIs><LinearRing><coordinates>{_coords(geom.exterior.coords)}"
        inner = "".join(
            f"<innerBoundaryIs><LinearRing><coordinates>{_coords(r.coords)}"
            "</coordinates></LinearRing></innerBoundaryIs>"
            for r in geom.interiors
        )
        return f"<Polygon>{outer}</coordinates></LinearRing></outerBoundaryIs>{inner}</Polygon>"
    parts = "".join(_kml_geometry(g) for g in shapely.get_parts(geom))
    return f"<MultiGeometry>{parts}</MultiGeometry>"
