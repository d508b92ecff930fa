"""A folium map prepared once for streamlit-folium, so a rerun sends it without rebuilding it.

``st_folium`` renders the whole map on every call (about as long as building it). The
dashboard instead caches a :class:`MapPage` (the strings streamlit-folium's frontend needs)
per scenario, visible layers and excluded places, and hands it to the component with the
reader's current view (:meth:`MapPage.component_args`). Pure: no ``st.*`` call.

This follows ``streamlit_folium.st_folium`` 0.27 step by step (its ``_get_html``,
``_get_header``, ``_get_map_string`` and ``generate_js_hash``).
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import Any

import folium
import streamlit_folium as sf
from branca.element import Element
from folium.elements import JSCSSMixin

from layers.map_state import state_html

#: What the dashboard asks the map to report: the view, and the overlays switched off.
RETURNED = ("zoom", "center", "selected_layers")


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
        key: str = "map",
    ) -> dict[str, Any]:
        """Return the keyword arguments of streamlit-folium's component function.

        Parameters
        ----------
        height
            Height of the map in pixels.
        zoom, center
            The reader's view (``None``: the map's own fitted view). It reaches the map
            through the page's state ``<div>``, read when the map is (re)built; it is not
            passed as the component's ``zoom``/``center``, which would move a map the reader
            is already looking at and make it report (and rerun) again and again.
        hidden
            Stable keys of the overlays to start switched off (see ``layers.map_state``).
        key
            Widget key; the component's key also changes with the script, as in st_folium.
        """
        return {
            "script": self.script,
            "header": self.header,
            "html": self.html
            + state_html(hidden, (center[0], center[1], zoom) if center and zoom else None),
            "id": self.map_id,
            "key": sf.generate_js_hash(self.script, key, False),
            "height": height,
            "width": None,
            "returned_objects": list(RETURNED),
            "default": {"zoom": self.zoom, "selected_layers": None},
            "zoom": None,
            "center": None,
            "feature_group": None,
            "return_on_hover": False,
            "layer_control": None,
            "pixelated": False,
            "css_links": list(self.css_links),
            "js_links": list(self.js_links),
            "wrap_longitude": False,
        }


def map_page(m: folium.Map) -> MapPage:
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
    )


def _walk(element: Element) -> Iterator[Element]:
    yield element
    for child in list(element._children.values()):
        yield from _walk(child)
