"""Check the hand-written weapons catalogue (data/weapons/catalogue.toml) and summarise it.

The catalogue is written by hand, one citation per figure; this script is its
validator and normaliser: it loads it with the same code rangemap uses, refuses
unused or missing sources and duplicate aliases, and prints a summary. With
``--json PATH`` it also writes the normalised catalogue as JSON (for other tools).
With ``--check-urls`` (needs the network; never run by tests) it asks every source
URL for its status, so a maintainer can confirm the citations still resolve.

    python scripts/build_weapons.py
    python scripts/build_weapons.py --check-urls
"""

from __future__ import annotations

import argparse
import json
import sys
import tomllib
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from geo.weapons import load_catalogue  # noqa: E402

CATALOGUE = ROOT / "data" / "weapons" / "catalogue.toml"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--json", type=Path, help="also write the normalised catalogue here")
    parser.add_argument("--check-urls", action="store_true", help="HEAD every source URL")
    args = parser.parse_args(argv)
    systems = load_catalogue(CATALOGUE)
    raw = tomllib.loads(CATALOGUE.read_text(encoding="utf-8"))
    cited = {r["source"] for s in raw["systems"] for r in s.get("ranges", [])}
    unused = sorted(set(raw["sources"]) - cited)
    if unused:
        print(f"error: sources cited by no range: {', '.join(unused)}", file=sys.stderr)
        return 1
    disagree = [s.name for s in systems if s.sources_disagree]
    print(f"{len(systems)} systems, {len(raw['sources'])} sources, "
          f"{sum(len(s.ranges) for s in systems)} cited figures")  # fmt: skip
    print(f"sources disagree (all figures kept) for: {', '.join(disagree)}")
    if args.json:
        args.json.write_text(json.dumps([s.to_dict() for s in systems], indent=1) + "\n")
    if args.check_urls:
        return _check_urls(sorted({v["url"] for v in raw["sources"].values()}))
    return 0


def _check_urls(urls: list[str]) -> int:
    bad = 0
    for url in urls:
        request = urllib.request.Request(url, method="HEAD", headers={"User-Agent": "rangemap"})
        try:
            with urllib.request.urlopen(request, timeout=15) as response:
                status = response.status
        except Exception as exc:  # report every failure and go on
            status, bad = f"{type(exc).__name__}: {exc}", bad + 1
        print(f"{status}\t{url}")
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
