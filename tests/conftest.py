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
