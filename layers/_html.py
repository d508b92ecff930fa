"""Escaped HTML for popups, tooltips and layer names: user text is shown, never run.

folium puts popup and tooltip HTML into JavaScript template literals (`` `...` ``), Leaflet
sets it as ``innerHTML`` (the LayerControl does the same with overlay names), and branca
renders every element's output a second time as a Jinja2 template. So text from an
article, a file or a user is escaped three times over, by the one function at the boundary,
:func:`geo._safe.escape_html` (re-exported here as :func:`escape`): HTML (``<``, ``>``,
``&``, quotes), the template literal (backtick, ``$``, backslash) and Jinja2 (``{``, ``}``).

Every string given to folium passes :func:`geo._safe.assert_inert` through the constructors
here (:func:`feature_group`, :func:`popup`, :func:`tooltip`) and :func:`layers._display.geojson`;
``tests/test_layers_safe.py`` checks that no other module calls folium's text-taking classes.
"""

from __future__ import annotations

import datetime
import math
import numbers
from collections.abc import Iterable
from urllib.parse import urlsplit

import folium
from branca.element import Element, Figure

from geo._safe import UnsafeTextError, assert_inert, escape_html, has_template_syntax

#: Width of popups in CSS pixels.
POPUP_WIDTH = 320


def escape(value: object) -> str:
    r"""Return ``value`` as text that is safe in HTML, a JS template literal and Jinja2.

    Parameters
    ----------
    value
        Anything; ``None`` and NaN become an empty string.

    Returns
    -------
    str
        The text with ``& < > " '``, ``{ }`` and ``` ` $ \ ``` replaced by character
        references (see :func:`geo._safe.escape_html`).
    """
    return escape_html(value)


def feature_group(name: str, *, show: bool = True, **options: object) -> folium.FeatureGroup:
    """Return an overlay whose LayerControl name is ``name`` (escaped here).

    Parameters
    ----------
    name
        Plain text (never HTML): it is escaped, then checked inert.
    show
        Whether the overlay is visible when the map opens.
    **options
        Other ``folium.FeatureGroup`` options (``overlay``, ``control``).
    """
    safe = assert_inert(escape(name), where="layer name")
    return folium.FeatureGroup(name=safe, show=show, **options)  # type: ignore[arg-type]


def safe_url(value: object) -> str | None:
    """Return an ``http(s)`` URL escaped for an ``href``, or ``None`` for anything else.

    ``javascript:``, ``data:`` and relative URLs are refused: a link in a popup must only
    ever lead to a web page.
    """
    if not isinstance(value, str) or not value.strip():
        return None
    url = value.strip()
    parts = urlsplit(url)
    if parts.scheme.lower() not in {"http", "https"} or not parts.netloc:
        return None
    return escape(url)


def popup_html(
    title: object,
    rows: Iterable[tuple[str, object]],
    *,
    quote: object = None,
    link: tuple[str, object] | None = None,
) -> str:
    """Build the HTML of a popup: a bold title, a table of fields, a quote and a link.

    Parameters
    ----------
    title
        Heading (escaped).
    rows
        ``(label, value)`` pairs; labels and values are escaped, empty values are skipped.
    quote
        A sentence from the source text, shown in italics (escaped); skipped when empty.
    link
        ``(text, url)`` of a source link; only ``http(s)`` URLs are linked.

    Returns
    -------
    str
        HTML whose every piece of text is escaped with :func:`escape`.
    """
    parts = [f"<div class='rangemap-popup'><b>{escape(title)}</b>"]
    cells = [
        f"<tr><th style='text-align:left;padding-right:6px'>{escape(label)}</th>"
        f"<td>{escape(value)}</td></tr>"
        for label, value in rows
        if escape(value)
    ]
    if cells:
        parts.append("<table>" + "".join(cells) + "</table>")
    if escape(quote):
        parts.append(f"<p style='margin:4px 0'><i>&ldquo;{escape(quote)}&rdquo;</i></p>")
    if link is not None:
        text, url = link
        href = safe_url(url)
        if href:
            parts.append(
                f"<a href='{href}' target='_blank' rel='noopener noreferrer'>"
                f"{escape(text or url)}</a>"
            )
        elif escape(text):
            parts.append(f"<span>{escape(text)}</span>")
    parts.append("</div>")
    return "".join(parts)


def page_css(m: folium.Map, name: str, css: str) -> None:
    """Add a fixed style sheet (rangemap's own, never user text) to the page of ``m``.

    Raises
    ------
    geo._safe.UnsafeTextError
        If ``css`` holds a Jinja delimiter (the header is rendered as a template).
    """
    if has_template_syntax(css):
        raise UnsafeTextError(f"style sheet {name!r} holds template syntax")
    root = m.get_root()
    assert isinstance(root, Figure), "the map must belong to a branca Figure"
    root.header.add_child(Element(f"<style>{css}</style>"), name=name)


def popup(html_text: str) -> folium.Popup:
    """Wrap HTML built by :func:`popup_html` in a popup (checked inert, then used as is)."""
    return folium.Popup(assert_inert(html_text, where="popup"), max_width=POPUP_WIDTH)


def tooltip(text: object) -> folium.Tooltip:
    """Return a tooltip that shows ``text`` (escaped) when hovering."""
    return folium.Tooltip(assert_inert(escape(text), where="tooltip"), sticky=True)


def format_latlon(lat: float, lon: float) -> str:
    """Return ``"50.4501° N, 30.5234° E"`` for a point."""
    ns = "N" if lat >= 0 else "S"
    ew = "E" if lon >= 0 else "W"
    return f"{abs(lat):.4f}° {ns}, {abs(lon):.4f}° {ew}"


def as_number(value: object) -> float | None:
    """Return ``value`` as a finite float, or ``None`` for missing or non-numeric values."""
    if isinstance(value, bool) or not isinstance(value, numbers.Real):
        return None
    number = float(value)
    return number if math.isfinite(number) else None


def format_date(value: object) -> str:
    """Return a date as ``YYYY-MM-DD`` (other values escaped as text; missing ones empty)."""
    if isinstance(value, datetime.date):
        try:
            return value.strftime("%Y-%m-%d")
        except ValueError:  # pandas.NaT
            return ""
    return escape(value)
