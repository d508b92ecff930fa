"""``rangemap scenario ARTICLE`` prints a scenario file that ``rangemap map --scenario`` draws."""

from __future__ import annotations

import json
import tomllib
from pathlib import Path

import pytest

from geo import cli
from geo.scenario import infer_scenario, load_spec
from geo.scenario.write import dumps

ARTICLES = Path(__file__).parent / "data" / "articles"


def _run(capsys: pytest.CaptureFixture[str], *argv: str) -> str:
    assert cli.main(list(argv)) == 0
    return capsys.readouterr().out


def test_the_printed_toml_holds_one_launch_list_per_weapon_and_the_targets(
    capsys: pytest.CaptureFixture[str],
) -> None:
    out = _run(capsys, "scenario", str(ARTICLES / "korea_kn23.txt"))
    raw = tomllib.loads(out)
    assert raw["count_in"] == ["KR", "JP"] and raw["date"] == "2025-03-14"
    assert raw["frontline"] is False
    (weapon,) = raw["weapons"]
    assert weapon["launch_areas"] == ["Pyongyang", "Sinpo"] and weapon["ranges_km"] == [690.0]


@pytest.mark.parametrize("fmt", ["toml", "json"])
def test_the_printed_file_reads_back_as_the_same_scenario(
    fmt: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    article = ARTICLES / "iran_fattah.txt"
    out = _run(capsys, "scenario", str(article), "--format", fmt)
    path = tmp_path / f"scenario.{fmt}"
    path.write_text(out, encoding="utf-8")
    back = load_spec(path)
    inferred = infer_scenario(article.read_text(encoding="utf-8"))
    assert back.weapons == inferred.weapons
    assert (back.count_in, back.date, back.frontline) == (
        inferred.count_in,
        inferred.date,
        inferred.frontline,
    )
    if fmt == "json":
        assert json.loads(out)["weapons"][0]["name"] == "Fattah"


def test_date_option_overrides_the_articles_date(capsys: pytest.CaptureFixture[str]) -> None:
    out = _run(capsys, "scenario", str(ARTICLES / "taiwan_df17.txt"), "--date", "2025-01-02")
    assert tomllib.loads(out)["date"] == "2025-01-02"


def test_a_bad_date_is_a_message_not_a_traceback(capsys: pytest.CaptureFixture[str]) -> None:
    code = cli.main(["scenario", str(ARTICLES / "taiwan_df17.txt"), "--date", "yesterday"])
    assert code != 0
    assert "YYYY-MM-DD" in capsys.readouterr().err


def test_map_draws_the_edited_scenario_with_launch_from_in_geojson(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    spec = infer_scenario((ARTICLES / "korea_kn23.txt").read_text(encoding="utf-8"))
    text = dumps(spec, article=ARTICLES / "korea_kn23.txt")
    text = text.replace('launch_areas = ["Pyongyang", "Sinpo"]', 'launch_areas = ["Sinpo"]')
    scenario_file = tmp_path / "edited.toml"
    scenario_file.write_text(text, encoding="utf-8")
    out = tmp_path / "map.geojson"
    assert cli.main(["map", "--scenario", str(scenario_file), "--geojson", str(out)]) == 0
    features = json.loads(out.read_text(encoding="utf-8"))["features"]
    ranges = [f["properties"] for f in features if f["properties"]["layer"] == "ranges"]
    launch = [f["properties"] for f in features if f["properties"]["layer"] == "launch_area"]
    assert [(r["weapon"], r["range_km"], r["launch_from"]) for r in ranges] == [
        ("KN-23", 690.0, "Sinpo")
    ]
    assert {"label", "min_km"} <= set(ranges[0])
    assert [(a["name"], a["weapon"]) for a in launch] == [("Sinpo", "KN-23")]
    assert not [f for f in features if f["properties"]["layer"] == "frontline"]
