"""Load frontline KML and KMZ (Google My Maps and similar exports), safely.

XML is parsed with :mod:`defusedxml`, which rejects DTDs, entity declarations and external
references (XXE, "billion laughs"). KMZ archives are opened with limits on the number of
members, the total uncompressed size and the compression ratio, and members with absolute
paths or ``..`` are refused. Placemarks are classified by their folder and placemark names
(keywords such as "occupied", "Crimea", "grey zone", "Kursk") and, failing that, by the
polygon colour of their style (KML colours are ``aabbggrr``).
"""

from __future__ import annotations

import io
import warnings
import zipfile
import zlib
from collections.abc import Iterator, Mapping
from xml.etree.ElementTree import Element, ParseError

import defusedxml
import defusedxml.ElementTree as SafeET
import geopandas as gpd
import shapely
from shapely.geometry import LinearRing, LineString, Point, Polygon
from shapely.geometry.base import BaseGeometry

from geo import _budget
from geo._errors import InputError
from geo.frontline.geojson import (
    FILL_CLASSES,
    MAX_FEATURES,
    FrontlineRepairWarning,
    VertexBudget,
    classify_text,
    dissolve,
    repair_geometry,
)

__all__ = ["MAX_KMZ_MEMBERS", "MAX_KMZ_RATIO", "load_kml", "load_kmz"]

#: Deepest nesting of KML folders accepted.
MAX_FOLDER_DEPTH = 100
#: Most members a KMZ archive may hold.
MAX_KMZ_MEMBERS = 1000
#: Largest compression ratio accepted for a KMZ member (zip bombs reach thousands).
MAX_KMZ_RATIO = 200


def load_kml(data: bytes, *, date: str = "", name: str = "KML") -> gpd.GeoDataFrame:
    """Load KML bytes into the classified frontline frame.

    Parameters
    ----------
    data
        The KML document.
    date
        ISO date to record in the ``date`` column.
    name
        How to call the file in messages.

    Returns
    -------
    geopandas.GeoDataFrame
        The classified frame, EPSG:4326.

    Raises
    ------
    InputError
        When the XML is malformed, declares a DTD or entities, or is not KML.
    """
    root = _parse(data, name=name)
    styles = _styles(root)
    parts: dict[str, list[BaseGeometry]] = {}
    vertices = VertexBudget()
    for index, (labels, placemark) in enumerate(_placemarks(root, ())):
        _budget.check()
        geom = _placemark_geometry(placemark, what=f"{name}: placemark {index}")
        vertices.take(geom, index=index)
        if geom.is_empty or geom.geom_type in ("Point", "MultiPoint"):
            continue
        cls = _classify(labels, placemark, styles, is_line="Line" in geom.geom_type)
        if cls:
            parts.setdefault(cls, []).append(geom)
    return dissolve(parts, date=date, source=f"KML file {name}")


def load_kmz(data: bytes, *, max_bytes: int, date: str = "", name: str = "KMZ") -> gpd.GeoDataFrame:
    """Load a KMZ archive (zipped KML) into the classified frontline frame.

    Parameters
    ----------
    data
        The KMZ archive.
    max_bytes
        Largest total uncompressed size accepted.
    date
        ISO date to record in the ``date`` column.
    name
        How to call the file in messages.

    Returns
    -------
    geopandas.GeoDataFrame
        The classified frame, EPSG:4326.

    Raises
    ------
    InputError
        For a broken archive, too many members, members that expand too much (zip bombs),
        unsafe member paths, or no KML inside.
    """
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except (zipfile.BadZipFile, OSError) as exc:
        raise InputError(f"{name} is not a valid KMZ (zip) archive: {exc}") from exc
    with archive:
        member = _kml_member(archive, max_bytes=max_bytes, name=name)
        kml = _read_member(archive, member, max_bytes=max_bytes, name=name)
    return load_kml(kml, date=date, name=f"{name}:{member.filename}")


# --- helpers ---------------------------------------------------------------------------------


def _parse(data: bytes, *, name: str) -> Element:
    """Parse XML safely, turning every refusal into an InputError that says why."""
    try:
        root = SafeET.fromstring(data, forbid_dtd=True)
    except defusedxml.DTDForbidden as exc:
        raise InputError(
            f"{name}: KML with a DTD (<!DOCTYPE>) is refused: it can declare external or "
            "expanding entities (XXE, billion laughs)"
        ) from exc
    except defusedxml.EntitiesForbidden as exc:
        raise InputError(
            f"{name}: KML that declares entities is refused (entity expansion)"
        ) from exc
    except defusedxml.ExternalReferenceForbidden as exc:
        raise InputError(f"{name}: KML with external references is refused (XXE)") from exc
    except ParseError as exc:
        raise InputError(f"{name} is not well-formed XML: {exc}") from exc
    if _local(root.tag) != "kml":
        raise InputError(f"{name} is XML but not KML (root element <{_local(root.tag)}>)")
    return root


def _local(tag: str) -> str:
    """Return a tag name without its namespace."""
    return tag.rsplit("}", 1)[-1]


def _child(element: Element, tag: str) -> Element | None:
    """Return the first direct child with a local tag name."""
    return next((c for c in element if _local(c.tag) == tag), None)


def _text(element: Element | None, tag: str) -> str:
    """Return the stripped text of a direct child (``""`` when absent)."""
    child = _child(element, tag) if element is not None else None
    return (child.text or "").strip() if child is not None else ""


def _placemarks(
    element: Element, labels: tuple[str, ...]
) -> Iterator[tuple[tuple[str, ...], Element]]:
    """Yield (folder names, placemark) for every placemark, depth first (no recursion).

    Raises
    ------
    InputError
        When folders nest deeper than :data:`MAX_FOLDER_DEPTH`, or there are more than
        :data:`MAX_FEATURES` placemarks.
    """
    stack = [(element, labels)]
    count = 0
    while stack:
        node, names = stack.pop()
        if len(names) > MAX_FOLDER_DEPTH:
            raise InputError(
                f"KML folders nested more than {MAX_FOLDER_DEPTH} deep: not a frontline map"
            )
        folders = []
        for child in node:
            tag = _local(child.tag)
            if tag == "Placemark":
                count += 1
                if count > MAX_FEATURES:
                    raise InputError(
                        f"the KML file has more than {MAX_FEATURES:,} placemarks: simplify it"
                    )
                yield names, child
            elif tag in ("Document", "Folder", "kml"):
                folders.append((child, (*names, _text(child, "name"))))
        stack.extend(reversed(folders))


def _styles(root: Element) -> dict[str, str]:
    """Return style id → polygon colour as ``#rrggbb`` (StyleMaps follow their normal style)."""
    colours: dict[str, str] = {}
    for element in root.iter():
        if _local(element.tag) == "Style" and element.get("id"):
            colour = _style_colour(element)
            if colour:
                colours[str(element.get("id"))] = colour
    for element in root.iter():
        if _local(element.tag) == "StyleMap" and element.get("id"):
            for pair in element:
                if _text(pair, "key") == "normal":
                    target = _text(pair, "styleUrl").lstrip("#")
                    if target in colours:
                        colours[str(element.get("id"))] = colours[target]
    return colours


def _style_colour(style: Element) -> str | None:
    """Return the PolyStyle (else LineStyle) colour of a Style as ``#rrggbb``."""
    for kind in ("PolyStyle", "LineStyle"):
        sub = _child(style, kind)
        value = _text(sub, "color").lower()
        if len(value) == 8:
            aa, bb, gg, rr = value[0:2], value[2:4], value[4:6], value[6:8]
            return f"#{rr}{gg}{bb}" if aa else None
    return None


def _classify(
    labels: tuple[str, ...], placemark: Element, styles: Mapping[str, str], *, is_line: bool
) -> str | None:
    """Return a placemark's class from its names, then its style colour."""
    if is_line:
        return "line_of_contact"
    for text in (_text(placemark, "name"), *reversed(labels), _text(placemark, "description")):
        cls = classify_text(text) if text else None
        if cls and cls != "line_of_contact":
            return cls
    inline = _child(placemark, "Style")
    colour = _style_colour(inline) if inline is not None else None
    colour = colour or styles.get(_text(placemark, "styleUrl").lstrip("#"))
    if colour and colour in FILL_CLASSES:
        return FILL_CLASSES[colour]
    return "unclassified"


def _placemark_geometry(placemark: Element, *, what: str) -> BaseGeometry:
    """Return the (2-D) geometry of a placemark, repaired with a warning when invalid."""
    geoms: list[BaseGeometry] = []
    for element in placemark.iter():
        tag = _local(element.tag)
        if tag == "Polygon":
            geoms.append(_polygon(element, what=what))
        elif tag == "LineString":
            geoms.append(_line(_coords(element, what=what), what=what))
        elif tag == "Point":
            geoms.append(Point(_coords(element, what=what)[0]))
    if not geoms:
        return shapely.Polygon()
    return repair_geometry(shapely.union_all(geoms) if len(geoms) > 1 else geoms[0], what=what)


def _line(coords: list[tuple[float, float]], *, what: str) -> BaseGeometry:
    """Build a line; a one-point LineString is dropped with a warning."""
    if len(coords) < 2:
        warnings.warn(
            f"{what}: a LineString with one point is no line; dropped",
            FrontlineRepairWarning,
            stacklevel=4,
        )
        return LineString()
    return LineString(coords)


def _polygon(element: Element, *, what: str) -> Polygon:
    """Build a polygon from a KML Polygon element (outer and inner boundaries)."""
    outer, holes = None, []
    for boundary in element:
        ring = next((r for r in boundary.iter() if _local(r.tag) == "LinearRing"), None)
        if ring is None:
            continue
        coords = _coords(ring, what=what)
        if len(coords) < 3:
            raise InputError(f"{what}: a polygon ring has fewer than 3 points")
        if _local(boundary.tag) == "outerBoundaryIs":
            outer = coords
        elif _local(boundary.tag) == "innerBoundaryIs":
            holes.append(LinearRing(coords))
    if outer is None:
        raise InputError(f"{what}: a Polygon without an outerBoundaryIs ring")
    return Polygon(outer, holes)


def _coords(element: Element, *, what: str) -> list[tuple[float, float]]:
    """Parse the ``lon,lat[,alt]`` tuples of a geometry's <coordinates>, dropping altitude."""
    node = next((c for c in element.iter() if _local(c.tag) == "coordinates"), None)
    text = (node.text or "") if node is not None else ""
    coords = []
    for token in text.split():
        values = token.split(",")
        try:
            lon, lat = float(values[0]), float(values[1])
        except (ValueError, IndexError) as exc:
            raise InputError(f"{what}: bad coordinate {token[:40]!r} (expected lon,lat)") from exc
        if not (-180 <= lon <= 180 and -90 <= lat <= 90):
            raise InputError(f"{what}: coordinate {token[:40]!r} is outside lon/lat range")
        coords.append((lon, lat))
    if not coords:
        raise InputError(f"{what}: a geometry without coordinates")
    return coords


def _kml_member(archive: zipfile.ZipFile, *, max_bytes: int, name: str) -> zipfile.ZipInfo:
    """Check the archive's members against the limits and return the KML to read."""
    members = archive.infolist()
    if len(members) > MAX_KMZ_MEMBERS:
        raise InputError(
            f"{name}: KMZ has {len(members)} members, over the limit of {MAX_KMZ_MEMBERS}"
        )
    total = sum(m.file_size for m in members)
    if total > max_bytes:
        raise InputError(
            f"{name}: KMZ expands to {total:,} bytes, over the limit of {max_bytes:,} bytes"
        )
    for m in members:
        if m.filename.startswith(("/", "\\")) or ".." in m.filename.replace("\\", "/").split("/"):
            raise InputError(f"{name}: KMZ member {m.filename!r} has an unsafe path")
        if m.compress_size and m.file_size / m.compress_size > MAX_KMZ_RATIO:
            raise InputError(
                f"{name}: KMZ member {m.filename!r} expands {m.file_size // m.compress_size}x, "
                f"over the limit of {MAX_KMZ_RATIO}x (zip bomb?)"
            )
    kmls = [m for m in members if m.filename.lower().endswith(".kml")]
    if not kmls:
        raise InputError(f"{name}: KMZ contains no .kml document")
    return next((m for m in kmls if m.filename.lower() == "doc.kml"), kmls[0])


def _read_member(
    archive: zipfile.ZipFile, member: zipfile.ZipInfo, *, max_bytes: int, name: str
) -> bytes:
    """Read a member without trusting its declared size (stop past ``max_bytes``)."""
    try:
        with archive.open(member) as fh:
            data = fh.read(max_bytes + 1)
    except (zipfile.BadZipFile, zlib.error, OSError, NotImplementedError, RuntimeError) as exc:
        raise InputError(f"{name}: cannot read KMZ member {member.filename!r}: {exc}") from exc
    if len(data) > max_bytes:
        raise InputError(
            f"{name}: KMZ member {member.filename!r} expands beyond {max_bytes:,} bytes"
        )
    return data
