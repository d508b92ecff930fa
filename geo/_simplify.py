"""A polygon's outline simplified as a line, read off the polygon's own simplification.

:func:`geo.geodesic.buffer` simplifies a large launch polygon twice at the same tolerance:
as a polygon (its interior) and its outline as a line (the chunks buffered along it). Both
are GEOS's topology-preserving Douglas–Peucker (JTS ``TaggedLineStringSimplifier``), on the
same segments. For a polygon without holes the two runs make the same decisions but in two
places:

- the minimum size guard: a ring keeps at least 4 points, so the sections of depth 1 and 2
  (the whole ring, and its two halves split at the point farthest from the start) may not
  be flattened into one segment where a line's (minimum 2) may;
- the ring's end point: a ring's start vertex may be removed after the sections
  (``simplifyRingEndpoint``); a line keeps both ends.

:func:`outline_as_line` returns the polygon's simplified outline as the line's result when
neither can have happened: every section of depth 1 and 2 is farther than twice the
tolerance from its chord (so neither run flattens it), and the simplified ring still starts
at the original start vertex, found nowhere else on the ring. Otherwise it returns None and
the caller simplifies the line itself. ``tests/test_rerun_caches.py`` checks the result
against GEOS's line simplification.
"""

from __future__ import annotations

import numpy as np
import shapely
from numpy.typing import NDArray
from shapely.geometry import LineString, Polygon
from shapely.geometry.base import BaseGeometry

__all__ = ["outline_as_line"]


def outline_as_line(
    polygon: Polygon, simplified: BaseGeometry, tolerance: float
) -> LineString | None:
    """Return ``LineString(polygon.exterior).simplify(tolerance)`` when ``simplified`` shows it.

    Parameters
    ----------
    polygon
        A polygon without holes.
    simplified
        ``polygon.simplify(tolerance)`` (topology preserved).
    tolerance
        The simplification tolerance, in the polygon's units.

    Returns
    -------
    shapely.LineString or None
        The outline's line simplification, or None when it may differ from the polygon's.
    """
    if polygon.interiors or not isinstance(simplified, Polygon) or simplified.interiors:
        return None
    pts = shapely.get_coordinates(polygon.exterior)
    kept = shapely.get_coordinates(simplified.exterior)
    if len(pts) < 8 or len(kept) < 5 or not np.array_equal(kept[0], pts[0]):
        return None
    if np.count_nonzero(np.all(pts == pts[0], axis=1)) != 2:  # the start vertex is unique
        return None
    if not _halves_stay_far(pts, 2.0 * tolerance):
        return None
    return LineString(kept)


def _halves_stay_far(pts: NDArray, limit: float) -> bool:
    """Return whether no section of depth 1 or 2 of a closed ring lies within ``limit``.

    Depth 1 is the whole ring (its chord is the start point); depth 2 its two halves, split
    at the vertex farthest from the start (every near tie is tried).
    """
    from_start = np.hypot(pts[:, 0] - pts[0, 0], pts[:, 1] - pts[0, 1])
    farthest = float(from_start.max())
    if not farthest > limit:
        return False
    last = len(pts) - 1
    for split in np.flatnonzero(from_start >= farthest * (1.0 - 1e-9)):
        for first, end in ((0, int(split)), (int(split), last)):
            if end - first > 1 and not _section_distance(pts, first, end) > limit:
                return False
    return True


def _section_distance(pts: NDArray, first: int, end: int) -> float:
    """Return the largest distance of the vertices strictly between two from their chord."""
    a, b = pts[first], pts[end]
    inner = pts[first + 1 : end]
    ab = b - a
    length2 = float(ab @ ab)
    if length2 == 0.0:
        d = np.hypot(inner[:, 0] - a[0], inner[:, 1] - a[1])
    else:
        t = np.clip(((inner - a) @ ab) / length2, 0.0, 1.0)
        foot = a + t[:, None] * ab
        d = np.hypot(inner[:, 0] - foot[:, 0], inner[:, 1] - foot[:, 1])
    return float(d.max())
