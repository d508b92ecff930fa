"""One bad input in the dashboard: the last good map stays, the message sits at its control.

What a reader sees in real Chromium (``tests/test_app.py`` checks the same through AppTest):
after removing every launch area, or typing a launch place the gazetteer lacks, the map frame
is still in the viewport with its rings labelled, the figures are still there, and the
message is shown in the sidebar right under the control that caused it, not across the page.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

from playwright.sync_api import FrameLocator, Locator, Page, expect
from test_app_e2e import FRAME, _open_app, _wait_idle

#: A place name no gazetteer has (written for this test).
NOWHERE = "Qxzvillebrook Upon Nowhere"
#: The text of a label written on a range ring of the default scenario.
RING_LABEL = re.compile(r"^(ATACMS|Storm Shadow|Taurus) \d+ km$")
#: Most pixels between the bottom of a control and the top of its message.
BESIDE_PX = 120


def test_removing_every_launch_area_keeps_the_map_and_says_so_at_the_control(
    page: Page, app_url: str, dialogs: list[str], screenshot: Callable[[Page, str], Path]
) -> None:
    frame = _open_app(page, app_url)
    control = _sidebar(page).get_by_test_id("stMultiSelect").filter(has_text="Launch from")
    control.get_by_role("button", name="Remove ukraine-held").click()
    message = _sidebar(page).get_by_text("Choose at least one launch area", exact=False)
    expect(message).to_be_visible(timeout=60_000)
    _wait_idle(page)
    _assert_beside(message, control)
    _assert_map_stays(page, frame)
    screenshot(page, "app-error-no-launch-area")
    assert dialogs == []


def test_a_launch_place_the_gazetteer_lacks_is_refused_at_its_box_and_the_map_stays(
    page: Page, app_url: str, dialogs: list[str], screenshot: Callable[[Page, str], Path]
) -> None:
    frame = _open_app(page, app_url)
    box = page.locator("input[aria-label='…and from a place, region or lat,lon']")
    box.fill(NOWHERE)
    box.press("Enter")
    message = _sidebar(page).get_by_text(f"Cannot launch from '{NOWHERE}'", exact=False)
    expect(message).to_be_visible(timeout=60_000)
    _wait_idle(page)
    control = _sidebar(page).get_by_test_id("stTextInput").filter(has=box)
    _assert_beside(message, control)
    _assert_map_stays(page, frame)
    screenshot(page, "app-error-unknown-place")
    assert dialogs == []


def test_a_weapon_fired_from_an_unknown_place_is_refused_at_its_control_and_the_map_stays(
    page: Page, app_url: str, dialogs: list[str], screenshot: Callable[[Page, str], Path]
) -> None:
    frame = _open_app(page, app_url)
    field = page.locator("input[aria-label='ATACMS fired from']")
    field.fill(NOWHERE)
    field.press("Enter")
    message = _sidebar(page).get_by_text(f"Cannot launch ATACMS from '{NOWHERE}'", exact=False)
    expect(message).to_be_visible(timeout=60_000)
    _wait_idle(page)
    control = _sidebar(page).get_by_test_id("stMultiSelect").filter(has=field)
    _assert_beside(message, control)
    _assert_map_stays(page, frame)
    screenshot(page, "app-error-weapon-unknown-place")
    assert dialogs == []


def _sidebar(page: Page) -> Locator:
    return page.get_by_test_id("stSidebar")


def _assert_beside(message: Locator, control: Locator) -> None:
    """Check the message is in view, just under its control, in the same column."""
    message.scroll_into_view_if_needed()
    expect(message).to_be_in_viewport()
    below, above = message.bounding_box(), control.bounding_box()
    assert below is not None and above is not None
    gap = below["y"] - (above["y"] + above["height"])
    assert 0 <= gap <= BESIDE_PX, (above, below)
    assert abs(below["x"] - above["x"]) < 40, (above, below)


def _assert_map_stays(page: Page, frame: FrameLocator) -> None:
    """Check the map is on screen, its rings labelled, and no error box is in the main area."""
    page.mouse.move(5, 5)  # away from the map: its layer control folds as a reader leaves it
    iframe = page.locator(FRAME)
    expect(iframe).to_be_visible()
    expect(iframe).to_be_in_viewport(ratio=0.5)
    rings = frame.locator(".rm-label", has_text=RING_LABEL)
    expect(rings.first).to_be_attached(timeout=30_000)
    page.wait_for_timeout(1000)  # labels are decluttered just after the map settles
    shown = [rings.nth(i).inner_text() for i in range(rings.count()) if rings.nth(i).is_visible()]
    assert len(shown) >= 2, shown  # the rings are still written on the map
    expect(frame.locator("path.leaflet-interactive").first).to_be_attached()
    main = page.get_by_test_id("stMain")
    expect(main.get_by_text("ATACMS 300 km:", exact=False).first).to_be_visible()
    assert main.get_by_test_id("stAlertContentError").count() == 0
