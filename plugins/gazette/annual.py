"""The annual report's tables 二, 三 and 四 (format of 2021), computed from the content.

- 二, first part (Art. 20 (一)): the catalogue. A document is a 规章 when its catalogue class is
  `rules.regulations`, a 行政规范性文件 when it is `rules.normative` (drafts left out, whatever the
  disclosure). Made in the year: `signed` in it. Repealed in the year: `validity: 废止` and the day it
  ceased in it. In force: signed by the year's end and not ceased by then. The day a document ceased is
  its `ceased` field, or else the signing day of the document that replaced it (`replaced_by`); a 失效 or
  废止 document with neither is not counted as in force, and the check warns (DOC-CEASED-MISSING).
- 二, other parts (Art. 20 (五), (六), (八)): the figures of content/annual/<year>/<agency>.yml, summed
  over the agencies reported on.
- 三: the requests register. New: received in the year. Carried over: received before the year and not
  replied before it. Each outcome and reason: replied in the year. Carried forward: received by the
  year's end and not replied by then. Columns: the `applicant`. New + carried over = handled + carried
  forward; a request that breaks it is named (`Table3.unbalanced`).
- 四: the register's appeals, in the year they were filed (`appeal.filed`, else the year of the reply).

The report covers one agency (documents by their lead issuer, requests by `office`, its figures file)
or, without one, the whole prefecture.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field

from . import annual_labels as L
from .annual_labels import Label
from .model import (
    APPEAL_KINDS,
    APPEAL_RESULTS,
    FIGURE_FIELDS,
    OUTCOME_REASONS,
    Corpus,
    Document,
    Request,
    canonical_reason,
)

RULE_CLASSES = {"rules.regulations": "regulations", "rules.normative": "normative"}
REPEALED, IN_FORCE = "废止", "有效"

Value = int | float | None  # None: a figure nobody supplied


@dataclass
class Row:
    label: Label
    cells: list[Value] | None  # None: a heading row (the template gives it no numbers)


@dataclass
class Table:
    stub: Label  # the first column's heading
    columns: list[Label]
    rows: list[Row]


@dataclass
class Unbalanced:
    request: Request
    side: str  # "in": new or carried over but neither handled nor carried forward; "out": the reverse


@dataclass
class AnnualReport:
    year: int
    agency: str | None
    unit: Label
    table2: list[Table]
    table3: Table
    table4: Table
    new: int = 0
    carried: int = 0
    handled: int = 0
    forward: int = 0
    unbalanced: list[Unbalanced] = field(default_factory=list)
    uncounted_rules: list[str] = field(default_factory=list)  # slugs: ceased, day unknown
    # Requests the tables cannot place (a date, an applicant, an appeal's kind or result the template does not
    # know): counted in no cell, so they would be missing from both sides of the balance without a word.
    uncounted_requests: list[Request] = field(default_factory=list)
    figure_files: list[str] = field(default_factory=list)


def ceased_on(corpus: Corpus, doc: Document) -> dt.date | None:
    """The day a 失效 or 废止 document ceased to be in force, where the content says."""
    if doc.ceased:
        return doc.ceased
    other = corpus.documents.get(doc.replaced_by) if doc.replaced_by else None
    return other.signed if other is not None else None


def _table2(corpus: Corpus, year: int, agency: str | None, report: AnnualReport) -> list[Table]:
    end = dt.date(year, 12, 31)
    counts = {kind: {"made": 0, "repealed": 0, "in_force": 0} for kind in RULE_CLASSES.values()}
    for doc in corpus.documents.values():
        kind = RULE_CLASSES.get(doc.catalogue)
        if kind is None or doc.is_draft or doc.signed is None or (agency and doc.issuers[:1] != [agency]):
            continue
        ceased = ceased_on(corpus, doc) if doc.validity != IN_FORCE else None
        if doc.validity != IN_FORCE and ceased is None:
            report.uncounted_rules.append(doc.slug)
        if doc.signed.year == year:
            counts[kind]["made"] += 1
        if doc.validity == REPEALED and ceased is not None and ceased.year == year:
            counts[kind]["repealed"] += 1
        if doc.signed <= end and (doc.validity == IN_FORCE or (ceased is not None and ceased > end)):
            counts[kind]["in_force"] += 1
    rules = Table(L.ITEM_1, list(L.RULE_COLUMNS),
                  [Row(label, [counts[label.id][c.id] for c in L.RULE_COLUMNS]) for label in L.RULE_ROWS])

    figures: dict[str, Value] = dict.fromkeys(FIGURE_FIELDS)
    for item in corpus.figures:
        if item.year != year or (agency and item.agency != agency):
            continue
        report.figure_files.append(item.path)
        for key in FIGURE_FIELDS:
            value = item.value(key)
            if value is not None:
                figures[key] = (figures[key] or 0) + value
    if isinstance(figures["fees"], float):
        figures["fees"] = round(figures["fees"], 4)

    def one(stub: Label, column: Label, keys: tuple[str, ...]) -> Table:
        return Table(stub, [column], [Row(L.FIGURE_ROWS[k], [figures[k]]) for k in keys])

    return [rules, one(L.ITEM_5, L.DECISIONS, ("licensing",)),
            one(L.ITEM_6, L.DECISIONS, ("penalties", "enforcement")), one(L.ITEM_8, L.FEE_AMOUNT, ("fees",))]


def _result_row(request: Request) -> str | None:
    """The row id a handled request counts in, or None when its outcome or reason is not one of the
    template's (the check reports it)."""
    family = L.OUTCOME_ROWS.get(request.outcome)
    if family is None:
        return None
    if not OUTCOME_REASONS[request.outcome]:
        return family.id
    reason = canonical_reason(request.outcome, request.reason)
    return L.reason_label(request.outcome, reason).id if reason else None


def _result_labels() -> list[tuple[Label, bool]]:
    """Table 三's rows from 三、本年度办理结果 to （七）总计, each with whether it holds numbers."""
    rows: list[tuple[Label, bool]] = [(L.RESULTS, False)]
    for outcome, family in L.OUTCOME_ROWS.items():
        reasons = OUTCOME_REASONS[outcome]
        rows.append((family, not reasons))
        rows.extend((L.reason_label(outcome, r), True) for r in reasons)
    rows.append((L.HANDLED, True))
    return rows


def _table3(requests: list[Request], year: int, report: AnnualReport) -> Table:
    first, last = dt.date(year, 1, 1), dt.date(year, 12, 31)
    columns = [c.id for c in L.APPLICANT_COLUMNS]
    counts: dict[str, dict[str, int]] = defaultdict(lambda: dict.fromkeys(columns, 0))
    entering: dict[int, Request] = {}  # new or carried over
    leaving: dict[int, Request] = {}  # handled or carried forward
    for request in requests:
        received, replied = request.received, request.replied
        column = L.APPLICANT_COLUMN.get(request.applicant)
        if received is None or column is None:
            # In no cell of any row; the check reports the date or the applicant, the report names it.
            if received is None or received.year <= year:
                report.uncounted_requests.append(request)
            continue
        if received.year == year:
            counts["new"][column] += 1
            entering[id(request)] = request
        elif received < first and (replied is None or replied >= first):
            counts["carried"][column] += 1
            entering[id(request)] = request
        if replied is not None and first <= replied <= last:
            row = _result_row(request)
            if row is not None:
                counts[row][column] += 1
                counts["handled"][column] += 1
                leaving[id(request)] = request
        if received <= last and (replied is None or replied > last):
            counts["forward"][column] += 1
            leaving[id(request)] = request
    report.unbalanced = [Unbalanced(r, "in") for k, r in entering.items() if k not in leaving] + \
                        [Unbalanced(r, "out") for k, r in leaving.items() if k not in entering]

    def cells(row_id: str) -> list[Value]:
        values: list[Value] = [counts[row_id][c] for c in columns]
        return [*values, sum(counts[row_id].values())]

    report.new, report.carried = sum(counts["new"].values()), sum(counts["carried"].values())
    report.handled, report.forward = sum(counts["handled"].values()), sum(counts["forward"].values())
    rows = [Row(L.NEW, cells("new")), Row(L.CARRIED, cells("carried"))]
    rows += [Row(label, cells(label.id) if numbers else None) for label, numbers in _result_labels()]
    rows.append(Row(L.FORWARD, cells("forward")))
    return Table(L.STUB_3, [*L.APPLICANT_COLUMNS, L.TOTAL], rows)


def appeal_year(request: Request, filed: dt.date | None) -> int | None:
    if filed is not None:
        return filed.year
    return request.replied.year if request.replied else None


def _table4(requests: list[Request], year: int, report: AnnualReport) -> Table:
    counts = {kind: dict.fromkeys(APPEAL_RESULTS, 0) for kind in APPEAL_KINDS}
    for request in requests:
        for appeal in request.appeals:
            if appeal_year(request, appeal.filed) != year:
                continue
            if appeal.kind in counts and appeal.result in APPEAL_RESULTS:
                counts[appeal.kind][appeal.result] += 1
            elif request not in report.uncounted_requests:
                report.uncounted_requests.append(request)
    rows = [Row(L.APPEAL_ROWS[kind], [*(counts[kind][r] for r in APPEAL_RESULTS), sum(counts[kind].values())])
            for kind in APPEAL_KINDS]
    return Table(L.APPEAL_STUB, [*(L.APPEAL_COLUMNS[r] for r in APPEAL_RESULTS), L.TOTAL], rows)


def annual_report(corpus: Corpus, year: int, agency: str | None = None) -> AnnualReport:
    if agency:
        entry = corpus.registry.agencies[agency]
        unit = Label(agency, entry.zh, entry.bo or entry.zh, entry.bo_reviewed)
    else:
        unit = L.WHOLE
    requests = [r for r in corpus.requests if not agency or r.office == agency]
    report = AnnualReport(year, agency, unit, [], Table(L.STUB_3, [], []), Table(L.APPEAL_STUB, [], []))
    report.table2 = _table2(corpus, year, agency, report)
    report.table3 = _table3(requests, year, report)
    report.table4 = _table4(requests, year, report)
    return report


def request_years(corpus: Corpus) -> list[int]:
    """The years the register has anything in: from the first request received to the last reply."""
    years = [d.year for r in corpus.requests for d in (r.received, r.replied) if d is not None]
    return list(range(min(years), max(years) + 1)) if years else []
