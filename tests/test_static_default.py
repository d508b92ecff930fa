"""Static maps of the bundled default scenario: every format, and an image regression test.

The reference image ``tests/data/default-scenario.png`` is the default scenario rendered at
60 dpi (10×8 in → 600×480 px). After an intended change of style, regenerate it with::

    RANGEMAP_UPDATE_REFERENCE=1 .venv/bin/pytest tests/test_static_default.py

look at the new image, and commit it. On a failed comparison the difference image is
written to ``test-output/default-scenario-diff.png``.
"""

from __future__ import annotations

import io
import os
from pathlib import Path

import numpy as np
import pytest
from defusedxml import ElementTree
from PIL import Image
from pypdf import PdfReader

from geo.scenario import Scenario, build_scenario, default_spec
from layers import static_map
from layers._imagecompare import compare_images
from layers.style import STYLES

REFERENCE = Path(__file__).parent / "data" / "default-scenario.png"
DIFF_DIR = Path(__file__).parent.parent / "test-output"
DPI = 60
SIZE_IN = (10.0, 8.0)


@pytest.fixture(scope="module")
def scenario() -> Scenario:
    return build_scenario(default_spec())


@pytest.fixture(scope="module")
def figure(scenario: Scenario) -> static_map.MapFigure:
    return static_map.render_scenario(scenario, dpi=DPI, size_in=SIZE_IN)


@pytest.fixture(scope="module")
def png_bytes(figure: static_map.MapFigure) -> bytes:
    return static_map.to_bytes(figure, "png")


def svg_text(data: bytes) -> str:
    root = ElementTree.fromstring(data)
    return " ".join(t for el in root.iter() for t in (el.text, el.tail) if t and t.strip())


def test_png_is_size_times_dpi_with_real_content(png_bytes: bytes) -> None:
    image = Image.open(io.BytesIO(png_bytes)).convert("RGB")
    assert image.size == (600, 480)
    pixels = np.asarray(image, dtype=float)
    assert pixels.std() > 20
    quantised = (pixels // 16).astype(int).reshape(-1, 3) @ np.array([256, 16, 1])
    assert len(np.unique(quantised)) > 50


@pytest.mark.parametrize(
    "text",
    [
        "ATACMS",
        "Storm Shadow",
        "Taurus",
        STYLES["occupied_since_2022"].label,
        "Long-range strikes into Russia, 19 November 2024",
        "2024-11-19",
    ],
)
def test_svg_parses_and_holds_the_legend_and_title_as_text(
    figure: static_map.MapFigure, text: str
) -> None:
    assert text in svg_text(static_map.to_bytes(figure, "svg"))


def test_svg_lists_every_legend_entry(figure: static_map.MapFigure) -> None:
    text = svg_text(static_map.to_bytes(figure, "svg"))
    assert figure.info.legend, "the default scenario has a legend"
    assert [entry for entry in figure.info.legend if entry not in text] == []


def test_the_attribution_credits_the_layers_drawn_and_no_other(
    figure: static_map.MapFigure,
) -> None:
    text = " ".join(svg_text(static_map.to_bytes(figure, "svg")).split())
    assert "Frontline 2024-11-19" in text
    assert "Sites: rangemap facts" in text
    assert "Regions:" not in text  # the static map draws no regions


def test_pdf_is_one_page_of_10_by_8_inches(figure: static_map.MapFigure) -> None:
    reader = PdfReader(io.BytesIO(static_map.to_bytes(figure, "pdf")))
    assert len(reader.pages) == 1
    box = reader.pages[0].mediabox
    assert (float(box.width), float(box.height)) == (720.0, 576.0)  # points
    assert "ATACMS" in reader.pages[0].extract_text()


def test_default_scenario_matches_the_reference_image(png_bytes: bytes) -> None:
    if os.environ.get("RANGEMAP_UPDATE_REFERENCE") == "1":
        REFERENCE.parent.mkdir(exist_ok=True)
        REFERENCE.write_bytes(png_bytes)
        pytest.skip(f"reference image rewritten: {REFERENCE}")
    assert REFERENCE.is_file(), f"no reference image; see this module's docstring ({REFERENCE})"
    diff = compare_images(png_bytes, REFERENCE, diff_dir=DIFF_DIR, name="default-scenario")
    assert diff.ok, diff.message()


def test_the_comparison_catches_a_styling_regression(png_bytes: bytes) -> None:
    # An independent check that the tolerance is not so loose that it accepts anything:
    # recolour the occupied territory (a few % of the map) and the comparison must fail.
    image = np.asarray(Image.open(io.BytesIO(png_bytes)).convert("RGB")).copy()
    reddish = (image[..., 0] > 150) & (image[..., 1] < 130) & (image[..., 2] < 130)
    assert reddish.mean() > 0.005, "the default map shows occupied territory in red"
    image[reddish] = (40, 160, 40)
    changed = io.BytesIO()
    Image.fromarray(image).save(changed, format="PNG")
    assert not compare_images(changed.getvalue(), png_bytes).ok
