"""The web map in a real browser, inside streamlit-folium's frame."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import layer_samples as samples
from playwright.sync_api import BrowserContext, FrameLocator, Page

from layers.style import RANGE_PALETTE, style_for

FRAME = "iframe[title='streamlit_folium.st_folium']"
LABELS = ".leaflet-control-layers-overlays label"


def _open_map(page: Page, url: str) -> FrameLocator:
    """Load the app and return the map's frame once Leaflet has drawn the overlays."""
    page.goto(url)
    frame = page.frame_locator(FRAME)
    frame.locator(".leaflet-container").wait_for()
    frame.locator(".leaflet-control-layers").hover()  # the control starts collapsed
    frame.locator(LABELS).first.wait_for()
    frame.locator("path.leaflet-interactive").first.wait_for()
    return frame


def test_map_frame_lists_every_overlay(
    page: Page, map_app_url: str, screenshot: Callable[[Page, str], Path]
) -> None:
    frame = _open_map(page, map_app_url)
    names = [n.strip() for n in frame.locator(LABELS).all_inner_texts()]
    for key in ("borders", "launch_area", "places", "places_demonym", "sites_in_range"):
        assert style_for(key).label in names
    assert "ATACMS (300 km)" in names
    base = [
        n.strip() for n in frame.locator(".leaflet-control-layers-base label").all_inner_texts()
    ]
    assert base[0] == style_for("land").label
    assert frame.locator(".leaflet-control-layers-base input").first.is_checked()
    screenshot(page, "map-fixture")


def test_unticking_an_overlay_removes_its_markers(page: Page, map_app_url: str) -> None:
    frame = _open_map(page, map_app_url)
    in_range = f"path.leaflet-interactive[fill='{style_for('sites_in_range').fill_color}']"
    taurus = f"path.leaflet-interactive[stroke='{RANGE_PALETTE[1]}']"
    assert frame.locator(in_range).count() == 1
    assert frame.locator(taurus).count() == 1
    frame.locator(LABELS, has_text=style_for("sites_in_range").label).locator("input").uncheck()
    assert frame.locator(in_range).count() == 0
    assert frame.locator(taurus).count() == 1


def test_demonym_only_overlay_starts_hidden(page: Page, map_app_url: str) -> None:
    frame = _open_map(page, map_app_url)
    label = frame.locator(LABELS, has_text=style_for("places_demonym").label)
    assert not label.locator("input").is_checked()


def test_xss_payload_shows_as_text_and_never_runs(
    page: Page, dialogs: list[str], map_app_url: str, screenshot: Callable[[Page, str], Path]
) -> None:
    frame = _open_map(page, map_app_url)
    names = frame.locator(LABELS).all_inner_texts()
    assert any(samples.XSS in n for n in names)  # the weapon label, as text
    point = frame.locator(".leaflet-container").evaluate(
        "el => { const m = window.map; const p = m.latLngToContainerPoint([50.4501, 30.5234]);"
        " return {x: p.x, y: p.y}; }"
    )
    frame.locator(".leaflet-container").hover(position=point)
    tooltip = frame.locator(".leaflet-tooltip:not(.rm-label)")  # the hover tooltip
    tooltip.wait_for()
    assert samples.XSS in tooltip.inner_text()
    frame.locator(".leaflet-container").click(position=point)
    popup = frame.locator(".leaflet-popup-content")
    popup.wait_for()
    assert samples.XSS in popup.inner_text()
    assert frame.locator(".leaflet-popup-content img, .leaflet-popup-content script").count() == 0
    page.wait_for_timeout(300)
    assert dialogs == []
    screenshot(page, "map-fixture-xss-popup")


def test_map_renders_with_every_outside_request_blocked(
    page: Page,
    map_app_url: str,
    block_network: Callable[[BrowserContext], list[str]],
    screenshot: Callable[[Page, str], Path],
) -> None:
    blocked = block_network(page.context)
    frame = _open_map(page, map_app_url)
    assert frame.locator(".leaflet-control-layers").is_visible()
    assert frame.locator(".rm-label").count() > 0  # permanent labels drawn offline too
    assert frame.locator(LABELS).count() >= 10
    assert frame.locator("path.leaflet-interactive").count() > 5
    assert not [u for u in blocked if "leaflet" in u or "jquery" in u]
    screenshot(page, "map-fixture-offline")


def test_cdn_linked_map_is_blank_when_outside_requests_are_blocked(
    page: Page, map_app_url: str, block_network: Callable[[BrowserContext], list[str]]
) -> None:
    blocked = block_network(page.context)
    page.goto(f"{map_app_url}/?offline=0")
    frame = page.frame_locator(FRAME)
    frame.locator("#map_div").wait_for(state="attached")
    page.wait_for_timeout(1500)
    assert any("leaflet" in url for url in blocked)
    assert frame.locator(LABELS).count() == 0


def test_labels_measured_together_sit_where_leaflet_would_place_them(
    page: Page, map_app_url: str
) -> None:
    frame = _open_map(page, map_app_url)
    frame.locator(".rm-label").first.wait_for(state="attached")
    placed = frame.locator(".leaflet-container").evaluate(
        """() => {
            const out = [];
            window.map.eachLayer((layer) => {
                if (!(layer instanceof L.Tooltip) || layer._rmRank === undefined) { return; }
                const ours = layer.getElement().style.transform;
                const rank = layer._rmRank;
                layer._rmRank = undefined;  // Leaflet's own placement, measuring the label
                layer.update();
                out.push([ours, layer.getElement().style.transform, layer.options.direction]);
                layer._rmRank = rank;
                layer.update();
            });
            return out;
        }"""
    )
    assert len(placed) >= 3 and {d for _, _, d in placed} >= {"right", "center"}, placed
    assert all(ours == leaflets and ours for ours, leaflets, _ in placed), placed
