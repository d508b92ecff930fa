"""``rangemap map`` writes every output of the dashboard; ``rangemap app``; ``--help`` examples."""

from __future__ import annotations

import contextlib
import io
import json
import re
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import geopandas as gpd
import numpy as np
import pyogrio
import pytest
from defusedxml import ElementTree
from PIL import Image
from shared_data import ARTICLES, read_gold

from geo import cli
from geo.commands import app as app_command
from geo.scenario import Scenario, build_scenario, default_spec
from geo.settings import PROJECT_ROOT
from layers.style import EXPORT_NAMES, STYLES

OUTPUTS = ("png", "svg", "pdf", "html", "geojson", "kml", "gpkg")
KML_NS = "{http://www.opengis.net/kml/2.2}"


@dataclass(frozen=True)
class Run:
    code: int
    stdout: str
    stderr: str


def run_cli(*argv: str, stdin: str | None = None) -> Run:
    out, err = io.StringIO(), io.StringIO()
    old_stdin = sys.stdin
    try:
        if stdin is not None:
            sys.stdin = io.StringIO(stdin)
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
            code = cli.main(list(argv))
    finally:
        sys.stdin = old_stdin
    return Run(code, out.getvalue(), err.getvalue())


@pytest.fixture(scope="module")
def outdir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("map")


@pytest.fixture(scope="module")
def written(outdir: Path) -> Run:
    args = [a for fmt in OUTPUTS for a in (f"--{fmt}", str(outdir / f"default.{fmt}"))]
    return run_cli("map", "--scenario", "default", "--dpi", "60", *args)


@pytest.fixture(scope="module")
def scenario() -> Scenario:
    return build_scenario(default_spec())


# --- what is written -------------------------------------------------------------------------


def test_every_output_is_written_with_one_summary_line_each(written: Run, outdir: Path) -> None:
    assert written.code == 0, written.stderr
    lines = written.stdout.splitlines()
    assert len(lines) == len(OUTPUTS)
    for fmt, line in zip(OUTPUTS, lines, strict=True):
        assert line.startswith(f"wrote {outdir / f'default.{fmt}'}: ")
        assert (outdir / f"default.{fmt}").stat().st_size > 1000


def test_progress_goes_to_stderr_and_stdout_stays_clean(written: Run) -> None:
    assert written.stderr.startswith("[1/8] building the scenario")
    assert "[8/8] writing GeoPackage" in written.stderr
    assert "[" not in written.stdout


def test_png_is_10_by_8_inches_at_the_asked_dpi(written: Run, outdir: Path) -> None:
    image = Image.open(outdir / "default.png").convert("RGB")
    assert image.size == (600, 480)
    assert np.asarray(image, dtype=float).std() > 20
    assert "PNG 600×480 px at 60 dpi" in written.stdout


def test_svg_and_pdf_are_valid(written: Run, outdir: Path) -> None:
    root = ElementTree.parse(outdir / "default.svg").getroot()
    assert root.tag.endswith("svg")
    assert (outdir / "default.pdf").read_bytes().startswith(b"%PDF-")


def test_html_contains_every_overlay_name(written: Run, outdir: Path, scenario: Scenario) -> None:
    page = (outdir / "default.html").read_text(encoding="utf-8")
    missing = [name for name in expected_overlays(scenario) if name not in page]
    assert missing == []
    assert "cdn.jsdelivr.net" not in page  # offline: every asset is inlined


def test_geojson_is_one_rfc7946_feature_collection(written: Run, outdir: Path) -> None:
    data = json.loads((outdir / "default.geojson").read_text(encoding="utf-8"))
    assert data["type"] == "FeatureCollection"
    assert "crs" not in data
    layers = {f["properties"]["layer"] for f in data["features"]}
    assert layers == {"frontline", "launch_area", "ranges", "reach_clipped", "places", "sites"}
    assert max(decimals(f["geometry"]["coordinates"]) for f in data["features"]) <= 7


def test_geojson_ranges_are_the_scenario_weapons(written: Run, outdir: Path) -> None:
    data = json.loads((outdir / "default.geojson").read_text(encoding="utf-8"))
    rings = sorted(
        (f["properties"]["weapon"], f["properties"]["range_km"])
        for f in data["features"]
        if f["properties"]["layer"] == "ranges"
    )
    # data/scenarios/default.toml: ATACMS 165 and 300 km, Storm Shadow 250 km, Taurus 500 km.
    assert rings == [("ATACMS", 165), ("ATACMS", 300), ("Storm Shadow", 250), ("Taurus", 500)]


def test_gpkg_lists_the_data_layers_in_wgs84(written: Run, outdir: Path) -> None:
    path = outdir / "default.gpkg"
    names = {str(row[0]) for row in pyogrio.list_layers(path)}
    assert names == {"frontline", "launch_area", "ranges", "reach_clipped", "places", "sites"}
    ranges = gpd.read_file(path, layer="ranges")
    assert ranges.crs is not None and ranges.crs.to_epsg() == 4326
    assert len(ranges) == 4


def test_kml_parses_with_one_folder_per_layer(written: Run, outdir: Path) -> None:
    root = ElementTree.parse(outdir / "default.kml").getroot()
    folders = [f.findtext(f"{KML_NS}name") for f in root.iter(f"{KML_NS}Folder")]
    keys = ["frontline", "launch_area", "ranges", "reach_clipped", "places", "sites"]
    assert folders == [EXPORT_NAMES[key] for key in keys]  # the map's names, not internal keys
    marks = list(root.iter(f"{KML_NS}Placemark"))
    assert len(marks) > 50
    styles = {s.get("id") for s in root.iter(f"{KML_NS}Style")}
    assert all(m.findtext(f"{KML_NS}styleUrl").lstrip("#") in styles for m in marks)
    assert all(m.findtext(f"{KML_NS}name").strip() for m in marks)


def test_an_article_on_stdin_draws_the_range_it_states(tmp_path: Path) -> None:
    article = "000_6c64c68faa6e058a"
    text = (ARTICLES / f"{article}.txt").read_text(encoding="utf-8")
    target = tmp_path / "article.geojson"
    result = run_cli("map", "-", "--geojson", str(target), "--quiet", stdin=text)
    assert result.code == 0, result.stderr
    assert result.stderr == ""
    data = json.loads(target.read_text(encoding="utf-8"))
    drawn = {
        f["properties"]["weapon"]: f["properties"]["range_km"]
        for f in data["features"]
        if f["properties"]["layer"] == "ranges"
    }
    gold = next(w for w in read_gold(article)["weapons"] if "range_km" in w)
    assert drawn[gold["name"]] == pytest.approx(gold["range_km"], abs=gold["tolerance_km"])


# --- errors ----------------------------------------------------------------------------------


def scenario_file(tmp_path: Path, body: str) -> str:
    path = tmp_path / "s.toml"
    path.write_text(body, encoding="utf-8")
    return str(path)


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["--scenario", "default"], "nothing to write: give at least one output"),
        (["/no/such/article.txt", "--png", "x.png"], "cannot read article file /no/such"),
        (["--scenario", "/no/such.toml", "--png", "x.png"], "cannot read scenario file"),
        (["--scenario", "default", "--png", "x.png", "--dpi", "0"], "--dpi must be between"),
        (["--scenario", "default", "--png", "/no/such/dir/x.png"], "--png: the folder /no/such"),
        (["--scenario", "default", "--geojson", "/"], "--geojson / is a folder"),
    ],
)
def test_bad_input_is_one_line_and_exit_2(argv: list[str], message: str) -> None:
    result = run_cli("map", *argv)
    assert result.code == 2
    assert result.stderr.splitlines()[-1].startswith(f"rangemap: error: {message}")


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ('[[weapons]]\nname = "Zorblax"\nranges_km = [100]\n', "unknown weapon 'Zorblax'"),
        ("title = [unclosed\n", "is not valid TOML"),
    ],
)
def test_a_bad_scenario_file_is_named(tmp_path: Path, body: str, message: str) -> None:
    path = scenario_file(tmp_path, body)
    result = run_cli("map", "--scenario", path, "--geojson", str(tmp_path / "x.geojson"), "-q")
    assert result.code == 2
    assert message in result.stderr
    assert len(result.stderr.splitlines()) == 1


@pytest.mark.parametrize("content", [b"", b"  \n\n", b"\xff\xfe\x00bad"])
def test_an_empty_or_binary_article_is_refused(tmp_path: Path, content: bytes) -> None:
    article = tmp_path / "a.txt"
    article.write_bytes(content)
    result = run_cli("map", str(article), "--geojson", str(tmp_path / "x.geojson"))
    assert result.code == 2
    assert re.search(r"article is empty|is not a text file", result.stderr)


# --- rangemap app ----------------------------------------------------------------------------


def test_app_runs_streamlit_on_the_project_dashboard(monkeypatch: pytest.MonkeyPatch) -> None:
    calls: list[list[str]] = []

    def fake_call(cmd: list[str]) -> int:
        calls.append(cmd)
        return 0

    monkeypatch.setattr(app_command.subprocess, "call", fake_call)
    assert run_cli("app", "--port", "8611").code == 0
    assert calls == [
        [sys.executable, "-m", "streamlit", "run", str(PROJECT_ROOT / "app.py"),
         "--server.port", "8611"]
    ]  # fmt: skip


def test_app_refuses_a_bad_port() -> None:
    result = run_cli("app", "--port", "70000")
    assert result.code == 2
    assert "--port must be between 1 and 65535, got 70000" in result.stderr


# --- help ------------------------------------------------------------------------------------


@pytest.mark.parametrize("command", cli._command_modules())
def test_every_command_has_a_description_and_examples(command: str) -> None:
    out = help_text(command)
    usage, _, rest = out.partition("\n\n")
    assert usage.startswith(f"usage: rangemap {command}")
    assert len(rest.split("\n\n")[0]) > 40  # a description, not just the options
    assert "examples:" in out
    assert f"rangemap {command} " in out.split("examples:")[1]


def test_top_level_help_shows_an_example_of_every_command() -> None:
    out = help_text()
    examples = out.split("examples:")[1]
    assert [c for c in cli._command_modules() if f"rangemap {c}" not in examples] == []


# --- helpers ---------------------------------------------------------------------------------


def help_text(*command: str) -> str:
    out = io.StringIO()
    with contextlib.redirect_stdout(out), pytest.raises(SystemExit) as stop:
        cli.main([*command, "--help"])
    assert stop.value.code == 0
    return out.getvalue()


def expected_overlays(scenario: Scenario) -> list[str]:
    """Overlay names the dashboard shows for a scenario, from the style table and the data."""
    keys = ["borders", "regions", "launch_area", *scenario.frontline["class"].unique()]
    demonym = scenario.places["demonym_only"].astype(bool)
    keys += ["places"] if (~demonym).any() else []
    keys += ["places_demonym"] if demonym.any() else []
    keys += ["sites_in_range"] if scenario.sites["in_range"].any() else []
    keys += ["sites_out_of_range"] if (~scenario.sites["in_range"].astype(bool)).any() else []
    return [STYLES[k].label for k in keys] + sorted(set(scenario.ranges["weapon"]))


def decimals(coords: Any) -> int:
    if isinstance(coords, float):
        text = repr(coords)
        return len(text.split(".")[1]) if "." in text and "e" not in text else 0
    if isinstance(coords, int):
        return 0
    return max((decimals(c) for c in coords), default=0)
