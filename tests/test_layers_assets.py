"""Leaflet and plugin assets embedded for offline use (layers/assets.py)."""

from __future__ import annotations

import base64
import re

import folium
import layer_samples as samples
import pytest

from geo._errors import OfflineError
from layers import assets
from layers.web_map import build_map


@pytest.fixture(scope="module")
def offline_map() -> folium.Map:
    return build_map(samples.all_layers(), offline=True)


def _asset_lists(m: folium.Map) -> list[str]:
    return [url for e in assets._walk(m) for _, url in getattr(e, "default_js", [])] + [
        url for e in assets._walk(m) for _, url in getattr(e, "default_css", [])
    ]


def test_every_asset_of_an_offline_map_is_a_data_uri(offline_map: folium.Map) -> None:
    urls = _asset_lists(offline_map)
    assert len(urls) >= 9  # leaflet js+css, jquery, measure, fullscreen, mouse position
    assert all(
        u.startswith(("data:text/javascript;base64,", "data:text/css;base64,")) for u in urls
    )


def test_data_uris_hold_the_real_leaflet(offline_map: folium.Map) -> None:
    leaflet = dict(offline_map.default_js)["leaflet"]
    text = base64.b64decode(leaflet.split(",", 1)[1]).decode("utf-8")
    assert "Leaflet 1.9.3" in text[:300]


def test_folium_class_level_asset_lists_are_untouched(offline_map: folium.Map) -> None:
    assert dict(folium.Map.default_js)["leaflet"].startswith("https://cdn.jsdelivr.net/")
    assert dict(folium.plugins.Fullscreen.default_js)


def test_offline_page_loads_nothing_from_the_network(offline_map: folium.Map) -> None:
    page = assets.render_html(offline_map, offline=True)
    assert assets.external_references(page) == []
    tags = re.findall(r"<(?:script|link)\b[^>]*>", page)
    assert not [t for t in tags if "src=" in t or "href=" in t]
    tile_urls = re.findall(r"L\.tileLayer\(\s*\"([^\"]+)\"", page)
    assert tile_urls and all(u.startswith("https://") for u in tile_urls)  # optional online layers


def test_cdn_page_links_assets_and_is_small(offline_map: folium.Map) -> None:
    linked = assets.render_html(offline_map, offline=False)
    inlined = assets.render_html(offline_map, offline=True)
    refs = assets.external_references(linked)
    assert "https://cdn.jsdelivr.net/npm/leaflet@1.9.3/dist/leaflet.js" in refs
    assert not [r for r in refs if r.startswith("data:")]
    assert len(inlined) - len(linked) > 300_000


def test_unused_icon_and_bootstrap_assets_are_dropped(offline_map: folium.Map) -> None:
    names = {n for n, _ in offline_map.default_js} | {n for n, _ in offline_map.default_css}
    assert names == {"leaflet", "jquery", "leaflet_css"}


def test_icon_markers_keep_their_assets() -> None:
    m = folium.Map(tiles=None)
    folium.Marker([50, 30], icon=folium.Icon(icon="star")).add_to(m)
    assets.drop_unused_assets(m)
    assert "awesome_markers" in dict(m.default_js)


def test_an_asset_without_an_offline_copy_is_named_in_the_error() -> None:
    with pytest.raises(OfflineError, match=r"example\.org/nothing\.js"):
        assets.asset_text("https://example.org/nothing.js")


def test_a_patch_release_url_falls_back_to_the_same_file() -> None:
    text = assets.asset_text("https://cdn.jsdelivr.net/npm/leaflet@1.9.4/dist/leaflet.js")
    assert "Leaflet 1.9.3" in text[:300]


def test_a_cdn_linked_map_can_still_be_exported_self_contained() -> None:
    m = build_map({"places": samples.places()}, offline=False)
    assert "https://cdn.jsdelivr.net/npm/leaflet@1.9.3/dist/leaflet.js" in m.get_root().render()
    page = assets.render_html(m, offline=True)
    assert assets.external_references(page) == []
    assert "Leaflet 1.9.3" in page


def test_standalone_page_has_a_title_date_and_sources_shown_as_text() -> None:
    import folium

    from layers.assets import render_html

    page = render_html(
        folium.Map(tiles=None),
        offline=False,
        title="Strikes {{7*7}} <b>",
        date="frontline of 2024-11-19",
        sources="Natural Earth; DeepStateMap",
    )
    heading = "Strikes &#123;&#123;7*7&#125;&#125; &lt;b&gt; — frontline of 2024-11-19"
    assert f"<title>{heading}</title>" in page
    assert f"<div class='rangemap-title'>{heading}</div>" in page
    assert "<div class='rangemap-sources'>Sources: Natural Earth; DeepStateMap</div>" in page
    assert "Strikes 49" not in page
