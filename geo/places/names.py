"""Name normalisation and the small word lists the place extractor relies on."""

from __future__ import annotations

import re
import unicodedata

#: Dots, combining accents and invisible characters (soft hyphen, zero-width space/joiners,
#: direction marks, word joiner, byte-order mark): "K\u200bharkiv" is "kharkiv".
_DROP = re.compile(r"[.\u0300-\u036f\u00ad\u200b-\u200f\u2060-\u2064\ufeff]")
_SPACE = re.compile(r"[\s\-‐‑–—_/]+")


def normalise(name: str) -> str:
    """Return the matching key of a name: accents, dots and case folded, hyphens as spaces.

    Examples
    --------
    >>> normalise("Russia’s")
    "russia's"
    >>> normalise("U.S.")
    'us'
    """
    text = unicodedata.normalize("NFKD", name).replace("’", "'").replace("ʼ", "'")
    text = _DROP.sub("", text)
    return _SPACE.sub(" ", text).strip().casefold()


#: Words after a name that say it is a first-level region ("Kursk region").
REGION_CUES: frozenset[str] = frozenset(
    {"region", "oblast", "province", "krai", "kray", "governorate", "prefecture", "voivodeship"}
)

#: Words before a name that say a person follows ("President Kharkiv" is no place).
TITLES: frozenset[str] = frozenset(
    [
        "mr",
        "mrs",
        "ms",
        "miss",
        "dr",
        "sir",
        "lord",
        "lady",
        "president",
        "chancellor",
        "minister",
        "secretary",
        "senator",
        "rep",
        "governor",
        "mayor",
        "general",
        "gen",
        "col",
        "colonel",
        "capt",
        "captain",
        "lt",
        "sgt",
        "judge",
        "justice",
        "king",
        "queen",
        "prince",
        "princess",
        "pope",
        "father",
        "saint",
        "st",
        "prime",
        "spokesman",
        "spokeswoman",
        "ambassador",
        "sen",
        "gov",
        "pres",
        "sheriff",
        "officer",
        "coach",
        "detective",
        "professor",
        "prof",
        "chief",
        "commissioner",
        "director",
        "deputy",
        "trooper",
        "cpl",
        "pvt",
        "adm",
        "maj",
        "reverend",
        "rev",
    ]
)

#: Words before a name that make it a place ("in Reading", "near Nice").
LOCATIVES: frozenset[str] = frozenset(
    [
        "in",
        "near",
        "from",
        "to",
        "at",
        "outside",
        "inside",
        "across",
        "around",
        "toward",
        "towards",
        "into",
        "via",
        "between",
        "northern",
        "southern",
        "eastern",
        "western",
        "central",
    ]
)

_CALENDAR = (
    "Monday Tuesday Wednesday Thursday Friday Saturday Sunday January February March "
    "April May June July August September October November December Jan Feb Mar Apr "
    "Jun Jul Aug Sep Sept Oct Nov Dec"
)

#: Capitalised words that are never places in news text.
NOT_PLACES: frozenset[str] = frozenset(
    normalise(w)
    for w in [
        *_CALENDAR.split(),
        # weapons and military systems
        "Taurus",
        "Patriot",
        "Patriots",
        "Tomahawk",
        "Tomahawks",
        "Storm Shadow",
        "SCALP",
        "Iskander",
        "Javelin",
        "Javelins",
        "Kinzhal",
        "Kalibr",
        "Oreshnik",
        "Shahed",
        "Himars",
        "HIMARS",
        "ATACMS",
        "Bayraktar",
        "Leopard",
        "Abrams",
        "Challenger",
        "Bradley",
        "Stinger",
        "Harpoon",
        "Neptune",
        "Lancet",
        "Geran",
        "Sarmat",
        "Avangard",
        "Zircon",
        # organisations and common capitalised non-places
        "NATO",
        "UN",
        "Courthouse News",
        "Global South",
        "Global North",
        "West",
        "East",
        "North",
        "South",
        # generic words that are also the names of districts ("the Islamic Centre")
        "Centre",
        "Center",
        "Central",
        "Downtown",
        "Uptown",
        "Midtown",
        "Lakes",
        "Western",
        "Eastern",
        "Northern",
        "Southern",
        "Christian",
        "Democrat",
        "Democrats",
        "Republican",
        "Republicans",
        "Social Democrat",
        "Parliament",
        "Congress",
        "Senate",
        "Army",
        "Marines",
        "Red Cross",
        "Olympic",
        "Olympics",
        "God",
        "Share",
        "Read",
        # religious figures and holidays ("at Christmas")
        "Jesus",
        "Christ",
        "Allah",
        "Christmas",
        "Easter",
        "Thanksgiving",
        "Halloween",
        "Ramadan",
        "Hanukkah",
        # armed groups and parties named like places ("Hamas" is an alternate name of Hamm)
        "Hamas",
        "Hezbollah",
        "Taliban",
        "Fatah",
    ]
)

#: Small words that may sit inside a multiword name ("Sea of Azov", "Bosnia and Herzegovina").
NAME_JOINERS: frozenset[str] = frozenset(
    {"of", "and", "the", "de", "del", "la", "le", "upon", "on"}
)
