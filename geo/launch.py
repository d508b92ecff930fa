"""Named, reusable launch geometries: where weapons are fired from.

A launch spec is one string, so the CLI, the app and scenario files share it:

- ``"50.45,30.52"`` — a point (``lat,lon``);
- ``"Kharkiv"`` — a place from the gazetteer (``place:`` forces this reading);
- ``"Belgorod oblast"``, ``"region:RU-BEL"`` — a first-level region's outline;
- ``"Ukraine"``, ``"country:UA"`` — a country's outline;
- ``"ukraine-held@2024-11-19"``, ``"russia-held@2024-11-19"`` — the territory a side held
  on a date (from the frontline snapshots);
- ``"kursk-salient@2024-11-19"`` — the Ukrainian-held part of a Russian region (any region
  name before ``-salient``).

A standoff (``standoff_km``) keeps launchers at least that far from the other side's
territory (for held territory) or inside the area's own edge (for other outlines),
measured geodesically.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cached_property, lru_cache
from pathlib import Path

import geopandas as gpd
import shapely
from shapely.geometry import Point
from shapely.geometry.base import BaseGeometry

from geo import geodesic
from geo._errors import InputError, NotFoundError
from geo._files import GEOMETRY_SUFFIXES, read_geometry_file
from geo.coords import is_coordinate_text, parse_latlon

__all__ = ["LaunchArea", "launch_area", "standoff"]

_HELD = re.compile(r"^\s*(?P<side>[a-z]+)[-_ ]held\s*@\s*(?P<date>\S+)\s*$", re.IGNORECASE)
_SALIENT = re.compile(r"^\s*(?P<region>.+?)[-_ ]salient\s*@\s*(?P<date>\S+)\s*$", re.IGNORECASE)
_REGION_CUE = re.compile(
    r"\b(?:oblast|region|province|krai|kray|state|governorate|republic)\b|^[A-Z]{2}-[A-Z0-9]{1,3}$",
    re.IGNORECASE,
)
_SIDES = {"ukraine": "ukraine", "ukrainian": "ukraine", "ua": "ukraine",
          "russia": "russia", "russian": "russia", "ru": "russia"}  # fmt: skip


@dataclass(frozen=True)
class LaunchArea:
    """A launch geometry with a name: a point, an outline or held territory (EPSG:4326)."""

    name: str
    kind: str
    geometry: BaseGeometry
    description: str = ""
    date: str | None = None

    def __post_init__(self) -> None:
        if self.geometry is None or self.geometry.is_empty:
            raise InputError(f"launch area {self.name!r} is empty")

    @cached_property  # a rerun rebuilds the scenario from the same (cached) launch areas
    def area_km2(self) -> float:
        """Geodesic area in km² (0 for a point)."""
        return geodesic.area_km2(self.geometry)

    @cached_property
    def wkb(self) -> bytes:
        """The geometry as WKB (the key of the rings drawn from this area)."""
        return bytes(shapely.to_wkb(self.geometry))

    def to_gdf(self) -> gpd.GeoDataFrame:
        """Return the area as a one-row EPSG:4326 GeoDataFrame (a copy: it may be changed)."""
        return self._frame.copy()

    @cached_property
    def _frame(self) -> gpd.GeoDataFrame:
        return gpd.GeoDataFrame(
            {
                "name": [self.name],
                "kind": [self.kind],
                "description": [self.description],
                "date": [self.date],
                "area_km2": [round(self.area_km2, 1)],
            },
            geometry=[self.geometry],
            crs="EPSG:4326",
        )


def launch_area(spec: str, *, standoff_km: float = 0.0) -> LaunchArea:
    """Return the launch area a spec names (see the module docstring for the forms).

    Parameters
    ----------
    spec
        ``lat,lon``, a place, region or country name, or ``<side>-held@<date>`` /
        ``<region>-salient@<date>``.
    standoff_km
        Keep launchers at least this far behind the line (areas only).

    Raises
    ------
    InputError
        If the spec is empty or malformed, or a standoff is asked of a point.
    NotFoundError
        If a name matches nothing.
    """
    if not isinstance(spec, str) or not spec.strip():
        raise InputError(
            "a launch area must be 'lat,lon', a place, a region or '<side>-held@<date>'"
        )
    text = spec.strip()
    area, enemy = _resolve(text)
    if standoff_km:
        if area.kind in ("point", "place") and area.geometry.geom_type == "Point":
            raise InputError(f"a standoff needs an area, but {text!r} is a point")
        shrunk = standoff(area.geometry, standoff_km=standoff_km, enemy=enemy)
        area = LaunchArea(
            f"{area.name} (≥ {standoff_km:g} km behind the line)",
            area.kind,
            shrunk,
            f"{area.description}; launchers at least {standoff_km:g} km from "
            + ("the other side's territory" if enemy is not None else "the edge"),
            area.date,
        )
    return area


#: File types accepted as launch polygons (GeoJSON read by rangemap's own JSON code,
#: GeoPackage by GDAL's GPKG driver after a header check; see :mod:`geo._files`).
POLYGON_SUFFIXES: tuple[str, ...] = GEOMETRY_SUFFIXES


def launch_area_from_file(path: str | Path, *, name: str | None = None) -> LaunchArea:
    """Return the union of the polygons in a user's file as a launch area (EPSG:4326).

    Only regular local files of at most :data:`geo._limits.GEOMETRY_MAX_BYTES` bytes, with
    at most :data:`~geo._limits.GEOMETRY_MAX_FEATURES` features and
    :data:`~geo._limits.GEOMETRY_MAX_VERTICES` vertices, are read, with the driver the file
    ending names (never GDAL VRT, ``/vsi*`` paths or URLs).

    Raises
    ------
    InputError
        For another file type, a file that is not what its ending says, over a limit, with
        coordinates that are not lon/lat, or without polygons.
    """
    p = Path(path)
    if p.suffix.lower() not in POLYGON_SUFFIXES:
        raise InputError(f"a launch polygon must be {', '.join(POLYGON_SUFFIXES)}; got {p.name!r}")
    frame = read_geometry_file(p)
    polygons = frame.geometry[frame.geom_type.isin(["Polygon", "MultiPolygon"])]
    if polygons.empty:
        raise InputError(f"{p.name} has no polygons: a launch area must be an area")
    geom = geodesic.polygonal(shapely.make_valid(shapely.union_all(polygons.to_numpy())))
    label = name or p.stem
    return LaunchArea(label, "file", geom, f"polygon from {p.name}")


def standoff(
    area: BaseGeometry, *, standoff_km: float, enemy: BaseGeometry | None = None
) -> BaseGeometry:
    """Shrink an area so every point is at least ``standoff_km`` from the line (geodesic).

    Parameters
    ----------
    area
        The launch area, EPSG:4326.
    standoff_km
        The minimum distance in km.
    enemy
        The other side's territory: the area loses everything within ``standoff_km`` of it.
        When None, the area loses everything within ``standoff_km`` of its own edge.

    Returns
    -------
    BaseGeometry
        EPSG:4326 (multi)polygon.

    Raises
    ------
    InputError
        If nothing is left.
    """
    km = geodesic.check_range_km(standoff_km, name="standoff_km")
    line = enemy if enemy is not None else area.boundary
    shrunk = geodesic.polygonal(shapely.difference(area, geodesic.buffer(line, distance_km=km)))
    if shrunk.is_empty:
        raise InputError(f"nothing of the launch area is {km:g} km or more behind the line")
    return shrunk


# --- helpers ----------------------------------------------------------------------------------


def _resolve(text: str) -> tuple[LaunchArea, BaseGeometry | None]:
    """Return the launch area for a spec, and the other side's territory when it has one."""
    if is_coordinate_text(text):
        try:
            lat, lon = parse_latlon(text)
        except InputError as exc:
            raise InputError(f"not a valid 'lat,lon' (latitude first): {exc}") from None
        return LaunchArea(text, "point", Point(lon, lat), f"the point {lat:g}, {lon:g}"), None
    if m := _HELD.match(text):
        return _held(m["side"], m["date"])
    if m := _SALIENT.match(text):
        return _salient(m["region"], m["date"])
    prefix, _, rest = text.partition(":")
    if prefix.lower() in ("country", "region", "place") and rest.strip():
        return _named(prefix.lower(), rest.strip()), None
    return _named(None, text), None


@lru_cache(maxsize=16)  # immutable results; a range edit rebuilds a scenario from the same areas
def _held(side_word: str, date: str) -> tuple[LaunchArea, BaseGeometry]:
    side = _SIDES.get(side_word.lower())
    if side is None:
        raise InputError(f"side must be ukraine or russia, got {side_word!r}")
    from geo import frontline

    other = "russia" if side == "ukraine" else "ukraine"
    own = frontline.controlled_territory(side, date)  # type: ignore[arg-type]
    enemy = frontline.controlled_territory(other, date)  # type: ignore[arg-type]
    geometry = geodesic.polygonal(shapely.union_all(own.geometry.to_numpy()))
    area = LaunchArea(
        f"{side}-held@{date}",
        "territory",
        geometry,
        f"territory held by {side.title()} on {date}",
        date,
    )
    return area, shapely.union_all(enemy.geometry.to_numpy())


def _salient(region_name: str, date: str) -> tuple[LaunchArea, BaseGeometry]:
    from geo import boundaries

    held, enemy = _held("ukraine", date)
    outline = shapely.union_all(
        boundaries.region(region_name.replace("-", " ")).geometry.to_numpy()
    )
    part = geodesic.polygonal(shapely.intersection(held.geometry, outline))
    if part.is_empty:
        raise NotFoundError(f"Ukraine held no part of {region_name!r} on {date}")
    name = f"{region_name.lower()}-salient@{date}"
    desc = f"the Ukrainian-held part of {region_name} on {date}"
    # In a salient the other side is all around: everything outside it counts as the line.
    return LaunchArea(name, "territory", part, desc, date), shapely.union(
        enemy, outline.difference(part)
    )


def _named(kind: str | None, name: str) -> LaunchArea:
    from geo import boundaries

    if kind in (None, "country"):
        try:
            row = boundaries.country(name)
            return _outline(row, "country", name)
        except NotFoundError:
            if kind == "country":
                raise
    if kind == "region" or (kind is None and _REGION_CUE.search(name)):
        return _outline(boundaries.region(name), "region", name)
    from geo.sites import find_base

    if (base := find_base(name)) is not None:  # bases, ports, military airfields
        return LaunchArea(
            base.name, "base", Point(base.lon, base.lat), f"the {base.type} {base.name}"
        )
    from geo.places import resolve

    try:
        row = resolve.geocode(name)
    except NotFoundError:
        if kind == "place":
            raise
        return _outline(boundaries.region(name), "region", name)
    if row.empty:
        raise NotFoundError(f"unknown place {name!r}")
    geom = row.to_crs(4326).geometry.iloc[0]
    label = str(row["name"].iloc[0]) if "name" in row.columns else name
    return LaunchArea(label, "place", geom, f"the place {label}")


def _outline(row: gpd.GeoDataFrame, kind: str, query: str) -> LaunchArea:
    geometry = geodesic.polygonal(shapely.union_all(row.to_crs(4326).geometry.to_numpy()))
    label = str(row["name"].iloc[0]) if "name" in row.columns else query
    return LaunchArea(label, kind, geometry, f"the {kind} {label}")
