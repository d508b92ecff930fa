"""A folium map prepared once for streamlit-folium, so a rerun sends it without rebuilding it.

``st_folium`` renders the whole map on every call (about as long as building it), and any
change of the map reloads the component's frame (Leaflet, every layer, the label layout).
The dashboard instead splits its map in two:

- a **base page** (:func:`base_page`): basemap, borders, regions and frontline, the tools,
  layer control and legend, rendered once per frontline and view window into a
  :class:`MapPage` (the strings streamlit-folium's frontend needs);
- the **scenario's overlays** (:func:`overlay_script`): rings, launch areas, places and
  sites, as one script that streamlit-folium's frontend evaluates when it changes (its
  ``feature_group`` argument, as ``st_folium(feature_group_to_add=...)`` uses it), which
  swaps them in place (``layers.map_state``): a range edit redraws the rings without
  reloading the frame, the reader's zoom and switched-off overlays stay.

:meth:`MapPage.component_args` hands both to the component with the reader's current view.
Pure: no ``st.*`` call. This follows ``streamlit_folium.st_folium`` 0.27 step by step (its
``_get_html``, ``_get_header``, ``_get_map_string``, ``_get_feature_group_string`` and
``generate_js_hash``).
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import folium
import geopandas as gpd
import streamlit_folium as sf
from branca.element import Element, MacroElement
from folium.elements import ElementAddToElement, JSCSSMixin
from folium.features import GeoJsonDetail, GeoJsonStyleMapper
from folium.map import Class, Layer
from folium.utilities import get_obj_in_upper_tree

from layers import legend
from layers.legend import LegendEntry
from layers.map_state import state_html, swap_call
from layers.web_map import build_base_map, scenario_overlays

#: What the dashboard asks the map to report: the view, the overlays switched off, a click.
RETURNED = ("zoom", "center", "selected_layers", "last_clicked")
Window = tuple[float, float, float, float]


@dataclass(frozen=True)
class MapPage:
    """The strings of one map for the streamlit-folium component (immutable: safe to share)."""

    script: str
    header: str
    html: str
    map_id: str
    css_links: tuple[str, ...]
    js_links: tuple[str, ...]
    zoom: int
    legend: tuple[tuple[int, LegendEntry], ...] = ()

    @property
    def size(self) -> int:
        """Bytes sent to the browser (script, header and HTML)."""
        return len(self.script) + len(self.header) + len(self.html)

    def component_args(
        self,
        *,
        height: int,
        zoom: int | None = None,
        center: Sequence[float] | None = None,
        hidden: Sequence[str] = (),
        overlays: str | None = None,
        key: str = "map",
    ) -> dict[str, Any]:
        """Return the keyword arguments of streamlit-folium's component function.

        Parameters
        ----------
        height
            Height of the map in pixels.
        zoom, center
            The reader's view (``None``: the map's own fitted view). It reaches the map
            through the page's state ``<div>``, read when the frame is (re)loaded; it is not
            passed as the component's ``zoom``/``center``, which would move a map the reader
            is already looking at and make it report (and rerun) again and again.
        hidden
            Stable keys of the overlays to start switched off (see ``layers.map_state``).
        overlays
            The scenario's overlays (:func:`overlay_script`): evaluated by the frontend
            when they change, without reloading the frame.
        key
            Widget key; the component's key also changes with the script, as in st_folium.
        """
        return {
            "script": self.script,
            "header": self.header,
            "html": self.html
            + state_html(hidden, (center[0], center[1], zoom) if center and zoom else None),
            "id": self.map_id,
            "key": component_key(self, key=key),
            "height": height,
            "width": None,
            "returned_objects": list(RETURNED),
            "default": {"zoom": self.zoom, "selected_layers": None, "last_clicked": None},
            "zoom": None,
            "center": None,
            "feature_group": overlays,
            "return_on_hover": False,
            "layer_control": None,
            "pixelated": False,
            "css_links": list(self.css_links),
            "js_links": list(self.js_links),
            "wrap_longitude": False,
        }


def component_key(page: MapPage, *, key: str = "map") -> str:
    """Return the component's widget key: it changes (and reloads the frame) with the base."""
    return sf.generate_js_hash(page.script, key, False)


def base_page(layers: Mapping[str, gpd.GeoDataFrame | None], *, window: Window | None) -> MapPage:
    """Return the base map of ``layers`` (their static part) for ``window``, rendered.

    See ``layers.web_map.build_base_map`` and ``layers.web_map.base_window``.
    """
    m, entries = build_base_map(layers, window=window)
    return map_page(m, legend=entries)


def overlay_script(
    layers: Mapping[str, gpd.GeoDataFrame | None],
    *,
    window: Window | None,
    fit: Sequence[float] | None,
    base: MapPage,
    placing: bool = False,
) -> str:
    """Return the script that puts the scenario's overlays on a :func:`base_page` map.

    Parameters
    ----------
    layers
        The scenario's layers (the base map's own are skipped).
    window
        The base page's window (the overlays are simplified for it).
    fit
        ``(west, south, east, north)`` the map is fitted to when it first opens.
    base
        The base page (its legend entries are listed with the overlays').
    placing
        Whether a click on the map places a launch point (see ``layers.map_state``).

    Returns
    -------
    str
        JavaScript for the component's ``feature_group`` argument: every user string in it
        is escaped HTML inside JSON (``geo._safe.escape_json``).
    """
    overlays = scenario_overlays(layers, window=window)
    host = folium.Map(tiles=None)
    parts, items = [], []
    for i, (group, key, zorder) in enumerate(overlays.keyed()):
        shown = bool(group.show)
        group.show = False  # added by the swap, not by folium's own script
        group.add_to(host)
        _prepare_script(group)
        parts.append(sf.generate_leaflet_string(group, base_id=f"rm{i}"))
        items.append((group.get_name(), key, str(group.layer_name), zorder, shown))
    entries = sorted([*base.legend, *overlays.entries], key=lambda item: -item[0])
    unique = list({entry.label: entry for _, entry in entries}.values())
    legend_html = legend.legend_html(unique) if unique else None
    host_id = sf.get_full_id(host)
    body = "\n".join(
        _made_once(part.replace(host_id, "map_div"), var, name=name)
        for part, (var, _, name, *_) in zip(parts, items, strict=True)
    )
    call = swap_call(items, legend_html=legend_html, fit=fit, placing=placing)
    return (
        "(function () {\nvar made = window.rangemapMade || {}, now = {};\n"
        f"{body}\nwindow.rangemapMade = now;\n{call}\n}})();\n"
    )


def _made_once(part: str, var: str, *, name: str) -> str:
    """Return ``part`` (the script of the layer ``var``) run only if the map lacks its layer.

    The layer made by the same script under the same name on the previous swap is reused
    (``rangemapMade``, keyed by a digest of both): a range change rebuilds only the changed
    rings, and the swap leaves the unchanged layers on the map untouched. Only the current
    swap's layers are kept.
    """
    key = hashlib.sha256(f"{name}\0{part}".encode()).hexdigest()[:24]
    return (
        f'var {var} = made["{key}"] || (function () {{\n{part}\nreturn {var};\n}})();\n'
        f'now["{key}"] = {var};'
    )


def map_page(m: folium.Map, *, legend: Sequence[tuple[int, LegendEntry]] = ()) -> MapPage:
    """Render ``m`` once into the strings streamlit-folium's frontend needs.

    The map is consumed (rendering renames its elements): build a new one for each page.
    """
    m.get_root().render()
    m.render()
    page_html = sf._get_html(m)
    header = sf._get_header(m)
    script = sf._get_map_string(m)
    css: list[str] = []
    js: list[str] = []
    for element in _walk(m):
        if isinstance(element, JSCSSMixin):
            css.extend(href for _, href in element.default_css)
            js.extend(src for _, src in element.default_js)
    return MapPage(
        script=script,
        header=header,
        html=page_html,
        map_id=sf.get_full_id(m),
        css_links=tuple(dict.fromkeys(css)),
        js_links=tuple(dict.fromkeys(js)),
        zoom=int(str(m.options.get("zoom", 5))),
        legend=tuple(legend),
    )


#: ``render`` methods whose only effects a script needs are redone by :func:`_prepare_script`.
_SCRIPT_RENDERS = frozenset(
    {
        MacroElement.render,
        Class.render,
        Layer.render,
        JSCSSMixin.render,
        GeoJsonDetail.render,
        folium.GeoJson.render,
    }
)


def _prepare_script(group: folium.FeatureGroup) -> None:
    """Ready ``group`` for ``generate_leaflet_string`` as ``group.render()`` would, faster.

    Only the elements' scripts are sent, and streamlit-folium renders each from its own
    template. ``render`` would also render every element's header, HTML and script into the
    host figure, wrapping each output in ``branca.element.Element``, which compiles it as a
    new Jinja template (a third of the overlays' time, and the output holds user text). What
    the scripts need of ``render`` is the style and highlight maps of GeoJson layers and the
    ``addTo`` of shown layers, which are set here as ``folium.GeoJson.render`` and
    ``folium.map.Layer.render`` set them. An element whose ``render`` may do more (another
    class, class includes) gets the full render.
    """
    elements = list(_walk(group))
    if any(not _script_only(e) for e in elements):
        group.render()
        return
    for element in elements:
        if isinstance(element, folium.GeoJson):
            _style_maps(element)
        parent = element._parent
        if isinstance(element, Layer) and element.show and parent is not None:
            name = element.get_name()
            adder = ElementAddToElement(element_name=name, element_parent_name=parent.get_name())
            element.add_child(adder, name=name + "_add")


def _script_only(element: Element) -> bool:
    """Return whether ``element``'s render does nothing its script needs but what is redone."""
    if getattr(type(element), "render", None) not in _SCRIPT_RENDERS:
        return False
    return not (isinstance(element, Class) and element.includes)


def _style_maps(layer: folium.GeoJson) -> None:
    """Set what ``folium.GeoJson.render`` sets before rendering its template."""
    layer.parent_map = get_obj_in_upper_tree(layer, folium.Map)  # type: ignore[assignment]
    if (layer.style or layer.highlight) and layer.data["features"]:
        mapper = GeoJsonStyleMapper(layer.data, layer.feature_identifier, layer)
        if layer.style:
            layer.style_map = mapper.get_style_map(layer.style_function)
        if layer.highlight:
            layer.highlight_map = mapper.get_highlight_map(layer.highlight_function)


def _walk(element: Element) -> Iterator[Element]:
    yield element
    for child in list(element._children.values()):
        yield from _walk(child)
