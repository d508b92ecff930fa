"""Click-to-place: launch points a reader puts on the map, each drawn with its own ring.

A click on the dashboard's map (streamlit-folium's ``last_clicked``) becomes a :class:`Pin`:
a weapon name, a range and a point. Each pin is drawn as one weapon of the scenario, named
``"<weapon> #<n>"`` (its ring reads "ATACMS #1 300 km") and fired from ``"lat,lon"``, so
the rings, labels, legend, figures and downloads treat it like any other weapon. Pins live
in the share link as ``pin=lat,lon,km,weapon;...``. Pure: no ``st.*`` call.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from typing import Any

from geo._errors import InputError
from geo.scenario import ScenarioSpec, WeaponChoice
from layers.dashboard import check_range

#: Most pins on one map (and in one share link).
MAX_PINS = 20
#: Longest weapon name of a pin.
MAX_WEAPON_CHARS = 60
#: Decimals of a pin's coordinates (4 decimals ≈ 11 m).
DECIMALS = 4
_SEP = ";"


@dataclass(frozen=True)
class Pin:
    """One launch point placed on the map.

    Parameters
    ----------
    weapon
        Name of the weapon fired from it (plain text).
    range_km
        Radius of its ring.
    lat, lon
        The point, EPSG:4326 degrees (rounded to :data:`DECIMALS` decimals).
    """

    weapon: str
    range_km: float
    lat: float
    lon: float

    def __post_init__(self) -> None:
        name = " ".join(self.weapon.replace(_SEP, " ").split())
        if not name or len(name) > MAX_WEAPON_CHARS:
            raise InputError(f"a pin's weapon name must be 1 to {MAX_WEAPON_CHARS} characters")
        if not (math.isfinite(self.lat) and -90.0 <= self.lat <= 90.0):
            raise InputError(f"a pin's latitude must be within -90..90, got {self.lat}")
        if not math.isfinite(self.lon):
            raise InputError(f"a pin's longitude must be a number, got {self.lon}")
        lon = (self.lon + 180.0) % 360.0 - 180.0  # a click on a wrapped world copy
        object.__setattr__(self, "weapon", name)
        object.__setattr__(self, "range_km", check_range(self.range_km))
        object.__setattr__(self, "lat", round(self.lat, DECIMALS))
        object.__setattr__(self, "lon", round(lon, DECIMALS))

    @property
    def where(self) -> str:
        """Return the point as a launch spec (``"50.1234,36.5678"``)."""
        return f"{self.lat:.{DECIMALS}f},{self.lon:.{DECIMALS}f}"


def pin_names(pins: Sequence[Pin]) -> list[str]:
    """Return the weapon name each pin is drawn as: ``"<weapon> #<n>"``, numbered from 1."""
    return [f"{pin.weapon} #{i}" for i, pin in enumerate(pins, start=1)]


def describe(pins: Sequence[Pin]) -> list[str]:
    """Return one line per pin as the reader reads it (``"ATACMS #1 · 300 km · 50.1, 36.2"``)."""
    return [
        f"{name} · {pin.range_km:,.0f} km · {pin.lat:.2f}, {pin.lon:.2f}"
        for name, pin in zip(pin_names(pins), pins, strict=True)
    ]


def clicked_point(value: Mapping[str, Any] | None) -> tuple[float, float] | None:
    """Return ``(lat, lon)`` of streamlit-folium's ``last_clicked``, or ``None``."""
    point = (value or {}).get("last_clicked")
    if not isinstance(point, Mapping):
        return None
    try:
        lat, lon = float(point["lat"]), float(point["lng"])
    except (KeyError, TypeError, ValueError):
        return None
    return (lat, lon) if math.isfinite(lat) and math.isfinite(lon) else None


def with_pins(spec: ScenarioSpec, pins: Sequence[Pin]) -> ScenarioSpec:
    """Return ``spec`` with one weapon per pin, drawn after its own weapons."""
    if not pins:
        return spec
    have = {w.name.casefold() for w in spec.weapons}
    added = [
        WeaponChoice(
            name=name,
            ranges_km=(pin.range_km,),
            source="user",
            note=f"placed on the map at {pin.lat:.4f}, {pin.lon:.4f}",
            launch_areas=(pin.where,),
        )
        for name, pin in zip(pin_names(pins), pins, strict=True)
        if name.casefold() not in have
    ]
    return replace(spec, weapons=(*spec.weapons, *added))


def without_pins(spec: ScenarioSpec, pins: Sequence[Pin]) -> ScenarioSpec:
    """Return ``spec`` without the weapons :func:`with_pins` added for ``pins``."""
    names = {name.casefold() for name in pin_names(pins)}
    kept = tuple(w for w in spec.weapons if w.name.casefold() not in names)
    return replace(spec, weapons=kept) if len(kept) != len(spec.weapons) else spec


def format_pins(pins: Iterable[Pin]) -> str:
    """Return pins as a share-link value: ``lat,lon,km,weapon`` joined by ``;``."""
    return _SEP.join(f"{p.where},{p.range_km:g},{p.weapon}" for p in pins)


def parse_pins(value: str) -> tuple[list[Pin], list[str]]:
    """Parse a share link's pins; return the good ones and why the others were ignored.

    At most :data:`MAX_PINS` are read; a weapon name may hold commas (it comes last).
    """
    pins: list[Pin] = []
    problems: list[str] = []
    for part in [p for p in str(value).split(_SEP) if p.strip()][:MAX_PINS]:
        fields = part.split(",", 3)
        try:
            if len(fields) != 4:
                raise InputError("a pin is 'lat,lon,km,weapon'")
            lat, lon, km = (float(f) for f in fields[:3])
            pins.append(Pin(fields[3], km, lat, lon))
        except (InputError, ValueError) as exc:
            problems.append(f"Ignored the URL's pin {part[:80]!r}: {exc}")
    return pins, problems
