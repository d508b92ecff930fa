"""geo/ is pure computation: importing it never pulls in folium, Streamlit or matplotlib."""

import subprocess
import sys


def test_importing_geo_leaves_rendering_libraries_out() -> None:
    code = (
        "import importlib, pkgutil, sys, geo\n"
        "for m in pkgutil.walk_packages(geo.__path__, 'geo.'):\n"
        "    importlib.import_module(m.name)\n"
        "bad = [n for n in ('folium', 'streamlit', 'matplotlib') if n in sys.modules]\n"
        "print(','.join(bad))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == ""
