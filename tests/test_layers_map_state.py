"""What the map reports back (overlays switched off, drawn) is read safely from its value."""

from __future__ import annotations

from typing import Any

import pytest

from layers.map_state import DRAWN_URL, HIDDEN_URL, drawn_from_value, hidden_from_value

#: streamlit-folium's value before the map's first report: the component's default.
DEFAULT = {"zoom": 5, "selected_layers": None, "last_clicked": None}
#: Its first report, sent as soon as the base map exists (overlays not yet drawn).
BASE_REPORT = {
    "zoom": 5,
    "center": {"lat": 50, "lng": 35},
    "selected_layers": [{"name": '["regions"]', "url": HIDDEN_URL}],
}
#: The report the overlays script makes once the scenario is drawn.
DRAWN_REPORT = {
    **BASE_REPORT,
    "selected_layers": [
        {"name": '["regions", "sites_in_range"]', "url": HIDDEN_URL},
        {"name": "drawn", "url": DRAWN_URL},
    ],
}


def test_only_the_report_made_once_the_scenario_is_drawn_says_drawn() -> None:
    assert not drawn_from_value(None)
    assert not drawn_from_value(DEFAULT)
    assert not drawn_from_value(BASE_REPORT)
    assert drawn_from_value(DRAWN_REPORT)


@pytest.mark.parametrize(
    "value",
    [{"selected_layers": "rangemap:drawn"}, {"selected_layers": [DRAWN_URL]}, {"center": 1}],
)
def test_a_malformed_value_is_not_drawn(value: dict[str, Any]) -> None:
    assert not drawn_from_value(value)


def test_hidden_overlays_are_read_from_the_report_and_bounded() -> None:
    assert hidden_from_value(DEFAULT) is None  # not reported yet: keep what was known
    assert hidden_from_value(DRAWN_REPORT) == {"regions", "sites_in_range"}
    many = {"selected_layers": [{"name": str([f"k{i}" for i in range(500)]), "url": HIDDEN_URL}]}
    assert hidden_from_value(many) == set()  # not JSON (single quotes): nothing is hidden
    keys = '["' + '", "'.join(f"k{i}" for i in range(500)) + '", "' + "x" * 500 + '"]'
    bounded = hidden_from_value({"selected_layers": [{"name": keys, "url": HIDDEN_URL}]})
    assert bounded is not None and len(bounded) == 64 and all(len(k) < 10 for k in bounded)
