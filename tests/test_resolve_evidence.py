"""The article's country and region evidence answers like a scan of every name would."""

from __future__ import annotations

import random

import pytest

from geo.places.resolve import _Evidence

KEYS = ["kharkiv", "kyiv", "izium", "kupiansk", "balakliia"]
COUNTRIES = ["UA", "RU", "PL"]
REGIONS = ["UA-63", "UA-14", "RU-BEL"]


@pytest.mark.parametrize("seed", range(20))
def test_country_and_region_evidence_match_a_scan(seed: int) -> None:
    rng = random.Random(seed)
    ev = _Evidence()
    levels: dict[str, dict[str, int]] = {}
    said: dict[str, set[tuple[str, int]]] = {}
    for _ in range(rng.randrange(1, 25)):
        key, cc, level = rng.choice(KEYS), rng.choice(COUNTRIES), rng.randrange(1, 4)
        ev.add_country(cc, key, level)
        levels.setdefault(cc, {})[key] = max(levels.get(cc, {}).get(key, 0), level)
        code, sentence = rng.choice(REGIONS), rng.randrange(0, 6)
        ev.add_region(code, key, sentence)
        said.setdefault(code, set()).add((key, sentence))
        for asked in KEYS:  # asked between additions too: answers follow the evidence
            for cc in [*COUNTRIES, None]:
                others = [v for k, v in levels.get(cc or "", {}).items() if k != asked]
                assert ev.country(cc, asked) == max(others, default=0)
            for code in [*REGIONS, None]:
                for near in (None, *range(-1, 8)):
                    want = any(
                        k != asked and (near is None or abs(s - near) <= 1)
                        for k, s in (said.get(code, set()) if code else set())
                    )
                    assert ev.region(code, asked, near=near) == want
