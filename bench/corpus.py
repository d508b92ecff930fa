"""Corpus mode on Dask (issue 14): two local workers against the single-process path, resume.

Run ``python bench/corpus.py [--articles 20000] [--workers 2]`` from the project root. It
writes a JSON-lines corpus of news articles to a temporary folder (the LGL and TR-News texts
of ``../shared/corpora``, read only, repeated under new ids), then prints:

1. the single-process path (Dask's synchronous scheduler in this process): articles/s;
2. a local cluster of ``--workers`` worker processes: articles/s, the speed-up over (1)
   (target >= 1.7 with 2 workers) and whether the two GeoParquet files hold identical
   mentions;
3. resume: ``rangemap places --corpus`` started in a subprocess, killed (SIGKILL to its
   process group) once some partitions are finished, and started again: how many
   partitions the second run found done, how many it ran, and whether its output is
   identical to (1).
"""

from __future__ import annotations

import argparse
import json
import os
import re
import resource
import signal
import subprocess
import sys
import tempfile
import time
import xml.etree.ElementTree as ET
from pathlib import Path

import pyarrow.parquet as pq

from geo.corpus import places_to_parquet

ROOT = Path(__file__).resolve().parent.parent
CORPORA = ROOT.parent / "shared" / "corpora"
PARTITION = 500


def write_corpus(path: Path, count: int) -> None:
    """Write ``count`` articles as JSON lines (the corpora's texts, cycled, with new ids)."""
    texts = []
    for name in ("lgl.xml", "TR-News.xml"):
        root = ET.parse(CORPORA / name).getroot()
        texts += [a.findtext("text") or "" for a in root.iter("article")]
    texts = [t for t in texts if t.strip()]
    with path.open("w", encoding="utf-8") as fh:
        for i in range(count):
            record = {"id": f"n{i:06d}", "text": texts[i % len(texts)], "date": "2024-01-01"}
            fh.write(json.dumps(record) + "\n")


def timed(
    corpus: Path, out: Path, *, scheduler: str | None, workers: int | None
) -> tuple[float, float]:
    """Return the wall-clock and CPU seconds (this process and its workers) of one run."""
    start, cpu = time.perf_counter(), _cpu()
    places_to_parquet(
        corpus, out, scheduler=scheduler, workers=workers, partition_size=PARTITION, progress=False
    )
    return time.perf_counter() - start, _cpu() - cpu


def _cpu() -> float:
    """Return CPU seconds of this process and of its finished child processes."""
    own, children = (
        resource.getrusage(w) for w in (resource.RUSAGE_SELF, resource.RUSAGE_CHILDREN)
    )
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime


def resume(corpus: Path, out: Path, *, workers: int, kill_after: int) -> str:
    """Start the CLI, kill it once ``kill_after`` partitions are done, run it again."""
    cmd = [
        *(sys.executable, "-m", "geo.cli", "places", "--corpus", str(corpus), "--out", str(out)),
        *("--workers", str(workers), "--partition-size", str(PARTITION), "--quiet"),
    ]
    work = out.parent / f".{out.name}.parts"
    proc = subprocess.Popen(cmd, start_new_session=True, stderr=subprocess.DEVNULL)
    while len(list(work.glob("part-*.parquet"))) < kill_after and proc.poll() is None:
        time.sleep(0.2)
    os.killpg(proc.pid, signal.SIGKILL)
    proc.wait()
    done = len(list(work.glob("part-*.parquet")))
    again = subprocess.run(cmd, capture_output=True, text=True, check=True)
    line = (again.stderr.strip().splitlines() or [""])[-1]
    found = re.search(r"(\d+) partitions \((\d+) done before\)", line)
    total, before = (int(found.group(1)), int(found.group(2))) if found else (0, 0)
    return (
        f"killed with {done} partitions finished; the second run found {before} done and ran "
        f"{total - before} of {total} ({line!r})"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--articles", type=int, default=20_000)
    parser.add_argument("--workers", type=int, default=2)
    args = parser.parse_args()
    print(f"load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores")
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        corpus = folder / "news.jsonl"
        write_corpus(corpus, args.articles)
        print(f"{args.articles:,} articles, partitions of {PARTITION}")
        one, one_cpu = timed(corpus, folder / "one.parquet", scheduler="synchronous", workers=None)
        print(f"single process       {args.articles / one:8.1f} articles/s ({one:.1f} s)")
        many, many_cpu = timed(
            corpus, folder / "many.parquet", scheduler=None, workers=args.workers
        )
        print(
            f"{args.workers} local workers      {args.articles / many:8.1f} articles/s "
            f"({many:.1f} s): {one / many:.2f}x the single process (target >= 1.7)"
        )
        print(
            f"CPU: single {one_cpu:.1f} s, {args.workers} workers {many_cpu:.1f} s in all: on "
            f"{args.workers} idle cores about {args.workers * one_cpu / many_cpu:.2f}x"
        )
        reference = pq.read_table(folder / "one.parquet")
        same = reference.equals(pq.read_table(folder / "many.parquet"))
        print(f"identical mentions: {same} ({reference.num_rows:,} mentions)")
        partitions = -(-args.articles // PARTITION)
        print(
            "resume: "
            + resume(
                corpus, folder / "resumed.parquet", workers=args.workers, kill_after=partitions // 3
            )
        )
        same = reference.equals(pq.read_table(folder / "resumed.parquet"))
        print(f"resumed output identical: {same}")


if __name__ == "__main__":
    main()
