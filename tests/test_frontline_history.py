"""The local frontline history: import, list, --date between imported dates, history chart."""

from __future__ import annotations

import json
import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from shared_data import REFERENCE

from geo import cli, frontline
from geo.frontline import store

ERA_FILES = sorted((REFERENCE / "deepstate").glob("*.geojson"))
ALL_REFERENCE_FILES = [*ERA_FILES, REFERENCE / "deepstate-2024-11-19.geojson"]

pytestmark = pytest.mark.skipif(not ERA_FILES, reason="../shared reference not present")


@pytest.fixture(scope="module")
def imported(tmp_path_factory: pytest.TempPathFactory) -> Iterator[list[str]]:
    """Import the six reference files through the CLI into a private store."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("RANGEMAP_DATA_DIR", str(tmp_path_factory.mktemp("history")))
        code = cli.main(["frontline", "import", str(REFERENCE / "deepstate"),
                         str(ALL_REFERENCE_FILES[-1])])  # fmt: skip
        assert code == 0
        yield store.dates()


def test_import_stores_every_reference_file_under_its_date(imported: list[str]) -> None:
    assert imported == [
        "2022-04-03", "2022-05-13", "2022-09-06", "2023-03-12", "2024-11-19", "2025-08-03",
    ]  # fmt: skip
    assert set(imported) <= set(frontline.available_dates())
    assert "2024-08-20" in frontline.available_dates()  # bundled dates stay


def test_importing_again_stores_nothing_new(imported: list[str]) -> None:
    files = sorted((store.folder() / "snapshots").glob("*.parquet"))
    results = list(frontline.import_paths(ALL_REFERENCE_FILES))
    assert {r.status for r in results} == {"unchanged"}
    assert sorted((store.folder() / "snapshots").glob("*.parquet")) == files


def test_the_same_map_under_a_new_date_is_stored_once(imported: list[str], tmp_path: Path) -> None:
    copy = tmp_path / "2023-03-13.geojson"
    copy.write_bytes(ERA_FILES[3].read_bytes())
    (result,) = frontline.import_paths([copy])
    assert (result.date, result.status, result.duplicate) == ("2023-03-13", "added", True)
    assert len(list((store.folder() / "snapshots").glob("*.parquet"))) == len(imported) + 0


def test_date_between_two_imported_dates_uses_the_earlier_and_says_how_far(
    imported: list[str], capsys: pytest.CaptureFixture[str]
) -> None:
    assert cli.main(["frontline", "--date", "2023-01-01", "--format", "table"]) == 0
    out, err = capsys.readouterr()
    assert "frontline 2022-09-06" in out and "DeepStateMap" in out
    assert "frontline of 2022-09-06, 117 days before 2023-01-01" in err


def test_a_date_before_every_snapshot_is_refused_with_the_earliest(imported: list[str]) -> None:
    with pytest.raises(frontline.NotFoundError, match="earliest is 2022-04-03"):
        frontline.pick("2021-01-01")


def test_an_imported_date_loads_the_stored_snapshot(imported: list[str]) -> None:
    gdf = frontline.snapshot("2025-08-03")
    assert gdf.crs.to_epsg() == 4326
    occupied = gdf.loc[gdf["class"].isin(frontline.schema.OCCUPIED_CLASSES), "area_km2"].sum()
    assert occupied == pytest.approx(114_329.2, rel=0.005)


def test_list_shows_bundled_and_imported_dates(
    imported: list[str], capsys: pytest.CaptureFixture[str]
) -> None:
    assert cli.main(["frontline", "list"]) == 0
    out = capsys.readouterr().out
    assert "2024-08-20" in out and "bundled" in out and "1754251105.geojson" in out


def test_history_csv_has_one_row_per_date_with_the_occupied_union(
    imported: list[str], capsys: pytest.CaptureFixture[str]
) -> None:
    assert cli.main(["frontline", "history", "--format", "csv"]) == 0
    lines = capsys.readouterr().out.strip().splitlines()
    header = lines[0].split(",")
    assert header[:2] == ["date", "occupied_km2"]
    rows = {line.split(",")[0]: float(line.split(",")[1]) for line in lines[1:]}
    assert rows["2022-04-03"] == pytest.approx(107_286.8, rel=0.005)
    assert rows["2023-03-12"] == pytest.approx(109_194.9, rel=0.005)


def test_history_png_is_written_once_and_only_replaced_with_force(
    imported: list[str], tmp_path: Path
) -> None:
    out = tmp_path / "history.png"
    assert cli.main(["frontline", "history", "--format", "png", "-o", str(out)]) == 0
    assert out.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    before = out.stat().st_mtime_ns
    assert cli.main(["frontline", "history", "--format", "png", "-o", str(out)]) == 2
    assert out.stat().st_mtime_ns == before
    assert cli.main(["frontline", "history", "--format", "png", "-o", str(out), "--force"]) == 0


def test_a_file_that_cannot_be_read_is_refused_and_the_rest_imported(
    imported: list[str], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    bad = tmp_path / "broken.geojson"
    bad.write_text("{not json", encoding="utf-8")
    undated = tmp_path / "undated.geojson"
    undated.write_text(json.dumps({"type": "FeatureCollection", "features": []}), "utf-8")
    assert cli.main(["frontline", "import", str(bad), str(undated)]) == 1
    err = capsys.readouterr().err
    assert "broken.geojson" in err and "not valid JSON" in err
    assert "undated.geojson" in err and "no date" in err


def test_the_store_holds_no_code(imported: list[str]) -> None:
    names = {p.suffix for p in store.folder().rglob("*") if p.is_file() and p.name != ".lock"}
    assert names <= {".json", ".parquet"}
    assert json.loads((store.folder() / "index.json").read_text())["version"] == 1
    assert not any(p.name.endswith(".tmp") for p in store.folder().rglob("*"))
    assert os.environ["RANGEMAP_DATA_DIR"] in str(store.folder())
