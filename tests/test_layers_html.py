"""Escaping of user text in popups, tooltips and layer names (layers/_html.py)."""

from __future__ import annotations

import html

import pytest

from layers._html import as_number, escape, format_latlon, popup_html, safe_url

PAYLOADS = [
    "<script>alert(1)</script>",
    "<img src=x onerror=alert(1)>",
    "`${alert(1)}`",
    "\\u0060 \\` back\\slash",
    "\"quoted\" & 'single'",
    "</div></table><b>bold",
]


@pytest.mark.parametrize("payload", PAYLOADS)
def test_escape_leaves_no_html_or_template_literal_syntax(payload: str) -> None:
    text = escape(payload)
    for char in "<>\"'`$\\":
        assert char not in text
    assert html.unescape(text) == payload


@pytest.mark.parametrize(("value", "expected"), [(None, ""), (float("nan"), ""), (3, "3")])
def test_escape_of_missing_and_numbers(value: object, expected: str) -> None:
    assert escape(value) == expected


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("https://example.org/a?b=1&c=2", "https://example.org/a?b=1&amp;c=2"),
        ("http://example.org", "http://example.org"),
        ("javascript:alert(1)", None),
        ("JaVaScRiPt:alert(1)", None),
        ("data:text/html,<script>alert(1)</script>", None),
        ("//example.org/x", None),
        ("/relative", None),
        ("", None),
        (None, None),
        (
            'https://example.org/"onmouseover=alert(1)',
            "https://example.org/&quot;onmouseover=alert(1)",
        ),
    ],
)
def test_safe_url_only_links_web_pages(url: object, expected: str | None) -> None:
    assert safe_url(url) == expected


def test_popup_html_escapes_every_part_and_skips_empty_rows() -> None:
    page = popup_html(
        "<b>t</b>",
        [("Kind", "<i>city</i>"), ("Population", None), ("Empty", "")],
        quote="a <script>x</script> b",
        link=("src", "javascript:alert(1)"),
    )
    assert "<b>t</b>" not in page and "&lt;b&gt;t&lt;/b&gt;" in page
    assert "&lt;i&gt;city&lt;/i&gt;" in page
    assert "Population" not in page and "Empty" not in page
    assert "<script>" not in page and "javascript:" not in page


def test_popup_html_links_http_sources_in_a_new_tab() -> None:
    page = popup_html("Site", [], link=("Where", "https://example.org/x"))
    assert "<a href='https://example.org/x' target='_blank' rel='noopener noreferrer'>" in page


@pytest.mark.parametrize(
    ("lat", "lon", "expected"),
    [
        (50.4501, 30.5234, "50.4501° N, 30.5234° E"),
        (-33.8688, -151.2093, "33.8688° S, 151.2093° W"),
    ],
)
def test_format_latlon(lat: float, lon: float, expected: str) -> None:
    assert format_latlon(lat, lon) == expected


@pytest.mark.parametrize(
    ("value", "expected"),
    [(3, 3.0), (2.5, 2.5), (True, None), ("3", None), (None, None), (float("inf"), None)],
)
def test_as_number(value: object, expected: float | None) -> None:
    assert as_number(value) == expected
