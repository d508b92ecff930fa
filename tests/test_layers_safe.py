"""User text is data, never code: template and XSS payloads in every text field of the map.

branca renders every element's output a second time as a Jinja2 template, and Leaflet sets
tooltips, popups, layer names and the legend as ``innerHTML``. Each payload below goes into
every text column of every layer; the rendered page must show it literally (decoded as the
browser does: JavaScript string → ``innerHTML`` → text) and must contain no evaluation.
"""

from __future__ import annotations

import html
import json
import re
from functools import cache
from html.parser import HTMLParser
from itertools import product
from pathlib import Path

import geopandas as gpd
import layer_samples as samples
import pandas as pd
import pytest

from geo._safe import WORD_JOINER, UnsafeTextError, escape_html, escape_json, escape_markdown
from layers._display import geojson
from layers._html import feature_group
from layers.assets import render_html
from layers.legend import LegendEntry, legend_html
from layers.web_map import build_map

ROOT = Path(__file__).resolve().parent.parent
#: Evaluated, these leave a mark that does not occur by chance (7777777, PWNED, EVALUATED x3).
TEMPLATE_CORES = [
    "{{7*7}}",
    "{{ 1111111*7 }}",
    "{% for x in range(3) %}EVALUATED{% endfor %}",
    "{# c #}",
    "{{ lipsum.__globals__.os.popen('echo PWN\"\"ED').read() }}",
    "{{ self.__init__.__globals__ }}",
    "{{ config }}",
    "{%raw%}{{ 1111111*7 }}{%endraw%}",
    "{{ '7777' ~ '777' }}",
    "{{ 1111111*7|string }}",
    "{{{{ 1111111*7 }}}}",
    "{%- if true -%}EVALUATED{{ 'EVALUATED' * 2 }}{%- endif -%}",
    "{{ cycler.__init__.__globals__.os }}",
    "{% set x = 1111111*7 %}{{ x }}",
    "}}{{ 1111111*7 }}{{",
    "${1111111*7}",
    "`${1111111*7}`",
    "#{1111111*7}",
]
XSS_CORES = [
    "<script>alert(1)</script>",
    "<img src=x onerror=alert(1)>",
    "<svg onload=alert(1)>",
    '"><script>alert(1)</script>',
    "'-alert(1)-'",
    "</script><script>alert(1)</script>",
    "<iframe src=javascript:alert(1)>",
    "![x](http://127.0.0.1:9/pixel.png) [link](http://127.0.0.1:9)",
    "&lt;script&gt; &amp; &#123;&#123;7*7&#125;&#125;",
    "\\u007b\\u007b7*7\\u007d\\u007d \\` back\\slash",
]
#: The payloads: every core alone and after a place name (as an article would have it).
PAYLOADS = [prefix + core for core, prefix in product(TEMPLATE_CORES + XSS_CORES, ["", "Kharkiv "])]
EVALUATED = ("7777777", "EVALUATEDEVALUATEDEVALUATED", "Kharkiv 49", "PWNED")


def hostile_layers(texts: list[str]) -> dict[str, gpd.GeoDataFrame]:
    """Return every layer with one copy of its rows per text, in each text column."""
    frames = [_hostile_layers(text) for text in texts]
    return {
        key: gpd.GeoDataFrame(pd.concat([f[key] for f in frames], ignore_index=True), crs=4326)
        for key in frames[0]
    }


def _hostile_layers(text: str) -> dict[str, gpd.GeoDataFrame]:
    """Return every layer with ``text`` in each of its text columns."""
    base = _samples()
    places = base["places"].assign(name=text, sentence=text, kind=text, country_code=text)
    places["surfaces"] = [[text]] * len(places)
    return {
        "borders": base["borders"].assign(name=text, iso_a2=text),
        "regions": base["regions"].assign(name=text, source=text, code=text),
        "frontline": base["frontline"].assign(source=text, date=text),
        "launch_area": base["launch_area"].assign(name=text, description=text),
        "ranges": base["ranges"].assign(weapon=text, label=text),
        "places": places,
        "sites": base["sites"].assign(name=text, type=text, source_title=text, country_code=text),
    }


@cache
def _samples() -> dict[str, gpd.GeoDataFrame]:
    regions = samples.countries().rename(columns={"iso_a2": "country_code"})
    return {
        "borders": samples.countries(),
        "regions": regions.assign(approximate=True),
        "frontline": samples.frontline(),
        "launch_area": samples.launch_areas(),
        "ranges": samples.ranges(),
        "places": samples.places(),
        "sites": samples.sites(),
    }


class _Text(HTMLParser):
    """What ``innerHTML = markup`` shows: the text, character references decoded."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []

    def handle_data(self, data: str) -> None:
        self.parts.append(data)


def shown_texts(page: str) -> list[str]:
    """Return the text of every JavaScript string of ``page``, as Leaflet would show it."""
    texts = []
    for literal in re.findall(r'"(?:[^"\\\n]|\\.)*"', page):
        try:
            value = json.loads(literal)
        except json.JSONDecodeError:
            continue
        parser = _Text()
        parser.feed(value)
        parser.close()
        texts.append("".join(parser.parts))
    return texts


@pytest.fixture(scope="module")
def hostile_page() -> tuple[str, list[str]]:
    """Return the map page with every payload in every text field, and its shown texts."""
    page = render_html(build_map(hostile_layers(PAYLOADS)), offline=False)
    return page, shown_texts(page)


def test_no_payload_is_evaluated_or_runs(hostile_page: tuple[str, list[str]]) -> None:
    page, _ = hostile_page
    for mark in EVALUATED:
        assert mark not in page
    assert not re.search(r"<(img|svg|iframe|script)\b[^>]*(onerror|onload|javascript:)", page)
    assert "<script>alert" not in page


@pytest.mark.parametrize("payload", PAYLOADS)
def test_a_payload_in_every_text_field_shows_literally(
    payload: str, hostile_page: tuple[str, list[str]]
) -> None:
    _, texts = hostile_page
    shown = sum(payload in t for t in texts)
    # Tooltips and popups of each layer, layer names, the legend: many places at least.
    assert shown >= 10, f"{payload!r} is shown literally only {shown} times"


def test_there_are_at_least_thirty_payloads() -> None:
    assert len(set(PAYLOADS)) >= 30


@pytest.mark.parametrize("payload", PAYLOADS)
def test_escape_html_leaves_nothing_active(payload: str) -> None:
    text = escape_html(payload)
    for char in "<>\"'`$\\{}":
        assert char not in text
    assert html.unescape(text) == payload


@pytest.mark.parametrize("payload", PAYLOADS)
def test_escape_json_is_the_same_value_without_braces_or_tags(payload: str) -> None:
    text = escape_json({"t": [payload], "n": 1})
    inner = text[1:-1]  # the object's own braces are structure, not template syntax
    assert not re.search(r"[{}<>&]", inner.replace('"t": [', "").replace(', "n": 1', ""))
    assert "{{" not in text and "{%" not in text and "{#" not in text
    assert json.loads(text) == {"t": [payload], "n": 1}


@pytest.mark.parametrize("payload", PAYLOADS)
def test_escape_markdown_escapes_every_markup_character(payload: str) -> None:
    text = escape_markdown(payload)
    unescaped = re.sub(r"\\(.)", r"\1", text).replace(WORD_JOINER, "")
    assert unescaped == payload
    bare = re.sub(r"\\.", "", text)
    assert not re.search(r"[\[\]()!<>`*_{}$:&|~#]", bare)


@pytest.mark.parametrize(
    "text", ["http://127.0.0.1:9/p.png", "HTTPS://example.org", "www.example.org", "a@b.org"]
)
def test_escape_markdown_breaks_bare_links_invisibly(text: str) -> None:
    shown = re.sub(r"\\(.)", r"\1", escape_markdown(text))
    assert WORD_JOINER in shown and shown.replace(WORD_JOINER, "") == text


def test_unescaped_text_is_refused_at_the_map_boundary() -> None:
    frame = samples.places()
    with pytest.raises(UnsafeTextError, match="tooltip"):
        geojson(frame, style={}, tips=["{{7*7}}"] * len(frame))
    with pytest.raises(UnsafeTextError, match="popup"):
        geojson(frame, style={}, popups=["{% x %}"] * len(frame))


def test_layer_names_and_legend_labels_are_escaped_once() -> None:
    group = feature_group("ATACMS {{7*7}} <b>")
    assert group.layer_name == "ATACMS &#123;&#123;7*7&#125;&#125; &lt;b&gt;"
    box = legend_html([LegendEntry(label="{{7*7}}", color="#000000")])
    assert "&#123;&#123;7*7&#125;&#125;" in box and "{{" not in box


#: folium/branca classes that take text or templates. Only the safe constructors of
#: layers/_html.py (feature_group, popup, tooltip, page_css) and layers/_display.geojson
#: may call them.
_TEXT_CALLS = re.compile(
    r"\b(?:folium\.)?(FeatureGroup|Popup|Tooltip|Marker|Html|IFrame|DivIcon|Element|"
    r"GeoJsonTooltip|GeoJsonPopup|MacroElement|Template)\("
)
_ALLOWED = {
    "_html.py": {"FeatureGroup", "Popup", "Tooltip", "Element"},
    "_display.py": {"GeoJsonTooltip", "GeoJsonPopup"},
    # Fixed templates whose only data is JSON made by geo._safe.escape_json:
    "legend.py": {"Template"},
    "labels.py": {"Template"},
    "map_state.py": {"Template"},
}


def test_only_the_safe_constructors_hand_text_to_folium() -> None:
    found = []
    for path in sorted((ROOT / "layers").glob("*.py")):
        if path.name.startswith("_static") or path.name in {"static_map.py", "projection.py"}:
            continue
        for name in _TEXT_CALLS.findall(path.read_text(encoding="utf-8")):
            if name not in _ALLOWED.get(path.name, set()):
                found.append(f"{path.name}: {name}(")
    assert found == [], "call layers._html.feature_group/popup/tooltip instead"


HOSTILE_ARTICLE = (
    "Ukraine fired ATACMS missiles at Kharkiv {{ 1111111*7 }} and at Belgorod "
    "{% for x in range(3) %}EVALUATED{% endfor %} on Tuesday {# c #}. "
    "Officials in Kursk said <img src=x onerror=alert(1)> ![x](http://127.0.0.1:9/p.png)."
)


def test_rangemap_map_html_of_a_hostile_article_shows_it_literally(tmp_path: Path) -> None:
    import contextlib
    import io

    from geo import cli

    article = tmp_path / "article.txt"
    article.write_text(HOSTILE_ARTICLE, encoding="utf-8")
    out = tmp_path / "map.html"
    with contextlib.redirect_stdout(io.StringIO()), contextlib.redirect_stderr(io.StringIO()):
        code = cli.main(["map", str(article), "--html", str(out), "-q"])
    assert code == 0
    page = out.read_text(encoding="utf-8")
    for mark in EVALUATED:
        assert mark not in page
    texts = shown_texts(page)
    for piece in ("{{ 1111111*7 }}", "{% for x in range(3) %}EVALUATED{% endfor %}", "{# c #}"):
        assert any(piece in t for t in texts), piece
