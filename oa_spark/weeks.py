"""Week arithmetic: a week is the Sunday in a weekly zip's file name (the end of its Monday-Sunday span)."""

from __future__ import annotations

import re
from datetime import date, timedelta

FILE_PREFIX = "bdr_oa_bulkdata_weekly_"
_FILE_RE = re.compile(r"bdr_oa_bulkdata_weekly_(\d{4}-\d{2}-\d{2})\.zip$")


class WeekError(ValueError):
    """A date that is not a valid week (a Sunday) or a malformed range."""


def parse_date(text: str) -> date:
    """ISO date, with a message naming the bad value."""
    try:
        return date.fromisoformat(text.strip())
    except ValueError as exc:
        raise WeekError(f"not a date (YYYY-MM-DD): {text!r}") from exc


def is_sunday(day: date) -> bool:
    return day.weekday() == 6


def week_of(day: date) -> date:
    """The Sunday ending the Monday-Sunday week that contains `day`."""
    return day + timedelta(days=(6 - day.weekday()))


def require_sunday(day: date) -> date:
    if not is_sunday(day):
        raise WeekError(
            f"{day.isoformat()} is a {day.strftime('%A')}, not a Sunday (weeks are named by Sunday)"
        )
    return day


def sundays(start: date, end: date) -> list[date]:
    """Every Sunday from the week of `start` to the week of `end`, inclusive."""
    if end < start:
        raise WeekError(f"range ends before it starts: {start.isoformat()} .. {end.isoformat()}")
    first, last = week_of(start), week_of(end)
    return [first + timedelta(weeks=i) for i in range((last - first).days // 7 + 1)]


def consecutive(start: date, count: int) -> list[date]:
    """`count` consecutive Sundays from the week of `start`."""
    first = week_of(start)
    return [first + timedelta(weeks=i) for i in range(count)]


def file_name(week: date) -> str:
    """The USPTO file name of a week: bdr_oa_bulkdata_weekly_YYYY-MM-DD.zip."""
    return f"{FILE_PREFIX}{week.isoformat()}.zip"


def week_from_name(name: str) -> date | None:
    """The week in a weekly file name or key (any directory prefix), or None when it is not one."""
    match = _FILE_RE.search(name)
    if not match:
        return None
    try:
        return date.fromisoformat(match.group(1))
    except ValueError:
        return None


def parse_week_list(text: str) -> list[date]:
    """`--weeks D,D,...`: every entry must be a Sunday."""
    return sorted({require_sunday(parse_date(part)) for part in text.split(",") if part.strip()})
