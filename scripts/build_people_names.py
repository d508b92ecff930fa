"""Build ``data/gazetteer/people.json``: common English given names and surnames.

The resolver reads these to tell people from places ("Georgia Stevens", "Chad Smith", a
later bare "Jones" after "Tom Jones") and to drop alternate place names that are common
surnames. Source: the ``names`` PyPI package (MIT), whose ``dist.male.first``,
``dist.female.first`` and ``dist.all.last`` files are the 1990 US Census name frequency
lists (public domain). Kept: every given name of both lists, and the :data:`SURNAMES` most
frequent surnames. Run ``.venv/bin/python scripts/build_people_names.py``.
"""

from __future__ import annotations

import json
from importlib.metadata import version
from pathlib import Path

import names

OUT = Path(__file__).resolve().parent.parent / "data" / "gazetteer" / "people.json"
DIST = Path(names.__file__).resolve().parent
#: How many of the most frequent surnames to keep (about 80% of the population's surnames).
SURNAMES = 20_000


def read(name: str, limit: int | None = None) -> list[str]:
    """Return the names of one census list, most frequent first, title-cased."""
    lines = (DIST / name).read_text(encoding="ascii").splitlines()
    words = [line.split()[0].title() for line in lines if line.strip()]
    return words[:limit]


def main() -> None:
    first = sorted(set(read("dist.male.first")) | set(read("dist.female.first")))
    last = read("dist.all.last", SURNAMES)
    out = {
        "source": f"1990 US Census name lists (public domain) from names {version('names')}",
        "first_names": first,
        "surnames": sorted(last),
    }
    OUT.write_text(json.dumps(out, indent=0) + "\n", encoding="utf-8")
    print(f"{OUT}: {len(first)} given names, {len(last)} surnames")


if __name__ == "__main__":
    main()
