"""One article reader: regular files only, size checked before reading, one limit everywhere."""

from __future__ import annotations

import io
import sys
from pathlib import Path

import pytest

from geo._errors import InputError
from geo.article_input import (
    MAX_BYTES,
    check_article_text,
    read_article_bytes,
    read_article_file,
)


@pytest.mark.parametrize(
    ("path", "message"),
    [
        ("/dev/zero", "not a regular file"),
        ("/dev/urandom", "not a regular file"),
        ("/tmp", "is a folder"),
        ("/no/such/article.txt", "no such file"),
        ("/vsicurl/http://127.0.0.1:9/a.txt", "not a local file path"),
    ],
)
@pytest.mark.timeout(30)
def test_paths_that_are_not_regular_files_are_refused_at_once(path: str, message: str) -> None:
    with pytest.raises(InputError, match=message):
        read_article_file(path)


def test_a_huge_file_is_refused_before_it_is_read(tmp_path: Path) -> None:
    path = tmp_path / "huge.txt"
    with path.open("wb") as handle:
        handle.truncate(5 * 10**9)  # sparse: reading it would take minutes
    with pytest.raises(InputError, match="over the limit of 1,000,000 bytes"):
        read_article_file(path)


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"Kharkiv caf\xe9", "not UTF-8 text"),
        (bytes(range(256)), "not a text file"),
        (b"  \n\t", "the article is empty"),
    ],
)
def test_files_that_are_not_articles_are_refused(tmp_path: Path, data: bytes, message: str) -> None:
    path = tmp_path / "a.txt"
    path.write_bytes(data)
    with pytest.raises(InputError, match=message):
        read_article_file(path)


def test_the_same_limit_holds_for_files_uploads_stdin_and_pasted_text(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    too_big = b"a" * (MAX_BYTES + 1)
    path = tmp_path / "big.txt"
    path.write_bytes(too_big)
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(too_big)))
    for read in (
        lambda: read_article_file(path),
        lambda: read_article_bytes(too_big, "big.txt"),
        lambda: read_article_file("-"),
        lambda: check_article_text(too_big.decode()),
    ):
        with pytest.raises(InputError, match="1,000,000"):
            read()


def test_a_byte_order_mark_is_dropped_by_default_and_kept_on_request(tmp_path: Path) -> None:
    path = tmp_path / "bom.txt"
    path.write_bytes(b"\xef\xbb\xbfKharkiv")
    assert read_article_file(path) == "Kharkiv"
    assert read_article_file(path, encoding="utf-8") == "\ufeffKharkiv"
