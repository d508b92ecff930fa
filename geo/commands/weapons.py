"""``rangemap weapons``: the weapon systems an article names, with catalogue and stated ranges."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from geo import weapons
from geo._errors import InputError

#: Largest article accepted, in bytes.
MAX_BYTES = 2_000_000

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
        text = read_text(args.file)
        payload = {
            "file": args.file,
            "weapons": [m.to_dict() for m in weapons.weapons_in_text(text)],
        }
    else:
        raise InputError("give a text FILE (or - for standard input), or --list")
    json.dump(payload, sys.stdout, indent=2, ensure_ascii=False)
    sys.stdout.write("\n")
    return 0


def read_text(name: str) -> str:
    """Read a UTF-8 text from a path or ``-`` (stdin), refusing binary and huge input."""
    try:
        data = sys.stdin.buffer.read(MAX_BYTES + 1) if name == "-" else _read(Path(name))
    except OSError as exc:
        raise InputError(f"cannot read {name}: {exc.strerror or exc}") from None
    if len(data) > MAX_BYTES:
        raise InputError(f"{name} is larger than {MAX_BYTES:,} bytes; give an article's text")
    if b"\x00" in data:
        raise InputError(f"{name} is not a text file (it contains NUL bytes)")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise InputError(f"{name} is not UTF-8 text (byte {exc.start})") from None


def _read(path: Path) -> bytes:
    if path.is_dir():
        raise InputError(f"{path} is a directory, not a text file")
    with path.open("rb") as handle:
        return handle.read(MAX_BYTES + 1)
