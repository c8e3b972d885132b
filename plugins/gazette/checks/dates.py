"""Dates: valid ISO dates, none in the future (Beijing time), `published` not before `signed`, the file
under documents/<year of signing>/, and timeliness (Art. 26: proactive disclosure within 20 working
days of the information being made, counted on the national holiday calendar)."""

from __future__ import annotations

import datetime as dt
import posixpath
import re
from collections.abc import Iterator
from typing import Any

from ..findings import Finding, error, warning
from ..frontmatter import Source
from ..model import Corpus
from ..visibility import Visibility
from ..workdays import CALENDAR_FIX_EN, CALENDAR_FIX_ZH, DISCLOSURE_DEADLINE, CalendarRangeError, working_days_between
from .common import public_documents
from .rules import CheckContext, rule

ISO_DATE = re.compile(r"^[0-9]{4}-[0-9]{2}-[0-9]{2}\Z")
LOOSE_DATE = re.compile(r"^\s*(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?\s*$")


def check_date(value: Any) -> tuple[dt.date | None, str, str, str]:
    """(date, problem_zh, problem_en, suggestion); date is None when the value is not a valid ISO date."""
    text = str(value).strip() if value is not None else ""
    if ISO_DATE.match(text):
        try:
            return dt.date.fromisoformat(text), "", "", ""
        except ValueError:
            return None, f"日期“{text}”不存在", f"the date '{text}' does not exist", ""
    m = LOOSE_DATE.match(text)
    if m:
        try:
            fixed = dt.date(int(m[1]), int(m[2]), int(m[3])).isoformat()
        except ValueError:
            return None, f"日期“{text}”不存在", f"the date '{text}' does not exist", ""
        return (None, f"日期“{text}”不是 YYYY-MM-DD 格式", f"the date '{text}' is not written YYYY-MM-DD",
                fixed)
    return None, f"“{text}”不是日期", f"'{text}' is not a date", ""


def _invalid(source: Source, key: str, line: int, value: Any) -> Finding | None:
    date, zh, en, fixed = check_date(value)
    if date is not None:
        return None
    fix_zh = f"写 {fixed}" if fixed else "写作 YYYY-MM-DD，如 2026-03-02"
    fix_en = f"write {fixed}" if fixed else "write YYYY-MM-DD, e.g. 2026-03-02"
    return error("DATE-INVALID", source.path, line, key, zh, en, fix_zh, fix_en)


@rule
def valid_dates(corpus: Corpus, context: CheckContext) -> Iterator[Finding]:
    """DATE-INVALID: signed, published, secrecy_review.date and issue dates are real YYYY-MM-DD dates."""
    for doc in corpus.documents.values():
        for key in ("signed", "published"):
            value = doc.meta.get(key)
            if value is not None and value != "":
                finding = _invalid(doc.source, key, doc.line(key), value)
                if finding:
                    yield finding
        review = doc.secrecy_review
        if review.get("date") not in (None, ""):
            finding = _invalid(doc.source, "secrecy_review.date", doc.line("secrecy_review"), review["date"])
            if finding:
                yield finding
    for issue in corpus.issues:
        if isinstance(issue.meta, dict) and issue.meta.get("date") not in (None, ""):
            finding = _invalid(issue.source, "date", issue.line("date"), issue.meta["date"])
            if finding:
                yield finding


@rule(dated=True)
def date_order(corpus: Corpus, context: CheckContext) -> Iterator[Finding]:
    """DATE-FUTURE, DATE-ORDER: no date after today (Beijing); published not before signed."""
    today = context.today
    for doc in corpus.documents.values():
        for key in ("signed", "published"):
            date = getattr(doc, key)
            if date and date > today:
                yield error("DATE-FUTURE", doc.path, doc.line(key), key,
                            f"{key} 日期 {date} 晚于今天（北京时间 {today}）",
                            f"'{key}' ({date}) is after today ({today}, Beijing time)",
                            "核对日期；尚未发布的文件写 status: draft，并在发布当天填写日期",
                            "check the date; a document not yet out is a draft (status: draft) dated on "
                            "release")
        if doc.signed and doc.published and doc.published < doc.signed:
            yield error("DATE-ORDER", doc.path, doc.line("published"), "published",
                        f"发布日期 {doc.published} 早于成文日期 {doc.signed}",
                        f"published ({doc.published}) is before signed ({doc.signed})",
                        "核对两个日期：先成文，后发布", "check both dates: a document is signed before it "
                                          "is published")


@rule
def year_folder(corpus: Corpus, context: CheckContext) -> Iterator[Finding]:
    """DOC-FOLDER: the original lives in documents/<year of signed>/."""
    for doc in corpus.documents.values():
        if not doc.signed:
            continue
        expected = f"documents/{doc.signed.year}/{posixpath.basename(doc.path)}"
        if doc.path != expected:
            yield error("DOC-FOLDER", doc.path, doc.line("signed"), "signed",
                        f"文件应放在成文年份的目录 documents/{doc.signed.year}/ 下",
                        f"the file belongs in documents/{doc.signed.year}/, the year it was signed",
                        f"移到 {expected}（译文一并移动），或核对成文日期",
                        f"move it to {expected} (with its translations), or check 'signed'")


@rule
def timeliness(corpus: Corpus, context: CheckContext) -> Iterator[Finding]:
    """DATE-LATE, DATE-CALENDAR: 主动公开 within 20 working days of signing (Art. 26)."""
    vis = public_documents(corpus, context)
    for doc in corpus.documents.values():
        if vis[doc.slug] is not Visibility.FULL or not doc.signed or not doc.published:
            continue
        if doc.published <= doc.signed:
            continue
        try:
            days = working_days_between(doc.signed, doc.published)
        except CalendarRangeError as exc:
            yield warning("DATE-CALENDAR", doc.path, doc.line("published"), "published",
                          f"节假日日历只覆盖 {exc.first.year}–{exc.last.year} 年，无法计算 {exc.day} 前后的"
                          "工作日",
                          f"the holiday calendar covers {exc.first.year}–{exc.last.year}; working days "
                          "around "
                          f"{exc.day} cannot be counted",
                          CALENDAR_FIX_ZH, CALENDAR_FIX_EN)
            continue
        if days > DISCLOSURE_DEADLINE:
            yield warning("DATE-LATE", doc.path, doc.line("published"), "published",
                          f"成文后第 {days} 个工作日才发布，超过主动公开时限（{DISCLOSURE_DEADLINE} 个工作日"
                          "）",
                          f"published {days} working days after signing, past the "
                          f"{DISCLOSURE_DEADLINE}-working-day "
                          "limit for proactive disclosure",
                          "核对日期；确属逾期的，在年度报告中说明（gazette report late 列出全部逾期文件）",
                          "check the dates; if it was late, account for it in the annual report "
                          "(gazette report late lists them all)")
