"""Labels that don't pile up: place them by priority, skip one that would overlap another.

Each candidate label is tried at a few positions around its anchor; a position is accepted
when the label's bounding box, measured by the renderer in display pixels, lies inside the
map and overlaps neither an already placed label nor an obstacle (legend, scale bar, north
arrow, markers). A label that fits nowhere is dropped; its marker stays.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Literal

from matplotlib.axes import Axes
from matplotlib.backend_bases import RendererBase
from matplotlib.patheffects import Stroke
from matplotlib.text import Annotation, Text
from matplotlib.transforms import Bbox

#: Priority ranks, lower first: countries, capitals, regions, sites in range, cities, the rest.
RANK_COUNTRY = 0
RANK_CAPITAL = 1
RANK_REGION = 2
RANK_SITE_IN_RANGE = 3
RANK_RING = 4
RANK_CITY = 5
RANK_OTHER = 6
RANK_SITE_OUT_OF_RANGE = 7

LABEL_GID = "place-label"
HALO_GID = "place-label-halo"
LABEL_Z = 20.0
#: Pixels of clearance kept around every label box.
PAD_PX = 1.5
#: Offsets (points) and alignments tried around a point anchor, best first.
HAlign = Literal["left", "center", "right"]
VAlign = Literal["bottom", "center", "top"]
Position = tuple[float, float, HAlign, VAlign]
POINT_POSITIONS: tuple[Position, ...] = (
    (5.0, 0.0, "left", "center"),
    (4.0, 4.0, "left", "bottom"),
    (4.0, -4.0, "left", "top"),
    (-5.0, 0.0, "right", "center"),
    (0.0, 5.0, "center", "bottom"),
    (0.0, -5.0, "center", "top"),
    (-4.0, 4.0, "right", "bottom"),
    (-4.0, -4.0, "right", "top"),
)
AREA_POSITIONS: tuple[Position, ...] = (
    (0.0, 0.0, "center", "center"),
    (0.0, 9.0, "center", "center"),
    (0.0, -9.0, "center", "center"),
    (0.0, 18.0, "center", "center"),
    (0.0, -18.0, "center", "center"),
    (24.0, 0.0, "center", "center"),
    (-24.0, 0.0, "center", "center"),
)


@dataclass(frozen=True)
class LabelSpec:
    """One label to place.

    Parameters
    ----------
    text
        The label, drawn literally (no mathtext: ``$`` and ``_`` stay as typed).
    x, y
        Anchor in the axes' data coordinates (projected metres).
    rank
        Priority rank (``RANK_*``): lower ranks are placed first.
    weight
        Tie-break within a rank: larger first (population for cities).
    area
        ``True`` for an area name centred on its anchor (no marker), ``False`` for a point.
    fontsize, color, fontstyle, fontweight
        Typography of the label.
    """

    text: str
    x: float
    y: float
    rank: int
    weight: float = 0.0
    area: bool = False
    fontsize: float = 7.0
    color: str = "#1a1a1a"
    fontstyle: str = "normal"
    fontweight: str = "normal"


def place_labels(
    ax: Axes,
    specs: Iterable[LabelSpec],
    *,
    renderer: RendererBase,
    obstacles: Sequence[Bbox] = (),
) -> list[Annotation]:
    """Place labels by priority without overlaps; return the placed text artists.

    Parameters
    ----------
    ax
        Map axes with final limits (the label boxes are measured in its display space).
    specs
        Candidate labels, in any order; duplicates (same text, case-insensitive) are dropped.
    renderer
        The renderer of the figure's canvas, for exact text extents.
    obstacles
        Display-space boxes labels must not cover.
    """
    frame = ax.get_window_extent(renderer)
    taken: list[Bbox] = list(obstacles)
    placed: list[Annotation] = []
    seen: set[str] = set()
    for spec in sorted(specs, key=lambda s: (s.rank, -s.weight)):
        key = spec.text.casefold()
        if key in seen or not spec.text.strip() or not _anchor_inside(ax, spec, frame):
            continue
        text = _make_text(ax, spec)
        box = _first_free_position(text, spec, renderer=renderer, frame=frame, taken=taken)
        if box is None:
            text.remove()
            continue
        seen.add(key)
        taken.append(box)
        placed.append(text)
        _add_halo(ax, text)
    return placed


def overlaps(a: Bbox, b: Bbox) -> bool:
    """Return whether two display boxes overlap (touching edges do not count)."""
    return a.x0 < b.x1 and b.x0 < a.x1 and a.y0 < b.y1 and b.y0 < a.y1


def area_label(name: str, x: float, y: float, *, country: bool, weight: float) -> LabelSpec:
    """Return the label of a country (capitals, grey) or a region (italic) centred on a point."""
    if country:
        return LabelSpec(name.upper(), x, y, RANK_COUNTRY, weight, area=True, fontsize=8.5,
                         color="#5c5c5c")  # fmt: skip
    return LabelSpec(name, x, y, RANK_REGION, weight, area=True, fontsize=7.0, color="#4a4a4a",
                     fontstyle="italic")  # fmt: skip


def _make_text(ax: Axes, spec: LabelSpec) -> Annotation:
    text = ax.annotate(
        spec.text,
        xy=(spec.x, spec.y),
        xytext=(0.0, 0.0),
        textcoords="offset points",
        fontsize=spec.fontsize,
        color=spec.color,
        fontstyle=spec.fontstyle,
        fontweight=spec.fontweight,
        zorder=LABEL_Z,
        annotation_clip=False,
        parse_math=False,
    )
    text.set_gid(LABEL_GID)
    return text


def _add_halo(ax: Axes, text: Annotation) -> None:
    """Put a white outline under a label, as a separate artist.

    The label itself stays a plain text artist, so SVG and PDF keep it as searchable text
    (path effects would turn it into outlines).
    """
    halo = ax.annotate(
        text.get_text(),
        xy=text.xy,
        xytext=text.get_position(),
        textcoords="offset points",
        fontproperties=text.get_fontproperties(),
        color="white",
        ha=text.get_horizontalalignment(),
        va=text.get_verticalalignment(),
        zorder=LABEL_Z - 0.1,
        annotation_clip=False,
        parse_math=False,
    )
    halo.set_gid(HALO_GID)
    halo.set_path_effects([Stroke(linewidth=2.2, foreground="white", alpha=0.85)])


def _first_free_position(
    text: Text, spec: LabelSpec, *, renderer: RendererBase, frame: Bbox, taken: list[Bbox]
) -> Bbox | None:
    for dx, dy, ha, va in AREA_POSITIONS if spec.area else POINT_POSITIONS:
        text.set_position((dx, dy))
        text.set_horizontalalignment(ha)
        text.set_verticalalignment(va)
        box = text.get_window_extent(renderer).padded(PAD_PX)
        inside = frame.x0 <= box.x0 and box.x1 <= frame.x1 and frame.y0 <= box.y0
        if inside and box.y1 <= frame.y1 and not any(overlaps(box, other) for other in taken):
            return box
    return None


def _anchor_inside(ax: Axes, spec: LabelSpec, frame: Bbox) -> bool:
    px, py = ax.transData.transform((spec.x, spec.y))
    return bool(frame.x0 <= px <= frame.x1 and frame.y0 <= py <= frame.y1)
