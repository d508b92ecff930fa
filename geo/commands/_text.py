"""Reading an article's text for the CLI: a path or ``-`` (stdin), refusing what is not text."""

from __future__ import annotations

import sys
from pathlib import Path

from geo._errors import InputError

#: Largest article accepted (bytes): far above any news article, small enough to stay fast.
MAX_BYTES = 2_000_000


def read_text(name: str, *, encoding: str = "utf-8") -> str:
    """Read UTF-8 text from a path or ``-`` (stdin), refusing binary and huge input.

    Parameters
    ----------
    name
        A file path, or ``-`` for standard input.
    encoding
        ``"utf-8"`` keeps a byte-order mark as a character (offsets then match what Python
        reads with ``open(..., encoding="utf-8")``); ``"utf-8-sig"`` drops it.

    Raises
    ------
    InputError
        If the file cannot be read, is a directory, is too large, contains NUL bytes or is
        not UTF-8.
    """
    try:
        data = sys.stdin.buffer.read(MAX_BYTES + 1) if name == "-" else _read(Path(name))
    except OSError as exc:
        raise InputError(f"cannot read {name}: {exc.strerror or exc}") from None
    if len(data) > MAX_BYTES:
        raise InputError(f"{name} is larger than {MAX_BYTES:,} bytes; give an article's text")
    if b"\x00" in data:
        raise InputError(f"{name} is not a text file (it contains NUL bytes)")
    try:
        return data.decode(encoding)
    except UnicodeDecodeError as exc:
        raise InputError(f"{name} is not UTF-8 text (bad byte at offset {exc.start})") from None


def _read(path: Path) -> bytes:
    if path.is_dir():
        raise InputError(f"{path} is a directory, not a text file")
    with path.open("rb") as handle:
        return handle.read(MAX_BYTES + 1)
