"""People's names in article text: who is a person, so their names are no places.

"Tom Jones" (a given name, then a common surname) is a person, and so is a later bare
"Jones"; so is "Jones" in "Jones said" and the name after a title ("Gov. Perry"). A place
name inside a person's name ("Georgia Stevens", "Jordan Peterson") or an organisation's
("United Russia", "Air Canada Cargo") is no place. The given
names and surnames are the 1990 US Census lists in ``data/gazetteer/people.json``.
"""

from __future__ import annotations

import functools
import json
import re
from dataclasses import dataclass, field

from geo import settings
from geo.places._spans import Spans
from geo.places.names import LOCATIVES, TITLES, normalise

_MAX_NAME_WORDS = 4
_WORD = re.compile(r"[A-Z]\.|[A-Z][A-Za-z'’\-]*")
_SPEECH = re.compile(r"^,? (?:said|says|told|added|wrote|asked|argued|explained)\b")
#: Surnames that are also words for geographic features: "Virginia Beach" is no person.
GEO_WORDS: frozenset[str] = frozenset(
    [
        "street",
        "park",
        "hill",
        "hills",
        "lake",
        "beach",
        "valley",
        "river",
        "mountain",
        "mountains",
        "falls",
        "springs",
        "spring",
        "bay",
        "harbor",
        "harbour",
        "square",
        "center",
        "centre",
        "hall",
        "church",
        "bridge",
        "field",
        "fields",
        "wood",
        "woods",
        "rock",
        "brook",
        "forest",
        "green",
        "north",
        "south",
        "east",
        "west",
        "post",
        "power",
        "island",
        "islands",
        "point",
        "heights",
        "creek",
        "ridge",
        "grove",
        "mill",
        "mills",
        "port",
        "castle",
        "cliff",
        "stone",
        "county",
        "city",
        "town",
        "village",
        "state",
        "university",
        "college",
        "school",
        "airport",
        "station",
        "road",
        "avenue",
        "lane",
        "court",
        "house",
    ]
)


#: Words that make a run of capitalised words an organisation's name ("Air Canada Cargo").
ORG_WORDS: frozenset[str] = frozenset(
    [
        "air",
        "airlines",
        "airways",
        "cargo",
        "party",
        "bank",
        "corp",
        "corporation",
        "inc",
        "company",
        "co",
        "group",
        "holdings",
        "times",
        "herald",
        "tribune",
        "journal",
        "gazette",
        "telegraph",
        "press",
        "fc",
        "club",
        "motors",
        "petroleum",
        "telecom",
        "airlines",
        "railways",
        "institute",
        "foundation",
    ]
)


@dataclass(frozen=True)
class People:
    """Character spans of people's and organisations' names, and the people's surnames."""

    spans: tuple[tuple[int, int], ...]
    surnames: frozenset[str]
    organisations: tuple[tuple[int, int], ...] = ()
    _names: Spans = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "_names", Spans((*self.spans, *self.organisations)))

    def covers(self, start: int, end: int) -> bool:
        """Return whether ``[start, end)`` lies inside a longer person's or organisation's name.

        One binary search over the names' spans (sorted once): linear overall in the
        number of mentions and names.
        """
        return self._names.encloses(start, end, strictly=True)


def find_people(text: str) -> People:
    """Return the people named in ``text`` (see the module docstring for the rules)."""
    spans: list[tuple[int, int]] = []
    surnames: set[str] = set()
    organisations: list[tuple[int, int]] = []
    for run in _runs(text):
        if _is_organisation(run):
            organisations.append((run[0][0], run[-1][1]))
        span = _person_in_run(run)
        if span is not None:
            a, b = span
            spans.append((run[a][0], run[b][1]))
            surnames.add(_key(run[b][2]))
        last = run[-1]
        if _SPEECH.match(text[last[1] : last[1] + 12]) and _key(last[2]) in _surnames():
            surnames.add(_key(last[2]))
    return People(tuple(spans), frozenset(surnames), tuple(organisations))


def surname_keys() -> frozenset[str]:
    """Return the name keys of common surnames (1990 US Census, 20,000 most frequent)."""
    return _surnames()


# ----------------------------------------------------------------------------- helpers

_Token = tuple[int, int, str]


def _runs(text: str) -> list[list[_Token]]:
    """Return runs of capitalised words separated by single spaces."""
    runs: list[list[_Token]] = []
    for m in _WORD.finditer(text):
        tok = (m.start(), m.end(), m.group())
        prev = runs[-1][-1] if runs else None
        gap = text[prev[1] : m.start()] if prev else ""
        joins = gap == " " or (  # "Gen. Smith"
            gap == ". " and prev is not None and _normalised(prev[2]) in TITLES
        )
        if prev and joins and not prev[2].endswith(("'s", "’s")):
            runs[-1].append(tok)
        else:
            runs.append([tok])
    return runs


def _is_organisation(run: list[_Token]) -> bool:
    """Return whether a run of capitalised words is an organisation ("United Russia")."""
    words = [_key(t[2]) for t in run]
    if len(words) == 2 and words[0] == "united":
        return True
    return len(words) >= 2 and any(w in ORG_WORDS for w in words)


def _person_in_run(run: list[_Token]) -> tuple[int, int] | None:
    """Return (first, last) token indices of the person a run of capitalised words names."""
    words = [_key(t[2]) for t in run]
    last = len(run) - 1
    if words[last] in GEO_WORDS:
        return None
    first = max(0, last - _MAX_NAME_WORDS + 1)  # a name has a few words: bounded work
    for i, word in enumerate(words[first:last], start=first):
        if word in TITLES:
            return i + 1, last
        if word in _first_names() and words[last] in _surnames() and words[last] not in GEO_WORDS:
            middle = words[i + 1 : last]
            if all(len(w) <= 2 or w in _first_names() or w in _surnames() for w in middle):
                return i, last
    return None


@functools.lru_cache(maxsize=1 << 16)
def _key(word: str) -> str:
    return normalise(word.removesuffix("'s").removesuffix("’s"))


_normalised = functools.lru_cache(maxsize=1 << 16)(normalise)


@functools.lru_cache(maxsize=1)
def _lists() -> tuple[frozenset[str], frozenset[str]]:
    path = settings.data_path("gazetteer", "people.json")
    data = json.loads(path.read_text(encoding="utf-8"))
    return (
        _plain_keys(data["first_names"]) - _FUNCTION_WORDS,
        _plain_keys(data["surnames"]) - _FUNCTION_WORDS,
    )


#: Words the census lists hold as names that sentences also start with: "In Columbus, ..."
#: names no person.
_FUNCTION_WORDS = LOCATIVES | frozenset(
    ["an", "so", "my", "many", "just", "than", "more", "her", "you", "he", "via", "near"]
)


def _plain_keys(names: list[str]) -> frozenset[str]:
    """Return the keys of ``names``: plain ASCII names case-folded in one call (fast start)."""
    joined = "\n".join(names)
    if joined.isascii() and joined.replace("\n", "").isalpha() and "\n\n" not in joined:
        return frozenset(joined.casefold().split("\n"))  # three calls for the census lists
    return frozenset(_plain_key(n) for n in names)


def _plain_key(name: str) -> str:
    """Return ``normalise(name)``, quickly for plain ASCII letters (the census lists)."""
    return name.casefold() if name.isascii() and name.isalpha() else normalise(name)


def _first_names() -> frozenset[str]:
    return _lists()[0]


def _surnames() -> frozenset[str]:
    return _lists()[1]
