"""Permanent map labels: places, named sites and range rings, drawn without overlapping.

Each overlay gets its labels as Leaflet tooltips that stay open (``permanent``), added to the
overlay's FeatureGroup, so unticking the overlay hides its labels too. One script per map
(:func:`add_declutter`) shows the labels in order of importance after every zoom, pan and
toggle, and hides any label that would overlap one already shown. Label text is escaped by
:func:`layers._html.escape` and handed to the page as JSON (:func:`geo._safe.escape_json`).
"""

from __future__ import annotations

import math
import re
from collections.abc import Sequence
from dataclasses import dataclass

import folium
from branca.element import MacroElement
from jinja2 import Template

from geo._safe import assert_inert, escape_json
from layers._html import escape, page_css

#: Importance of a label by kind of place (higher is shown first when labels collide).
KIND_RANK: dict[str, float] = {
    "continent": 80.0,
    "union": 80.0,
    "country": 75.0,
    "water": 55.0,
    "region": 60.0,
    "city": 40.0,
    "poi": 30.0,
}
#: Importance of range-ring labels and of sites in range.
RING_RANK = 100.0
SITE_RANK = 50.0
#: Importance of a launch point's name (Sinpo): above every place, below the rings.
LAUNCH_RANK = 90.0
#: Labels at or above this rank are drawn large, below :data:`SMALL_BELOW` small.
LARGE_FROM = 70.0
SMALL_BELOW = 45.0

_HEX_COLOR = re.compile(r"#[0-9a-fA-F]{6}")
_CSS = """
.leaflet-tooltip.rm-label { background: rgba(255,255,255,0.82); border: 0; border-radius: 3px;
  box-shadow: none; padding: 0 3px; color: #1f1f1f; font: 600 12px/1.25 sans-serif;
  white-space: nowrap; pointer-events: none; }
.leaflet-tooltip.rm-label:before { display: none; }
.leaflet-tooltip.rm-label.rm-large { font-size: 13.5px; font-weight: 700; }
.leaflet-tooltip.rm-label.rm-small { font-size: 11px; font-weight: 500; }
"""

#: Where a label's box starts from its anchor, as fractions of its width and height, by the
#: side it is drawn on (``center`` otherwise): Leaflet's own placement of tooltips.
_BOX_START = escape_json({"top": [0.5, 1], "bottom": [0.5, 0], "left": [1, 0.5], "right": [0, 0.5]})
#: Labels are measured together: Leaflet measures each tooltip as it is placed (a page
#: layout per label); a label waits for the others added in the same task and all are
#: measured in one layout, then placed from their kept size (until their text changes).
_MEASURED_TOGETHER = """
if (!L.Tooltip.prototype._rmFlush) {
    (function (P) {
        var place = P._setPosition, fill = P._updateContent, waiting = [];
        var SUB = BOX_START;
        P._rmFlush = function () {
            var batch = waiting;
            waiting = [];
            batch.forEach(function (t) {
                if (t._container) {
                    t._rmSize = [t._container.offsetWidth, t._container.offsetHeight];
                }
            });
            batch.forEach(function (t) { if (t._map && t._rmAt) { t._setPosition(t._rmAt); } });
        };
        P._updateContent = function () {
            this._rmSize = null;
            return fill.apply(this, arguments);
        };
        P._setPosition = function (pos) {
            if (this._rmRank === undefined) { return place.call(this, pos); }
            if (!this._rmSize) {
                this._rmAt = pos;
                if (!waiting.length) { Promise.resolve().then(P._rmFlush); }
                waiting.push(this);
                return;
            }
            var el = this._container, dir = this.options.direction, sub = SUB[dir] || [0.5, 0.5];
            var at = pos.subtract(L.point(sub[0] * this._rmSize[0], sub[1] * this._rmSize[1], true))
                .add(L.point(this.options.offset)).add(this._getAnchor());
            ["right", "left", "top", "bottom", "center"].forEach(function (d) {
                L.DomUtil.removeClass(el, "leaflet-tooltip-" + d);
            });
            L.DomUtil.addClass(el, "leaflet-tooltip-" + dir);
            L.DomUtil.setPosition(el, at);
        };
    })(L.Tooltip.prototype);
}
""".replace("BOX_START", _BOX_START)


@dataclass(frozen=True)
class Label:
    """One permanent label.

    Parameters
    ----------
    lat, lon
        Anchor in EPSG:4326 degrees.
    text
        Plain text (escaped when drawn).
    rank
        Importance: higher labels are placed first and win collisions.
    color
        Text colour (hex), e.g. a ring's colour.
    direction
        Side of the anchor: ``"right"``, ``"top"``, ``"left"``, ``"bottom"`` or ``"center"``.
    """

    lat: float
    lon: float
    text: str
    rank: float
    color: str = "#1f1f1f"
    direction: str = "right"


def place_rank(kind: object, population: object) -> float:
    """Return the label importance of a place: its kind, plus up to 10 for its population."""
    base = KIND_RANK.get(str(kind).lower(), 35.0)
    try:
        people = float(population)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        people = 0.0
    bonus = min(math.log10(people) - 3.0, 10.0) if math.isfinite(people) and people > 1e3 else 0
    return base + max(bonus, 0.0)


def add_labels(group: folium.FeatureGroup, labels: Sequence[Label]) -> None:
    """Add permanent labels to an overlay (they hide with it)."""
    if labels:
        group.add_child(_Labels(labels))


def add_declutter(m: folium.Map) -> None:
    """Add the label style and the script that hides overlapping labels to ``m``."""
    page_css(m, "rangemap_labels", _CSS)
    m.add_child(_Declutter())


class _Labels(MacroElement):
    """Permanent tooltips added to the parent FeatureGroup."""

    _template = Template(
        """
        {% macro script(this, kwargs) %}
        {{ this.measured_together }}
        (function (group) {
            {{ this.items_json }}.forEach(function (it) {
                var tip = L.tooltip({permanent: true, interactive: false, opacity: 1,
                    direction: it.dir, offset: it.dir === "right" ? [6, 0] : [0, 0],
                    className: "rm-label " + it.size});
                tip.setLatLng([it.lat, it.lon]).setContent(
                    "<span style='color:" + it.color + "'>" + it.html + "</span>");
                tip._rmRank = it.rank;
                if (it.dir !== "center" && it.rank >= {{ this.movable_from }}) {
                    tip._rmDir = it.dir;  // an important label may move to a free side
                }
                group.addLayer(tip);
            });
        })({{ this._parent.get_name() }});
        {% endmacro %}
        """
    )

    def __init__(self, labels: Sequence[Label]) -> None:
        super().__init__()
        self._name = "RangemapLabels"
        items = [
            {
                "lat": round(label.lat, 5),
                "lon": round(label.lon, 5),
                "html": assert_inert(escape(label.text), where="label"),
                "rank": round(label.rank, 2),
                "color": _color(label.color),
                "dir": label.direction,
                "size": _size(label.rank),
            }
            for label in labels
        ]
        self.items_json = escape_json(items)
        self.movable_from = float(LARGE_FROM)
        self.measured_together = _MEASURED_TOGETHER


class _Declutter(MacroElement):
    """Show labels by importance; hide those that would overlap a label already shown."""

    _template = Template(
        """
        {% macro script(this, kwargs) %}
        (function (map) {
            var timer = null;
            function overlaps(a, b) {
                return !(a.right < b.left || a.left > b.right ||
                         a.bottom < b.top || a.top > b.bottom);
            }
            // Every label is measured in one layout, then each is placed by arithmetic:
            // an important label that collides tries the other sides of its point before
            // it hides (the others just hide); the positions and visibility are then set.
            function declutter() {
                var labels = [];
                if (L.Tooltip.prototype._rmFlush) { L.Tooltip.prototype._rmFlush(); }
                map.eachLayer(function (layer) {
                    if (layer instanceof L.Tooltip && layer._rmRank !== undefined
                            && layer.getElement()) { labels.push(layer); }
                });
                labels.sort(function (a, b) { return b._rmRank - a._rmRank; });
                var boxes = labels.map(function (layer) {
                    return layer.getElement().getBoundingClientRect();
                });
                var placed = [];
                labels.forEach(function (layer, i) {
                    var now = layer.options.direction, rect = boxes[i];
                    var sides = layer._rmDir === undefined ? [now]
                        : [layer._rmDir].concat(SIDES.filter(function (d) {
                            return d !== layer._rmDir; }));
                    var off = L.point(layer.options.offset), sub = shift(now, rect);
                    var x = rect.left - off.x + sub[0], y = rect.top - off.y + sub[1];
                    layer._rmSide = sides[0];
                    layer._rmShow = sides.some(function (side) {
                        var move = shift(side, rect), by = OFFSETS[side] || [0, 0];
                        var left = x + (side === now ? off.x : by[0]) - move[0];
                        var top = y + (side === now ? off.y : by[1]) - move[1];
                        var box = {left: left, top: top, right: left + rect.width,
                                   bottom: top + rect.height};
                        if (placed.some(function (p) { return overlaps(box, p); })) {
                            return false;
                        }
                        placed.push(box);
                        layer._rmSide = side;
                        return true;
                    });
                });
                labels.forEach(function (layer) {
                    if (layer._rmDir !== undefined && layer.options.direction !== layer._rmSide) {
                        turn(layer, layer._rmSide);
                    }
                    layer.getElement().style.visibility = layer._rmShow ? "visible" : "hidden";
                });
            }
            var SIDES = ["right", "left", "top", "bottom"];
            var OFFSETS = {right: [6, 0], left: [-6, 0], top: [0, -4], bottom: [0, 4]};
            var SUB = {{ this.box_start }};
            function shift(side, rect) {  // where a label's box starts, from its anchor
                var sub = SUB[side] || [0.5, 0.5];
                return [Math.round(sub[0] * rect.width), Math.round(sub[1] * rect.height)];
            }
            function turn(layer, side) {
                layer.options.direction = side;
                layer.options.offset = L.point(OFFSETS[side]);
                layer.update();
            }
            function later() { clearTimeout(timer); timer = setTimeout(declutter, 60); }
            map.on("zoomend moveend overlayadd overlayremove resize", later);
            map.whenReady(later);
            window.rangemapDeclutter = declutter;
        })({{ this._parent.get_name() }});
        {% endmacro %}
        """
    )

    def __init__(self) -> None:
        super().__init__()
        self._name = "RangemapDeclutter"
        self.box_start = _BOX_START


def _size(rank: float) -> str:
    if rank >= LARGE_FROM:
        return "rm-large"
    return "rm-small" if rank < SMALL_BELOW else ""


def _color(value: str) -> str:
    """Return ``value`` if it is a ``#rrggbb`` colour, else the default text colour."""
    return value if _HEX_COLOR.fullmatch(value) else "#1f1f1f"
