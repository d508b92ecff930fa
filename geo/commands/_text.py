"""Reading an article's text for the CLI: the one reader in :mod:`geo.article_input`."""

from __future__ import annotations

from geo.article_input import MAX_BYTES, read_article_file

__all__ = ["MAX_BYTES", "read_text"]


def read_text(name: str, *, encoding: str = "utf-8") -> str:
    """Read UTF-8 text from a path or ``-`` (stdin), refusing what is not an article.

    Parameters
    ----------
    name
        A file path, or ``-`` for standard input.
    encoding
        ``"utf-8"`` keeps a byte-order mark as a character; ``"utf-8-sig"`` drops it.

    Raises
    ------
    InputError
        See :func:`geo.article_input.read_article_file`.
    """
    return read_article_file(name, encoding=encoding)
