"""Working days (工作日) under the national holiday calendar, with its moved working days (调休).

The calendar comes from the pinned `chinese-calendar` package, which carries the State Council's
announcements year by year, and from the years after its last one that the office copies into
`content/registry/calendar.yml` (`holiday_calendar.py`); nothing here guesses a holiday. A date outside the
years known raises `CalendarRangeError`, which the checks turn into a finding saying what to add.
"""

from __future__ import annotations

import bisect
import datetime as dt
from dataclasses import dataclass
from functools import cache, lru_cache

import chinese_calendar

# Art. 26 of the disclosure regulations: proactive disclosure within 20 working days.
DISCLOSURE_DEADLINE = 20


# What to do about a date past the calendar's last year.
CALENDAR_FIX_ZH = ("国务院公布该年节假日安排后，把放假和调休上班的日期写入 registry/calendar.yml（见 "
                   "docs/disclosure-office.md），或更新 chinese-calendar（pyproject.toml 中的版本），再重新检查")
CALENDAR_FIX_EN = ("once the State Council announces that year's holidays, copy its days off and moved working "
                   "days into registry/calendar.yml (see docs/disclosure-office.md), or update chinese-calendar (its "
                   "pin in pyproject.toml), and check again")


class CalendarRangeError(ValueError):
    """A date the holiday calendar does not cover (the announcements for that year are not in it)."""

    def __init__(self, day: dt.date, first: dt.date, last: dt.date) -> None:
        super().__init__(f"{day.isoformat()} is outside the holiday calendar ({first.isoformat()} – "
                         f"{last.isoformat()})")
        self.day, self.first, self.last = day, first, last


@dataclass(frozen=True)
class AddedYear:
    """A year the office added (`holiday_calendar.py`): its days off that would be working days, and its
    weekend days that are working days."""

    holidays: frozenset[dt.date]
    workdays: frozenset[dt.date]


# The years after the package's last one that the content's registry/calendar.yml adds (`use_added`).
_ADDED: dict[int, AddedYear] = {}


@lru_cache(maxsize=1)
def package_years() -> tuple[int, int]:
    """The first and last year the pinned package carries."""
    years = sorted({d.year for d in chinese_calendar.holidays} | {d.year for d in chinese_calendar.workdays})
    return years[0], years[-1]


def use_added(years: dict[int, AddedYear]) -> None:
    """Count with these added years from now on (those that follow the package's last one, in a row),
    instead of any added before: each content folder brings its own."""
    global _ADDED
    if years != _ADDED:
        _ADDED = dict(years)
        covered_range.cache_clear()
        _year.cache_clear()


@lru_cache(maxsize=1)
def covered_range() -> tuple[dt.date, dt.date]:
    """The first and last day the calendar covers: whole years, as its announcements come."""
    first, last = package_years()
    while last + 1 in _ADDED:
        last += 1
    return dt.date(first, 1, 1), dt.date(last, 12, 31)


@cache
def _year(year: int) -> list[int]:
    """The ordinals of the year's working days (sorted), asked of the calendar once a process and only for
    the years a check meets: counting is then two binary searches, not a walk over the days (the checks
    count for every document), and a check of one document does not pay for twenty years of days."""
    first, last = dt.date(year, 1, 1), dt.date(year, 12, 31)
    added = _ADDED.get(year)
    if added is not None and year > package_years()[1]:
        days = (first + dt.timedelta(days=n) for n in range((last - first).days + 1))
        return [d.toordinal() for d in days
                if (d.weekday() < 5 and d not in added.holidays) or d in added.workdays]
    return [d.toordinal() for d in chinese_calendar.get_workdays(first, last, include_weekends=True)]


def is_workday(day: dt.date) -> bool:
    _require(day, *covered_range())
    days = _year(day.year)
    i = bisect.bisect_left(days, day.toordinal())
    return i < len(days) and days[i] == day.toordinal()


def working_days_between(start: dt.date, end: dt.date) -> int:
    """Working days after `start` up to and including `end` (0 when `end` is not after `start`).

    Published the next working day after signing counts 1, as the regulations count deadlines.
    """
    if end <= start:
        return 0
    first, last = covered_range()
    _require(start, first, last)
    _require(end, first, last)
    before = bisect.bisect_right(_year(start.year), start.toordinal())
    through = bisect.bisect_right(_year(end.year), end.toordinal())
    return through - before + sum(len(_year(year)) for year in range(start.year, end.year))


def add_working_days(start: dt.date, days: int) -> dt.date:
    """The date `days` working days after `start` (the deadline counted from `start`)."""
    first, last = covered_range()
    _require(start, first, last)
    if days <= 0:
        return start
    year = start.year
    i = bisect.bisect_right(_year(year), start.toordinal()) + days - 1
    while i >= len(_year(year)):
        i -= len(_year(year))
        year += 1
        if year > last.year:
            raise CalendarRangeError(last + dt.timedelta(days=1), first, last)
    return dt.date.fromordinal(_year(year)[i])


def working_days_en(count: int) -> str:
    """`count` working days, in English ("1 working day")."""
    return f"{count} working day{'' if count == 1 else 's'}"


def _require(day: dt.date, first: dt.date, last: dt.date) -> None:
    if not first <= day <= last:
        raise CalendarRangeError(day, first, last)
