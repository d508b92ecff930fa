"""Written forms the tokeniser does not see: abbreviations, St./Ft./Mt., datelines, hyphens.

"Morgantown, W.Va.", "Fresno, Calif.", "Kelowna, B.C.", "D.C." (the abbreviations of
``data/gazetteer/abbreviations.json``) and "St. Petersburg", "Ft. Worth", "Mt. Pleasant"
all-capitals datelines ("KYIV —") and the places inside hyphenated words ("Toronto-based",
"EU-Canada") become mentions of their region or place; mentions they overlap give way.
"""

from __future__ import annotations

import bisect
import functools
import json
import re
import string
from collections.abc import Iterator
from typing import Any

import numpy as np

from geo import settings
from geo.places._spans import Spans
from geo.places.extract import PlaceMention, sentences
from geo.places.gazetteer import CITY, COUNTRY, DEMONYM, POI, PRIMARY, REGION, Index
from geo.places.names import normalise

_SAINT = re.compile(r"\b(St|Ste|Ft|Mt)\.? ((?:[A-Z][\w'’\-]*)(?: [A-Z][\w'’\-]*){0,2})")
_EXPAND = {"st": ("saint", "st"), "ste": ("sainte", "ste"), "ft": ("fort", "ft")}
_EXPAND |= {"mt": ("mount", "mt")}
#: A capitalised word right before St./Ft./Mt. that may begin the name ("Fort St. John").
_WORD_BEFORE = re.compile(r"\b([A-Z][a-z]+) \Z")
#: One or two capitalised words right before a hyphenated word ("New York-based").
_WORDS_BEFORE = re.compile(r"(?<![\w'’])((?:[A-Z][\w'’]* ){1,2})\Z")
_PROMINENT = 100_000
_HYPHEN_NUMBER = re.compile(r"-\d{1,2}\b")  # after a name: "Engels-2", "Olenya-1"
_SITE_TYPES = ("air base", "airbase", "airfield", "naval base")
_SITE_TYPE = re.compile(r" (air base|airbase|airfield|air field|naval base|air station)\b")
#: One to three capitalised words that end right before a site's type ("Saky air base").
_NAME_BEFORE = re.compile(r"(?<![\w'’])([A-Z][\w'’]*(?: [A-Z][\w'’]*){0,2})\Z")
_COUNTY_NAME = re.compile(r"[A-Z][\w'’.]*(?: [A-Z][\w'’.]*){0,2}")
_COUNTY_LIST = re.compile(
    rf"((?:{_COUNTY_NAME.pattern}(?:,? (?:and|or) |, ))+{_COUNTY_NAME.pattern}) [Cc]ounties\Z"
)
_DATELINE = re.compile(
    r"(?m)^\s*([A-Z][A-Z'’\-]+(?: [A-Z][A-Z'’\-]+){0,2})(?:, [A-Z][\w.]*)? [—–-]"
)


def add_written_forms(text: str, mentions: list[PlaceMention], ix: Index) -> list[PlaceMention]:
    """Return ``mentions`` with abbreviations and St./Ft./Mt. names added, in reading order."""
    spans = sentences(text)
    extra = [*_abbreviations(text, ix, spans), *_prefixed_names(text, ix, spans)]
    extra += _datelines(text, ix, spans)
    extra += _county_lists(text, ix, spans)
    extra += _site_names(text, ix, spans)
    extra += _hyphen_parts(text, ix, spans, mentions)
    if not extra:
        return mentions
    taken = Spans((e.start, e.end) for e in extra)
    kept = [m for m in mentions if not taken.overlaps(m.start, m.end)]
    merged = sorted([*kept, *extra], key=lambda m: m.start)
    out = []
    for k, m in enumerate(merged):
        nxt = merged[k + 1] if k + 1 < len(merged) else None
        container = k + 1 if nxt is not None and text[m.end : nxt.start] == ", " else None
        out.append(PlaceMention(**{**m.__dict__, "container": container}))
    return out


# ----------------------------------------------------------------------------- helpers


def _abbreviations(text: str, ix: Index, spans: list[tuple[int, int]]) -> list[PlaceMention]:
    table = _table()
    out = []
    for m in _abbreviation_matches(text):
        entry = table[m.group(1)]
        before = text[max(0, m.start() - 2) : m.start()]
        if entry["short"] and not (before == ", " or before.endswith("-")):
            continue
        row = _row_of(ix, entry)
        if row is None:
            continue
        key = normalise(ix.name[row])
        out.append(_mention(text, m.start(), m.end(), key, ((row, PRIMARY),), spans))
    return out


def _prefixed_names(text: str, ix: Index, spans: list[tuple[int, int]]) -> list[PlaceMention]:
    out: list[PlaceMention] = []
    if "St" not in text and "Ft" not in text and "Mt" not in text:
        return out  # a quick test: most articles have none
    for m in _SAINT.finditer(text):
        words = m.group(2).split(" ")
        before = _WORD_BEFORE.search(text, max(0, m.start() - 16), m.start())
        heads = [(before.start(1), normalise(before.group(1)) + " ")] if before else []
        found = None
        for head_start, head in [*heads, (m.start(), "")]:  # "Sault Ste. Marie" first
            for n in range(len(words), 0, -1):
                name = normalise(" ".join(words[:n]))
                keys = [f"{head}{prefix} {name}" for prefix in _EXPAND[m.group(1).lower()]]
                cands = dict.fromkeys(c for key in keys for c in ix.candidates(key))
                if cands:
                    end = m.start(2) + len(" ".join(words[:n]))
                    found = _mention(text, head_start, end, keys[0], tuple(cands), spans)
                    break
            if found is not None:
                out.append(found)
                break
    return out


def _hyphen_parts(
    text: str, ix: Index, spans: list[tuple[int, int]], mentions: list[PlaceMention]
) -> list[PlaceMention]:
    """Return the places inside hyphenated words: "Toronto-based", "EU-Canada" talks.

    Only countries, regions, unions, their demonyms ("Egyptian-US relations") and cities
    of 100,000 or more count: a small town's name inside a compound is more often a
    school district or a company. The first part may continue a name begun by the words
    before it ("New York-based").
    """
    covered = Spans((m.start, m.end) for m in mentions)
    out = []
    for begin, finish in _compounds(text):
        if covered.encloses(begin, finish):
            continue
        pos = begin
        parts = text[begin:finish].split("-")
        nation = False  # whether the part before names a country or a region
        for i, part in enumerate(parts):
            start, pos = pos, pos + len(part) + 1
            short = len(part) <= 3
            if not part[:1].isupper() or (short and not part.isupper()):
                nation = False
                continue
            if covered.overlaps(start, start + len(part)):
                nation = False
                continue  # the gazetteer's own match across the word wins
            found = _head_name(text, start, part, ix) if i == 0 else None
            if found is None:
                # "Israeli-Egyptian peace" names two countries; "African-American",
                # "un-American" and "Anglo-Americans" name none
                found = start, normalise(part), _part_candidates(ix, part, i > 0 and not nation)
            nation = any(ix.scalars.kind[r] in (COUNTRY, REGION) for r, _ in found[2])
            if found[2]:
                out.append(_mention(text, found[0], start + len(part), found[1], found[2], spans))
    return out


def _compounds(text: str) -> Iterator[tuple[int, int]]:
    """Yield the spans of words of letters joined by hyphens ("Toronto-based", "EU-Canada").

    Found from each hyphen (``str.find``), not by a regular expression over the text: four
    times faster on news articles, which have few hyphens.
    """
    n = len(text)
    j = text.find("-")
    while j >= 0:
        if not (0 < j < n - 1 and text[j - 1].isalpha() and text[j + 1].isalpha()):
            j = text.find("-", j + 1)
            continue
        start = j - 1
        while start > 0 and text[start - 1].isalpha():
            start -= 1
        end = j + 1
        while end < n and (
            text[end].isalpha() or (text[end] == "-" and end + 1 < n and text[end + 1].isalpha())
        ):
            end += 1
        if not (start and _word_char(text[start - 1])) and not (end < n and _word_char(text[end])):
            yield start, end
        j = text.find("-", end)


def _word_char(c: str) -> bool:
    return c.isalnum() or c == "_"


def _head_name(
    text: str, start: int, part: str, ix: Index
) -> tuple[int, str, tuple[tuple[int, int], ...]] | None:
    """Return (start, key, candidates) of a name that ends with a compound's first part."""
    before = _WORDS_BEFORE.search(text, max(0, start - 40), start)
    if before is None:
        return None
    words = before.group(1).split()
    for k in range(len(words)):  # the longest name first
        head = " ".join(words[k:])
        cands = _part_candidates(ix, f"{head} {part}", False)
        if cands:
            return start - len(head) - 1, normalise(f"{head} {part}"), cands
    return None


def _part_candidates(ix: Index, part: str, ethnic: bool) -> tuple[tuple[int, int], ...]:
    """Return the candidates a part of a hyphenated word may name (see :func:`_hyphen_parts`)."""
    at = ix.scalars
    kind = at.kind
    short = len(part) <= 3
    return tuple(
        (r, f)
        for r, f in ix.candidates(normalise(part))
        if not ((short or ethnic) and f == DEMONYM)
        and not (short and kind[r] in (CITY, REGION))
        and (kind[r] != CITY or at.population[r] >= _PROMINENT or at.capital[r])
    )


def _county_lists(text: str, ix: Index, spans: list[tuple[int, int]]) -> list[PlaceMention]:
    """Return each name of a list of counties: "Clay, Grant and Swift counties"."""
    out: list[PlaceMention] = []
    end = text.find("ounties")
    while end > 0:  # a list ends at each "counties": matched back from there, not scanned for
        m = _COUNTY_LIST.search(text, max(0, end - 300), end + 7)
        end = text.find("ounties", end + 7)
        if m is None:
            continue
        for name in _COUNTY_NAME.finditer(m.group(1)):
            words = name.group().split(" ")
            for k in range(len(words)):  # "In Becker, Clay ...": the name may start later
                key = normalise(" ".join(words[k:])) + " county"
                cands = ix.candidates(key)
                if cands:
                    start = m.start(1) + name.start() + len(" ".join(words[:k])) + (k > 0)
                    end = m.start(1) + name.end()
                    out.append(_mention(text, start, end, key, tuple(cands), spans))
                    break
    return out


def _site_names(text: str, ix: Index, spans: list[tuple[int, int]]) -> list[PlaceMention]:
    """Return bases named with a number or a lower-case type: "Engels-2", "Saky air base"."""
    out: list[PlaceMention] = []
    for m in _HYPHEN_NUMBER.finditer(text):  # a literal first: a fast scan
        start = m.start()
        while start > 0 and text[start - 1].isalpha():
            start -= 1
        if start == m.start() or not text[start].isupper():
            continue
        key = normalise(text[start : m.end()])
        cands = ix.candidates(key)
        if cands:
            out.append(_mention(text, start, m.end(), key, tuple(cands), spans))
    if "air" not in text and "naval base" not in text:
        return out  # a quick test: most articles name no base
    for m in _SITE_TYPE.finditer(text):
        before = _NAME_BEFORE.search(text, max(0, m.start() - 60), m.start())
        if before is None:
            continue
        words = before.group(1).split(" ")
        for k in range(len(words)):  # "The Saky air base": the name may start later
            name = " ".join(words[k:])
            keys = [normalise(f"{name} {kind}") for kind in (m.group(1), *_SITE_TYPES)]
            sites = dict.fromkeys(c for key in keys for c in ix.candidates(key))
            sites |= dict.fromkeys(
                (r, f) for r, f in ix.candidates(normalise(name)) if ix.scalars.kind[r] == POI
            )
            if sites:
                out.append(
                    _mention(text, m.start() - len(name), m.end(), keys[0], tuple(sites), spans)
                )
                break
    return out


def _datelines(text: str, ix: Index, spans: list[tuple[int, int]]) -> list[PlaceMention]:
    """Return the all-capitals place that opens a line before a dash ("KYIV —")."""
    out = []
    for m in _DATELINE.finditer(text):
        cands = ix.candidates(normalise(m.group(1)))
        if cands:
            key = normalise(m.group(1))
            out.append(_mention(text, m.start(1), m.end(1), key, tuple(cands), spans))
    return out


def _mention(
    text: str,
    start: int,
    end: int,
    key: str,
    candidates: tuple[tuple[int, int], ...],
    spans: list[tuple[int, int]],
) -> PlaceMention:
    sentence = max(0, bisect.bisect_right(spans, (start, float("inf"))) - 1)
    return PlaceMention(start, end, text[start:end], key, candidates, sentence)


def _row_of(ix: Index, entry: dict[str, Any]) -> int | None:
    if "region" in entry:
        return _region_rows(ix).get(entry["region"])
    hits = np.flatnonzero(np.asarray(ix.geonameid) == int(entry["geonameid"]))
    return int(hits[0]) if len(hits) else None


_REGION_ROWS: dict[int, dict[str, int]] = {}


def _region_rows(ix: Index) -> dict[str, int]:
    found = _REGION_ROWS.get(id(ix))
    if found is None:
        rows = np.flatnonzero(np.asarray(ix.kind) == REGION)
        found = {str(ix.code[r]): int(r) for r in rows.tolist() if ix.code[r]}
        _REGION_ROWS.clear()
        _REGION_ROWS[id(ix)] = found
    return found


@functools.lru_cache(maxsize=1)
def _table() -> dict[str, dict[str, Any]]:
    path = settings.data_path("gazetteer", "abbreviations.json")
    return {e["text"]: e for e in json.loads(path.read_text(encoding="utf-8"))}


@functools.lru_cache(maxsize=1)
def _pattern() -> re.Pattern[str]:
    # No look-behind in front: a pattern that starts with literals is scanned 4x faster.
    texts = sorted(_table(), key=len, reverse=True)
    return re.compile("(" + "|".join(map(re.escape, texts)) + r")(?![A-Za-z])")


_NOT_BEFORE_ABBREVIATION = frozenset(string.ascii_letters + ".")


def _abbreviation_matches(text: str) -> Iterator[re.Match[str]]:
    """Yield the abbreviations of ``text`` that no ASCII letter or dot precedes."""
    pattern, pos = _pattern(), 0
    while (m := pattern.search(text, pos)) is not None:
        if m.start() and text[m.start() - 1] in _NOT_BEFORE_ABBREVIATION:
            pos = m.start() + 1  # a shorter abbreviation may still start later inside it
            continue
        yield m
        pos = m.end()
