"""One style table for every map rendering: the folium dashboard and the static maps.

Layer keys are the vocabulary shared by ``layers/`` and the scenario. Colours follow
DeepStateMap conventions where they exist (occupied red, pre-2022 occupation dark
red, Ukrainian-held blue) so the maps read like the sources analysts already know.
"""

from __future__ import annotations

from dataclasses import dataclass

from geo._limits import MAX_WEAPONS
from geo.export import KmlStyle


@dataclass(frozen=True)
class LayerStyle:
    """How one layer is drawn, on the web map and on the static map alike.

    Parameters
    ----------
    label
        Name of the overlay in the LayerControl and in the legend.
    color
        Stroke colour (hex).
    fill_color
        Fill colour (hex), or ``None`` for lines and unfilled outlines.
    fill_opacity
        Opacity of the fill, 0–1.
    weight
        Stroke width in CSS pixels (points on static maps: ``weight * 0.75``).
    dash
        Dash pattern as a Leaflet ``dashArray`` string, or ``None`` for solid.
    zorder
        Drawing order: higher is drawn on top.
    show
        Whether the overlay is visible when the map opens.
    """

    label: str
    color: str
    fill_color: str | None = None
    fill_opacity: float = 0.0
    weight: float = 1.5
    dash: str | None = None
    zorder: int = 1
    show: bool = True


STYLES: dict[str, LayerStyle] = {
    "land": LayerStyle("Land (offline basemap)", "#b9b9b9", "#f4f1ea", 1.0, 0.5, zorder=0),
    "sea": LayerStyle("Sea", "#a9c6de", "#dceaf5", 1.0, 0.0, zorder=0),
    "borders": LayerStyle("Country borders", "#6b6b6b", None, 0.0, 1.0, zorder=2),
    "regions": LayerStyle(
        "First-level regions (approximate)", "#9a9a9a", None, 0.0, 0.6, "3 3", 2, show=False
    ),
    "occupied_before_2022": LayerStyle(
        "Occupied before 24 Feb 2022", "#880e4f", "#880e4f", 0.45, 0.8, zorder=4
    ),
    "occupied_since_2022": LayerStyle(
        "Occupied since 24 Feb 2022", "#a52714", "#a52714", 0.35, 0.8, zorder=4
    ),
    "ukrainian_held_in_russia": LayerStyle(
        "Ukrainian-held in Russia (Kursk)", "#01579b", "#01579b", 0.45, 1.0, zorder=5
    ),
    "grey_zone": LayerStyle("Grey zone", "#757575", "#bdbdbd", 0.5, 0.5, zorder=4),
    "line_of_contact": LayerStyle("Line of contact", "#4a0000", None, 0.0, 2.0, zorder=6),
    "frontline_gained": LayerStyle(
        "Gained by Russia between dates", "#d32f2f", "#ef5350", 0.55, 0.8, zorder=5, show=False
    ),
    "frontline_lost": LayerStyle(
        "Lost by Russia between dates", "#1565c0", "#42a5f5", 0.55, 0.8, zorder=5, show=False
    ),
    "launch_area": LayerStyle("Launch area", "#1b5e20", "#66bb6a", 0.25, 1.5, "6 4", zorder=7),
    "places": LayerStyle("Places in the article", "#263238", "#ffca28", 0.9, 1.0, zorder=9),
    "places_demonym": LayerStyle(
        "Demonym-only mentions", "#607d8b", "#cfd8dc", 0.7, 1.0, zorder=9, show=False
    ),
    "sites_in_range": LayerStyle("Sites in range", "#b71c1c", "#ff1744", 0.9, 1.0, zorder=10),
    "sites_out_of_range": LayerStyle(
        "Sites out of range", "#37474f", "#90a4ae", 0.9, 1.0, zorder=10
    ),
}

#: Distinct colours for range rings, one per weapon system in order of appearance.
#: (Colour-blind-safe Okabe–Ito palette without the yellow that vanishes on land, ordered so
#: the first rings differ most from the frontline's reds and the Kursk blue; the vermillion
#: that resembles "occupied since 2022" comes last.)
RANGE_PALETTE: tuple[str, ...] = (
    "#cc79a7",
    "#0072b2",
    "#e69f00",
    "#009e73",
    "#000000",
    "#56b4e9",
    "#d55e00",
)

#: Dash pattern of a minimum-range (inner) ring.
MIN_RANGE_DASH = "8 6"
#: Rings are outlines with a faint fill, so stacked rings never blur into one brown area.
RANGE_FILL_OPACITY = 0.03
RANGE_WEIGHT = 2.0


#: Human names of the scenario's layer families: the sidebar's "Layers" list and the KML
#: folders use these, and each is the map's own overlay name where the map has one.
LAYER_NAMES: dict[str, str] = {
    "land": STYLES["land"].label,
    "borders": STYLES["borders"].label,
    "regions": STYLES["regions"].label,
    "frontline": "Frontline (all classes)",
    "launch_area": STYLES["launch_area"].label,
    "ranges": "Range rings (every weapon)",
    "places": STYLES["places"].label,
    "sites": "Sites (in and out of range)",
}
#: Names of the exported data layers (``Scenario.data_layers``): KML folders.
EXPORT_NAMES: dict[str, str] = {
    **LAYER_NAMES,
    "reach_clipped": "Range rings inside the counted countries",
    "frontline_change": "Frontline change between dates",
}
#: Exported layers no map draws (the rings again, cut to the counted countries): their KML
#: folders start unticked, so Google Earth opens on what the map shows.
EXPORT_HIDDEN: frozenset[str] = frozenset({"reach_clipped"})


def range_color(index: int) -> str:
    """Return the ring colour of the ``index``-th weapon system (cycles through the palette)."""
    return RANGE_PALETTE[index % len(RANGE_PALETTE)]


def style_for(key: str) -> LayerStyle:
    """Return the style of a layer key, with a message naming the known keys if it is unknown."""
    try:
        return STYLES[key]
    except KeyError:
        known = ", ".join(sorted(STYLES))
        raise KeyError(f"no style for layer {key!r}; known layers: {known}") from None


def kml_styles() -> dict[str, KmlStyle]:
    """Return the style table as plain data for :func:`geo.export.to_kml`.

    Every layer key of :data:`STYLES` (hidden at first where the map hides it), and per
    weapon colour ``range_<i>`` (an outline with the web map's faint fill) and
    ``range_<i>_min`` (the unfilled minimum-range ring; KML has no dashes), for as many
    weapons as a scenario may hold.
    """
    styles = {
        key: KmlStyle(s.label, s.color, s.weight, s.fill_color, s.fill_opacity, s.show)
        for key, s in STYLES.items()
    }
    for i in range(MAX_WEAPONS):
        color = range_color(i)
        styles[f"range_{i}"] = KmlStyle(
            f"Range ring {i + 1}", color, RANGE_WEIGHT, color, RANGE_FILL_OPACITY
        )
        styles[f"range_{i}_min"] = KmlStyle(f"Minimum range {i + 1}", color, RANGE_WEIGHT)
    return styles
