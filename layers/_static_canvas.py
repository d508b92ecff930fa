"""The canvas of a static map: axes, scene, and what drawing has collected so far.

Drawing functions add legend entries, label candidates, markers and notes here; the
renderer then draws the legend, places the labels around the markers and writes the notes
into the attribution line.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Literal

import geopandas as gpd
import numpy as np
import pandas as pd
from matplotlib.artist import Artist
from matplotlib.axes import Axes
from matplotlib.legend import Legend
from matplotlib.transforms import Bbox

from geo._errors import InputError
from layers._static_labels import LabelSpec
from layers._static_parts import PX_TO_PT, legend_handle
from layers.projection import Scene
from layers.style import style_for

RANGES = "ranges"
FRONTLINE = "frontline"
FRONTLINE_CLASSES = (
    "occupied_before_2022",
    "occupied_since_2022",
    "ukrainian_held_in_russia",
    "grey_zone",
    "line_of_contact",
    "frontline_gained",
    "frontline_lost",
)
#: Order of the legend's groups (a group is a style key, or ``ranges``).
Corner = Literal["lower right", "upper left", "upper right", "lower left"]
#: Where the legend may go, in order of preference when corners hide as much.
LEGEND_CORNERS: tuple[Corner, ...] = (
    "lower right",
    "upper left",
    "upper right",
    "lower left",
)
LEGEND_ORDER = (
    *FRONTLINE_CLASSES,
    "launch_area",
    RANGES,
    "sites_in_range",
    "sites_out_of_range",
    "places",
    "places_demonym",
    "borders",
    "regions",
)
PLACE_MARKER_PT = 4.5
#: Drawing orders of data outlines a legend should not hide: above borders, below labels.
DATA_ZORDERS = (3.0, 20.0)
#: Score of hiding a whole outline under the legend (one marker or label scores 1).
OUTLINE_WEIGHT = 10.0


@dataclass
class MapCanvas:
    """The axes being drawn on and what has been collected for the legend and labels.

    Parameters
    ----------
    ax
        Map axes; data coordinates are metres of ``scene.crs``.
    scene
        Projection, frame and clip window.
    shown
        Visible layer keys.
    labels
        Label candidates, placed at the end by priority.
    notes
        Notes for the attribution line.
    legend
        Legend entries by group key.
    markers
        Drawn markers ``(x, y, size in points)``, kept free of labels.
    """

    ax: Axes
    scene: Scene
    shown: frozenset[str]
    labels: list[LabelSpec] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    legend: dict[str, list[tuple[Artist, str]]] = field(default_factory=dict)
    markers: list[tuple[float, float, float]] = field(default_factory=list)

    def setup_axes(self) -> None:
        """Set the frame as the axes limits (equal scale: the frame matches the axes' aspect)."""
        xmin, ymin, xmax, ymax = self.scene.frame
        self.ax.set_xlim(xmin, xmax)
        self.ax.set_ylim(ymin, ymax)
        self.ax.set_aspect("auto")
        self.ax.set_facecolor("white")
        for spine in self.ax.spines.values():
            spine.set_linewidth(0.8)
            spine.set_zorder(40)

    def add_legend(self, group: str, handle: Artist, label: str) -> None:
        """Add a legend entry under a group key of :data:`LEGEND_ORDER` (duplicates ignored)."""
        entries = self.legend.setdefault(group, [])
        if all(label != existing for _, existing in entries):
            entries.append((handle, label))

    def legend_entries(self) -> list[tuple[Artist, str]]:
        """Return the legend entries in the order of :data:`LEGEND_ORDER`."""
        rank = {key: i for i, key in enumerate(LEGEND_ORDER)}
        groups = sorted(self.legend, key=lambda k: rank.get(k, len(rank)))
        return [entry for group in groups for entry in self.legend[group]]

    def draw_legend(self, *, avoid: Sequence[Bbox] = ()) -> Legend | None:
        """Draw the legend in the corner where it hides the least, or nothing when empty.

        Each corner is scored by the markers and label anchors the legend would cover, and
        by its overlap with ``avoid`` (display boxes of the scale bar and north arrow); ties
        keep the lower right.
        """
        entries = self.legend_entries()
        if not entries:
            return None
        best: tuple[float, Corner] | None = None
        for loc in LEGEND_CORNERS:
            legend = self._legend(entries, loc)
            score = self._covered(legend, avoid)
            legend.remove()
            if best is None or score < best[0]:
                best = (score, loc)
        assert best is not None
        return self._legend(entries, best[1])

    def _legend(self, entries: list[tuple[Artist, str]], loc: Corner) -> Legend:
        legend = self.ax.legend(
            [h for h, _ in entries], [label for _, label in entries], loc=loc,
            fontsize=7, frameon=True, framealpha=0.92, edgecolor="#8a8a8a", fancybox=False,
            borderpad=0.6, labelspacing=0.45, handlelength=2.4,
        )  # fmt: skip
        legend.set_zorder(30)
        for text in legend.get_texts():
            text.set_parse_math(False)
        return legend

    def _covered(self, legend: Legend, avoid: Sequence[Bbox]) -> float:
        """Return how much a placed legend hides: markers and labels, plus furniture (×100)."""
        renderer = self.ax.figure.canvas.get_renderer()  # type: ignore[attr-defined]
        box = legend.get_window_extent(renderer)
        points = [(x, y) for x, y, _ in self.markers] + [(s.x, s.y) for s in self.labels]
        hidden = 0.0
        if points:
            xy = self.ax.transData.transform(np.asarray(points, dtype=float))
            inside = (
                (xy[:, 0] >= box.x0) & (xy[:, 0] <= box.x1)
                & (xy[:, 1] >= box.y0) & (xy[:, 1] <= box.y1)
            )  # fmt: skip
            hidden += float(inside.sum())
        for other in avoid:
            if box.overlaps(other):
                hidden += 100.0
        return hidden + OUTLINE_WEIGHT * self._outlines_hidden(box)

    def _outlines_hidden(self, box: Bbox) -> float:
        """Return the shares of each data outline's vertices (rings, frontline...) under ``box``."""
        share = 0.0
        for patch in self.ax.patches:
            if not DATA_ZORDERS[0] <= patch.get_zorder() < DATA_ZORDERS[1]:
                continue  # the basemap, borders and regions are not data
            xy = patch.get_transform().transform(patch.get_path().vertices)
            if len(xy):
                inside = (
                    (xy[:, 0] >= box.x0) & (xy[:, 0] <= box.x1)
                    & (xy[:, 1] >= box.y0) & (xy[:, 1] <= box.y1)
                )  # fmt: skip
                share += float(inside.mean())
        return share

    def draw_markers(
        self,
        key: str,
        xs: np.ndarray,
        ys: np.ndarray,
        *,
        marker: str = "o",
        size: float = PLACE_MARKER_PT,
    ) -> None:
        """Draw point markers in a layer's style, add its legend entry, keep labels off them."""
        style = style_for(key)
        self.ax.plot(
            xs, ys, linestyle="none", marker=marker, markersize=size,
            markerfacecolor=style.fill_color or style.color, markeredgecolor=style.color,
            markeredgewidth=style.weight * PX_TO_PT, zorder=style.zorder,
        )  # fmt: skip
        self.markers.extend((float(x), float(y), size) for x, y in zip(xs, ys, strict=True))
        self.add_legend(key, legend_handle(style, kind="point", marker=marker), style.label)

    def marker_boxes(self) -> list[Bbox]:
        """Return the display boxes of the drawn markers."""
        if not self.markers:
            return []
        xy = self.ax.transData.transform(np.array([(x, y) for x, y, _ in self.markers]))
        scale = self.ax.figure.dpi / 72.0 / 2.0
        return [
            Bbox.from_extents(px - s * scale, py - s * scale, px + s * scale, py + s * scale)
            for (px, py), (_, _, s) in zip(xy, self.markers, strict=True)
        ]


def require(gdf: gpd.GeoDataFrame, key: str, columns: tuple[str, ...]) -> None:
    """Raise an error naming the columns a layer lacks, or its missing CRS."""
    missing = [c for c in columns if c not in gdf.columns]
    if missing:
        raise InputError(f"layer {key!r} lacks column(s) {', '.join(missing)}")
    if gdf.crs is None:
        raise InputError(f"layer {key!r} has no CRS: set it (EPSG:4326)")


def bool_column(gdf: gpd.GeoDataFrame, column: str) -> pd.Series:
    """Return a boolean column, all ``False`` when absent (nulls count as ``False``)."""
    if column not in gdf.columns:
        return pd.Series(False, index=gdf.index)
    return gdf[column].fillna(False).astype(bool)


def text_column(gdf: gpd.GeoDataFrame, column: str, default: str) -> pd.Series:
    """Return a lower-case text column, ``default`` when absent or null."""
    if column not in gdf.columns:
        return pd.Series(default, index=gdf.index)
    return gdf[column].fillna(default).astype(str).str.lower()
