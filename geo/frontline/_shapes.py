"""Few-kilometre shape operations on frontline areas (openings, growing, small parts).

They run in a Ukraine-centred azimuthal equidistant projection: within Ukraine and the
neighbouring oblasts its distance error is far below the metres that matter at this scale,
and nothing here is a long-distance buffer (those are geodesic, see :mod:`geo.geodesic`).
"""

from __future__ import annotations

import geopandas as gpd
import shapely
from shapely.geometry.base import BaseGeometry

__all__ = ["grown", "near_main_body", "opened", "with_internal_waters", "without_scraps"]

#: The Ukraine-centred azimuthal equidistant projection.
_LOCAL = "+proj=aeqd +lat_0=48.5 +lon_0=32 +datum=WGS84 +units=m"


def opened(geom: BaseGeometry, *, km: float) -> BaseGeometry:
    """Remove the parts of an area narrower than ``2 * km`` (shrink, then grow back)."""
    local = _to_local(geom)
    return _from_local(local.buffer(-km * 1000).buffer(km * 1000))


def grown(geom: BaseGeometry, *, km: float) -> BaseGeometry:
    """Return an area grown by ``km`` (local projection, see :data:`_LOCAL`)."""
    return _from_local(_to_local(geom).buffer(km * 1000))


def with_internal_waters(geom: BaseGeometry, *, strait_km: float) -> BaseGeometry:
    """Return a land outline with its internal waters: lagoons behind straits under ``strait_km``.

    A territory's sea coast runs across the mouth of a lagoon or liman that a spit all but
    closes (the Syvash behind the Henichesk strait, the Berezan liman): the water behind it
    is internal water, part of the territory. The outline is closed (grown, then shrunk back)
    by half the strait width, so such mouths close, and the holes that closes are filled;
    wider bays and estuaries stay sea.

    Parameters
    ----------
    geom
        A land outline, EPSG:4326.
    strait_km
        Widest strait that closes a lagoon off.

    Returns
    -------
    shapely.Geometry
        The outline with the lagoons it encloses, EPSG:4326 (never smaller than ``geom``).
    """
    half = strait_km * 1000 / 2
    local = _to_local(geom).buffer(half, quad_segs=4).buffer(-half, quad_segs=4)
    shells = [shapely.Polygon(p.exterior) for p in shapely.get_parts(local) if not p.is_empty]
    return shapely.union(_from_local(shapely.union_all(shells)), geom)


def _to_local(geom: BaseGeometry) -> BaseGeometry:
    """Project an EPSG:4326 geometry to :data:`_LOCAL`."""
    return gpd.GeoSeries([geom], crs="EPSG:4326").to_crs(_LOCAL).iloc[0]


def _from_local(geom: BaseGeometry) -> BaseGeometry:
    """Project a :data:`_LOCAL` geometry back to EPSG:4326."""
    return gpd.GeoSeries([geom], crs=_LOCAL).to_crs("EPSG:4326").iloc[0]


def without_scraps(geom: BaseGeometry, *, min_km2: float, min_width_km: float) -> BaseGeometry:
    """Drop the strips narrower than ``min_width_km`` and the parts smaller than ``min_km2``.

    Parameters
    ----------
    geom
        An area, EPSG:4326.
    min_km2
        Smallest part kept (geodesic area).
    min_width_km
        Narrowest strip kept.

    Returns
    -------
    shapely.Geometry
        The area without its slivers and scraps, EPSG:4326.
    """
    from geo.geodesic import area_km2

    if geom.is_empty:
        return geom
    thick = shapely.intersection(opened(geom, km=min_width_km / 2), geom)
    parts = [
        p for p in shapely.get_parts(thick) if p.geom_type == "Polygon" and area_km2(p) >= min_km2
    ]
    return shapely.union_all(parts) if parts else shapely.Polygon()


def near_main_body(geom: BaseGeometry, *, max_gap_km: float) -> BaseGeometry:
    """Keep the largest part of an area and the parts within ``max_gap_km`` of it (EPSG:4326)."""
    parts = [p for p in shapely.get_parts(geom) if p.geom_type == "Polygon"]
    if len(parts) < 2:
        return geom
    main = max(parts, key=lambda p: p.area)
    reach = grown(main, km=max_gap_km)
    return shapely.union_all([p for p in parts if p is main or reach.intersects(p)])
