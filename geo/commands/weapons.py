"""``rangemap weapons``: the weapon systems an article names, with catalogue and stated ranges."""

from __future__ import annotations

import argparse
import json
import sys

from geo import weapons
from geo._errors import InputError
from geo.commands._text import read_text

EPILOG = """examples:
  rangemap weapons article.txt
  cat article.txt | rangemap weapons -
  rangemap weapons --list
"""


def register(subparsers: argparse._SubParsersAction) -> None:
    """Add the ``weapons`` sub-command."""
    parser = subparsers.add_parser(
        "weapons",
        help="list the weapon systems a text names, with their ranges (JSON)",
        description="Print, as JSON, the weapon systems a text names (by name or alias), "
        "each with the catalogue's range figures and their sources, and any range the text "
        "itself states for it ('about 190 miles' → 305.8 km). Both figures are kept.",
        epilog=EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("file", nargs="?", help="a UTF-8 text file, or - for standard input")
    parser.add_argument("--list", action="store_true", help="print the whole catalogue instead")
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    """Print the mentions (or the catalogue) as JSON; return 0."""
    if args.list:
        payload: object = [s.to_dict() for s in weapons.catalogue()]
    elif args.file:
        text = read_text(args.file, encoding="utf-8-sig")
        payload = {
            "file": args.file,
            "weapons": [m.to_dict() for m in weapons.weapons_in_text(text)],
        }
    else:
        raise InputError("give a text FILE (or - for standard input), or --list")
    json.dump(payload, sys.stdout, indent=2, ensure_ascii=False)
    sys.stdout.write("\n")
    return 0
