"""What a scenario asks for: article, date, launch areas, weapons and layers (no computation).

A scenario is the unit the dashboard, the CLI and the static maps share. It is read from a
small TOML file (``data/scenarios/default.toml`` is the bundled one) or built from an
article's text, validated when it is built, and does no I/O in its constructors.
"""

from __future__ import annotations

import math
import tomllib
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from geo import _limits
from geo._errors import InputError, NotFoundError
from geo.settings import data_path

#: Launch area used when a scenario names none: territory Ukraine holds on the date.
DEFAULT_LAUNCH_AREAS: tuple[str, ...] = ("ukraine-held",)


@dataclass(frozen=True)
class WeaponChoice:
    """One weapon system with the ranges to draw.

    Parameters
    ----------
    name
        Name or alias of a catalogue system (``"ATACMS"``, ``"Storm Shadow"``).
    ranges_km
        Maximum ranges to draw, one ring each (e.g. ``(165, 300)`` for ATACMS variants).
    min_km
        Minimum range (inner, dashed ring), or ``None``.
    source
        Where the ranges come from: ``"catalogue"``, ``"text"`` (stated in the article) or
        ``"user"``.
    note
        Free text shown with the ring (e.g. "withheld by Germany").
    launch_areas
        Where this weapon is fired from (launch specs, see :mod:`geo.launch`); empty for the
        scenario's ``launch_areas``.
    """

    name: str
    ranges_km: tuple[float, ...]
    min_km: float | None = None
    source: str = "catalogue"
    note: str = ""
    launch_areas: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        if not self.name.strip():
            raise InputError("weapon name must not be empty")
        if not self.ranges_km:
            raise InputError(f"weapon {self.name!r} needs at least one range in km")
        for r in self.ranges_km:
            if not r > 0:
                raise InputError(f"range_km must be positive, got {r} for {self.name!r}")
            if r < _limits.MIN_RANGE_KM:
                raise InputError(
                    f"range_km must be at least {_limits.MIN_RANGE_KM:g} km, got {r:g} for "
                    f"{self.name!r}"
                )
            if r > 20_000:
                raise InputError(
                    f"range_km must be at most 20,000 km (half the Earth), got {r} for "
                    f"{self.name!r}"
                )
        if self.min_km is not None:
            if self.min_km < 0:
                raise InputError(f"min_km must not be negative, got {self.min_km}")
            if self.min_km >= min(self.ranges_km):
                raise InputError(
                    f"min_km ({self.min_km}) must be smaller than the range "
                    f"({min(self.ranges_km)}) for {self.name!r}"
                )


@dataclass(frozen=True)
class ScenarioSpec:
    """Everything a scenario asks for, validated, before anything is computed.

    Parameters
    ----------
    title
        Map title.
    date
        Frontline snapshot date, ``YYYY-MM-DD`` (a bundled date unless ``frontline_file``).
    weapons
        Weapon systems and the ranges to draw.
    launch_areas
        Names of launch areas (``"ukraine-held"``, ``"kursk-salient"``, a region or place
        name, or ``"lat,lon"``).
    clip
        Country or region (name or code) inside which reach statistics are counted, or
        ``None`` for no clipping.
    places
        Extra places by name or ``"lat,lon"``, added to those found in the article.
    article_text
        The article, or ``None``.
    article_name
        A short name for the article (its file name), used in attributions.
    frontline_file
        A user's frontline file (DeepStateMap GeoJSON, GeoJSON, KML/KMZ) instead of the
        bundled snapshot.
    standoff_km
        Launchers stay at least this far behind the line of contact.
    layers
        Style keys of the layers to show, or ``None`` for each layer's default.
    compare_date
        A bundled snapshot date to compare with: adds the areas gained and lost between it
        and ``date`` (``frontline_gained`` / ``frontline_lost``), or ``None``.
    count_in
        Countries (ISO alpha-2 codes or names) inside which reach statistics are counted;
        when given it replaces ``clip``.
    frontline
        Whether the Russia–Ukraine frontline layers belong to this scenario (``False`` for
        any other war: no frontline is loaded or drawn).
    """

    title: str = "rangemap"
    date: str = "2024-11-19"
    weapons: tuple[WeaponChoice, ...] = ()
    launch_areas: tuple[str, ...] = DEFAULT_LAUNCH_AREAS
    clip: str | None = "RU"
    places: tuple[str, ...] = ()
    article_text: str | None = None
    article_name: str | None = None
    frontline_file: Path | None = None
    article_path: Path | None = None
    standoff_km: float = 0.0
    layers: tuple[str, ...] | None = None
    notes: tuple[str, ...] = field(default_factory=tuple)
    compare_date: str | None = None
    count_in: tuple[str, ...] = ()
    frontline: bool = True

    def __post_init__(self) -> None:
        _check_date(self.date)
        if self.compare_date is not None:
            _check_date(self.compare_date)
        if self.standoff_km < 0:
            raise InputError(f"standoff_km must not be negative, got {self.standoff_km}")
        unplaced = [w.name for w in self.weapons if not w.launch_areas]
        if unplaced and not self.launch_areas:
            raise InputError(f"no launch area for {', '.join(unplaced)}: give the scenario one")

    def with_range(self, weapon: str, ranges_km: tuple[float, ...]) -> ScenarioSpec:
        """Return a copy in which ``weapon`` is drawn at ``ranges_km`` (set by the user)."""
        found = False
        out: list[WeaponChoice] = []
        for w in self.weapons:
            if w.name == weapon:
                w = replace(w, ranges_km=tuple(ranges_km), source="user")
                found = True
            out.append(w)
        if not found:
            raise NotFoundError(
                f"weapon {weapon!r} is not in this scenario; it has: "
                + ", ".join(w.name for w in self.weapons)
            )
        return replace(self, weapons=tuple(out))


def default_spec() -> ScenarioSpec:
    """Return the bundled default scenario (``data/scenarios/default.toml``)."""
    return load_spec(data_path("scenarios", "default.toml"))


def load_spec(path: str | Path) -> ScenarioSpec:
    """Read a scenario TOML file.

    Paths inside the file (``article``, ``frontline_file``) are relative to the file.

    Raises
    ------
    InputError
        If the file cannot be read, is not valid TOML, or has invalid values.
    """
    from geo._files import read_user_file

    path = Path(path)
    data = read_user_file(path, max_bytes=_limits.SCENARIO_MAX_BYTES, what="scenario file")
    try:
        if path.suffix.lower() == ".json":  # what `rangemap scenario --format json` prints
            raw = _json_object(data.decode("utf-8"), path)
        else:
            raw = tomllib.loads(data.decode("utf-8"))
    except UnicodeDecodeError:
        raise InputError(f"scenario file is not UTF-8 text: {path}") from None
    except tomllib.TOMLDecodeError as exc:
        raise InputError(f"scenario file {path} is not valid TOML: {exc}") from None
    except RecursionError:
        raise InputError(f"scenario file {path} is nested too deeply") from None
    return spec_from_dict(raw, base_dir=path.parent.resolve())


def _json_object(text: str, path: Path) -> dict[str, Any]:
    import json

    try:
        raw = json.loads(text)
    except ValueError as exc:
        raise InputError(f"scenario file {path} is not valid JSON: {exc}") from None
    if not isinstance(raw, dict):
        raise InputError(f"scenario file {path} must hold a JSON object")
    return raw


def spec_from_dict(raw: dict[str, Any], *, base_dir: Path | None = None) -> ScenarioSpec:
    """Build a :class:`ScenarioSpec` from parsed TOML/JSON, naming any bad key or value."""
    known = {
        "title",
        "date",
        "weapons",
        "launch_areas",
        "clip",
        "places",
        "article",
        "frontline_file",
        "standoff_km",
        "layers",
        "compare_date",
        "count_in",
        "frontline",
    }
    unknown = sorted(set(raw) - known)
    if unknown:
        raise InputError(
            f"unknown scenario key(s) {', '.join(unknown)}; known: {', '.join(sorted(known))}"
        )
    _check_values(raw)
    base = base_dir or Path.cwd()
    raw = _with_file_launches(raw, base)
    article_text = None
    article_name = None
    article_path = None
    if raw.get("article"):
        article_path = base / str(raw["article"])
        article_text = _read_text(article_path)
        article_name = article_path.name
    frontline_file = base / str(raw["frontline_file"]) if raw.get("frontline_file") else None
    if frontline_file is not None:
        _check_frontline_file(frontline_file)
    layers = raw.get("layers")
    return ScenarioSpec(
        title=str(raw.get("title", "rangemap")),
        date=str(raw.get("date", "2024-11-19")),
        weapons=tuple(_weapon(w) for w in _list(raw, "weapons")),
        launch_areas=tuple(str(a) for a in raw.get("launch_areas", DEFAULT_LAUNCH_AREAS)),
        clip=(str(raw["clip"]) or None) if raw.get("clip") is not None else None,
        places=tuple(str(p) for p in _list(raw, "places")),
        article_text=article_text,
        article_name=article_name,
        article_path=article_path,
        frontline_file=frontline_file,
        standoff_km=float(raw.get("standoff_km", 0.0)),
        layers=tuple(str(x) for x in layers) if layers is not None else None,
        compare_date=str(raw["compare_date"]) if raw.get("compare_date") else None,
        count_in=tuple(str(c) for c in _list(raw, "count_in")),
        frontline=_bool(raw.get("frontline", True), "frontline"),
    )


def _weapon(raw: Any) -> WeaponChoice:
    if not isinstance(raw, dict) or "name" not in raw:
        raise InputError(f"each [[weapons]] entry needs a name, got {raw!r}")
    ranges = raw.get("ranges_km", [raw["range_km"]] if "range_km" in raw else [])
    try:
        ranges_t = tuple(float(r) for r in ranges)
        min_km = float(raw["min_km"]) if raw.get("min_km") is not None else None
    except (TypeError, ValueError):
        raise InputError(
            f"ranges of weapon {raw['name']!r} must be numbers, got {ranges!r}"
        ) from None
    return WeaponChoice(
        name=str(raw["name"]),
        ranges_km=ranges_t,
        min_km=min_km,
        source=str(raw.get("source", "catalogue")),
        note=str(raw.get("note", "")),
        launch_areas=tuple(str(a) for a in _list(raw, "launch_areas")),
    )


def _list(raw: dict[str, Any], key: str) -> list[Any]:
    value = raw.get(key, [])
    if not isinstance(value, list):
        raise InputError(f"scenario key {key!r} must be a list, got {type(value).__name__}")
    return value


def _bool(value: Any, key: str) -> bool:
    if not isinstance(value, bool):
        raise InputError(f"scenario key {key!r} must be true or false, got {value!r}")
    return value


def _check_date(value: str) -> None:
    import datetime as _dt

    try:
        _dt.date.fromisoformat(value)
    except ValueError:
        raise InputError(f"date must be YYYY-MM-DD, got {value!r}") from None


def _read_text(path: Path) -> str:
    from geo.article_input import read_article_file

    return read_article_file(path)


# --- strict values (types, limits, paths) -----------------------------------------------------

#: Type of every scenario key: "text", "number", "bool", "texts" (list of text), "date".
_KEY_TYPES: dict[str, str] = {
    "title": "text", "date": "date", "launch_areas": "texts", "clip": "text",
    "places": "texts", "article": "text", "frontline_file": "text", "standoff_km": "number",
    "layers": "texts", "compare_date": "date", "count_in": "texts", "frontline": "bool",
}  # fmt: skip
#: Type of every key of a ``[[weapons]]`` entry.
_WEAPON_KEY_TYPES: dict[str, str] = {
    "name": "text", "ranges_km": "numbers", "range_km": "number", "min_km": "number",
    "source": "text", "note": "text", "launch_areas": "texts",
}  # fmt: skip


def _check_values(raw: dict[str, Any]) -> None:
    """Refuse values of the wrong type, too deep, or over the limits of :mod:`geo._limits`."""
    if _depth(raw) > _limits.SCENARIO_MAX_DEPTH:
        raise InputError(f"scenario is nested too deeply (at most {_limits.SCENARIO_MAX_DEPTH})")
    for key, kind in _KEY_TYPES.items():
        if key in raw:
            _check_type(raw[key], kind, key)
    weapons = raw.get("weapons", [])
    if not isinstance(weapons, list) or not all(isinstance(w, dict) for w in weapons):
        raise InputError("scenario key 'weapons' must be a list of [[weapons]] tables")
    _check_counts(raw, weapons)
    for index, weapon in enumerate(weapons):
        unknown = sorted(set(weapon) - set(_WEAPON_KEY_TYPES))
        if unknown:
            raise InputError(
                f"unknown key(s) {', '.join(unknown)} in [[weapons]] entry {index + 1}; "
                f"known: {', '.join(sorted(_WEAPON_KEY_TYPES))}"
            )
        for key, kind in _WEAPON_KEY_TYPES.items():
            if key in weapon:
                _check_type(weapon[key], kind, f"weapons[{index + 1}].{key}")


def _check_counts(raw: dict[str, Any], weapons: list[dict[str, Any]]) -> None:
    per_weapon = [len(w.get("ranges_km", [])) + ("range_km" in w) for w in weapons]
    launches = [raw.get("launch_areas", []), *(w.get("launch_areas", []) for w in weapons)]
    limits = [
        (len(weapons), _limits.MAX_WEAPONS, "weapons"),
        (max(per_weapon, default=0), _limits.MAX_RANGES_PER_WEAPON, "ranges for one weapon"),
        (sum(per_weapon), _limits.MAX_TOTAL_RANGES, "ranges in all"),
        (len(raw.get("places", [])), _limits.MAX_PLACES, "places"),
        (max(len(a) for a in launches), _limits.MAX_LAUNCH_AREAS, "launch areas"),
    ]
    for count, limit, what in limits:
        if count > limit:
            raise InputError(f"a scenario has at most {limit} {what}, got {count}")


def _check_type(value: Any, kind: str, key: str) -> None:
    import datetime as _dt

    def finite(v: Any) -> bool:
        return isinstance(v, (int, float)) and not isinstance(v, bool) and math.isfinite(v)

    number = finite(value)
    ok = {
        "text": isinstance(value, str) and len(value) <= _limits.MAX_TEXT_CHARS,
        "date": isinstance(value, (str, _dt.date)) and not isinstance(value, _dt.datetime),
        "number": number,
        "bool": isinstance(value, bool),
        "texts": isinstance(value, list)
        and all(isinstance(v, str) and len(v) <= _limits.MAX_TEXT_CHARS for v in value),
        "numbers": isinstance(value, list) and all(finite(v) for v in value),
    }[kind]
    if not ok:
        wanted = {
            "text": f"a string of at most {_limits.MAX_TEXT_CHARS} characters",
            "date": "a date, YYYY-MM-DD",
            "number": "a finite number (no quotes)",
            "bool": "true or false",
            "texts": "a list of strings",
            "numbers": "numbers in a list (finite, no quotes), e.g. [165, 300]",
        }[kind]
        raise InputError(f"scenario key {key!r} must be {wanted}, got {_shown(value)}")


def _shown(value: Any) -> str:
    text = repr(value)
    return f"{type(value).__name__} {text[:60]}{'…' if len(text) > 60 else ''}"


def _depth(value: Any, level: int = 0) -> int:
    if level > _limits.SCENARIO_MAX_DEPTH:
        return level
    if isinstance(value, dict):
        return max((_depth(v, level + 1) for v in value.values()), default=level + 1)
    if isinstance(value, list):
        return max((_depth(v, level + 1) for v in value), default=level + 1)
    return level


def _with_file_launches(raw: dict[str, Any], base: Path) -> dict[str, Any]:
    """Resolve relative ``file:`` launch paths from the scenario file's folder."""

    def fix(areas: list[str]) -> list[str]:
        return [
            f"file:{base / a[len('file:') :].strip()}" if a.strip().startswith("file:") else a
            for a in areas
        ]

    out = dict(raw)
    if "launch_areas" in raw:
        out["launch_areas"] = fix(raw["launch_areas"])
    if "weapons" in raw:
        out["weapons"] = [
            {**w, "launch_areas": fix(w["launch_areas"])} if "launch_areas" in w else w
            for w in raw["weapons"]
        ]
    return out


def _check_frontline_file(path: Path) -> None:
    """Refuse a frontline file that is not a regular file under the size limit (not read)."""
    import os
    import stat

    try:
        info = os.stat(path)
    except OSError:
        raise InputError(f"cannot read frontline_file {path}: no such file") from None
    if not stat.S_ISREG(info.st_mode):
        raise InputError(f"frontline_file {path} is not a regular file (a folder or device)")
    if info.st_size > _limits.FRONTLINE_MAX_BYTES:
        raise InputError(
            f"frontline_file {path} is {info.st_size:,} bytes, over the limit of "
            f"{_limits.FRONTLINE_MAX_BYTES:,}"
        )
