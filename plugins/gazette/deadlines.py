"""Deadlines of a request for information (Art. 30 and 33 of the disclosure regulations), on the national
holiday calendar (`workdays.py`).

- The reply is due 20 working days after the request was received; where a correction (补正) was asked
  for, 20 working days after the correction arrived (the clock starts again), and while it has not
  arrived the clock is stopped.
- A correction must be asked for within 7 working days of receipt.
- The deadline may be extended once, by at most 20 working days, when the applicant is told of it within
  the first 20; an extension notified later does not count (the 20 days stand).

The check (`checks/requests.py`) and the office's report (`gazette report requests`) both ask this module.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from .model import Request
from .workdays import CalendarRangeError, add_working_days, working_days_between

REPLY_DAYS = 20
EXTENSION_DAYS = 20
CORRECTION_DAYS = 7


@dataclass(frozen=True)
class Deadline:
    """A request's clock. `due` is None while a correction is awaited, and when a date is missing or
    outside the holiday calendar (`calendar` says which date)."""

    start: dt.date | None  # the day the 20 working days run from
    due: dt.date | None
    base_due: dt.date | None  # the 20th working day, before any extension
    extended: bool = False  # a valid extension moved `due`
    extension_late: bool = False  # `extended` is stated but falls after the first 20 working days
    correction_due: dt.date | None = None  # the last day to ask for a correction
    awaiting_correction: bool = False
    calendar: CalendarRangeError | None = None


def deadline(request: Request) -> Deadline:
    received = request.received
    if received is None:
        return Deadline(None, None, None)
    calendar: CalendarRangeError | None = None
    correction_due = None
    try:
        correction_due = add_working_days(received, CORRECTION_DAYS)
    except CalendarRangeError as exc:
        calendar = exc
    start = received
    if request.correction:
        if request.correction_received is None:
            return Deadline(None, None, None, correction_due=correction_due, awaiting_correction=True,
                            calendar=calendar)
        start = request.correction_received
    try:
        base_due = add_working_days(start, REPLY_DAYS)
    except CalendarRangeError as exc:
        return Deadline(start, None, None, correction_due=correction_due, calendar=exc)
    extended = request.extended
    if extended is None:
        return Deadline(start, base_due, base_due, correction_due=correction_due, calendar=calendar)
    if extended > base_due:
        return Deadline(start, base_due, base_due, extension_late=True, correction_due=correction_due,
                        calendar=calendar)
    try:
        due = add_working_days(base_due, EXTENSION_DAYS)
    except CalendarRangeError as exc:
        return Deadline(start, None, base_due, True, correction_due=correction_due, calendar=exc)
    return Deadline(start, due, base_due, True, correction_due=correction_due, calendar=calendar)


def days_left(due: dt.date, day: dt.date) -> int:
    """Working days from `day` to `due`: positive while there is time (the due day itself counts, so 1
    on the day before a deadline that falls on the next working day), 0 on the due day, negative once
    it has passed (-1 on the first working day after it)."""
    if day <= due:
        return working_days_between(day, due)
    return -working_days_between(due, day)


def days_late(request: Request, clock: Deadline) -> int | None:
    """Working days a reply came after its due date, or None when it was on time (or cannot be judged). A
    reply on a day off after the deadline (a Saturday, the May Day break) is late too: it counts 1, as
    `days_overdue` does."""
    replied = request.replied
    if replied is None or clock.due is None or replied <= clock.due:
        return None
    try:
        return days_overdue(clock.due, replied)
    except CalendarRangeError:
        return None


def days_overdue(due: dt.date, day: dt.date) -> int:
    """Working days from `due` to `day` once `day` is past it, at least 1: the first day after a deadline
    is past it, a working day or not."""
    return max(1, working_days_between(due, day))


def open_on(request: Request, day: dt.date) -> bool:
    """Received by `day` and not replied by then: the register as it stood that day."""
    received = request.received
    return received is not None and received <= day and (request.replied is None or request.replied > day)
