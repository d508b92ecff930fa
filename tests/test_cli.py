"""The CLI starts light: help lists commands without importing them; a command imports itself."""

from __future__ import annotations

import argparse
import importlib
import os
import subprocess
import sys

import pytest

from geo import cli


def test_the_help_registry_lists_exactly_the_command_modules() -> None:
    assert sorted(cli.COMMANDS) == sorted(cli._command_modules())


@pytest.mark.parametrize("command", sorted(cli.COMMANDS))
def test_each_command_registers_the_help_line_the_registry_shows(command: str) -> None:
    parser = argparse.ArgumentParser(prog="rangemap")
    sub = parser.add_subparsers()
    importlib.import_module(f"geo.commands.{command}").register(sub)
    helps = {a.dest: a.help for a in sub._choices_actions}
    assert helps == {command: cli.COMMANDS[command]}


def run_python(code: str) -> str:
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    return out.stdout


def test_top_level_help_imports_no_command_and_no_heavy_library() -> None:
    loaded = run_python(
        "import contextlib, io, sys\n"
        "from geo.cli import main\n"
        "with contextlib.redirect_stdout(io.StringIO()), contextlib.suppress(SystemExit):\n"
        "    main(['--help'])\n"
        "print(' '.join(sorted(sys.modules)))\n"
    ).split()
    heavy = {"numpy", "pandas", "geopandas", "shapely", "pyproj"}
    assert [m for m in loaded if m.startswith("geo.commands.")] == []
    assert heavy.isdisjoint(loaded)


def test_a_command_imports_only_its_own_module() -> None:
    loaded = run_python(
        "import contextlib, io, sys\n"
        "from geo.cli import main\n"
        "with contextlib.redirect_stdout(io.StringIO()), contextlib.suppress(SystemExit):\n"
        "    main(['weapons', '--help'])\n"
        "print(' '.join(sorted(sys.modules)))\n"
    ).split()
    assert [m for m in loaded if m.startswith("geo.commands.") and m[13] != "_"] == [
        "geo.commands.weapons"
    ]


def test_an_unknown_command_is_refused_with_the_list_of_commands(
    capsys: pytest.CaptureFixture[str],
) -> None:
    with pytest.raises(SystemExit) as stop:
        cli.main(["plces"])
    assert stop.value.code == 2
    assert "invalid choice: 'plces'" in capsys.readouterr().err


@pytest.mark.parametrize(("given", "expected"), [(None, "1"), ("4", "4")])
def test_the_cli_asks_openblas_for_one_thread_unless_the_user_chose(
    given: str | None, expected: str
) -> None:
    code = (
        "import contextlib, os\n"
        "from geo.cli import main\n"
        "with contextlib.suppress(SystemExit):\n"
        "    main(['--help'])\n"
        "print(os.environ['OPENBLAS_NUM_THREADS'])\n"
    )
    env = {k: v for k, v in os.environ.items() if k != "OPENBLAS_NUM_THREADS"}
    if given is not None:
        env["OPENBLAS_NUM_THREADS"] = given
    out = subprocess.run(
        [sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True
    )
    assert out.stdout.splitlines()[-1] == expected
