"""The ``rangemap`` command line: every output of the dashboard without a browser.

Start-up stays light: ``rangemap --help`` lists the commands from :data:`COMMANDS` without
importing any of them, and ``rangemap COMMAND ...`` imports only that command's module (which
may import geopandas). A module under ``geo/commands`` missing from :data:`COMMANDS` still
works; it is only imported for every ``--help`` until it is listed there.
"""

from __future__ import annotations

import argparse
import importlib
import os
import sys
from collections.abc import Sequence

import geo.commands
from geo._errors import RangemapError
from geo.coords import fix_negative_coordinates

#: One help line per sub-command, in the order ``--help`` lists them. Each must match the
#: ``help=`` its module registers (tests/test_cli.py checks both ways).
COMMANDS: dict[str, str] = {
    "places": "list the places an article names, geocoded offline",
    "weapons": "list the weapon systems a text names, with their ranges (JSON)",
    "scenario": "print the scenario inferred from an article (weapons, launch areas, targets)",
    "reach": "print the geodesic range of a weapon from a launch point or area",
    "inrange": "mark which of many points (CSV/Parquet lat/lon) are within a scenario's reach",
    "frontline": "frontline snapshots: print one, import files, list dates, history of areas",
    "sites": "list bundled Russian military sites (airbases, naval bases ...)",
    "map": "write the maps and data files of an article or scenario",
    "app": "launch the interactive dashboard in the browser",
}

#: Order in which ``--help`` lists the sub-commands; modules not named here come last.
ORDER: tuple[str, ...] = tuple(COMMANDS)

EPILOG = """examples:
  rangemap places article.txt --format table
  rangemap weapons article.txt
  rangemap scenario article.txt
  rangemap reach --from ukraine-held@2024-11-19 --weapon ATACMS --clip Russia --format table
  rangemap inrange fires.csv --scenario default --out fires_in_range.parquet
  rangemap frontline --date 2024-08-20 --format table
  rangemap sites --type airbase --format csv > airbases.csv
  rangemap map article.txt --png map.png --html map.html --geojson map.geojson
  rangemap map --scenario default --svg map.svg --pdf map.pdf
  rangemap app

Run `rangemap COMMAND --help` for the options and more examples of each command.
"""


def _command_modules() -> list[str]:
    """Return the names of the modules under ``geo.commands``, in help order (no import).

    A plain folder listing: ``pkgutil`` would import ``inspect``, a third of ``--help``'s time.
    """
    found = {
        entry.name.removesuffix(".py")
        for folder in geo.commands.__path__
        for entry in os.scandir(folder)
        if entry.name.endswith(".py") and not entry.name.startswith("_")
    }
    return sorted(found, key=lambda n: (ORDER.index(n) if n in ORDER else len(ORDER), n))


def build_parser(*, only: str | None = None) -> argparse.ArgumentParser:
    """Build the argument parser.

    Parameters
    ----------
    only
        The command about to run: only its module is imported and registered; the others
        are listed from :data:`COMMANDS`. ``None`` registers every command's module.
    """
    parser = argparse.ArgumentParser(
        prog="rangemap",
        description="Map the places, weapon ranges and frontline of a news article, offline.",
        epilog=EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    for name in _command_modules():
        if only is not None and name != only and name in COMMANDS:
            sub.add_parser(name, help=COMMANDS[name], add_help=False)
            continue
        module = importlib.import_module(f"geo.commands.{name}")
        module.register(sub)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run the CLI and return its exit code."""
    _one_blas_thread()
    args_list = list(sys.argv[1:] if argv is None else argv)
    parser = build_parser(only=_command_name(args_list))
    # `--from -33.9,18.4`: argparse would take the coordinates for an option (geo.coords).
    args = parser.parse_args(fix_negative_coordinates(args_list))
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


def _one_blas_thread() -> None:
    """Ask OpenBLAS for one thread unless the user chose (before numpy is first imported).

    No command does BLAS-heavy work, and OpenBLAS starting a pool of spinning threads at
    ``import numpy`` cost a third of ``rangemap places small.txt``'s CPU time (bench/startup.py).
    """
    if "numpy" not in sys.modules:
        os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")


def _command_name(argv: Sequence[str]) -> str:
    """Return the sub-command named on the command line, or ``""`` (help, or none given).

    The top-level parser has no option taking a value, so the first word that is not an
    option is the command.
    """
    return next((a for a in argv if not a.startswith("-")), "")


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
