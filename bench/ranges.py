"""Benchmark the geodesic range engine against baselines, in one run.

(0) Long ranges: 5,000 km from Ukrainian-held territory (target ≤ 1 s) and from Russia
    (target ≤ 5 s), and 20,000 km (the whole Earth), our geodesic buffer vs a planar buffer in
    one AEQD projection centred on the area (fast, wrong far from its centre). Accuracy:
    every sampled boundary point's geodesic distance to the area, vs the range (±0.1 %).
(c) Country outlines at short range: 300 km from the United States (Alaska, Hawaii, the
    Aleutians across the antimeridian, many islands) and from Russia (target ≤ 2 s each), vs
    the planar AEQD baseline of (0); same ±0.1 % boundary check.
(a) The 300 km reach envelope of Ukrainian-held territory (~480,000 km²; the bundled
    frontline snapshot, or a synthetic polygon of that size if it is missing): our chunked
    AEQD buffer vs a brute-force union of geodesic circles around every boundary vertex.
    Target ≤ 1 s. Accuracy: distance from boundary points to the launch area, vs 300 km.
(b) Classifying 1,000,000 random points as in/out of range: prepared ``contains_xy`` on the
    reach geometry vs vectorised ``pyproj.Geod.inv`` vs a ``geopy.distance`` loop
    (timed on a sample, extrapolated). Target ≤ 1.5 s.

Times are CPU seconds of this process (best of a few runs), so other work on a shared
machine does not count.

    .venv/bin/python bench/ranges.py
"""

from __future__ import annotations

import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np
import shapely
from pyproj import Transformer
from shapely.geometry import Polygon
from shapely.geometry.base import BaseGeometry

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from geo import geodesic, reach

RANGE_KM = 300.0
N_POINTS = 1_000_000
GEOPY_SAMPLE = 5_000


def timed(fn: Callable[[], Any], *, repeat: int = 3) -> tuple[float, Any]:
    best, result = float("inf"), None
    for _ in range(repeat):
        start = time.process_time()
        result = fn()
        best = min(best, time.process_time() - start)
    return best, result


def launch_area() -> tuple[str, BaseGeometry]:
    try:
        from geo import frontline

        gdf = frontline.controlled_territory("ukraine", "2024-11-19")
        return "Ukrainian-held territory 2024-11-19", gdf.geometry.iloc[0]
    except Exception as exc:  # the frontline module or its data is missing: go synthetic
        print(f"(no frontline data: {exc}; using a synthetic polygon)")
    ang = np.linspace(0, 2 * np.pi, 2000, endpoint=False)
    wobble = 1 + 0.1 * np.sin(7 * ang)
    ring = np.column_stack([31.5 + 6.6 * wobble * np.cos(ang), 48.8 + 2.9 * wobble * np.sin(ang)])
    return "synthetic polygon", Polygon(ring)


def brute_force(area: BaseGeometry) -> BaseGeometry:
    xy = shapely.get_coordinates(area.boundary)
    discs = [geodesic.disc(x, y, radius_km=RANGE_KM, n_points=256) for x, y in xy]
    return shapely.union_all([area, *discs])


def boundary_error(result: BaseGeometry, area: BaseGeometry) -> tuple[float, float]:
    """Return the (min, max) relative error of boundary-point distances to the area."""
    pts = shapely.get_coordinates(shapely.segmentize(result.exterior if hasattr(result, "exterior")
                                                     else result.boundary, 0.05))  # fmt: skip
    pts = pts[:: max(1, len(pts) // 3000)]
    d = geodesic.distance_to_geometry_km(area, pts[:, 0], pts[:, 1], spacing_km=0.5)
    return float(d.min() / RANGE_KM - 1), float(d.max() / RANGE_KM - 1)


def bench_envelope() -> BaseGeometry:
    name, area = launch_area()
    print(f"(a) {RANGE_KM:g} km reach envelope of {name}: {geodesic.area_km2(area):,.0f} km², "
          f"{len(shapely.get_coordinates(area)):,} vertices")  # fmt: skip
    ours_s, ours = timed(lambda: geodesic.buffer(area, distance_km=RANGE_KM))
    brute_s, brute = timed(lambda: brute_force(area), repeat=1)
    lo, hi = boundary_error(ours, area)
    blo, bhi = boundary_error(brute, area)
    print(f"    ours         {ours_s:7.3f} s  boundary error {lo:+.4%} .. {hi:+.4%}  "
          f"area {geodesic.area_km2(ours):,.0f} km²  (target ≤ 1 s)")  # fmt: skip
    print(f"    brute force  {brute_s:7.3f} s  boundary error {blo:+.4%} .. {bhi:+.4%}  "
          f"area {geodesic.area_km2(brute):,.0f} km²")  # fmt: skip
    diff = geodesic.area_km2(ours.symmetric_difference(brute))
    print(f"    speed-up ×{brute_s / ours_s:.1f}; the two differ by {diff:,.0f} km²")
    return ours


def bench_classify(envelope: BaseGeometry) -> None:
    rng = np.random.default_rng(0)
    lon = rng.uniform(15.0, 50.0, N_POINTS)
    lat = rng.uniform(40.0, 60.0, N_POINTS)
    lon0, lat0 = 36.19, 51.73  # Kursk
    disc = geodesic.disc(lon0, lat0, radius_km=RANGE_KM)
    print(f"(b) classify {N_POINTS:,} random points (disc of {RANGE_KM:g} km at Kursk, "
          "and the envelope of (a))")  # fmt: skip
    ours_s, inside = timed(lambda: reach.in_range(disc, lon, lat))
    env_s, _ = timed(lambda: reach.in_range(envelope, lon, lat))

    def geod_inv() -> np.ndarray:
        return geodesic.distance_km(lon0, lat0, lon, lat) <= RANGE_KM

    inv_s, truth = timed(geod_inv, repeat=1)
    from geopy.distance import geodesic as geopy_geodesic

    start = time.process_time()
    for x, y in zip(lon[:GEOPY_SAMPLE], lat[:GEOPY_SAMPLE], strict=True):
        geopy_geodesic((lat0, lon0), (y, x)).km  # noqa: B018 - the work being timed
    geopy_s = (time.process_time() - start) * N_POINTS / GEOPY_SAMPLE
    agree = float(np.mean(inside == truth))
    print(f"    contains_xy (disc)      {ours_s:7.3f} s  (target ≤ 1.5 s), agrees with Geod.inv "
          f"on {agree:.5%} of points")  # fmt: skip
    print(f"    contains_xy (envelope)  {env_s:7.3f} s")
    print(f"    Geod.inv vectorised     {inv_s:7.3f} s  ×{inv_s / ours_s:.1f} slower")
    print(
        f"    geopy loop (extrap.)    {geopy_s:7.1f} s  ×{geopy_s / ours_s:.0f} slower "
        f"(timed on {GEOPY_SAMPLE:,} points)"
    )


def planar_aeqd(area: BaseGeometry, range_km: float) -> BaseGeometry:
    """Buffer in one AEQD projection centred on the area and map back (the baseline)."""
    c = area.centroid
    fwd = Transformer.from_crs(4326, f"+proj=aeqd +lat_0={c.y} +lon_0={c.x} +ellps=WGS84",
                               always_xy=True)  # fmt: skip

    def to(xy: np.ndarray) -> np.ndarray:
        return np.column_stack(fwd.transform(xy[:, 0], xy[:, 1]))

    def back(xy: np.ndarray) -> np.ndarray:
        return np.column_stack(fwd.transform(xy[:, 0], xy[:, 1], direction="INVERSE"))

    flat = shapely.transform(area, to).buffer(range_km * 1000.0, quad_segs=64)
    return shapely.make_valid(shapely.transform(shapely.segmentize(flat, 20_000.0), back))


def long_errors(result: BaseGeometry, area: BaseGeometry, range_km: float) -> tuple[float, float]:
    """Return the (min, max) relative error of sampled boundary points' distances to the area."""
    c = shapely.get_coordinates(shapely.segmentize(result.boundary, 0.5))
    keep = (np.abs(np.abs(c[:, 0]) - 180) > 1e-7) & (np.abs(np.abs(c[:, 1]) - 90) > 1e-7)
    c = c[keep][:: max(1, keep.sum() // 1500)]
    if not len(c):
        return 0.0, 0.0
    d = geodesic.distance_to_geometry_km(area, c[:, 0], c[:, 1], spacing_km=2.0)
    return float(d.min() / range_km - 1), float(d.max() / range_km - 1)


def bench_long_ranges() -> None:
    from geo import boundaries

    name, ukraine = launch_area()
    russia = boundaries.country("RU").geometry.iloc[0]
    print("(0) long ranges: geodesic buffer vs a planar buffer in one AEQD projection")
    for label, area, km, target in [
        (name, ukraine, 5000.0, "≤ 1 s"),
        ("Russia", russia, 5000.0, "≤ 5 s"),
        (name, ukraine, 20000.0, "the whole Earth"),
    ]:
        ours_s, ours = timed(lambda a=area, k=km: geodesic.buffer(a, distance_km=k), repeat=2)
        flat_s, flat = timed(lambda a=area, k=km: planar_aeqd(a, k), repeat=2)
        if geodesic.area_km2(ours) > 510e6:
            lo, hi = 0.0, 0.0  # the whole Earth: no boundary to be wrong
        else:
            lo, hi = long_errors(ours, area, km)
        flo, fhi = long_errors(flat, area, km)
        print(f"    {km:,.0f} km from {label} (target {target})")
        print(f"        geodesic    {ours_s:7.3f} s  boundary {lo:+.4%} .. {hi:+.4%}  "
              f"area {geodesic.area_km2(ours):,.0f} km²  within ±0.1 %: "
              f"{max(-lo, hi) <= 0.001}")  # fmt: skip
        print(f"        planar AEQD {flat_s:7.3f} s  boundary {flo:+.2%} .. {fhi:+.2%}  "
              f"(×{ours_s / flat_s:.1f} the time)")  # fmt: skip


def bench_countries() -> None:
    from geo import boundaries

    print(f"(c) {RANGE_KM:g} km from country outlines: geodesic buffer vs a planar AEQD buffer")
    for code in ("US", "RU"):
        area = boundaries.country(code).geometry.iloc[0]
        ours_s, ours = timed(lambda a=area: geodesic.buffer(a, distance_km=RANGE_KM), repeat=2)
        flat_s, flat = timed(lambda a=area: planar_aeqd(a, RANGE_KM), repeat=2)
        lo, hi = long_errors(ours, area, RANGE_KM)
        flo, fhi = long_errors(flat, area, RANGE_KM)
        print(f"    {code}: {len(shapely.get_parts(area))} parts, "
              f"{shapely.get_num_coordinates(area):,} vertices (target ≤ 2 s)")  # fmt: skip
        print(f"        geodesic    {ours_s:7.3f} s  boundary {lo:+.4%} .. {hi:+.4%}  "
              f"area {geodesic.area_km2(ours):,.0f} km²  within ±0.1 %: "
              f"{max(-lo, hi) <= 0.001}")  # fmt: skip
        flat_km2 = geodesic.area_km2(flat)
        print(f"        planar AEQD {flat_s:7.3f} s  boundary {flo:+.2%} .. {fhi:+.2%}  "
              f"area {flat_km2:,.0f} km²  (×{ours_s / flat_s:.1f} the time)")  # fmt: skip


def main() -> int:
    bench_countries()
    bench_long_ranges()
    envelope = bench_envelope()
    bench_classify(envelope)
    return 0


if __name__ == "__main__":
    sys.exit(main())
