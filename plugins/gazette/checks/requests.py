"""The requests register (content/requests/<year>/<id>.yml): fields and their values, dates in order,
references to the registry and to documents, and the deadlines (`deadlines.py`).

The register holds no personal data: `personal_data.py` reads every field of a request.
"""

from __future__ import annotations

import posixpath
import re
from collections import defaultdict
from collections.abc import Iterator
from typing import Any

from ..deadlines import CORRECTION_DAYS, REPLY_DAYS, days_late, days_overdue, deadline
from ..findings import Finding, error, warning
from ..model import (
    APPEAL_KINDS,
    APPEAL_RESULTS,
    APPLICANTS,
    CHANNELS,
    OUTCOME_REASONS,
    Corpus,
    Request,
    as_list,
    canonical_reason,
)
from ..workdays import CALENDAR_FIX_EN, CALENDAR_FIX_ZH, CalendarRangeError, working_days_en
from .dates import check_date
from .registry_refs import _unknown
from .rules import CheckContext, rule

REQUEST_ID = re.compile(r"^(?P<year>[0-9]{4})-[0-9]{4}\Z")
REQUIRED = ("id", "received", "channel", "applicant", "office", "subject")
TEXT_FIELDS = ("id", "received", "channel", "applicant", "office", "subject", "extended", "replied", "outcome",
               "reason")
KNOWN_FIELDS = frozenset({*TEXT_FIELDS, "correction", "documents", "appeal"})
APPEAL_FIELDS = frozenset({"kind", "result", "filed"})
CORRECTION_FIELDS = frozenset({"asked", "received"})


def _error(request: Request, code: str, key: str, zh: str, en: str, fix_zh: str, fix_en: str,
           line: int | None = None) -> Finding:
    return error(code, request.path, line or request.line(key), key, zh, en, fix_zh, fix_en)


def _missing(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip()) or value in ([], {})


@rule
def request_fields(corpus: Corpus, context: CheckContext) -> Iterator[Finding]:
    """REQ-REQUIRED, REQ-FIELD-TYPE, REQ-FIELD-UNKNOWN: the fields of the format, each of its kind."""
    for request in corpus.requests:
        meta = request.meta
        for key in REQUIRED:
            if _missing(meta.get(key)):
                yield _error(request, "REQ-REQUIRED", key, f"缺少必填字段 {key}", f"the required field '{key}' "
                                                                            "is missing",
                             f"写 {key}: …（见 docs/checks.md 的示例）", f"add '{key}: …' (see docs/checks.md)")
        replied, outcome = not _missing(meta.get("replied")), not _missing(meta.get("outcome"))
        if replied != outcome:
            have, lack = ("replied", "outcome") if replied else ("outcome", "replied")
            yield _error(request, "REQ-REQUIRED", lack,
                         f"有 {have} 而没有 {lack}：已答复的申请两者都写，未办结的都不写",
                         f"'{have}' without '{lack}': a request answered has both, an open one neither",
                         f"补写 {lack}，或删去 {have}", f"add '{lack}', or remove '{have}'", request.line(have))
        for key in TEXT_FIELDS:
            value = meta.get(key)
            if value is not None and not isinstance(value, str):
                yield _error(request, "REQ-FIELD-TYPE", key, f"字段 {key} 应为一段文字或日期",
                             f"'{key}' must be text or a date", f"写 {key}: 文字", f"write '{key}: text'")
        for key, fields, example in (("correction", CORRECTION_FIELDS, "{asked: 2026-03-05, received: 2026-03-09}"),
                                     ("appeal", APPEAL_FIELDS, "{kind: 行政复议, result: 维持}")):
            value = meta.get(key)
            if value is None:
                continue
            items = as_list(value) if key == "appeal" else [value]
            # A correction names the day it was asked for: the 7 working days are judged by it.
            needed = {"asked"} if key == "correction" else set()
            if not items or not all(isinstance(i, dict) for i in items) or any(set(i) - fields for i in items) \
                    or any(needed - set(i) for i in items):
                yield _error(request, "REQ-FIELD-TYPE", key, f"{key} 应写作 {example}",
                             f"'{key}' must be written {example}", f"写 {key}: {example}",
                             f"write '{key}: {example}'")
        documents = meta.get("documents")
        if documents is not None and not all(isinstance(d, str) for d in as_list(documents)):
            yield _error(request, "REQ-FIELD-TYPE", "documents", "documents 应是文件 slug 的列表",
                         "'documents' must be a list of document slugs", "写 documents: [slug-1, slug-2]",
                         "write 'documents: [slug-1, slug-2]'")
        for key in meta:
            if str(key) not in KNOWN_FIELDS:
                yield warning("REQ-FIELD-UNKNOWN", request.path, request.line(str(key)), str(key),
                              f"未知字段“{key}”，不会被使用", f"unknown field '{key}': it is ignored",
                              "检查拼写（见 docs/checks.md），或删去", "check the spelling (see docs/checks.md) or "
                                                            "remove it")


@rule(across=True)
def request_ids(corpus: Corpus, context: CheckContext) -> Iterator[Finding]:
    """REQ-ID, REQ-ID-DUPLICATE: `<year received>-<4 digits>`, the file's name, in its year's folder,
    once."""
    seen: dict[str, list[Request]] = defaultdict(list)
    for request in corpus.requests:
        parts = request.path.split("/")
        name = posixpath.basename(request.path).removesuffix(".yml")
        rid = request.id
        if not rid:
            continue  # REQ-REQUIRED
        seen[rid].append(request)
        match = REQUEST_ID.match(rid)
        received = request.received
        year = str(received.year) if received else match["year"] if match else "<year>"
        expected = f"requests/{year}/{rid}.yml"
        if not match:
            example = f"{received.year if received else 2026}-0012"
            yield _error(request, "REQ-ID", "id", f"编号“{rid}”应写作 <收到年份>-<4 位序号>",
                         f"the id '{rid}' must be <year received>-<4 digits>", f"如 {example}", f"e.g. {example}")
        elif received and match["year"] != str(received.year):
            yield _error(request, "REQ-ID", "id", f"编号“{rid}”的年份与收到日期 {received} 不一致",
                         f"the id '{rid}' does not start with the year received ({received})",
                         f"编号以 {received.year}- 开头", f"start the id with {received.year}-")
        elif len(parts) != 3 or name != rid or request.path != expected:
            yield _error(request, "REQ-ID", "id", f"文件应为 {expected}（收到年份的目录，文件名即编号）",
                         f"the file must be {expected} (the year received, named by its id)",
                         f"移到 {expected}", f"move it to {expected}")
    for rid, requests in seen.items():
        for request in requests[1:]:
            yield _error(request, "REQ-ID-DUPLICATE", "id", f"编号“{rid}”已被 {requests[0].path} 使用",
                         f"the id '{rid}' is already used by {requests[0].path}", "给这件申请下一个未用的编号",
                         "give this request the next unused id")


def _value(request: Request, code: str, key: str, value: str, choices: tuple[str, ...],
           line: int | None = None) -> Iterator[Finding]:
    if value and value not in choices:
        listed = "、".join(choices)
        yield _error(request, code, key, f"{key}“{value}”不是规定的值", f"'{value}' is not a value of '{key}'",
                     f"写 {listed} 之一", f"write one of {', '.join(choices)}", line)


@rule
def request_values(corpus: Corpus, context: CheckContext) -> Iterator[Finding]:
    """REQ-CHANNEL, REQ-APPLICANT, REQ-OUTCOME, REQ-REASON, REQ-APPEAL: values from the format's lists; the
    reason one of its outcome's (the annual report's rows)."""
    for request in corpus.requests:
        yield from _value(request, "REQ-CHANNEL", "channel", request.channel, CHANNELS)
        yield from _value(request, "REQ-APPLICANT", "applicant", request.applicant, APPLICANTS)
        yield from _value(request, "REQ-OUTCOME", "outcome", request.outcome, tuple(OUTCOME_REASONS))
        reasons = OUTCOME_REASONS.get(request.outcome)
        if reasons and not request.reason:
            yield _error(request, "REQ-REASON", "reason", f"办理结果为{request.outcome}，应写明理由",
                         f"the outcome {request.outcome} needs its reason", f"写 reason: {reasons[0]}（或"
                         f"{'、'.join(reasons[1:])}）", f"write 'reason:' one of {', '.join(reasons)}",
                         request.line("outcome"))
        elif reasons and canonical_reason(request.outcome, request.reason) is None:
            yield _error(request, "REQ-REASON", "reason", f"“{request.reason}”不是{request.outcome}的理由",
                         f"'{request.reason}' is not a reason for {request.outcome}",
                         f"写 {'、'.join(reasons)} 之一（不写序号）", f"write one of {', '.join(reasons)} (without "
                                                               "its number)")
        elif reasons == () and request.reason:
            yield warning("REQ-REASON", request.path, request.line("reason"), "reason",
                          f"{request.outcome}不写理由，年度报告不统计它",
                          f"{request.outcome} takes no reason; the annual report does not count it",
                          "删去 reason", "remove 'reason'")
        for appeal in request.appeals:
            yield from _value(request, "REQ-APPEAL", "appeal", appeal.kind, APPEAL_KINDS, appeal.line)
            yield from _value(request, "REQ-APPEAL", "appeal", appeal.result, APPEAL_RESULTS, appeal.line)
            if not appeal.kind or not appeal.result:
                yield _error(request, "REQ-APPEAL", "appeal", "复议或诉讼应写明类别和结果",
                             "an appeal states its kind and its result", "写 appeal: {kind: 行政复议, result: 维持}",
                             "write 'appeal: {kind: 行政复议, result: 维持}'", appeal.line)
            if appeal.kind and request.replied is None and appeal.filed is None:
                yield _error(request, "REQ-APPEAL", "appeal", "尚未答复的申请不会有复议或诉讼",
                             "a request not yet answered has no appeal", "先写答复日期和办理结果（replied、outcome）",
                             "write the reply first (replied, outcome)", appeal.line)


def _dates(request: Request) -> Iterator[tuple[str, int, Any]]:
    for key in ("received", "extended", "replied"):
        yield key, request.line(key), request.meta.get(key)
    for key in ("asked", "received"):
        yield f"correction.{key}", request.line("correction"), request.correction.get(key)
    for i, item in enumerate(as_list(request.meta.get("appeal"))):
        if isinstance(item, dict):
            yield "appeal.filed", request.source.lines.get(f"appeal[{i}]", request.line("appeal")), item.get("filed")


@rule(dated=True)
def request_dates(corpus: Corpus, context: CheckContext) -> Iterator[Finding]:
    """DATE-INVALID, DATE-FUTURE, REQ-DATE-ORDER: real dates, none after today, in the order things happen."""
    for request in corpus.requests:
        for key, line, value in _dates(request):
            if value is None or value == "":
                continue
            date, zh, en, fixed = check_date(value)
            if date is None:
                yield error("DATE-INVALID", request.path, line, key, zh, en,
                            f"写 {fixed}" if fixed else "写作 YYYY-MM-DD，如 2026-03-02",
                            f"write {fixed}" if fixed else "write YYYY-MM-DD, e.g. 2026-03-02")
            elif date > context.today:
                yield error("DATE-FUTURE", request.path, line, key, f"{key} 日期 {date} 晚于今天（北京时间 "
                                                                   f"{context.today}）",
                            f"'{key}' ({date}) is after today ({context.today}, Beijing time)",
                            "核对日期：登记表只记已经发生的事", "check the date: the register records what has "
                                                   "happened")
        order = [("received", request.received), ("correction.asked", request.correction_asked),
                 ("correction.received", request.correction_received), ("replied", request.replied)]
        known = [(k, d) for k, d in order if d is not None]
        for (k1, d1), (k2, d2) in zip(known, known[1:], strict=False):
            if d2 < d1:
                yield _error(request, "REQ-DATE-ORDER", k2, f"{k2}（{d2}）早于 {k1}（{d1}）",
                             f"'{k2}' ({d2}) is before '{k1}' ({d1})",
                             "依次为：收到、通知补正、收到补正、答复", "the order is: received, correction asked, "
                                                          "correction received, replied",
                             request.line(k2.split(".")[0]))
        extended = request.extended
        if extended and ((request.received and extended < request.received)
                         or (request.replied and extended > request.replied)):
            yield _error(request, "REQ-DATE-ORDER", "extended", f"延期告知日期 {extended} 不在收到与答复之间",
                         f"'extended' ({extended}) is not between receipt and reply",
                         "写告知申请人延期的日期", "write the day the applicant was told of the extension")
        for appeal in request.appeals:
            if appeal.filed and request.replied and appeal.filed < request.replied:
                yield _error(request, "REQ-DATE-ORDER", "appeal.filed", f"复议或诉讼日期 {appeal.filed} 早于答复日期",
                             f"the appeal ({appeal.filed}) is before the reply ({request.replied})",
                             "核对日期", "check the dates", appeal.line)


@rule(across=True)
def request_references(corpus: Corpus, context: CheckContext) -> Iterator[Finding]:
    """REQ-OFFICE, REQ-DOCUMENTS: `office` is a registry agency; `documents` are existing slugs."""
    agencies = corpus.registry.agencies
    for request in corpus.requests:
        office = request.office
        if office and "agencies" in corpus.registry.sources and office not in agencies:
            yield _unknown("REQ-OFFICE", request.path, request.line("office"), "office", office, "agencies", agencies)
        for i, slug in enumerate(request.documents):
            if slug and slug not in corpus.documents:
                line = request.source.lines.get(f"documents[{i}]", request.line("documents"))
                yield _error(request, "REQ-DOCUMENTS", "documents", f"文件“{slug}”不存在",
                             f"there is no document '{slug}'", "写所提供文件的 slug（documents/ 中的文件名）",
                             "write the slug of a document provided (its file name under documents/)", line)


@rule(dated=True)
def request_deadlines(corpus: Corpus, context: CheckContext) -> Iterator[Finding]:
    """REQ-CORRECTION-LATE, REQ-EXTENSION-LATE, REQ-LATE, REQ-OVERDUE (warnings), DATE-CALENDAR: the
    deadlines of Art. 30 and 33, on the national holiday calendar."""
    today = context.today
    for request in corpus.requests:
        clock = deadline(request)
        if clock.calendar is not None:
            exc = clock.calendar
            yield warning("DATE-CALENDAR", request.path, request.line("received"), "received",
                          f"节假日日历只覆盖 {exc.first.year}–{exc.last.year} 年，无法计算 {exc.day} 前后的工作日",
                          f"the holiday calendar covers {exc.first.year}–{exc.last.year}; working days around "
                          f"{exc.day} cannot be counted",
                          CALENDAR_FIX_ZH, CALENDAR_FIX_EN)
        asked = request.correction_asked
        if asked and clock.correction_due and asked > clock.correction_due:
            yield warning("REQ-CORRECTION-LATE", request.path, request.line("correction"), "correction",
                          f"补正通知晚于收到申请后 {CORRECTION_DAYS} 个工作日（应不晚于 {clock.correction_due}）",
                          f"the correction was asked for after {CORRECTION_DAYS} working days (due by "
                          f"{clock.correction_due})",
                          "核对日期；在年度报告中说明", "check the dates; account for it in the annual report")
        if clock.extension_late:
            yield warning("REQ-EXTENSION-LATE", request.path, request.line("extended"), "extended",
                          f"延期在前 {REPLY_DAYS} 个工作日之后（{clock.base_due} 之后）才告知，不能延长答复期限",
                          f"the extension was notified after the first {REPLY_DAYS} working days (after "
                          f"{clock.base_due}) and does not extend the deadline",
                          "核对日期：延期须在答复期限内告知申请人", "check the date: an extension is notified "
                                                         "within the deadline")
        late = days_late(request, clock)
        if late:
            yield warning("REQ-LATE", request.path, request.line("replied"), "replied",
                          f"答复晚于期限 {clock.due}（逾期 {late} 个工作日）",
                          f"replied after the deadline {clock.due} ({working_days_en(late)} late)",
                          "核对日期；确属逾期，在年度报告中说明（gazette report requests 列出全部）",
                          "check the dates; if it was late, account for it in the annual report (gazette report "
                          "requests lists them all)")
        if request.replied is None and not request.meta.get("outcome") and clock.due and clock.due < today:
            try:
                overdue = days_overdue(clock.due, today)
            except CalendarRangeError:
                overdue = 1
            yield warning("REQ-OVERDUE", request.path, request.line("received"), "received",
                          f"申请尚未答复，已过期限 {clock.due}（逾期 {overdue} 个工作日）",
                          f"not yet answered, past its deadline {clock.due} ({working_days_en(overdue)} over)",
                          "尽快答复；答复后写 replied 和 outcome", "answer it; then write 'replied' and 'outcome'")

