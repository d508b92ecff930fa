"""On the seed articles, extraction finds every required gold place and nothing else."""

from __future__ import annotations

from typing import Any

import geopandas as gpd
import pytest
from pyproj import Geod
from shared_data import read_article, read_gold

from geo.places.resolve import places_from_text

GEOD = Geod(ellps="WGS84")
CODED = ("country", "continent", "union")


def matches(gold: dict[str, Any], row: Any) -> bool:
    """Return whether a found place is the gold place (by code, or within its tolerance)."""
    if gold["kind"] in CODED:
        return bool(row["code"] == gold["code"])
    _, _, metres = GEOD.inv(gold["lon"], gold["lat"], row.geometry.x, row.geometry.y)
    return bool(metres / 1000.0 <= gold["tolerance_km"])


@pytest.fixture(scope="module")
def found() -> dict[str, gpd.GeoDataFrame]:
    return {
        a: places_from_text(read_article(a))
        for a in ("000_6c64c68faa6e058a", "004_e05c51835800027d")
    }


def test_every_required_place_is_found(found: dict[str, gpd.GeoDataFrame], article_id: str) -> None:
    places = found[article_id]
    missing = [
        g["name"]
        for g in read_gold(article_id)["places"]
        if g["required"] and not any(matches(g, row) for _, row in places.iterrows())
    ]
    assert missing == []


def test_no_not_place_becomes_a_place(found: dict[str, gpd.GeoDataFrame], article_id: str) -> None:
    surfaces = {s.casefold() for row in found[article_id]["surfaces"] for s in row}
    bad = [w for w in read_gold(article_id)["not_places"] if w.casefold() in surfaces]
    assert bad == []


def test_precision_is_at_least_95_percent(
    found: dict[str, gpd.GeoDataFrame], article_id: str
) -> None:
    gold = read_gold(article_id)["places"]
    places = found[article_id]
    wrong = [row["name"] for _, row in places.iterrows() if not any(matches(g, row) for g in gold)]
    assert len(places) > 0
    assert 1 - len(wrong) / len(places) >= 0.95, wrong


def test_mentions_point_at_their_surfaces(
    found: dict[str, gpd.GeoDataFrame], article_id: str
) -> None:
    text = read_article(article_id)
    for _, row in found[article_id].iterrows():
        for start, end in row["mentions"]:
            assert text[start:end] in row["surfaces"]
