"""Span sets answer "enclosed by / overlapping one of these spans?" like a plain scan would."""

from __future__ import annotations

import random

import pytest

from geo.places._spans import Spans
from geo.places.people import People


def _random_spans(rng: random.Random, n: int) -> list[tuple[int, int]]:
    out = []
    for _ in range(n):
        a = rng.randrange(0, 60)
        out.append((a, a + rng.randrange(1, 12)))
    return out


@pytest.mark.parametrize("seed", range(30))
def test_answers_match_a_scan_of_every_span(seed: int) -> None:
    rng = random.Random(seed)
    spans = _random_spans(rng, rng.randrange(0, 15))
    found = Spans(spans)
    for start, end in _random_spans(rng, 200):
        assert found.encloses(start, end) == any(a <= start and end <= b for a, b in spans)
        assert found.encloses(start, end, strictly=True) == any(
            a <= start and end <= b and (a, b) != (start, end) for a, b in spans
        )
        assert found.overlaps(start, end) == any(a < end and start < b for a, b in spans)


def test_a_span_encloses_itself_but_not_strictly() -> None:
    found = Spans([(10, 20)])
    assert found.encloses(10, 20)
    assert not found.encloses(10, 20, strictly=True)
    assert found.encloses(12, 20, strictly=True)
    assert not found.overlaps(20, 25)
    assert not Spans([]).encloses(0, 1)


def test_a_place_inside_a_persons_name_is_covered_but_the_whole_name_is_not() -> None:
    # "Georgia Stevens" at 0-15; "Air Canada Cargo" at 30-46.
    people = People(spans=((0, 15),), surnames=frozenset({"stevens"}), organisations=((30, 46),))
    assert people.covers(0, 7)  # "Georgia"
    assert people.covers(34, 40)  # "Canada"
    assert not people.covers(0, 15)
    assert not people.covers(16, 22)
