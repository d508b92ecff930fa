"""The dashboard as analysts keep it open: readable map, state that sticks, share links, phone.

What a reader sees in real Chromium: permanent labels, a collapsed layer control, the view
and map-side toggles kept across a range change, a share link that restores the scenario,
the map first on a phone, and the offline basemap back when web tiles cannot load.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import partial
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

from playwright.sync_api import BrowserContext, FrameLocator, Page, expect
from streamlit_page import FRAME, apart, wait_idle

from layers.map_state import OFFLINE_NOTICE
from layers.style import style_for

OVERLAYS = ".leaflet-control-layers-overlays label"
SITES_IN_RANGE = f"path.leaflet-interactive[fill='{style_for('sites_in_range').fill_color}']"


def _open(page: Page, url: str) -> FrameLocator:
    page.goto(url, timeout=120_000)
    frame = page.frame_locator(FRAME)
    frame.locator(".leaflet-container").wait_for(timeout=180_000)
    frame.locator(".rm-label").first.wait_for(timeout=30_000)
    return frame


def _zoom(frame: FrameLocator) -> int:
    return int(frame.locator(".leaflet-container").evaluate("() => window.map.getZoom()"))


def _overlay(frame: FrameLocator, name: str) -> object:
    frame.locator(".leaflet-control-layers").hover()
    return frame.locator(OVERLAYS, has_text=name).locator("input")


#: Let the map report its view and the rerun start, then wait for the run to end.
_wait_idle = partial(wait_idle, settle_ms=800)


def test_labels_show_without_hovering_and_the_layer_control_starts_collapsed(
    page: Page, app_url: str, screenshot: Callable[[Page, str], Path]
) -> None:
    frame = _open(page, app_url)
    _wait_idle(page)
    page.wait_for_timeout(1000)  # labels are decluttered just after the map settles
    labels = frame.locator(".rm-label")
    shown = [t for t in labels.all_inner_texts() if t.strip()]
    assert "ATACMS 300 km" in shown and "Taurus 500 km" in shown  # range written on the ring
    assert any("Kursk" in t or "Belgorod" in t for t in shown), shown
    boxes = [b for b in (labels.nth(i).bounding_box() for i in range(labels.count())) if b]
    visible = [
        b
        for i, b in enumerate(boxes)
        if labels.nth(i).evaluate("el => getComputedStyle(el).visibility") == "visible"
    ]
    for i, a in enumerate(visible):  # no two shown labels overlap
        for b in visible[i + 1 :]:
            assert apart(a, b, slack=1), (a, b)
    control = frame.locator(".leaflet-control-layers")
    assert "leaflet-control-layers-expanded" not in (control.get_attribute("class") or "")
    assert not frame.locator(OVERLAYS).first.is_visible()
    screenshot(page, "dashboard-labels")


def test_view_and_map_toggles_survive_a_range_change(
    page: Page, app_url: str, screenshot: Callable[[Page, str], Path]
) -> None:
    frame = _open(page, app_url)
    frame.locator(".leaflet-control-zoom-in").click()
    frame.locator(".leaflet-control-zoom-in").click()
    zoom = _zoom(frame)
    _overlay(frame, "Sites in range").uncheck()  # type: ignore[attr-defined]
    _wait_idle(page)
    field = page.locator("input[aria-label='ATACMS range 2 (km)']")
    field.fill("200")
    field.press("Enter")
    page.get_by_text("ATACMS 200 km:", exact=False).first.wait_for(timeout=120_000)
    _wait_idle(page)
    frame.locator(".rm-label", has_text="ATACMS 200 km").first.wait_for(state="attached")
    assert _zoom(frame) == zoom
    assert not _overlay(frame, "Sites in range").is_checked()  # type: ignore[attr-defined]
    assert frame.locator(SITES_IN_RANGE).count() == 0
    assert "hide=" in page.url and "sites_in_range" in page.url
    screenshot(page, "dashboard-after-range-change")


def test_the_controls_show_even_if_the_map_never_draws(page: Page, app_url: str) -> None:
    page.route("**/component/streamlit_folium.st_folium/**/*.js", lambda route: route.abort())
    page.goto(app_url, timeout=120_000)
    range_2 = page.locator("input[aria-label='ATACMS range 2 (km)']")
    expect(range_2).to_have_value("300", timeout=60_000)  # after CONTROLS_AT_LATEST_S
    assert page.frame_locator(FRAME).locator(".rm-label").count() == 0  # never drawn


def test_moving_the_map_or_showing_the_controls_does_not_send_the_map_again(
    page: Page, app_url: str
) -> None:
    received: list[int] = []
    page.on("websocket", lambda ws: ws.on("framereceived", lambda p: received.append(len(p))))
    frame = _open(page, app_url)
    expect(page.locator("input[aria-label='ATACMS range 2 (km)']")).to_be_visible()
    _wait_idle(page)
    assert len([n for n in received if n > 100_000]) == 1  # the map, once
    before = len(received)
    frame.locator(".leaflet-control-zoom-in").click()  # the map reports its view: a rerun
    _wait_idle(page)
    assert len(received) > before  # the map's rerun answered, with a reference to the map
    assert [n for n in received[before:] if n > 100_000] == []


def test_a_share_link_restores_the_scenario(page: Page, app_url: str) -> None:
    link = (
        f"{app_url}/?date=2024-08-20&atacms=165,250&storm-shadow=250&taurus=500"
        "&view=50.6,36.6,7&hide=sites_in_range,regions&from=kursk-salient"
    )
    frame = _open(page, link)
    expect(page.locator("input[aria-label='ATACMS range 2 (km)']")).to_have_value("250")
    expect(page.get_by_text("Frontline of 2024-08-20")).to_be_visible()
    page.wait_for_timeout(1500)
    assert _zoom(frame) == 7
    center = frame.locator(".leaflet-container").evaluate(
        "() => { const c = window.map.getCenter(); return [c.lat, c.lng]; }"
    )
    assert abs(center[0] - 50.6) < 0.05 and abs(center[1] - 36.6) < 0.05
    assert not _overlay(frame, "Sites in range").is_checked()  # type: ignore[attr-defined]
    _wait_idle(page)
    query = parse_qs(urlsplit(page.url).query)
    assert query["date"] == ["2024-08-20"] and query["atacms"] == ["165,250"], page.url
    assert query["from"] == ["kursk-salient"] and query["view"][0].endswith(",7"), page.url
    assert set(query["hide"][0].split(",")) == {"sites_in_range", "regions"}, page.url


def test_the_map_draws_first_and_the_controls_follow_at_the_links_values(
    page: Page, app_url: str, screenshot: Callable[[Page, str], Path]
) -> None:
    frame = _open(page, f"{app_url}/?atacms=165,250&view=50.6,36.6,7")
    range_2 = page.locator("input[aria-label='ATACMS range 2 (km)']")
    assert range_2.count() == 0  # the labels are drawn before the controls are laid out
    screenshot(page, "dashboard-map-first")
    map_page = frame.locator(".leaflet-container")
    map_page.evaluate("() => { window.rangemapFirstPage = true; }")
    expect(range_2).to_have_value("250", timeout=60_000)
    expect(range_2).to_be_in_viewport()
    _wait_idle(page)
    assert map_page.evaluate("() => window.rangemapFirstPage === true")  # not reloaded
    assert _zoom(frame) == 7
    expect(frame.locator(".rm-label", has_text="ATACMS 250 km").first).to_be_visible()
    expect(page.get_by_text("Loading the controls…")).to_have_count(0)
    query = parse_qs(urlsplit(page.url).query)
    assert query["atacms"] == ["165,250"] and query["view"][0].endswith(",7"), page.url
    screenshot(page, "dashboard-controls-shown")


def test_a_phone_shows_the_map_in_the_first_screen(
    browser: object, app_url: str, screenshot: Callable[[Page, str], Path]
) -> None:
    context = browser.new_context(viewport={"width": 390, "height": 844})  # type: ignore[attr-defined]
    phone = context.new_page()
    try:
        _open(phone, app_url)
        box = phone.locator(FRAME).bounding_box()
        assert box is not None and box["y"] + 300 < 844, box  # 300 px of map at least
        assert phone.get_by_test_id("stMetric").first.is_visible() is False  # in an expander
        screenshot(phone, "dashboard-phone")
    finally:
        context.close()


def test_web_tiles_without_a_network_say_so_and_fall_back(
    page: Page,
    app_url: str,
    block_network: Callable[[BrowserContext], list[str]],
    screenshot: Callable[[Page, str], Path],
) -> None:
    block_network(page.context)
    frame = _open(page, app_url)
    frame.locator(".leaflet-control-layers").hover()
    frame.locator(".leaflet-control-layers-base label", has_text="OpenStreetMap").click()
    notice = frame.locator(".rangemap-offline-notice")
    expect(notice).to_have_text(OFFLINE_NOTICE, timeout=20_000)
    frame.locator(".leaflet-control-layers").hover()
    offline = frame.locator(".leaflet-control-layers-base input").first
    expect(offline).to_be_checked()
    screenshot(page, "dashboard-offline-tiles")
