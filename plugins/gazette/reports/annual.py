"""`gazette report annual --year Y [--agency ID] [--lang zh|bo] [--format text|csv|json|doc]`: the annual
report's tables 二, 三 and 四, computed by `annual.py`.

`text` is Markdown an editor pastes into the report (the sections' `##` headings and their tables, in
Chinese, or in Tibetan with `--lang bo`: labels marked `*` await the translators' review); `csv` one line
per cell; `json` the tables whole; `doc` writes the report's skeleton (`annual_doc.py`). A request that
breaks new + carried over = handled + carried forward is an error: the tables are printed, the error
named, and the command exits 1.
"""

from __future__ import annotations

import json
from typing import Any

from .. import annual_labels as L
from ..annual import AnnualReport, Table, Value, annual_report
from ..annual_labels import Label
from ..model import Corpus
from .output import Options, Rendered, csv_text

PLACEHOLDER_CELL = "【待填】"  # a figure no yearly figures file gave: the check flags it where pasted


def number(value: Value) -> str:
    if value is None:
        return PLACEHOLDER_CELL
    if isinstance(value, float):
        return f"{value:.4f}".rstrip("0").rstrip(".")
    return str(value)


def label_text(label: Label, lang: str) -> str:
    return label.text(lang) + (" \\*" if lang == "bo" and not label.reviewed else "")


def markdown_table(table: Table, lang: str) -> str:
    width = len(table.columns) + 1
    lines = ["| " + " | ".join(label_text(x, lang) for x in (table.stub, *table.columns)) + " |",
             "|" + "---|" * width]
    for row in table.rows:
        cells = [number(v) for v in row.cells] if row.cells is not None else [""] * len(table.columns)
        lines.append("| " + " | ".join([label_text(row.label, lang), *cells]) + " |")
    if lang == "bo":
        lines += ["", L.UNREVIEWED_NOTE]
    return "\n".join(lines)


def section(report: AnnualReport, part: str, lang: str) -> str:
    """One of the report's parts 二, 三, 四 (`proactive`, `requests`, `appeals`): its tables."""
    tables = {"proactive": report.table2, "requests": [report.table3], "appeals": [report.table4]}[part]
    return "\n\n".join(markdown_table(t, lang) for t in tables)


def markdown(report: AnnualReport, lang: str = "zh") -> str:
    parts = {p.id: p for p in L.PARTS}
    blocks = [f"## {parts[p].text(lang)}\n\n{section(report, p, lang)}" for p in ("proactive", "requests", "appeals")]
    return "\n\n".join(blocks) + "\n"


def _label_json(label: Label) -> dict[str, Any]:
    return {"id": label.id, "zh": label.zh, "bo": label.bo, "bo_reviewed": label.reviewed}


def _table_json(table: Table) -> dict[str, Any]:
    ids = [c.id for c in table.columns]
    return {"stub": _label_json(table.stub), "columns": [_label_json(c) for c in table.columns],
            "rows": [{**_label_json(r.label), "cells": dict(zip(ids, r.cells, strict=True))
                      if r.cells is not None else None} for r in table.rows]}


def as_json(report: AnnualReport) -> dict[str, Any]:
    return {
        "year": report.year, "agency": report.agency, "unit": _label_json(report.unit),
        "tables": {"二": [_table_json(t) for t in report.table2], "三": _table_json(report.table3),
                   "四": _table_json(report.table4)},
        "balance": {"new": report.new, "carried_over": report.carried, "handled": report.handled,
                    "carried_forward": report.forward, "holds": not report.unbalanced,
                    "requests": [{"id": u.request.id, "path": u.request.path, "side": u.side}
                                 for u in report.unbalanced]},
        "figure_files": report.figure_files, "uncounted_rules": report.uncounted_rules,
        "uncounted_requests": [{"id": r.id, "path": r.path} for r in report.uncounted_requests],
    }


CSV_COLUMNS = ["table", "part", "row_id", "row_zh", "row_bo", "column_id", "column_zh", "column_bo", "value"]


def _csv(report: AnnualReport) -> str:
    lines = []
    for name, tables in (("二", report.table2), ("三", [report.table3]), ("四", [report.table4])):
        for table in tables:
            for row in table.rows:
                if row.cells is None:
                    continue
                for column, value in zip(table.columns, row.cells, strict=True):
                    lines.append({"table": name, "part": table.stub.id, "row_id": row.label.id,
                                  "row_zh": row.label.zh, "row_bo": row.label.bo, "column_id": column.id,
                                  "column_zh": column.zh, "column_bo": column.bo, "value": value})
    return csv_text(CSV_COLUMNS, lines)


def uncounted_errors(report: AnnualReport) -> list[str]:
    """The requests the tables could not place, named: the tables are short of them."""
    if not report.uncounted_requests:
        return []
    count = len(report.uncounted_requests)
    lines = [f"{count} 件申请无法计入表格（日期、申请人类别或复议诉讼的写法不符合模板），表中缺少这些申请；运行 "
             f"gazette check 查看并改正 / {count} requests could not be counted (a date, an applicant kind, or an "
             "appeal's kind or result the template does not know): the tables are short of them; gazette check "
             "says what to correct"]
    lines += [f"  {r.id or '?'} ({r.path})" for r in report.uncounted_requests]
    return ["\n".join(lines)]


def balance_errors(report: AnnualReport) -> list[str]:
    if not report.unbalanced:
        return []
    head = (f"{report.year} 年表三不平衡：新收 {report.new} + 上年结转 {report.carried} ≠ 办结 {report.handled} + "
            f"结转下年 {report.forward} / table 三 of {report.year} does not balance: new {report.new} + carried over "
            f"{report.carried} ≠ handled {report.handled} + carried forward {report.forward}")
    lines = [head]
    for item in report.unbalanced:
        why = ("本年在办，却既未计入办理结果，也未结转下年 / open in the year, neither handled nor carried forward"
               if item.side == "in" else
               "计入办理结果，却不是本年新收或上年结转 / handled, but neither new nor carried over")
        lines.append(f"  {item.request.id} ({item.request.path}): {why}")
    return ["\n".join(lines)]


def render(corpus: Corpus, options: Options) -> Rendered:
    year = options.year or options.today.year - 1
    report = annual_report(corpus, year, options.agency)
    errors = uncounted_errors(report) + balance_errors(report)
    if options.fmt == "json":
        return Rendered(json.dumps(as_json(report), ensure_ascii=False, indent=2) + "\n", errors)
    if options.fmt == "csv":
        return Rendered(_csv(report), errors)
    return Rendered(markdown(report, options.lang), errors)
