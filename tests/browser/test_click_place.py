"""Click-to-place in real Chromium: a click on the map adds a launch point with its ring.

The reader chooses a weapon and a range in the sidebar, clicks the map, and sees a new
ring labelled "ATACMS #1 150 km" on the ring's northern edge, 150 km due north of the
click (checked against ``pyproj.Geod``); the point is in the share link and in the GeoJSON
download; unticking it removes the ring. The map is not reloaded and clicks do not loop.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from functools import partial
from pathlib import Path

import pytest
from playwright.sync_api import FrameLocator, Page, expect
from playwright.sync_api import TimeoutError as PlaywrightTimeoutError
from pyproj import Geod
from streamlit_page import FRAME, download, wait_idle

#: Waiting for a Streamlit run and downloading, with this module's waits.
_wait_idle = partial(wait_idle, settle_ms=500)
_download = partial(download, settle_ms=500)

CLICK = (50.0, 24.0)  # lat, lon: western Ukraine, away from the other rings' labels
RANGE_KM = 150
LABEL = f"ATACMS #1 {RANGE_KM} km"


def test_a_click_adds_a_launch_point_with_its_labelled_ring(
    page: Page, app_url: str, screenshot: Callable[[Page, str], Path]
) -> None:
    frame = _open(page, app_url)
    _choose(page, "Click the map to add a launch point of", "ATACMS")
    field = page.locator("input[aria-label='…with a ring of (km)']")
    field.fill(str(RANGE_KM))
    field.press("Enter")
    _wait_idle(page)
    loads = _map_loads(frame)

    _click_at(frame, *CLICK)
    label = frame.locator(".rm-label", has_text=LABEL)
    label.first.wait_for(state="attached", timeout=120_000)
    _wait_idle(page)

    at = frame.locator(".leaflet-container").evaluate(
        "() => window.__GLOBAL_DATA__.lat_lng_clicked"
    )
    clicked = (round(at["lat"], 4), round(at["lng"], 4))  # where the pixel clicked is
    assert clicked == (pytest.approx(CLICK[0], abs=0.1), pytest.approx(CLICK[1], abs=0.1))
    north = Geod(ellps="WGS84").fwd(clicked[1], clicked[0], 0.0, RANGE_KM * 1000.0)
    lat, lon = label.first.evaluate(_TOOLTIP_LATLNG)
    assert lat == pytest.approx(north[1], abs=0.02) and lon == pytest.approx(clicked[1], abs=0.05)
    assert _map_loads(frame) == loads  # swapped in place, not reloaded
    pin = f"pin={clicked[0]:.4f},{clicked[1]:.4f},{RANGE_KM},ATACMS"
    assert pin in page.url.replace("%2C", ","), page.url
    screenshot(page, "click-place")

    page.wait_for_timeout(1500)  # no rebuild loop: the page stays idle after the click
    expect(page.get_by_test_id("stStatusWidget")).to_be_hidden()

    features = json.loads(_download(page, "All layers (GeoJSON)"))["features"]
    rings = [f for f in features if f["properties"].get("weapon") == "ATACMS #1"]
    assert {f["properties"].get("range_km") for f in rings} - {None} == {RANGE_KM}
    points = [
        f["geometry"]["coordinates"]
        for f in features
        if f["geometry"]
        and f["geometry"]["type"] == "Point"
        and "ATACMS #1" in str(f["properties"])
    ]
    assert [[round(x, 4), round(y, 4)] for x, y in points] == [[clicked[1], clicked[0]]]

    page.get_by_role("button", name="Remove ATACMS #1", exact=False).first.click()
    _wait_idle(page)
    expect(frame.locator(".rm-label", has_text=LABEL)).to_have_count(0, timeout=60_000)
    assert "pin=" not in page.url


_TOOLTIP_LATLNG = """el => {
    let found = null;
    window.map.eachLayer(l => { if (l.getElement && l.getElement() === el) { found = l; } });
    const at = found.getLatLng();
    return [at.lat, at.lng];
}"""


def _open(page: Page, url: str) -> FrameLocator:
    page.goto(url, timeout=120_000)
    frame = page.frame_locator(FRAME)
    frame.locator(".rm-label").first.wait_for(state="attached", timeout=180_000)
    _wait_idle(page)
    frame.locator(".leaflet-container").evaluate("() => { window.rmLoads = 1; }")
    return frame


def _map_loads(frame: FrameLocator) -> object:
    """Return the marker set when the frame opened: gone if the frame was reloaded."""
    return frame.locator(".leaflet-container").evaluate("() => window.rmLoads || 0")


def _click_at(frame: FrameLocator, lat: float, lon: float) -> None:
    container = frame.locator(".leaflet-container")
    x, y = container.evaluate(
        "(el, at) => { const p = window.map.latLngToContainerPoint(at); return [p.x, p.y]; }",
        [lat, lon],
    )
    container.click(position={"x": x, "y": y})


def _choose(page: Page, label: str, option: str) -> None:
    """Pick ``option`` in a selectbox; open it again if a rerun closed it."""
    box = page.locator(f"input[aria-label='{label}']")
    for _ in range(3):
        _wait_idle(page)
        box.click()
        try:
            page.get_by_role("option", name=option, exact=True).click(timeout=10_000)
        except PlaywrightTimeoutError:
            continue
        break
    _wait_idle(page)
    expect(box).to_have_value(option)
