"""A scenario spec or an article → one :class:`Scenario` holding every layer's data.

This is the last pure step of the chain text → places → GeoDataFrames → range geometry;
the dashboard, the CLI and the static maps all render a :class:`Scenario`. Every frame is
EPSG:4326.
"""

from __future__ import annotations

import functools
import warnings
from collections.abc import Collection
from dataclasses import dataclass, field
from typing import Any

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely
from shapely.geometry.base import BaseGeometry

from geo import boundaries, frontline
from geo._errors import NotFoundError, RangemapError
from geo._memo import Memo, digest
from geo.coords import is_coordinate_text
from geo.launch import LaunchArea, launch_area, launch_area_from_file
from geo.places import gazetteer
from geo.places.resolve import COLUMNS as PLACE_COLUMNS
from geo.places.resolve import geocode, places_from_text
from geo.reach import RangeSpec, reach_stats
from geo.scenario import _rings
from geo.scenario._rings import CountKey, SitesKey
from geo.scenario.infer import NOT_STRIKE_TYPES
from geo.scenario.spec import ScenarioSpec, WeaponChoice
from geo.weapons import find_weapon, weapons_in_text

__all__ = ["NOT_STRIKE_TYPES", "REGION_COUNTRIES", "Scenario", "build_scenario"]

#: Countries whose first-level regions are drawn (with the Russia–Ukraine frontline).
REGION_COUNTRIES: tuple[str, ...] = ("UA", "RU", "BY")

#: The places of recent scenarios, by article, places asked for and gazetteer index.
_PLACES: Memo[tuple[object, gpd.GeoDataFrame, tuple[str, ...]]] = Memo(32)

#: Keys of :meth:`Scenario.layers`: the layer families a map may draw.
LAYER_KEYS: tuple[str, ...] = (
    "land", "borders", "regions", "frontline", "launch_area", "ranges", "places", "sites"
)  # fmt: skip
#: Where the borders come from (the Crimea note is added on maps of the Russia–Ukraine war).
BORDERS_SOURCE = "Borders: Natural Earth 1:10m (public domain)"
#: Sources of each layer, named in the attribution only when that layer has data.
SOURCES: dict[str, str] = {
    "borders": f"{BORDERS_SOURCE}, Crimea in Ukraine per UN GA res. 68/262",
    "regions": "Regions: approximate, from GeoNames settlements (CC BY 4.0)",
    "places": "Places: GeoNames (CC BY 4.0)",
    "ranges": "Ranges: rangemap weapons catalogue (cited per figure)",
    "ranges_text": "Ranges: as stated in the article",
    "launch_base": "Bases: airportsdata (MIT) and rangemap facts (cited per row)",
    "sites": "Sites: rangemap facts (cited per row)",
}


@dataclass
class Scenario:
    """Every layer of one scenario, computed, in EPSG:4326.

    Attributes
    ----------
    spec
        What was asked for.
    launch
        One row per launch area (``name``, ``description``, ``area_km2``, ``weapon``: the
        weapons fired from it, comma-separated).
    ranges
        Range envelopes (unclipped), one row per weapon range, with ``color_index`` and
        ``launch_from`` (the names of the weapon's launch areas, ``; ``-separated).
    reach
        The same ranges clipped to ``spec.clip`` (what the statistics count).
    summary
        Per range: ``area_km2`` inside the clip area; ``sites_in_range`` and
        ``population_in_range`` inside it; ``sites_in_range_anywhere`` (e.g. occupied Crimea).
    places
        Places from the article and the spec, with ``in_range`` and ``distance_km``.
    sites
        Military sites with ``in_range``, ``in_range_of`` and ``distance_km``.
    frontline
        The classified frontline snapshot.
    weapons_text
        Weapon mentions found in the article (dicts, see :mod:`geo.weapons`).
    notes
        Things the user should know (places not found, files repaired...).
    """

    spec: ScenarioSpec
    launch: gpd.GeoDataFrame
    ranges: gpd.GeoDataFrame
    reach: gpd.GeoDataFrame
    summary: pd.DataFrame
    places: gpd.GeoDataFrame
    sites: gpd.GeoDataFrame
    frontline: gpd.GeoDataFrame
    weapons_text: list[dict[str, Any]] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    change: gpd.GeoDataFrame | None = None

    def layers(self) -> dict[str, gpd.GeoDataFrame]:
        """Return the layers to render, keyed by style key (see ``layers/style.py``)."""
        regions = REGION_COUNTRIES if self.spec.frontline else ()
        return {
            "land": boundaries.land(),
            "borders": boundaries.countries(),
            "regions": boundaries.regions(country_codes=regions),
            "frontline": self._frontline_with_change(),
            "launch_area": self.launch,
            "ranges": self.ranges,
            "places": self.places,
            "sites": self.sites,
        }

    def _frontline_with_change(self) -> gpd.GeoDataFrame:
        if self.change is None or not len(self.change):
            return self.frontline
        both = pd.concat([self.frontline, self.change], ignore_index=True)
        return gpd.GeoDataFrame(both, geometry="geometry", crs="EPSG:4326")

    def data_layers(self) -> dict[str, gpd.GeoDataFrame]:
        """Return the scenario's own layers (no basemap), for GeoJSON/KML/GPKG downloads."""
        return {
            "frontline": self.frontline,
            "launch_area": self.launch,
            "ranges": self.ranges,
            "reach_clipped": self.reach,
            "places": self.places,
            "sites": self.sites,
            **({"frontline_change": self.change} if self.change is not None else {}),
        }

    @property
    def attribution(self) -> str:
        """Return the sources and licences line: only the sources of what is on the map."""
        return self.attribution_of(LAYER_KEYS)

    def attribution_of(self, drawn: Collection[str]) -> str:
        """Return the sources line of a map that draws the layers ``drawn`` (:meth:`layers` keys).

        Borders are always credited: the basemap's land and coasts are Natural Earth's too.
        """
        on = set(drawn)
        ranges = self.ranges.get("source", pd.Series(dtype=str))
        kinds = self.launch.get("kind", pd.Series(dtype=str))
        bases = "launch_area" in on and bool((kinds == "base").any())
        sites = "sites" in on and bool(len(self.sites))
        shown = {
            "borders": True,
            "regions": "regions" in on and self.spec.frontline,
            "places": "places" in on and bool(len(self.places)),
            "ranges": "ranges" in on and bool((ranges != "text").any()),
            "ranges_text": "ranges" in on and bool((ranges == "text").any()),
            "launch_base": bases or (sites and not self.spec.frontline),
            "sites": sites and self.spec.frontline,
        }
        parts = [text for key, text in SOURCES.items() if shown[key]]
        if not self.spec.frontline:  # another war: no note about Crimea's border
            parts = [BORDERS_SOURCE if p == SOURCES["borders"] else p for p in parts]
        if "frontline" in on and len(self.frontline):
            parts.append(f"Frontline {self.spec.date}: {self.frontline['source'].iloc[0]}")
        if self.spec.article_name:
            parts.append(f"Article: {self.spec.article_name}")
        return "; ".join(parts)


def build_scenario(spec: ScenarioSpec) -> Scenario:
    """Compute every layer of a scenario.

    Each weapon is drawn from its own launch areas (``WeaponChoice.launch_areas``, else the
    scenario's); statistics are counted inside ``spec.count_in`` (else ``spec.clip``).

    Raises
    ------
    RangemapError
        If a launch area, weapon, clip area or frontline file cannot be used; the message
        says which and why.
    """
    notes: list[str] = list(spec.notes)
    front = _frontline(spec, notes)
    served = _launch_names(spec)
    areas = {name: _launch(name, spec, front) for name in served}
    launch = _launch_frame(areas, spec)
    groups = [(w, [areas[n] for n in (w.launch_areas or spec.launch_areas)]) for w in spec.weapons]
    envelopes, rings = _envelopes(groups)
    count_key = _count_key(spec)
    clipped = _clipped(envelopes, rings, count_key)
    colors = {w.name: i for i, w in enumerate(spec.weapons)}
    envelopes["color_index"] = [colors.get(w, 0) for w in envelopes["weapon"]]
    clipped["color_index"] = [colors.get(w, 0) for w in clipped["weapon"]]
    all_sites = _sites(spec)
    summary = _summary(clipped, rings, all_sites, keys=(count_key, _sites_key(spec)))
    marked_sites = _mark_in_range(all_sites, groups)
    # Sites anywhere in range (occupied Crimea included), beside those inside the clip area.
    summary["sites_in_range_anywhere"] = [
        int(marked_sites["in_range_of"].str.split(", ").apply(lambda xs, lab=lab: lab in xs).sum())
        for lab in summary["label"]
    ]
    return Scenario(
        spec=spec,
        launch=launch,
        ranges=envelopes,
        reach=clipped,
        summary=summary,
        places=_mark_in_range(_places(spec, notes), groups),
        sites=marked_sites,
        frontline=front,
        weapons_text=(
            [m.to_dict() for m in weapons_in_text(spec.article_text)] if spec.article_text else []
        ),
        notes=notes,
        change=_change(spec, front),
    )


def _frontline(spec: ScenarioSpec, notes: list[str]) -> gpd.GeoDataFrame:
    if not spec.frontline:
        return _empty_frontline()
    if spec.frontline_file is None:
        return frontline.snapshot(spec.date)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        gdf = frontline.load_file(spec.frontline_file, date=spec.date)
    notes.extend(str(w.message) for w in caught)
    return gdf


def _change(spec: ScenarioSpec, front: gpd.GeoDataFrame) -> gpd.GeoDataFrame | None:
    """Areas gained and lost between ``spec.compare_date`` and the scenario's frontline."""
    if not spec.compare_date or not spec.frontline:
        return None
    earlier, later = sorted([spec.compare_date, spec.date])
    if spec.compare_date == spec.date and spec.frontline_file is None:
        return None
    before = frontline.snapshot(earlier) if earlier != spec.date else front
    after = front if later == spec.date else frontline.snapshot(later)
    return frontline.change(before, after)


def _launch(name: str, spec: ScenarioSpec, front: gpd.GeoDataFrame) -> LaunchArea:
    """Resolve a launch area; ``<side>-held`` without a date uses the scenario's date."""
    text = name.strip()
    if text.startswith("file:"):
        return launch_area_from_file(text[len("file:") :])
    if text.endswith(("-held", "-salient")) and spec.frontline_file is None:
        text = f"{text}@{spec.date}"
    if text == "ukraine-held" and spec.frontline_file is not None:
        territory = frontline.controlled_territory("ukraine", front)
        geom: BaseGeometry = territory.geometry.iloc[0]
        return LaunchArea(
            "Ukrainian-held territory", "territory", geom, "from the uploaded frontline", spec.date
        )
    return launch_area(text, standoff_km=spec.standoff_km)


def _launch_names(spec: ScenarioSpec) -> list[str]:
    """Return the launch areas the scenario uses, each once, in order."""
    if not spec.weapons:
        return list(dict.fromkeys(spec.launch_areas))
    return list(
        dict.fromkeys(n for w in spec.weapons for n in (w.launch_areas or spec.launch_areas))
    )


def _launch_frame(areas: dict[str, LaunchArea], spec: ScenarioSpec) -> gpd.GeoDataFrame:
    """Return one row per launch area with ``weapon``: the weapons fired from it."""
    if not areas:
        cols = ["name", "kind", "description", "date", "area_km2", "weapon", "geometry"]
        return gpd.GeoDataFrame(columns=cols, geometry="geometry", crs="EPSG:4326")
    frame = pd.concat([a.to_gdf() for a in areas.values()], ignore_index=True)
    frame["weapon"] = [
        ", ".join(w.name for w in spec.weapons if key in (w.launch_areas or spec.launch_areas))
        for key in areas
    ]
    return gpd.GeoDataFrame(frame, geometry="geometry", crs="EPSG:4326")


#: One row of the envelopes: the launch geometry's WKB and the range (the rings' cache key).
Ring = tuple[bytes, RangeSpec]


def _envelopes(
    groups: list[tuple[WeaponChoice, list[LaunchArea]]],
) -> tuple[gpd.GeoDataFrame, list[Ring]]:
    """Return every weapon's range envelopes from its own launch areas (``launch_from``).

    Also returns each row's ring key, in row order (see :mod:`geo.scenario._rings`).
    """
    parts, rings = [], []
    for weapon, areas in groups:
        _, wkb = _launch_union(areas)
        for spec in _range_specs(weapon):
            part = _rings.envelope(wkb, spec).copy()
            part["launch_from"] = "; ".join(a.name for a in areas)
            part["source"] = weapon.source
            part["note"] = weapon.note
            parts.append(part)
            rings.append((wkb, spec))
    if not parts:
        return _empty_reach(), rings
    frame = gpd.GeoDataFrame(
        pd.concat(parts, ignore_index=True), geometry="geometry", crs="EPSG:4326"
    )
    if (notes := _rings.common_notes(rings)) is not None:  # as concat keeps equal attrs
        frame.attrs["notes"] = notes
    return frame, rings


def _clipped(envelopes: gpd.GeoDataFrame, rings: list[Ring], key: CountKey) -> gpd.GeoDataFrame:
    """Return the envelopes inside the counting area (``geo.reach.clip_reach``, per ring cached)."""
    out = envelopes.copy()
    if key is None or not len(out):
        return out
    clipped = [_rings.clipped_ring(wkb, spec, key) for wkb, spec in rings]
    out["area_km2"] = [area for _, area in clipped]
    zones = [zone for zone, _ in clipped]
    return out.set_geometry(gpd.GeoSeries(zones, index=out.index, crs="EPSG:4326"))


def _summary(
    clipped: gpd.GeoDataFrame,
    rings: list[Ring],
    all_sites: gpd.GeoDataFrame,
    *,
    keys: tuple[CountKey, SitesKey],
) -> pd.DataFrame:
    """Return per-range statistics (as ``geo.reach.reach_stats``), grouped by launch areas.

    Each ring's counts are cached (see :mod:`geo.scenario._rings`): a range change counts
    only its new ring.
    """
    if not len(clipped):
        empty = reach_stats(_empty_reach(), launch=shapely.Point(0, 0), sites=all_sites)
        summary = empty.summary
        summary["population_in_range"] = pd.Series(dtype=int)
        return summary
    counts = [_rings.ring_counts(wkb, spec, *keys) for wkb, spec in rings]
    frames = []
    for wkb in dict.fromkeys(w for w, _ in rings):  # launch groups, in order of first use
        rows = [i for i, (w, _) in enumerate(rings) if w == wkb]
        summary = clipped.iloc[rows].drop(columns="geometry").copy()
        summary["places_in_range"] = [0] * len(rows)
        summary["sites_in_range"] = _by_label(summary["label"], [counts[i][0] for i in rows])
        summary["population_in_range"] = [counts[i][1] for i in rows]
        frames.append(summary.reset_index(drop=True))
    return pd.concat(frames, ignore_index=True)


def _by_label(labels: pd.Series, counts: list[int]) -> list[int]:
    """Return, per row, the count of every row with its label (as ``reach_stats`` counts)."""
    total: dict[str, int] = {}
    for label, n in zip(labels, counts, strict=True):
        total[label] = total.get(label, 0) + n
    return [total[label] for label in labels]


def _sites(spec: ScenarioSpec) -> gpd.GeoDataFrame:
    """Return the sites to show: Russia's (Russia–Ukraine), else bases in the counted countries."""
    return _rings.site_frame(_sites_key(spec))


def _sites_key(spec: ScenarioSpec) -> SitesKey:
    return ("frontline", ()) if spec.frontline else ("bases", tuple(_count_codes(spec)))


def _count_key(spec: ScenarioSpec) -> CountKey:
    if spec.count_in:
        return ("count_in", tuple(spec.count_in))
    return ("clip", (spec.clip,)) if spec.clip else None


def _range_specs(choice: WeaponChoice) -> list[RangeSpec]:
    try:
        find_weapon(choice.name)
    except NotFoundError:
        if choice.source == "catalogue":
            raise
    return [
        RangeSpec(
            max_km=r,
            min_km=choice.min_km or 0.0,
            weapon=choice.name,
            label=f"{choice.name} {r:g} km",
        )
        for r in choice.ranges_km
    ]


def _count_codes(spec: ScenarioSpec) -> list[str]:
    out = []
    for name in spec.count_in or ((spec.clip,) if spec.clip else ()):
        try:
            out.append(str(boundaries.country(name)["iso_a2"].iloc[0]))
        except (NotFoundError, KeyError):
            continue
    return out


def _places(spec: ScenarioSpec, notes: list[str]) -> gpd.GeoDataFrame:
    """Return the article's and the spec's places (shared: callers copy before changing).

    Kept by the article, the spec's places and the gazetteer index they were found with
    (kept alive with the value, so its ``id`` is not reused): a range edit finds the same.
    """
    names = bool(spec.article_text) or not all(map(is_coordinate_text, spec.places))
    index = gazetteer.load_index() if names else None  # coordinates need no index
    key = (id(index), digest(spec.article_text or "", *spec.places))
    _, frame, found_notes = _PLACES.get(key, lambda: (index, *_found_places(spec)))
    notes.extend(found_notes)
    return frame


def _found_places(spec: ScenarioSpec) -> tuple[gpd.GeoDataFrame, tuple[str, ...]]:
    """Return the places of :func:`_places` and the notes on those not found."""
    frames = []
    notes: list[str] = []
    if spec.article_text:
        frames.append(places_from_text(spec.article_text))
    for query in spec.places:
        try:
            frames.append(_geocoded(query))
        except RangemapError as exc:
            notes.append(f"place {query!r} not added: {exc}")
    frames = [f for f in frames if len(f)]
    if not frames:
        empty = gpd.GeoDataFrame(
            columns=[*PLACE_COLUMNS, "geometry"], geometry="geometry", crs="EPSG:4326"
        )
        return empty, tuple(notes)
    out = pd.concat(frames, ignore_index=True)
    out = out.drop_duplicates(subset=["name", "kind"], keep="first").reset_index(drop=True)
    return gpd.GeoDataFrame(out, geometry="geometry", crs="EPSG:4326"), tuple(notes)


@functools.lru_cache(maxsize=256)  # a range edit rebuilds the scenario with the same places
def _geocoded(query: str) -> gpd.GeoDataFrame:
    """Return :func:`geocode` of ``query`` (callers must not change the frame: it is shared)."""
    return geocode(query)


def _mark_in_range(
    points: gpd.GeoDataFrame, groups: list[tuple[WeaponChoice, list[LaunchArea]]]
) -> gpd.GeoDataFrame:
    """Add ``distance_km`` (geodesic, to the nearest launch area), ``in_range``, ``in_range_of``.

    Each weapon's rings are measured from that weapon's own launch areas.
    """
    out = points.copy()
    if not len(out) or not groups:
        out["distance_km"] = pd.Series(np.nan, index=out.index, dtype=float)
        out["in_range"] = pd.Series(False, index=out.index, dtype=bool)
        out["in_range_of"] = pd.Series("", index=out.index, dtype=object)
        return out
    reps = out.geometry.representative_point()
    x, y = reps.x.to_numpy(), reps.y.to_numpy()
    nearest = np.full(len(out), np.inf)
    labels: list[list[str]] = [[] for _ in range(len(out))]
    for wkb, weapons in _by_launch(groups):
        dist = _rings.distances_km(wkb, x, y)
        nearest = np.minimum(nearest, dist)
        for spec in (s for w in weapons for s in _range_specs(w)):
            for i in np.flatnonzero((dist >= spec.min_km) & (dist <= spec.max_km)):
                labels[i].append(spec.label)
    out["distance_km"] = np.round(nearest, 1)
    out["in_range_of"] = [", ".join(x) for x in labels]
    out["in_range"] = [bool(x) for x in labels]
    return out


def _by_launch(
    groups: list[tuple[WeaponChoice, list[LaunchArea]]],
) -> list[tuple[bytes, list[WeaponChoice]]]:
    """Return the weapons grouped by launch areas (the WKB of their union, measured from once)."""
    out: dict[tuple[str, ...], tuple[bytes, list[WeaponChoice]]] = {}
    for weapon, areas in groups:
        key = tuple(a.name for a in areas)
        if key not in out:
            out[key] = (_launch_union(areas)[1], [])
        out[key][1].append(weapon)
    return list(out.values())


def _launch_union(areas: list[LaunchArea]) -> tuple[BaseGeometry, bytes]:
    """Return the union of launch areas and its WKB (cached: the same areas every rerun)."""
    return _rings.launch_union(tuple(a.wkb for a in areas))


def _empty_reach() -> gpd.GeoDataFrame:
    cols = ["weapon", "label", "range_km", "min_km", "ring", "area_km2", "launch_from", "geometry"]
    return gpd.GeoDataFrame(columns=cols, geometry="geometry", crs="EPSG:4326")


def _empty_frontline() -> gpd.GeoDataFrame:
    cols = ["class", "date", "source", "area_km2", "length_km", "geometry"]
    return gpd.GeoDataFrame(columns=cols, geometry="geometry", crs="EPSG:4326")
