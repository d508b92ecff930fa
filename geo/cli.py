"""The ``rangemap`` command line: every output of the dashboard without a browser."""

from __future__ import annotations

import argparse
import importlib
import pkgutil
import sys
from collections.abc import Sequence

import geo.commands
from geo._errors import RangemapError
from geo.coords import fix_negative_coordinates

#: Order in which ``--help`` lists the sub-commands; modules not named here come last.
ORDER: tuple[str, ...] = ("places", "weapons", "reach", "frontline", "sites", "map", "app")


def _command_modules() -> list[str]:
    """Return the names of the modules under ``geo.commands``, in help order."""
    found = [
        m.name for m in pkgutil.iter_modules(geo.commands.__path__) if not m.name.startswith("_")
    ]
    return sorted(found, key=lambda n: (ORDER.index(n) if n in ORDER else len(ORDER), n))


EPILOG = """examples:
  rangemap places article.txt --format table
  rangemap weapons article.txt
  rangemap reach --from ukraine-held@2024-11-19 --weapon ATACMS --clip Russia --format table
  rangemap frontline --date 2024-08-20 --format table
  rangemap sites --type airbase --format csv > airbases.csv
  rangemap map article.txt --png map.png --html map.html --geojson map.geojson
  rangemap map --scenario default --svg map.svg --pdf map.pdf
  rangemap app

Run `rangemap COMMAND --help` for the options and more examples of each command.
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
    for name in _command_modules():
        module = importlib.import_module(f"geo.commands.{name}")
        module.register(sub)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run the CLI and return its exit code."""
    parser = build_parser()
    # `--from -33.9,18.4`: argparse would take the coordinates for an option.
    args = parser.parse_args(fix_negative_coordinates(sys.argv[1:] if argv is None else argv))
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
    except BrokenPipeError:
        # Output piped into `head` and the like: stop quietly, as Unix tools do.
        sys.stderr.close()
        return 141
    return code


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
