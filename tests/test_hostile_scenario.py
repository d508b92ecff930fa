"""Scenario files: strict keys and types, bounded sizes, paths that are regular files."""

from __future__ import annotations

from pathlib import Path

import pytest
from hostile import scenario_documents

from geo._errors import InputError
from geo.scenario import load_spec


def scenario(tmp_path: Path, name: str) -> Path:
    texts = dict(scenario_documents(tmp_path))
    path = tmp_path / name
    path.write_text(texts[name], encoding="utf-8")
    return path


@pytest.mark.parametrize(
    ("name", "message"),
    [
        ("unknown-key.toml", r"unknown scenario key\(s\) colour; known: article, clip"),
        ("ranges-string.toml", r"'weapons\[1\].ranges_km' must be numbers in a list .*str '9'"),
        ("ranges-bool.toml", r"'weapons\[1\].ranges_km' must be numbers in a list .*\[True\]"),
        ("ranges-tiny.toml", "range_km must be at least 0.1 km, got 1e-300"),
        ("ranges-inf.toml", r"ranges_km' must be numbers in a list \(finite.*\[inf\]"),
        ("ranges-nan.toml", r"ranges_km' must be numbers in a list \(finite.*\[nan\]"),
        ("ranges-huge.toml", "range_km must be at most 20,000 km"),
        ("standoff-string.toml", r"'standoff_km' must be a finite number .*, got str '5'"),
        ("standoff-list.toml", r"'standoff_km' must be a finite number .*, got list \[5\]"),
        ("deep.toml", "nested too deeply"),
        ("deep-tables.toml", "nested too deeply"),
        ("article-dir.toml", "is a folder, not a file"),
        ("article-devzero.toml", "/dev/zero is not a regular file"),
        ("frontline-devzero.toml", "frontline_file /dev/zero is not a regular file"),
        ("frontline-dir.toml", "frontline_file /tmp is not a regular file"),
        ("many-weapons.toml", "at most 20 weapons, got 300"),
        ("many-ranges.toml", "at most 10 ranges for one weapon, got 2000"),
        ("many-places.toml", "at most 200 places, got 5000"),
        ("not-toml.toml", "is not valid TOML"),
        ("date-bad.toml", "date must be YYYY-MM-DD"),
        ("weapons-not-table.toml", "'weapons' must be a list of"),
    ],
)
def test_hostile_scenarios_are_refused_with_a_message(
    tmp_path: Path, name: str, message: str
) -> None:
    with pytest.raises(InputError, match=message):
        load_spec(scenario(tmp_path, name))


@pytest.mark.timeout(30)
def test_dev_zero_is_refused_without_reading_it(tmp_path: Path) -> None:
    with pytest.raises(InputError):
        load_spec(scenario(tmp_path, "article-devzero.toml"))
    with pytest.raises(InputError, match="not a regular file"):
        load_spec("/dev/zero")


def test_a_relative_file_launch_resolves_from_the_scenario_folder(tmp_path: Path) -> None:
    spec = load_spec(scenario(tmp_path, "launch-relative.toml"))
    assert spec.launch_areas == (f"file:{tmp_path.resolve() / 'missing-polygon.geojson'}",)


def test_the_article_path_is_kept_so_outputs_can_refuse_to_overwrite_it(tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_text("Kharkiv was shelled.", encoding="utf-8")
    path = tmp_path / "s.toml"
    path.write_text('article = "a.txt"\n', encoding="utf-8")
    spec = load_spec(path)
    assert spec.article_path == tmp_path.resolve() / "a.txt"
    assert spec.article_text == "Kharkiv was shelled."


def test_an_oversized_scenario_file_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "big.toml"
    path.write_text("# " + "x" * 300_000 + "\n", encoding="utf-8")
    with pytest.raises(InputError, match="over the limit of 200,000 bytes"):
        load_spec(path)
