"""Sets of character spans asked "does one of you enclose / overlap this span?" in log time.

Rules that compare every mention with every person's name or every hyphenated word are
quadratic on long articles; sorting the spans once by start and keeping the running
maximum of their ends answers each question with one binary search.
"""

from __future__ import annotations

import bisect
import itertools
from collections.abc import Iterable


class Spans:
    """Half-open character spans ``[a, b)``, sorted by start, with running maximum ends.

    Parameters
    ----------
    spans
        The spans, in any order; duplicates are allowed.
    """

    __slots__ = ("_max_end", "_starts")

    def __init__(self, spans: Iterable[tuple[int, int]]) -> None:
        ordered = sorted(spans)
        self._starts = [a for a, _ in ordered]
        #: ``_max_end[k]``: the largest end among the first ``k`` spans (-1 for none).
        self._max_end = [-1, *itertools.accumulate((b for _, b in ordered), max)]

    def __len__(self) -> int:
        return len(self._starts)

    def encloses(self, start: int, end: int, *, strictly: bool = False) -> bool:
        """Return whether a span contains ``[start, end)``.

        With ``strictly``, the span ``(start, end)`` itself does not count: a span must be
        longer (start earlier or end later).
        """
        at_or_before = self._max_end[bisect.bisect_right(self._starts, start)]
        if not strictly:
            return at_or_before >= end
        before = self._max_end[bisect.bisect_left(self._starts, start)]
        return at_or_before > end or before >= end

    def overlaps(self, start: int, end: int) -> bool:
        """Return whether a span shares at least one character with ``[start, end)``."""
        return self._max_end[bisect.bisect_left(self._starts, end)] > start
