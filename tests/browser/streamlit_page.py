"""What the browser tests do on a Streamlit page: wait for a run, download a file, compare boxes."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path

from playwright.sync_api import Page, expect
from playwright.sync_api import TimeoutError as PlaywrightTimeoutError

#: The dashboard's map frame: the newest, as a remount briefly has two.
FRAME = "iframe[title='streamlit_folium.st_folium'] >> nth=-1"


def apart(a: Mapping[str, float], b: Mapping[str, float], *, slack: float = 0.0) -> bool:
    """Return whether two bounding boxes (``x``, ``y``, ``width``, ``height``) do not overlap.

    ``slack`` pixels of overlap are allowed (sub-pixel placement).
    """
    return (
        a["x"] + a["width"] <= b["x"] + slack
        or b["x"] + b["width"] <= a["x"] + slack
        or a["y"] + a["height"] <= b["y"] + slack
        or b["y"] + b["height"] <= a["y"] + slack
    )


def wait_idle(page: Page, *, settle_ms: int = 0, timeout_ms: int = 120_000) -> None:
    """Wait until Streamlit has finished the current run (its "Running…" widget is gone).

    ``settle_ms`` first lets a run start (the map reporting its view starts one).
    """
    if settle_ms:
        page.wait_for_timeout(settle_ms)
    expect(page.get_by_test_id("stStatusWidget")).to_be_hidden(timeout=timeout_ms)


def download(
    page: Page,
    button: str,
    *,
    exact: bool = False,
    settle_ms: int = 0,
    timeout_ms: int = 120_000,
) -> bytes:
    """Click a download button once Streamlit is idle; click again if a rerun replaced it.

    A rerun between drawing the button and the click (the map reporting its view) drops
    the button's deferred file, and that click downloads nothing. ``settle_ms`` and
    ``timeout_ms`` are :func:`wait_idle`'s.
    """
    for _ in range(3):
        wait_idle(page, settle_ms=settle_ms, timeout_ms=timeout_ms)
        if not page.get_by_role("button", name=button, exact=exact).count():
            open_downloads(page, timeout_ms=timeout_ms)
        try:
            with page.expect_download(timeout=120_000) as info:
                page.get_by_role("button", name=button, exact=exact).click()
        except PlaywrightTimeoutError:
            continue
        return Path(info.value.path()).read_bytes()
    raise AssertionError(f"{button!r} downloaded nothing in three tries")


def open_downloads(page: Page, *, timeout_ms: int = 120_000) -> None:
    """Open the "Downloads" expander (its buttons are made when it opens, in a rerun)."""
    summary = page.get_by_test_id("stExpander").locator("summary", has_text="Downloads:")
    if summary.locator("xpath=..").get_attribute("open") is None:
        summary.click()
    page.get_by_role("button", name="All layers (GeoJSON)").wait_for(timeout=timeout_ms)
    wait_idle(page, timeout_ms=timeout_ms)
