"""The bundled 2024-11-19 snapshot against the real DeepStateMap snapshot of that date.

The reference (../shared/reference, read through our own DeepState loader) is used only to
measure: the snapshot is built from facts written in the repo (data/frontline/facts-*.toml)
and OpenStreetMap's outlines of Ukraine and Russia (data/frontline/outlines.geojson).
Floors: what the snapshot reaches today (occupied IoU 0.950 -> 0.956 after the Kakhovka
reservoir bed and the Dnipro delta left the occupied area -> 0.973 with OSM's border and coast
and the Syvash as internal water instead of Natural Earth 1:10m); Kursk salient IoU 0.609 ->
0.663 (contested western flank as grey zone) -> 0.736 (OSM border) -> 0.783 (villages Russia
claimed only after the date, Dec 2024 - Mar 2025, held). Issue 11's targets (occupied IoU >=
0.96, Kursk salient IoU >= 0.75) are met. IoU uses geodesic areas on WGS84.
"""

from __future__ import annotations

import warnings
from pathlib import Path

import geopandas as gpd
import pytest

from geo import frontline


@pytest.fixture(scope="module")
def figures(reference_deepstate: Path) -> dict[str, float]:
    if not reference_deepstate.is_file():
        pytest.fail(f"reference snapshot missing: {reference_deepstate}")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", frontline.FrontlineRepairWarning)
        reference: gpd.GeoDataFrame = frontline.load_deepstate(reference_deepstate)
    return frontline.accuracy(frontline.snapshot("2024-11-19"), reference)


@pytest.mark.parametrize(
    ("figure", "low", "high"),
    [
        ("occupied_iou", 0.97, 1.0),  # issue 11: >= 0.96
        ("occupied_area_ratio", 0.98, 1.02),
        ("kursk_iou", 0.78, 1.0),  # issue 11: >= 0.75
        ("kursk_area_ratio", 0.90, 1.10),
        ("before_2022_iou", 0.95, 1.0),  # Crimea + ORDLO (not a target of the issue)
    ],
)
def test_bundled_snapshot_meets_the_accuracy_targets(
    figures: dict[str, float], figure: str, low: float, high: float
) -> None:
    assert low <= figures[figure] <= high


@pytest.mark.parametrize(("figure", "target"), [("occupied_iou", 0.96), ("kursk_iou", 0.75)])
def test_bundled_snapshot_meets_issue_11_targets(
    figures: dict[str, float], figure: str, target: float
) -> None:
    assert figures[figure] >= target


def test_accuracy_of_a_reference_against_itself_is_perfect(reference_deepstate: Path) -> None:
    reference = frontline.load_deepstate(reference_deepstate)
    figures = frontline.accuracy(reference, reference)
    assert figures["occupied_iou"] == pytest.approx(1.0)
    assert figures["kursk_area_ratio"] == pytest.approx(1.0)
