"""Uploaded article bytes → text, or an error that says what to upload instead."""

from __future__ import annotations

import pytest

from geo._errors import InputError
from geo.article_input import MAX_BYTES, read_article_bytes


@pytest.mark.parametrize(
    ("data", "filename", "expected"),
    [
        (b"Strikes near Kursk.", "a.txt", "Strikes near Kursk."),
        ("Удар по Курську".encode(), "notes.MD", "Удар по Курську"),
        (b"\xef\xbb\xbfWith a BOM\r\nand CRLF", "bom.txt", "With a BOM\nand CRLF"),
        (b"tab\tseparated\n", "t.txt", "tab\tseparated\n"),
    ],
)
def test_text_articles_are_decoded(data: bytes, filename: str, expected: str) -> None:
    assert read_article_bytes(data, filename) == expected


@pytest.mark.parametrize(
    ("data", "filename", "message"),
    [
        (
            b"%PDF-1.7",
            "article.pdf",
            r"'article.pdf' is not a text article: upload a \.txt or \.md",
        ),
        (b"text", "noextension", "upload a .txt or .md"),
        (b"\x89PNG\r\n\x1a\n\x00\x00", "image.txt", "is not a text file"),
        (b"caf\xe9 in Latin-1", "latin1.txt", r"not UTF-8 text \(bad byte at position 3\)"),
        (b"   \n\t ", "blank.md", "is empty"),
        (b"a" * (MAX_BYTES + 1), "huge.txt", "must be at most 1,000,000 bytes"),
    ],
)
def test_bad_uploads_raise_a_message_naming_the_fix(
    data: bytes, filename: str, message: str
) -> None:
    with pytest.raises(InputError, match=message):
        read_article_bytes(data, filename)


def test_the_size_limit_is_inclusive() -> None:
    assert len(read_article_bytes(b"a" * MAX_BYTES, "max.txt")) == MAX_BYTES
