"""The time budget the dashboard builds each scenario under (geo/_budget.py)."""

from __future__ import annotations

import threading
import time

import pytest

from geo import _budget
from geo._budget import BudgetExceededError, budget, check
from geo.scenario import build_scenario, default_spec


def test_check_outside_a_budget_does_nothing() -> None:
    check()
    assert _budget.remaining() is None


def test_check_raises_once_the_budget_is_spent() -> None:
    with budget(seconds=0.05):
        check()
        time.sleep(0.1)
        with pytest.raises(BudgetExceededError, match=r"took longer than 0\.05 s"):
            check()


def test_a_nested_budget_never_extends_the_outer_one() -> None:
    with budget(seconds=0.05), budget(seconds=100):
        remaining = _budget.remaining()
        assert remaining is not None and remaining <= 0.05


def test_each_thread_has_its_own_budget() -> None:
    seen: list[float | None] = []
    with budget(seconds=0.01):
        worker = threading.Thread(target=lambda: seen.append(_budget.remaining()))
        worker.start()
        worker.join()
    assert seen == [None]


@pytest.mark.parametrize("seconds", [0, -1])
def test_a_budget_must_be_positive(seconds: float) -> None:
    with pytest.raises(ValueError, match="positive"), budget(seconds=seconds):
        pass


def test_a_long_scenario_build_is_stopped_by_its_budget() -> None:
    # Without check() in the buffering loop this build would finish (in about half a second
    # on an idle machine) and raise nothing: the error shows the work itself was stopped. The
    # range is used by no other test, so no cached ring can make the build instant, and the
    # budget is far below the buffer's own time (no race with the machine's speed).
    spec = default_spec().with_range("Taurus", (19_512.3,))
    with pytest.raises(BudgetExceededError), budget(seconds=0.05):
        build_scenario(spec)
