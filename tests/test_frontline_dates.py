"""The article's date picks the frontline: datelines, explicit dates, weekday + month-day."""

from __future__ import annotations

import datetime as dt

import pytest

from geo.dates import article_date, parse_date

TODAY = dt.date(2026, 11, 30)


@pytest.mark.parametrize(
    ("text", "expected", "how"),
    [
        ("KYIV, June 8, 2023 (Reuters) - Ukraine said", dt.date(2023, 6, 8), "dateline"),
        ("2024-11-19 — Ukraine fired ATACMS", dt.date(2024, 11, 19), "dateline"),
        ("8 June 2023: the counteroffensive began", dt.date(2023, 6, 8), "dateline"),
        ("KYIV, Thursday, June 8 (Reuters) - Ukraine said", dt.date(2023, 6, 8), "weekday"),
        (
            "A long introduction that goes on for quite a while before anything is said about "
            "the day itself, and then more words to push the date out of the dateline zone. "
            "Ukraine said on Nov. 19, 2024 that it fired ATACMS.",
            dt.date(2024, 11, 19),
            "explicit",
        ),
        (
            "In 2023 the offensive began; on June 8 the first assault came",
            dt.date(2023, 6, 8),
            "year-in-text",
        ),
        ("Kyiv. Updated 19.11.2024. Strikes continued", dt.date(2024, 11, 19), "dateline"),
    ],
)
def test_article_date_reads_the_date_the_article_speaks_of(
    text: str, expected: dt.date, how: str
) -> None:
    found = article_date(text, latest=TODAY)
    assert found is not None
    assert (found.date, found.how) == (expected, how)
    assert found.text in text


@pytest.mark.parametrize(
    "text",
    [
        "No date in this article at all.",
        "He said in May that the line held.",
        "KYIV, June 8 (Reuters) - no weekday and no year",  # any of five years
        "Crimea was annexed on March 18, 2014.",  # before the frontline history
        "On 31 June 2023 nothing happened",  # no such day
        "Monday, June 8, 2023",  # June 8, 2023 was a Thursday: contradiction
    ],
)
def test_article_date_says_none_when_the_text_does_not_tell(text: str) -> None:
    assert article_date(text, latest=TODAY) is None


def test_a_weekday_picks_the_one_year_it_fits() -> None:
    found = article_date("Tuesday, Nov. 19: Ukraine fired ATACMS", latest=TODAY)
    assert found is not None and found.date == dt.date(2024, 11, 19)


def test_parse_date_reads_one_date_string() -> None:
    assert parse_date("June 8, 2023") == dt.date(2023, 6, 8)
    assert parse_date("2024-11-19") == dt.date(2024, 11, 19)
    assert parse_date("soon") is None
