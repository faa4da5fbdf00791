"""Date phrases, datelines and ISO checks (ingest.dates)."""

from __future__ import annotations

import calendar
from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st
from rdflib import Literal, namespace

from ingest.dates import DateValue, find_dateline, is_valid_iso, parse_date, parse_iso


@pytest.mark.parametrize(
    ("text", "iso", "precision"),
    [
        ("15 November 2021", "2021-11-15", "day"),
        ("November 15, 2021", "2021-11-15", "day"),
        ("15 Nov. 2021", "2021-11-15", "day"),
        ("17 Jan. 2022", "2022-01-17", "day"),
        ("05 Feb. 2021", "2021-02-05", "day"),
        ("2021-11-15", "2021-11-15", "day"),
        ("on 15 November 2021.", "2021-11-15", "day"),
        ("the 15th of November 2021", "2021-11-15", "day"),
        ("Monday, 15 November 2021", "2021-11-15", "day"),
        ("2021-11-15T10:25:00Z", "2021-11-15", "day"),
        ("2022-01-17T10:25:00+01:00", "2022-01-17", "day"),
        ("December 2019", "2019-12", "month"),
        ("Dec 2019", "2019-12", "month"),
        ("Sept. 2019", "2019-09", "month"),
        ("July 2019", "2019-07", "month"),
        ("2019-06", "2019-06", "month"),
        ("2019", "2019", "year"),
        ("in 2019", "2019", "year"),
        ("mid-2019", "2019", "year"),
    ],
)
def test_parse_date_reads_common_forms(text: str, iso: str, precision: str) -> None:
    assert parse_date(text) == DateValue(iso, precision)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    "text",
    [
        "31 February 2021",
        "29 February 2021",
        "2021-02-30",
        "2021-13",
        "1899",
        "2101",
        "15 November 1850",
        "hello",
        "",
        "   ",
        "may",
        "15 November",
        "Kosmos 1408",
        "the anti-satellite test on 15 November 2021 created debris",
        "x" * 10_000,
    ],
)
def test_parse_date_rejects_non_dates_and_impossible_dates(text: str) -> None:
    assert parse_date(text) is None


def test_leap_day_is_accepted_in_a_leap_year() -> None:
    assert parse_date("29 February 2020") == DateValue("2020-02-29", "day")


@pytest.mark.parametrize(
    ("text", "reference", "expected"),
    [
        ("last year", "2021-11-19", DateValue("2020", "year")),
        ("this year", "2021", DateValue("2021", "year")),
        ("next year", "2021-06", DateValue("2022", "year")),
        ("last month", "2021-01-05", DateValue("2020-12", "month")),
        ("last month", "2021-06", DateValue("2021-05", "month")),
        ("yesterday", "2021-03-01", DateValue("2021-02-28", "day")),
        ("today", "2021-11-19", DateValue("2021-11-19", "day")),
    ],
)
def test_relative_phrases_count_from_the_reference(
    text: str, reference: str, expected: DateValue
) -> None:
    assert parse_date(text, reference) == expected


@pytest.mark.parametrize(
    ("text", "reference"),
    [
        ("last year", None),
        ("yesterday", None),
        ("last month", "2021"),  # a year reference cannot say which month was last
        ("yesterday", "2021-03"),  # nor a month reference which day
        ("last year", "not a date"),
    ],
)
def test_relative_phrases_need_a_precise_enough_reference(text: str, reference: str | None) -> None:
    assert parse_date(text, reference) is None


def test_datatype_and_literal_follow_the_precision() -> None:
    assert parse_date("15 Nov. 2021").literal() == Literal(
        "2021-11-15", datatype=namespace.XSD.date
    )
    assert parse_date("Dec 2019").datatype == namespace.XSD.gYearMonth
    assert parse_date("Dec 2019").literal() == Literal("2019-12", datatype=namespace.XSD.gYearMonth)
    assert parse_date("2019").literal() == Literal("2019", datatype=namespace.XSD.gYear)


@pytest.mark.parametrize(
    ("text", "iso"),
    [
        ("Statement by the Council\n\n19 November 2021 News\n\n1. The Council...", "2021-11-19"),
        ("Press conference\nby NATO\n  • 20 Nov. 2019 -\n  • |\n", "2019-11-20"),
        ("NATO’s overarching Space Policy\n  • 17 Jan. 2022 -\n", "2022-01-17"),
        ("Title\nLast updated: 17 Jan. 2022 10:25\n", "2022-01-17"),
        ("Establishment of the centre – Communiqué (05 Feb. 2021)\nOn 28 January...", "2021-02-05"),
        ("Title\n2021-11-19\nBody", "2021-11-19"),
    ],
)
def test_find_dateline_reads_a_date_line_near_the_top(text: str, iso: str) -> None:
    found = find_dateline(text)
    assert found is not None
    assert found.iso == iso


@pytest.mark.parametrize(
    "text",
    [
        "On 28 January 2021, NATO selected the French proposal to host a centre in Toulouse.",
        "In 2019 the Allies agreed a space policy.\nDecember 2019\n",  # month/year only: too weak
        "\n".join(["line"] * 20 + ["19 November 2021"]),  # too far down to be a dateline
        "",
    ],
)
def test_find_dateline_ignores_dates_in_sentences_and_far_down(text: str) -> None:
    assert find_dateline(text) is None


@pytest.mark.parametrize(
    ("value", "valid"),
    [
        ("2021-11-19", True),
        ("2020-02-29", True),
        ("2019-06", True),
        ("2024", True),
        ("2021-02-29", False),
        ("2021-11-19T00:00", False),
        ("19/11/2021", False),
        ("21-11-19", False),
        ("1800", False),
        ("", False),
    ],
)
def test_is_valid_iso(value: str, valid: bool) -> None:
    assert is_valid_iso(value) is valid


@given(st.dates(min_value=date(1900, 1, 1), max_value=date(2100, 12, 31)))
def test_every_plausible_day_round_trips_through_its_written_forms(day: date) -> None:
    iso = day.isoformat()
    month = calendar.month_name[day.month]
    assert parse_date(iso) == DateValue(iso, "day")
    assert parse_date(f"{day.day} {month} {day.year}") == DateValue(iso, "day")
    assert parse_date(f"{month} {day.day}, {day.year}") == DateValue(iso, "day")
    assert parse_iso(iso) == DateValue(iso, "day")


@given(st.text(max_size=200), st.none() | st.text(max_size=30))
def test_parse_date_never_raises(text: str, reference: str | None) -> None:
    result = parse_date(text, reference)
    assert result is None or is_valid_iso(result.iso)


@given(st.text(max_size=2000))
def test_find_dateline_never_raises(text: str) -> None:
    result = find_dateline(text)
    assert result is None or result.precision == "day"
