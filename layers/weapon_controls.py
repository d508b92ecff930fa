"""A scenario's weapons ↔ the dashboard's weapon controls and share link (pure; no ``st.*``).

The dashboard shows the inferred choices of an article as editable controls: per weapon its
launch areas and ranges, the countries in which reach is counted, and weapons added by name.
These functions turn a :class:`~geo.scenario.ScenarioSpec` into control values, control
values back into a spec, and both into URL parameters, so ``app.py`` only lays out widgets.

URL parameters (besides the ranges, ``kn-23=690``, written by
:func:`layers.dashboard.share_params`):

- ``from-<weapon>=Pyongyang;country:KP``: a weapon's own launch areas, when the reader
  changed them (``;`` separates areas, since ``lat,lon`` holds a comma; ``-``: the
  scenario's launch areas);
- ``count=KR,JP``: the countries reach is counted in, when changed;
- ``add=Fattah;My missile``: weapons the reader added.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import replace

from geo._errors import InputError, NotFoundError
from geo.scenario import ScenarioSpec, WeaponChoice, weapon_choice
from layers.dashboard import MAX_URL_VALUE_CHARS, check_range, parse_ranges, weapon_param

#: Most launch areas one weapon may have, and longest name of one.
MAX_AREAS = 10
MAX_AREA_CHARS = 200
#: Most weapons a reader may add, and longest weapon name.
MAX_ADDED = 8
MAX_NAME_CHARS = 60
#: Most countries reach may be counted in.
MAX_COUNT_IN = 12
#: Launch areas offered for any weapon of the Russia–Ukraine war.
FRONTLINE_OPTIONS: tuple[str, ...] = ("ukraine-held", "kursk-salient", "russia-held")
#: What a weapon's ``source`` means, in words for its caption.
SOURCE_WORDS: dict[str, str] = {
    "catalogue": "range from the catalogue",
    "text": "range from the article",
    "user": "range set by you",
}
_ISO2 = re.compile(r"^[A-Z]{2}$")
_SEP = ";"


def launch_param(name: str) -> str:
    """Return the URL parameter of a weapon's launch areas (``"KN-23"`` → ``from-kn-23``)."""
    return f"from-{weapon_param(name)}"


def effective_areas(spec: ScenarioSpec, weapon: WeaponChoice) -> tuple[str, ...]:
    """Return where ``weapon`` is fired from: its own areas, else the scenario's."""
    return weapon.launch_areas or spec.launch_areas


def launch_options(spec: ScenarioSpec, weapon: WeaponChoice) -> list[str]:
    """Return the launch areas offered for ``weapon``: its own first, then the scenario's.

    The other weapons' areas are offered too, and the Russia–Ukraine areas when the
    scenario has the frontline.
    """
    others = [a for w in spec.weapons for a in w.launch_areas]
    frontline = FRONTLINE_OPTIONS if spec.frontline else ()
    return list(
        dict.fromkeys([*effective_areas(spec, weapon), *spec.launch_areas, *others, *frontline])
    )


def area_label(area: str) -> str:
    """Return a launch area as the reader reads it (``"country:KP"`` → ``KP (whole country)``)."""
    kind, _, rest = area.partition(":")
    if kind == "country" and rest:
        return f"{rest} (whole country)"
    if kind == "region" and rest:
        return f"{rest} (region)"
    if kind == "file" and rest:
        return "uploaded polygon"
    return area


def weapon_caption(spec: ScenarioSpec, name: str) -> str:
    """Return one line saying where weapon ``name``'s range and launch areas come from.

    Raises
    ------
    NotFoundError
        If the scenario has no weapon ``name``.
    """
    _require(spec, name)
    weapon = next(w for w in spec.weapons if w.name == name)
    source = SOURCE_WORDS.get(weapon.source, weapon.source)
    areas = ", ".join(area_label(a) for a in effective_areas(spec, weapon)) or "nowhere"
    note = f" · {weapon.note}" if weapon.note else ""
    return f"{source}; fired from {areas}{note}"


def control_key(prefix: str, name: str, default: Iterable[object]) -> str:
    """Return a widget key that changes when a control's default does (a new article).

    Streamlit keeps a keyed widget's value across reruns; a key naming the default makes a
    fresh widget for a new article instead of carrying over the last article's choice.
    """
    digest = hashlib.sha256(repr(tuple(default)).encode("utf-8")).hexdigest()[:8]
    return f"{prefix}_{weapon_param(name)}_{digest}"


def with_launch_areas(spec: ScenarioSpec, name: str, areas: Sequence[str]) -> ScenarioSpec:
    """Return ``spec`` with weapon ``name`` fired from ``areas`` (the reader's choice).

    No areas means "the scenario's launch areas" when the scenario has some.

    Raises
    ------
    InputError
        If ``areas`` is empty and the scenario has no launch areas, or is too long.
    NotFoundError
        If the scenario has no weapon ``name``.
    """
    _require(spec, name)
    follows = spec.launch_areas and not any(a.strip() for a in areas)
    chosen = () if follows else check_areas(areas)
    out = [
        replace(w, launch_areas=chosen) if w.name == name and chosen != w.launch_areas else w
        for w in spec.weapons
    ]
    return replace(spec, weapons=tuple(out))


def shared_launch_areas(spec: ScenarioSpec) -> ScenarioSpec:
    """Return a frontline ``spec`` whose weapons share launch areas as the scenario's areas.

    An article about the Russia–Ukraine war gives every weapon ``("ukraine-held",)``; as
    the scenario's launch areas they are edited once for all (with the standoff), and
    each weapon may still be given its own. Any other spec is returned as it is.
    """
    shared = {w.launch_areas for w in spec.weapons}
    if not spec.frontline or spec.launch_areas or len(shared) != 1 or shared == {()}:
        return spec
    weapons = tuple(replace(w, launch_areas=()) for w in spec.weapons)
    return replace(spec, weapons=weapons, launch_areas=shared.pop())


def counted(spec: ScenarioSpec) -> tuple[str, ...]:
    """Return the countries reach is counted in: ``count_in``, else a two-letter ``clip``."""
    if spec.count_in:
        return spec.count_in
    clip = (spec.clip or "").upper()
    return (clip,) if _ISO2.match(clip) else ()


def with_count_in(spec: ScenarioSpec, codes: Sequence[str]) -> ScenarioSpec:
    """Return ``spec`` counting reach in the countries ``codes`` (ISO alpha-2).

    One country is also the clip (as :func:`geo.scenario.infer_scenario` does); none
    counts reach everywhere. The countries :func:`counted` already gives change nothing.

    Raises
    ------
    InputError
        If a code is not two letters or there are too many.
    """
    count_in = check_codes(codes)
    if count_in == counted(spec):
        return spec
    return replace(spec, count_in=count_in, clip=count_in[0] if len(count_in) == 1 else None)


def added_weapon(
    spec: ScenarioSpec,
    name: str,
    *,
    range_km: float | None = None,
    launch_areas: Sequence[str] = (),
) -> WeaponChoice:
    """Return the weapon a reader adds by name; catalogue names fill in the range.

    Without ``launch_areas`` it is fired from where the scenario's first weapon is (or the
    scenario's launch areas).

    Raises
    ------
    InputError
        If the name is empty, too long or already drawn, an unknown name has no range,
        the range is out of bounds, or there is nowhere to fire it from.
    """
    clean = " ".join(name.replace(_SEP, " ").split())
    if not clean or len(clean) > MAX_NAME_CHARS:
        raise InputError(f"a weapon name must be 1 to {MAX_NAME_CHARS} characters")
    km = check_range(range_km) if range_km is not None else None
    areas = check_areas(launch_areas) if launch_areas else _first_areas(spec)
    weapon = weapon_choice(clean, range_km=km, launch_areas=areas)
    if any(w.name.casefold() == weapon.name.casefold() for w in spec.weapons):
        raise InputError(f"{weapon.name} is already on the map: change its range above")
    return weapon


def with_added(spec: ScenarioSpec, weapons: Iterable[WeaponChoice]) -> ScenarioSpec:
    """Return ``spec`` with ``weapons`` drawn after its own (names already drawn skipped)."""
    have = {w.name.casefold() for w in spec.weapons}
    new = [w for w in weapons if w.name.casefold() not in have]
    return replace(spec, weapons=(*spec.weapons, *new)) if new else spec


def weapon_share_params(spec: ScenarioSpec, *, inferred: ScenarioSpec) -> dict[str, str]:
    """Return the share-link parameters of what the reader changed from ``inferred``.

    Parameters
    ----------
    spec
        The scenario shown.
    inferred
        The scenario before the weapon controls (the article's or the default one).

    Returns
    -------
    dict
        ``from-<weapon>`` for each weapon whose own launch areas differ (added weapons
        always; ``-`` for one that now follows the scenario's launch areas),
        ``count`` if the counted countries differ, ``add`` naming the added weapons.
        Launch areas from uploaded files are left out (a link cannot carry them).
    """
    before = {w.name: w.launch_areas for w in inferred.weapons}
    out: dict[str, str] = {}
    for w in spec.weapons:
        if before.get(w.name) != w.launch_areas:
            out[launch_param(w.name)] = format_areas(w.launch_areas) or "-"
    if counted(spec) != counted(inferred):
        out["count"] = ",".join(counted(spec)) or "-"
    added = [w.name for w in spec.weapons if w.name not in before]
    if added:
        out["add"] = _SEP.join(added)
    return {k: v for k, v in out.items() if v}


def url_edits(spec: ScenarioSpec, params: Mapping[str, str]) -> tuple[ScenarioSpec, list[str]]:
    """Return ``spec`` with a share link's weapon edits, and what was ignored and why.

    Applies ``add`` (with each added weapon's ``<weapon>=`` range and ``from-<weapon>``
    areas), then ``from-<weapon>`` of the scenario's own weapons, then ``count``. A bad
    value is left out with a message; the rest still applies. Ranges of the scenario's own
    weapons are the range controls' business.
    """
    problems: list[str] = []
    spec = _url_added(spec, params, problems)
    for w in spec.weapons:
        raw = params.get(launch_param(w.name))
        if raw:
            try:
                areas = () if raw.strip() == "-" else parse_areas(raw)
                spec = with_launch_areas(spec, w.name, areas)
            except InputError as exc:
                problems.append(f"Ignored the URL's {launch_param(w.name)}: {exc}")
    raw = params.get("count")
    if raw:
        try:
            spec = with_count_in(spec, parse_count_in(raw))
        except InputError as exc:
            problems.append(f"Ignored the URL's count: {exc}")
    return spec, problems


def format_areas(areas: Iterable[str]) -> str:
    """Return launch areas as a URL value (``;``-separated; uploaded files left out)."""
    return _SEP.join(a for a in areas if not a.startswith("file:"))


def parse_areas(value: str) -> tuple[str, ...]:
    """Parse a URL list of launch areas (``"Pyongyang;39.0,125.7"``).

    Raises
    ------
    InputError
        If the value is too long, lists too many areas, or lists none.
    """
    if len(value) > MAX_URL_VALUE_CHARS:
        raise InputError(f"a launch-area list must be under {MAX_URL_VALUE_CHARS} characters")
    return check_areas([v for v in (p.strip() for p in value.split(_SEP)) if v])


def parse_added(value: str) -> list[str]:
    """Parse the URL list of added weapon names (``"Fattah;My missile"``), bounded."""
    names = [" ".join(v.split()) for v in value[:MAX_URL_VALUE_CHARS].split(_SEP)]
    return [n for n in dict.fromkeys(names) if n and len(n) <= MAX_NAME_CHARS][:MAX_ADDED]


def parse_count_in(value: str) -> tuple[str, ...]:
    """Parse the URL list of counted countries (``"KR,JP"``; ``"-"`` for none).

    Raises
    ------
    InputError
        If an item is not a two-letter code or there are too many.
    """
    if value.strip() == "-":
        return ()
    return check_codes(value[:MAX_URL_VALUE_CHARS].split(","))


def check_areas(areas: Sequence[str]) -> tuple[str, ...]:
    """Return ``areas`` stripped and deduplicated, or raise if there are none or too many.

    Raises
    ------
    InputError
        "choose at least one launch area", or a message naming the limit.
    """
    clean = tuple(dict.fromkeys(a.strip() for a in areas if a.strip()))
    if not clean:
        raise InputError("choose at least one launch area")
    if len(clean) > MAX_AREAS:
        raise InputError(f"at most {MAX_AREAS} launch areas per weapon, got {len(clean)}")
    long = [a for a in clean if len(a) > MAX_AREA_CHARS]
    if long:
        raise InputError(f"a launch area must be under {MAX_AREA_CHARS} characters")
    return clean


def check_codes(codes: Sequence[str]) -> tuple[str, ...]:
    """Return ISO alpha-2 codes upper-cased and deduplicated.

    Raises
    ------
    InputError
        If a code is not two letters, or there are more than :data:`MAX_COUNT_IN`.
    """
    clean = tuple(dict.fromkeys(c.strip().upper() for c in codes if c.strip()))
    bad = [c for c in clean if not _ISO2.match(c)]
    if bad:
        raise InputError(f"count-in countries are two-letter codes (KR, JP), got {bad[0][:20]!r}")
    if len(clean) > MAX_COUNT_IN:
        raise InputError(f"at most {MAX_COUNT_IN} countries, got {len(clean)}")
    return clean


def country_options(names: Mapping[str, str], *, chosen: Sequence[str]) -> list[str]:
    """Return the codes offered in the count-in control: the chosen ones first, then A–Z."""
    return list(dict.fromkeys([*chosen, *sorted(c for c in names if _ISO2.match(c))]))


def _url_added(spec: ScenarioSpec, params: Mapping[str, str], problems: list[str]) -> ScenarioSpec:
    added = []
    for name in parse_added(params.get("add", "")):
        try:
            ranges = params.get(weapon_param(name))
            km = parse_ranges(ranges)[0] if ranges else None
            areas = (
                parse_areas(params[launch_param(name)]) if params.get(launch_param(name)) else ()
            )
            added.append(added_weapon(spec, name, range_km=km, launch_areas=areas))
        except InputError as exc:
            problems.append(f"Ignored the URL's weapon {name!r}: {exc}")
    return with_added(spec, added)


def _first_areas(spec: ScenarioSpec) -> tuple[str, ...]:
    for w in spec.weapons:
        if effective_areas(spec, w):
            return effective_areas(spec, w)
    if spec.launch_areas:
        return spec.launch_areas
    raise InputError("say where the weapon is fired from (a place, region, country or lat,lon)")


def _require(spec: ScenarioSpec, name: str) -> None:
    if not any(w.name == name for w in spec.weapons):
        raise NotFoundError(
            f"weapon {name!r} is not in this scenario; it has: "
            + (", ".join(w.name for w in spec.weapons) or "none")
        )
