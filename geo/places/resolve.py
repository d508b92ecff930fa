"""Place mentions → one geocoded row per distinct place (disambiguation and confidence).

Each candidate of a mention gets a score: a prior from its kind, population and how the
name refers to it (own name, alternate name, bare region name, demonym), plus evidence from
the article: countries and regions named elsewhere, "X, Y" appositions, a region word after
the name, and other places nearby (geodesic distance to the likely readings of the other
mentions).  All mentions of one name in an article take the same reading (one sense per
discourse); a name said once with "region" is a region everywhere in that article.
The words around a name that rule readings out before scoring are in
:mod:`geo.places._cues`, the support of nearby readings in :mod:`geo.places._proximity`.
"""

from __future__ import annotations

import bisect
import functools
import heapq
import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from geo import _budget
from geo._errors import InputError, NotFoundError
from geo.places import gazetteer
from geo.places._cues import city_cues, features, says_water_key, without_people
from geo.places._proximity import add_proximity, first_level, softmax
from geo.places.extract import PlaceMention, find_mentions, fuzzy_candidates, sentences
from geo.places.forms import add_written_forms
from geo.places.gazetteer import (
    ALTERNATE,
    BASE,
    BUILDING,
    CITY,
    CONTINENT,
    COUNTRY,
    DEMONYM,
    KINDS,
    PRIMARY,
    REGION,
    UNION,
    WATER,
    Index,
)
from geo.places.names import REGION_CUES, normalise
from geo.places.people import find_people, surname_keys

if TYPE_CHECKING:  # geopandas is imported only when a GeoDataFrame is asked for
    import geopandas as gpd

#: Columns of every places GeoDataFrame, in order (plus ``geometry``).
COLUMNS: tuple[str, ...] = (
    "name",
    "kind",
    "country_code",
    "code",
    "admin1_code",
    "geonameid",
    "population",
    "surfaces",
    "mentions",
    "confidence",
    "sentence",
    "demonym_only",
)

_MAX_CANDIDATES = 40


def places_from_text(text: str) -> gpd.GeoDataFrame:
    """Return the places an article names, one row per distinct place.

    Parameters
    ----------
    text
        Article text; ``mentions`` are ``[start, end]`` character offsets into it.

    Returns
    -------
    geopandas.GeoDataFrame
        Columns :data:`COLUMNS` and point geometry (the gazetteer's representative
        coordinate), in EPSG:4326, ordered by first mention.
    """
    return frame_from_records(place_records(text))


def place_records(text: str) -> list[dict[str, Any]]:
    """Return the places an article names as plain records (no pandas or geopandas needed).

    The rows of :func:`places_from_text` as dicts of :data:`COLUMNS` plus ``lat`` and
    ``lon`` (EPSG:4326), in order of first mention; ``geonameid`` and ``population`` are
    ``None`` when unknown. :func:`frame_from_records` turns them into that GeoDataFrame.
    """
    if not isinstance(text, str):
        raise InputError(f"text must be a string, got {type(text).__name__}")
    ix = gazetteer.load_index()
    mentions = add_written_forms(text, find_mentions(text, index=ix), ix)
    mentions = without_people(features(text, mentions, ix), find_people(text), ix, text)
    readings = _resolve(mentions, ix, cities=city_cues(text, mentions))
    return _records(text, mentions, readings, ix)


def frame_from_records(records: Sequence[Mapping[str, Any]]) -> gpd.GeoDataFrame:
    """Return the places GeoDataFrame (EPSG:4326) of records from :func:`place_records`."""
    import geopandas as gpd
    import pandas as pd

    frame = pd.DataFrame(list(records), columns=list(COLUMNS))
    for col in ("geonameid", "population"):
        frame[col] = frame[col].astype("Int64")
    frame["confidence"] = frame["confidence"].astype(float)
    frame["demonym_only"] = frame["demonym_only"].astype(bool)
    lon, lat = [r["lon"] for r in records], [r["lat"] for r in records]
    crs = _wgs84()
    return gpd.GeoDataFrame(frame, geometry=gpd.points_from_xy(lon, lat, crs=crs), crs=crs)


def geocode(query: str, *, context: Sequence[str] = ()) -> gpd.GeoDataFrame:
    """Return the one place a name (or a ``"lat,lon"`` pair) stands for.

    Parameters
    ----------
    query
        A place name ("Kharkiv", "Kursk region", "London, Ontario") or ``"lat,lon"``.
    context
        Other place names or text that help choose between namesakes
        (``context=["Virginia"]`` makes "Alexandria" the one in Virginia).

    Returns
    -------
    geopandas.GeoDataFrame
        One row with the columns of :func:`places_from_text`, in EPSG:4326. A coordinate
        pair gives a row of kind ``"poi"`` named by the query.

    Raises
    ------
    NotFoundError
        If the gazetteer knows no such place; the message lists the closest names.
    """
    if not query or not query.strip():
        raise InputError("query must name a place or give 'lat,lon', got an empty string")
    from geo.coords import is_coordinate_text, parse_latlon  # geocoding only

    if is_coordinate_text(query):  # 'lat,lon', '-33.9,18.4', '50°27′N 30°31′E' (geo.coords)
        return _point_row(query.strip(), *parse_latlon(query))
    ix = gazetteer.load_index()
    text = query.strip()
    mentions = [m for m in find_mentions(text, index=ix) if m.start == 0]
    if not mentions:
        mentions = _forced_mention(text, ix)
    ctx = find_mentions("\n".join(context), index=ix) if context else []
    readings = _resolve(mentions + [_shift(m, len(text) + 1) for m in ctx], ix)
    frame = _frame(text + "\n" + "\n".join(context), mentions[:1], readings, ix)
    return frame.iloc[:1].reset_index(drop=True)


# ----------------------------------------------------------------------------- scoring


#: Evidence levels for a country: one of its cities or regions is named (local), the country
#: itself is named (national), only a demonym ("Ukrainian") is.
_LOCAL, _NATIONAL, _WEAK = 3, 2, 1
#: Score a city or region gets from each level, and a country from its own cities/regions.
_AREA_SUPPORT = {_LOCAL: 1.0, _NATIONAL: 0.5, _WEAK: 0.5}
_COUNTRY_SUPPORT = {_LOCAL: 1.0, _NATIONAL: 0.0, _WEAK: 0.3}
#: Score a demonym's country gets when the article names the country or its places.
_DEMONYM_SUPPORT = 1.0
#: A city named like a country or region it is not in needs its own region named elsewhere.
_HOMONYM_PENALTY = 1.0
_REGION_NAMED = {CITY: 0.8, REGION: 1.6}
_HOMONYM_REGION_NAMED = 3.5
#: Cities this populous (or capitals, or a tenth of the area's people) are no mere namesakes
#: of a country or region.
_HOMONYM_MAX_POPULATION = 100_000
#: Cost of a land reading of a name that says it is water ("Red Sea" Governorate).
_NAMED_AFTER_WATER = 1.0


@dataclass
class _Evidence:
    """Which countries and first-level regions each name of the article speaks for."""

    countries: dict[str, dict[str, int]] = field(default_factory=dict)
    regions: dict[str, set[str]] = field(default_factory=dict)  # region code → name keys
    homonyms: dict[str, int] = field(default_factory=dict)  # name key → its area's people
    #: homonym name key → countries it names a first-level region of ("Texas": {"US"})
    homonym_states: dict[str, set[str]] = field(default_factory=dict)
    #: country code → sentence → name keys said there as one of its first-level regions
    state_sentences: dict[str, dict[int, set[str]]] = field(default_factory=dict)
    #: region code → sentence → name keys said there as that region
    region_sentences: dict[str, dict[int, set[str]]] = field(default_factory=dict)
    #: country code → its two strongest (name key, level) pairs, for :meth:`country`
    _top: dict[str, tuple[tuple[str, int], ...]] = field(default_factory=dict)

    def add_country(self, cc: str, key: str, level: int) -> None:
        slot = self.countries.setdefault(cc, {})
        slot[key] = max(slot.get(key, 0), level)
        self._top.pop(cc, None)

    def add_region(self, code: str, key: str, sentence: int) -> None:
        self.regions.setdefault(code, set()).add(key)
        self.region_sentences.setdefault(code, {}).setdefault(sentence, set()).add(key)

    def add_state(self, cc: str, key: str, sentence: int) -> None:
        self.state_sentences.setdefault(cc, {}).setdefault(sentence, set()).add(key)

    def among_states(self, key: str, sentence: int) -> bool:
        """Return whether a homonym is said near another first-level region of its country.

        "Montana and Wyoming", "New South Wales and Queensland": the name is read as the
        region there, so a region named nearby is no evidence for a small namesake.
        """
        for cc in self.homonym_states.get(key, ()):
            said = self.state_sentences.get(cc, {})
            if any(_other_than(said.get(s), key) for s in (sentence - 1, sentence, sentence + 1)):
                return True
        return False

    def country(self, cc: str | None, key: str) -> int:
        """Return the strongest evidence for country ``cc`` from names other than ``key``.

        Constant time: the best name other than ``key`` is one of the country's two best.
        """
        cc = cc or ""
        top = self._top.get(cc)
        if top is None:
            slot = self.countries.get(cc, {})
            top = self._top[cc] = tuple(heapq.nlargest(2, slot.items(), key=lambda kv: kv[1]))
        return next((v for k, v in top if k != key), 0)

    def region(self, code: str | None, key: str, *, near: int | None = None) -> bool:
        """Return whether a name other than ``key`` is the region ``code``.

        With ``near``, the name must be said in that sentence or the next or previous one.
        Constant time: at most three sentences' sets of names are looked at.
        """
        if not code:
            return False
        if near is None:
            return _other_than(self.regions.get(str(code)), key)
        said = self.region_sentences.get(str(code), {})
        return any(_other_than(said.get(s), key) for s in (near - 1, near, near + 1))


def _other_than(keys: set[str] | None, key: str) -> bool:
    """Return whether ``keys`` holds a name other than ``key``."""
    return keys is not None and (len(keys) > 1 or (len(keys) == 1 and key not in keys))


def _prior(ix: Index, row: int, flag: int) -> float:
    """Return a candidate's prior score (memoised per index: it depends on the row only)."""
    memo = _PRIORS.get(id(ix))
    if memo is None or memo[0] is not ix:
        memo = (ix, {})
        _PRIORS.clear()
        _PRIORS[id(ix)] = memo
    found = memo[1].get((row, flag))
    if found is None:
        if len(memo[1]) >= _PRIORS_SIZE:
            memo[1].clear()
        found = memo[1][row, flag] = _prior_of(ix, row, flag)
    return found


_PRIORS: dict[int, tuple[Index, dict[tuple[int, int], float]]] = {}
_PRIORS_SIZE = 200_000


def _prior_of(ix: Index, row: int, flag: int) -> float:
    kind = int(ix.scalars.kind[row])
    if flag == BUILDING:
        return 2.9
    if flag == DEMONYM:
        return 2.0 + 0.05 * math.log10(max(int(ix.scalars.population[row]), 0) + 10)
    if kind == COUNTRY:
        score = 3.0
    elif kind in (CONTINENT, UNION, WATER):
        score = 2.8
    elif kind == REGION:
        score = (
            0.6
            if flag == BASE
            else (2.7 if ix.scalars.geonameid[row] < 0 else _region_prior(ix, row))
        )
    else:
        score = 3.0 * math.log10(max(int(ix.scalars.population[row]), 0) + 10) / 7.0
        score += 0.6 if ix.scalars.capital[row] else 0.0
    return score - (0.4 if flag == ALTERNATE else 0.0)


def _region_prior(ix: Index, row: int) -> float:
    """Return a region's prior: 2.5, less for a region with fewer people than a big town."""
    pop = max(int(ix.scalars.population[row]), 0)
    return min(2.5, max(1.8, 3.0 * math.log10(pop + 10) / 7.0 + 0.4))


def _evidence(mentions: list[PlaceMention], ix: Index) -> _Evidence:
    ev = _Evidence()
    for m in mentions:
        if m.fuzzy:
            continue
        areas = [
            (r, f)
            for r, f in m.candidates
            if f == PRIMARY and ix.scalars.kind[r] in (COUNTRY, REGION)
        ]
        has_country = any(ix.scalars.kind[r] == COUNTRY for r, _ in areas)
        level1 = [
            int(ix.scalars.population[r])
            for r, f in m.candidates
            if f == DEMONYM or ((r, f) in areas and first_level(ix, r))
        ]  # a town named like a country, a region or a demonym ("Canadian") is a namesake
        if level1 and any(_small_reading(ix, r) for r, _ in m.candidates):
            ev.homonyms[m.key] = max(level1)
        _add_states(m, areas, ix, ev)
        for row, flag in m.candidates:
            cc = ix.country[row]
            if not cc:
                continue
            if flag == DEMONYM:
                ev.add_country(cc, m.key, _WEAK)
            elif (row, flag) in areas and ix.scalars.kind[row] == COUNTRY:
                ev.add_country(cc, m.key, _NATIONAL if len(areas) == 1 else _WEAK)
            elif (row, flag) in areas:
                ev.add_country(cc, m.key, _WEAK if has_country else _LOCAL)
                if ix.code[row] and not has_country:
                    ev.add_region(str(ix.code[row]), m.key, m.sentence)
        _dominant_city_evidence(m, ix, ev, bool(areas))
    return ev


def _add_states(m: PlaceMention, areas: list[tuple[int, int]], ix: Index, ev: _Evidence) -> None:
    """Record the countries a name is a first-level region of, sentence by sentence."""
    if not areas:
        return
    states = {
        str(ix.country[r])
        for r, _ in areas
        if ix.scalars.kind[r] == REGION and first_level(ix, r) and ix.country[r]
    }
    for code in states:
        ev.add_state(code, m.key, m.sentence)
    if states and m.key in ev.homonyms:
        ev.homonym_states[m.key] = states


def _small_reading(ix: Index, row: int) -> bool:
    """Return whether a row is a city or a county (a region below the first level)."""
    kind = ix.scalars.kind[row]
    return kind == CITY or (kind == REGION and not first_level(ix, row))


def _dominant_city_evidence(m: PlaceMention, ix: Index, ev: _Evidence, areas: bool) -> None:
    """Let a name that is clearly one city (ten times the next namesake) speak for its country."""
    if areas or not m.candidates:
        return
    cities = sorted(
        (int(ix.scalars.population[r]), r)
        for r, f in m.candidates
        if ix.scalars.kind[r] == CITY and f == PRIMARY
    )
    if not cities:
        return
    top_pop, top = cities[-1]
    runner = cities[-2][0] if len(cities) > 1 else 0
    cc = ix.country[top]
    if cc and top_pop >= 10 * max(runner, 1) and top_pop >= 50_000:
        ev.add_country(cc, m.key, _LOCAL)


def _context_score(
    m: PlaceMention, row: int, flag: int, ix: Index, ev: _Evidence, mentions: list[PlaceMention]
) -> float:
    kind = int(ix.scalars.kind[row])
    cc = ix.country[row]
    score = 0.0
    homonym = _is_homonym(m, row, flag, ix, ev)
    if kind in (CITY, REGION) and flag != BUILDING:
        if not homonym:
            score += _AREA_SUPPORT.get(ev.country(cc, m.key), 0.0)
        admin1 = ix.admin1[row] if ix.admin1[row] != ix.code[row] else None
        if (
            homonym
            and not ev.among_states(m.key, m.sentence)  # "Missouri ... Texas": two states
            and ev.region(admin1, m.key, near=m.sentence)
        ):
            score += _HOMONYM_REGION_NAMED
        elif not homonym and ev.region(admin1, m.key):
            score += _REGION_NAMED[kind]
    if kind == COUNTRY and flag != DEMONYM:
        score += _COUNTRY_SUPPORT.get(ev.country(cc, m.key), 0.0)
    elif flag == DEMONYM and ev.country(cc, m.key):
        score += _DEMONYM_SUPPORT  # "Canadian companies" in an article naming Canada
    if homonym:
        score -= _HOMONYM_PENALTY
    if m.cue:
        score += 4.0 if kind == REGION else -1.0
    if m.container is not None and kind in (CITY, REGION):
        container = mentions[m.container]
        if not (homonym and _peers(m, container, ix)):  # "Texas, Oklahoma": a list
            score += _container_score(row, container, ix)
    if m.fuzzy and not ev.country(cc, m.key):
        score -= 10.0
    return score


def _is_homonym(m: PlaceMention, row: int, flag: int, ix: Index, ev: _Evidence) -> bool:
    """Return whether a candidate is a small namesake of a country or first-level region.

    Cities ("China, ME") and counties (Texas County for a bare "Texas") count.
    """
    return (
        m.key in ev.homonyms
        and _small_reading(ix, row)
        and flag != BUILDING
        and not ix.scalars.capital[row]
        and int(ix.scalars.population[row]) < max(_HOMONYM_MAX_POPULATION, ev.homonyms[m.key] // 10)
    )


def _peers(m: PlaceMention, container: PlaceMention, ix: Index) -> bool:
    """Return whether "X, Y" can list two countries or two first-level regions.

    "Russia, U.S. officials" and "Texas, Oklahoma and Kansas" are lists, not a place and
    its container: they give no local evidence for a small namesake of X inside Y.
    """

    def levels(mention: PlaceMention) -> set[int]:
        return {
            int(ix.scalars.kind[r])
            for r, f in mention.candidates
            if f == PRIMARY and first_level(ix, r)
        }

    return bool(levels(m) & levels(container))


def _container_score(row: int, container: PlaceMention, ix: Index) -> float:
    """Score "X, Y": +4 when Y is X's region (or its country, if Y is a country), else -1."""
    if any(r == row for r, _ in container.candidates):
        return 4.0  # "Washington, D.C.": the container names the same place
    regions = {ix.code[r] for r, _ in container.candidates if ix.scalars.kind[r] == REGION}
    countries = {ix.country[r] for r, _ in container.candidates if ix.scalars.kind[r] == COUNTRY}
    if not regions and not countries:
        return 0.0
    inside = ix.admin1[row] in regions or ix.country[row] in countries
    return 4.0 if inside else -1.0


def _resolve(
    mentions: list[PlaceMention], ix: Index, *, cities: frozenset[str] = frozenset()
) -> dict[str, tuple[int, float]]:
    """Return name key → (row, probability) for every mention's name.

    ``cities`` are the keys of names said once as a city ("the city of X").
    """
    ev = _evidence(mentions, ix)
    by_key: dict[str, dict[int, float]] = {}
    memo: dict[str, tuple[tuple[tuple[int, int], ...], list[tuple[int, int, float]]]] = {}
    for m in mentions:
        _budget.check()
        slot = by_key.setdefault(m.key, {})
        seen = memo.get(m.key)
        if seen is None or seen[0] != m.candidates:  # ranked once per name and candidates
            seen = memo[m.key] = (m.candidates, _ranked(m, ix))
        for row, flag, prior in seen[1]:
            s = prior + _context_score(m, row, flag, ix, ev, mentions)
            slot[row] = max(slot.get(row, -99.0), s)
    _cue_wins(mentions, by_key, ix, cities=cities)
    add_proximity(by_key, ix, salience=_salience(mentions))
    out: dict[str, tuple[int, float]] = {}
    for key, scores in by_key.items():
        p = softmax(scores)
        row = max(scores, key=lambda r: scores[r])
        if scores[row] > -5.0:
            out[key] = (row, p[row])
    return out


def _ranked(m: PlaceMention, ix: Index) -> list[tuple[int, int, float]]:
    """Return a mention's strongest candidates as (row, flag, prior), strongest first.

    A land reading of a name that says it is water costs more ("the Red Sea", not the Red
    Sea Governorate).
    """
    cands = _own_region_names(m, ix)
    ranked = sorted(cands, key=lambda c: -_prior(ix, *c))[:_MAX_CANDIDATES]
    water = _says_water(m, ix)
    out = []
    for row, flag in ranked:
        prior = _prior(ix, row, flag)
        if water and ix.scalars.kind[row] != WATER:
            prior -= _NAMED_AFTER_WATER
        out.append((row, flag, prior))
    return out


def _says_water(m: PlaceMention, ix: Index) -> bool:
    """Return whether a name says it is water ("Red Sea", "River Nile") and water is a reading."""
    return says_water_key(m.key) and any(ix.scalars.kind[r] == WATER for r, _ in m.candidates)


def _own_region_names(m: PlaceMention, ix: Index) -> tuple[tuple[int, int], ...]:
    """Return a mention's candidates, a region's own name shared with a small city made full.

    The gazetteer reads a region's bare name as weak (BASE) when a city of the region has
    it ("Kursk"); when the name is the region's own and the region has ten times the
    city's people ("Quebec", "Okinawa", "Oaxaca"), it is a full name again.
    """
    for _, flag in m.candidates:  # a plain loop: most names have no BASE reading
        if flag == BASE:
            break
    else:
        return m.candidates
    out = list(m.candidates)
    for i, (row, flag) in enumerate(out):
        if flag != BASE or not first_level(ix, row) or normalise(ix.name[row]) != m.key:
            continue
        cities = [
            int(ix.scalars.population[r])
            for r, _ in m.candidates
            if ix.scalars.kind[r] == CITY and ix.admin1[r] == ix.code[row]
        ]
        if int(ix.scalars.population[row]) >= 10 * max(cities, default=0):
            out[i] = (row, PRIMARY)
    return tuple(out)


def _salience(mentions: list[PlaceMention]) -> dict[str, tuple[int, int]]:
    """Return a sort key per name: most mentioned first, then first mentioned."""
    count: dict[str, int] = {}
    first: dict[str, int] = {}
    for m in mentions:
        count[m.key] = count.get(m.key, 0) + 1
        first.setdefault(m.key, m.start)
    return {k: (-count[k], first[k]) for k in count}


def _cue_wins(
    mentions: list[PlaceMention],
    by_key: dict[str, dict[int, float]],
    ix: Index,
    *,
    cities: frozenset[str] = frozenset(),
) -> None:
    """Make a name said once with "region" read as the region in the whole article.

    Likewise a name said once as "the city of X" is a city in the whole article.
    """
    for m in mentions:
        if m.cue:
            for row in by_key[m.key]:
                if ix.scalars.kind[row] == REGION:
                    by_key[m.key][row] += 4.0
    for key in cities:
        for row in by_key.get(key, ()):
            if ix.scalars.kind[row] == CITY:
                by_key[key][row] += 4.0


# ----------------------------------------------------------------------------- output


def _frame(
    text: str, mentions: list[PlaceMention], readings: dict[str, tuple[int, float]], ix: Index
) -> gpd.GeoDataFrame:
    return frame_from_records(_records(text, mentions, readings, ix))


@functools.cache
def _wgs84() -> Any:
    from pyproj import CRS

    return CRS.from_epsg(4326)


def _records(
    text: str, mentions: list[PlaceMention], readings: dict[str, tuple[int, float]], ix: Index
) -> list[dict[str, Any]]:
    spans = sentences(text)
    places: dict[int, dict[str, object]] = {}
    for m in mentions:
        if m.key not in readings:
            continue
        row, p = readings[m.key]
        flag = dict(m.candidates).get(row, PRIMARY)
        if row not in places:
            places[row] = _new_place(ix, row, text, spans, m)
        place = places[row]
        surfaces = place["surfaces"]
        assert isinstance(surfaces, list)
        if m.surface not in surfaces:
            surfaces.append(m.surface)
        place["mentions"].append([m.start, m.end])  # type: ignore[attr-defined]
        place["demonym_only"] = bool(place["demonym_only"]) and flag == DEMONYM
        factor = 0.6 if m.fuzzy else (0.3 if flag == DEMONYM else _recognition(m, row, ix))
        place["confidence"] = max(float(place["confidence"]), round(p * factor, 3))  # type: ignore[arg-type]
    return list(places.values())


def _recognition(m: PlaceMention, row: int, ix: Index) -> float:
    """Return how sure it is that a mention names a place at all (0-1).

    Countries, regions and big cities are sure; a small town's one-word name is less so,
    and less again when it is a common surname; "in X", "X, Y" or a region word make it sure.
    """
    kind, pop = int(ix.scalars.kind[row]), int(ix.scalars.population[row])
    if kind != CITY or pop >= 100_000 or ix.scalars.capital[row]:
        sure = 1.0
    else:
        sure = 0.85 if pop >= 10_000 else 0.7
    if " " in m.key or m.locative or m.cue or m.container is not None:
        sure = max(sure, 0.95)
    if m.key in surname_keys():
        sure *= 0.7
    return sure


def _new_place(
    ix: Index, row: int, text: str, spans: list[tuple[int, int]], m: PlaceMention
) -> dict[str, object]:
    k = bisect.bisect_right(spans, (m.start, math.inf)) - 1
    start, end = spans[k] if k >= 0 and spans[k][0] <= m.start < spans[k][1] else (m.start, m.end)
    gid = int(ix.scalars.geonameid[row])
    pop = int(ix.scalars.population[row])
    return {
        "name": ix.name[row],
        "kind": KINDS[int(ix.scalars.kind[row])],
        "country_code": ix.country[row] if ix.scalars.kind[row] not in (CONTINENT, UNION) else None,
        "code": ix.code[row] or (ix.country[row] if ix.scalars.kind[row] == COUNTRY else None),
        "admin1_code": ix.admin1[row],
        "geonameid": gid if gid >= 0 else None,
        "population": pop if pop >= 0 else None,
        "surfaces": [],
        "mentions": [],
        "confidence": 0.0,
        "sentence": text[start:end].strip(),
        "demonym_only": True,
        "lon": float(ix.lon[row]),
        "lat": float(ix.lat[row]),
    }


def _point_row(query: str, lat: float, lon: float) -> gpd.GeoDataFrame:
    import geopandas as gpd
    import pandas as pd

    if not (-90.0 <= lat <= 90.0 and -180.0 <= lon <= 180.0):
        raise InputError(
            f"coordinates out of range: lat {lat} must be in [-90, 90], lon in [-180, 180]"
        )
    row = {c: None for c in COLUMNS} | {
        "name": query,
        "kind": "poi",
        "surfaces": [query],
        "mentions": [[0, len(query)]],
        "confidence": 1.0,
        "sentence": query,
        "demonym_only": False,
    }
    frame = pd.DataFrame([row], columns=list(COLUMNS))
    out = gpd.GeoDataFrame(frame, geometry=gpd.points_from_xy([lon], [lat]), crs="EPSG:4326")
    for col in ("geonameid", "population"):
        out[col] = out[col].astype("Int64")
    return out


def _forced_mention(text: str, ix: Index) -> list[PlaceMention]:
    """Treat the whole query as one name, in any case; raise with suggestions if unknown."""
    words = normalise(text).removeprefix("the ").split()
    cue = bool(words) and words[-1] in REGION_CUES
    key = " ".join(words[:-1] if cue else words)
    cands = ix.candidates(key)
    if not cands:
        close = [name for name, _ in fuzzy_candidates(key, index=ix)[:3]]
        hint = f"; did you mean: {', '.join(close)}?" if close else ""
        raise NotFoundError(f"no place named {text!r} in the gazetteer{hint}")
    return [PlaceMention(0, len(text), text, key, tuple(cands), 0, cue=cue)]


def _shift(m: PlaceMention, offset: int) -> PlaceMention:
    return PlaceMention(**{**m.__dict__, "start": m.start + offset, "end": m.end + offset})
