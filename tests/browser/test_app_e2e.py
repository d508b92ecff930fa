"""The dashboard ``app.py`` end to end in a real browser: map, toggles, ranges, downloads, XSS."""

from __future__ import annotations

import io
import json
import sqlite3
from collections.abc import Callable
from contextlib import closing
from functools import partial
from pathlib import Path

import pytest
from defusedxml import ElementTree
from PIL import Image, ImageStat
from playwright.sync_api import FrameLocator, Page, expect
from streamlit_page import FRAME, download, wait_idle

from layers.assets import external_references
from layers.style import EXPORT_NAMES, range_color, style_for

#: Waiting for a Streamlit run and downloading, with this module's waits.
_wait_idle = partial(wait_idle, timeout_ms=30_000)
_download = partial(download, exact=True, timeout_ms=30_000)

LABELS = ".leaflet-control-layers-overlays label"
KML_NS = {"k": "http://www.opengis.net/kml/2.2"}
XSS_ARTICLE = (
    "Ukraine fired Storm Shadow missiles, which fly 250 km, at an airfield near "
    "<img src=x onerror=alert(1)>Belgorod<script>alert(2)</script> on Tuesday."
)


def _open_app(page: Page, url: str) -> FrameLocator:
    """Load the dashboard and return the map's frame once Leaflet has drawn the overlays."""
    page.goto(url, timeout=60_000)
    frame = page.frame_locator(FRAME)
    frame.locator(".leaflet-container").wait_for(timeout=180_000)
    frame.locator(".leaflet-control-layers").hover()  # the control starts collapsed
    frame.locator(LABELS).first.wait_for()
    frame.locator("path.leaflet-interactive").first.wait_for(state="attached")
    return frame


def test_default_map_lists_the_scenario_overlays_and_toggles_them(
    page: Page, app_url: str, dialogs: list[str], screenshot: Callable[[Page, str], Path]
) -> None:
    frame = _open_app(page, app_url)
    names = [n.strip() for n in frame.locator(LABELS).all_inner_texts()]
    for label in ("Occupied since 24 Feb 2022", "Sites in range", "Launch area"):
        assert label in names
    assert any(n.startswith("ATACMS") and "300 km" in n for n in names), names
    expect(page.get_by_text("ATACMS 300 km:", exact=False).first).to_be_visible()
    screenshot(page, "app-default")
    in_range = f"path.leaflet-interactive[fill='{style_for('sites_in_range').fill_color}']"
    assert frame.locator(in_range).count() > 0
    frame.locator(LABELS, has_text="Sites in range").locator("input").uncheck()
    assert frame.locator(in_range).count() == 0
    assert dialogs == []


def test_changing_a_range_changes_the_metric(
    page: Page, app_url: str, screenshot: Callable[[Page, str], Path]
) -> None:
    _open_app(page, app_url)
    page.get_by_text("Figures in detail").click()
    before = page.locator("[data-testid='stMetric']", has_text="ATACMS 300 km: area of RU")
    area_300 = before.locator("[data-testid='stMetricValue']").inner_text()
    field = page.locator("input[aria-label='ATACMS range 2 (km)']")
    field.fill("200")
    field.press("Enter")
    after = page.locator("[data-testid='stMetric']", has_text="ATACMS 200 km: area of RU")
    after.wait_for(state="attached", timeout=60_000)
    if not after.is_visible():  # a cold rerun can redraw the expander folded
        page.get_by_text("Figures in detail").click()
    after.wait_for(timeout=30_000)
    area_200 = after.locator("[data-testid='stMetricValue']").inner_text()
    assert _km2(area_200) < 0.8 * _km2(area_300)
    assert "atacms=165%2C200" in page.url or "atacms=165,200" in page.url
    _wait_idle(page)
    screenshot(page, "app-range-200")


@pytest.mark.timeout(900)
def test_every_download_is_a_valid_file(page: Page, app_url: str, tmp_path: Path) -> None:
    _open_app(page, app_url)
    collection = json.loads(_download(page, "All layers (GeoJSON)"))
    assert collection["type"] == "FeatureCollection"
    layers = {f["properties"]["layer"] for f in collection["features"]}
    assert {"frontline", "launch_area", "ranges", "sites"} <= layers
    ranges = [f for f in collection["features"] if f["properties"]["layer"] == "ranges"]
    assert {f["properties"]["range_km"] for f in ranges} >= {165, 300, 250, 500}
    _check_kml(_download(page, "KML"))
    _check_gpkg(_download(page, "GeoPackage"), tmp_path / "rangemap.gpkg")
    page_html = _download(page, "Map (standalone HTML)").decode("utf-8")
    title = "Long-range strikes into Russia, 19 November 2024 — Frontline of 2024-11-19"
    assert f"<title>{title}</title>" in page_html
    assert "Sources: Borders: Natural Earth" in page_html and "Frontline 2024-11-19" in page_html
    assert external_references(page_html) == []  # works offline
    png = Image.open(io.BytesIO(_download(page, "Static map (PNG)")))
    assert png.format == "PNG" and min(png.size) > 500
    assert ImageStat.Stat(png.convert("L")).stddev[0] > 20  # a drawn map, not a blank canvas
    assert len(png.convert("RGB").getcolors(1 << 20) or []) > 100
    svg = _download(page, "Static map (SVG)")
    assert svg.lstrip().startswith(b"<?xml") and b"<svg" in svg[:2000]
    assert _download(page, "Static map (PDF)").startswith(b"%PDF-")
    for key in ("ranges", "reach_clipped", "sites"):
        layer = json.loads(_download(page, EXPORT_NAMES[key]))  # buttons say the layer's name
        assert layer["type"] == "FeatureCollection" and len(layer["features"]) > 0


def _check_kml(data: bytes) -> None:
    """Check the KML parses, names its folders like the map and styles every placemark."""
    root = ElementTree.fromstring(data)
    folders = [
        f.findtext("k:name", namespaces=KML_NS) for f in root.iterfind(".//k:Folder", KML_NS)
    ]
    keys = ("frontline", "launch_area", "ranges", "reach_clipped", "places", "sites")
    assert folders == [EXPORT_NAMES[k] for k in keys]
    styles = {s.get("id"): s for s in root.iterfind(".//k:Style", KML_NS)}
    marks = list(root.iterfind(".//k:Placemark", KML_NS))
    assert len(marks) > 50
    for mark in marks:
        assert mark.findtext("k:name", namespaces=KML_NS).strip()
        assert mark.findtext("k:styleUrl", namespaces=KML_NS).lstrip("#") in styles
    ring = next(m for m in marks if m.findtext("k:name", namespaces=KML_NS) == "ATACMS 300 km")
    style = styles[ring.findtext("k:styleUrl", namespaces=KML_NS).lstrip("#")]
    colour = style.findtext("k:LineStyle/k:color", namespaces=KML_NS)  # aabbggrr
    assert f"#{colour[6:8]}{colour[4:6]}{colour[2:4]}" == range_color(0)


def _check_gpkg(data: bytes, path: Path) -> None:
    """Check the GeoPackage opens with sqlite3 and holds every data layer with features."""
    assert data.startswith(b"SQLite format 3\x00")
    path.write_bytes(data)
    with closing(sqlite3.connect(path)) as db:
        tables = {row[0] for row in db.execute("SELECT table_name FROM gpkg_contents")}
        assert {"frontline", "launch_area", "ranges", "reach_clipped", "places", "sites"} <= tables
        assert db.execute("SELECT count(*) FROM ranges").fetchone()[0] == 4
        assert db.execute("SELECT srs_id FROM gpkg_geometry_columns").fetchone()[0] == 4326


def test_an_xss_payload_in_a_pasted_article_shows_as_text_and_never_runs(
    page: Page, app_url: str, dialogs: list[str], screenshot: Callable[[Page, str], Path]
) -> None:
    frame = _open_app(page, app_url)
    box = page.locator("textarea[aria-label='…or paste its text']")
    box.fill(XSS_ARTICLE)
    box.press("Control+Enter")
    page.get_by_text("Storm Shadow 250 km:", exact=False).first.wait_for(timeout=60_000)
    _wait_idle(page)
    page.get_by_text("Pasted article", exact=True).click()
    shown = page.get_by_test_id("stText").filter(has_text="Ukraine fired Storm Shadow")
    expect(shown).to_have_text(XSS_ARTICLE)
    page.wait_for_timeout(500)
    assert dialogs == []
    assert page.locator("img[src='x']").count() == 0
    assert frame.locator("img[src='x']").count() == 0
    assert frame.locator("script", has_text="alert(2)").count() == 0
    screenshot(page, "app-xss-article")


def _km2(text: str) -> float:
    return float(text.split("km")[0].replace(",", ""))
