"""Sidebar controls read before they are shown: a session's first render draws the map first.

Streamlit's browser takes about a second to lay out the ~45 sidebar controls, and on a
2-core machine that second delays the map's first drawing. A new session's first run
therefore reads its controls through :class:`Unshown`: each widget call returns what the
widget itself returns the first time it is shown (its default, or the value already in
session state under its key) and draws nothing. Once the map has drawn, the app reruns
with the real sidebar; its widgets start at those same values, so the scenario, the map
and the share link do not change.

A call :class:`Unshown` cannot answer exactly as Streamlit would (a widget it does not
know, a default Streamlit would refuse) raises :class:`DeferError`; the app then shows
the real controls at once.
"""

from __future__ import annotations

import inspect
from collections.abc import Callable, Mapping, Sequence
from typing import Any, Protocol

import streamlit as st


class State(Protocol):
    """What is read of Streamlit's session state: membership and items."""

    def __contains__(self, key: str) -> bool: ...

    def __getitem__(self, key: str) -> Any: ...


class DeferError(Exception):
    """A control whose first value :class:`Unshown` cannot tell: show the controls now."""


#: Calls that only show something: unshown, they do nothing.
SHOW_ONLY = frozenset(
    {
        "caption",
        "code",
        "dataframe",
        "divider",
        "error",
        "header",
        "image",
        "info",
        "json",
        "markdown",
        "metric",
        "subheader",
        "success",
        "table",
        "text",
        "title",
        "warning",
        "write",
    }
)


def _number(args: Mapping[str, Any]) -> Any:
    low, high, value = args["min_value"], args["max_value"], args["value"]
    if isinstance(value, str):  # "min": the minimum, else 0
        value = low if low is not None else 0.0
    if value is None or (low is not None and value < low) or (high is not None and value > high):
        raise DeferError(f"number_input {args['label']!r} starts outside its bounds")
    return value


def _selectbox(args: Mapping[str, Any]) -> Any:
    options, index = list(args["options"]), args["index"]
    if index is None or not options:
        return None
    if not 0 <= index < len(options):
        raise DeferError(f"selectbox {args['label']!r} has no option {index}")
    return options[index]


def _multiselect(args: Mapping[str, Any]) -> list[Any]:
    options, default = list(args["options"]), args["default"]
    if default is None:
        chosen = []
    else:
        many = isinstance(default, Sequence | set) and not isinstance(default, str)
        chosen = list(default) if many else [default]
    most = args.get("max_selections")
    if any(c not in options for c in chosen) or (most is not None and len(chosen) > most):
        raise DeferError(f"multiselect {args['label']!r} starts outside its options")
    return chosen


def _select_slider(args: Mapping[str, Any]) -> Any:
    options, value = list(args["options"]), args["value"]
    if not options or isinstance(value, tuple | list):
        raise DeferError(f"select_slider {args['label']!r}: no options or a range")
    if value is None:
        return options[0]
    if value not in options:
        raise DeferError(f"select_slider {args['label']!r} starts outside its options")
    return value


#: What each widget returns when first shown, from its bound arguments.
FIRST_VALUES: dict[str, Callable[[Mapping[str, Any]], Any]] = {
    "button": lambda a: False,
    "checkbox": lambda a: bool(a["value"]),
    "file_uploader": lambda a: [] if a["accept_multiple_files"] else None,
    "form_submit_button": lambda a: False,
    "multiselect": _multiselect,
    "number_input": _number,
    "select_slider": _select_slider,
    "selectbox": _selectbox,
    "text_area": lambda a: a["value"],
    "text_input": lambda a: a["value"],
    "toggle": lambda a: bool(a["value"]),
}


class Unshown:
    """A stand-in for ``st.sidebar`` that shows nothing and answers with first values.

    Parameters
    ----------
    state
        The session state: a widget whose key is in it starts at that value, as in
        Streamlit.
    """

    def __init__(self, state: State) -> None:
        self._state = state

    @property
    def open(self) -> bool:
        """Whether this is an open expander: never the sidebar itself (see :meth:`expander`)."""
        return False

    def __getattr__(self, name: str) -> Callable[..., Any]:
        if name.startswith("__"):
            raise AttributeError(name)
        if name in SHOW_ONLY:
            return _nothing
        if name in ("container", "empty", "form", "popover"):
            return lambda *args, **kwargs: self
        if name in FIRST_VALUES:
            return lambda *args, **kwargs: self._first_value(name, args, kwargs)
        raise DeferError(f"no first value known for st.{name}")

    def expander(self, *args: Any, **kwargs: Any) -> _Box:
        """Return a closed box (or an open one if its key says it is open), showing nothing."""
        bound = _bound("expander", args, kwargs)
        key = bound["key"]
        opened = self._state[key] if key is not None and key in self._state else bound["expanded"]
        return _Box(self._state, opened=bool(opened))

    def columns(self, spec: int | Sequence[float], **kwargs: Any) -> list[Unshown]:
        """Return as many unshown columns as asked for."""
        return [self] * (spec if isinstance(spec, int) else len(spec))

    def _first_value(self, name: str, args: tuple[Any, ...], kwargs: dict[str, Any]) -> Any:
        bound = _bound(name, args, kwargs)
        key = bound.get("key")
        if key is not None and key in self._state:
            return self._state[key]
        return FIRST_VALUES[name](bound)

    def __enter__(self) -> Unshown:
        """Refuse ``with``: calls of ``st`` inside it would be shown in the main area."""
        raise DeferError("a container used with 'with' would show what it holds")

    def __exit__(self, *exc: object) -> None:
        return None


class _Box(Unshown):
    """An unshown expander: open or closed as its first render would be."""

    def __init__(self, state: State, *, opened: bool) -> None:
        super().__init__(state)
        self._opened = opened

    @property
    def open(self) -> bool:
        return self._opened


def _bound(name: str, args: tuple[Any, ...], kwargs: dict[str, Any]) -> dict[str, Any]:
    """Return the arguments of ``st.<name>(*args, **kwargs)`` by name, defaults filled in."""
    try:
        bound = inspect.signature(getattr(st.sidebar, name)).bind(*args, **kwargs)
    except TypeError as exc:
        raise DeferError(f"st.{name}: {exc}") from exc
    bound.apply_defaults()
    return dict(bound.arguments)


def _nothing(*args: Any, **kwargs: Any) -> None:
    return None
