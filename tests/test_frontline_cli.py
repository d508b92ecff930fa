"""``rangemap frontline`` and the optional online fetch (with a fake opener, no network)."""

from __future__ import annotations

import io
import json
import urllib.error
from pathlib import Path
from typing import Any

import pytest

from geo import _http, frontline
from geo._errors import InputError, OfflineError
from geo.cli import main
from geo.commands import frontline as command

CLASSES = {
    "occupied_before_2022",
    "occupied_since_2022",
    "ukrainian_held_in_russia",
    "line_of_contact",
}


@pytest.mark.parametrize("date", ["2024-08-20", "2024-11-19"])
def test_geojson_features_carry_class_date_source_and_area(
    capsys: pytest.CaptureFixture[str], date: str
) -> None:
    assert main(["frontline", "--date", date, "--format", "geojson"]) == 0
    collection = json.loads(capsys.readouterr().out)
    props = [f["properties"] for f in collection["features"]]
    assert CLASSES <= {p["class"] for p in props} <= CLASSES | {"grey_zone"}
    for p in props:
        assert p["date"] == date
        assert "approximate" in p["source"]
        assert p["area_km2"] >= 0
    areas = {p["class"]: p["area_km2"] for p in props}
    assert areas == dict(
        zip(*frontline.snapshot(date)[["class", "area_km2"]].T.values, strict=True)
    )


def test_table_prints_areas_and_accuracy_against_deepstate(
    capsys: pytest.CaptureFixture[str], reference_deepstate: Path
) -> None:
    assert main(["frontline"]) == 0
    out = capsys.readouterr().out
    assert "frontline 2024-11-19" in out
    assert "occupied_since_2022" in out
    assert f"accuracy vs DeepStateMap 2024-11-19 ({reference_deepstate.name})" in out
    iou = float(out.split("occupied territory  IoU ")[1].split()[0])
    assert iou >= 0.90


def test_table_says_when_the_reference_is_not_available(tmp_path: Path) -> None:
    text = command.accuracy_table(frontline.snapshot(), reference=tmp_path / "missing.geojson")
    assert "reference not available" in text


def test_table_of_a_file(capsys: pytest.CaptureFixture[str], reference_deepstate: Path) -> None:
    assert main(["frontline", "--file", str(reference_deepstate), "--format", "table"]) == 0
    out = capsys.readouterr().out
    assert "ukrainian_held_in_russia" in out and "598.2" in out
    assert "© DeepStateMap" in out


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (
            ["frontline", "--date", "2023-01-01"],
            "on or before 2023-01-01; the earliest is 2024-08-20",
        ),
        (["frontline", "--date", "yesterday"], "date must be YYYY-MM-DD"),
        (["frontline", "--file", "/nonexistent/x.kmz"], "cannot read frontline file"),
    ],
)
def test_bad_input_is_one_line_on_stderr_with_exit_2(
    capsys: pytest.CaptureFixture[str], argv: list[str], message: str
) -> None:
    assert main(argv) == 2
    err = capsys.readouterr().err
    assert message in err
    assert err.count("\n") == 1


def test_repair_warnings_go_to_stderr(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    bowtie = [[37.0, 48.0], [37.1, 48.1], [37.1, 48.0], [37.0, 48.1], [37.0, 48.0]]
    feature = {
        "type": "Feature",
        "properties": {"class": "grey_zone"},
        "geometry": {"type": "Polygon", "coordinates": [bowtie]},
    }
    path = tmp_path / "bow.geojson"
    path.write_text(json.dumps({"type": "FeatureCollection", "features": [feature]}))
    assert main(["frontline", "--file", str(path)]) == 0
    assert "rangemap: warning: feature 0: invalid geometry repaired" in capsys.readouterr().err


# --- optional online fetch --------------------------------------------------------------------


class _Response(io.BytesIO):
    def __enter__(self) -> _Response:
        return self

    def __exit__(self, *args: object) -> None:
        self.close()


@pytest.fixture
def cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("RANGEMAP_CACHE_DIR", str(tmp_path))
    monkeypatch.setenv("RANGEMAP_DATA_DIR", str(tmp_path / "data"))  # fetches are stored
    monkeypatch.setattr(_http, "MIN_INTERVAL_SECONDS", 0.0)
    return tmp_path


def test_fetch_latest_sends_the_user_agent_and_caches(
    cache: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    answer = {
        "id": 1,
        "datetime": "2025-01-02T10:00:00Z",
        "map": {
            "type": "FeatureCollection",
            "features": [
                {
                    "type": "Feature",
                    "properties": {"name": "/// /// geoJSON.status.occupied", "fill": "#a52714"},
                    "geometry": {
                        "type": "Polygon",
                        "coordinates": [[[37, 48], [37.1, 48], [37.1, 48.1], [37, 48]]],
                    },
                }
            ],
        },
    }
    calls: list[Any] = []

    def fake_urlopen(request: Any, *, timeout: float) -> _Response:
        calls.append((request.full_url, request.get_header("User-agent"), timeout))
        return _Response(json.dumps(answer).encode())

    monkeypatch.setattr(_http, "urlopen", fake_urlopen)
    gdf = frontline.fetch_latest(timeout=3)
    again = frontline.fetch_latest(timeout=3)
    assert calls == [(_http.DEEPSTATE_LATEST_URL, "rangemap/0.1 (+offline-first)", 3)]
    classes = ["occupied_since_2022", "line_of_contact"]
    assert gdf["class"].tolist() == again["class"].tolist() == classes
    assert gdf["date"].iloc[0] == "2025-01-02"
    assert "© DeepStateMap (deepstatemap.live)" in gdf["source"].iloc[0]
    assert (cache / "http" / "deepstate-last.json").is_file()


def test_fetch_latest_stores_the_snapshot_in_the_history(
    cache: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    square = [[[37, 48], [37.1, 48], [37.1, 48.1], [37, 48]]]
    feature = {
        "type": "Feature",
        "properties": {"name": "/// /// geoJSON.status.occupied", "fill": "#a52714"},
        "geometry": {"type": "Polygon", "coordinates": square},
    }
    answer = {"datetime": "2025-01-02T10:00:00Z", "map": {"type": "FeatureCollection",
              "features": [feature]}}  # fmt: skip
    monkeypatch.setattr(
        _http, "urlopen", lambda request, *, timeout: _Response(json.dumps(answer).encode())
    )
    frontline.fetch_latest()
    assert "2025-01-02" in frontline.available_dates()
    assert frontline.pick("2025-01-05").note == "frontline of 2025-01-02, 3 days before 2025-01-05"


@pytest.mark.parametrize(
    "error", [urllib.error.URLError("Name or service not known"), TimeoutError("timed out")]
)
def test_fetch_latest_without_network_raises_offline_error(
    cache: Path, monkeypatch: pytest.MonkeyPatch, error: Exception
) -> None:
    def offline(request: Any, *, timeout: float) -> _Response:
        raise error

    monkeypatch.setattr(_http, "urlopen", offline)
    with pytest.raises(
        OfflineError, match=r"cannot reach https://deepstatemap\.live/api/history/last"
    ):
        frontline.fetch_latest()


def test_fetch_version_asks_for_that_version_and_dates_it(
    cache: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    urls: list[str] = []

    def fake_urlopen(request: Any, *, timeout: float) -> _Response:
        urls.append(request.full_url)
        return _Response(json.dumps({"type": "FeatureCollection", "features": []}).encode())

    monkeypatch.setattr(_http, "urlopen", fake_urlopen)
    gdf = frontline.fetch_version(1732052521)
    assert urls == ["https://deepstatemap.live/api/history/1732052521/geojson"]
    assert gdf.empty


def test_fetch_version_rejects_a_bad_id() -> None:
    with pytest.raises(InputError, match="history_id must be a positive integer, got -1"):
        frontline.fetch_version(-1)
