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
import itertools
import re
from dataclasses import dataclass, field
from pathlib import Path

from rapidfuzz import fuzz, process

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

_TOKEN = re.compile(r"[^\W\d_]+(?:['’.\-][^\W\d_]+)*")
_SENTENCE_END = re.compile(r"(?<=[.!?])[\"”’]?\s+(?=[\"“‘(]?[A-Z])|\n\s*")
_ABBREVIATION = re.compile(
    r"(?:\b[A-Z]\.[A-Z]\.|\b(?:Mr|Mrs|Ms|Dr|St|Gen|Sen|Rep|Jan|Feb|Aug|Sept?|Oct|Nov|Dec)\.)$"
)
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


@dataclass(frozen=True)
class _Token:
    start: int
    end: int
    text: str
    sentence: int
    first: bool
    norm: str


def find_mentions(text: str, *, index: Index | None = None) -> list[PlaceMention]:
    """Return the place mentions of ``text`` in reading order.

    Parameters
    ----------
    text
        Article text; offsets are character offsets into it.
    index
        Gazetteer index (default: :func:`geo.places.gazetteer.load_index`).
    """
    ix = index or gazetteer.load_index()
    tokens = _tokenise(text)
    runs = _capitalised_runs(text, tokens)
    mentions: list[PlaceMention] = []
    i = 0
    while i < len(tokens):
        found = _match_at(text, tokens, i, ix)
        if found is None:
            fz = _fuzzy_at(text, tokens, i, runs, ix)
            if fz is not None:
                mentions.append(fz)
            i += 1
            continue
        length, key, cands = found
        if key in NOT_PLACES or not cands:
            i += length
            continue
        mention = _make_mention(text, tokens, i, length, key, cands, runs, ix)
        if mention is not None:
            mentions.append(mention)
        i += length
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
    buckets = _fuzzy_buckets(index or gazetteer.load_index())
    vocab = [n for size in (-1, 0, 1) for n in buckets.get((key[0], len(key) + size), ())]
    hits = process.extract(key, vocab, scorer=fuzz.ratio, score_cutoff=_FUZZY_CUTOFF, limit=5)
    return [(name, float(score)) for name, score, _ in hits if name != key]


def sentences(text: str) -> list[tuple[int, int]]:
    """Return ``(start, end)`` offsets of the sentences of ``text``."""
    spans, start = [], 0
    for m in _SENTENCE_END.finditer(text):
        if _ABBREVIATION.search(text, max(0, m.start() - 8), m.start()):
            continue
        if m.start() > start:
            spans.append((start, m.start()))
        start = m.end()
    if start < len(text):
        spans.append((start, len(text)))
    return spans


# ----------------------------------------------------------------------------- helpers


def _tokenise(text: str) -> list[_Token]:
    bounds = sentences(text)
    tokens: list[_Token] = []
    s = 0
    last_sentence = -1
    for m in _TOKEN.finditer(text):
        start, end = m.span()
        while s + 1 < len(bounds) and start >= bounds[s][1]:
            s += 1
        word = m.group()
        if word.endswith(("'s", "’s")) and len(word) > 2:
            end -= 2
            word = word[:-2]
        if "." in word and text[end : end + 1] == ".":
            end += 1
            word += "."
        tokens.append(_Token(start, end, word, s, s != last_sentence, normalise(word)))
        last_sentence = s
    return tokens


def _is_cap(word: str) -> bool:
    return word[:1].isupper()


def _joined(text: str, a: _Token, b: _Token) -> bool:
    gap = text[a.end : b.start]
    return gap in (" ", "-", "\u00a0") and a.sentence == b.sentence


def _capitalised_runs(text: str, tokens: list[_Token]) -> list[int]:
    """Return, per token, the length of the run of capitalised words it belongs to."""
    run_id = [-1] * len(tokens)
    sizes: list[int] = []
    for i, tok in enumerate(tokens):
        if not _is_cap(tok.text) or (tok.text.isupper() and len(tok.text) > 1):
            continue
        prev = tokens[i - 1] if i else None
        starts_sentence = tok.first and not _starts_match(tok)
        joined = prev is not None and run_id[i - 1] >= 0 and _joined(text, prev, tok)
        if joined and prev is not None and not prev.text.endswith("."):
            run_id[i] = run_id[i - 1]
            sizes[run_id[i]] += 1
            continue
        if starts_sentence and normalise(tok.text) not in NOT_PLACES:
            sizes.append(0)  # a capitalised first word of a sentence is no evidence
            run_id[i] = len(sizes) - 1
            continue
        sizes.append(1)
        run_id[i] = len(sizes) - 1
    return [sizes[r] if r >= 0 else 0 for r in run_id]


def _starts_match(tok: _Token) -> bool:
    return tok.norm in gazetteer.load_index().keys


def _match_at(
    text: str, tokens: list[_Token], i: int, ix: Index
) -> tuple[int, str, list[tuple[int, int]]] | None:
    first = tokens[i]
    lower_start = first.text.lower() in _DIRECTIONS
    if not _is_cap(first.text) and not lower_start:
        return None
    for length in range(min(_MAX_WORDS, len(tokens) - i), 0, -1):
        span = tokens[i : i + length]
        last = span[-1]
        if not _is_cap(last.text) or (lower_start and length == 1):
            continue
        if any(not _joined(text, a, b) for a, b in itertools.pairwise(span)):
            continue
        if any(not _is_cap(t.text) and t.text not in NAME_JOINERS for t in span[1:-1]):
            continue
        key = " ".join(t.norm for t in span)
        if key in NOT_PLACES:
            return length, key, []
        cands = ix.candidates(key)
        if cands:
            return length, key, cands
    return None


def _make_mention(
    text: str,
    tokens: list[_Token],
    i: int,
    length: int,
    key: str,
    cands: list[tuple[int, int]],
    runs: list[int],
    ix: Index,
) -> PlaceMention | None:
    first, last = tokens[i], tokens[i + length - 1]
    surface = text[first.start : last.end]
    prev = tokens[i - 1] if i else None
    nxt = tokens[i + length] if i + length < len(tokens) else None
    end = last.end
    cue = nxt is not None and _region_word_follows(text, last, nxt, cands, ix)
    if cue and nxt is not None:
        end = nxt.end
    locative = (
        prev is not None and prev.text.lower() in LOCATIVES and prev.sentence == first.sentence
    )
    keep = _filter(text, surface, key, cands, ix, tokens, i, length, runs, locative, cue)
    if not keep:
        return None
    return PlaceMention(
        start=first.start,
        end=end,
        surface=text[first.start : end],
        key=key,
        candidates=tuple(keep),
        sentence=first.sentence,
        cue=cue,
        locative=locative,
    )


def _region_word_follows(
    text: str, last: _Token, nxt: _Token, cands: list[tuple[int, int]], ix: Index
) -> bool:
    """Return whether "region"/"oblast"/"province" (or lower-case "state") follows a region name."""
    if not any(ix.kind[r] == REGION for r, _ in cands) or not _joined(text, last, nxt):
        return False
    return normalise(nxt.text) in REGION_CUES or nxt.text == "state"


def _filter(
    text: str,
    surface: str,
    key: str,
    cands: list[tuple[int, int]],
    ix: Index,
    tokens: list[_Token],
    i: int,
    length: int,
    runs: list[int],
    locative: bool,
    cue: bool,
) -> list[tuple[int, int]]:
    """Drop candidates the surface's form and neighbourhood rule out."""
    letters = [c for c in surface if c.isalpha()]
    if len(letters) <= 4 and surface.isupper():
        return [(r, f) for r, f in cands if ix.kind[r] not in (CITY, REGION) and f != DEMONYM]
    if len(key) <= 3:
        cands = [(r, f) for r, f in cands if ix.kind[r] == CITY and ix.population[r] >= 100_000]
    prev = tokens[i - 1] if i else None
    after_title = (
        prev is not None
        and normalise(prev.text) in TITLES
        and text[prev.end : tokens[i].start] in (" ", ". ")
        and _is_cap(prev.text)
    )
    in_name = length == 1 and runs[i] > 1
    weak = _weak_word(key, tokens[i], locative, text, tokens[i].end)
    keep = []
    for row, flag in cands:
        soft = (ix.kind[row] == CITY and flag != BUILDING) or flag == BASE
        famous = bool(ix.capital[row]) or ix.population[row] >= _FAMOUS
        if soft and not cue and (after_title or in_name or (weak and not famous)):
            continue
        keep.append((row, flag))
    return keep


def _weak_word(key: str, tok: _Token, locative: bool, text: str, end: int) -> bool:
    """Return whether a one-word name is a common English word with no place context."""
    if key not in _common_words():
        return False
    appositive = text[end : end + 2] == ", " and text[end + 2 : end + 3].isupper()
    return tok.first or not (locative or appositive)


@functools.lru_cache(maxsize=1)
def _common_words() -> frozenset[str]:
    path: Path = settings.data_path("gazetteer", "common_words.txt")
    return frozenset(w for w in path.read_text(encoding="utf-8").split() if w)


_BUCKETS: dict[int, dict[tuple[str, int], list[str]]] = {}


def _fuzzy_buckets(ix: Index) -> dict[tuple[str, int], list[str]]:
    """Return the fuzzy vocabulary grouped by (first letter, length), built once per index."""
    found = _BUCKETS.get(id(ix))
    if found is None:
        found = {}
        for name in ix.fuzzy_names:
            found.setdefault((name[0], len(name)), []).append(name)
        _BUCKETS.clear()
        _BUCKETS[id(ix)] = found
    return found


def _fuzzy_at(
    text: str, tokens: list[_Token], i: int, runs: list[int], ix: Index
) -> PlaceMention | None:
    tok = tokens[i]
    word = tok.text
    if (
        not _is_cap(word)
        or word.isupper()
        or len(word) < FUZZY_MIN_LENGTH
        or tok.first
        or runs[i] != 1
        or normalise(word) in NOT_PLACES
        or normalise(word) in _common_words()
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
    window = normalise(text[tok.end : tok.end + 60])
    cue = any(w in REGION_CUES for w in re.findall(r"[a-z]+", window))
    return PlaceMention(
        start=tok.start,
        end=tok.end,
        surface=word,
        key=normalise(word),
        candidates=tuple(dict.fromkeys(cands)),
        sentence=tok.sentence,
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
