"""The one reader of article text: uploads, files, standard input and pasted text.

Every way an article comes in ends here, so every one has the same limit
(:data:`MAX_BYTES`) and the same messages:

- :func:`read_article_bytes` — an upload's bytes and file name (the dashboard);
- :func:`read_article_file` — a path or ``-`` for standard input (the CLI, scenario files);
  only regular files are read, and their size is checked before reading, so
  ``rangemap map /dev/zero`` is refused at once;
- :func:`check_article_text` — text already in memory (pasted into the dashboard).
"""

from __future__ import annotations

import sys
from pathlib import Path, PurePath

from geo._errors import InputError
from geo._files import read_user_file
from geo._limits import ARTICLE_MAX_BYTES

__all__ = [
    "ARTICLE_SUFFIXES",
    "MAX_BYTES",
    "MAX_CHARS",
    "check_article_text",
    "read_article_bytes",
    "read_article_file",
]

#: File name endings accepted for uploaded articles.
ARTICLE_SUFFIXES: tuple[str, ...] = (".txt", ".md")

#: Largest article accepted, in bytes of UTF-8 (a long news article is under 100 kB).
MAX_BYTES = ARTICLE_MAX_BYTES
#: Largest pasted article, in characters (the same limit, counted in characters).
MAX_CHARS = ARTICLE_MAX_BYTES

#: Control characters that never occur in text (NUL and friends) mark a binary file.
_BINARY_BYTES = frozenset(range(0, 9)) | {11, 14, 15, *range(16, 27), *range(28, 32)}


def read_article_bytes(data: bytes, filename: str) -> str:
    """Return the text of an uploaded article.

    Parameters
    ----------
    data
        The file's bytes.
    filename
        The file's name as uploaded (only its ending is used).

    Returns
    -------
    str
        The article as text (a UTF-8 byte-order mark is dropped; line ends normalised).

    Raises
    ------
    InputError
        If the file is not ``.txt``/``.md``, is empty, larger than :data:`MAX_BYTES`, binary
        or not UTF-8; the message says what to upload instead.
    """
    suffix = PurePath(filename).suffix.lower()
    if suffix not in ARTICLE_SUFFIXES:
        raise InputError(
            f"{filename!r} is not a text article: upload a .txt or .md file "
            "(or paste the article's text)"
        )
    text = decode_article(data, name=repr(filename))
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    return check_article_text(text, where=repr(filename))


def read_article_file(name: str | Path, *, encoding: str = "utf-8-sig") -> str:
    """Return the text of an article file, or of standard input for ``-``.

    Parameters
    ----------
    name
        A path, or ``-`` for standard input.
    encoding
        ``"utf-8-sig"`` drops a byte-order mark; ``"utf-8"`` keeps it as a character (offsets
        then match what Python reads with ``open(..., encoding="utf-8")``).

    Raises
    ------
    InputError
        If the path is not a regular file (a folder, ``/dev/zero``, a pipe), cannot be read,
        is larger than :data:`MAX_BYTES`, binary, not UTF-8 or empty.
    """
    if str(name) == "-":
        return _read_stdin(encoding=encoding)
    data = read_user_file(name, max_bytes=MAX_BYTES, what="article file")
    where = str(name)
    return check_article_text(decode_article(data, name=where, encoding=encoding), where=where)


def check_article_text(text: str, *, where: str = "the article") -> str:
    """Return ``text`` if it is an article rangemap can read, else raise.

    Raises
    ------
    InputError
        If the text is blank, longer than :data:`MAX_CHARS` characters or contains NUL.
    """
    if not isinstance(text, str):
        raise InputError(f"{where} must be text, got {type(text).__name__}")
    if len(text) > MAX_CHARS:
        raise InputError(
            f"{where} is {len(text):,} characters; articles must be at most {MAX_CHARS:,}: "
            "keep the part of the article you need"
        )
    if "\x00" in text:
        raise InputError(f"{where} is not a text file (it contains NUL characters)")
    if not text.strip():
        raise InputError(f"{where}: the article is empty; give an article with some text")
    return text


def _read_stdin(*, encoding: str) -> str:
    where = "the article on standard input"
    buffer = getattr(sys.stdin, "buffer", None)
    if buffer is None:  # a text stream (tests, embedding): read characters
        try:
            return check_article_text(sys.stdin.read(MAX_CHARS + 1), where=where)
        except UnicodeDecodeError:
            raise InputError(f"{where} is not UTF-8 text") from None
    data = buffer.read(MAX_BYTES + 1)
    return check_article_text(decode_article(data, name=where, encoding=encoding), where=where)


def decode_article(data: bytes, *, name: str, encoding: str = "utf-8-sig") -> str:
    """Decode an article's bytes, refusing binary files and other encodings than UTF-8.

    Raises
    ------
    InputError
        If the bytes are over :data:`MAX_BYTES`, binary or not UTF-8.
    """
    if len(data) > MAX_BYTES:
        raise InputError(
            f"{name} is {len(data):,} bytes; articles must be at most {MAX_BYTES:,} bytes: "
            "keep the part of the article you need"
        )
    if b"\x00" in data or any(b in _BINARY_BYTES for b in data[:8192]):
        raise InputError(f"{name} is not a text file (binary bytes): save it as plain UTF-8 text")
    try:
        return data.decode(encoding)
    except UnicodeDecodeError as exc:
        raise InputError(
            f"{name} is not UTF-8 text (bad byte at position {exc.start}): save it as UTF-8"
        ) from None
