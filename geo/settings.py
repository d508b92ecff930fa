"""Where rangemap finds its bundled data and keeps its disk cache."""

from __future__ import annotations

import os
from pathlib import Path

#: Root of the repository checkout (the package is installed in editable mode).
PROJECT_ROOT: Path = Path(__file__).resolve().parent.parent

#: Bundled data files, each described in ``data/README.md``.
DATA_DIR: Path = PROJECT_ROOT / "data"


def user_data_dir() -> Path:
    """Return the user's data folder (the imported frontline history), created on demand.

    ``RANGEMAP_DATA_DIR`` overrides the default ``$XDG_DATA_HOME/rangemap``
    (``~/.local/share/rangemap``).
    """
    env = os.environ.get("RANGEMAP_DATA_DIR")
    if env:
        path = Path(env)
    else:
        base = os.environ.get("XDG_DATA_HOME") or str(Path.home() / ".local" / "share")
        path = Path(base) / "rangemap"
    path.mkdir(parents=True, exist_ok=True)
    return path


def cache_dir() -> Path:
    """Return the directory for derived, rebuildable files (created on demand).

    ``RANGEMAP_CACHE_DIR`` overrides the default ``$XDG_CACHE_HOME/rangemap``
    (``~/.cache/rangemap``).
    """
    env = os.environ.get("RANGEMAP_CACHE_DIR")
    if env:
        path = Path(env)
    else:
        base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
        path = Path(base) / "rangemap"
    path.mkdir(parents=True, exist_ok=True)
    return path


def data_path(*parts: str) -> Path:
    """Return the path of a bundled data file under ``data/``."""
    return DATA_DIR.joinpath(*parts)
