"""Leaflet's JavaScript and CSS without a network: embedded from the ``folium-offline`` package.

folium links Leaflet, jQuery and each plugin from CDNs (``cdn.jsdelivr.net/npm/leaflet@1.9.3``
and others); with no network the map is a blank frame. ``folium-offline`` (PyPI, MIT, by
Sandia National Laboratories; version 0.20.0.x tracks folium 0.20) ships the exact files
folium 0.20 and its plugins reference, keyed by their CDN URL, with Leaflet's marker and
control images already inlined as ``data:`` URIs. We keep folium as the map library and only
borrow those files:

- :func:`make_offline` points every asset of a map at a ``data:`` URI, which works both in a
  saved HTML file and inside streamlit-folium's frame (which loads the links itself);
- :func:`render_html` renders a standalone page, self-contained (assets inlined) or
  CDN-linked (small).

folium-offline embeds only one of Font Awesome's fonts (the regular, brands and v4 fonts stay
relative URLs) and none of Glyphicons', so icon markers would lose glyphs offline: the map
uses circle markers, and :func:`drop_unused_assets` removes the icon and Bootstrap files
(~1.1 MB) a map without icon markers does not need.
"""

from __future__ import annotations

import base64
import re
from collections.abc import Iterator
from functools import lru_cache
from pathlib import PurePosixPath
from typing import Any

import folium
from branca.element import Element
from folium.elements import JSCSSMixin

from geo._errors import OfflineError
from geo._safe import escape_html as escape

#: Map assets (folium's names) that only icon markers and Bootstrap widgets use.
UNUSED_WITHOUT_ICONS: frozenset[str] = frozenset(
    {
        "bootstrap",
        "bootstrap_css",
        "glyphicons_css",
        "awesome_markers",
        "awesome_markers_css",
        "awesome_markers_font_css",
        "awesome_rotate_css",
    }
)

_SCRIPT_SRC = re.compile(r'<script\s+src="([^"]+)"\s*>\s*</script>', re.IGNORECASE)
_LINK_HREF = re.compile(r'<link\s+rel="stylesheet"\s+href="([^"]+)"\s*/?>', re.IGNORECASE)
_EXTERNAL = re.compile(
    r'<(?:script|link)\b[^>]*\b(?:src|href)\s*=\s*["\']((?:https?:)?//[^"\']+)', re.IGNORECASE
)
_TITLE_CSS = (
    "body{display:flex;flex-direction:column}"
    ".rangemap-title{flex:0 0 auto;font:600 16px/1.4 sans-serif;padding:6px 10px}"
    ".rangemap-sources{flex:0 0 auto;font:11px/1.35 sans-serif;color:#444;padding:4px 10px}"
    ".folium-map{flex:1 1 auto;min-height:0}"
)
_DATA_PREFIX = {"js": "data:text/javascript;base64,", "css": "data:text/css;base64,"}
#: data URI → the CDN URL it was made from (so a CDN-linked page can be rendered again).
_CDN_OF: dict[str, str] = {}


def make_offline(m: folium.Map) -> None:
    """Point every JavaScript and CSS asset of ``m`` (and its plugins) at embedded content.

    Call it after every layer and plugin has been added. Each element's asset list is
    replaced on the element itself (folium's class-level lists are left untouched).

    Raises
    ------
    OfflineError
        If an asset is not shipped by ``folium-offline`` (its URL is named).
    """
    for element in _walk(m):
        if isinstance(element, JSCSSMixin):
            js = [(name, as_data_uri(url, kind="js")) for name, url in element.default_js]
            css = [(name, as_data_uri(url, kind="css")) for name, url in element.default_css]
            element.default_js, element.default_css = js, css


def drop_unused_assets(m: folium.Map) -> None:
    """Remove icon-marker and Bootstrap assets from ``m`` when it has no icon markers.

    Leaflet, its CSS and jQuery (folium's popups use it) are kept.
    """
    if any(isinstance(e, folium.Icon) for e in _walk(m)):
        return
    m.default_js = [(n, u) for n, u in m.default_js if n not in UNUSED_WITHOUT_ICONS]
    m.default_css = [(n, u) for n, u in m.default_css if n not in UNUSED_WITHOUT_ICONS]


def render_html(
    m: folium.Map,
    *,
    offline: bool = True,
    title: str | None = None,
    date: str | None = None,
    sources: str | None = None,
) -> str:
    """Render ``m`` as a standalone HTML page.

    Parameters
    ----------
    m
        The map.
    offline
        ``True``: every script and stylesheet is inlined, so the page works with no
        network (only the tiles of the optional online base layers need one). ``False``:
        assets are linked from their CDNs, so the page is small.
    title, date, sources
        Shown above the map (title and date, also the page's ``<title>``) and below it
        (sources); plain text, escaped here. ``None`` leaves them out.

    Returns
    -------
    str
        The HTML page.

    Raises
    ------
    OfflineError
        If ``offline`` and an asset cannot be embedded.
    """
    page = _with_titles(m.get_root().render(), title=title, date=date, sources=sources)
    if not offline:
        return _SCRIPT_SRC.sub(_relink_script, _LINK_HREF.sub(_relink_css, page))
    page = _SCRIPT_SRC.sub(_inline_script, _LINK_HREF.sub(_inline_css, page))
    left = external_references(page)
    if left:
        raise OfflineError(f"cannot embed {left[0]}: no offline copy of it is installed")
    return page


def _with_titles(page: str, *, title: str | None, date: str | None, sources: str | None) -> str:
    """Return ``page`` with a title bar (title, date) above the map and sources below it.

    Inserted after rendering, escaped: the text never passes through a template.
    """
    if not (title or date or sources):
        return page
    heading = " — ".join(escape(part) for part in (title, date) if part)
    head = f"<title>{heading}</title>" if heading else ""
    top = f"<div class='rangemap-title'>{heading}</div>" if heading else ""
    bottom = f"<div class='rangemap-sources'>Sources: {escape(sources)}</div>" if sources else ""
    page = page.replace("<head>", f"<head>{head}<style>{_TITLE_CSS}</style>", 1)
    return page.replace("<body>", f"<body>{top}", 1).replace("</body>", f"{bottom}</body>", 1)


def external_references(page: str) -> list[str]:
    """Return the URLs of scripts and stylesheets that ``page`` loads from the network."""
    return list(dict.fromkeys(_EXTERNAL.findall(page)))


def asset_text(url: str) -> str:
    """Return the content of the CDN asset at ``url``, from ``folium-offline``.

    An exact URL match is preferred; otherwise a shipped file with the same file name from
    the same package is used (so a folium release that bumps a patch version still works).

    Raises
    ------
    OfflineError
        If no copy is installed.
    """
    table = _offline_table()
    if url in table:
        return table[url]
    wanted = PurePosixPath(url.split("?")[0]).name
    for known, text in table.items():
        if PurePosixPath(known).name == wanted and _package(known) == _package(url):
            return text
    raise OfflineError(f"no offline copy of {url}; install folium-offline matching folium")


def as_data_uri(url: str, *, kind: str) -> str:
    """Return the asset at ``url`` as a base64 ``data:`` URI (``kind`` is "js" or "css")."""
    if url.startswith("data:"):
        return url
    return _data_uri(url, kind)


@lru_cache(maxsize=128)
def _data_uri(url: str, kind: str) -> str:
    """Return (and remember the CDN URL of) the data URI of an asset."""
    encoded = base64.b64encode(asset_text(url).encode("utf-8")).decode("ascii")
    uri = _DATA_PREFIX[kind] + encoded
    _CDN_OF[uri] = url
    return uri


@lru_cache(maxsize=1)
def _offline_table() -> dict[str, str]:
    """Return folium-offline's CDN URL → file content table (imported lazily: ~15 MB)."""
    try:
        from offlinefolium import elements
    except ImportError as error:
        raise OfflineError(
            "the offline map needs the folium-offline package: pip install folium-offline"
        ) from error
    table: Any = getattr(elements, "_res", None)
    if not isinstance(table, dict):
        raise OfflineError("this folium-offline version has no asset table (_res)")
    return {str(k): str(v) for k, v in table.items()}


def _package(url: str) -> str:
    """Return the package part of a CDN URL without its version (``leaflet`` of leaflet@1.9)."""
    parts = [p for p in url.split("/") if p and ":" not in p]
    for part in parts[1:]:
        if "@" in part.lstrip("@"):
            return part.rsplit("@", 1)[0]
    return parts[1] if len(parts) > 1 else ""


def _text_of(src: str) -> str:
    """Return the content of an asset given by data URI or CDN URL."""
    if src.startswith("data:"):
        return base64.b64decode(src.split(",", 1)[1]).decode("utf-8")
    return asset_text(src)


def _inline_script(match: re.Match[str]) -> str:
    text = _text_of(match.group(1)).replace("</script", "<\\/script")
    return f"<script>{text}</script>"


def _inline_css(match: re.Match[str]) -> str:
    text = _text_of(match.group(1)).replace("</style", "<\\/style")
    return f"<style>{text}</style>"


def _relink_script(match: re.Match[str]) -> str:
    src = _CDN_OF.get(match.group(1), match.group(1))
    return f'<script src="{src}"></script>'


def _relink_css(match: re.Match[str]) -> str:
    href = _CDN_OF.get(match.group(1), match.group(1))
    return f'<link rel="stylesheet" href="{href}"/>'


def _walk(element: Element) -> Iterator[Element]:
    """Yield ``element`` and all its descendants."""
    yield element
    for child in list(element._children.values()):
        yield from _walk(child)
