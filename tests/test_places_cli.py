"""`rangemap places`: output formats, stdin, and exit codes for bad input."""

from __future__ import annotations

import io
import json
import subprocess
import sys
from pathlib import Path

import pytest

from geo.cli import main
from geo.places.resolve import COLUMNS, frame_from_records, place_records, places_from_text

TEXT = "Drones hit Kharkiv and the Kursk region; Kyiv said so."


@pytest.fixture
def article(tmp_path: Path) -> Path:
    path = tmp_path / "a.txt"
    path.write_text(TEXT, encoding="utf-8")
    return path


def test_geojson_is_an_rfc7946_feature_collection(
    article: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["places", str(article), "--format", "geojson"]) == 0
    doc = json.loads(capsys.readouterr().out)
    assert doc["type"] == "FeatureCollection" and "crs" not in doc
    names = {f["properties"]["name"] for f in doc["features"]}
    assert {"Kharkiv", "Kursk Oblast", "Kyiv"} <= names
    for feature in doc["features"]:
        lon, lat = feature["geometry"]["coordinates"]
        assert -180 <= lon <= 180 and -90 <= lat <= 90
        assert all(len(str(c).split(".")[-1]) <= 7 for c in (lon, lat))
        for start, end in feature["properties"]["mentions"]:
            assert TEXT[start:end] in feature["properties"]["surfaces"]


def test_jsonl_gives_one_line_per_file(article: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["places", str(article), str(article), "--format", "jsonl"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert [json.loads(line)["file"] for line in lines] == [str(article), str(article)]


@pytest.mark.parametrize("fmt", ["table", "csv"])
def test_table_and_csv_name_the_places(
    article: Path, fmt: str, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["places", str(article), "--format", fmt]) == 0
    assert "Kursk Oblast" in capsys.readouterr().out


def test_dash_reads_stdin(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setattr("sys.stdin", io.TextIOWrapper(io.BytesIO(TEXT.encode())))
    assert main(["places", "-", "--format", "jsonl"]) == 0
    assert json.loads(capsys.readouterr().out)["file"] == "-"


@pytest.mark.parametrize(
    ("content", "message"),
    [(b"\xff\xfe\x00bad", "not a text file"), (b"caf\xe9", "not UTF-8"), (None, "cannot read")],
)
def test_bad_input_is_one_line_on_stderr_exit_2(
    tmp_path: Path, content: bytes | None, message: str, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "bad.txt"
    if content is not None:
        path.write_bytes(content)
    assert main(["places", str(path)]) == 2
    err = capsys.readouterr().err
    assert message in err and err.count("\n") == 1


def test_a_bad_file_in_a_batch_is_skipped_exit_1(
    article: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["places", str(tmp_path / "missing.txt"), str(article), "--format", "jsonl"]) == 1
    out = capsys.readouterr()
    assert len(out.out.splitlines()) == 1 and "missing.txt" in out.err


def test_plain_records_are_the_rows_of_the_places_frame() -> None:
    text = "Drones hit Kharkiv and the Kursk region; Kyiv and Ukrainian officials said so."
    records = place_records(text)
    frame = places_from_text(text)
    assert [r["name"] for r in records] == list(frame["name"])
    assert frame_from_records(records).equals(frame)
    assert set(records[0]) == {*COLUMNS, "lat", "lon"}


def test_the_places_command_needs_no_geopandas() -> None:
    code = (
        "import sys\n"
        "from geo.commands import places\n"
        "from geo.places.resolve import place_records\n"
        "place_records('Drones hit Kharkiv.')\n"
        "print(sorted(m for m in ('geopandas', 'pandas') if m in sys.modules))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"
