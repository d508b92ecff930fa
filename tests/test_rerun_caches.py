"""What a dashboard rerun keeps between scenario builds gives what a fresh build gives.

A range change rebuilds the scenario and its overlays; the launch area's spread, the regions
drawn, the places, sites, launch areas and unchanged rings are kept (``geo._memo``,
``geo.scenario._rings``, ``layers._display.built_once``). Every kept value must be what an
uncached build computes, and a caller changing what it got must not change what is kept.
"""

from __future__ import annotations

import threading

import pytest
import shapely
from shapely.geometry import Polygon

from geo import _memo, boundaries, geodesic
from geo.scenario import _rings, build_scenario, default_spec
from layers import places, sites
from layers._display import built_once
from layers.streamlit_map import base_page, overlay_script
from layers.web_map import base_window, focus_bounds, scenario_overlays


def _clear_every_cache() -> None:
    _memo.clear_all()
    _rings.clear()


def _overlays_of(spec, base=None):  # type: ignore[no-untyped-def]
    layers = {k: v for k, v in build_scenario(spec).layers().items() if k != "regions"}
    fit = focus_bounds(layers)
    window = base_window(fit)
    base = base or base_page(layers, window=window)
    return overlay_script(layers, window=window, fit=fit, base=base), base


def test_a_range_change_gives_the_overlay_script_of_a_fresh_build() -> None:
    spec = default_spec()
    shorter = spec.with_range("ATACMS", (165.0, 210.0))
    first, base = _overlays_of(spec)
    after_change, _ = _overlays_of(shorter, base)
    back, _ = _overlays_of(spec, base)  # everything kept: the first script again
    _clear_every_cache()
    fresh, _ = _overlays_of(shorter, base)
    assert after_change == fresh
    assert back == first
    assert "ATACMS 210 km" in after_change and "ATACMS 210 km" not in first


def test_a_kept_overlay_is_handed_out_as_a_copy_a_caller_may_change() -> None:
    frame = places.drawn_columns(_places_frame())
    shown = {k: g.show for k, g in places.places_layers(frame).items()}
    first = built_once("places", frame, places.places_layers)
    for group in first.values():
        group.show = not group.show
        group.add_child(places.folium.Element("<b>changed</b>"), name="changed")
    again = built_once("places", frame, places.places_layers)
    assert {k: g.show for k, g in again.items()} == shown
    assert not any("changed" in g._children for g in again.values())


def test_a_changed_frame_is_drawn_again_not_taken_from_the_cache() -> None:
    frame = sites.drawn_columns(build_scenario(default_spec()).sites)
    before = built_once("sites", frame, sites.sites_layers)
    moved = frame.copy()
    moved["in_range"] = ~moved["in_range"].astype(bool)
    after = built_once("sites", moved, sites.sites_layers)
    assert _features(after) == _features(sites.sites_layers(moved))
    assert _features(after)["sites_in_range"] == _features(before)["sites_out_of_range"]


def _features(groups: dict) -> dict[str, int]:  # type: ignore[type-arg]
    """Return the number of features drawn in each overlay."""
    return {
        key: sum(len(c.data["features"]) for c in g._children.values() if hasattr(c, "data"))
        for key, g in groups.items()
    }


def test_sites_and_places_draw_only_the_columns_they_name() -> None:
    scenario = build_scenario(default_spec())
    for module, frame in ((sites, scenario.sites), (places, scenario.places)):
        drawn = module.drawn_columns(frame)
        assert list(drawn.columns) == [
            *(c for c in module.COLUMNS if c in frame.columns),
            frame.geometry.name,
        ]
    layers = {"sites": scenario.sites, "places": scenario.places}
    window = base_window(focus_bounds(layers))
    kept = [g.get_name() for g, _, _ in scenario_overlays(layers, window=window).keyed()]
    assert len(kept) == len(set(kept))


def test_regions_of_countries_are_a_fresh_copy_equal_to_the_bundled_rows() -> None:
    got = boundaries.regions(country_codes=("UA", "Russia", "BLR"))
    expected = boundaries.regions().query("country_code in ['UA', 'RU', 'BY']")
    assert list(got["code"]) == list(expected["code"])
    got.loc[0, "name"] = "changed"
    got["extra"] = 1
    again = boundaries.regions(country_codes=("UA", "Russia", "BLR"))
    assert again.loc[0, "name"] != "changed" and "extra" not in again.columns
    with pytest.raises(boundaries.NotFoundError, match="unknown country"):
        boundaries.regions(country_codes=("Qwzxyland",))


def test_a_buffer_is_the_same_with_the_launch_areas_spread_kept_or_measured() -> None:
    area = Polygon([(30, 50), (36, 50), (36, 53), (33, 54), (30, 53)])
    kept = geodesic.buffer(area, distance_km=120)
    kept_again = geodesic.buffer(shapely.from_wkb(area.wkb), distance_km=150)
    _memo.clear_all()
    assert shapely.to_wkb(geodesic.buffer(area, distance_km=120)) == shapely.to_wkb(kept)
    assert shapely.to_wkb(geodesic.buffer(area, distance_km=150)) == shapely.to_wkb(kept_again)


def test_a_memo_computes_each_key_once_and_forgets_the_least_recent() -> None:
    memo: _memo.Memo[str] = _memo.Memo(2)
    calls: list[str] = []

    def value(key: str) -> str:
        return memo.get(key, lambda: calls.append(key) or key.upper())

    assert [value("a"), value("b"), value("a"), value("c"), value("b")] == list("ABACB")
    assert calls == ["a", "b", "c", "b"]  # "b" was the least recent when "c" came
    _memo.clear_all()
    assert value("a") == "A" and calls[-1] == "a"


def test_a_memo_shared_by_threads_gives_every_thread_one_value() -> None:
    memo: _memo.Memo[object] = _memo.Memo(4)
    seen: list[object] = []
    start = threading.Barrier(4)

    def worker() -> None:
        start.wait()
        seen.append(memo.get("key", object))

    threads = [threading.Thread(target=worker) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert len({id(v) for v in seen}) == 1


def test_digests_tell_apart_the_same_bytes_split_differently() -> None:
    assert _memo.digest("ab", "c") != _memo.digest("a", "bc")
    assert _memo.digest(b"x") == _memo.digest("x")


def _places_frame():  # type: ignore[no-untyped-def]
    from test_layers_safe import PAYLOADS, hostile_layers

    return hostile_layers(PAYLOADS[:2])["places"]


@pytest.mark.parametrize("ranges", [(300.0,), (165.0, 300.0)], ids=["one-ring", "two-rings"])
def test_the_envelopes_notes_are_those_of_the_rings_reach_frames_concatenated(ranges) -> None:  # type: ignore[no-untyped-def]
    from dataclasses import replace

    import pandas as pd

    from geo.reach import RangeSpec, reach

    spec = default_spec()
    spec = replace(spec, weapons=(replace(spec.weapons[0], ranges_km=ranges),))
    build_scenario(spec.with_range("ATACMS", (250.0,)))  # another ring's notes are known
    scenario = build_scenario(spec)
    launch = shapely.union_all(list(scenario.launch.geometry))  # what the rings are drawn from
    frames = [reach(launch, ranges=[RangeSpec(km, weapon="ATACMS")]) for km in ranges]
    expected = pd.concat(frames).attrs
    assert scenario.ranges.attrs == expected
    assert bool(expected) == (len(ranges) == 1)  # one ring keeps its notes, two differ


def _outlines() -> list[Polygon]:
    """Detailed real outlines (coasts, a frontline) and simple shapes, without holes."""
    scenario = build_scenario(default_spec())
    shapes = list(shapely.get_parts(shapely.union_all(list(scenario.launch.geometry))))
    for code in ("NO", "GR", "RU"):
        shapes += list(shapely.get_parts(boundaries.country(code).geometry.iloc[0]))
    shapes += [Polygon([(0, 0), (1, 0), (1, 1e-7), (0, 1e-7)]), Polygon([(0, 0), (2, 0), (1, 1)])]
    return sorted((Polygon(p.exterior) for p in shapes), key=lambda p: -len(p.exterior.coords))[:40]


@pytest.mark.parametrize("km", [1.0, 50.0, 200.0, 300.0, 1000.0, 3000.0, 8000.0])
def test_an_outline_read_off_its_polygon_is_the_lines_own_simplification(km: float) -> None:
    from geo._simplify import outline_as_line

    tolerance = geodesic.simplification_km(km) / 111.32
    read = 0
    for polygon in _outlines():
        got = outline_as_line(polygon, polygon.simplify(tolerance), tolerance)
        if got is None:
            continue
        read += 1
        expected = shapely.LineString(polygon.exterior.coords).simplify(tolerance)
        assert shapely.get_coordinates(got).tobytes() == shapely.get_coordinates(expected).tobytes()
    assert read >= 5  # the large outlines are read off, not simplified again


def test_a_kept_scenario_still_notes_the_places_it_could_not_find() -> None:
    from dataclasses import replace

    spec = replace(default_spec(), places=("Kharkiv", "Qwzxyville"))
    first, again = build_scenario(spec), build_scenario(spec)
    for scenario in (first, again):
        assert [n for n in scenario.notes if "Qwzxyville" in n]
        assert list(scenario.places["name"]) == ["Kharkiv"]
    first.places.loc[0, "name"] = "changed"  # each scenario has its own frame
    assert list(build_scenario(spec).places["name"]) == ["Kharkiv"]


def test_a_launch_areas_frame_is_a_fresh_copy() -> None:
    from geo.launch import launch_area

    area = launch_area("Kursk")
    frame = area.to_gdf()
    frame["name"] = "changed"
    assert area.to_gdf()["name"].iloc[0] == area.name
    assert area.wkb == shapely.to_wkb(area.geometry)


def test_a_frame_no_pickle_can_describe_is_drawn_without_the_cache() -> None:
    frame = _places_frame().copy()
    frame["kind"] = [lambda: None] * len(frame)  # e.g. an object a caller left in a cell
    built = built_once("odd", frame, lambda f: len(f))
    assert built == len(frame)
