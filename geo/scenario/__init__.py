"""An article or a scenario file → one :class:`Scenario` holding every layer's data.

- :mod:`geo.scenario.spec`: validated scenario files (what is asked for, no computation);
- :mod:`geo.scenario.infer`: who fires what from where at whom, read from an article;
- :mod:`geo.scenario.build`: every layer's data for a spec.
"""

from __future__ import annotations

from geo.scenario.build import NOT_STRIKE_TYPES, REGION_COUNTRIES, Scenario, build_scenario
from geo.scenario.infer import (
    InferredWeapon,
    infer_scenario,
    infer_weapons,
    spec_from_article,
    weapon_choice,
)
from geo.scenario.spec import (
    DEFAULT_LAUNCH_AREAS,
    ScenarioSpec,
    WeaponChoice,
    default_spec,
    load_spec,
    spec_from_dict,
)

__all__ = [
    "DEFAULT_LAUNCH_AREAS",
    "NOT_STRIKE_TYPES",
    "REGION_COUNTRIES",
    "InferredWeapon",
    "Scenario",
    "ScenarioSpec",
    "WeaponChoice",
    "build_scenario",
    "default_spec",
    "infer_scenario",
    "infer_weapons",
    "load_spec",
    "spec_from_article",
    "spec_from_dict",
    "weapon_choice",
]
