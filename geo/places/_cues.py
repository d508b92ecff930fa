"""The words around a name that rule readings in or out, before any scoring.

A name after "Lake" or before "University" is part of a longer name; "X river" is water;
"the Red River" is no county's bare name; people's names and the bare surnames of the
article's people are no places, nor is a village named like a common surname said with no
place cue; "the city of X" makes X a city in the whole article.
"""

from __future__ import annotations

import dataclasses
import re

from geo.places.extract import PlaceMention
from geo.places.gazetteer import BASE, BUILDING, CITY, PRIMARY, REGION, WATER, Index
from geo.places.people import People, surname_keys

# ----------------------------------------------------------------------------- features

#: Words after a name that make it a natural feature ("the Oskil river").
_FEATURE_WORDS = re.compile(
    r"^ (?:river|sea|lake|ocean|desert|peninsula|mountains|strait|gulf|bay|delta|canal)\b",
    re.IGNORECASE,
)


_PART_OF_LONGER = re.compile(r"^ ([A-Z][a-z]+)\b")
#: Words before a name that make it part of a feature's name ("Lake Ontario").
_FEATURE_BEFORE = (
    " Lake ",
    " Mount ",
    " Cape ",
    *(f" {w} of " for w in ["Gulf", "Bay", "Sea", "Strait", "Isle"]),
)
#: Words before a name that make it a city, town or village ("the city of Turkey").
_CITY_BEFORE = tuple(f"{w} of " for w in ["city", "City", "town", "Town", "village", "Village"])
_LONGER_NAME_WORDS = frozenset(
    [
        "colony",
        "township",
        "junction",
        "borough",
        "city",
        "village",
        "town",
        "heights",
        "park",
        "street",
        "avenue",
        "road",
        "square",
        "station",
        "university",
        "college",
        "school",
        "hospital",
    ]
)


def features(text: str, mentions: list[PlaceMention], ix: Index) -> list[PlaceMention]:
    """Keep only water and land-feature readings of a name said as a feature ("X river").

    A name followed by a capitalised word such as "Colony", "Township", "Park" or
    "University" that the gazetteer did not match with it is part of a longer name (a
    place or an institution we do not know): it is dropped, the longest name wins.

    A name followed by a feature word that the gazetteer did not match as a whole is a
    river, sea or desert, never the town of that name: its town readings are dropped.
    So are the bare-name readings of a name that says it is water ("Red River" for Red
    River County).
    """
    out = []
    for m in mentions:
        part = _PART_OF_LONGER.match(text[m.end : m.end + 16])
        if part and part.group(1).lower() in _LONGER_NAME_WORDS:
            continue  # "Tennessee Colony", "Ohio University": a longer name we do not know
        if text.endswith(_FEATURE_BEFORE, max(0, m.start - 10), m.start):
            continue  # "Lake Ontario", "Gulf of Alaska": a feature we do not know
        if _FEATURE_WORDS.match(text[m.end : m.end + 12]):
            keep = tuple((r, f) for r, f in m.candidates if ix.scalars.kind[r] in (WATER, REGION))
            keep = tuple(
                (r, f)
                for r, f in keep
                if ix.scalars.geonameid[r] < 0 or ix.scalars.kind[r] == WATER
            )
            if not keep:
                continue
            m = dataclasses.replace(m, candidates=keep)
        elif says_water_key(m.key) and any(f == BASE for _, f in m.candidates):
            # "the Red River" is the river, not Red River County by its bare name
            keep = tuple((r, f) for r, f in m.candidates if f != BASE)
            if not keep:
                continue
            m = dataclasses.replace(m, candidates=keep)
        out.append(m)
    return out


# ----------------------------------------------------------------------------- people


def without_people(
    mentions: list[PlaceMention], people: People, ix: Index, text: str
) -> list[PlaceMention]:
    """Drop mentions inside a person's name, and bare surnames of the article's people.

    A bare surname stays a place when it is said with a region word or a container
    ("Jones, Oklahoma"), or when it names a country, a capital, or a region or city of a
    million.
    """
    kept: dict[int, int] = {}
    for i, m in enumerate(mentions):
        if people.covers(m.start, m.end):
            continue
        bare = m.key in people.surnames and not (m.cue or m.container is not None)
        if bare and not any(_major(ix, r, f) for r, f in m.candidates):
            continue
        if _hamlet_surname(m, ix, text):
            continue
        kept[i] = len(kept)
    out = []
    for i in kept:
        m, container = mentions[i], mentions[i].container
        out.append(
            m if container is None else dataclasses.replace(m, container=kept.get(container))
        )
    return out


def _hamlet_surname(m: PlaceMention, ix: Index, text: str) -> bool:
    """Return whether a name is a common surname only hamlets bear, said with no place cue.

    "Welch said", "a Lincoln impersonator": a village of under 10,000 people or a county's
    bare name ("Lincoln" for Lincoln County) named like a common surname needs "in X",
    "of X", "X, State" or a region word to be read as a place.
    """
    if m.cue or m.locative or m.container is not None or m.key not in surname_keys():
        return False
    if text.endswith(" of ", max(0, m.start - 4), m.start):
        return False  # "the town of Virden", "Vernon Adkins, 40, of McKee"
    return all(
        f == BASE or (ix.scalars.kind[r] == CITY and int(ix.scalars.population[r]) < 10_000)
        for r, f in m.candidates
    )


def _major(ix: Index, row: int, flag: int) -> bool:
    kind = int(ix.scalars.kind[row])
    if flag not in (PRIMARY, BUILDING):
        return False
    pop = int(ix.scalars.population[row])
    if kind == REGION:  # a state, not Flores Department (Uruguay) for Ms Flores
        return pop < 0 or pop >= 1_000_000
    return kind != CITY or bool(ix.scalars.capital[row]) or pop >= 1_000_000


_WATER_WORDS = frozenset(
    [
        "sea",
        "ocean",
        "gulf",
        "lake",
        "river",
        "bay",
        "strait",
        "delta",
        "canal",
        "channel",
        "sound",
        "lagoon",
    ]
)


def says_water_key(key: str) -> bool:
    """Return whether a name key has a water word ("red sea"); one-word keys have none."""
    return " " in key and not _WATER_WORDS.isdisjoint(key.split())


def city_cues(text: str, mentions: list[PlaceMention]) -> frozenset[str]:
    """Return the keys of names said after "city of", "town of" or "village of"."""
    return frozenset(
        m.key for m in mentions if text.endswith(_CITY_BEFORE, max(0, m.start - 10), m.start)
    )
