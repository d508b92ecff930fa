"""Paths and readers for ../shared: the seed articles, gold answers and reference data."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared"
ARTICLES = SHARED / "articles"
GOLD = ARTICLES / "gold"
REFERENCE = SHARED / "reference"
ARTICLE_IDS = ("000_6c64c68faa6e058a", "004_e05c51835800027d")


def read_article(article_id: str) -> str:
    """Return the text of a seed article, read from ../shared."""
    return (ARTICLES / f"{article_id}.txt").read_text(encoding="utf-8")


def read_gold(article_id: str) -> dict[str, Any]:
    """Return the gold answers of a seed article."""
    data: dict[str, Any] = json.loads((GOLD / f"{article_id}.json").read_text(encoding="utf-8"))
    return data
