"""One coordinate parser: decimal and DMS, hemispheres, southern and western values on the CLI."""

from __future__ import annotations

import pytest

from geo._errors import InputError
from geo.coords import fix_negative_coordinates, parse_latlon
from geo.launch import launch_area

KYIV = (50.45, 30.52)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("50.45,30.52", KYIV),
        ("50.45, 30.52", KYIV),
        ("50.45 30.52", KYIV),
        ("50.45N 30.52E", KYIV),
        ("50.45° N, 30.52° E", KYIV),
        ("N50.45 E30.52", KYIV),
        ("30.52E 50.45N", KYIV),
        ("-33.9,18.4", (-33.9, 18.4)),
        ("33.9S, 18.4E", (-33.9, 18.4)),
        ("40.7N 74.0W", (40.7, -74.0)),
        ("50°27′N 30°31′E", (50.45, 30 + 31 / 60)),
        ("50°27'12\"N 30°31'5\"E", (50 + 27 / 60 + 12 / 3600, 30 + 31 / 60 + 5 / 3600)),
        ("50°27′12″N, 30°31′05″E", (50 + 27 / 60 + 12 / 3600, 30 + 31 / 60 + 5 / 3600)),
        ("50 27 12 N 30 31 5 E", (50 + 27 / 60 + 12 / 3600, 30 + 31 / 60 + 5 / 3600)),
    ],
)
def test_coordinates_people_type_are_understood(text: str, expected: tuple[float, float]) -> None:
    assert parse_latlon(text) == pytest.approx(expected)


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("95,200", "latitude must be between -90 and 90, got 95"),
        ("45,200", "longitude must be between -180 and 180, got 200"),
        ("nan,nan", "not a coordinate pair"),
        ("inf,1", "not a coordinate pair"),
        ("1e-300,5", "not a coordinate pair"),
        ("-33.9S,18.4", "either a minus sign or S"),
        ("50N 30N", "one latitude .* and one longitude"),
        ("50°75′N 30°E", "minutes and seconds must be below 60"),
        ("50,30,1", "not a coordinate pair"),
        ("Kharkiv", "not a coordinate pair"),
        ("1," * 100, "not a coordinate pair"),
    ],
)
def test_bad_coordinates_are_refused_with_a_message(text: str, message: str) -> None:
    with pytest.raises(InputError, match=message):
        parse_latlon(text)


def test_a_negative_coordinate_after_an_option_is_glued_to_it() -> None:
    argv = ["reach", "--from", "-33.9,18.4", "--range-km", "100", "-q"]
    assert fix_negative_coordinates(argv) == [
        "reach",
        "--from=-33.9,18.4",
        "--range-km",
        "100",
        "-q",
    ]


def test_negative_numbers_and_short_options_are_left_alone() -> None:
    argv = ["reach", "--range-km", "-5", "--from", "-h"]
    assert fix_negative_coordinates(argv) == argv


def test_launch_specs_use_the_same_parser() -> None:
    area = launch_area("50°27′N 30°31′E")
    assert (area.geometry.y, area.geometry.x) == pytest.approx((50.45, 30 + 31 / 60))
    with pytest.raises(InputError, match=r"not a valid 'lat,lon'.*latitude must be between"):
        launch_area("95,200")
