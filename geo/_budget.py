"""A time budget for one piece of work: long loops call :func:`check` and stop when it is spent.

The dashboard builds each scenario inside ``with budget(seconds=...)``; the geodesic
buffering, place resolution and frontline loaders call :func:`check` once per chunk, name or
feature. When the budget is spent, :func:`check` raises :class:`BudgetExceededError`, so the
server *stops* the work (a thread that is merely no longer waited for would keep a core busy
after the visitor has gone). Outside a budget, :func:`check` costs one context-variable read.

The deadline lives in a :class:`contextvars.ContextVar`, so concurrent sessions (threads)
each have their own.
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar

from geo._errors import RangemapError

_DEADLINE: ContextVar[tuple[float, float] | None] = ContextVar("rangemap_deadline", default=None)


class BudgetExceededError(RangemapError):
    """The work took longer than its time budget and was stopped."""


@contextmanager
def budget(*, seconds: float | None) -> Iterator[None]:
    """Run the body under a time budget of ``seconds`` (``None``: no budget).

    Parameters
    ----------
    seconds
        Wall-clock seconds the body may take; a nested budget never extends an outer one.

    Raises
    ------
    ValueError
        If ``seconds`` is not positive.
    BudgetExceededError
        From a :func:`check` inside the body once the budget is spent.
    """
    if seconds is None:
        yield
        return
    if not seconds > 0:
        raise ValueError(f"seconds must be positive, got {seconds!r}")
    deadline = time.monotonic() + seconds
    outer = _DEADLINE.get()
    if outer is not None and outer[0] < deadline:
        deadline, seconds = outer
    token = _DEADLINE.set((deadline, seconds))
    try:
        yield
    finally:
        _DEADLINE.reset(token)


def check() -> None:
    """Raise :class:`BudgetExceededError` once the current budget is spent; else return at once."""
    current = _DEADLINE.get()
    if current is not None and time.monotonic() > current[0]:
        raise BudgetExceededError(
            f"This scenario took longer than {current[1]:g} s and was stopped: use fewer or "
            "shorter ranges, fewer launch areas or a shorter article"
        )


def remaining() -> float | None:
    """Return the seconds left in the current budget (``None`` outside any budget)."""
    current = _DEADLINE.get()
    return None if current is None else current[0] - time.monotonic()
