"""The map legend: one entry per layer present, drawn from the same style table as the layers.

The legend is a Leaflet control (not a page overlay), so it stays inside the map in a
standalone HTML file, inside streamlit-folium's frame and in fullscreen mode alike.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

import folium
from branca.element import MacroElement
from jinja2 import Template

from geo._safe import assert_inert, escape_json
from layers._html import escape
from layers.style import LayerStyle, style_for

Symbol = Literal["area", "line", "marker"]

#: Layer keys drawn as points, shown as a circle in the legend.
_MARKER_KEYS = frozenset({"places", "places_demonym", "sites_in_range", "sites_out_of_range"})


@dataclass(frozen=True)
class LegendEntry:
    """One row of the legend.

    Parameters
    ----------
    label
        Text shown (escaped when drawn).
    color
        Stroke colour.
    fill_color
        Fill colour, or ``None`` for a line.
    fill_opacity
        Opacity of the fill swatch.
    dash
        Leaflet dash pattern of the stroke, or ``None``.
    symbol
        ``"area"`` (filled square), ``"line"`` or ``"marker"`` (circle).
    """

    label: str
    color: str
    fill_color: str | None = None
    fill_opacity: float = 0.0
    dash: str | None = None
    symbol: Symbol = "area"


def entry_for(key: str, *, label: str | None = None) -> LegendEntry:
    """Return the legend entry of a layer key, from the style table."""
    style: LayerStyle = style_for(key)
    symbol: Symbol = "marker" if key in _MARKER_KEYS else "area"
    if style.fill_color is None and symbol == "area":
        symbol = "line"
    return LegendEntry(
        label=label or style.label,
        color=style.color,
        fill_color=style.fill_color,
        fill_opacity=max(style.fill_opacity, 0.35) if style.fill_color else 0.0,
        dash=style.dash,
        symbol=symbol,
    )


def add_legend(
    m: folium.Map, entries: Sequence[LegendEntry], *, title: str = "Legend"
) -> MacroElement | None:
    """Add a legend control listing ``entries`` to the bottom left of ``m``.

    Parameters
    ----------
    m
        The map.
    entries
        Rows, in order; duplicates (same label) are drawn once. Nothing is added if empty.
    title
        Heading of the legend (escaped).

    Returns
    -------
    branca.element.MacroElement or None
        The legend element, or ``None`` when there is nothing to show.
    """
    unique = list({entry.label: entry for entry in entries}.values())
    if not unique:
        return None
    legend = _Legend(legend_html(unique, title=title))
    m.add_child(legend)
    return legend


def legend_html(entries: Sequence[LegendEntry], *, title: str = "Legend") -> str:
    """Return the HTML of the legend box (every label escaped)."""
    rows = "".join(
        f"<div style='display:flex;align-items:center;margin:2px 0'>{_swatch(e)}"
        f"<span style='margin-left:6px'>{escape(e.label)}</span></div>"
        for e in entries
    )
    return (
        "<details open class='rangemap-legend' style='background:rgba(255,255,255,0.92);"
        "padding:6px 8px;border-radius:4px;box-shadow:0 1px 4px rgba(0,0,0,0.35);"
        "font:12px/1.3 sans-serif;max-height:40vh;max-width:46vw;overflow:auto'>"
        f"<summary style='cursor:pointer;font-weight:bold'>{escape(title)}</summary>{rows}"
        "</details>"
    )


class _Legend(MacroElement):
    """A Leaflet control whose content is a fixed, pre-escaped HTML string."""

    _template = Template(
        """
        {% macro script(this, kwargs) %}
        var {{ this.get_name() }} = L.control({position: "bottomleft"});
        {{ this.get_name() }}.onAdd = function () {
            var div = L.DomUtil.create("div", "rangemap-legend-control");
            div.innerHTML = {{ this.html_json }};
            if ({{ this._parent.get_name() }}.getSize().x < 600) {
                div.firstChild.open = false;  // a phone: the legend starts folded
            }
            L.DomEvent.disableScrollPropagation(div);
            L.DomEvent.disableClickPropagation(div);
            return div;
        };
        {{ this.get_name() }}.addTo({{ this._parent.get_name() }});
        {% endmacro %}
        """
    )

    def __init__(self, html_text: str) -> None:
        super().__init__()
        self._name = "RangemapLegend"
        self.html = assert_inert(html_text, where="legend")
        self.html_json = escape_json(self.html)


def _swatch(entry: LegendEntry) -> str:
    """Return an inline SVG that looks like the layer: filled box, line or circle."""
    dash = f" stroke-dasharray='{escape(entry.dash)}'" if entry.dash else ""
    fill = escape(entry.fill_color) if entry.fill_color else "none"
    stroke = escape(entry.color)
    if entry.symbol == "marker":
        shape = (
            f"<circle cx='9' cy='7' r='5' fill='{fill}' fill-opacity='{entry.fill_opacity:.2f}' "
            f"stroke='{stroke}' stroke-width='1.5'/>"
        )
    elif entry.symbol == "line":
        shape = f"<line x1='1' y1='7' x2='17' y2='7' stroke='{stroke}' stroke-width='2.5'{dash}/>"
    else:
        shape = (
            f"<rect x='1.5' y='1.5' width='15' height='11' fill='{fill}' "
            f"fill-opacity='{entry.fill_opacity:.2f}' stroke='{stroke}' stroke-width='1.5'{dash}/>"
        )
    return f"<svg width='18' height='14' aria-hidden='true'>{shape}</svg>"
