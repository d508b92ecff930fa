"""Static maps of any war: East Asia, the Middle East, rings wider than the view.

Rendered at a low resolution (the checks are about geometry and text, not pixels).
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

import numpy as np
import pytest
import shapely
from PIL import Image

from geo.scenario import Scenario, ScenarioSpec, WeaponChoice, build_scenario, infer_scenario
from layers import static_map
from layers.projection import make_scene

ARTICLES = Path(__file__).parent / "data" / "articles"
DPI = 40


@cache
def article_scenario(name: str) -> Scenario:
    text = (ARTICLES / name).read_text(encoding="utf-8")
    return build_scenario(infer_scenario(text, name=name))


@cache
def spec_scenario(key: str) -> Scenario:
    specs = {
        # The ring of a DF-17 from Xiamen once failed with a GEOS TopologyException.
        "xiamen": ScenarioSpec(
            title="DF-17 from Xiamen",
            date="2024-08-05",
            frontline=False,
            launch_areas=("Xiamen",),
            count_in=("TW",),
            weapons=(WeaponChoice("DF-17", (1800.0, 2500.0)),),
            places=("Taipei", "Washington"),
        ),
        # A ring far wider than the view, around the pole and across the antimeridian.
        "icbm": ScenarioSpec(
            title="An ICBM from Pyongyang",
            date="2024-08-05",
            frontline=False,
            launch_areas=("Pyongyang",),
            count_in=("US",),
            weapons=(WeaponChoice("Hwasong-15", (13000.0,)),),
            places=("Seoul",),
        ),
    }
    return build_scenario(specs[key])


def _span(extent: tuple[float, float, float, float]) -> tuple[float, float]:
    west, south, east, north = extent
    return (east - west) % 360.0, north - south


@pytest.mark.parametrize("name", ["taiwan_df17.txt", "iran_fattah.txt", "korea_kn23.txt"])
def test_articles_of_other_wars_render_without_frontline_credits(name: str) -> None:
    fig = static_map.render_scenario(article_scenario(name), dpi=DPI)
    legend = " ".join(fig.info.legend)
    assert "Line of contact" not in legend and "Occupied" not in legend
    attribution = next(t.get_text() for t in fig.texts if t.get_gid() == "attribution")
    assert "Frontline" not in attribution and "deepstate" not in attribution.lower()
    lon_span, lat_span = _span(fig.info.extent)
    assert lon_span < 90 and lat_span < 90


def test_the_extent_follows_the_story_not_a_far_place() -> None:
    fig = static_map.render_scenario(spec_scenario("xiamen"), dpi=DPI)
    west, _, east, _ = fig.info.extent
    assert 90 < west < 118 < east < 150  # Washington (77° W) is not framed


def test_a_ring_wider_than_the_view_covers_the_whole_frame() -> None:
    scenario = spec_scenario("icbm")
    fig = static_map.render_scenario(scenario, dpi=DPI)
    assert _span(fig.info.extent)[0] <= 150
    ring = scenario.ranges.geometry.iloc[0]
    xmin, ymin, xmax, ymax = fig.info.frame
    scene = make_scene(fig.info.extent, aspect=(xmax - xmin) / (ymax - ymin))
    xs, ys = np.meshgrid(np.linspace(xmin, xmax, 7), np.linspace(ymin, ymax, 7))
    lon, lat = scene.to_lonlat(xs.ravel(), ys.ravel())
    assert shapely.contains_xy(ring, lon, lat).all()  # every point of the view is in range


def test_the_png_has_sea_colour_in_an_east_asian_map(tmp_path: Path) -> None:
    fig = static_map.render_scenario(article_scenario("korea_kn23.txt"), dpi=DPI)
    path = tmp_path / "korea.png"
    static_map.save(fig, path, format="png")
    pixels = np.asarray(Image.open(path).convert("RGB")).reshape(-1, 3).astype(int)
    blueish = (pixels[:, 2] > pixels[:, 0] + 15).mean()
    assert blueish > 0.05
