"""Dates, the year folder, timeliness on the national holiday calendar."""

from __future__ import annotations

import datetime as dt

import pytest
from factory import ContentFactory
from gazette import workdays
from gazette.findings import Finding


def found(content: ContentFactory, code: str) -> list[Finding]:
    return [f for f in content.findings() if f.code == code]


@pytest.mark.parametrize(("value", "fix"), [("2026-02-30", ""), ("2026/3/1", "2026-03-01"),
                                            ("2026-3-1", "2026-03-01"), ("2026年3月1日", "2026-03-01"),
                                            ("下周一", "")])
def test_invalid_dates(content: ContentFactory, value: str, fix: str) -> None:
    content.document("bad-date", published=value)
    hits = found(content, "DATE-INVALID")
    assert [(h.field, h.path) for h in hits] == [("published", "documents/2026/bad-date.zh.md")]
    assert hits[0].line == 8
    if fix:
        assert fix in hits[0].fix_zh


def test_valid_dates_pass(content: ContentFactory) -> None:
    content.document("good-date", signed="2026-02-27", published="2026-02-28",
                     secrecy_review={"by": "小组", "date": "2026-02-28"})
    assert [f for f in content.findings() if f.code.startswith("DATE-")] == []


def test_invalid_review_date(content: ContentFactory) -> None:
    content.document("bad-review", secrecy_review={"by": "小组", "date": "2026-13-01"})
    hits = found(content, "DATE-INVALID")
    assert [h.field for h in hits] == ["secrecy_review.date"]


def test_future_dates(content: ContentFactory) -> None:
    # Tests pin today at 2026-11-22 (Beijing).
    content.document("future", signed="2026-11-20", published="2026-11-23",
                     secrecy_review={"by": "小组", "date": "2026-11-21"})
    content.document("today", signed="2026-11-20", published="2026-11-22",
                     secrecy_review={"by": "小组", "date": "2026-11-21"})
    hits = found(content, "DATE-FUTURE")
    assert [(h.path, h.field) for h in hits] == [("documents/2026/future.zh.md", "published")]


def test_published_before_signed(content: ContentFactory) -> None:
    content.document("backwards", signed="2026-03-05", published="2026-03-04",
                     secrecy_review={"by": "小组", "date": "2026-03-04"})
    hits = found(content, "DATE-ORDER")
    assert [h.path for h in hits] == ["documents/2026/backwards.zh.md"]


def test_year_folder(content: ContentFactory) -> None:
    path = content.document("wrong-year")
    content.write("documents/2025/wrong-year.zh.md", path.read_text(encoding="utf-8"))
    path.unlink()
    hits = found(content, "DOC-FOLDER")
    assert [h.path for h in hits] == ["documents/2025/wrong-year.zh.md"]
    assert "documents/2026/wrong-year.zh.md" in hits[0].fix_zh


def test_timeliness_counts_working_days_over_the_holidays(content: ContentFactory) -> None:
    # Signed before the 2026 National Day holiday; 20 working days later is 2026-10-29 (the holiday and
    # the moved working days counted as the State Council announced them).
    review = {"by": "小组", "date": "2026-09-25"}
    content.document("on-time", signed="2026-09-25", published="2026-10-29", secrecy_review=review)
    content.document("late", signed="2026-09-25", published="2026-10-30", secrecy_review=review)
    content.document("late-withheld", signed="2026-09-25", published="2026-10-30", disclosure="不予公开",
                     withheld_reason="过程性信息")
    hits = found(content, "DATE-LATE")
    assert [h.path for h in hits] == ["documents/2026/late.zh.md"]
    assert hits[0].level.value == "warning" and "21" in hits[0].zh and "21" in hits[0].en


def test_timeliness_outside_the_calendar_is_a_finding(content: ContentFactory) -> None:
    content.document("too-old", signed="2003-05-06", published="2003-06-30", index_no="S00000001/2003-00001",
                     secrecy_review={"by": "小组", "date": "2003-05-07"})
    hits = found(content, "DATE-CALENDAR")
    assert len(hits) == 1 and hits[0].level.value == "warning" and "chinese-calendar" in hits[0].fix_en


def test_workdays_follow_moved_working_days() -> None:
    # 2026-10-10 (a Saturday) is a moved working day; 2026-10-01..07 are the National Day holiday and
    # 2026-09-25 (a Friday) is the Mid-Autumn Festival.
    assert workdays.is_workday(dt.date(2026, 10, 10))
    assert not workdays.is_workday(dt.date(2026, 10, 5))
    assert not workdays.is_workday(dt.date(2026, 9, 25))
    assert workdays.working_days_between(dt.date(2026, 9, 30), dt.date(2026, 10, 8)) == 1
    assert workdays.working_days_between(dt.date(2026, 10, 9), dt.date(2026, 10, 12)) == 2
    assert workdays.add_working_days(dt.date(2026, 9, 25), 20) == dt.date(2026, 10, 29)
    assert workdays.working_days_between(dt.date(2026, 3, 2), dt.date(2026, 3, 2)) == 0


def test_workdays_outside_range_raise() -> None:
    first, last = workdays.covered_range()
    with pytest.raises(workdays.CalendarRangeError):
        workdays.working_days_between(last, last + dt.timedelta(days=3))
    with pytest.raises(workdays.CalendarRangeError):
        workdays.is_workday(first - dt.timedelta(days=1))


def test_working_days_as_the_calendar_counts_them_across_years() -> None:
    """Counted by years, the calendar asked only for the years a check meets: the same counts as the
    calendar's own list of working days, also across one or two new years."""
    import random

    import chinese_calendar

    _, last = workdays.covered_range()
    first = last - dt.timedelta(days=6 * 365)  # the years documents are dated in
    rng = random.Random(7)
    for span in (0, 1, 5, 30, 400, 790, 30, 400):
        start = first + dt.timedelta(days=rng.randrange((last - first).days - 800))
        end = start + dt.timedelta(days=span)
        listed = chinese_calendar.get_workdays(start + dt.timedelta(days=1), end) if end > start else []
        assert workdays.working_days_between(start, end) == len(listed), (start, end)
        assert workdays.is_workday(end) == chinese_calendar.is_workday(end)
        if listed:
            assert workdays.add_working_days(start, len(listed)) == listed[-1]
