"""Week arithmetic: weeks are the Sundays of the weekly file names."""

from __future__ import annotations

from datetime import date

import pytest

from oa_spark.weeks import (
    WeekError,
    consecutive,
    file_name,
    parse_week_list,
    sundays,
    week_from_name,
    week_of,
)


def test_week_of_a_weekday_is_the_following_sunday() -> None:
    assert week_of(date(2022, 1, 3)) == date(2022, 1, 9)  # Monday
    assert week_of(date(2022, 1, 9)) == date(2022, 1, 9)  # Sunday is its own week


def test_sundays_covers_both_ends_inclusive() -> None:
    assert sundays(date(2022, 1, 2), date(2022, 1, 20)) == [
        date(2022, 1, 2),
        date(2022, 1, 9),
        date(2022, 1, 16),
        date(2022, 1, 23),
    ]


def test_sundays_across_a_year_boundary() -> None:
    assert sundays(date(2021, 12, 26), date(2022, 1, 2)) == [date(2021, 12, 26), date(2022, 1, 2)]


def test_reversed_range_is_an_error() -> None:
    with pytest.raises(WeekError, match="ends before"):
        sundays(date(2022, 2, 1), date(2022, 1, 1))


def test_consecutive_weeks() -> None:
    assert consecutive(date(2022, 1, 2), 3) == [date(2022, 1, 2), date(2022, 1, 9), date(2022, 1, 16)]


def test_file_name_round_trips() -> None:
    name = file_name(date(2022, 1, 2))
    assert name == "bdr_oa_bulkdata_weekly_2022-01-02.zip"
    assert week_from_name("bdr-oa-bulkdata/weekly/" + name) == date(2022, 1, 2)


@pytest.mark.parametrize("name", ["weekly_2022-01-02.zip", "bdr_oa_bulkdata_weekly_2022-02-30.zip", "x.zip"])
def test_other_names_are_not_weeks(name: str) -> None:
    assert week_from_name(name) is None


def test_week_lists_must_be_sundays() -> None:
    assert parse_week_list("2022-01-09,2022-01-02") == [date(2022, 1, 2), date(2022, 1, 9)]
    with pytest.raises(WeekError, match="Monday"):
        parse_week_list("2022-01-03")
    with pytest.raises(WeekError, match="not a date"):
        parse_week_list("2022-13-01")
