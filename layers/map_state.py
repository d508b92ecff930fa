"""What a reader does on the map, kept: overlays switched off, and a fallback when tiles fail.

:func:`add_map_state` adds one script to a map that

- opens at the reader's view and switches off the overlays whose stable keys are listed in
  the page's ``<div id="rangemap-state" data-hidden='[...]' data-view='[lat, lon, zoom]'>``
  (see :func:`state_html`); a dashboard rerun that rebuilds the map therefore keeps where
  the reader was and what they had switched off;
- reports the overlays switched off in the map to streamlit-folium (as one entry of its
  ``selected_layers`` value, url ``rangemap:hidden``), so the app can keep them and put them
  in the share link (:func:`hidden_from_value` reads them back);
- on a dynamic map (the dashboard's), swaps the scenario's overlays in place when the
  scenario changes (:func:`swap_call`), so the map is not reloaded;
- says plainly when online tiles cannot load (no network) and goes back to the offline
  basemap.

Overlays are known by stable keys, not by their names: a style key (``sites_in_range``) or
``ranges:<weapon>`` for a weapon's rings, whose name changes with its ranges.
"""

from __future__ import annotations

import html
import json
import re
from collections.abc import Collection, Mapping, Sequence
from typing import Any

import folium
from branca.element import MacroElement
from folium.map import Layer
from jinja2 import Template

from geo._safe import escape_json

#: The ``url`` of the streamlit-folium ``selected_layers`` entry that carries hidden keys.
HIDDEN_URL = "rangemap:hidden"
#: The ``url`` of the entry that says the scenario's overlays have been drawn.
DRAWN_URL = "rangemap:drawn"
#: Most hidden keys read back from the browser, and longest key.
MAX_HIDDEN = 64
MAX_KEY_CHARS = 120
_JS_NAME = re.compile(r"[A-Za-z_$][A-Za-z0-9_$]*")
#: Message shown when web tiles fail to load.
OFFLINE_NOTICE = (
    "Web tiles need a network connection, and none answered: back to the offline basemap."
)


def add_map_state(
    m: folium.Map,
    control: folium.LayerControl,
    groups: Sequence[tuple[Layer, str, int]],
    *,
    dynamic: bool = False,
) -> None:
    """Add the overlay-state and tile-fallback script to ``m``.

    Parameters
    ----------
    m
        The map (after its LayerControl was added).
    control
        The map's LayerControl.
    groups
        ``(layer, stable key, drawing order)`` of every overlay.
    dynamic
        Also define ``window.rangemapSwap(items, options)`` (see :func:`swap_call`), which
        replaces the overlays it added before by new ones without reloading the map: an
        overlay switched off in the map stays off under the same key, the layer control
        (ordered by drawing order) and the legend follow, the labels are laid out again.
    """
    m.add_child(_MapState(control, groups, dynamic=dynamic))


def swap_call(
    items: Sequence[tuple[str, str, str, int, bool]],
    *,
    legend_html: str | None,
    fit: Sequence[float] | None,
    placing: bool = False,
) -> str:
    """Return the JavaScript statement that swaps a dynamic map's overlays for ``items``.

    Parameters
    ----------
    items
        ``(JavaScript variable of the layer, stable key, name in the layer control as
        escaped HTML, drawing order, shown when first drawn)``; the variables must be
        defined before the call. A variable that is not a plain JavaScript name is left out.
    legend_html
        The legend's new content (escaped HTML), or ``None`` to keep it.
    fit
        ``(west, south, east, north)`` the map is fitted to on its first swap, unless it
        opened at the reader's kept view.
    placing
        Whether a click places a launch point: every click is then reported (as
        streamlit-folium's ``last_clicked``), also one on a feature with a popup, and the
        cursor is a crosshair.
    """
    rows = ",".join(
        f"{{layer: {var}, key: {escape_json(key)}, name: {escape_json(name)}, z: {int(z)}, "
        f"show: {'true' if show else 'false'}}}"
        for var, key, name, z, show in items
        if _JS_NAME.fullmatch(var)
    )
    box = None
    if fit is not None:
        west, south, east, north = (float(v) for v in fit)
        box = [[south, west], [north, east]]
    options = escape_json({"legend": legend_html, "fit": box, "place": bool(placing)})
    return f"window.rangemapSwap([{rows}], {options});"


def state_html(hidden: Collection[str], view: Sequence[float] | None = None) -> str:
    """Return the ``<div>`` that tells the map its view and which overlays start switched off.

    Parameters
    ----------
    hidden
        Stable keys of the overlays to switch off.
    view
        ``(lat, lon, zoom)`` to open at instead of the fitted view, or ``None``.
    """
    keys = html.escape(json.dumps(sorted(str(k) for k in hidden)[:MAX_HIDDEN]), quote=True)
    where = html.escape(json.dumps([float(v) for v in view] if view else None), quote=True)
    return f"<div id='rangemap-state' hidden data-hidden='{keys}' data-view='{where}'></div>"


def hidden_from_value(value: Mapping[str, Any] | None) -> set[str] | None:
    """Return the overlay keys switched off in the map, from st_folium's returned value.

    Returns
    -------
    set of str or None
        ``None`` when the map has not reported yet (keep what was known).
    """
    entry = _reported(value, HIDDEN_URL)
    if entry is None:
        return None
    try:
        keys = json.loads(str(entry.get("name", "[]")))
    except json.JSONDecodeError:
        return set()
    if not isinstance(keys, list):
        return set()
    return {k for k in keys[:MAX_HIDDEN] if isinstance(k, str) and len(k) <= MAX_KEY_CHARS}


def drawn_from_value(value: Mapping[str, Any] | None) -> bool:
    """Return whether the map has reported that the scenario's overlays are drawn.

    The report comes after the view the map opens at (fitted, or the reader's) is set,
    unlike streamlit-folium's first report, made as soon as the base map exists.
    """
    return _reported(value, DRAWN_URL) is not None


def _reported(value: Mapping[str, Any] | None, url: str) -> Mapping[str, Any] | None:
    """Return the first ``selected_layers`` entry of st_folium's value with ``url``, if any."""
    layers = (value or {}).get("selected_layers") or []
    for entry in layers if isinstance(layers, list) else []:
        if isinstance(entry, Mapping) and entry.get("url") == url:
            return entry
    return None


class _MapState(MacroElement):
    """The script of :func:`add_map_state`."""

    _template = Template(
        """
        {% macro script(this, kwargs) %}
        (function (map, control) {
            var keyed = [{% for layer, key, z in this.groups %}
                         [{{ layer.get_name() }}, {{ key }}, {{ z }}],{% endfor %}];
            var state = document.getElementById("rangemap-state"), hidden = [], view = null;
            try {
                hidden = JSON.parse(state ? state.getAttribute("data-hidden") : "[]");
                view = JSON.parse(state ? state.getAttribute("data-view") : "null");
            } catch (e) { hidden = []; view = null; }
            if (view && view.length === 3) { map.setView([view[0], view[1]], view[2]); }
            keyed.forEach(function (pair) {
                pair[0]._rmZ = pair[2];
                if (hidden.indexOf(pair[1]) >= 0 && map.hasLayer(pair[0])) {
                    map.removeLayer(pair[0]);
                }
            });
            function report() {
                var off = keyed.filter(function (p) { return !map.hasLayer(p[0]); })
                               .map(function (p) { return p[1]; });
                var data = window.__GLOBAL_DATA__;
                if (data && data.selected_layers) {
                    data.selected_layers["rangemap:hidden"] =
                        {name: JSON.stringify(off), url: {{ this.hidden_url }}};
                }
            }
            report();
            map.on("overlayadd overlayremove", report);
            {%- if this.dynamic %}
            var added = [], seen = {}, fitted = false, placing = false, drawn = false;
            map.on("preclick", function (e) {  // a feature's popup stops its click
                if (placing) { map.fire("click", {latlng: e.latlng}); }
            });
            control.options.sortLayers = true;
            control.options.sortFunction = function (a, b) {
                return (a._rmZ || 0) - (b._rmZ || 0);
            };
            function restack(above) {
                keyed.filter(function (p) { return p[2] > above && map.hasLayer(p[0]); })
                     .sort(function (a, b) { return a[2] - b[2]; })
                     .forEach(function (p) { if (p[0].bringToFront) { p[0].bringToFront(); } });
            }
            function legend(html) {
                var box = document.querySelector(".rangemap-legend-control");
                if (!box) {
                    var ctl = L.control({position: "bottomleft"});
                    ctl.onAdd = function () {
                        var div = L.DomUtil.create("div", "rangemap-legend-control");
                        L.DomEvent.disableScrollPropagation(div);
                        L.DomEvent.disableClickPropagation(div);
                        return div;
                    };
                    ctl.addTo(map);
                    box = ctl.getContainer();
                }
                var old = box.querySelector("details");
                var open = old ? old.open : map.getSize().x >= 600;
                box.innerHTML = html;
                var now = box.querySelector("details");
                if (now) { now.open = open; }
            }
            window.rangemapSwap = function (items, options) {
                var off = {}, low = Infinity, kept = [];
                var next = items.map(function (it) { return it.layer; });
                added.forEach(function (p) {
                    if (!map.hasLayer(p[0])) { off[p[1]] = true; }
                    if (next.indexOf(p[0]) >= 0) { kept.push(p[0]); return; }  // unchanged
                    map.removeLayer(p[0]);
                    control.removeLayer(p[0]);
                });
                keyed = keyed.filter(function (p) { return added.indexOf(p) < 0; });
                added = [];
                items.forEach(function (it) {
                    var pair = [it.layer, it.key, it.z];
                    it.layer._rmZ = it.z;
                    low = Math.min(low, it.z);
                    if (kept.indexOf(it.layer) < 0) {
                        var hide = seen[it.key] ? off[it.key]
                                               : !it.show || hidden.indexOf(it.key) >= 0;
                        if (!hide) { map.addLayer(it.layer); }
                        control.addOverlay(it.layer, it.name);
                    }
                    seen[it.key] = true;
                    added.push(pair);
                    keyed.push(pair);
                });
                restack(low - 1);
                if (options.legend !== null) { legend(options.legend); }
                if (options.fit && !fitted && !(view && view.length === 3)) {
                    map.fitBounds(options.fit);
                }
                fitted = true;
                placing = !!options.place;
                map.getContainer().style.cursor = placing ? "crosshair" : "";
                report();
                if (window.rangemapDeclutter) { window.rangemapDeclutter(); }
                if (!drawn) {  // say once that the scenario is drawn, with the view it opened at
                    drawn = true;
                    var data = window.__GLOBAL_DATA__;
                    if (data && data.selected_layers) {
                        data.selected_layers["rangemap:drawn"] =
                            {name: "drawn", url: {{ this.drawn_url }}};
                    }
                    map.fire("moveend");  // streamlit-folium reports (debounced) on moveend
                }
            };
            {%- endif %}
            var offline = control._layers.filter(function (e) { return !e.overlay; })[0];
            map.on("baselayerchange", function (event) {
                var tiles = event.layer, loaded = false;
                if (!tiles.on || !offline || tiles === offline.layer) { return; }
                tiles.once("tileload", function () { loaded = true; });
                tiles.once("tileerror", function () {
                    setTimeout(function () {
                        if (loaded || !map.hasLayer(tiles)) { return; }
                        map.removeLayer(tiles);
                        map.addLayer(offline.layer);
                        control._update();
                        var note = L.control({position: "topright"});
                        note.onAdd = function () {
                            var div = L.DomUtil.create("div", "rangemap-offline-notice");
                            div.style.cssText = "background:#fff3cd;color:#5c4400;padding:4px 8px;"
                                + "border-radius:4px;max-width:260px;font:12px/1.3 sans-serif";
                            div.textContent = {{ this.notice }};
                            setTimeout(function () { map.removeControl(note); }, 12000);
                            return div;
                        };
                        note.addTo(map);
                    }, 1500);
                });
            });
        })({{ this._parent.get_name() }}, {{ this.control.get_name() }});
        {% endmacro %}
        """
    )

    def __init__(
        self,
        control: folium.LayerControl,
        groups: Sequence[tuple[Layer, str, int]],
        *,
        dynamic: bool = False,
    ) -> None:
        super().__init__()
        self._name = "RangemapMapState"
        self.control = control
        self.groups = [(layer, escape_json(key), int(z)) for layer, key, z in groups]
        self.hidden_url = escape_json(HIDDEN_URL)
        self.drawn_url = escape_json(DRAWN_URL)
        self.notice = escape_json(OFFLINE_NOTICE)
        self.dynamic = dynamic
