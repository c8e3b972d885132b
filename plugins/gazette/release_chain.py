"""The release chain of an entry (`review`): 录入 → 初审 → 审核 → 审发, each within its limit in working
days after the one before (录入 after `signed`): 3, 3, 3, 6.

The check (`checks/review.py`) and `gazette report chain` both judge a chain here. Only steps and dates
are read: who did a step stays in the source, and reaches no output and no report.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from .model import REVIEW_LIMITS, REVIEW_STEPS, Document
from .workdays import CalendarRangeError, working_days_between

ON_TIME, LATE, INCOMPLETE, NONE = "on_time", "late", "incomplete", "none"
# A whole chain none of whose known steps is late, with a step the holiday calendar cannot count: not "on time".
UNJUDGED = "unjudged"


@dataclass(frozen=True)
class StepTiming:
    step: str
    date: dt.date
    after: dt.date  # `signed` for 录入, otherwise the step before
    working_days: int | None  # None: outside the holiday calendar
    limit: int

    @property
    def late(self) -> bool:
        return self.working_days is not None and self.working_days > self.limit


@dataclass
class Chain:
    status: str  # ON_TIME | LATE | UNJUDGED | INCOMPLETE (steps missing, misordered, undated or dated backwards)
    # | NONE
    timings: list[StepTiming] = field(default_factory=list)
    calendar: CalendarRangeError | None = None
    released_after_publication: bool = False  # 审发 after `published`: late, whatever the working days

    @property
    def late_steps(self) -> list[StepTiming]:
        return [t for t in self.timings if t.late]


def well_ordered(steps: list[str]) -> bool:
    """The steps are the chain's first ones, in order, each once (录入 alone is an entry not yet reviewed)."""
    return steps == list(REVIEW_STEPS[:len(steps)])


def judge(doc: Document) -> Chain:
    raw = doc.meta.get("review")
    if raw is None or raw == "" or raw == []:
        return Chain(NONE)
    review = doc.review
    if not isinstance(raw, list) or len(review) != len(raw) or not well_ordered([s.step for s in review]) \
            or any(s.date is None for s in review) or doc.signed is None:
        return Chain(INCOMPLETE)
    timings: list[StepTiming] = []
    calendar = None
    before = doc.signed
    for step in review:
        assert step.date is not None
        if step.date < before:
            return Chain(INCOMPLETE)
        try:
            days: int | None = working_days_between(before, step.date)
        except CalendarRangeError as exc:
            days, calendar = None, exc
        timings.append(StepTiming(step.step, step.date, before, days, REVIEW_LIMITS[step.step]))
        before = step.date
    if len(review) < len(REVIEW_STEPS):
        return Chain(INCOMPLETE, timings, calendar)
    after = doc.published is not None and timings[-1].date > doc.published
    late = after or any(t.late for t in timings)
    status = LATE if late else UNJUDGED if any(t.working_days is None for t in timings) else ON_TIME
    return Chain(status, timings, calendar, after)
