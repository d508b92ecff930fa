"""Article text → place mentions: character offsets, surface and gazetteer candidates.

A mention is a run of capitalised tokens whose normalised form is a gazetteer name (the
longest one wins), possibly followed by a region word ("Kursk region"). Rules drop what
news text capitalises without meaning a place: people's names (a place-named token inside a
longer run of capitalised words, or after a title), weapons, organisations, weekdays and
months, and common English words that are also small towns ("Nice" needs "in Nice").
Misspelt names are matched with a conservative fuzzy rule (see :func:`fuzzy_candidates`).
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass, field
from pathlib import Path

from geo import settings
from geo.places import gazetteer
from geo.places.gazetteer import (
    BASE,
    BUILDING,
    CITY,
    COUNTRY,
    DEMONYM,
    FUZZY_MIN_LENGTH,
    FUZZY_MIN_POPULATION,
    REGION,
    Index,
)
from geo.places.names import LOCATIVES, NAME_JOINERS, NOT_PLACES, REGION_CUES, TITLES, normalise
from geo.places.tokens import Tokens, sentences

__all__ = ["PlaceMention", "find_mentions", "fuzzy_candidates", "sentences"]

_DIRECTIONS = frozenset({"eastern", "western", "southern", "northern", "east", "west", "south"})
_MAX_WORDS = 6
_FUZZY_CUTOFF = 85.0
_FAMOUS = 1_000_000


@dataclass(frozen=True)
class PlaceMention:
    """One stretch of text that may name a place, with its gazetteer candidates."""

    start: int
    end: int
    surface: str
    key: str
    candidates: tuple[tuple[int, int], ...]
    sentence: int
    cue: bool = False
    fuzzy: bool = False
    locative: bool = False
    container: int | None = field(default=None, compare=False)


def find_mentions(text: str, *, index: Index | None = None) -> list[PlaceMention]:
    """Return the place mentions of ``text`` in reading order.

    Work is linear in the length of the text: each word starts at most six name lookups
    (hash-table probes, memoised), and misspelling lookups are memoised per word.

    Parameters
    ----------
    text
        Article text; offsets are character offsets into it.
    index
        Gazetteer index (default: :func:`geo.places.gazetteer.load_index`).
    """
    ix = index or gazetteer.load_index()
    toks = Tokens(text)
    runs = _capitalised_runs(toks, ix)
    mentions: list[PlaceMention] = []
    cap = toks.cap
    norm = toks.norm
    starts = [i for i, (c, n) in enumerate(zip(cap, norm, strict=True)) if c or n in _DIRECTIONS]
    done = 0  # words before this one are inside a name already found
    for i in starts:
        if i < done:
            continue
        found = _match_at(toks, i, ix)
        if found is None:
            fz = _fuzzy_at(text, toks, i, runs, ix) if cap[i] else None
            if fz is not None:
                mentions.append(fz)
            continue
        length, key, cands = found
        done = i + length
        if key in NOT_PLACES or not cands:
            continue
        mention = _make_mention(text, toks, i, length, key, cands, runs, ix)
        if mention is not None:
            mentions.append(mention)
    return _link_containers(text, mentions)


def fuzzy_candidates(word: str, *, index: Index | None = None) -> list[tuple[str, float]]:
    """Return gazetteer names close to a misspelt word, best first, with their scores.

    Only names of countries, first-level regions and cities of 100,000 or more are
    considered, with the same first letter, a length within one character and a
    :func:`rapidfuzz.fuzz.ratio` of at least 85.
    """
    key = normalise(word)
    if not key:
        return []
    return list(_fuzzy_vocab(index or gazetteer.load_index()).close_to(key))


# ----------------------------------------------------------------------------- helpers


def _capitalised_runs(toks: Tokens, ix: Index) -> list[int]:
    """Return, per token, the length of the run of capitalised words it belongs to."""
    run_id = [-1] * len(toks)
    sizes: list[int] = []
    words, cap, first, norm = toks.text, toks.cap, toks.first, toks.norm
    keys = ix.keys
    for i in [i for i, c in enumerate(cap) if c]:
        word = words[i]
        if len(word) > 1 and word.isupper():
            continue
        if i and run_id[i - 1] >= 0 and toks.joined(i - 1) and not words[i - 1].endswith("."):
            run_id[i] = run_id[i - 1]
            sizes[run_id[i]] += 1
            continue
        if first[i] and norm[i] not in keys and norm[i] not in NOT_PLACES:
            sizes.append(0)  # a capitalised first word of a sentence is no evidence
            run_id[i] = len(sizes) - 1
            continue
        sizes.append(1)
        run_id[i] = len(sizes) - 1
    return [sizes[r] if r >= 0 else 0 for r in run_id]


def _match_at(toks: Tokens, i: int, ix: Index) -> tuple[int, str, list[tuple[int, int]]] | None:
    """Return (words, key, candidates) of the longest name starting at word ``i``."""
    cap, words, norm = toks.cap, toks.text, toks.norm
    lower_start = words[i].lower() in _DIRECTIONS
    if not cap[i] and not lower_start:
        return None
    # Spans must be joined word to word, with capitalised words or joiners inside.
    limit = min(_MAX_WORDS, len(words) - i)
    longest = 1
    while longest < limit and toks.joined(i + longest - 1):
        inner = i + longest - 1
        if longest > 1 and not cap[inner] and words[inner] not in NAME_JOINERS:
            break
        longest += 1
    keys = ix.keys
    for length in range(longest, 0, -1):
        if not cap[i + length - 1] or (lower_start and length == 1):
            continue
        key = " ".join(norm[i : i + length]) if length > 1 else norm[i]
        if key in NOT_PLACES:
            return length, key, []
        k = keys.get(key)
        if k is not None and not cap[i]:  # "east London" is London, "southern Europe" a region
            areas = [(r, f) for r, f in ix.rows_of(k) if ix.scalars.kind[r] != CITY]
            if areas:
                return length, key, areas
        elif k is not None:
            return length, key, ix.rows_of(k)
    return None


def _make_mention(
    text: str,
    toks: Tokens,
    i: int,
    length: int,
    key: str,
    cands: list[tuple[int, int]],
    runs: list[int],
    ix: Index,
) -> PlaceMention | None:
    last = i + length - 1
    start = toks.start[i]
    end = toks.end[last]
    cue = last + 1 < len(toks) and _region_word_follows(toks, last, cands, ix)
    if cue:
        end = toks.end[last + 1]
    locative = (
        i > 0 and toks.text[i - 1].lower() in LOCATIVES and toks.sentence[i - 1] == toks.sentence[i]
    )
    surface = text[start : toks.end[last]]
    keep = _filter(text, surface, key, cands, ix, toks, i, length, runs, locative, cue)
    if not keep:
        return None
    return PlaceMention(
        start=start,
        end=end,
        surface=text[start:end],
        key=key,
        candidates=tuple(keep),
        sentence=toks.sentence[i],
        cue=cue,
        locative=locative,
    )


def _region_word_follows(toks: Tokens, last: int, cands: list[tuple[int, int]], ix: Index) -> bool:
    """Return whether "region"/"oblast"/"province" (or lower-case "state") follows a region name."""
    kind = ix.scalars.kind
    if not any(kind[r] == REGION for r, _ in cands) or not toks.joined(last):
        return False
    word = toks.text[last + 1]
    return toks.norm[last + 1] in REGION_CUES or word == "state"


def _filter(
    text: str,
    surface: str,
    key: str,
    cands: list[tuple[int, int]],
    ix: Index,
    toks: Tokens,
    i: int,
    length: int,
    runs: list[int],
    locative: bool,
    cue: bool,
) -> list[tuple[int, int]]:
    """Drop candidates the surface's form and neighbourhood rule out."""
    at = ix.scalars
    kind, population = at.kind, at.population
    if surface.isupper() and sum(c.isalpha() for c in surface) <= 4:
        return [(r, f) for r, f in cands if kind[r] not in (CITY, REGION) and f != DEMONYM]
    if len(key) <= 3:
        cands = [(r, f) for r, f in cands if kind[r] == CITY and population[r] >= 100_000]
    after_title = (
        i > 0
        and toks.norm[i - 1] in TITLES
        and text[toks.end[i - 1] : toks.start[i]] in (" ", ". ")
        and toks.cap[i - 1]
    )
    in_name = length == 1 and runs[i] > 1
    weak = _weak_word(key, toks.first[i], locative, text, toks.end[i])
    keep = []
    for row, flag in cands:
        soft = (kind[row] == CITY and flag != BUILDING) or flag == BASE
        famous = at.capital[row] or population[row] >= _FAMOUS
        if soft and not cue and (after_title or in_name or (weak and not famous)):
            continue
        keep.append((row, flag))
    return keep


def _weak_word(key: str, first: bool, locative: bool, text: str, end: int) -> bool:
    """Return whether a one-word name is a common English word with no place context."""
    if key not in _common_words():
        return False
    appositive = text[end : end + 2] == ", " and text[end + 2 : end + 3].isupper()
    return first or not (locative or appositive)


@functools.lru_cache(maxsize=1)
def _common_words() -> frozenset[str]:
    path: Path = settings.data_path("gazetteer", "common_words.txt")
    return frozenset(w for w in path.read_text(encoding="utf-8").split() if w)


class _FuzzyVocab:
    """The misspelling vocabulary of one index, by (first letter, length), with a memo."""

    _MEMO_SIZE = 100_000

    def __init__(self, ix: Index) -> None:
        self.buckets: dict[tuple[str, int], list[str]] = {}
        for name in ix.fuzzy_names:
            self.buckets.setdefault((name[0], len(name)), []).append(name)
        self.memo: dict[str, tuple[tuple[str, float], ...]] = {}
        self.near: dict[tuple[str, int], list[str]] = {}

    def _vocab(self, first: str, length: int) -> list[str]:
        """Return the names starting with ``first`` within one character of ``length``."""
        found = self.near.get((first, length))
        if found is None:
            buckets = self.buckets
            found = [n for d in (-1, 0, 1) for n in buckets.get((first, length + d), ())]
            self.near[(first, length)] = found
        return found

    def close_to(self, key: str) -> tuple[tuple[str, float], ...]:
        found = self.memo.get(key)
        if found is None:
            from rapidfuzz import fuzz, process  # only when a word may be misspelt (~30 ms)

            vocab = self._vocab(key[0], len(key))
            hits = process.extract(
                key, vocab, scorer=fuzz.ratio, score_cutoff=_FUZZY_CUTOFF, limit=5
            )
            found = tuple((name, float(score)) for name, score, _ in hits if name != key)
            if len(self.memo) >= self._MEMO_SIZE:
                self.memo.clear()
            self.memo[key] = found
        return found


_VOCABS: dict[int, tuple[Index, _FuzzyVocab]] = {}


def _fuzzy_vocab(ix: Index) -> _FuzzyVocab:
    """Return the misspelling vocabulary of an index, built once per index."""
    found = _VOCABS.get(id(ix))
    if found is None or found[0] is not ix:
        found = (ix, _FuzzyVocab(ix))
        _VOCABS.clear()
        _VOCABS[id(ix)] = found
    return found[1]


def _fuzzy_at(text: str, toks: Tokens, i: int, runs: list[int], ix: Index) -> PlaceMention | None:
    word = toks.text[i]
    if (
        not toks.cap[i]
        or len(word) < FUZZY_MIN_LENGTH
        or toks.first[i]
        or runs[i] != 1
        or word.isupper()
        or toks.norm[i] in NOT_PLACES
        or toks.norm[i] in _common_words()
    ):
        return None
    hits = fuzzy_candidates(word, index=ix)
    if not hits:
        return None
    cands = [
        (r, f)
        for name, _ in hits
        for r, f in ix.candidates(name)
        if ix.kind[r] in (COUNTRY, REGION) or ix.population[r] >= FUZZY_MIN_POPULATION
    ]
    end = toks.end[i]
    window = normalise(text[end : end + 60])
    cue = any(w in REGION_CUES for w in re.findall(r"[a-z]+", window))
    return PlaceMention(
        start=toks.start[i],
        end=end,
        surface=text[toks.start[i] : end],
        key=toks.norm[i],
        candidates=tuple(dict.fromkeys(cands)),
        sentence=toks.sentence[i],
        cue=cue,
        fuzzy=True,
    )


def _link_containers(text: str, mentions: list[PlaceMention]) -> list[PlaceMention]:
    """Note "X, Y" pairs: Y (a country or region) contains X."""
    out = []
    for k, m in enumerate(mentions):
        nxt = mentions[k + 1] if k + 1 < len(mentions) else None
        if nxt is not None and text[m.end : nxt.start] == ", ":
            m = PlaceMention(**{**m.__dict__, "container": k + 1})
        out.append(m)
    return out
