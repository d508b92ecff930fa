"""Reading the files users hand rangemap: only what they say they are, only as much as allowed.

- :func:`read_user_file` reads a *regular* local file of at most ``max_bytes``: folders,
  devices (``/dev/zero``), pipes, GDAL virtual paths (``/vsicurl/...``) and URLs are refused
  before a byte is read, so a hostile path costs nothing.
- :func:`parse_json` parses JSON with messages instead of tracebacks (deep nesting, 5,000-digit
  numbers, ``NaN``/``Infinity`` are refused).
- :func:`read_geometry_file` reads a user's polygon file with the driver its extension names:
  GeoJSON (``.geojson``, ``.json``) by our own JSON code, never GDAL, so a GDAL VRT or any
  other format disguised as ``.json`` is refused; GeoPackage (``.gpkg``) only after its
  SQLite/GeoPackage header is checked, from the bytes already read. Feature and vertex counts
  are limited, every coordinate must be finite lon/lat, and rings that jump across the
  antimeridian are split into parts on either side (RFC 7946).
"""

from __future__ import annotations

import io
import json
import os
import re
import stat
import warnings
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np

from geo import _limits
from geo._errors import InputError

if TYPE_CHECKING:  # shapely and geopandas are imported by the geometry readers only, so
    import geopandas as gpd  # reading an article (rangemap places FILE) needs neither
    from shapely.geometry.base import BaseGeometry

__all__ = ["GEOMETRY_SUFFIXES", "parse_json", "read_geometry_file", "read_user_file"]

#: File endings accepted for user geometry files, and the reader each one implies.
GEOMETRY_SUFFIXES: tuple[str, ...] = (".geojson", ".json", ".gpkg")

#: Paths GDAL (or a user) could take for something other than a local file.
_NOT_A_PATH = re.compile(r"^\s*(?:/vsi|[a-z][a-z0-9+.-]*://)", re.I)
_SQLITE_MAGIC = b"SQLite format 3\x00"
_GPKG_IDS = (b"GPKG", b"GP10", b"GP11")
_GEOMETRY_TYPES = frozenset(
    {"Point", "MultiPoint", "LineString", "MultiLineString", "Polygon", "MultiPolygon"}
)


def read_user_file(path: str | Path, *, max_bytes: int, what: str = "file") -> bytes:
    """Return the bytes of a regular local file of at most ``max_bytes``.

    Parameters
    ----------
    path
        A local file path (symlinks to regular files are fine).
    max_bytes
        Largest size accepted; checked before reading, and again while reading.
    what
        What the file is, for messages (``"article"``, ``"launch polygon"``).

    Raises
    ------
    InputError
        For a URL or GDAL virtual path, a missing file, a folder, a device or pipe, an
        unreadable file, or one over the limit.
    """
    text = str(path)
    if not text.strip() or _NOT_A_PATH.match(text):
        raise InputError(
            f"{what} {text!r} is not a local file path (URLs and /vsi paths are refused)"
        )
    file = Path(text)
    try:
        info = file.stat()
    except FileNotFoundError:
        raise InputError(f"cannot read {what} {file}: no such file") from None
    except OSError as exc:
        raise InputError(f"cannot read {what} {file}: {exc.strerror or exc}") from None
    _check_regular(info, file, what=what, max_bytes=max_bytes)
    try:
        fd = os.open(file, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))
        with os.fdopen(fd, "rb") as handle:
            _check_regular(os.fstat(handle.fileno()), file, what=what, max_bytes=max_bytes)
            data = handle.read(max_bytes + 1)
    except OSError as exc:
        raise InputError(f"cannot read {what} {file}: {exc.strerror or exc}") from None
    if len(data) > max_bytes:
        raise InputError(f"{what} {file} is larger than {max_bytes:,} bytes")
    return data


def parse_json(data: bytes, *, name: str, what: str = "GeoJSON") -> dict[str, Any]:
    """Parse JSON bytes into an object, with a message for anything that is not plain JSON.

    Raises
    ------
    InputError
        If the bytes are not UTF-8, not JSON (XML such as a GDAL VRT included), nested too
        deeply, hold ``NaN``/``Infinity`` or numbers too long to convert, or are not an object.
    """
    if data.lstrip(b"\xef\xbb\xbf \t\r\n").startswith(b"<"):
        raise InputError(f"{name} is XML (a GDAL VRT, KML or GPX?), not {what}: refused")
    try:
        obj = json.loads(data.decode("utf-8-sig"), parse_constant=_no_constant)
    except UnicodeDecodeError as exc:
        raise InputError(f"{name} is not UTF-8 text (byte {exc.start}): not {what}") from None
    except json.JSONDecodeError as exc:
        raise InputError(
            f"{name} is not valid JSON (line {exc.lineno}, column {exc.colno}: {exc.msg})"
        ) from None
    except RecursionError:
        raise InputError(f"{name} is JSON nested too deeply to be {what}") from None
    except ValueError as exc:  # NaN/Infinity, or an integer of thousands of digits
        reason = str(exc).split(":")[0][:80]
        raise InputError(
            f"{name} holds a number that is not a plain finite number ({reason})"
        ) from None
    if not isinstance(obj, dict):
        raise InputError(f"{name} is JSON but not a {what} object (found {type(obj).__name__})")
    return obj


def read_geometry_file(
    path: str | Path,
    *,
    max_bytes: int = _limits.GEOMETRY_MAX_BYTES,
    max_features: int = _limits.GEOMETRY_MAX_FEATURES,
    max_vertices: int = _limits.GEOMETRY_MAX_VERTICES,
) -> gpd.GeoDataFrame:
    """Read a user's GeoJSON or GeoPackage file with its properties, in EPSG:4326.

    Parameters
    ----------
    path
        A ``.geojson``/``.json`` (RFC 7946, or with a ``crs`` member naming an EPSG code) or
        ``.gpkg`` file.
    max_bytes, max_features, max_vertices
        Limits on the file size, the number of features and of vertices.

    Returns
    -------
    geopandas.GeoDataFrame
        One row per feature with a geometry, its properties as columns, EPSG:4326, every
        geometry valid and split at the antimeridian.

    Raises
    ------
    InputError
        For another file ending, a file that is not what its ending says, over a limit, with
        coordinates that are not finite lon/lat, or without any geometry.
    """
    file = Path(path)
    suffix = file.suffix.lower()
    if suffix not in GEOMETRY_SUFFIXES:
        raise InputError(
            f"{file.name!r} is not a geometry file rangemap reads: use "
            f"{', '.join(GEOMETRY_SUFFIXES)}"
        )
    data = read_user_file(file, max_bytes=max_bytes, what="geometry file")
    if suffix == ".gpkg":
        frame = _read_gpkg(data, name=file.name, max_features=max_features)
    else:
        obj = parse_json(data, name=file.name)
        frame = _frame_from_geojson(
            obj, name=file.name, max_features=max_features, max_vertices=max_vertices
        )
    return _checked_frame(frame, name=file.name, max_vertices=max_vertices)


def split_antimeridian(geom: BaseGeometry) -> BaseGeometry:
    """Split polygons whose edges jump more than 180° in longitude into parts on either side.

    A ring drawn 179 → -179 means a short hop across the antimeridian, not a trip round the
    world; RFC 7946 wants it cut into a part east of -180 and a part west of 180.
    """
    import shapely
    import shapely.affinity
    from shapely.geometry import box

    parts = list(getattr(geom, "geoms", [geom]))
    if not any(p.geom_type == "Polygon" and _jumps(p) for p in parts):
        return geom
    out = []
    for part in parts:
        if part.geom_type != "Polygon" or not _jumps(part):
            out.append(part)
            continue
        shifted = shapely.transform(part, lambda xy: _unwrap(xy))
        west = shapely.intersection(shifted, box(-180, -90, 180, 90))
        east = shapely.affinity.translate(
            shapely.intersection(shifted, box(180, -90, 540, 90)), xoff=-360
        )
        out.extend(g for g in (west, east) if not g.is_empty)
    return shapely.union_all(out)


# --- helpers ----------------------------------------------------------------------------------


def _check_regular(info: os.stat_result, file: Path, *, what: str, max_bytes: int) -> None:
    if stat.S_ISDIR(info.st_mode):
        raise InputError(f"{what} {file} is a folder, not a file")
    if not stat.S_ISREG(info.st_mode):
        raise InputError(f"{what} {file} is not a regular file (a device, pipe or socket)")
    if info.st_size > max_bytes:
        raise InputError(
            f"{what} {file} is {info.st_size:,} bytes, over the limit of {max_bytes:,} bytes"
        )


def _no_constant(token: str) -> Any:
    raise ValueError(f"{token} is not a number")


def _frame_from_geojson(
    obj: Mapping[str, Any], *, name: str, max_features: int, max_vertices: int
) -> gpd.GeoDataFrame:
    import geopandas as gpd

    crs = _geojson_crs(obj, name=name)
    features = list(_geojson_features(obj, name=name))
    if len(features) > max_features:
        raise InputError(f"{name} has {len(features):,} features; at most {max_features:,}")
    rows, geoms = [], []
    budget = [max_vertices]
    for index, feature in enumerate(features):
        geometry = feature.get("geometry")
        if geometry is None:
            continue
        geoms.append(_shape(geometry, where=f"{name}: feature {index}", budget=budget))
        if budget[0] < 0:
            raise InputError(f"{name} has over {max_vertices:,} vertices: simplify it")
        props = feature.get("properties")
        rows.append(dict(props) if isinstance(props, Mapping) else {})
    return gpd.GeoDataFrame(rows, geometry=geoms, crs=crs)


def _geojson_features(obj: Mapping[str, Any], *, name: str) -> Iterator[Mapping[str, Any]]:
    kind = obj.get("type")
    if kind == "FeatureCollection":
        features = obj.get("features")
        if not isinstance(features, list):
            raise InputError(f"{name}: 'features' must be a list")
        for index, feature in enumerate(features):
            if not isinstance(feature, Mapping) or feature.get("type") != "Feature":
                raise InputError(f"{name}: feature {index} is not a GeoJSON Feature object")
            yield feature
    elif kind == "Feature":
        yield obj
    elif kind in _GEOMETRY_TYPES or kind == "GeometryCollection":
        yield {"type": "Feature", "geometry": obj, "properties": {}}
    else:
        raise InputError(f"{name}: not GeoJSON (type {str(kind)[:40]!r})")


def _geojson_crs(obj: Mapping[str, Any], *, name: str) -> str:
    """Return the CRS a (pre-RFC 7946) ``crs`` member names; EPSG:4326 when there is none."""
    member = obj.get("crs")
    if member is None:
        return "EPSG:4326"
    label = str(((member or {}).get("properties") or {}).get("name", ""))[:80]
    if m := re.fullmatch(r"(?:urn:ogc:def:crs:)?EPSG:{1,2}(?:[\d.]*:)?(\d{4,6})", label, re.I):
        return f"EPSG:{m.group(1)}"
    if re.fullmatch(r"urn:ogc:def:crs:OGC:1\.3:CRS84|CRS84|OGC:CRS84", label, re.I):
        return "EPSG:4326"
    raise InputError(f"{name}: crs {label!r} is not an EPSG code; save the file as lon/lat")


def _shape(geometry: Any, *, where: str, budget: list[int]) -> BaseGeometry:
    import shapely
    from shapely.geometry import shape

    if not isinstance(geometry, Mapping) or geometry.get("type") not in _GEOMETRY_TYPES:
        kind = geometry.get("type") if isinstance(geometry, Mapping) else type(geometry).__name__
        raise InputError(f"{where}: unsupported geometry {str(kind)[:40]!r}")
    budget[0] -= _count_positions(
        geometry.get("coordinates"), where=where, depth=0, limit=budget[0]
    )
    if budget[0] < 0:
        return shapely.Point()
    try:
        return shape(dict(geometry))
    except (ValueError, TypeError, AttributeError, IndexError, shapely.errors.ShapelyError) as exc:
        raise InputError(f"{where}: malformed {geometry['type']} ({exc})") from None


def _count_positions(coords: Any, *, where: str, depth: int, limit: int) -> int:
    """Return the number of positions in nested coordinate arrays, checking every number.

    A position is 2 or 3 finite JSON numbers (not booleans, not strings); arrays nest at
    most 4 levels deep (a MultiPolygon's positions are at depth 3). Counting stops, unchecked,
    once it passes ``limit``.
    """
    if depth > 3 or not isinstance(coords, list):
        raise InputError(f"{where}: coordinates must be nested arrays of numbers")
    if coords and not isinstance(coords[0], list):
        _check_positions([coords], where=where)
        return 1
    if coords and isinstance(coords[0], list) and coords[0] and not isinstance(coords[0][0], list):
        if len(coords) <= limit:
            _check_positions(coords, where=where)
        return len(coords)
    count = 0
    for item in coords:
        count += _count_positions(item, where=where, depth=depth + 1, limit=limit - count)
        if count > limit:
            break
    return count


def _check_positions(positions: list[Any], *, where: str) -> None:
    """Check a list of positions: each a list of 2 or 3 finite numbers."""
    number = (int, float)
    for pos in positions:
        if (
            type(pos) is not list
            or not 2 <= len(pos) <= 3
            or any(type(c) not in number for c in pos)
        ):
            raise InputError(f"{where}: a position must be 2 or 3 numbers, got {pos!r:.60}")
    if not np.isfinite(np.array([p[:2] for p in positions], dtype=float)).all():
        raise InputError(f"{where}: coordinates must be finite numbers")


def _read_gpkg(data: bytes, *, name: str, max_features: int) -> gpd.GeoDataFrame:
    import pyogrio

    if not data.startswith(_SQLITE_MAGIC) or data[68:72] not in _GPKG_IDS:
        raise InputError(f"{name} is not a GeoPackage (no SQLite/GPKG header)")
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", RuntimeWarning)  # "non conformant file extension"
            frame = _gpkg_first_layer(pyogrio, data, name=name, max_features=max_features)
    except InputError:
        raise
    except Exception as exc:  # GDAL raises many types for damaged files
        raise InputError(f"cannot read {name} as a GeoPackage: {str(exc)[:200]}") from None
    return frame if frame.crs is not None else frame.set_crs(4326)


def _gpkg_first_layer(
    pyogrio: Any, data: bytes, *, name: str, max_features: int
) -> gpd.GeoDataFrame:
    layers = pyogrio.list_layers(io.BytesIO(data))
    if len(layers) == 0:
        raise InputError(f"{name} has no layers")
    layer = str(layers[0][0])
    count = int(pyogrio.read_info(io.BytesIO(data), layer=layer)["features"])
    if count > max_features:
        raise InputError(f"{name} has {count:,} features; at most {max_features:,}")
    frame: gpd.GeoDataFrame = pyogrio.read_dataframe(io.BytesIO(data), layer=layer)
    return frame


def _checked_frame(frame: gpd.GeoDataFrame, *, name: str, max_vertices: int) -> gpd.GeoDataFrame:
    import geopandas as gpd
    import shapely

    frame = frame[frame.geometry.notna() & ~frame.geometry.is_empty]
    if frame.empty:
        raise InputError(f"{name} has no geometries")
    vertices = int(shapely.get_num_coordinates(frame.geometry.to_numpy()).sum())
    if vertices > max_vertices:
        raise InputError(f"{name} has {vertices:,} vertices; at most {max_vertices:,}: simplify it")
    if frame.crs is not None and not frame.crs.equals("EPSG:4326"):
        frame = frame.to_crs(4326)
    _check_lonlat(frame, name=name)
    geoms = [split_antimeridian(shapely.make_valid(g)) for g in frame.geometry.to_numpy()]
    return frame.set_geometry(gpd.GeoSeries(geoms, index=frame.index, crs=4326))


def _check_lonlat(frame: gpd.GeoDataFrame, *, name: str) -> None:
    import shapely

    coords = shapely.get_coordinates(frame.geometry.to_numpy())
    if not len(coords) or not bool(
        (abs(coords[:, 0]) <= 180).all() and (abs(coords[:, 1]) <= 90).all()
    ):
        bad = coords[(abs(coords[:, 0]) > 180) | (abs(coords[:, 1]) > 90)]
        where = f" (e.g. {bad[0][0]:g}, {bad[0][1]:g})" if len(bad) else ""
        raise InputError(
            f"{name}: coordinates must be lon -180..180, lat -90..90{where}; "
            "is the file in another CRS without saying so?"
        )


def _jumps(polygon: BaseGeometry) -> bool:
    import shapely

    xs = shapely.get_coordinates(shapely.get_exterior_ring(polygon))[:, 0]
    return bool(len(xs) > 1 and (abs(xs[1:] - xs[:-1]) > 180).any())


def _unwrap(xy: Any) -> Any:
    out = xy.copy()
    out[:, 0] = out[:, 0] % 360  # -179 → 181: the ring becomes continuous east of 180
    return out
