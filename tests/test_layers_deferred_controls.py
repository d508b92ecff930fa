"""Controls read before they are shown answer what Streamlit's own widgets first return."""

from __future__ import annotations

from typing import Any

import pytest
from streamlit.testing.v1 import AppTest

from layers.deferred_controls import DeferError, Unshown

#: (widget, positional arguments, keyword arguments): each first shown with these.
CALLS: list[tuple[str, tuple[Any, ...], dict[str, Any]]] = [
    ("number_input", ("Range (km)", 0.0, 1000.0, 300.0, 10.0), {"format": "%.0f"}),
    ("number_input", ("No value",), {}),
    ("number_input", ("From five",), {"min_value": 5}),
    ("number_input", ("Keyed", 0.0, 10.0, 3.0), {"key": "kept"}),
    ("text_input", ("Place",), {"max_chars": 20}),
    ("text_input", ("Place with a value", "Sumy"), {}),
    ("text_area", ("Article",), {"height": 120}),
    ("selectbox", ("Second", ["a", "b", "c"]), {"index": 1}),
    ("selectbox", ("None chosen", ["a", "b"]), {"index": None}),
    ("selectbox", ("No options", []), {}),
    ("multiselect", ("Chosen", ["a", "b", "c"]), {"default": ["c", "a"]}),
    ("multiselect", ("One as a string", ["ab", "cd"]), {"default": "ab"}),
    ("multiselect", ("Nothing", ["a"]), {}),
    ("select_slider", ("Date", ["2024-08-20", "2024-11-19"]), {"value": "2024-11-19"}),
    ("select_slider", ("First", ["x", "y"]), {}),
    ("toggle", ("Off",), {}),
    ("toggle", ("On",), {"value": True}),
    ("checkbox", ("Ticked",), {"value": True}),
    ("file_uploader", ("File",), {}),
    ("file_uploader", ("Files",), {"accept_multiple_files": True}),
    ("button", ("Press",), {}),
]


def _both_app() -> None:
    """Call each widget of ``CALLS`` unshown, then shown, and keep both values."""
    import streamlit as st
    from test_layers_deferred_controls import CALLS

    from layers.deferred_controls import Unshown

    if "kept" not in st.session_state:
        st.session_state["kept"] = 7.0
    bar = Unshown(st.session_state)
    unshown = [getattr(bar, name)(*args, **kwargs) for name, args, kwargs in CALLS]
    shown = [getattr(st.sidebar, name)(*args, **kwargs) for name, args, kwargs in CALLS]
    st.session_state["values"] = list(zip(unshown, shown, strict=True))


def test_each_control_read_unshown_starts_where_streamlit_starts_it() -> None:
    at = AppTest.from_function(_both_app, default_timeout=30).run()
    assert not at.exception, at.exception
    values = at.session_state["values"]
    for (name, args, _), (unshown, shown) in zip(CALLS, values, strict=True):
        assert unshown == shown and type(unshown) is type(shown), (name, args[0])
    assert values[3] == (7.0, 7.0)  # a key in session state wins over the default


def test_unshown_controls_show_nothing_and_expanders_are_closed_unless_kept_open() -> None:
    bar = Unshown({"open_sites": True})
    assert bar.header("Weapons") is None and bar.warning("ignored") is None
    assert bar.container() is bar and len(bar.columns(3)) == 3
    assert not bar.expander("Downloads", key="open_downloads").open
    assert bar.expander("Sites", key="open_sites").open
    assert bar.expander("Details", expanded=True).open


@pytest.mark.parametrize(
    ("name", "args", "kwargs"),
    [
        ("number_input", ("Too far", 0.0, 10.0, 30.0), {}),
        ("selectbox", ("No such option", ["a"]), {"index": 3}),
        ("multiselect", ("Unknown default", ["a"]), {"default": ["z"]}),
        ("multiselect", ("Too many", ["a", "b"]), {"default": ["a", "b"], "max_selections": 1}),
        ("select_slider", ("Unknown value", ["a"]), {"value": "z"}),
        ("color_picker", ("A widget it does not know",), {}),
        ("text_input", (), {"no_such_argument": 1}),
    ],
)
def test_a_control_it_cannot_answer_for_as_streamlit_would_is_refused(
    name: str, args: tuple[Any, ...], kwargs: dict[str, Any]
) -> None:
    with pytest.raises(DeferError):
        getattr(Unshown({}), name)(*args, **kwargs)


def test_a_container_used_with_with_is_refused() -> None:
    """What ``st`` shows inside a ``with`` block would land in the main area instead."""
    with pytest.raises(DeferError), Unshown({}).expander("Pasted article"):
        pass
