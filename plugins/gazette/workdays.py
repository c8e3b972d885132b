"""Working days (工作日) under the national holiday calendar, with its moved working days (调休).

The calendar comes from the pinned `chinese-calendar` package, which carries the State Council's
announcements year by year; nothing here guesses a holiday. A date outside the years the package
knows raises `CalendarRangeError`, which the checks turn into a finding saying to update it.
"""

from __future__ import annotations

import bisect
import datetime as dt
from functools import lru_cache

import chinese_calendar

# Art. 26 of the disclosure regulations: proactive disclosure within 20 working days.
DISCLOSURE_DEADLINE = 20


class CalendarRangeError(ValueError):
    """A date the holiday calendar does not cover (the announcements for that year are not in it)."""

    def __init__(self, day: dt.date, first: dt.date, last: dt.date) -> None:
        super().__init__(f"{day.isoformat()} is outside the holiday calendar ({first.isoformat()} – "
                         f"{last.isoformat()})")
        self.day, self.first, self.last = day, first, last


@lru_cache(maxsize=1)
def _table() -> tuple[dt.date, dt.date, list[int]]:
    """First and last covered day, and the ordinals of every working day between them (sorted).

    Built once, so counting the working days between two dates is two binary searches, not a walk
    over the days (the checks count this for every document).
    """
    years = sorted({d.year for d in chinese_calendar.holidays} | {d.year for d in chinese_calendar.workdays})
    first, last = dt.date(years[0], 1, 1), dt.date(years[-1], 12, 31)
    workdays = [d.toordinal() for d in chinese_calendar.get_workdays(first, last, include_weekends=True)]
    return first, last, workdays


def covered_range() -> tuple[dt.date, dt.date]:
    first, last, _ = _table()
    return first, last


def is_workday(day: dt.date) -> bool:
    first, last, workdays = _table()
    _require(day, first, last)
    i = bisect.bisect_left(workdays, day.toordinal())
    return i < len(workdays) and workdays[i] == day.toordinal()


def working_days_between(start: dt.date, end: dt.date) -> int:
    """Working days after `start` up to and including `end` (0 when `end` is not after `start`).

    Published the next working day after signing counts 1, as the regulations count deadlines.
    """
    if end <= start:
        return 0
    first, last, workdays = _table()
    _require(start, first, last)
    _require(end, first, last)
    return bisect.bisect_right(workdays, end.toordinal()) - bisect.bisect_right(workdays, start.toordinal())


def add_working_days(start: dt.date, days: int) -> dt.date:
    """The date `days` working days after `start` (the deadline counted from `start`)."""
    first, last, workdays = _table()
    _require(start, first, last)
    if days <= 0:
        return start
    i = bisect.bisect_right(workdays, start.toordinal()) + days - 1
    if i >= len(workdays):
        raise CalendarRangeError(last + dt.timedelta(days=1), first, last)
    return dt.date.fromordinal(workdays[i])


def _require(day: dt.date, first: dt.date, last: dt.date) -> None:
    if not first <= day <= last:
        raise CalendarRangeError(day, first, last)
