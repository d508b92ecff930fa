"""Limits on what users hand rangemap: far above real use, low enough to stay fast and small.

Every limit lives here so the messages, the tests and the README quote the same numbers.
"""

from __future__ import annotations

#: Largest article file or pasted text, in bytes (a long news article is under 100 kB).
ARTICLE_MAX_BYTES = 1_000_000
#: Largest user geometry file (launch polygons), in bytes.
GEOMETRY_MAX_BYTES = 20_000_000
#: Most features in a user geometry file.
GEOMETRY_MAX_FEATURES = 10_000
#: Most vertices in a user geometry file (all features together).
GEOMETRY_MAX_VERTICES = 500_000
#: Largest frontline file a scenario may name (checked before the frontline loader reads it).
FRONTLINE_MAX_BYTES = 64 * 1024 * 1024
#: Largest scenario TOML file, in bytes.
SCENARIO_MAX_BYTES = 200_000
#: Deepest nesting of tables and arrays in a scenario file.
SCENARIO_MAX_DEPTH = 6
#: Most weapons in one scenario.
MAX_WEAPONS = 20
#: Most ranges drawn for one weapon.
MAX_RANGES_PER_WEAPON = 10
#: Most ranges drawn in one scenario (all weapons together).
MAX_TOTAL_RANGES = 60
#: Most extra places named in one scenario.
MAX_PLACES = 200
#: Most launch areas in one scenario.
MAX_LAUNCH_AREAS = 10
#: Longest single text value (title, note, weapon or place name) in a scenario.
MAX_TEXT_CHARS = 500
#: Smallest range accepted, in km (100 m: below that a ring is not visible on any map).
MIN_RANGE_KM = 0.1
