"""Every command, given hostile arguments, answers with one line and exit 2, never a traceback."""

from __future__ import annotations

import contextlib
import io
import json
from pathlib import Path

import pytest
from hostile import cli_argvs

from geo import cli

HOSTILE = cli_argvs(Path("/tmp/rangemap-hostile-cli"))


def run(argv: list[str]) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        try:
            code = cli.main(argv)
        except SystemExit as exc:  # argparse's own usage errors
            code = int(exc.code or 0)
    return code, out.getvalue(), err.getvalue()


@pytest.mark.parametrize("argv", HOSTILE, ids=[" ".join(a)[:60] for a in HOSTILE])
def test_hostile_arguments_never_print_a_traceback(argv: list[str]) -> None:
    code, _, err = run(argv)
    assert "Traceback" not in err
    assert code in (0, 1, 2)
    if code == 2:
        last = err.strip().splitlines()[-1] if err.strip() else ""
        assert last.startswith("rangemap") and "error" in last, err


@pytest.mark.parametrize("where", ["-33.9,18.4", "50°27′N 30°31′E", "50.4, 30.5", "33.9S 18.4E"])
def test_southern_western_and_dms_coordinates_work_on_the_command_line(where: str) -> None:
    code, out, err = run(["reach", "--from", where, "--range-km", "50", "--format", "table"])
    assert code == 0, err
    assert out.startswith(f"launch: {where} (the point ")


def test_reach_geojson_with_no_city_in_range_is_valid(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(["reach", "--from", "0,-30", "--range-km", "10"])
    assert code == 0, err
    feature = json.loads(out)["features"][0]
    assert feature["properties"]["places"] == []


@pytest.mark.parametrize("km", ["1e-300", "0.09", "0"])
def test_a_range_below_100_m_is_refused(km: str) -> None:
    code, _, err = run(["reach", "--from", "0,-30", "--range-km", km])
    assert code == 2 and ("at least 0.1 km" in err or "must be positive" in err)


def test_reach_writes_its_output_once_and_only_with_force_again(tmp_path: Path) -> None:
    out = tmp_path / "reach.geojson"
    argv = ["reach", "--from", "0,-30", "--range-km", "10", "--output", str(out)]
    assert run(argv)[0] == 0
    first = out.read_bytes()
    code, _, err = run(argv)
    assert code == 2 and "already exists; add --force" in err
    assert out.read_bytes() == first
    assert run([*argv, "--force"])[0] == 0


def test_map_refuses_to_overwrite_its_own_article(tmp_path: Path) -> None:
    article = tmp_path / "a.txt"
    article.write_text("Kharkiv was shelled by Russia.", encoding="utf-8")
    for option in ("--geojson", "--html", "--png"):
        code, _, err = run(["map", str(article), option, str(article), "--force"])
        assert code == 2 and "is the input" in err
    assert article.read_text(encoding="utf-8") == "Kharkiv was shelled by Russia."


def test_map_refuses_to_overwrite_a_scenario_and_its_files(tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_text("Kharkiv was shelled.", encoding="utf-8")
    scenario = tmp_path / "s.toml"
    scenario.write_text('article = "a.txt"\n', encoding="utf-8")
    for target in (scenario, tmp_path / "a.txt"):
        code, _, err = run(["map", "--scenario", str(scenario), "--kml", str(target), "--force"])
        assert code == 2 and "is the input" in err, err


def test_map_refuses_one_path_for_two_outputs_and_symlinks(tmp_path: Path) -> None:
    article = tmp_path / "a.txt"
    article.write_text("Kharkiv was shelled.", encoding="utf-8")
    same = str(tmp_path / "x.out")
    code, _, err = run(["map", str(article), "--geojson", same, "--kml", same])
    assert code == 2 and "--geojson and --kml name the same file" in err
    link = tmp_path / "link.html"
    link.symlink_to(tmp_path / "elsewhere.html")
    code, _, err = run(["map", str(article), "--html", str(link), "--force"])
    assert code == 2 and "symbolic link" in err
    assert not (tmp_path / "elsewhere.html").exists()


@pytest.mark.parametrize("device", ["/dev/zero", "/dev/urandom"])
def test_commands_refuse_devices_without_reading_them(device: str, tmp_path: Path) -> None:
    for argv in (["map", device, "--geojson", str(tmp_path / "x.geojson")],
                 ["weapons", device], ["places", device]):  # fmt: skip
        code, _, err = run(argv)
        assert code == 2 and "not a regular file" in err


def test_a_scenario_launch_polygon_that_is_a_gdal_vrt_is_refused(tmp_path: Path) -> None:
    vrt = (
        '<OGRVRTDataSource><OGRVRTLayer name="x"><SrcDataSource>/vsicurl/http://127.0.0.1:9/x.csv'
        "</SrcDataSource></OGRVRTLayer></OGRVRTDataSource>"
    )
    (tmp_path / "area.json").write_text(vrt, encoding="utf-8")
    scenario = tmp_path / "s.toml"
    scenario.write_text(
        'launch_areas = ["file:area.json"]\n[[weapons]]\nname = "ATACMS"\nranges_km = [300]\n',
        encoding="utf-8",
    )
    out = tmp_path / "out.geojson"
    code, _, err = run(["map", "--scenario", str(scenario), "--geojson", str(out), "-q"])
    assert code == 2 and "area.json is XML (a GDAL VRT" in err
    assert not out.exists()
