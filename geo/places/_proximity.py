"""Proximity support: readings near, or in the state or country of, the other names' readings.

Every ambiguous name's city and region candidates are scored against the candidates of the
article's most salient names with one matrix of great-circle closeness per chunk, so the
work is linear in the number of names (no per-pair Python loops).
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from geo.places.gazetteer import CITY, COUNTRY, REGION, Index

_NEAR_KM = 250.0
#: Cosine of the angle a great circle of _NEAR_KM subtends (mean Earth radius 6,371 km).
_NEAR_COS = math.cos(_NEAR_KM / 6371.0)
#: Names this close to each other make a local reading (a town and its neighbours).
_CLOSE_KM = 50.0
_CLOSE_COS = math.cos(_CLOSE_KM / 6371.0)
_CLOSE_WEIGHT = 1.0
#: Extra weight of another name's reading in the same first-level region (state, oblast).
_SAME_REGION = 1.5
#: How many of the article's names (most mentioned first) lend proximity support to the others.
_CONTEXT_NAMES = 40
_CHUNK = 2048


def first_level(ix: Index, row: int) -> bool:
    """Return whether a row is a country or a first-level (or informal) region, no county."""
    kind = ix.scalars.kind[row]
    if kind != REGION:
        return kind == COUNTRY
    admin1 = ix.admin1[row]
    return admin1 is None or admin1 == ix.code[row]


def softmax(scores: dict[int, float]) -> dict[int, float]:
    """Return each row's probability from its score (temperature 1/2)."""
    rows = list(scores)
    if len(rows) < 8:  # plain floats: the same numbers as NumPy's (it sums fewer than 8 in
        top = max(scores.values())  # order), without its per-call overhead
        exps = [math.exp(2.0 * (scores[r] - top)) for r in rows]
        total = sum(exps)
        return {r: e / total for r, e in zip(rows, exps, strict=True)}
    vals = np.array([scores[r] for r in rows])
    e = np.exp(2.0 * (vals - vals.max()))
    return dict(zip(rows, (e / e.sum()).tolist(), strict=True))


def add_proximity(
    by_key: dict[str, dict[int, float]],
    ix: Index,
    *,
    salience: dict[str, tuple[int, int]],
    rounds: int = 2,
) -> None:
    """Add support to candidates near, or in the country of, the other names' readings.

    The context is the :data:`_CONTEXT_NAMES` most salient names (most mentioned, then
    first mentioned), so the work is linear in the number of names: one matrix of
    great-circle closeness between every local candidate and the context's candidates.
    Each round weighs the context's candidates by the square root of their current
    probability, so a reading supported by several names reinforces itself.
    """
    table = _LocalCandidates.build(by_key, ix, salience=salience)
    if table is None:
        return
    base = np.array(
        [by_key[table.keys[o]][r] for o, r in zip(table.owner, table.rows, strict=True)]
    )
    for _ in range(rounds):
        weights = _context_weights(by_key, table)
        near_best, country_best, close_sum = table.support(*weights)
        scores = base + 1.2 * near_best + 0.5 * country_best + _CLOSE_WEIGHT * close_sum
        for o, r, s in zip(table.owner.tolist(), table.rows.tolist(), scores.tolist(), strict=True):
            by_key[table.keys[o]][r] = s


@dataclass(frozen=True)
class _LocalCandidates:
    """The city and region candidates of every ambiguous name, and those of the context."""

    keys: list[str]
    owner: np.ndarray  # key index of each scored candidate
    rows: np.ndarray  # its gazetteer row
    xyz: np.ndarray  # unit vectors of the scored candidates
    country: np.ndarray  # integer country ids
    admin1: np.ndarray  # integer first-level region ids (-1: none)
    area: np.ndarray  # whether each scored candidate is a first-level region
    ctx_owner: np.ndarray  # key index of each context candidate, grouped by key
    ctx_rows: np.ndarray
    ctx_xyz: np.ndarray
    ctx_country: np.ndarray
    ctx_admin1: np.ndarray
    ctx_starts: np.ndarray  # first column of each context key's group
    ctx_keys: np.ndarray  # key index of each group

    @classmethod
    def build(
        cls,
        by_key: dict[str, dict[int, float]],
        ix: Index,
        *,
        salience: dict[str, tuple[int, int]],
    ) -> _LocalCandidates | None:
        keys = list(by_key)
        local = [
            [
                r
                for r in by_key[k]
                if ix.scalars.geonameid[r] >= 0 and ix.scalars.kind[r] in (REGION, CITY)
            ]
            for k in keys
        ]
        ranked = sorted(
            (i for i, rows in enumerate(local) if rows), key=lambda i: salience[keys[i]]
        )
        context = sorted(ranked[:_CONTEXT_NAMES])
        scored = [i for i, rows in enumerate(local) if rows and len(by_key[keys[i]]) > 1]
        if len(context) < 2 or not scored:
            return None
        owner = np.array([i for i in scored for _ in local[i]], dtype=np.int64)
        rows = np.array([r for i in scored for r in local[i]], dtype=np.int64)
        ctx_owner = np.array([i for i in context for _ in local[i]], dtype=np.int64)
        ctx_rows = np.array([r for i in context for r in local[i]], dtype=np.int64)
        sizes = [len(local[i]) for i in context]
        codes: dict[str | None, int] = {}
        country = np.array([codes.setdefault(ix.country[r], len(codes)) for r in rows.tolist()])
        ctx_country = np.array(
            [codes.setdefault(ix.country[r], len(codes)) for r in ctx_rows.tolist()]
        )
        regions: dict[str, int] = {}

        def admin1_ids(rows: np.ndarray) -> np.ndarray:
            ids = [
                regions.setdefault(a, len(regions)) if a else -1
                for a in map(ix.admin1.__getitem__, rows.tolist())
            ]
            return np.array(ids, dtype=np.int64)

        return cls(
            keys=keys,
            owner=owner,
            rows=rows,
            xyz=_unit_vectors(ix, rows),
            country=country,
            admin1=admin1_ids(rows),
            area=np.array(
                [ix.scalars.kind[r] == REGION and first_level(ix, r) for r in rows.tolist()],
                dtype=bool,
            ),
            ctx_owner=ctx_owner,
            ctx_rows=ctx_rows,
            ctx_xyz=_unit_vectors(ix, ctx_rows),
            ctx_country=ctx_country,
            ctx_admin1=admin1_ids(ctx_rows),
            ctx_starts=np.concatenate([[0], np.cumsum(sizes)[:-1]]).astype(np.int64),
            ctx_keys=np.array(context, dtype=np.int64),
        )

    def support(
        self, near_weight: np.ndarray, country_weight: np.ndarray
    ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """Return per scored candidate the best nearby and same-country support of another name.

        Same-country support counts a candidate in the same first-level region
        :data:`_SAME_REGION` times more.

        The third array sums, over the other names, the support of those within
        :data:`_CLOSE_KM` (capped at 2): several close neighbours make a local reading.
        """
        near_best = np.zeros(len(self.rows))
        country_best = np.zeros(len(self.rows))
        close_sum = np.zeros(len(self.rows))
        for lo in range(0, len(self.rows), _CHUNK):
            hi = min(lo + _CHUNK, len(self.rows))
            cosine = self.xyz[lo:hi] @ self.ctx_xyz.T
            inside = (self.admin1[lo:hi, None] == self.ctx_admin1[None, :]) & (
                self.admin1[lo:hi, None] >= 0
            )
            # a first-level region is near the places inside it, however far its centre
            near = (cosine > _NEAR_COS) | (inside & self.area[lo:hi, None])
            close = np.maximum.reduceat(
                (cosine > _CLOSE_COS) * near_weight, self.ctx_starts, axis=1
            )
            same = (self.country[lo:hi, None] == self.ctx_country[None, :]) + _SAME_REGION * inside
            by_near = np.maximum.reduceat(near * near_weight, self.ctx_starts, axis=1)
            by_country = np.add.reduceat(same * country_weight, self.ctx_starts, axis=1)
            own = self.owner[lo:hi, None] == self.ctx_keys[None, :]
            near_best[lo:hi] = np.where(own, 0.0, by_near).max(axis=1)
            country_best[lo:hi] = np.where(own, 0.0, by_country).max(axis=1)
            close_sum[lo:hi] = np.minimum(np.where(own, 0.0, close).sum(axis=1), 2.0)
        return near_best, country_best, close_sum


def _context_weights(
    by_key: dict[str, dict[int, float]], table: _LocalCandidates
) -> tuple[np.ndarray, np.ndarray]:
    """Return the context candidates' current probabilities: their square roots and themselves."""
    probs = {int(i): softmax(by_key[table.keys[i]]) for i in table.ctx_keys.tolist()}
    p = np.array(
        [
            probs[o][r]
            for o, r in zip(table.ctx_owner.tolist(), table.ctx_rows.tolist(), strict=True)
        ]
    )
    return np.sqrt(p), p


def _unit_vectors(ix: Index, rows: np.ndarray) -> np.ndarray:
    lat, lon = np.radians(ix.lat[rows]), np.radians(ix.lon[rows])
    return np.column_stack([np.cos(lat) * np.cos(lon), np.cos(lat) * np.sin(lon), np.sin(lat)])
