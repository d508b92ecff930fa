"""Hostile input in the real dashboard: URL values and article text show as text, never run."""

from __future__ import annotations

import time
from collections.abc import Callable
from pathlib import Path
from urllib.parse import quote

from playwright.sync_api import FrameLocator, Page, expect
from playwright.sync_api import TimeoutError as PlaywrightTimeoutError
from streamlit_page import FRAME

from geo._safe import WORD_JOINER
from layers.style import style_for

PIXEL = "http://127.0.0.1:9/pixel.png"
ARTICLE = (
    "Ukraine fired ATACMS missiles at Kharkiv {{ 1111111*7 }} and Belgorod "
    "{% for x in range(3) %}EVALUATED{% endfor %} {# c #} <img src=x onerror=alert(1)>."
)


def test_a_markdown_image_in_the_url_is_shown_as_text_and_never_fetched(
    page: Page, app_url: str, screenshot: Callable[[Page, str], Path]
) -> None:
    requested: list[str] = []
    page.on("request", lambda r: requested.append(r.url) if r.url.startswith(PIXEL) else None)
    payload = f"![x]({PIXEL})"
    page.goto(f"{app_url}/?atacms={quote(payload)}", timeout=60_000)
    warning = page.get_by_test_id("stAlert").filter(has_text="Ignored the URL")
    warning.wait_for(timeout=60_000)
    assert payload in warning.inner_text().replace(WORD_JOINER, "")
    assert page.locator(f"img[src='{PIXEL}']").count() == 0
    assert warning.locator("a, img").count() == 0
    screenshot(page, "app-url-markdown")
    assert requested == []


def test_template_syntax_in_an_article_is_shown_literally_on_the_map(
    page: Page, app_url: str, dialogs: list[str], screenshot: Callable[[Page, str], Path]
) -> None:
    page.goto(app_url, timeout=60_000)
    frame = page.frame_locator(FRAME)
    frame.locator(".leaflet-container").wait_for(timeout=180_000)
    box = page.locator("textarea[aria-label='…or paste its text']")
    box.fill(ARTICLE)
    box.press("Control+Enter")
    page.get_by_text("Pasted article").wait_for(timeout=60_000)
    expect(page.get_by_test_id("stStatusWidget")).to_be_hidden(timeout=60_000)
    text = _popup_text_with(frame, "1111111*7", timeout_s=60)
    assert "{{ 1111111*7 }}" in text and "{% for x in range(3) %}EVALUATED{% endfor %}" in text
    assert "{# c #}" in text and "<img src=x onerror=alert(1)>" in text
    assert "7777777" not in text and "EVALUATEDEVALUATEDEVALUATED" not in text
    assert frame.locator("img[src='x']").count() == 0
    screenshot(page, "app-template-article")
    assert dialogs == []


def _popup_text_with(frame: FrameLocator, wanted: str, *, timeout_s: float) -> str:
    """Click the article's place markers until a popup shows ``wanted``; return its text."""
    place = f"path.leaflet-interactive[fill='{style_for('places').fill_color}']"
    deadline = time.monotonic() + timeout_s
    texts: list[str] = []
    while time.monotonic() < deadline:
        for i in range(frame.locator(place).count()):
            frame.locator(place).nth(i).dispatch_event("click")
            popup = frame.locator(".leaflet-popup-content").last
            try:
                texts.append(popup.inner_text(timeout=5_000))
            except PlaywrightTimeoutError:  # the map was redrawn under the click: try again
                break
            if wanted in texts[-1]:
                return texts[-1]
        time.sleep(1)
    raise AssertionError(f"no popup shows {wanted!r}; saw {texts[-3:]}")
