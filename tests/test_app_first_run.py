"""A session's first run draws the map before the controls; they then show the same scenario.

Driven headless by ``AppTest``: the map never reports here, so each test runs the app a
second time, as the map's report that it has drawn does in the browser.
"""

from __future__ import annotations

import pytest
from streamlit.testing.v1 import AppTest

from geo.scenario import ScenarioSpec

APP = "../app.py"
#: Share links a reader may open, each with the values its controls must start at.
LINKS: list[dict[str, str]] = [
    {},
    {"atacms": "165,250", "storm-shadow": "200", "date": "2024-08-20", "standoff": "25"},
    {"from": "kursk-salient,Sumy", "layers": "ranges,places", "hide": "regions"},
    {"omit": "Kyiv;Crimea", "view": "50.6,36.6,7", "compare": "2024-08-20"},
    {"pin": "50.9,34.8,120,ATACMS;48.5,35.0,250,Storm Shadow"},
]


def first_run(**query: str) -> AppTest:
    """Open the app at a URL with ``query`` as a new session: its first run only."""
    at = AppTest.from_file(APP, default_timeout=60)
    for key, value in query.items():
        at.query_params[key] = value
    at.run()
    assert not at.exception, at.exception
    return at


def drawn_spec(at: AppTest) -> ScenarioSpec:
    spec = at.session_state["last_good_scenario"].spec
    assert isinstance(spec, ScenarioSpec)
    return spec


def url(at: AppTest) -> dict[str, str]:
    """Return the app's query parameters (``AppTest`` keeps each as a list of values)."""
    return {k: v[-1] if isinstance(v, list) else v for k, v in at.query_params.items()}


def sidebar_controls(at: AppTest) -> int:
    bar = at.sidebar
    return sum(len(x) for x in (bar.number_input, bar.multiselect, bar.text_input, bar.selectbox))


@pytest.mark.parametrize("query", LINKS, ids=lambda q: ",".join(q) or "default")
def test_the_controls_show_after_the_map_at_the_scenario_it_drew(query: dict[str, str]) -> None:
    at = first_run(**query)
    assert sidebar_controls(at) == 0
    assert [c.value for c in at.sidebar.caption] == ["Loading the controls…"]
    assert at.session_state["controls"] == "later"
    assert len(at.expander) == 0 and len(at.markdown) == 0  # the figures come with them
    first = drawn_spec(at)
    assert url(at) == query  # the URL as opened, until the controls show
    at.run()  # what the map's report that it has drawn does
    assert not at.exception, at.exception
    assert at.session_state["controls"] == "shown" and sidebar_controls(at) > 10
    assert len(at.expander) >= 3 and len(at.markdown) > 0
    assert drawn_spec(at) == first
    assert [e.value for e in at.error] == [] and [w.value for w in at.warning] == []


def test_the_controls_start_at_the_values_of_the_link() -> None:
    at = first_run(atacms="165,250", date="2024-08-20", standoff="25").run()
    assert at.number_input(key="range_atacms_1").value == 250
    assert at.number_input(key="standoff").value == 25
    assert at.select_slider(key="date").value == "2024-08-20"


@pytest.mark.parametrize(
    ("query", "said"),
    [
        ({"atacms": "abc"}, "Ignored the URL's atacms"),
        ({"pin": "not-a-pin"}, "Ignored the URL's pin"),
        ({"date": "1999-01-01"}, "Ignored the URL's date"),
    ],
)
def test_a_value_of_the_link_that_is_refused_is_said_once_the_controls_show(
    query: dict[str, str], said: str
) -> None:
    at = first_run(**query)
    assert [w.value for w in at.sidebar.warning] == []
    at.run()
    warnings = [w.value.replace("\\", "") for w in at.sidebar.warning]
    assert len([w for w in warnings if w.startswith(said)]) == 1, warnings


def test_a_scenario_with_a_problem_shows_the_controls_at_once() -> None:
    at = first_run(**{"from": "Qwxzyplk Nowhere"})
    assert at.session_state["controls"] == "shown" and sidebar_controls(at) > 10
    assert at.error  # the problem is said where the reader can set it right


def test_a_control_that_cannot_be_read_unshown_shows_the_controls_at_once() -> None:
    at = AppTest.from_file(APP, default_timeout=60)
    at.session_state["article_text"] = "Storm Shadow missiles hit Belgorod."  # pasted already
    at.run()
    assert not at.exception, at.exception
    assert at.session_state["controls"] == "shown" and sidebar_controls(at) > 5
    assert [c.value for c in at.sidebar.caption if c.value == "Loading the controls…"] == []
