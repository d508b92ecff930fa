"""A non-Ukraine article in the dashboard: rings from the right country, edited, downloaded.

The reader pastes an article about North Korean launches, sees the KN-23 ring drawn from
near Pyongyang and counted in South Korea (no Ukrainian frontline), moves the launch to
Sinpo and the range to 900 km, and downloads a PNG that shows a map.
"""

from __future__ import annotations

import io
import json
from collections.abc import Callable
from functools import partial
from pathlib import Path

from PIL import Image
from playwright.sync_api import FrameLocator, Page, expect
from streamlit_page import FRAME, apart, download, wait_idle

#: Waiting for a Streamlit run and downloading, with this module's waits.
_wait_idle = partial(wait_idle, settle_ms=300, timeout_ms=60_000)
_download = partial(download, settle_ms=300, timeout_ms=60_000)

OUTPUT = Path(__file__).resolve().parents[2] / "test-output"
LABELS = ".leaflet-control-layers-overlays label"
#: Written for this test: a launch near Pyongyang aimed at the South.
KOREA_ARTICLE = (
    "North Korea test-fires KN-23 missiles from near Pyongyang\n\n"
    "SEOUL, March 3, 2025 - North Korea launched two KN-23 short-range ballistic missiles "
    "from an area near Pyongyang on Monday morning, the Joint Chiefs of Staff in Seoul said. "
    "The missiles flew east and fell into the sea. Analysts say the KN-23 puts all of "
    "South Korea within reach."
)
PYONGYANG = (39.03, 125.75)  # lat, lon (hand-checked)
SINPO = (40.03, 128.18)


def test_a_korean_article_is_drawn_from_north_korea_and_its_weapon_can_be_edited(
    page: Page, app_url: str, screenshot: Callable[[Page, str], Path]
) -> None:
    frame = _open_app(page, app_url)
    _paste(page, KOREA_ARTICLE)
    expect(page.get_by_text("KN-23 690 km:", exact=False).first).to_be_visible(timeout=60_000)
    _wait_idle(page)
    expect(page.get_by_text("of KR", exact=False).first).to_be_visible()
    assert "KN-23 690 km" in _overlay_names(frame)
    rings = _ranges(page)
    assert {f["properties"]["range_km"] for f in rings} == {690}
    assert "Pyongyang" in rings[0]["properties"]["launch_from"]
    assert _centre_of(rings) == _Near(PYONGYANG)
    assert _in_view(frame, PYONGYANG)  # a new article opens on its own map, not the last view
    screenshot(page, "app-korea-article")

    areas = page.locator("input[aria-label='KN-23 fired from']")
    page.get_by_role("button", name="Remove Pyongyang").click()
    areas.fill("Sinpo")
    areas.press("Enter")
    _wait_idle(page)
    field = page.locator("input[aria-label='KN-23 (km)']")
    field.fill("900")
    field.press("Enter")
    expect(page.get_by_text("KN-23 900 km:", exact=False).first).to_be_visible(timeout=60_000)
    _wait_idle(page)
    assert "KN-23 900 km" in _overlay_names(frame)
    assert "from-kn-23=Sinpo" in page.url and "kn-23=900" in page.url
    rings = _ranges(page)
    assert {f["properties"]["range_km"] for f in rings} == {900}
    assert "Sinpo" in rings[0]["properties"]["launch_from"]
    assert _centre_of(rings) == _Near(SINPO)
    _assert_both_labelled(frame, "Sinpo", "North Korea")  # the launch point wins its side
    screenshot(page, "app-korea-edited")
    page.locator(FRAME).last.screenshot(path=str(OUTPUT / "app-korea-edited-map.png"))

    png = _download(page, "Static map (PNG)")
    (OUTPUT / "app-korea-static.png").write_bytes(png)
    _assert_is_a_drawn_map(png)


def _open_app(page: Page, url: str) -> FrameLocator:
    page.goto(url, timeout=60_000)
    frame = page.frame_locator(FRAME)
    frame.locator(".leaflet-container").wait_for(timeout=180_000)
    frame.locator("path.leaflet-interactive").first.wait_for(state="attached")
    return frame


def _assert_both_labelled(frame: FrameLocator, first: str, second: str) -> None:
    """Check both labels are visible and apart (one moved to a free side, none hidden)."""
    boxes = []
    for text in (first, second):
        label = frame.locator(".rm-label", has_text=text).first
        expect(label).to_be_visible(timeout=30_000)
        boxes.append(label.bounding_box())
    a, b = boxes
    assert a is not None and b is not None
    assert apart(a, b), (a, b)


def _in_view(frame: FrameLocator, point: tuple[float, float]) -> bool:
    """Return whether the map shows ``point`` (lat, lon)."""
    script = "(_, p) => window.map.getBounds().contains(L.latLng(p[0], p[1]))"
    return bool(frame.locator(".leaflet-container").evaluate(script, list(point)))


def _paste(page: Page, text: str) -> None:
    box = page.locator("textarea[aria-label='…or paste its text']")
    box.fill(text)
    box.press("Control+Enter")


def _overlay_names(frame: FrameLocator) -> list[str]:
    frame.locator(".leaflet-control-layers").hover()  # the control starts collapsed
    frame.locator(LABELS).first.wait_for()
    return [n.strip() for n in frame.locator(LABELS).all_inner_texts()]


def _ranges(page: Page) -> list[dict]:
    """Download all layers and return the ring features (asserting there is no frontline)."""
    data = json.loads(_download(page, "All layers (GeoJSON)"))
    layers = {f["properties"]["layer"] for f in data["features"]}
    assert "frontline" not in layers
    return [f for f in data["features"] if f["properties"]["layer"] == "ranges"]


def _centre_of(features: list[dict]) -> tuple[float, float]:
    """Return the (lat, lon) centre of the features' bounding box."""
    lons, lats = [], []
    for feature in features:
        _collect(feature["geometry"]["coordinates"], lons, lats)
    return (min(lats) + max(lats)) / 2, (min(lons) + max(lons)) / 2


def _collect(coords: list, lons: list[float], lats: list[float]) -> None:
    if coords and isinstance(coords[0], int | float):
        lons.append(float(coords[0]))
        lats.append(float(coords[1]))
        return
    for part in coords:
        _collect(part, lons, lats)


class _Near:
    """Equal to a (lat, lon) within 1° latitude and 1.5° longitude (a 690+ km ring's box)."""

    def __init__(self, point: tuple[float, float]) -> None:
        self.point = point

    def __eq__(self, other: object) -> bool:
        lat, lon = other  # type: ignore[misc]
        return abs(lat - self.point[0]) < 1.0 and abs(lon - self.point[1]) < 1.5

    def __repr__(self) -> str:
        return f"near {self.point}"


def _assert_is_a_drawn_map(png: bytes) -> None:
    """Assert ``png`` shows land, sea and rings: many colours, none covering almost all."""
    assert png[:8] == b"\x89PNG\r\n\x1a\n"
    image = Image.open(io.BytesIO(png)).convert("RGB")
    assert min(image.size) > 400
    small = image.resize((200, 200))
    colours = small.getcolors(maxcolors=200 * 200) or []
    assert len(colours) > 50
    assert max(count for count, _ in colours) < 0.8 * 200 * 200
