"""The ``rangemap`` command line: every output of the dashboard without a browser."""

from __future__ import annotations

import argparse
import importlib
import sys
from collections.abc import Sequence

from geo._errors import RangemapError

#: Sub-command modules under ``geo.commands``, in the order ``--help`` lists them.
COMMANDS: tuple[str, ...] = ()

EPILOG = """examples:
  rangemap places article.txt --format table
"""


def build_parser() -> argparse.ArgumentParser:
    """Build the argument parser with every sub-command registered."""
    parser = argparse.ArgumentParser(
        prog="rangemap",
        description="Map the places, weapon ranges and frontline of a news article, offline.",
        epilog=EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    for name in COMMANDS:
        module = importlib.import_module(f"geo.commands.{name}")
        module.register(sub)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run the CLI and return its exit code."""
    parser = build_parser()
    args = parser.parse_args(argv)
    if not getattr(args, "func", None):
        parser.print_help()
        return 2
    try:
        code: int = args.func(args)
    except RangemapError as exc:
        print(f"rangemap: error: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        return 130
    return code


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
