"""Resolution is near-linear in the number of distinct names (a long paste cannot stall it)."""

from __future__ import annotations

import time

from geo.places import gazetteer
from geo.places.resolve import places_from_text


def distinct_city_names(n: int) -> list[str]:
    """Return ``n`` distinct one- or two-word ASCII city names, most populous first."""
    cities = gazetteer.cities(min_population=20_000).sort_values("population", ascending=False)
    plain = (name for name in cities["name"] if name.isascii() and name.replace(" ", "").isalpha())
    return list(dict.fromkeys(plain))[:n]


def test_four_thousand_distinct_names_resolve_in_seconds() -> None:
    names = distinct_city_names(4000)
    text = " ".join(f"Visit {name}." for name in names)
    gazetteer.load_index()
    start = time.perf_counter()
    found = places_from_text(text)
    elapsed = time.perf_counter() - start
    # Quadratic resolution took over 300 s here; linear work takes about 2 s on one core,
    # so the budget leaves room for a loaded CI machine.
    assert elapsed < 30, f"{len(names)} names took {elapsed:.1f} s"
    assert len(found) > 0.9 * len(names)


def test_one_long_run_of_capitalised_words_resolves_in_seconds() -> None:
    text = " ".join(["Tom"] * 5000 + ["Jones"])
    gazetteer.load_index()
    start = time.perf_counter()
    places_from_text(text)
    # Each candidate person's name is at most a few words: the work is linear in the run.
    assert time.perf_counter() - start < 30
