"""Who fires what, from where, at whom: a scenario read from an article's text.

The chain is text → places and weapons → one :class:`~geo.scenario.spec.ScenarioSpec`:

- **weapons**: catalogue systems the text names (air defence left out) and weapons the
  catalogue lacks but the text gives a range for ("range from the article, not in the
  catalogue"); a range stated in the text wins over the catalogue's and is quoted;
- **who fires each**: the country the text makes the subject of a launch verb ("North Korea
  launched", "fired by India", "Iran's Revolutionary Guards presented"), else the catalogue's
  operators among the countries the article names;
- **from where**: Ukraine fires from the territory it holds on the article's date; any other
  country from the places the text names as launch sites in it ("fired from an area near
  Pyongyang", "bases near Tabriz and Kermanshah", "in Fujian province"), else from its whole
  territory;
- **counted in**: the countries the article names, other than the shooters', that a ring
  reaches (South Korea and Japan; Israel; Taiwan; Russia);
- the frontline layers only when the war is Russia–Ukraine; the title is the headline.

Pure: reads bundled data, no network, no folium/streamlit.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Sequence
from dataclasses import dataclass, field, replace

import geopandas as gpd
import numpy as np
import shapely
from shapely.geometry.base import BaseGeometry

from geo import boundaries, geodesic
from geo._errors import RangemapError
from geo.scenario import _cues as cues
from geo.scenario.spec import ScenarioSpec, WeaponChoice
from geo.weapons import sentences, unlisted_weapons, weapons_in_text

__all__ = [
    "NOT_IN_CATALOGUE",
    "NOT_STRIKE_TYPES",
    "InferredWeapon",
    "infer_scenario",
    "infer_weapons",
    "spec_from_article",
    "weapon_choice",
]

#: Weapon types whose range is not a reach into enemy territory (not drawn from articles).
NOT_STRIKE_TYPES: frozenset[str] = frozenset({"air defence", "air defense"})

#: The note on a weapon drawn with a range from the text that the catalogue does not know.
NOT_IN_CATALOGUE = "range from the article, not in the catalogue"

#: The two sides whose war has frontline layers.
FRONTLINE_WAR: frozenset[str] = frozenset({"UA", "RU"})


@dataclass(frozen=True)
class InferredWeapon:
    """One strike weapon read from an article, with who fires it and from where.

    Attributes
    ----------
    choice
        The weapon as a scenario draws it (name, ranges, source, note, launch areas).
    operator
        ISO alpha-2 code of the country that fires it.
    operators
        The catalogue's operators of the system (empty for a weapon it does not know).
    how
        Why that country: ``"text"`` (a launch verb or possessive), ``"catalogue"`` (its
        operators among the countries named) or ``"guess"``.
    launch_places
        Names of the launch places the text gives for it (empty: the whole territory).
    """

    choice: WeaponChoice
    operator: str
    how: str
    launch_places: tuple[str, ...] = field(default=())
    operators: tuple[str, ...] = field(default=())


def infer_scenario(
    text: str,
    *,
    date: str | None = None,
    name: str | None = None,
    prefer: str = "text",
    standoff_km: float = 0.0,
) -> ScenarioSpec:
    """Return the scenario an article describes: weapons, launch areas, counted countries.

    Parameters
    ----------
    text
        The article.
    date
        ``YYYY-MM-DD`` to use instead of the article's own date.
    name
        A short name of the article (its file name), for attributions.
    prefer
        ``"text"`` to draw a range the article states, ``"catalogue"`` to draw the
        catalogue's figure where the catalogue knows the weapon.
    standoff_km
        Keep launchers at least this far behind the line (held territory only).

    Returns
    -------
    ScenarioSpec
        Each weapon has its own ``launch_areas``; ``count_in`` lists the target countries;
        ``frontline`` is true only for the Russia–Ukraine war; ``notes`` say what was
        inferred and what was not found.
    """
    from geo.places.resolve import places_from_text

    places = places_from_text(text)
    day = date or _article_day(text)
    weapons = infer_weapons(text, places=places, prefer=prefer)
    named = cues.countries_named(text, places)
    frontline = _russia_ukraine(weapons, named)
    snapshot = _snapshot_date(day) if frontline else day
    if frontline:
        weapons = [_in_russia_ukraine_war(w) for w in weapons]
        sides = {w.operator for w in weapons}
        count_in = tuple(c for c in ("RU", "UA") if ({"RU", "UA"} - {c}) & sides)
    else:
        count_in = _targets(weapons, named, cued=cues.cued_targets(text, places)) if weapons else ()
    choices = tuple(w.choice for w in weapons)
    notes = _notes(weapons, count_in, day, snapshot)
    return ScenarioSpec(
        title=_headline(text) or (f"rangemap: {name}" if name else "rangemap"),
        date=snapshot,
        weapons=choices,
        launch_areas=("ukraine-held",) if frontline and not choices else (),
        clip=count_in[0] if len(count_in) == 1 else None,
        count_in=count_in,
        frontline=frontline,
        article_text=text,
        article_name=name,
        standoff_km=standoff_km if frontline else 0.0,
        notes=tuple(notes),
    )


def spec_from_article(
    text: str,
    *,
    name: str | None = None,
    base: ScenarioSpec | None = None,
    prefer: str = "text",
    date: str | None = None,
) -> ScenarioSpec:
    """Return the inferred scenario of an article (see :func:`infer_scenario`).

    ``base`` gives the date when the article has none, and its standoff and layers.
    """
    text_day = date or (_article_day(text, default="") or (base.date if base else None))
    spec = infer_scenario(
        text,
        date=text_day or None,
        name=name,
        prefer=prefer,
        standoff_km=base.standoff_km if base else 0.0,
    )
    return replace(spec, layers=base.layers) if base and base.layers else spec


def weapon_choice(
    name: str, *, range_km: float | None = None, launch_areas: Sequence[str] = ()
) -> WeaponChoice:
    """Return a weapon to add to a scenario by name: any name, with its range.

    A catalogue name (or alias) fills in the catalogue's range and minimum when
    ``range_km`` is None; a given range is the user's. Any other name needs ``range_km``
    and is marked :data:`NOT_IN_CATALOGUE`.

    Raises
    ------
    InputError
        If the name is not in the catalogue and no range is given, or the range is invalid.
    """
    from geo._errors import InputError, NotFoundError
    from geo.weapons import find_weapon

    areas = tuple(launch_areas)
    try:
        system = find_weapon(name)
    except NotFoundError:
        if range_km is None:
            raise InputError(f"{name!r} is not in the catalogue: give its range in km") from None
        return WeaponChoice(
            name=name.strip(), ranges_km=(float(range_km),), source="user",
            note=NOT_IN_CATALOGUE.replace("the article", "the user"), launch_areas=areas,
        )  # fmt: skip
    if range_km is None:
        return WeaponChoice(
            name=system.name, ranges_km=(system.range_km,), min_km=system.min_km,
            source="catalogue", launch_areas=areas,
        )  # fmt: skip
    low = system.min_km if system.min_km and system.min_km < range_km else None
    return WeaponChoice(
        name=system.name, ranges_km=(float(range_km),), min_km=low, source="user",
        launch_areas=areas,
    )  # fmt: skip


def infer_weapons(
    text: str, *, places: gpd.GeoDataFrame, prefer: str = "text"
) -> list[InferredWeapon]:
    """Return the article's strike weapons, each with its operator and launch places.

    Parameters
    ----------
    text
        The article.
    places
        The article's places (:func:`geo.places.resolve.places_from_text`).
    prefer
        ``"text"`` or ``"catalogue"`` (see :func:`infer_scenario`).
    """
    spans = sentences(text)
    named = cues.countries_named(text, places)
    launchers = cues.launch_places(text, places)
    shooters = cues.shooters(text, named)
    out = []
    for mention in weapons_in_text(text):
        system = mention.system
        if system.type in NOT_STRIKE_TYPES:
            continue
        where = _sentences_of([a for a, _ in mention.spans], spans, text)
        operator, how = _operator(where, named, shooters, system.operators, launchers)
        stated = mention.stated[0] if mention.stated and prefer == "text" else None
        km = stated.km if stated else system.range_km
        min_km = system.min_km if system.min_km and system.min_km < km else None
        note = f"the article: “{stated.text}”" if stated else ""
        choice = WeaponChoice(
            name=system.name,
            ranges_km=(float(km),),
            min_km=min_km,
            source="text" if stated else "catalogue",
            note=note,
        )
        out.append(replace(_placed(choice, operator, how, launchers), operators=system.operators))
    for unlisted in unlisted_weapons(text):
        where = _sentences_of([unlisted.start], spans, text)
        operator, how = _operator(where, named, shooters, (), launchers)
        choice = WeaponChoice(
            name=unlisted.name,
            ranges_km=(float(unlisted.stated.km),),
            source="text",
            note=f"{NOT_IN_CATALOGUE}: “{unlisted.stated.text}”",
        )
        out.append(_placed(choice, operator, how, launchers))
    return out


# --- who fires --------------------------------------------------------------------------------


def _operator(
    where: str,
    named: dict[str, list[str]],
    shooters: dict[str, int],
    operators: Sequence[str],
    launchers: dict[str, list[tuple[str, str]]],
) -> tuple[str, str]:
    """Return (country code, how) for the country that fires a weapon."""
    in_sentence = {c for c, words in named.items() if any(cues.relations(where, w) for w in words)}
    possessive = {
        c
        for c, words in named.items()
        if any(re.search(rf"\b{re.escape(w)}['’]s\b", where) for w in words)
    }
    for candidates, how in (
        (in_sentence & set(operators), "text"),
        (in_sentence, "text"),
        (possessive & set(operators), "text"),
        ({c for c in named if c in operators and shooters.get(c)}, "catalogue"),
        ({c for c in named if c in operators}, "catalogue"),
        ({c for c, n in shooters.items() if n} if not operators else set(), "text"),
        ({c for c in launchers if c in named} if not operators else set(), "guess"),
    ):
        if candidates:
            return min(candidates, key=lambda c: (-shooters.get(c, 0), list(named).index(c))), how
    if operators:
        return operators[0], "catalogue"
    return (next(iter(named)) if named else "UA"), "guess"


# --- from where -------------------------------------------------------------------------------


def _placed(
    choice: WeaponChoice, operator: str, how: str, launchers: dict[str, list[tuple[str, str]]]
) -> InferredWeapon:
    named = launchers.get(operator, [])
    if operator == "UA":
        areas: tuple[str, ...] = ("ukraine-held",)
    elif named:
        areas = tuple(spec for spec, _ in named)
    else:
        areas = (f"country:{operator}",)
    return InferredWeapon(
        replace(choice, launch_areas=areas), operator, how, tuple(n for _, n in named)
    )


def _russia_ukraine(weapons: Sequence[InferredWeapon], named: dict[str, list[str]]) -> bool:
    """Whether the article is about the Russia–Ukraine war (the one with frontline layers).

    Both countries are named, and no weapon is fired, by the text's own words, by a third
    country (an Iran–Israel story that mentions Russia's war in passing is not this war; an
    article on Tomahawks the US may give Ukraine is).
    """
    if not set(named) >= FRONTLINE_WAR:
        return False
    if any(w.operator in FRONTLINE_WAR for w in weapons):
        return True
    return not any(w.how == "text" for w in weapons)


def _in_russia_ukraine_war(weapon: InferredWeapon) -> InferredWeapon:
    """Give each weapon of the Russia–Ukraine war to one side and its held territory.

    A system Russia operates (its own, or North Korean and Iranian ones it uses) is Russia's;
    any other (Western-supplied ones the text says Ukraine may use) is Ukraine's. Ukraine
    fires from the territory it holds; Russia from the places the text names, else from the
    territory it holds.
    """
    russian = weapon.operator == "RU" or (
        weapon.operator not in FRONTLINE_WAR and "RU" in weapon.operators
    )
    if russian:
        areas = weapon.choice.launch_areas if weapon.launch_places else ("russia-held",)
        if weapon.operator != "RU" and weapon.launch_places:
            areas = ("russia-held",)
        return replace(weapon, operator="RU", choice=replace(weapon.choice, launch_areas=areas))
    choice = replace(weapon.choice, launch_areas=("ukraine-held",))
    return replace(weapon, operator="UA", choice=choice, launch_places=())


# --- at whom ----------------------------------------------------------------------------------


def _targets(
    weapons: Sequence[InferredWeapon], named: dict[str, list[str]], *, cued: set[str]
) -> tuple[str, ...]:
    """Return the named countries, other than the shooters', that some ring reaches.

    When the text points weapons at some of them ("missiles at Israel", "targets in
    Pakistan", "Japan within range"), only those count: a country named in passing
    ("drones supplied to Russia") is not a target.
    """
    operators = {w.operator for w in weapons}
    candidates = [c for c in named if c not in operators]
    launches = {a for w in weapons for a in w.choice.launch_areas}
    geoms = _launch_geometries(launches)
    reached = []
    for code in candidates:
        try:
            outline = boundaries.country(code).geometry.iloc[0]
        except RangemapError:
            continue
        for w in weapons:
            parts = [geoms[a] for a in w.choice.launch_areas if a in geoms]
            if parts and _reaches(shapely.union_all(parts), outline, max(w.choice.ranges_km)):
                reached.append(code)
                break
    aimed = tuple(c for c in reached if c in cued)
    return aimed or tuple(reached)


def _launch_geometries(specs: set[str]) -> dict[str, BaseGeometry]:
    from geo.launch import launch_area

    out = {}
    for spec in specs:
        try:
            out[spec] = launch_area(spec).geometry
        except RangemapError:
            continue
    return out


def _reaches(a: BaseGeometry, b: BaseGeometry, km: float) -> bool:
    """Whether ``b`` lies within ``km`` of ``a`` (coarse vertices first, dense when close)."""
    coarse = _min_distance_km(a, b, limit=250)
    if abs(coarse - km) > 300.0:  # 250 vertices: within ~300 km even along Russia's border
        return coarse <= km
    return _min_distance_km(a, b) <= km


def _min_distance_km(a: BaseGeometry, b: BaseGeometry, *, limit: int = 1200) -> float:
    """Return the geodesic distance between two geometries, from sampled vertices.

    Vertices are about 10 km apart, at most ``limit`` per geometry (about 50 km apart along
    the longest borders): enough to decide whether a ring reaches a country.
    """
    if a.intersects(b):
        return 0.0
    ax, ay = _vertices(a, limit=limit)
    bx, by = _vertices(b, limit=limit)
    best = np.inf
    for i in range(0, len(ax), 200):
        d = geodesic.distance_km(ax[i : i + 200, None], ay[i : i + 200, None], bx[None], by[None])
        best = min(best, float(np.min(d)))
    return best


def _vertices(geom: BaseGeometry, *, limit: int) -> tuple[np.ndarray, np.ndarray]:
    line = geom if geom.geom_type in ("Point", "MultiPoint") else geom.boundary
    dense = shapely.segmentize(line, 0.1)
    coords = shapely.get_coordinates(dense)
    step = max(1, len(coords) // limit)
    return coords[::step, 0], coords[::step, 1]


# --- when, title, notes -----------------------------------------------------------------------


def _article_day(text: str, *, default: str | None = None) -> str:
    """Return the article's date (``YYYY-MM-DD``), or ``default`` / today when it has none."""
    from geo.dates import article_date

    found = article_date(text, earliest=dt.date(1950, 1, 1))
    if found is not None:
        return found.date.isoformat()
    if default is not None:
        return default
    from geo.scenario.spec import default_spec

    return default_spec().date


def _snapshot_date(day: str) -> str:
    """Return the bundled frontline snapshot for a day: the latest on or before it."""
    from geo import frontline

    dates = sorted(frontline.available_dates())
    before = [d for d in dates if d <= day]
    return before[-1] if before else dates[0]


def _headline(text: str) -> str:
    for line in text.splitlines():
        line = " ".join(line.split())
        if line:
            return line if len(line) <= 120 else line[:119].rsplit(" ", 1)[0] + "…"
    return ""


def _notes(
    weapons: Sequence[InferredWeapon], count_in: Sequence[str], day: str, snapshot: str
) -> list[str]:
    if not weapons:
        return ["No strike weapon or range found in the article: no range rings drawn."]
    notes = []
    for w in weapons:
        where = ", ".join(w.launch_places) or w.choice.launch_areas[0]
        notes.append(f"{w.choice.name}: fired by {w.operator} ({w.how}) from {where}")
    notes.append(
        "Counted in: " + (", ".join(count_in) if count_in else "no named country in range")
    )
    if snapshot != day:
        notes.append(_gap_note(snapshot, day))
    return notes


def _gap_note(snapshot: str, day: str) -> str:
    """Say how far the frontline snapshot's date is from the article's."""
    gap = (dt.date.fromisoformat(day) - dt.date.fromisoformat(snapshot)).days
    days = "day" if abs(gap) == 1 else "days"
    side = "before" if gap > 0 else "after"
    return (
        f"Frontline of {snapshot}, {abs(gap):,} {days} {side} the article's date {day} "
        "(the nearest snapshot available; import more with 'rangemap frontline import')"
    )


def _sentences_of(starts: Sequence[int], spans: Sequence[tuple[int, int]], text: str) -> str:
    return " ".join(text[a:b] for a, b in spans if any(a <= s < b for s in starts))
