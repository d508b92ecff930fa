"""``rangemap app``: launch the Streamlit dashboard."""

from __future__ import annotations

import argparse
import subprocess
import sys

from geo._errors import InputError, NotFoundError
from geo.settings import PROJECT_ROOT

EPILOG = """examples:
  rangemap app
  rangemap app --port 8600
"""


def register(subparsers: argparse._SubParsersAction) -> None:
    """Add the ``app`` sub-command."""
    parser = subparsers.add_parser(
        "app",
        help="launch the interactive dashboard in the browser",
        description="Start the Streamlit dashboard (app.py) on this machine: choose an "
        "article or scenario, weapons, launch areas and the frontline date, and download "
        "every map and data file. Stop it with Ctrl+C.",
        epilog=EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--port", type=int, default=8501, help="port to serve on (default 8501)")
    parser.add_argument(
        "--no-browser", action="store_true", help="do not open a browser window (headless)"
    )
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    """Run the dashboard until it stops and return its exit code."""
    return subprocess.call(command(port=args.port, headless=args.no_browser))


def command(*, port: int, headless: bool = False) -> list[str]:
    """Return the ``streamlit run`` command line for the dashboard.

    Raises
    ------
    InputError
        If ``port`` is not between 1 and 65535.
    NotFoundError
        If the dashboard script ``app.py`` is missing from the project.
    """
    if not 1 <= port <= 65535:
        raise InputError(f"--port must be between 1 and 65535, got {port}")
    script = PROJECT_ROOT / "app.py"
    if not script.is_file():
        raise NotFoundError(f"dashboard script not found: {script}")
    cmd = [sys.executable, "-m", "streamlit", "run", str(script), "--server.port", str(port)]
    if headless:
        cmd += ["--server.headless", "true"]
    return cmd
