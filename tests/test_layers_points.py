"""Places and sites as markers: overlays, marker size by kind, escaped popups."""

from __future__ import annotations

import folium
import layer_samples as samples
import pytest

from layers.places import KIND_RADIUS, place_popup, places_layers
from layers.sites import site_popup, sites_layers
from layers.style import style_for


def _page(groups: dict[str, folium.FeatureGroup]) -> str:
    m = folium.Map(tiles=None)
    for group in groups.values():
        group.add_to(m)
    return m.get_root().render()


def test_demonym_only_mentions_go_to_their_own_hidden_overlay() -> None:
    groups = places_layers(samples.places())
    assert list(groups) == ["places", "places_demonym"]
    assert groups["places_demonym"].show is False
    assert groups["places_demonym"].layer_name == style_for("places_demonym").label


@pytest.mark.parametrize(("kind", "radius"), [("city", 5.0), ("country", 9.0)])
def test_marker_size_depends_on_the_kind_of_place(kind: str, radius: float) -> None:
    assert KIND_RADIUS[kind] == radius
    page = _page(places_layers(samples.places()))
    assert f'"radius": {radius}' in page


def test_place_popup_has_name_kind_coordinates_and_sentence() -> None:
    row = samples.places(sentence="Kyiv was <b>quiet</b>.").iloc[0]
    popup = place_popup(row)
    assert "<b>Kyiv</b>" in popup
    assert "city" in popup
    assert "50.4501° N, 30.5234° E" in popup
    assert "Kyiv was &lt;b&gt;quiet&lt;/b&gt;." in popup
    assert "2,952,301" in popup


def test_place_popup_escapes_the_name() -> None:
    popup = place_popup(samples.places(name=samples.XSS).iloc[0])
    assert "<script>" not in popup and "<img" not in popup and "${" not in popup


def test_sites_split_into_in_range_and_out_of_range() -> None:
    groups = sites_layers(samples.sites())
    assert list(groups) == ["sites_in_range", "sites_out_of_range"]
    page = _page(groups)
    assert "Kursk Khalino" in page and "45 km" in page


def test_sites_without_range_status_are_out_of_range() -> None:
    groups = sites_layers(samples.sites().drop(columns="in_range"))
    assert list(groups) == ["sites_out_of_range"]


def test_site_popup_links_only_web_sources() -> None:
    good = site_popup(samples.sites().iloc[0])
    bad = site_popup(samples.sites(url="javascript:alert(1)").iloc[0])
    assert "href='https://example.org/kursk'" in good
    assert "href" not in bad and "javascript" not in bad
    assert "Nearest launch area</th><td>45 km" in good
