"""The dashboard ``app.py`` end to end in a real browser: map, toggles, ranges, downloads, XSS."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

from playwright.sync_api import FrameLocator, Page, expect

from layers.style import style_for

FRAME = "iframe[title='streamlit_folium.st_folium']"
LABELS = ".leaflet-control-layers-overlays label"
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


def test_downloads_are_a_tagged_feature_collection_and_a_png(page: Page, app_url: str) -> None:
    _open_app(page, app_url)
    with page.expect_download(timeout=60_000) as info:
        page.get_by_role("button", name="All layers (GeoJSON)").click()
    data = json.loads(Path(info.value.path()).read_text(encoding="utf-8"))
    assert data["type"] == "FeatureCollection"
    layers = {f["properties"]["layer"] for f in data["features"]}
    assert {"frontline", "launch_area", "ranges", "sites"} <= layers
    ranges = [f for f in data["features"] if f["properties"]["layer"] == "ranges"]
    assert {f["properties"]["range_km"] for f in ranges} >= {165, 300, 250, 500}
    with page.expect_download(timeout=60_000) as info:
        page.get_by_role("button", name="Static map (PNG)").click()
    assert Path(info.value.path()).read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


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


def _wait_idle(page: Page) -> None:
    """Wait until Streamlit has finished the current run (its "Running…" widget is gone)."""
    expect(page.get_by_test_id("stStatusWidget")).to_be_hidden(timeout=30_000)


def _km2(text: str) -> float:
    return float(text.split("km")[0].replace(",", ""))
