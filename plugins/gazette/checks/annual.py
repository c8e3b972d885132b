"""What the annual report is computed from, beyond the register's own rules (`requests.py`): the yearly
figures files, the day a rule or normative document ceased to be in force, and the balance of table 三
(new + carried over = handled + carried forward), year by year."""

from __future__ import annotations

import re
from collections.abc import Iterator

from ..annual import RULE_CLASSES, annual_report, ceased_on, request_years
from ..findings import Finding, error, warning
from ..model import FIGURE_FIELDS, IN_FORCE, Corpus
from .dates import check_date
from .registry_refs import _unknown
from .rules import CheckContext, rule

FIGURES_PATH = re.compile(r"^annual/(?P<year>[0-9]{4})/(?P<agency>[^/]+)\.yml\Z")
FIGURE_NAMES = {"licensing": "行政许可决定数", "penalties": "行政处罚决定数", "enforcement": "行政强制决定数",
                "fees": "行政事业性收费金额（万元）"}


@rule
def yearly_figures(corpus: Corpus, context: CheckContext) -> Iterator[Finding]:
    """ANNUAL-FILE, ANNUAL-FIELD: annual/<year>/<agency>.yml, an agency of the registry, every figure
    given once as a number (counts whole)."""
    for item in corpus.figures:
        source = item.source
        match = FIGURES_PATH.match(item.path)
        if not match:
            yield error("ANNUAL-FILE", item.path, 1, "", "年度数据文件应为 annual/<年份>/<机构 id>.yml",
                        "a yearly figures file is annual/<year>/<agency id>.yml",
                        "如 annual/2025/forestry.yml", "e.g. annual/2025/forestry.yml")
            continue
        if "agencies" in corpus.registry.sources and item.agency not in corpus.registry.agencies:
            yield _unknown("ANNUAL-FILE", item.path, 1, "", item.agency, "agencies", corpus.registry.agencies)
        for key in source.meta:
            if key not in FIGURE_FIELDS:
                yield error("ANNUAL-FIELD", item.path, source.line(str(key)), str(key),
                            f"未知字段“{key}”：年度数据只有 {'、'.join(FIGURE_FIELDS)}",
                            f"unknown field '{key}': the figures are {', '.join(FIGURE_FIELDS)}",
                            "检查拼写（见 docs/disclosure-office.md）", "check the spelling (see "
                                                                "docs/disclosure-office.md)")
        for key in FIGURE_FIELDS:
            value = source.meta.get(key)
            if value is None:
                yield error("ANNUAL-FIELD", item.path, 1, key, f"缺少 {key}（{FIGURE_NAMES[key]}）",
                            f"'{key}' ({FIGURE_NAMES[key]}) is missing", f"写 {key}: 数字（没有写 0）",
                            f"write '{key}: <number>' (0 if none)")
            elif item.value(key) is None or (key != "fees" and not isinstance(value, int)):
                kind_zh, kind_en = ("不小于 0 的数（万元，可有小数）", "a number ≥ 0 (万元, decimals allowed)") \
                    if key == "fees" else ("不小于 0 的整数", "a whole number ≥ 0")
                yield error("ANNUAL-FIELD", item.path, source.line(key), key, f"{key} 应为{kind_zh}：“{value}”",
                            f"'{key}' must be {kind_en}: '{value}'", f"写 {key}: 数字，不加引号和单位",
                            f"write '{key}: <number>', unquoted, without a unit")


@rule(across=True, dated=True)
def ceased(corpus: Corpus, context: CheckContext) -> Iterator[Finding]:
    """DATE-INVALID, DOC-CEASED, DOC-CEASED-MISSING: the day a document ceased to be in force, which the
    annual report's table 二 counts by."""
    for doc in corpus.documents.values():
        value = doc.meta.get("ceased")
        if value is not None and value != "":
            date, zh, en, fixed = check_date(value)
            if date is None:
                yield error("DATE-INVALID", doc.path, doc.line("ceased"), "ceased", zh, en,
                            f"写 {fixed}" if fixed else "写作 YYYY-MM-DD",
                            f"write {fixed}" if fixed else "write YYYY-MM-DD")
            elif doc.validity == IN_FORCE:
                yield error("DOC-CEASED", doc.path, doc.line("ceased"), "ceased",
                            "文件标为有效（validity 为有效或未写），却写了失效或废止日期 ceased",
                            "the document is in force (validity 有效, or none), yet states the day it ceased",
                            "写 validity: 失效 或 废止，或删去 ceased", "write 'validity: 失效' or '废止', or remove "
                                                                "'ceased'")
            elif (doc.signed and date < doc.signed) or date > context.today:
                yield error("DOC-CEASED", doc.path, doc.line("ceased"), "ceased",
                            f"失效或废止日期 {date} 不在成文日期 {doc.signed} 与今天之间",
                            f"'ceased' ({date}) is not between signing ({doc.signed}) and today",
                            "核对日期", "check the date")
        elif doc.catalogue in RULE_CLASSES and doc.validity != IN_FORCE and not doc.is_draft \
                and ceased_on(corpus, doc) is None:
            yield warning("DOC-CEASED-MISSING", doc.path, doc.line("validity"), "validity",
                          f"{doc.validity}的规章或规范性文件没有写何时{doc.validity}，年度报告无法统计",
                          f"a 规章 or normative document marked {doc.validity} does not say since when; the "
                          "annual report cannot count it",
                          f"写 ceased: {doc.validity}的日期（YYYY-MM-DD），或 replaced_by: 取代它的文件",
                          "write 'ceased: <date>' (the day it ceased), or 'replaced_by: <slug>'")


@rule(across=True)
def request_balance(corpus: Corpus, context: CheckContext) -> Iterator[Finding]:
    """ANNUAL-BALANCE: for every year of the register, new + carried over = handled + carried forward;
    each request that breaks it is named."""
    for year in request_years(corpus):
        report = annual_report(corpus, year)
        for item in report.unbalanced:
            request = item.request
            sums_zh = (f"{year} 年：新收 {report.new} + 上年结转 {report.carried} ≠ 办结 {report.handled} + "
                       f"结转下年 {report.forward}")
            sums_en = (f"{year}: new {report.new} + carried over {report.carried} ≠ handled {report.handled} + "
                       f"carried forward {report.forward}")
            if item.side == "in":
                zh = f"{sums_zh}；申请 {request.id} 本年在办，却既未计入办理结果，也未结转下年"
                en = f"{sums_en}; request {request.id} was open in the year but is neither handled nor carried " \
                     "forward"
                fix_zh, fix_en = "核对 replied、outcome 和 reason", "check 'replied', 'outcome' and 'reason'"
            else:
                zh = f"{sums_zh}；申请 {request.id} 计入了本年办理结果，却不是本年新收或上年结转"
                en = f"{sums_en}; request {request.id} is counted as handled but was neither new nor carried over"
                fix_zh, fix_en = "核对 received 和 replied", "check 'received' and 'replied'"
            key = "replied" if "replied" in request.meta else "received"
            yield error("ANNUAL-BALANCE", request.path, request.line(key), key, zh, en, fix_zh, fix_en)
