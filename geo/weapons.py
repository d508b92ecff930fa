"""The weapons catalogue, and weapon and range mentions in text.

The catalogue (``data/weapons/catalogue.toml``) lists systems with their aliases,
type, operators and ranges; every range figure names its source, and where sources
disagree every figure is kept. :func:`weapons_in_text` finds systems named in an
article and the ranges the text itself states ("about 190 miles", "up to 300
kilometers"); both figures are kept so the user can choose.
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

from geo._errors import InputError, NotFoundError
from geo.settings import data_path

__all__ = [
    "TYPES",
    "RangeFigure",
    "Source",
    "StatedRange",
    "UnlistedWeapon",
    "WeaponMention",
    "WeaponSystem",
    "catalogue",
    "find_weapon",
    "load_catalogue",
    "sentences",
    "stated_ranges",
    "unlisted_weapons",
    "weapons_in_text",
]

#: The kinds of system the catalogue knows.
TYPES: frozenset[str] = frozenset(
    {
        "ballistic missile",
        "cruise missile",
        "rocket artillery",
        "glide bomb",
        "air defence",
        "drone",
        "anti-ship missile",
    }
)

_KM_PER_UNIT = {"km": 1.0, "mi": 1.609344, "nmi": 1.852}
_MAX_TEXT = 2_000_000


@dataclass(frozen=True)
class Source:
    """Where a figure comes from."""

    publisher: str
    title: str
    date: str
    url: str

    def __post_init__(self) -> None:
        for name in ("publisher", "title", "date"):
            if not getattr(self, name).strip():
                raise InputError(f"source {self.url!r} has an empty {name}")
        if not self.url.startswith("https://"):
            raise InputError(f"source url must start with https://, got {self.url!r}")


@dataclass(frozen=True)
class RangeFigure:
    """One published range of a system (or one variant of it), with its source."""

    max_km: float
    source: Source
    min_km: float | None = None
    variant: str = ""
    note: str = ""
    primary: bool = False

    def __post_init__(self) -> None:
        if not self.max_km > 0:
            raise InputError(f"max_km must be positive, got {self.max_km}")
        if self.min_km is not None and not 0 <= self.min_km < self.max_km:
            raise InputError(
                f"min_km must be at least 0 and below max_km, got {self.min_km} "
                f"for max_km {self.max_km}"
            )


@dataclass(frozen=True)
class WeaponSystem:
    """A weapon system from the catalogue.

    ``range_km`` is the primary figure (drawn by default); ``range_km_low`` and
    ``range_km_high`` span every figure the sources give.
    """

    id: str
    name: str
    type: str
    operators: tuple[str, ...]
    aliases: tuple[str, ...]
    ranges: tuple[RangeFigure, ...]
    full_name: str = ""
    launch: str = ""
    needs_context: bool = False
    launchers: tuple[str, ...] = ()
    note: str = ""

    def __post_init__(self) -> None:
        if not re.fullmatch(r"[a-z0-9]+(?:-[a-z0-9]+)*", self.id):
            raise InputError(f"weapon id must be lowercase-with-dashes, got {self.id!r}")
        if self.type not in TYPES:
            raise InputError(f"{self.id}: type must be one of {sorted(TYPES)}, got {self.type!r}")
        bad = [c for c in self.operators if not re.fullmatch(r"[A-Z]{2}", c)]
        if not self.operators or bad:
            raise InputError(f"{self.id}: operators must be ISO alpha-2 codes, got {bad or '[]'}")
        if not self.ranges:
            raise InputError(f"{self.id}: needs at least one range")
        if sum(r.primary for r in self.ranges) != 1:
            raise InputError(f"{self.id}: exactly one range must be primary")
        if not self.aliases:
            raise InputError(f"{self.id}: needs at least one alias")

    @property
    def primary(self) -> RangeFigure:
        """The figure drawn by default."""
        return next(r for r in self.ranges if r.primary)

    @property
    def range_km(self) -> float:
        """The primary maximum range in km."""
        return self.primary.max_km

    @property
    def min_km(self) -> float | None:
        """The primary minimum range in km, if published."""
        return self.primary.min_km

    @property
    def range_km_low(self) -> float:
        """The lowest maximum range any source gives."""
        return min(r.max_km for r in self.ranges)

    @property
    def range_km_high(self) -> float:
        """The highest maximum range any source gives."""
        return max(r.max_km for r in self.ranges)

    @property
    def sources_disagree(self) -> bool:
        """Whether the sources give different maximum ranges."""
        return self.range_km_low != self.range_km_high

    def to_dict(self) -> dict[str, Any]:
        """Return a JSON-safe summary (ranges with their sources)."""
        return {
            "id": self.id,
            "name": self.name,
            "full_name": self.full_name,
            "type": self.type,
            "launch": self.launch,
            "operators": list(self.operators),
            "aliases": list(self.aliases),
            "range_km": self.range_km,
            "min_km": self.min_km,
            "range_km_low": self.range_km_low,
            "range_km_high": self.range_km_high,
            "sources_disagree": self.sources_disagree,
            "ranges": [
                {
                    "variant": r.variant,
                    "max_km": r.max_km,
                    "min_km": r.min_km,
                    "primary": r.primary,
                    "note": r.note,
                    "source": vars(r.source).copy(),
                }
                for r in self.ranges
            ],
        }


@dataclass(frozen=True)
class StatedRange:
    """A range stated in a text: its words, its value in km and where it is."""

    text: str
    km: float
    low_km: float | None
    start: int
    end: int
    sentence: str


@dataclass(frozen=True)
class WeaponMention:
    """A catalogue system named in a text, with any ranges the text states for it."""

    system: WeaponSystem
    surfaces: tuple[str, ...]
    spans: tuple[tuple[int, int], ...]
    stated: tuple[StatedRange, ...] = field(default=())
    sentence: str = ""

    @property
    def stated_range_km(self) -> float | None:
        """The first range the text states for this system, in km."""
        return self.stated[0].km if self.stated else None

    @property
    def stated_range_text(self) -> str | None:
        """The words of the first range the text states for this system."""
        return self.stated[0].text if self.stated else None

    def to_dict(self) -> dict[str, Any]:
        """Return a JSON-safe record: the catalogue's figures and the text's, side by side."""
        return {
            "id": self.system.id,
            "name": self.system.name,
            "type": self.system.type,
            "operators": list(self.system.operators),
            "surfaces": list(self.surfaces),
            "spans": [list(s) for s in self.spans],
            "catalogue_range_km": self.system.range_km,
            "catalogue_min_km": self.system.min_km,
            "catalogue_range_km_low": self.system.range_km_low,
            "catalogue_range_km_high": self.system.range_km_high,
            "stated_range_km": self.stated_range_km,
            "stated_range_text": self.stated_range_text,
            "stated_ranges": [
                {"text": s.text, "km": s.km, "low_km": s.low_km, "sentence": s.sentence}
                for s in self.stated
            ],
            "sentence": self.sentence,
        }


# --- the catalogue ----------------------------------------------------------------------------


def load_catalogue(path: Path) -> list[WeaponSystem]:
    """Read and validate a catalogue TOML file.

    Raises
    ------
    InputError
        If an entry is malformed, names an unknown source, or an alias is used twice.
    """
    try:
        raw = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, tomllib.TOMLDecodeError) as exc:
        raise InputError(f"cannot read the weapons catalogue {path}: {exc}") from exc
    sources = {key: Source(**value) for key, value in raw.get("sources", {}).items()}
    systems = [_system(entry, sources) for entry in raw.get("systems", [])]
    seen: dict[str, str] = {}
    for system in systems:
        for key in {_key(a) for a in (*system.aliases, system.name, system.id)}:
            if seen.setdefault(key, system.id) != system.id:
                raise InputError(f"alias {key!r} names both {seen[key]} and {system.id}")
    return systems


@cache
def catalogue() -> list[WeaponSystem]:
    """Return the bundled catalogue (loaded once)."""
    return load_catalogue(data_path("weapons", "catalogue.toml"))


def find_weapon(name: str) -> WeaponSystem:
    """Return the system named ``name`` (id, name or alias; case and dashes ignored).

    Raises
    ------
    NotFoundError
        If no system has that name; the message suggests close names.
    """
    index = _alias_index()
    system = index.get(_key(name))
    if system is not None:
        return system
    from rapidfuzz import process

    names = sorted({s.name for s in catalogue()} | {a for s in catalogue() for a in s.aliases})
    close = [m[0] for m in process.extract(name, names, limit=3, score_cutoff=60)]
    hint = f"; did you mean {', '.join(close)}?" if close else ""
    raise NotFoundError(f"unknown weapon {name!r}{hint} (see `rangemap weapons --list`)")


# --- text -------------------------------------------------------------------------------------


def weapons_in_text(text: str) -> list[WeaponMention]:
    """Find catalogue systems named in ``text`` and the ranges the text states for them.

    A stated range attaches to the system named closest before it in the same
    sentence; a sentence that names no system but opens with "The/These ...
    missiles/weapons/systems" (or "It"/"They") refers to the previous sentence's.

    Returns
    -------
    list[WeaponMention]
        One record per system, in order of first mention.
    """
    _check_text(text)
    sentences = _sentences(text)
    hits = [h for h in _weapon_hits(text) if _accept(h, text, sentences)]
    found: dict[str, dict[str, Any]] = {}
    for system, start, end in hits:
        rec = found.setdefault(system.id, {"system": system, "spans": [], "stated": []})
        rec["spans"].append((start, end))
    for stated in stated_ranges(text):
        owner = _owner(stated, hits, sentences, text)
        if owner is not None:
            found[owner.id]["stated"].append(stated)
    out = []
    for rec in found.values():
        spans = tuple(rec["spans"])
        first = (
            rec["stated"][0].sentence
            if rec["stated"]
            else _sentence_of(spans[0][0], sentences, text)
        )
        surfaces = tuple(dict.fromkeys(text[a:b] for a, b in spans))
        out.append(WeaponMention(rec["system"], surfaces, spans, tuple(rec["stated"]), first))
    return out


def stated_ranges(text: str) -> list[StatedRange]:
    """Return every distance in ``text`` with a range cue in its sentence, in km.

    Understands "about 190 miles", "up to 300 kilometers", "a 500-km range",
    "1,500 to 2,000 km", "300km", "186-mile"; areas and speeds are skipped, and so is a
    distance a missile flew ("flew about 600 km", "travelled 1,000 km"): that is one flight,
    not its range. Miles are converted to km to the precision the text meant: "about 2,500
    miles" is 4,000 km (as many significant figures as the words, at least two).
    """
    _check_text(text)
    sentences = _sentences(text)
    out = []
    for m in _DISTANCE.finditer(text):
        sentence = _sentence_of(m.start(), sentences, text)
        hyphenated = re.search(r"\d-\s*[a-z]", m.group(0), re.IGNORECASE)  # "a 500-km missile"
        if not (hyphenated or _RANGE_CUE.search(sentence)):
            continue
        if _FLIGHT.search(text[max(0, m.start() - 40) : m.start()]):
            continue
        factor = _unit_factor(m["unit"])
        high = _converted(m["b"] or m["a"], factor)
        low = _converted(m["a"], factor) if m["b"] else None
        words = text[m.start() : m.end()].strip()
        out.append(StatedRange(words, high, low, m.start(), m.end(), sentence))
    return out


@dataclass(frozen=True)
class UnlistedWeapon:
    """A weapon the catalogue does not know, named in a text together with a stated range."""

    name: str
    stated: StatedRange
    start: int
    end: int


def unlisted_weapons(text: str) -> list[UnlistedWeapon]:
    """Return weapons the catalogue does not know that the text gives a range for.

    A stated range that belongs to no catalogue system is given to a capitalised name
    written as weapons are in its sentence: "the Fattah, a missile that ... can travel
    1,400 kilometers", "its Toufan missile can travel about 1,950 km". Country names,
    demonyms and common capitalised words are not weapon names.
    """
    _check_text(text)
    spans = _sentences(text)
    hits = [h for h in _weapon_hits(text) if _accept(h, text, spans)]
    out: dict[str, UnlistedWeapon] = {}
    for stated in stated_ranges(text):
        if _owner(stated, hits, spans, text) is not None:
            continue
        a = spans[_sentence_index(stated.start, spans)][0]
        for m in _UNLISTED.finditer(text, a, stated.start):
            name = m["name"].strip()
            if _plausible_name(name) and name.casefold() not in out:
                out[name.casefold()] = UnlistedWeapon(name, stated, m.start("name"), m.end("name"))
                break
    return list(out.values())


def sentences(text: str) -> list[tuple[int, int]]:
    """Return the sentence spans of ``text`` ("U.S." and other abbreviations do not split)."""
    _check_text(text)
    return _sentences(text)


# --- helpers ----------------------------------------------------------------------------------

_NUM = r"\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?"
_UNIT = r"nautical[\s-]+miles?|kilomet(?:er|re)s?|km|miles?|mi|nmi"
_DISTANCE = re.compile(
    rf"(?:(?:about|around|approximately|roughly|some|nearly|almost|up\s+to|more\s+than|over|"
    rf"at\s+least|as\s+far\s+as|as\s+much\s+as|between|beyond)\s+)?"
    rf"(?P<a>{_NUM})(?:\s*(?:to|-|–|—|and)\s*(?P<b>{_NUM}))?[\s-]*(?P<unit>{_UNIT})"
    rf"(?![\w²])(?!\s*(?:/\s*h|per\s+hour|an\s+hour|a\s+second|squared|2\b))",
    re.IGNORECASE,
)
_FLIGHT = re.compile(
    r"\b(?:flew|flown|flying|travell?ed|covered|landed|fell|splashed\s+down|after)\b"
    r"(?:\s+[\w,-]+){0,3}\s*$",
    re.IGNORECASE,
)
_UNLISTED = re.compile(
    r"\b(?:the|its|their|a|an|new|fired|fires|launched|launches|using|used|with)\s+(?P<name>[A-Z][\w]*(?:[-\s][A-Z0-9][\w]*)?(?:-\d+\w*)?)"
    r"(?:\s*,\s*(?:a|an|the)\s+(?:[\w-]+\s+){0,3}?|\s+(?:[a-z-]+\s+){0,2}?)"
    r"(?:missiles?|rockets?|drones?|cruise|ballistic|hypersonic|interceptors?|weapons?)\b"
)
#: Capitalised words that open a phrase but never name a weapon ("the New missile").
_NOT_NAMES = frozenset(
    {"new", "the", "this", "that", "these", "those", "its", "their", "our", "his", "her",
     "first", "second", "last", "next", "ballistic", "cruise", "hypersonic", "supersonic",
     "nuclear", "long", "short", "medium", "intermediate", "anti", "air", "surface", "land",
     "sea", "ground", "western", "eastern", "northern", "southern", "north", "south", "east",
     "west", "us", "u.s", "uk", "un", "nato", "soviet", "american", "houthi", "houthis"}
)  # fmt: skip
_RANGE_CUE = re.compile(
    r"\b(?:range|ranges|reach|away|strike|strikes|hit|hits|fly|flies|travel|travels|distance|"
    r"capable|striking)\b",
    re.IGNORECASE,
)
_CONTEXT = re.compile(
    r"\b(?:missiles?|rockets?|systems?|launchers?|batter(?:y|ies)|interceptors?|drones?|"
    r"munitions?|weapons?|air[\s-]defen[cs]e|strikes?|warheads?|bombs?|cruise|ballistic)\b",
    re.IGNORECASE,
)
_ANAPHOR = re.compile(
    r"^\W*(?:(?:the|these|those|this|such|their|its)\b[^.!?]{0,80}?\b"
    r"(?:missiles?|weapons?|systems?|rockets?|munitions?|drones?|launchers?)\b|it\b|they\b)",
    re.IGNORECASE,
)
_ABBREVIATIONS = re.compile(
    r"(?:\b(?:U\.S|U\.K|U\.N|Mr|Mrs|Ms|Dr|St|Gen|Lt|Col|Sgt|Capt|Maj|Adm|Rep|Sen|Gov|Jan|Feb|"
    r"Mar|Apr|Aug|Sept?|Oct|Nov|Dec|No|vs|e\.g|i\.e|approx|est)|\b[A-Z])\.$"
)


def _system(entry: dict[str, Any], sources: dict[str, Source]) -> WeaponSystem:
    entry = dict(entry)
    ranges = []
    for r in entry.pop("ranges", []):
        r = dict(r)
        key = r.pop("source", None)
        if key not in sources:
            raise InputError(f"{entry.get('id')}: range cites unknown source {key!r}")
        ranges.append(RangeFigure(source=sources[key], **r))
    for name in ("operators", "aliases", "launchers"):
        entry[name] = tuple(entry.get(name, ()))
    try:
        return WeaponSystem(ranges=tuple(ranges), **entry)
    except TypeError as exc:
        raise InputError(f"weapons catalogue entry {entry.get('id')!r}: {exc}") from exc


def _converted(number: str, factor: float) -> float:
    """Return a distance in km, to the precision the words meant (see :func:`stated_ranges`)."""
    value = _number(number)
    if factor == 1.0:
        return round(value, 1)
    whole, _, fraction = number.replace(",", "").partition(".")
    significant = max(
        2, len(whole.lstrip("0").rstrip("0") if not fraction else whole) + len(fraction)
    )
    return float(f"{value * factor:.{significant}g}")


def _plausible_name(name: str) -> bool:
    first = name.split()[0].split("-")[0].casefold()
    return first not in _NOT_NAMES and first not in _demonyms() and len(name) >= 3


@cache
def _demonyms() -> frozenset[str]:
    """Country demonyms ("Iranian", "North Korean" → "north"), which are not weapon names."""
    import json

    raw = json.loads(data_path("gazetteer", "countries.json").read_text(encoding="utf-8"))
    words = {
        w.strip().split()[0].casefold()
        for v in raw.values()
        for w in (v.get("demonym") or "").split(",")
        if w.strip()
    }
    return frozenset(words)


def _key(name: str) -> str:
    return re.sub(r"[\s\-‐‑–—_’']+", "", name).casefold()


@cache
def _alias_index() -> dict[str, WeaponSystem]:
    index = {}
    for system in catalogue():
        for alias in (system.id, system.name, *system.aliases):
            index[_key(alias)] = system
    return index


@cache
def _alias_pattern() -> re.Pattern[str]:
    aliases = sorted({a for s in catalogue() for a in s.aliases}, key=len, reverse=True)
    parts = []
    for alias in aliases:
        bits = [re.escape(b) for b in re.split(r"[\s\-‐‑–]+", alias)]
        parts.append(r"[\s\-‐‑–]?".join(bits))
    return re.compile(rf"(?<![\w\-])(?:{'|'.join(parts)})(?:s|es)?(?![\w\-])", re.IGNORECASE)


def _weapon_hits(text: str) -> list[tuple[WeaponSystem, int, int]]:
    index = _alias_index()
    hits = []
    for m in _alias_pattern().finditer(text):
        surface = m.group(0)
        system = index.get(_key(surface))
        if system is None:  # a plural: drop the "s"/"es" and look again
            system = index.get(_key(surface[:-1])) or index.get(_key(surface[:-2]))
        if system is not None:
            hits.append((system, m.start(), m.end()))
    return hits


def _accept(
    hit: tuple[WeaponSystem, int, int], text: str, sentences: list[tuple[int, int]]
) -> bool:
    """Apply the case rules: no all-lowercase surfaces; common words need weapon context.

    A name that is also a common word (Patriot, Taurus, Jericho, Tomahawk) counts when a
    weapon word (missile, system, launcher, ...) is in its own sentence, or when another
    mention of the same system in the text has one; a weapon word in a neighbouring
    sentence is not enough ("Jericho is a city in the West Bank").
    """
    system, start, end = hit
    surface = text[start:end]
    letters = [c for c in surface if c.isalpha()]
    if letters and all(c.islower() for c in letters):
        return False
    if _acronym_alias(system, surface) and not _is_acronym(surface):
        return False
    if system.needs_context:
        if not surface[0].isupper():
            return False
        return _in_context(start, text, sentences) or any(
            _in_context(m.start(), text, sentences)
            for m in _alias_pattern().finditer(text)
            if m.start() != start and _alias_index().get(_key(m.group(0))) is system
        )
    return True


def _in_context(start: int, text: str, sentences: list[tuple[int, int]]) -> bool:
    """Whether the sentence at ``start`` has a weapon word and the name is capitalised."""
    if not text[start].isupper():
        return False
    a, b = sentences[_sentence_index(start, sentences)]
    return bool(_CONTEXT.search(text[a:b]))


def _acronym_alias(system: WeaponSystem, surface: str) -> bool:
    """Whether ``surface`` spells an all-capitals alias of ``system`` (ATACMS, SCALP, LORA)."""
    key = _key(surface)
    return any(
        a.isupper() and sum(c.isalpha() for c in a) >= 3 and _key(a) in (key, key[:-1])
        for a in system.aliases
    )


def _is_acronym(surface: str) -> bool:
    """Whether a surface is written as acronyms are: all capitals, or "Atacms" style."""
    word = surface.rstrip("s") if surface[:-1].isupper() else surface
    return word.isupper() or word.istitle()


def _owner(
    stated: StatedRange,
    hits: list[tuple[WeaponSystem, int, int]],
    sentences: list[tuple[int, int]],
    text: str,
) -> WeaponSystem | None:
    """Return the system a stated range belongs to, or None."""
    index = _sentence_index(stated.start, sentences)
    a, b = sentences[index]
    inside = [h for h in hits if a <= h[1] < b]
    if inside:
        before = [h for h in inside if h[1] < stated.start]
        return (before[-1] if before else inside[0])[0]
    if index > 0 and _ANAPHOR.match(text[a:b]):
        pa, pb = sentences[index - 1]
        previous = [h for h in hits if pa <= h[1] < pb]
        if previous:
            return previous[-1][0]
    return None


def _sentences(text: str) -> list[tuple[int, int]]:
    """Split ``text`` into sentence spans (abbreviations such as "U.S." do not split)."""
    spans, start = [], 0
    for m in re.finditer(r"[.!?]+[\"'”’)\]]*(?=\s+[\"“‘'(\[]?[A-Z0-9])|\n\s*\n|\n", text):
        if m.group(0)[0] == "." and _ABBREVIATIONS.search(
            text[max(0, m.start() - 6) : m.start() + 1]
        ):
            continue
        spans.append((start, m.end()))
        start = m.end()
    spans.append((start, len(text)))
    return [s for s in spans if text[s[0] : s[1]].strip()] or [(0, len(text))]


def _sentence_index(pos: int, sentences: list[tuple[int, int]]) -> int:
    for i, (a, b) in enumerate(sentences):
        if a <= pos < b:
            return i
    return len(sentences) - 1


def _sentence_of(pos: int, sentences: list[tuple[int, int]], text: str) -> str:
    a, b = sentences[_sentence_index(pos, sentences)]
    return text[a:b].strip()


def _unit_factor(unit: str) -> float:
    u = unit.lower()
    if u.startswith("naut") or u == "nmi":
        return _KM_PER_UNIT["nmi"]
    if u.startswith("mi"):
        return _KM_PER_UNIT["mi"]
    return _KM_PER_UNIT["km"]


def _number(s: str) -> float:
    return float(s.replace(",", ""))


def _check_text(text: object) -> None:
    if not isinstance(text, str):
        raise InputError(f"text must be a str, got {type(text).__name__}")
    if len(text) > _MAX_TEXT:
        raise InputError(f"text is too long: {len(text):,} characters (limit {_MAX_TEXT:,})")
