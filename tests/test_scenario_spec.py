"""A scenario spec is validated when built and read from small TOML files."""

from pathlib import Path

import pytest

from geo._errors import InputError, NotFoundError
from geo.scenario import ScenarioSpec, WeaponChoice, default_spec, load_spec


def test_default_scenario_names_the_articles_systems_and_date() -> None:
    spec = default_spec()
    assert spec.date == "2024-11-19"
    ranges = {w.name: w.ranges_km for w in spec.weapons}
    assert ranges["ATACMS"] == (165.0, 300.0)
    assert ranges["Storm Shadow"] == (250.0,)
    assert ranges["Taurus"] == (500.0,)
    assert spec.clip == "RU"


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"ranges_km": (-5.0,)}, "range_km must be positive, got -5"),
        ({"ranges_km": ()}, "needs at least one range"),
        ({"ranges_km": (30_000.0,)}, "at most 20,000 km"),
        ({"ranges_km": (100.0,), "min_km": 150.0}, "must be smaller than the range"),
    ],
)
def test_weapon_choice_rejects_impossible_ranges(kwargs: dict, message: str) -> None:
    with pytest.raises(InputError, match=message):
        WeaponChoice(name="ATACMS", **kwargs)


def test_bad_date_is_named() -> None:
    with pytest.raises(InputError, match="YYYY-MM-DD, got '19/11/2024'"):
        ScenarioSpec(date="19/11/2024")


def test_with_range_changes_only_that_weapon() -> None:
    spec = default_spec().with_range("Taurus", (450.0,))
    ranges = {w.name: (w.ranges_km, w.source) for w in spec.weapons}
    assert ranges["Taurus"] == ((450.0,), "user")
    assert ranges["ATACMS"] == ((165.0, 300.0), "catalogue")
    with pytest.raises(NotFoundError, match="not in this scenario"):
        spec.with_range("Tomahawk", (1600.0,))


def test_scenario_file_reads_article_relative_to_itself(tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_text("Strikes near Kharkiv.", encoding="utf-8")
    f = tmp_path / "s.toml"
    f.write_text(
        'title = "T"\ndate = "2024-08-20"\narticle = "a.txt"\n'
        '[[weapons]]\nname = "GMLRS"\nrange_km = 80\nmin_km = 15\n',
        encoding="utf-8",
    )
    spec = load_spec(f)
    assert spec.article_text == "Strikes near Kharkiv."
    assert spec.article_name == "a.txt"
    assert spec.weapons[0].ranges_km == (80.0,)
    assert spec.weapons[0].min_km == 15.0


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("title = ", "not valid TOML"),
        ('colour = "red"', "unknown scenario key"),
        ('weapons = "ATACMS"', "must be a list"),
        ('[[weapons]]\nname = "X"\nranges_km = ["far"]', "must be numbers"),
    ],
)
def test_bad_scenario_files_are_named(tmp_path: Path, content: str, message: str) -> None:
    f = tmp_path / "bad.toml"
    f.write_text(content, encoding="utf-8")
    with pytest.raises(InputError, match=message):
        load_spec(f)
