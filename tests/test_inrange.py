"""Many points in or out of a scenario's reach: same flags as the geodesic truth, on any path."""

from __future__ import annotations

from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
from pyproj import Geod

from geo import geodesic, inrange
from geo._errors import InputError
from geo.cli import main

WGS84 = Geod(ellps="WGS84")
KURSK = (36.19, 51.73)


@pytest.fixture(scope="module")
def zones() -> dict:
    return {
        "in disc 300 km": geodesic.disc(*KURSK, radius_km=300),
        "in square": geodesic.buffer(gpd.points_from_xy([30.5], [50.5])[0], distance_km=50),
    }


@pytest.fixture(scope="module")
def points() -> pd.DataFrame:
    rng = np.random.default_rng(7)
    n = 20_000
    frame = pd.DataFrame({"latitude": rng.uniform(45, 58, n), "longitude": rng.uniform(25, 45, n)})
    frame.loc[:2, "latitude"] = [np.nan, 95.0, 50.0]  # missing, impossible, fine
    return frame


def test_flags_match_geodesic_distances(zones: dict, points: pd.DataFrame) -> None:
    lon, lat = points["longitude"].to_numpy(), points["latitude"].to_numpy()
    flags = inrange.classify(lon, lat, zones)
    ok = np.isfinite(lat) & (np.abs(lat) <= 90)
    _, _, m = WGS84.inv(np.full(ok.sum(), KURSK[0]), np.full(ok.sum(), KURSK[1]), lon[ok], lat[ok])
    truth = m / 1000 <= 300
    near_edge = np.abs(m / 1000 - 300) < 0.3
    assert (flags["in disc 300 km"][ok] == truth)[~near_edge].all()
    assert not flags["in_any"][:2].any()
    assert (flags["in_any"] == flags["in disc 300 km"] | flags["in square"]).all()


def test_a_csv_and_its_parquet_give_the_same_rows(
    zones: dict, points: pd.DataFrame, tmp_path: Path
) -> None:
    points.to_csv(tmp_path / "p.csv", index=False)
    points.to_parquet(tmp_path / "p.parquet", row_group_size=3_000)
    a = inrange.classify_file(
        tmp_path / "p.csv", zones, tmp_path / "a.parquet", partition_rows=7_000
    )
    b = inrange.classify_file(tmp_path / "p.parquet", zones, tmp_path / "b.parquet")
    assert a.mode == b.mode == "single process" and a.partitions == 3
    assert a.rows == 20_000 and a.invalid == 2 and a.in_range == b.in_range
    out = pd.read_parquet(tmp_path / "a.parquet")
    assert list(out.columns) == ["lon", "lat", "in disc 300 km", "in square", "in_any"]
    assert out.equals(pd.read_parquet(tmp_path / "b.parquet"))
    np.testing.assert_array_equal(out["lon"], points["longitude"])


def test_geoparquet_points_are_read_from_their_geometry(
    zones: dict, points: pd.DataFrame, tmp_path: Path
) -> None:
    ok = points.dropna().query("latitude <= 90")
    gdf = gpd.GeoDataFrame(
        {"id": range(len(ok))},
        geometry=gpd.points_from_xy(ok["longitude"], ok["latitude"]),
        crs=4326,
    )
    gdf.to_parquet(tmp_path / "g.parquet")
    result = inrange.classify_file(tmp_path / "g.parquet", zones, tmp_path / "o.parquet")
    flags = inrange.classify(ok["longitude"].to_numpy(), ok["latitude"].to_numpy(), zones)
    assert result.in_range == {k: int(v.sum()) for k, v in flags.items()}


@pytest.mark.slow
def test_dask_gives_the_same_rows_as_one_process(
    zones: dict, points: pd.DataFrame, tmp_path: Path
) -> None:
    points.to_parquet(tmp_path / "p.parquet", row_group_size=5_000)
    one = inrange.classify_file(tmp_path / "p.parquet", zones, tmp_path / "one.parquet")
    many = inrange.classify_file(
        tmp_path / "p.parquet",
        zones,
        tmp_path / "many.parquet",
        parallel=True,
        workers=1,
        partition_rows=5_000,
    )
    assert many.mode.startswith("dask") and many.partitions == 4
    assert pd.read_parquet(tmp_path / "many.parquet").equals(
        pd.read_parquet(tmp_path / "one.parquet")
    )
    assert many.in_range == one.in_range


def test_a_file_without_coordinates_is_a_clear_error(zones: dict, tmp_path: Path) -> None:
    (tmp_path / "p.csv").write_text("a,b\n1,2\n")
    with pytest.raises(InputError, match=r"no longitude/latitude columns.*--lon/--lat"):
        inrange.classify_file(tmp_path / "p.csv", zones, tmp_path / "o.parquet")


def test_the_command_writes_once_and_refuses_to_clobber(
    points: pd.DataFrame, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    points.iloc[:2_000].to_csv(tmp_path / "p.csv", index=False)
    out = tmp_path / "o.parquet"
    argv = ["inrange", str(tmp_path / "p.csv"), "--scenario", "default", "--out", str(out), "-q"]
    assert main(argv) == 0
    assert '"rows": 2000' in capsys.readouterr().out
    written = pd.read_parquet(out)
    assert len(written) == 2_000 and "in_any" in written.columns
    assert main(argv) == 2  # refused before any work
    assert "add --force" in capsys.readouterr().err
