"""Shared fixtures: seed articles and gold answers are read from ../shared, never copied."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from shared_data import ARTICLE_IDS, REFERENCE, SHARED


@pytest.fixture(scope="session", autouse=True)
def _private_user_data(tmp_path_factory: pytest.TempPathFactory) -> Iterator[None]:
    """Keep the user's data folder (the imported frontline history) out of every test."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("RANGEMAP_DATA_DIR", str(tmp_path_factory.mktemp("user-data")))
        yield


@pytest.fixture(scope="session")
def shared_dir() -> Path:
    if not SHARED.is_dir():
        pytest.fail(f"../shared not found at {SHARED}: tests need the seed articles and reference")
    return SHARED


@pytest.fixture(scope="session", params=ARTICLE_IDS)
def article_id(request: pytest.FixtureRequest) -> str:
    return str(request.param)


@pytest.fixture(scope="session")
def reference_deepstate() -> Path:
    return REFERENCE / "deepstate-2024-11-19.geojson"


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Group tests for ``pytest -n`` (pytest-xdist, ``--dist loadgroup``).

    Each module runs on one worker (its module-scoped fixtures are built once), and every
    browser test on one worker (one Chromium; dashboards do not compete with each other).
    ``make test`` runs in one process (see the Makefile); ``-n auto`` is for local runs.
    """
    for item in items:
        path = Path(str(item.fspath))
        group = "browser" if path.parent.name == "browser" else path.stem
        item.add_marker(pytest.mark.xdist_group(group))
