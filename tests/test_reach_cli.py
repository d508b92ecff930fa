"""``rangemap weapons`` and ``rangemap reach``: the command-line contracts."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest
import shapely
from pyproj import Geod
from shapely.geometry import shape

from geo import cli
from geo.weapons import find_weapon


def read_gold(shared_dir: Path, article_id: str) -> dict:
    """Return the hand-written gold answers of a seed article."""
    path = shared_dir / "articles" / "gold" / f"{article_id}.json"
    return dict(json.loads(path.read_text(encoding="utf-8")))


WGS84 = Geod(ellps="WGS84")


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = cli.main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_weapons_prints_the_articles_systems_with_both_figures(
    capsys: pytest.CaptureFixture[str], shared_dir: Path, article_id: str
) -> None:
    path = shared_dir / "articles" / f"{article_id}.txt"
    code, out, _ = run(capsys, "weapons", str(path))
    assert code == 0
    found = {w["id"]: w for w in json.loads(out)["weapons"]}
    for entry in read_gold(shared_dir, article_id)["weapons"]:
        record = found[find_weapon(entry["name"]).id]
        assert record["catalogue_range_km"] > 0
        if "range_km" in entry:
            assert record["stated_range_km"] == pytest.approx(
                entry["range_km"], abs=entry["tolerance_km"]
            )
            assert record["stated_range_text"] == entry["range_text"]


def test_weapons_list_prints_the_catalogue(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "weapons", "--list")
    systems = json.loads(out)
    assert code == 0 and len(systems) >= 50
    assert all(r["source"]["url"].startswith("https://") for s in systems for r in s["ranges"])


@pytest.mark.parametrize(
    ("content", "message"),
    [(b"\xff\xfe\x00A", "not a text file"), (b"\xc3\x28 invalid", "not UTF-8")],
)
def test_weapons_refuses_binary_input(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, content: bytes, message: str
) -> None:
    path = tmp_path / "bad.txt"
    path.write_bytes(content)
    code, _, err = run(capsys, "weapons", str(path))
    assert code == 2 and message in err and "Traceback" not in err


def test_reach_geojson_is_a_feature_collection_with_stats(
    capsys: pytest.CaptureFixture[str],
) -> None:
    code, out, _ = run(capsys, "reach", "--from", "51.73,36.19", "--weapon", "ATACMS")
    assert code == 0
    doc = json.loads(out)
    assert doc["type"] == "FeatureCollection" and "crs" not in doc
    (feature,) = [f for f in doc["features"] if f["properties"]["layer"] == "reach"]
    props = feature["properties"]
    assert props["range_km"] == 300 and props["ring"] == "max"
    assert props["area_km2"] == pytest.approx(282_663, rel=1e-3)
    assert "Kharkiv" in props["places"] and props["population_in_range"] > 1_000_000
    ring = shapely.get_coordinates(shape(feature["geometry"]))
    _, _, m = WGS84.inv(np.full(len(ring), 36.19), np.full(len(ring), 51.73), *ring.T)
    assert np.abs(m / 300_000 - 1).max() < 0.001


def test_reach_table_with_min_range_and_clip(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(
        capsys, "reach", "--from", "Kharkiv", "--range-km", "300", "--min-km", "50",
        "--clip", "Russia", "--format", "table",
    )  # fmt: skip
    assert code == 0
    assert "annulus" in out and "Belgorod" in out and "Kyiv" not in out


def test_reach_from_held_territory(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(
        capsys, "reach", "--from", "kursk-salient@2024-11-19", "--weapon", "Storm Shadow",
        "--format", "table",
    )  # fmt: skip
    assert code == 0 and "kursk-salient@2024-11-19" in out and "250" in out


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["--from", "51.73,36.19", "--range-km", "-5"], "range_km must be positive, got -5"),
        (["--from", "51.73,36.19", "--weapon", "Iskandr"], "did you mean"),
        (["--from", "95,200", "--range-km", "10"], "not a valid 'lat,lon'"),
        (["--from", "51.73,36.19", "--range-km", "100", "--min-km", "200"], "min_km must be less"),
        (["--from", "51.73,36.19", "--range-km", "10", "--clip", "Narnia"], "unknown region"),
    ],
)
def test_reach_errors_are_one_line(
    capsys: pytest.CaptureFixture[str], argv: list[str], message: str
) -> None:
    code, _, err = run(capsys, "reach", *argv)
    assert code == 2 and message in err and "Traceback" not in err
