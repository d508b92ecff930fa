"""Resolution is near-linear in the number of distinct names (a long paste cannot stall it)."""

from __future__ import annotations

import pytest

from geo.places import gazetteer
from geo.places.resolve import places_from_text


def distinct_city_names(n: int) -> list[str]:
    """Return ``n`` distinct one- or two-word ASCII city names, most populous first."""
    cities = gazetteer.cities(min_population=20_000).sort_values("population", ascending=False)
    plain = (name for name in cities["name"] if name.isascii() and name.replace(" ", "").isalpha())
    return list(dict.fromkeys(plain))[:n]


# Quadratic resolution took over 300 s for 4,000 names; linear work takes about 2 s on one
# core. The timeout is a hang guard with room for a loaded CI machine, not a speed target
# (bench/places_speed.py measures speed).
@pytest.mark.timeout(60)
def test_four_thousand_distinct_names_resolve_in_seconds() -> None:
    names = distinct_city_names(4000)
    text = " ".join(f"Visit {name}." for name in names)
    gazetteer.load_index()
    found = places_from_text(text)
    assert len(found) > 0.9 * len(names)


@pytest.mark.timeout(60)
def test_one_long_run_of_capitalised_words_resolves_in_seconds() -> None:
    text = " ".join(["Tom"] * 5000 + ["Jones"])
    gazetteer.load_index()
    # Each candidate person's name is at most a few words: the work is linear in the run.
    assert places_from_text(text).empty
