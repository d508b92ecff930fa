"""A scenario spec or an article → one :class:`Scenario` holding every layer's data.

This is the last pure step of the chain text → places → GeoDataFrames → range geometry;
the dashboard, the CLI and the static maps all render a :class:`Scenario`. Every frame is
EPSG:4326.
"""

from __future__ import annotations

import functools
import warnings
from dataclasses import dataclass, field
from typing import Any

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely
from shapely.geometry.base import BaseGeometry

from geo import boundaries, frontline, geodesic, sites
from geo._errors import NotFoundError, RangemapError
from geo.launch import LaunchArea, launch_area, launch_area_from_file
from geo.places import gazetteer
from geo.places.resolve import COLUMNS as PLACE_COLUMNS
from geo.places.resolve import geocode, places_from_text
from geo.reach import RangeSpec, clip_reach, reach, reach_stats
from geo.scenario.spec import ScenarioSpec, WeaponChoice
from geo.weapons import find_weapon, weapons_in_text

#: Countries whose first-level regions are drawn.
REGION_COUNTRIES: tuple[str, ...] = ("UA", "RU", "BY")

#: Weapon types whose range is not a reach into enemy territory (not drawn from articles).
NOT_STRIKE_TYPES: frozenset[str] = frozenset({"air defence", "air defense"})

#: Cities at least this large count towards "population in range".
POPULATION_MIN = 1000

SOURCES = (
    "Borders: Natural Earth 1:10m (public domain), Crimea in Ukraine per UN GA res. 68/262",
    "Regions: approximate, from GeoNames settlements (CC BY 4.0)",
    "Places: GeoNames (CC BY 4.0)",
    "Ranges: rangemap weapons catalogue (cited per figure)",
    "Sites: rangemap facts (cited per row)",
)


@dataclass
class Scenario:
    """Every layer of one scenario, computed, in EPSG:4326.

    Attributes
    ----------
    spec
        What was asked for.
    launch
        One row per launch area (``name``, ``description``, ``area_km2``).
    ranges
        Range envelopes (unclipped), one row per weapon range, with ``color_index``.
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
        return {
            "land": boundaries.land(),
            "borders": boundaries.countries(),
            "regions": boundaries.regions(country_codes=REGION_COUNTRIES),
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
        """Return the sources and licences line for maps and exports."""
        front = str(self.frontline["source"].iloc[0]) if len(self.frontline) else "none"
        parts = [*SOURCES, f"Frontline {self.spec.date}: {front}"]
        if self.spec.article_name:
            parts.append(f"Article: {self.spec.article_name}")
        return "; ".join(parts)


def build_scenario(spec: ScenarioSpec) -> Scenario:
    """Compute every layer of a scenario.

    Raises
    ------
    RangemapError
        If a launch area, weapon, clip area or frontline file cannot be used; the message
        says which and why.
    """
    notes: list[str] = []
    front = _frontline(spec, notes)
    areas = [_launch(name, spec, front) for name in spec.launch_areas]
    launch = pd.concat([a.to_gdf() for a in areas], ignore_index=True)
    launch = gpd.GeoDataFrame(launch, geometry="geometry", crs="EPSG:4326")
    launch_geom = launch.union_all()
    specs = [s for w in spec.weapons for s in _range_specs(w)]
    if specs:
        launch_wkb = shapely.to_wkb(launch_geom)
        parts = [_envelope(launch_wkb, s) for s in specs]
        envelopes = gpd.GeoDataFrame(
            pd.concat(parts, ignore_index=True), geometry="geometry", crs="EPSG:4326"
        )
        clip = _clip_area(spec.clip)
        clipped = clip_reach(envelopes, clip) if clip is not None else envelopes.copy()
    else:
        envelopes, clipped = _empty_reach(), _empty_reach()
    colors = {w.name: i for i, w in enumerate(spec.weapons)}
    envelopes["color_index"] = [colors.get(w, 0) for w in envelopes["weapon"]]
    clipped["color_index"] = [colors.get(w, 0) for w in clipped["weapon"]]
    places = _places(spec, notes)
    all_sites = sites.sites()
    stats = reach_stats(
        clipped,
        launch=launch_geom,
        sites=all_sites,
        population=_population(),
    )
    marked_sites = _mark_in_range(all_sites, launch_geom, specs)
    summary = stats.summary
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
        places=_mark_in_range(places, launch_geom, specs),
        sites=marked_sites,
        frontline=front,
        weapons_text=(
            [m.to_dict() for m in weapons_in_text(spec.article_text)] if spec.article_text else []
        ),
        notes=notes,
        change=_change(spec, front),
    )


def spec_from_article(
    text: str,
    *,
    name: str | None = None,
    base: ScenarioSpec | None = None,
    prefer: str = "text",
) -> ScenarioSpec:
    """Return a scenario for an article: its weapons (ranges from the text or catalogue).

    Parameters
    ----------
    text
        The article.
    name
        A short name of the article (file name) for attributions.
    base
        Scenario whose date, launch areas and clip are kept (default: the bundled one's).
    prefer
        ``"text"`` to draw a range stated in the article where there is one, ``"catalogue"``
        to always draw the catalogue's figure.
    """
    from dataclasses import replace

    from geo.scenario.spec import default_spec

    base = base or default_spec()
    choices: list[WeaponChoice] = []
    for mention in weapons_in_text(text):
        d = mention.to_dict()
        if d.get("type") in NOT_STRIKE_TYPES:
            continue  # air defence covers the sky around it: not a strike range into a country
        stated = d.get("stated_range_km")
        catalogue_km = d.get("catalogue_range_km")
        km = stated if (prefer == "text" and stated) else catalogue_km
        if not km:
            continue
        choices.append(
            WeaponChoice(
                name=str(d["name"]),
                ranges_km=(float(km),),
                min_km=d.get("catalogue_min_km") or None,
                source="text" if km == stated else "catalogue",
                note=str(d.get("stated_range_text") or ""),
            )
        )
    return replace(
        base,
        title=f"rangemap: {name}" if name else base.title,
        weapons=tuple(choices) or base.weapons,
        places=(),
        article_text=text,
        article_name=name,
    )


def _frontline(spec: ScenarioSpec, notes: list[str]) -> gpd.GeoDataFrame:
    if spec.frontline_file is None:
        return frontline.snapshot(spec.date)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        gdf = frontline.load_file(spec.frontline_file, date=spec.date)
    notes.extend(str(w.message) for w in caught)
    return gdf


def _change(spec: ScenarioSpec, front: gpd.GeoDataFrame) -> gpd.GeoDataFrame | None:
    """Areas gained and lost between ``spec.compare_date`` and the scenario's frontline."""
    if not spec.compare_date:
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


@functools.lru_cache(maxsize=1)
def _population() -> gpd.GeoDataFrame:
    """Return the cities counted for "population in range" (loaded once; read only)."""
    return gazetteer.cities(min_population=POPULATION_MIN)


@functools.lru_cache(maxsize=64)
def _envelope(launch_wkb: bytes, spec: RangeSpec) -> gpd.GeoDataFrame:
    """Return one range's envelope, cached so a rerun that changes one range redoes only it."""
    return reach(shapely.from_wkb(launch_wkb), ranges=[spec])


def _clip_area(clip: str | None) -> BaseGeometry | None:
    if not clip:
        return None
    try:
        frame = boundaries.country(clip)
    except NotFoundError:
        frame = boundaries.region(clip)
    geom: BaseGeometry = frame.geometry.iloc[0]
    return geom


def _places(spec: ScenarioSpec, notes: list[str]) -> gpd.GeoDataFrame:
    frames = []
    if spec.article_text:
        frames.append(places_from_text(spec.article_text))
    for query in spec.places:
        try:
            frames.append(geocode(query))
        except RangemapError as exc:
            notes.append(f"place {query!r} not added: {exc}")
    frames = [f for f in frames if len(f)]
    if not frames:
        return gpd.GeoDataFrame(columns=list(PLACE_COLUMNS), geometry="geometry", crs="EPSG:4326")
    out = pd.concat(frames, ignore_index=True)
    out = out.drop_duplicates(subset=["name", "kind"], keep="first").reset_index(drop=True)
    return gpd.GeoDataFrame(out, geometry="geometry", crs="EPSG:4326")


def _mark_in_range(
    points: gpd.GeoDataFrame, launch: BaseGeometry, specs: list[RangeSpec]
) -> gpd.GeoDataFrame:
    """Add ``distance_km`` (geodesic, to the launch area), ``in_range`` and ``in_range_of``."""
    out = points.copy()
    if not len(out):
        out["distance_km"] = pd.Series(dtype=float)
        out["in_range"] = pd.Series(dtype=bool)
        out["in_range_of"] = pd.Series(dtype=object)
        return out
    reps = out.geometry.representative_point()
    dist = geodesic.distance_to_geometry_km(launch, reps.x.to_numpy(), reps.y.to_numpy())
    out["distance_km"] = np.round(dist, 1)
    of = [", ".join(s.label for s in specs if s.min_km <= d <= s.max_km) for d in np.asarray(dist)]
    out["in_range_of"] = of
    out["in_range"] = [bool(x) for x in of]
    return out


def _empty_reach() -> gpd.GeoDataFrame:
    cols = ["weapon", "label", "range_km", "min_km", "ring", "area_km2", "geometry"]
    return gpd.GeoDataFrame(columns=cols, geometry="geometry", crs="EPSG:4326")
