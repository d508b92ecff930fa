"""Export layers: GeoJSON (RFC 7946), GeoPackage (for QGIS) and KML (for Google Earth).

Layers are named GeoDataFrames in any CRS; everything is written in EPSG:4326 lon/lat.
GeoJSON follows RFC 7946: no ``crs`` member, counter-clockwise exterior rings and
clockwise holes, at most 7 decimals, geometries crossing the antimeridian split into
parts on either side (build them with :mod:`geo.geodesic`, which does), JSON-safe
properties (NaN → null, timestamps → ISO 8601, lists kept). GeoPackage stores lists
and dicts as JSON strings. KML escapes every text it writes.
"""

from __future__ import annotations

import datetime as dt
import json
import math
from collections.abc import Mapping
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

__all__ = ["feature_collection", "to_geojson", "to_gpkg", "to_kml"]

#: Decimal places kept in GeoJSON and KML (1 cm at the equator).
PRECISION = 7


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


def to_kml(layers: Mapping[str, gpd.GeoDataFrame], *, name: str = "rangemap") -> str:
    """Return the layers as a KML 2.2 document, one Folder per layer (all text escaped)."""
    parts = [
        '<?xml version="1.0" encoding="UTF-8"?>',
        '<kml xmlns="http://www.opengis.net/kml/2.2"><Document>',
        f"<name>{escape(name)}</name>",
    ]
    for layer, gdf in layers.items():
        parts.append(f"<Folder><name>{escape(str(layer))}</name>")
        frame = _prepared(gdf)
        props = frame.drop(columns=frame.geometry.name)
        for geom, (_, row) in zip(frame.geometry, props.iterrows(), strict=True):
            parts.append(_placemark(geom, row))
        parts.append("</Folder>")
    parts.append("</Document></kml>")
    return "\n".join(parts)


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


def _placemark(geom: BaseGeometry | None, row: pd.Series) -> str:
    values = {str(k): _json_value(v) for k, v in row.items()}
    title = values.get("name") or values.get("label") or ""
    data = "".join(
        f"<Data name={quoteattr(k)}><value>{escape(_kml_text(v))}</value></Data>"
        for k, v in values.items()
    )
    body = _kml_geometry(geom) if geom is not None else ""
    return (
        f"<Placemark><name>{escape(_kml_text(title))}</name>"
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
