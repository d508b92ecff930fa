"""Benchmark the dashboard: first full render of the default scenario, and a rerun.

(a) First render: a fresh ``AppTest`` run of ``app.py`` (scenario, map, figures, tables;
    downloads are made only when clicked). Target ≤ 5 s (data loaders warm, as after the
    first visitor; the cold figure is printed too).
(b) Rerun after changing one range (ATACMS 300 → 200 km). Target ≤ 1 s.
(c) Size of the map HTML of the default scenario (offline, self-contained). Target ≤ 3 MB.

    .venv/bin/python bench/app.py
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from streamlit.testing.v1 import AppTest  # noqa: E402

from geo.scenario import build_scenario, default_spec  # noqa: E402
from layers.assets import render_html  # noqa: E402
from layers.web_map import build_map  # noqa: E402

APP = str(ROOT / "app.py")
FIRST_TARGET_S = 5.0
RERUN_TARGET_S = 1.0
HTML_TARGET_MB = 3.0


def main() -> int:
    """Print the timings and sizes against their targets; return 0."""
    cold, _ = _first_render()
    # Streamlit caches live in this process: clear them to time a new visitor's view of a
    # warm server (data files loaded, the default scenario not yet computed).
    import streamlit as st

    st.cache_resource.clear()
    st.cache_data.clear()
    warm, at = _first_render()
    start = time.perf_counter()
    at.number_input(key="range_atacms_1").set_value(200).run()
    rerun = time.perf_counter() - start
    if at.exception:
        raise SystemExit(f"the app raised on rerun: {at.exception}")
    start = time.perf_counter()
    scenario = build_scenario(default_spec())
    html = render_html(build_map(scenario.layers()), offline=True)
    html_s = time.perf_counter() - start
    mb = len(html.encode("utf-8")) / 1e6
    _line("first render, cold process", cold, FIRST_TARGET_S, "s")
    _line("first render, warm data", warm, FIRST_TARGET_S, "s")
    _line("rerun after one range change", rerun, RERUN_TARGET_S, "s")
    _line("map HTML (offline, self-contained)", mb, HTML_TARGET_MB, "MB")
    print(f"  (scenario + map + HTML outside Streamlit: {html_s:.2f} s)")
    return 0


def _first_render() -> tuple[float, AppTest]:
    start = time.perf_counter()
    at = AppTest.from_file(APP, default_timeout=120).run()
    elapsed = time.perf_counter() - start
    if at.exception or len(at.error):
        raise SystemExit(f"the app failed: {at.exception} {[e.value for e in at.error]}")
    return elapsed, at


def _line(what: str, value: float, target: float, unit: str) -> None:
    verdict = "ok" if value <= target else "OVER TARGET"
    ratio = value / target
    print(f"{what:38s} {value:7.2f} {unit}  (target ≤ {target:g} {unit}, x{ratio:.2f}) {verdict}")


if __name__ == "__main__":
    raise SystemExit(main())
