"""An uploaded article's bytes → its text, or an error that says what to do.

The dashboard's upload widget hands over raw bytes and a file name; this module decides
whether they are an article rangemap can read (UTF-8 ``.txt`` or ``.md`` of at most
:data:`MAX_BYTES`) and returns the text.
"""

from __future__ import annotations

from pathlib import PurePath

from geo._errors import InputError

#: File name endings accepted for articles.
ARTICLE_SUFFIXES: tuple[str, ...] = (".txt", ".md")

#: Largest article accepted (1 MB: a long article is under 100 kB).
MAX_BYTES = 1_000_000

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
    if len(data) > MAX_BYTES:
        raise InputError(
            f"{filename!r} is {len(data):,} bytes; articles must be at most {MAX_BYTES:,} bytes: "
            "paste the part of the article you need"
        )
    if any(b in _BINARY_BYTES for b in data[:8192]):
        raise InputError(f"{filename!r} looks like a binary file, not text: save it as plain text")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise InputError(
            f"{filename!r} is not UTF-8 text (bad byte at position {exc.start}): "
            "save it as UTF-8 and upload it again"
        ) from None
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    if not text.strip():
        raise InputError(f"{filename!r} is empty: upload an article with some text")
    return text
