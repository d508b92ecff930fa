"""Many articles → one GeoParquet file of place mentions, in parallel on Dask.

A corpus is a folder of ``.txt`` files (the id is the file's path inside the folder, without
``.txt``), a JSON-lines file or a Parquet file of articles with fields ``id``, ``text`` and
optionally ``date``. It is cut into partitions of ``partition_size`` articles; each partition
is one Dask task that reads its own articles (the driver holds only byte ranges, row ranges
or file names), finds their places with :func:`geo.places.resolve.place_records` and writes
one part file. Part files live in a work folder beside the output
(``.<output name>.parts/``), each written under a unique name and renamed into place, so a
run that is killed keeps every finished partition and the next run with the same input
skips them. Finally the parts are copied, one at a time, into the output (written with
:func:`geo._outputs.atomic_path`: never over an input, never through a symlink, an existing
file only with ``force``), and the work folder is removed.

The output has one row per mention: ``article_id``, ``date``, ``start``/``end`` (character
offsets into the article), ``surface``, the place's ``name``, ``kind``, ``country_code``,
``code``, ``admin1_code``, ``geonameid``, ``population``, ``confidence``, ``demonym_only``,
and a point ``geometry`` (WKB, EPSG:4326, GeoParquet 1.1 metadata), in input order.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import shutil
import struct
import sys
import tempfile
import time
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from functools import partial
from pathlib import Path
from typing import Any

from geo._errors import InputError
from geo._limits import ARTICLE_MAX_BYTES
from geo._outputs import atomic_path

#: Columns of the mentions file (plus ``geometry``), in order.
MENTION_COLUMNS: tuple[str, ...] = (
    "article_id",
    "date",
    "start",
    "end",
    "surface",
    "name",
    "kind",
    "country_code",
    "code",
    "admin1_code",
    "geonameid",
    "population",
    "confidence",
    "demonym_only",
)
LOCAL_SCHEDULERS = ("synchronous", "threads", "processes")
_PLACE_FIELDS = MENTION_COLUMNS[5:]
_MANIFEST = "manifest.json"


@dataclass(frozen=True)
class Article:
    """One article of a corpus."""

    id: str
    text: str
    date: str | None = None


@dataclass(frozen=True)
class CorpusSummary:
    """What a corpus run did."""

    output: Path
    partitions: int
    resumed: int
    articles: int
    mentions: int
    skipped: int
    seconds: float

    def describe(self) -> str:
        """Return a one-line account of the run."""
        resumed = f" ({self.resumed} done before)" if self.resumed else ""
        skipped = f", {self.skipped:,} skipped (not text or over the size limit)"
        return (
            f"places: {self.partitions} partitions{resumed}, {self.articles:,} articles, "
            f"{self.mentions:,} mentions{skipped if self.skipped else ''} -> {self.output} "
            f"in {self.seconds:.1f} s"
        )


def places_to_parquet(
    corpus: str | Path,
    out: str | Path,
    *,
    scheduler: str | None = None,
    workers: int | None = None,
    partition_size: int = 500,
    progress: bool = True,
    force: bool = False,
) -> CorpusSummary:
    """Find the places of every article of a corpus and write one GeoParquet of mentions.

    Parameters
    ----------
    corpus
        A folder of ``.txt`` files, a ``.jsonl`` file or a ``.parquet`` file of articles.
    out
        The GeoParquet file to write.
    scheduler
        ``None`` for a local cluster of worker processes; ``"synchronous"``, ``"threads"``
        or ``"processes"`` for Dask's local schedulers; anything else is the address of a
        running Dask scheduler (``tcp://host:8786``).
    workers
        Worker processes of the local cluster (default: one per core).
    partition_size
        Articles per partition: the unit of work, of memory and of resuming.
    progress
        Print a progress bar on standard error.
    force
        Replace ``out`` if it exists.

    Returns
    -------
    CorpusSummary
        Counts of partitions (and how many an earlier run had finished), articles,
        mentions and skipped articles.
    """
    if partition_size < 1:
        raise InputError(f"--partition-size must be at least 1, got {partition_size}")
    if workers is not None and workers < 1:
        raise InputError(f"--workers must be at least 1, got {workers}")
    started = time.perf_counter()
    source = open_corpus(corpus)
    target = Path(out)
    specs = source.partitions(partition_size)
    work = _work_folder(target, source, partition_size, len(specs))
    todo = [n for n in range(len(specs)) if not _part(work, n).exists()]
    tasks = [partial(_run_partition, source, specs[n], _part(work, n)) for n in todo]
    for _ in _execute(tasks, scheduler=scheduler, workers=workers, progress=progress):
        pass
    articles, mentions, skipped = _merge(work, len(specs), target, force=force)
    shutil.rmtree(work, ignore_errors=True)
    return CorpusSummary(
        output=target,
        partitions=len(specs),
        resumed=len(specs) - len(todo),
        articles=articles,
        mentions=mentions,
        skipped=skipped,
        seconds=time.perf_counter() - started,
    )


def open_corpus(path: str | Path) -> Source:
    """Return the article source of a corpus folder, JSON-lines file or Parquet file."""
    p = Path(path)
    if p.is_dir():
        return FolderSource(p)
    if not p.is_file():
        raise InputError(f"--corpus {p}: no such folder or file")
    if p.suffix.lower() in (".jsonl", ".ndjson", ".json"):
        return JsonLinesSource(p)
    if p.suffix.lower() in (".parquet", ".pq"):
        return ParquetSource(p)
    raise InputError(f"--corpus {p}: give a folder of .txt files, a .jsonl file or a .parquet file")


def mention_rows(article: Article, places: Sequence[dict[str, Any]]) -> list[tuple[Any, ...]]:
    """Return one row per mention (:data:`MENTION_COLUMNS` then lon, lat) of an article.

    Parameters
    ----------
    article
        The article.
    places
        Its places, from :func:`geo.places.resolve.place_records`.
    """
    rows = []
    for place in places:
        fields = tuple(place[c] for c in _PLACE_FIELDS)
        for start, end in place["mentions"]:
            head = (article.id, article.date, start, end, article.text[start:end])
            rows.append((*head, *fields, place["lon"], place["lat"]))
    rows.sort(key=lambda r: (r[2], r[3]))
    return rows


# ----------------------------------------------------------------------------- sources


class Source:
    """Articles of a corpus, read partition by partition (specs are small and picklable)."""

    path: Path

    def partitions(self, size: int) -> list[Any]:
        """Return one small description per partition of at most ``size`` articles."""
        raise NotImplementedError

    def read(self, spec: Any) -> Iterator[Article | None]:
        """Yield the articles of one partition (``None`` for a record that is no article)."""
        raise NotImplementedError

    def identity(self) -> dict[str, Any]:
        """Return what identifies this input for resuming (path, size, modification time)."""
        info = self.path.stat()
        return {"path": str(self.path.resolve()), "size": info.st_size, "mtime": info.st_mtime_ns}


class FolderSource(Source):
    """A folder of ``.txt`` articles (searched recursively, in sorted order)."""

    def __init__(self, path: Path) -> None:
        self.path = path

    def partitions(self, size: int) -> list[Any]:
        """Return lists of file names (relative to the folder)."""
        names = sorted(p.relative_to(self.path).as_posix() for p in self.path.rglob("*.txt"))
        return [names[i : i + size] for i in range(0, len(names), size)]

    def read(self, spec: Any) -> Iterator[Article | None]:
        """Yield the articles of the given files (``None`` for files that are not text)."""
        for name in spec:
            file = self.path / name
            try:
                if file.is_symlink() or file.stat().st_size > ARTICLE_MAX_BYTES:
                    yield None
                    continue
                yield Article(name.removesuffix(".txt"), file.read_text(encoding="utf-8"))
            except (OSError, UnicodeDecodeError):
                yield None

    def identity(self) -> dict[str, Any]:
        """Return the folder's path and the names, sizes and times of its ``.txt`` files."""
        digest = hashlib.sha256()
        for p in sorted(self.path.rglob("*.txt")):
            info = p.stat()
            digest.update(f"{p.relative_to(self.path)}:{info.st_size}:{info.st_mtime_ns};".encode())
        return {"path": str(self.path.resolve()), "files": digest.hexdigest()}


class JsonLinesSource(Source):
    """A JSON-lines file: one object per line with ``id``, ``text`` and optional ``date``."""

    def __init__(self, path: Path) -> None:
        self.path = path

    def partitions(self, size: int) -> list[Any]:
        """Return ``(first line number, start byte, end byte)`` of each partition."""
        specs, start, count, line_no = [], 0, 0, 0
        offset = 0
        with self.path.open("rb") as fh:
            for line in fh:
                if count == size:
                    specs.append((line_no - count, start, offset))
                    start, count = offset, 0
                offset += len(line)
                count += bool(line.strip())
                line_no += bool(line.strip())
        if count:
            specs.append((line_no - count, start, offset))
        return specs

    def read(self, spec: Any) -> Iterator[Article | None]:
        """Yield the articles of the lines in one byte range."""
        first, start, end = spec
        with self.path.open("rb") as fh:
            fh.seek(start)
            data = fh.read(end - start)
        number = first
        for line in data.splitlines():
            if not line.strip():
                continue
            try:
                record = json.loads(line)
            except ValueError:
                record = None
            yield _article(record, default_id=str(number))
            number += 1


class ParquetSource(Source):
    """A Parquet file with columns ``id``, ``text`` and optional ``date``."""

    def __init__(self, path: Path) -> None:
        self.path = path

    def partitions(self, size: int) -> list[Any]:
        """Return ``(row group, first row, end row, first article number)`` of each partition."""
        import pyarrow.parquet as pq

        meta = pq.ParquetFile(self.path).metadata
        if "text" not in meta.schema.names:
            raise InputError(f"--corpus {self.path}: no 'text' column")
        specs, number = [], 0
        for group in range(meta.num_row_groups):
            rows = meta.row_group(group).num_rows
            for lo in range(0, rows, size):
                specs.append((group, lo, min(lo + size, rows), number + lo))
            number += rows
        return specs

    def read(self, spec: Any) -> Iterator[Article | None]:
        """Yield the articles of one slice of one row group."""
        import pyarrow.parquet as pq

        group, lo, hi, first = spec
        file = pq.ParquetFile(self.path)
        columns = [c for c in ("id", "text", "date") if c in file.schema_arrow.names]
        table = file.read_row_group(group, columns=columns).slice(lo, hi - lo)
        for k, record in enumerate(table.to_pylist()):
            yield _article(record, default_id=str(first + k))


def _article(record: Any, *, default_id: str) -> Article | None:
    if not isinstance(record, dict) or not isinstance(record.get("text"), str):
        return None
    text = record["text"]
    if len(text) > ARTICLE_MAX_BYTES:
        return None
    date = record.get("date")
    ident = record.get("id")
    return Article(
        id=default_id if ident is None else str(ident),
        text=text,
        date=None if date is None else _date_text(date),
    )


def _date_text(date: Any) -> str:
    return str(date.isoformat() if hasattr(date, "isoformat") else date)


# ----------------------------------------------------------------------------- partitions


def _run_partition(source: Source, spec: Any, part: Path) -> int:
    """Find the places of one partition's articles and write its part file; return its size."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    from geo.places.resolve import place_records

    rows: list[tuple[Any, ...]] = []
    articles = skipped = 0
    for article in source.read(spec):
        if article is None:
            skipped += 1
            continue
        articles += 1
        rows.extend(mention_rows(article, place_records(article.text)))
    table = _table(pa, rows)
    bbox = _bbox(rows)
    meta = {"articles": articles, "skipped": skipped, "bbox": bbox}
    table = table.replace_schema_metadata({b"rangemap": json.dumps(meta).encode()})
    fd, tmp = tempfile.mkstemp(prefix=f".{part.name}.", dir=part.parent)
    os.close(fd)
    try:
        pq.write_table(table, tmp)
        os.replace(tmp, part)
    finally:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(tmp)
    return articles


def _schema(pa: Any) -> Any:
    text, number = pa.string(), pa.int64()
    types = [text, text, number, number, text, text, text, text, text, text, number, number]
    types += [pa.float64(), pa.bool_()]
    fields = [pa.field(c, t) for c, t in zip(MENTION_COLUMNS, types, strict=True)]
    return pa.schema([*fields, pa.field("geometry", pa.binary())])


def _table(pa: Any, rows: list[tuple[Any, ...]]) -> Any:
    columns = (
        list(zip(*rows, strict=True)) if rows else [() for _ in range(len(MENTION_COLUMNS) + 2)]
    )
    point = struct.Struct("<BIdd")  # WKB: little-endian, type 1 (Point), x = lon, y = lat
    wkb = [point.pack(1, 1, lon, lat) for lon, lat in zip(columns[-2], columns[-1], strict=True)]
    schema = _schema(pa)
    arrays = [
        pa.array(list(col), type=f.type) for col, f in zip(columns[:-2], schema, strict=False)
    ]
    return pa.Table.from_arrays([*arrays, pa.array(wkb, type=pa.binary())], schema=schema)


def _bbox(rows: list[tuple[Any, ...]]) -> list[float] | None:
    if not rows:
        return None
    lons = [r[-2] for r in rows]
    lats = [r[-1] for r in rows]
    return [min(lons), min(lats), max(lons), max(lats)]


def _part(work: Path, number: int) -> Path:
    return work / f"part-{number:06d}.parquet"


def _work_folder(target: Path, source: Source, partition_size: int, partitions: int) -> Path:
    """Return the work folder of this run; start it afresh if it belongs to another input."""
    work = target.parent / f".{target.name}.parts"
    manifest = {
        "input": source.identity(),
        "partition_size": partition_size,
        "partitions": partitions,
        "code": _code_version(),
    }
    try:
        if json.loads((work / _MANIFEST).read_text(encoding="utf-8")) == manifest:
            return work
    except (OSError, ValueError):
        pass
    if work.is_symlink() or (work.exists() and not work.is_dir()):
        raise InputError(f"{work} is in the way of the work folder; remove it")
    shutil.rmtree(work, ignore_errors=True)
    work.mkdir(parents=True)
    (work / _MANIFEST).write_text(json.dumps(manifest), encoding="utf-8")
    return work


def _code_version() -> str:
    """Return a digest of the place-finding code and data (parts of other code are redone)."""
    from geo import settings
    from geo.places import _cache, gazetteer

    digest = hashlib.sha256(_cache.cache_key(gazetteer._INDEX_VERSION).encode())
    for path in sorted(Path(__file__).parent.joinpath("places").glob("*.py")):
        digest.update(path.read_bytes())
    for path in sorted(settings.data_path("gazetteer").glob("*")):
        digest.update(path.name.encode())
    return digest.hexdigest()[:16]


# ----------------------------------------------------------------------------- running


def _execute(
    tasks: Sequence[Callable[[], int]],
    *,
    scheduler: str | None,
    workers: int | None,
    progress: bool,
) -> Iterator[int]:
    """Run the tasks on Dask and yield their results as they finish."""
    if not tasks:
        return
    if scheduler in LOCAL_SCHEDULERS:
        yield from _execute_local(tasks, scheduler=str(scheduler), progress=progress)
        return
    from distributed import Client, LocalCluster, as_completed

    cluster = None
    if scheduler is None:
        cluster = LocalCluster(
            n_workers=workers or os.cpu_count() or 1,
            threads_per_worker=1,
            processes=True,
            host="127.0.0.1",  # local workers talk over loopback only
            dashboard_address="127.0.0.1:0",  # None does not disable it (dask/distributed#8136)
            silence_logs=40,
        )
    client = Client(cluster if cluster is not None else scheduler, timeout="30s")
    try:
        bar = _Progress(len(tasks), enabled=progress)
        futures = [client.submit(t, pure=False) for t in tasks]
        for future in as_completed(futures):
            result = int(future.result())
            bar.advance(result)
            yield result
        bar.close()
    finally:
        client.close()
        if cluster is not None:
            cluster.close()


def _execute_local(
    tasks: Sequence[Callable[[], int]], *, scheduler: str, progress: bool
) -> Iterator[int]:
    import dask
    from dask.callbacks import Callback

    bar = _Progress(len(tasks), enabled=progress)

    class _Advance(Callback):
        def _posttask(self, key: Any, result: Any, *args: Any) -> None:
            bar.advance(int(result))

    with _Advance():
        results = dask.compute(*[dask.delayed(t, pure=False)() for t in tasks], scheduler=scheduler)
    bar.close()
    yield from (int(r) for r in results)


class _Progress:
    """A one-line progress bar on standard error: partitions, articles and articles/s."""

    def __init__(self, total: int, *, enabled: bool) -> None:
        self.total, self.done, self.articles = total, 0, 0
        self.enabled = enabled
        self.started = time.perf_counter()

    def advance(self, articles: int) -> None:
        self.done += 1
        self.articles += articles
        if not self.enabled:
            return
        rate = self.articles / max(time.perf_counter() - self.started, 1e-9)
        filled = int(30 * self.done / self.total)
        sys.stderr.write(
            f"\r[{'#' * filled}{'.' * (30 - filled)}] {self.done}/{self.total} partitions, "
            f"{self.articles:,} articles, {rate:,.0f} articles/s"
        )
        sys.stderr.flush()

    def close(self) -> None:
        if self.enabled:
            sys.stderr.write("\n")


# ----------------------------------------------------------------------------- output


def _merge(work: Path, partitions: int, target: Path, *, force: bool) -> tuple[int, int, int]:
    """Copy the parts, in order and one at a time, into one GeoParquet file."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    parts = [_part(work, n) for n in range(partitions)]
    metas = [_part_meta(pq, p) for p in parts]
    boxes = [m["bbox"] for m in metas if m.get("bbox")]
    bbox = [f(b[i] for b in boxes) for i, f in enumerate((min, min, max, max))] if boxes else []
    schema = _schema(pa).with_metadata({b"geo": json.dumps(_geo_metadata(bbox)).encode()})
    mentions = 0
    with atomic_path(target, force=force) as tmp, pq.ParquetWriter(tmp, schema) as writer:
        for part in parts:
            table = pq.read_table(part).replace_schema_metadata(schema.metadata)
            mentions += table.num_rows
            writer.write_table(table.cast(schema))
    return sum(m["articles"] for m in metas), mentions, sum(m["skipped"] for m in metas)


def _part_meta(pq: Any, part: Path) -> dict[str, Any]:
    meta = pq.read_schema(part).metadata or {}
    data: dict[str, Any] = json.loads(meta[b"rangemap"])
    return data


def _geo_metadata(bbox: list[float]) -> dict[str, Any]:
    from pyproj import CRS

    column: dict[str, Any] = {
        "encoding": "WKB",
        "geometry_types": ["Point"],
        "crs": CRS.from_epsg(4326).to_json_dict(),
    }
    if bbox:
        column["bbox"] = bbox
    return {"version": "1.1.0", "primary_column": "geometry", "columns": {"geometry": column}}
