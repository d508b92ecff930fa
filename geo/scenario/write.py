"""A :class:`~geo.scenario.spec.ScenarioSpec` back to a scenario file (TOML or JSON).

What :func:`geo.scenario.spec.load_spec` reads, :func:`dumps` writes: a user can print the
scenario inferred from an article (``rangemap scenario ARTICLE``), edit it and draw it with
``rangemap map --scenario FILE``.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from geo._errors import InputError
from geo.scenario.spec import ScenarioSpec, WeaponChoice

__all__ = ["FORMATS", "dumps", "spec_to_dict"]

#: File formats :func:`dumps` writes.
FORMATS: tuple[str, ...] = ("toml", "json")


def spec_to_dict(spec: ScenarioSpec, *, article: str | Path | None = None) -> dict[str, Any]:
    """Return the scenario file's keys for a spec (what ``spec_from_dict`` reads back).

    Parameters
    ----------
    spec
        The scenario.
    article
        Path of the article to name in the file (its text is not copied); none when None.
    """
    out: dict[str, Any] = {"title": spec.title, "date": spec.date}
    if article is not None:
        out["article"] = str(article)
    out["frontline"] = spec.frontline
    out["launch_areas"] = list(spec.launch_areas)
    if spec.count_in:
        out["count_in"] = list(spec.count_in)
    if spec.clip and not spec.count_in:
        out["clip"] = spec.clip
    if spec.standoff_km:
        out["standoff_km"] = spec.standoff_km
    if spec.places:
        out["places"] = list(spec.places)
    if spec.compare_date:
        out["compare_date"] = spec.compare_date
    out["weapons"] = [_weapon(w) for w in spec.weapons]
    return out


def dumps(spec: ScenarioSpec, *, fmt: str = "toml", article: str | Path | None = None) -> str:
    """Return a spec as the text of a scenario file.

    Parameters
    ----------
    spec
        The scenario.
    fmt
        ``"toml"`` (with the spec's notes as comments) or ``"json"``.
    article
        Path of the article to name in the file.

    Raises
    ------
    InputError
        For another format.
    """
    data = spec_to_dict(spec, article=article)
    if fmt == "json":
        return json.dumps(data, indent=2, ensure_ascii=False) + "\n"
    if fmt != "toml":
        raise InputError(f"format must be one of {', '.join(FORMATS)}, got {fmt!r}")
    lines = [
        "# A rangemap scenario: edit it, then draw it with `rangemap map --scenario FILE`.",
        *(f"# {note}" for note in spec.notes),
    ]
    lines += [f"{key} = {_value(value)}" for key, value in data.items() if key != "weapons"]
    for weapon in data["weapons"]:
        lines += ["", "[[weapons]]"]
        lines += [f"{key} = {_value(value)}" for key, value in weapon.items()]
    return "\n".join(lines) + "\n"


def _weapon(w: WeaponChoice) -> dict[str, Any]:
    out: dict[str, Any] = {"name": w.name, "ranges_km": list(w.ranges_km)}
    if w.min_km:
        out["min_km"] = w.min_km
    out["source"] = w.source
    if w.note:
        out["note"] = w.note
    if w.launch_areas:
        out["launch_areas"] = list(w.launch_areas)
    return out


def _value(value: Any) -> str:
    """Return one TOML value (strings as JSON-style basic strings, which TOML shares)."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, float)):
        return repr(float(value)) if isinstance(value, float) else str(value)
    if isinstance(value, str):
        return json.dumps(value, ensure_ascii=False)
    if isinstance(value, list):
        return "[" + ", ".join(_value(v) for v in value) + "]"
    raise InputError(f"cannot write {type(value).__name__} to a scenario file")
