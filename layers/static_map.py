"""Layers → matplotlib figure → PNG/SVG/PDF: publication-quality static maps.

The figure is drawn with matplotlib's object-oriented API on an Agg canvas (no pyplot; the
few rcParams it needs are set under a lock, so Streamlit's threads can render at once) in
a Lambert azimuthal equal-area projection centred on the scene (:mod:`layers.projection`).
Every layer is styled from the one style table shared with the web map (:mod:`layers.style`);
``visible`` takes the same keys as the dashboard's layer control.

Layer inputs are GeoDataFrames in any CRS (converted at this boundary), keyed by:
``borders`` (countries: the offline basemap's land, sea and borders), ``regions``, one key per
frontline class (or ``frontline`` with a ``class`` column), ``launch_area``, ``ranges``,
``places``, ``sites``, or any other key of :data:`layers.style.STYLES`.
"""

from __future__ import annotations

import io
import os
import textwrap
import threading
from collections.abc import Collection, Mapping
from dataclasses import dataclass
from typing import IO, TYPE_CHECKING, Literal

import geopandas as gpd
import numpy as np
from matplotlib import rc_context
from matplotlib.artist import Artist
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from pyproj import CRS

from geo._errors import InputError
from layers import _static_layers as draw
from layers._static_canvas import FRONTLINE, FRONTLINE_CLASSES, RANGES, MapCanvas
from layers._static_labels import place_labels
from layers._static_parts import NorthArrow, ScaleBar, draw_graticule, draw_north_arrow
from layers._static_parts import draw_scale_bar as _draw_scale_bar
from layers.projection import Extent, Frame, extent_centre, make_scene, validate_extent
from layers.style import STYLES

if TYPE_CHECKING:
    from geo.scenario import Scenario

ImageFormat = Literal["png", "svg", "pdf"]
FORMATS: tuple[str, ...] = ("png", "svg", "pdf")
#: Margins around the map axes, in inches: left, right, bottom, top.
MARGINS_IN = (0.5, 0.45, 0.85, 0.9)
ATTRIBUTION_FONTSIZE = 6.5
MAX_DPI = 1200
#: rc parameters in force while rendering and saving: literal text, searchable vector text.
RC: dict[str, object] = {
    "text.usetex": False,
    "font.family": "DejaVu Sans",
    "svg.fonttype": "none",
    "svg.hashsalt": "rangemap",
    "pdf.fonttype": 42,
    "path.simplify": True,
}
#: rcParams are process-wide: renders and saves hold this lock while they are overridden.
_RC_LOCK = threading.RLock()


@dataclass(frozen=True)
class MapInfo:
    """How a static map was drawn (for tests, captions and the command line).

    Parameters
    ----------
    crs
        The map's projection.
    extent
        ``(west, south, east, north)`` in degrees asked for (the frame contains it).
    frame
        Map bounds in metres of ``crs``.
    scale_bar, north_arrow
        The drawn scale bar and north arrow.
    graticule_step_deg
        Spacing of the graticule.
    labels
        Text of every placed label, in placement order.
    legend
        Text of every legend entry, in order.
    notes
        Notes added to the attribution line (e.g. the web-tile fallback).
    """

    crs: CRS
    extent: Extent
    frame: Frame
    scale_bar: ScaleBar
    north_arrow: NorthArrow
    graticule_step_deg: float
    labels: tuple[str, ...]
    legend: tuple[str, ...]
    notes: tuple[str, ...]


class MapFigure(Figure):
    """A matplotlib figure holding a static map; :attr:`info` tells how it was drawn."""

    info: MapInfo


def default_visible() -> frozenset[str]:
    """Return the layer keys shown when ``visible`` is not given (each style's ``show``)."""
    return frozenset({key for key, style in STYLES.items() if style.show} | {RANGES})


def render(
    layers: Mapping[str, gpd.GeoDataFrame],
    *,
    title: str,
    date: str | None,
    attribution: str,
    extent: Extent | None = None,
    visible: Collection[str] | None = None,
    tiles: bool = False,
    dpi: int = 300,
    size_in: tuple[float, float] = (10.0, 8.0),
) -> MapFigure:
    """Draw layers as a static map and return the figure (Agg canvas, no pyplot state).

    Parameters
    ----------
    layers
        GeoDataFrames keyed by layer (see the module docstring); converted to the map's
        projection here after clipping in EPSG:4326.
    title
        Title printed above the map (drawn literally: ``$`` and ``_`` are not markup).
    date
        Snapshot date printed under the title, or ``None``.
    attribution
        Sources and licences printed under the map; basemap notes are appended.
    extent
        ``(west, south, east, north)`` in degrees; by default the ranges, launch areas and
        frontline (else sites and places) with a margin.
    visible
        Layer keys to show (``STYLES`` keys plus ``"ranges"``); default :func:`default_visible`.
    tiles
        Draw web tiles (``contextily``) under the data; without a network the offline
        basemap is drawn and the attribution says so.
    dpi
        Resolution of the canvas and of PNG output.
    size_in
        Figure size in inches ``(width, height)``.

    Returns
    -------
    MapFigure
        The figure, with :attr:`MapFigure.info` describing the projection, scale bar and labels.
    """
    shown = _visible_keys(visible)
    width_in, height_in = _validate_size(size_in, dpi)
    fig = MapFigure(figsize=(width_in, height_in), dpi=dpi)
    FigureCanvasAgg(fig)
    with _RC_LOCK, rc_context(RC):  # type: ignore[arg-type]
        rect = _axes_rect(width_in, height_in)
        ax = fig.add_axes(rect)
        aspect = (rect[2] * width_in) / (rect[3] * height_in)
        chosen = (
            validate_extent(extent) if extent is not None else draw.default_extent(layers, shown)
        )
        scene = make_scene(chosen, aspect=aspect)
        canvas = MapCanvas(ax=ax, scene=scene, shown=shown)
        canvas.setup_axes()
        draw.draw_layers(canvas, layers, tiles=tiles)
        step = draw_graticule(ax, scene)
        scale_bar = _draw_scale_bar(ax, scene)
        north_arrow = draw_north_arrow(ax, scene)
        renderer = fig.canvas.get_renderer()  # type: ignore[attr-defined]
        furniture: list[Artist] = [*scale_bar.artists, *north_arrow.artists]
        legend = canvas.draw_legend(
            avoid=[a.get_window_extent(renderer).padded(3.0) for a in furniture]
        )
        if legend is not None:
            furniture.append(legend)
        obstacles = [a.get_window_extent(renderer).padded(3.0) for a in furniture]
        obstacles.extend(canvas.marker_boxes())
        placed = place_labels(ax, canvas.labels, renderer=renderer, obstacles=obstacles)
        _draw_titles(fig, title=title, date=date, rect=rect)
        centre = extent_centre(chosen)
        _draw_attribution(fig, attribution, notes=canvas.notes, centre=centre, rect=rect)
    fig.info = MapInfo(
        crs=scene.crs,
        extent=chosen,
        frame=scene.frame,
        scale_bar=scale_bar,
        north_arrow=north_arrow,
        graticule_step_deg=step,
        labels=tuple(str(t.get_text()) for t in placed),
        legend=tuple(label for _, label in canvas.legend_entries()),
        notes=tuple(canvas.notes),
    )
    return fig


def render_scenario(
    scenario: Scenario,
    *,
    visible: Collection[str] | None = None,
    dpi: int = 300,
    size_in: tuple[float, float] = (10.0, 8.0),
) -> MapFigure:
    """Draw a scenario's layers with its title, date and attribution (see :func:`render`).

    ``visible`` defaults to the layers the scenario names, else each style's default.
    """
    shown = _visible_keys(visible if visible is not None else scenario.spec.layers)
    drawn = {_SCENARIO_LAYER.get(key, key) for key in shown}
    return render(
        scenario.layers(),
        title=scenario.spec.title,
        date=scenario.spec.date,
        attribution=scenario.attribution_of(drawn),  # credit only what the map draws
        visible=shown,
        dpi=dpi,
        size_in=size_in,
    )


def save(
    fig: Figure, path_or_buffer: str | os.PathLike[str] | IO[bytes], *, format: ImageFormat
) -> None:
    """Write a map as PNG (at the figure's dpi), SVG (text kept as text) or one-page PDF.

    Parameters
    ----------
    fig
        A figure from :func:`render`.
    path_or_buffer
        File path or binary buffer to write to.
    format
        ``'png'``, ``'svg'`` or ``'pdf'``.
    """
    if format not in FORMATS:
        raise InputError(f"format must be one of {', '.join(FORMATS)}, got {format!r}")
    metadata: dict[str, str | None] = {
        "png": {"Software": "rangemap"},
        "svg": {"Date": None, "Creator": "rangemap"},
        "pdf": {"CreationDate": None, "Creator": "rangemap"},
    }[format]  # type: ignore[assignment]
    with _RC_LOCK, rc_context(RC):  # type: ignore[arg-type]
        fig.savefig(path_or_buffer, format=format, dpi=fig.dpi, metadata=metadata)


def to_bytes(fig: Figure, fmt: ImageFormat) -> bytes:
    """Return a map encoded as ``fmt`` (``'png'``, ``'svg'`` or ``'pdf'``), e.g. for downloads."""
    buffer = io.BytesIO()
    save(fig, buffer, format=fmt)
    return buffer.getvalue()


#: Style keys drawn from one scenario layer (see ``Scenario.layers``): its classes and kinds.
_SCENARIO_LAYER = {
    **dict.fromkeys(FRONTLINE_CLASSES, FRONTLINE),
    "places_demonym": "places",
    "sites_in_range": "sites",
    "sites_out_of_range": "sites",
}


def _visible_keys(visible: Collection[str] | None) -> frozenset[str]:
    if visible is None:
        return default_visible()
    if isinstance(visible, str):
        raise InputError(f"visible must be a collection of layer keys, not the string {visible!r}")
    known = set(STYLES) | {RANGES}
    unknown = sorted(set(visible) - known)
    if unknown:
        names, options = ", ".join(unknown), ", ".join(sorted(known))
        raise InputError(f"unknown layer key(s) in visible: {names}; known: {options}")
    return frozenset(visible)


def _validate_size(size_in: tuple[float, float], dpi: int) -> tuple[float, float]:
    if not 10 <= dpi <= MAX_DPI:
        raise InputError(f"dpi must be between 10 and {MAX_DPI}, got {dpi}")
    if len(size_in) != 2 or not all(np.isfinite(v) and 3.0 <= v <= 40.0 for v in size_in):
        raise InputError(f"size_in must be (width, height) in inches, each 3–40, got {size_in}")
    return float(size_in[0]), float(size_in[1])


def _axes_rect(width_in: float, height_in: float) -> tuple[float, float, float, float]:
    left, right, bottom, top = MARGINS_IN
    return (
        left / width_in,
        bottom / height_in,
        1.0 - (left + right) / width_in,
        1.0 - (bottom + top) / height_in,
    )


def _draw_titles(
    fig: Figure, *, title: str, date: str | None, rect: tuple[float, float, float, float]
) -> None:
    height_in = fig.get_figheight()
    fig.text(rect[0], 1.0 - 0.1 / height_in, title, fontsize=13, fontweight="bold",
             ha="left", va="top", parse_math=False, gid="map-title")  # fmt: skip
    if date:
        fig.text(rect[0], 1.0 - 0.38 / height_in, f"Situation as of {date}", fontsize=9,
                 color="#333333", va="top", parse_math=False, gid="map-date")  # fmt: skip


def _draw_attribution(
    fig: Figure,
    attribution: str,
    *,
    notes: list[str],
    centre: tuple[float, float],
    rect: tuple[float, float, float, float],
) -> None:
    lon_0, lat_0 = centre
    projection = (
        "Projection: Lambert azimuthal equal-area centred on "
        f"{_deg(lat_0, 'N', 'S')} {_deg(lon_0, 'E', 'W')}"
    )
    parts = [p.strip() for p in (attribution, *notes, projection) if p and p.strip()]
    width_pt = rect[2] * fig.get_figwidth() * 72.0
    chars = max(40, int(width_pt / (ATTRIBUTION_FONTSIZE * 0.56)))
    text = textwrap.fill(" · ".join(parts), width=chars, max_lines=4, placeholder=" …")
    fig.text(rect[0], 0.08 / fig.get_figheight(), text, fontsize=ATTRIBUTION_FONTSIZE,
             color="#333333", ha="left", va="bottom", parse_math=False, gid="attribution",
             linespacing=1.25)  # fmt: skip


def _deg(value: float, positive: str, negative: str) -> str:
    return f"{abs(float(value)):.1f}°{positive if float(value) >= 0 else negative}"


__all__ = ["FORMATS", "MapFigure", "MapInfo", "default_visible", "render", "save", "to_bytes"]
