"""A tiny Streamlit app for the browser tests: the web map of synthetic layers.

An XSS payload is the name and the sentence of a place and the label of a weapon, so the
tests can check that it shows as text and never runs.
"""

from __future__ import annotations

import sys
from pathlib import Path

import folium
import streamlit as st
from streamlit_folium import st_folium

HERE = Path(__file__).resolve().parent
for path in (HERE.parent.parent, HERE.parent):
    if str(path) not in sys.path:
        sys.path.insert(0, str(path))

import layer_samples as samples  # noqa: E402

from layers.web_map import build_map  # noqa: E402


def sample_map(*, offline: bool) -> folium.Map:
    """Build the map (on every run: streamlit-folium changes a map while rendering it)."""
    layers = samples.all_layers(
        places=samples.places(name=samples.XSS, sentence=samples.XSS),
        ranges=samples.ranges(label=samples.XSS),
    )
    return build_map(layers, offline=offline)


st.set_page_config(page_title="rangemap map fixture", layout="wide")
st.title("Map fixture")
offline = st.query_params.get("offline", "1") != "0"  # ?offline=0: assets from CDNs
st_folium(
    sample_map(offline=offline),
    returned_objects=[],
    height=620,
    use_container_width=True,
    key="map",
)
