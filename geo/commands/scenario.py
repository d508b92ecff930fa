"""``rangemap scenario``: print the scenario inferred from an article, as an editable file."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

EPILOG = """examples:
  rangemap scenario article.txt > scenario.toml
  rangemap scenario article.txt --date 2024-11-19 --format json
  rangemap map --scenario scenario.toml --png map.png
"""


def register(subparsers: argparse._SubParsersAction) -> None:
    """Add the ``scenario`` sub-command."""
    parser = subparsers.add_parser(
        "scenario",
        help="print the scenario inferred from an article (weapons, launch areas, targets)",
        description=(
            "Read an article and print the scenario rangemap infers from it: each strike "
            "weapon with its range (the article's figure where it states one) and the places "
            "it is fired from, the countries counted as targets, and the date. Edit the file "
            "and draw it with `rangemap map --scenario FILE`."
        ),
        epilog=EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("article", help="article text file (UTF-8), or - for stdin")
    parser.add_argument("--date", help="date to use instead of the article's (YYYY-MM-DD)")
    parser.add_argument(
        "--format", choices=("toml", "json"), default="toml", help="file format (default toml)"
    )
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    """Print the inferred scenario file and return the exit code."""
    from geo.commands._text import read_text
    from geo.scenario import infer_scenario
    from geo.scenario.spec import _check_date
    from geo.scenario.write import dumps

    if args.date is not None:
        _check_date(args.date)
    text = read_text(args.article)
    stdin = args.article == "-"
    name = "stdin" if stdin else Path(args.article).name
    spec = infer_scenario(text, date=args.date, name=name)
    article = None if stdin else Path(args.article).resolve()
    sys.stdout.write(dumps(spec, fmt=args.format, article=article))
    return 0
