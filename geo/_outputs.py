"""Writing output files without ever clobbering: the one way every command writes a file.

Every command that writes files (``map``, ``reach``, ``places``, ``frontline`` ...) does two
things, in this order:

1. Before any work, :func:`check_outputs` with every output path and every input path::

       check_outputs({"--png": args.png, "--html": args.html},
                     inputs=[args.file], force=args.force)

   It refuses (``OutputError``, a :class:`geo._errors.RangemapError`, so the CLI prints one
   line and exits 2):

   - an output that is one of the inputs (same resolved real path, or the same inode: hard
     links and symlinks to the input count too);
   - one path given for two outputs;
   - an output path that is a symbolic link (it is never followed), a folder, or not a
     regular file (``/dev/...``, a FIFO);
   - an output whose folder does not exist;
   - an existing file, unless ``force`` (the ``--force`` option, see :func:`add_force_option`).

2. Then write each file atomically, with :func:`write_text` / :func:`write_bytes`, or with
   :func:`atomic_path` for writers that need a path (matplotlib, pyogrio)::

       with atomic_path(args.gpkg, force=args.force) as tmp:
           export.to_gpkg(layers, tmp)      # writes tmp; renamed onto args.gpkg on success

   The data goes to a fresh private temporary folder next to the target (same file system,
   unique name, created with ``O_EXCL`` so nothing there can be a planted symlink) and is
   moved into place with one ``rename``. Without ``force`` the final step is ``os.link``,
   which fails rather than replace a file that appeared in the meantime. A failed writer
   leaves no partial file behind and the old file untouched.

``-`` (standard output) is never a file here: leave it out of the mapping.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import shutil
import stat
import tempfile
from collections.abc import Iterable, Iterator, Mapping
from pathlib import Path

from geo._errors import RangemapError

__all__ = [
    "OutputError",
    "add_force_option",
    "atomic_path",
    "check_outputs",
    "write_bytes",
    "write_text",
]


class OutputError(RangemapError):
    """An output path that would clobber an input, another output or an existing file."""


def add_force_option(parser: argparse.ArgumentParser) -> None:
    """Add the ``--force`` flag (overwrite existing output files) to a command's parser."""
    parser.add_argument(
        "--force",
        action="store_true",
        help="overwrite output files that already exist (never an input, never via a symlink)",
    )


def check_outputs(
    outputs: Mapping[str, str | Path | None],
    *,
    inputs: Iterable[str | Path | None] = (),
    force: bool = False,
) -> dict[str, Path]:
    """Check every output path of a command before any work is done.

    Parameters
    ----------
    outputs
        Option name (``"--png"``) → path; ``None`` values (options not given) are skipped.
    inputs
        Files the command reads (``None`` and ``"-"`` are skipped; missing files are fine).
    force
        Allow replacing existing regular files.

    Returns
    -------
    dict
        The outputs that were given, as :class:`~pathlib.Path`.

    Raises
    ------
    OutputError
        With a message naming the option and the path, for any of the cases in the module
        docstring.
    """
    given = {opt: Path(p) for opt, p in outputs.items() if p is not None and str(p) != "-"}
    input_ids = {_identity(Path(p)): str(p) for p in inputs if p is not None and str(p) != "-"}
    input_ids.pop(None, None)
    seen: dict[object, str] = {}
    for option, path in given.items():
        ident = _check_one(option, path, force=True)  # existing files: after the input check
        if ident in input_ids:
            raise OutputError(
                f"{option} {path} is the input {input_ids[ident]}: "
                "writing it would destroy the input; choose another output path"
            )
        if ident in seen:
            raise OutputError(
                f"{seen[ident]} and {option} name the same file ({path}); give each output "
                "its own path"
            )
        seen[ident] = option
    for option, path in given.items():
        _check_one(option, path, force=force)
    return given


@contextlib.contextmanager
def atomic_path(path: str | Path, *, force: bool = False) -> Iterator[Path]:
    """Yield a temporary path to write; on success move it onto ``path`` in one step.

    The temporary file has the same name as ``path`` (so writers that pick a format from
    the suffix still do), inside a new private folder next to ``path``.

    Raises
    ------
    OutputError
        If ``path`` is a symlink, not a regular file, or exists and ``force`` is false.
    """
    target = Path(path)
    _check_one(str(target), target, force=force)
    try:
        folder = Path(tempfile.mkdtemp(prefix=f".{target.name[:40]}.", dir=target.parent))
    except OSError as exc:
        raise OutputError(f"cannot write {target}: {exc.strerror or exc}") from None
    try:
        tmp = folder / target.name
        yield tmp
        _commit(tmp, target, force=force)
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def write_text(path: str | Path, text: str, *, force: bool = False) -> Path:
    """Write UTF-8 text to ``path`` atomically (see :func:`atomic_path`) and return it."""
    return write_bytes(path, text.encode("utf-8"), force=force)


def write_bytes(path: str | Path, data: bytes, *, force: bool = False) -> Path:
    """Write bytes to ``path`` atomically (see :func:`atomic_path`) and return it."""
    with atomic_path(path, force=force) as tmp:
        try:
            fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL | _NOFOLLOW, 0o666)
            with os.fdopen(fd, "wb") as handle:
                handle.write(data)
        except OSError as exc:  # a full disk, a quota
            raise OutputError(f"cannot write {path}: {exc.strerror or exc}") from None
    return Path(path)


# --- helpers ----------------------------------------------------------------------------------

_NOFOLLOW = getattr(os, "O_NOFOLLOW", 0)


def _identity(path: Path) -> object | None:
    """Return what makes two paths the same file: (device, inode), else the real path."""
    try:
        info = path.stat()
    except OSError:
        return os.path.realpath(path) if path.parent.is_dir() else None
    return (info.st_dev, info.st_ino)


def _check_one(option: str, path: Path, *, force: bool) -> object:
    """Check one output path and return its identity (see :func:`_identity`)."""
    try:
        info = os.lstat(path)
    except FileNotFoundError:
        if not path.parent.is_dir():
            raise OutputError(f"{option}: the folder {path.parent} does not exist") from None
        return os.path.realpath(path)
    except OSError as exc:
        raise OutputError(f"{option}: cannot use {path}: {exc.strerror or exc}") from None
    if stat.S_ISLNK(info.st_mode):
        raise OutputError(
            f"{option} {path} is a symbolic link; rangemap never writes through links: "
            "give the real path"
        )
    if stat.S_ISDIR(info.st_mode):
        raise OutputError(f"{option} {path} is a folder; give a file name")
    if not stat.S_ISREG(info.st_mode):
        raise OutputError(f"{option} {path} is not a regular file (a device or pipe)")
    if not force:
        raise OutputError(f"{option} {path} already exists; add --force to overwrite it")
    return (info.st_dev, info.st_ino)


def _commit(tmp: Path, target: Path, *, force: bool) -> None:
    """Move the finished temporary file onto the target (never replacing one without force)."""
    if not tmp.is_file() or tmp.is_symlink():
        raise OutputError(f"nothing was written for {target}")
    if force:
        _check_one(str(target), target, force=True)
        os.replace(tmp, target)
        return
    try:
        os.link(tmp, target, follow_symlinks=False)
    except FileExistsError:
        raise OutputError(f"{target} appeared while writing; add --force to overwrite it") from None
    except OSError:  # file systems without hard links: re-check, then rename
        _check_one(str(target), target, force=False)
        os.replace(tmp, target)
