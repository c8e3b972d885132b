"""`gazette report requests [--as-of DATE]`: the register as it stood on a day.

Open requests (received by that day, not replied by then) with their due date and the working days
left, overdue ones first; then the replies that came after their deadline (up to that day). Deadlines
are `deadlines.py`'s: 20 working days from receipt or from the correction, 20 more after a valid
extension.
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import asdict, dataclass

from ..deadlines import EXTENSION_DAYS, REPLY_DAYS, days_late, days_left, deadline, open_on
from ..frontmatter import Source
from ..model import Corpus, Request
from ..workdays import CalendarRangeError, working_days_en
from .output import Options, Rendered, csv_text


@dataclass
class RequestLine:
    id: str
    office: str
    office_name: str
    applicant: str
    subject: str
    received: str
    start: str | None  # the day the clock runs from (receipt or the correction's arrival)
    due: str | None  # None: awaiting a correction, or outside the holiday calendar
    extended: bool
    extension_late: bool
    awaiting_correction: bool
    replied: str | None
    days_left: int | None  # open requests: working days to `due` (negative: overdue)
    days_late: int | None  # late replies: working days after `due`
    path: str

    @property
    def overdue(self) -> bool:
        return self.days_left is not None and self.days_left < 0


def _line(corpus: Corpus, request: Request, day: dt.date, *, replied: bool) -> RequestLine:
    clock = deadline(request)
    agency = corpus.registry.agencies.get(request.office)
    left = None
    if not replied and clock.due is not None:
        try:
            left = days_left(clock.due, day)
        except CalendarRangeError:
            left = None
        if left == 0 and day > clock.due:
            left = -1  # past the due day, on a day off: overdue all the same
    received = request.received
    return RequestLine(
        request.id, request.office, agency.zh if agency else request.office, request.applicant, request.subject,
        received.isoformat() if received else "", clock.start.isoformat() if clock.start else None,
        clock.due.isoformat() if clock.due else None, clock.extended, clock.extension_late,
        clock.awaiting_correction,
        request.replied.isoformat() if replied and request.replied else None, left,
        days_late(request, clock) if replied else None, request.path)


def requests_report(corpus: Corpus, day: dt.date,
                    year: int | None = None) -> tuple[list[RequestLine], list[RequestLine]]:
    """(open requests on `day`, overdue first; replies after their deadline, up to `day`); with `year`, of
    the requests received that year."""
    open_lines, late_lines = [], []
    for request in corpus.requests:
        if year is not None and (request.received is None or request.received.year != year):
            continue
        if open_on(request, day):
            view = _as_of(request, day)
            open_lines.append(_line(corpus, view, day, replied=False))
        elif request.replied is not None and request.replied <= day:
            line = _line(corpus, request, day, replied=True)
            if line.days_late:
                late_lines.append(line)
    open_lines.sort(key=lambda r: (r.days_left is None, r.days_left if r.days_left is not None else 0, r.id))
    late_lines.sort(key=lambda r: (-(r.days_late or 0), r.id))
    return open_lines, late_lines


def _as_of(request: Request, day: dt.date) -> Request:
    """The request as the register held it on `day`: a correction or an extension after it not yet known."""
    meta = dict(request.meta)
    correction = request.correction
    if correction and request.correction_received and request.correction_received > day:
        meta["correction"] = {k: v for k, v in correction.items() if k != "received"}
    if request.correction_asked and request.correction_asked > day:
        meta.pop("correction", None)
    if request.extended and request.extended > day:
        meta.pop("extended", None)
    if meta == request.meta:
        return request
    return Request(Source(request.path, request.source.text, meta, request.source.lines))


def _state(line: RequestLine) -> tuple[str, str]:
    if line.awaiting_correction:
        return "待补正（计时中止）", "awaiting correction (the clock is stopped)"
    if line.due is None:
        return "无法计算期限", "deadline not counted (outside the holiday calendar)"
    if line.overdue:
        return f"已逾期 {-(line.days_left or 0)} 个工作日", f"overdue by {-(line.days_left or 0)} working days"
    return f"剩余 {line.days_left} 个工作日", f"{line.days_left} working days left"


def _text(day: dt.date, open_lines: list[RequestLine], late_lines: list[RequestLine]) -> str:
    out = [f"依申请公开办理时限（截至 {day}）/ requests for information and their deadlines, as of {day}",
           f"答复期限：收到申请（或补正）后 {REPLY_DAYS} 个工作日，依法延期再加 {EXTENSION_DAYS} 个工作日 / reply "
           f"within {REPLY_DAYS} working days of receipt (or of the correction), {EXTENSION_DAYS} more when "
           "extended", ""]
    overdue = sum(1 for line in open_lines if line.overdue)
    out.append(f"未办结 {len(open_lines)} 件，其中逾期 {overdue} 件 / {len(open_lines)} open, {overdue} overdue")
    for line in open_lines:
        zh, en = _state(line)
        flags = "  [已延期 / extended]" if line.extended else ""
        flags += "  [延期告知过晚，不计 / extension notified late, not counted]" if line.extension_late else ""
        out.append(f"  {line.id}  {line.office_name} ({line.office})  收到 {line.received}  期限 / due "
                   f"{line.due or '—'}  {zh} / {en}{flags}")
        out.append(f"      {line.applicant}：{line.subject}")
    out += ["", f"逾期答复 {len(late_lines)} 件 / {len(late_lines)} replied late"]
    for line in late_lines:
        out.append(f"  {line.id}  {line.office_name} ({line.office})  收到 {line.received}  期限 {line.due}  答复 "
                   f"{line.replied}  逾期 {line.days_late} 个工作日 / {working_days_en(line.days_late or 0)} late")
        out.append(f"      {line.applicant}：{line.subject}")
    return "\n".join(out) + "\n"


COLUMNS = ["state", "id", "office", "office_name", "applicant", "subject", "received", "start", "due", "extended",
           "extension_late", "awaiting_correction", "replied", "days_left", "days_late", "path"]


def render(corpus: Corpus, options: Options) -> Rendered:
    day = options.as_of or options.today
    open_lines, late_lines = requests_report(corpus, day, options.year)
    if options.fmt == "json":
        data = {"as_of": day.isoformat(), "reply_working_days": REPLY_DAYS, "extension_working_days": EXTENSION_DAYS,
                "open": [{**asdict(r), "overdue": r.overdue} for r in open_lines],
                "late": [asdict(r) for r in late_lines]}
        return Rendered(json.dumps(data, ensure_ascii=False, indent=2) + "\n")
    if options.fmt == "csv":
        rows = [{"state": "overdue" if r.overdue else "open", **asdict(r)} for r in open_lines]
        rows += [{"state": "late", **asdict(r)} for r in late_lines]
        return Rendered(csv_text(COLUMNS, rows))
    return Rendered(_text(day, open_lines, late_lines))
