"""Corpus mode: many articles → one GeoParquet of mentions on Dask, resumable, never clobbering."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import geopandas as gpd
import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from geo import corpus
from geo._outputs import OutputError
from geo.cli import main
from geo.places.resolve import place_records

ARTICLES = [
    {
        "id": "a1",
        "text": "Drones hit Kharkiv and the Kursk region; Kyiv said so.",
        "date": "2024-08-20",
    },
    {"id": "a2", "text": "Ships crossed the Sea of Azov near Mariupol.", "date": "2024-08-21"},
    {"id": "a3", "text": "Nothing here names a place.", "date": None},
    {
        "id": "a4",
        "text": "Officials in Odesa and Lviv met envoys from Poland.",
        "date": "2024-08-22",
    },
    {
        "id": "a5",
        "text": "Shelling hit K\u200bharkiv again; Belgorod was quiet.",
        "date": "2024-08-23",
    },
]


def write_jsonl(path: Path, records: list[Any]) -> Path:
    path.write_text("".join(json.dumps(r) + "\n" for r in records), encoding="utf-8")
    return path


def expected_mentions() -> list[tuple[Any, ...]]:
    """Return the mentions of every article through the one-article path, in input order."""
    rows = []
    for a in ARTICLES:
        article = corpus.Article(a["id"], a["text"], a["date"])
        rows.extend(r[:-2] for r in corpus.mention_rows(article, place_records(a["text"])))
    return rows


def read_mentions(path: Path) -> list[tuple[Any, ...]]:
    table = pq.read_table(path)
    return [tuple(row[c] for c in corpus.MENTION_COLUMNS) for row in table.to_pylist()]


def run(source: Path, out: Path, **options: Any) -> corpus.CorpusSummary:
    options = {"scheduler": "synchronous", "partition_size": 2, "progress": False} | options
    return corpus.places_to_parquet(source, out, **options)


def test_mentions_are_those_of_the_one_article_path_in_a_geoparquet(tmp_path: Path) -> None:
    out = tmp_path / "places.parquet"
    summary = run(write_jsonl(tmp_path / "news.jsonl", ARTICLES), out)
    assert (summary.partitions, summary.articles, summary.skipped) == (3, 5, 0)
    assert read_mentions(out) == expected_mentions()
    frame = gpd.read_parquet(out)
    assert frame.crs.to_epsg() == 4326
    kharkiv = frame[frame["name"] == "Kharkiv"].iloc[0]
    assert kharkiv.geometry.x == pytest.approx(36.25, abs=0.1)
    assert kharkiv.geometry.y == pytest.approx(49.98, abs=0.1)
    assert not (tmp_path / ".places.parquet.parts").exists()


def test_folder_and_parquet_inputs_give_the_same_mentions(tmp_path: Path) -> None:
    folder = tmp_path / "news"
    folder.mkdir()
    for a in ARTICLES:
        (folder / f"{a['id']}.txt").write_text(a["text"], encoding="utf-8")
    table = pa.Table.from_pylist(ARTICLES)
    pq.write_table(table, tmp_path / "news.parquet", row_group_size=3)
    want = expected_mentions()
    run(folder, tmp_path / "from_folder.parquet")
    run(tmp_path / "news.parquet", tmp_path / "from_parquet.parquet")
    assert read_mentions(tmp_path / "from_parquet.parquet") == want
    no_dates = [(m[0], None, *m[2:]) for m in want]
    assert read_mentions(tmp_path / "from_folder.parquet") == no_dates


def test_a_killed_run_resumes_without_redoing_finished_partitions(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    source = write_jsonl(tmp_path / "news.jsonl", ARTICLES)
    out = tmp_path / "places.parquet"
    real = corpus._run_partition
    ran: list[str] = []

    def killed_after_two(src: corpus.Source, spec: Any, part: Path) -> int:
        if len(ran) == 2:
            raise KeyboardInterrupt  # the run is killed while the third partition starts
        ran.append(part.name)
        return real(src, spec, part)

    monkeypatch.setattr(corpus, "_run_partition", killed_after_two)
    with pytest.raises(KeyboardInterrupt):
        run(source, out)
    assert not out.exists()
    finished = sorted(p.name for p in (tmp_path / ".places.parquet.parts").glob("part-*"))
    assert finished == sorted(ran) and len(finished) == 2
    ran.clear()
    monkeypatch.setattr(corpus, "_run_partition", lambda *a: ran.append(a[2].name) or real(*a))
    summary = run(source, out)
    all_parts = {f"part-{n:06d}.parquet" for n in range(3)}
    assert ran == sorted(all_parts - set(finished))
    assert summary.resumed == 2
    assert read_mentions(out) == expected_mentions()


def test_records_that_are_no_articles_are_skipped_and_counted(tmp_path: Path) -> None:
    source = tmp_path / "news.jsonl"
    source.write_text(
        json.dumps(ARTICLES[0]) + "\n{not json\n" + json.dumps({"id": "x", "text": 5}) + "\n",
        encoding="utf-8",
    )
    summary = run(source, tmp_path / "places.parquet")
    assert (summary.articles, summary.skipped) == (1, 2)


def test_the_output_never_clobbers(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    source = write_jsonl(tmp_path / "news.jsonl", ARTICLES[:1])
    out = tmp_path / "places.parquet"
    out.write_bytes(b"precious")
    args = ["places", "--corpus", str(source), "--out", str(out), "--scheduler", "synchronous"]
    assert main([*args, "--quiet"]) == 2
    assert "already exists" in capsys.readouterr().err and out.read_bytes() == b"precious"
    assert (
        main(["places", "--corpus", str(source), "--out", str(source), "--quiet", "--force"]) == 2
    )
    assert "is the input" in capsys.readouterr().err
    assert main([*args, "--quiet", "--force"]) == 0
    assert read_mentions(out)[0][0] == "a1"
    with pytest.raises(OutputError, match="already exists"):
        run(source, out)


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--corpus", "nowhere.jsonl", "--out", "x.parquet"], "no such folder or file"),
        (["--corpus", "news.jsonl"], "both --corpus PATH and --out"),
        (["--partition-size", "0"], "at least 1"),
    ],
)
def test_bad_corpus_arguments_are_one_line_errors(
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    args: list[str],
    message: str,
) -> None:
    monkeypatch.chdir(tmp_path)
    write_jsonl(tmp_path / "news.jsonl", ARTICLES[:1])
    if args[0] == "--partition-size":
        args = ["--corpus", "news.jsonl", "--out", "x.parquet", *args]
    assert main(["places", *args, "--quiet"]) == 2
    assert message in capsys.readouterr().err


@pytest.mark.slow
def test_a_local_cluster_of_worker_processes_gives_the_same_mentions(tmp_path: Path) -> None:
    out = tmp_path / "places.parquet"
    run(write_jsonl(tmp_path / "news.jsonl", ARTICLES), out, scheduler=None, workers=2)
    assert read_mentions(out) == expected_mentions()


@pytest.mark.slow
def test_an_existing_cluster_is_used_by_its_address(tmp_path: Path) -> None:
    from distributed import LocalCluster

    out = tmp_path / "places.parquet"
    loopback = {"protocol": "tcp", "host": "127.0.0.1", "dashboard_address": "127.0.0.1:0"}
    with LocalCluster(n_workers=1, processes=False, **loopback) as cluster:
        source = write_jsonl(tmp_path / "news.jsonl", ARTICLES)
        run(source, out, scheduler=cluster.scheduler_address)
    assert read_mentions(out) == expected_mentions()
