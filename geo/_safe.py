r"""The one place user text is made inert: for HTML, for Jinja2, for JSON/JS and for Markdown.

User text (article places and sentences, place names, scenario titles, weapon names and
notes, file names, frontline properties) is data, never code. It reaches three engines that
would otherwise run it:

- **Jinja2, twice.** branca's ``MacroElement.render`` (and folium's ``Popup.render``) render
  an element's template and wrap the *output* in ``Element(output)``, whose constructor
  compiles that output as a new ``jinja2.Template``; the figure renders it again. Any
  ``{{ ... }}``, ``{% ... %}`` or ``{# ... #}`` that user text put into the first output is
  evaluated on the server (``{{7*7}}`` shows 49; ``lipsum.__globals__`` reaches ``os``).
- **The browser**: Leaflet sets tooltips, popups and layer names as ``innerHTML``; folium
  wraps popups in JavaScript template literals (`` `...` ``).
- **Markdown**: Streamlit renders messages, titles and labels as Markdown (images, links,
  ``:red[...]`` directives, LaTeX).

:func:`escape_html` and :func:`escape_json` turn ``{`` and ``}`` into character
references (``&#123;`` in HTML, ``\u007b`` in JSON strings), so no Jinja delimiter can
form while the browser still shows the braces; :func:`escape_markdown` backslash-escapes
every Markdown punctuation character. :func:`assert_inert` is the check at the boundary:
text that still holds a brace was not escaped.
"""

from __future__ import annotations

import html
import json
import math
import re
from typing import Any

#: Characters turned into HTML character references besides ``& < > " '``: the braces of
#: Jinja delimiters and the backtick, dollar and backslash of JavaScript template literals.
_HTML_EXTRA = str.maketrans(
    {"{": "&#123;", "}": "&#125;", "`": "&#96;", "$": "&#36;", "\\": "&#92;"}
)
#: Characters written as ``\\uXXXX`` inside JSON strings: braces (Jinja) and ``< > &``
#: (a ``</script>`` in a string must not end the script element).
_JSON_EXTRA = {"{": "\\u007b", "}": "\\u007d", "<": "\\u003c", ">": "\\u003e", "&": "\\u0026"}
_JSON_EXTRA_RE = re.compile("[{}<>&]")
#: ASCII punctuation that Markdown (CommonMark, GFM, Streamlit's directives and LaTeX) may
#: give a meaning; every one of them can be backslash-escaped in CommonMark.
_MARKDOWN_SPECIAL = re.compile(r"([\\`*_{}\[\]()#+\-.!|<>~$:&=^])")
#: GFM turns bare ``http://``, ``www.`` and ``name@host`` text into links *after* parsing, so
#: escapes do not stop it; an invisible WORD JOINER (U+2060) after the scheme, ``www`` or
#: ``@`` does, and the text looks the same.
WORD_JOINER = "\u2060"
_AUTOLINK = re.compile(r"(://|(?<![\w])www(?=\\?\.)|@)", re.IGNORECASE)
#: What makes a label need escaping: Markdown punctuation, a ``:name`` directive or shortcode,
#: a bare link, or a line break.
_LABEL_ACTIVE = re.compile(r"[\\`*_~\[\]!<>$|{}#&=^]|:\S|://|www\.|@|\n|^\s*[-+.\d]")
#: Jinja2's default delimiters.
JINJA_DELIMITERS = ("{{", "}}", "{%", "%}", "{#", "#}")


class UnsafeTextError(ValueError):
    """Raised when text about to enter a template still holds a raw brace (a programming error)."""


def escape_html(value: object) -> str:
    r"""Return ``value`` as text that HTML, a JS template literal and Jinja2 all show literally.

    Parameters
    ----------
    value
        Anything; ``None`` and NaN become an empty string, other values their ``str``.

    Returns
    -------
    str
        The text with ``& < > " '``, ``{ }`` and ``` ` $ \ ``` replaced by character
        references (``&#123;`` for ``{``), which the browser shows as the characters.
    """
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return ""
    return html.escape(str(value), quote=True).translate(_HTML_EXTRA)


def escape_json(value: Any) -> str:
    r"""Return ``value`` as JSON for a ``<script>``, inert for Jinja2 and for the HTML parser.

    Parameters
    ----------
    value
        A JSON-serialisable value (strings inside are escaped, not changed).

    Returns
    -------
    str
        JSON where ``{ } < > &`` inside strings are ``\u`` escapes; the braces of objects
        never form a Jinja delimiter (``json.dumps`` puts a quote or a space after them).
    """
    text = json.dumps(value, ensure_ascii=False, allow_nan=False)
    return _escape_json_strings(text)


def escape_markdown(value: object) -> str:
    """Return ``value`` as Markdown that Streamlit shows as plain text.

    Parameters
    ----------
    value
        Anything (``str`` of it is used); ``None`` becomes an empty string.

    Returns
    -------
    str
        The text with every Markdown punctuation character backslash-escaped, a
        :data:`WORD_JOINER` after ``://``, ``www`` and ``@`` (no autolink) and line breaks
        kept, so ``![x](http://host/p.png)`` shows as those characters, not an image.
    """
    if value is None:
        return ""
    text = str(value).replace("\r\n", "\n").replace("\r", "\n")
    text = _AUTOLINK.sub(lambda m: m.group(1) + WORD_JOINER, text)
    return _MARKDOWN_SPECIAL.sub(r"\\\1", text)


def escape_label(value: object) -> str:
    """Return text for a Streamlit widget or metric label: as is when Markdown cannot act on it.

    Labels are Markdown too, but their text is also the field's accessible name
    (``aria-label``), so plain names ("ATACMS range 2 (km)") stay unescaped; anything with
    a character Markdown or Streamlit could act on is escaped by :func:`escape_markdown`.
    """
    text = "" if value is None else str(value)
    return escape_markdown(text) if _LABEL_ACTIVE.search(text) else text


def assert_inert(text: str, *, where: str = "text") -> str:
    """Return ``text`` if it holds no raw brace; raise otherwise.

    Every string handed to folium/branca passes through here: escaped user text has no
    brace left, and the fixed parts rangemap writes itself never need one.

    Raises
    ------
    UnsafeTextError
        If ``text`` contains ``{`` or ``}`` (it was not built with :func:`escape_html`).
    """
    if "{" in text or "}" in text:
        raise UnsafeTextError(f"{where} was not escaped for the map (raw brace): {text[:80]!r}")
    return text


def has_template_syntax(text: str) -> bool:
    """Return whether ``text`` holds a Jinja2 delimiter (``{{``, ``{%``, ``{#`` or a closer)."""
    return any(d in text for d in JINJA_DELIMITERS)


def _escape_json_strings(text: str) -> str:
    """Escape the characters of :data:`_JSON_EXTRA` inside the string literals of JSON ``text``."""
    out: list[str] = []
    in_string = escaped = False
    for chunk in re.split(r'(["\\{}<>&])', text):
        if not chunk:
            continue
        if chunk == "\\":
            out.append(chunk)
            escaped = in_string and not escaped
            continue
        if chunk == '"' and not escaped:
            in_string = not in_string
        elif in_string and chunk in _JSON_EXTRA:
            chunk = _JSON_EXTRA[chunk]
        escaped = False
        out.append(chunk)
    return "".join(out)
