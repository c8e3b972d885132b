"""The release chain (`review`): 录入 → 初审 → 审核 → 审发, each step named, dated and in order, within its
limit in working days (3/3/3/6; a late step is a warning), and 审发 not after `published`.

Messages name steps and dates, never who did a step.
"""

from __future__ import annotations

from collections.abc import Iterator

from ..findings import Finding, error, warning
from ..model import RELEASE_STEP, REVIEW_STEPS, Corpus, Document
from ..release_chain import INCOMPLETE, judge, well_ordered
from .dates import check_date
from .rules import CheckContext, rule

STEPS = " → ".join(REVIEW_STEPS)


def _format(doc: Document, line: int, zh: str, en: str) -> Finding:
    return error("REVIEW-FORMAT", doc.path, line, "review", zh, en,
                 "每一步写一行 - {step: 录入, by: 经办人, date: 2026-03-02}",
                 "one line a step: - {step: 录入, by: <who>, date: 2026-03-02}")


def _shape(doc: Document) -> Iterator[Finding]:
    """REVIEW-FORMAT and DATE-INVALID: a list of {step, by, date}."""
    raw = doc.meta.get("review")
    if not isinstance(raw, list):
        yield _format(doc, doc.line("review"), "review 应是各步骤的列表", "'review' must be a list of steps")
        return
    for i, item in enumerate(raw):
        line = doc.source.lines.get(f"review[{i}]", doc.line("review"))
        if not isinstance(item, dict) or set(item) - {"step", "by", "date"}:
            yield _format(doc, line, f"第 {i + 1} 步应只写 step、by、date", f"step {i + 1} must give step, by and "
                                                                         "date only")
            continue
        by = item.get("by")
        if not isinstance(by, str) or not by.strip():
            yield _format(doc, line, f"第 {i + 1} 步没有写经办人（by）", f"step {i + 1} does not say who did it "
                                                                  "(by)")
        value = item.get("date")
        date, zh, en, fixed = check_date(value)
        if value is None or value == "":
            yield _format(doc, line, f"第 {i + 1} 步没有日期", f"step {i + 1} has no date")
        elif date is None:
            yield error("DATE-INVALID", doc.path, line, "review.date", zh, en,
                        f"写 {fixed}" if fixed else "写作 YYYY-MM-DD",
                        f"write {fixed}" if fixed else "write YYYY-MM-DD")


@rule
def release_chain(corpus: Corpus, context: CheckContext) -> Iterator[Finding]:
    """REVIEW-FORMAT, REVIEW-STEP, REVIEW-ORDER, REVIEW-RELEASE, REVIEW-LATE, REVIEW-INCOMPLETE: the chain
    is well formed, in order and in time, and released no later than published."""
    for doc in corpus.documents.values():
        if doc.meta.get("review") in (None, "", []):
            continue
        problems = list(_shape(doc))
        yield from problems
        steps = doc.review
        names = [s.step for s in steps]
        if isinstance(doc.meta.get("review"), list) and not well_ordered(names):
            unknown = [n for n in names if n not in REVIEW_STEPS]
            what_zh = f"“{unknown[0]}”不是一个步骤" if unknown else f"步骤为 {' → '.join(names)}"
            what_en = f"'{unknown[0]}' is not a step" if unknown else f"the steps are {' → '.join(names)}"
            yield error("REVIEW-STEP", doc.path, doc.line("review"), "review",
                        f"{what_zh}：发布流程依次为 {STEPS}，每步一次，不跳步",
                        f"{what_en}: the chain is {STEPS}, each step once, none skipped",
                        f"按 {STEPS} 的顺序写", f"write the steps in the order {STEPS}")
            continue
        before, before_name = doc.signed, "signed"
        for step in steps:
            if step.date is None:
                break
            if before is not None and step.date < before:
                yield error("REVIEW-ORDER", doc.path, step.line, "review",
                            f"{step.step}（{step.date}）早于{'成文日期' if before_name == 'signed' else before_name}"
                            f"（{before}）", f"{step.step} ({step.date}) is before {before_name} ({before})",
                            "核对日期：录入不早于成文，每一步不早于上一步",
                            "check the dates: entry is not before signing, each step not before the one before")
            before, before_name = step.date, step.step
        release = next((s for s in steps if s.step == RELEASE_STEP), None)
        if release and release.date and doc.published and release.date > doc.published:
            yield error("REVIEW-RELEASE", doc.path, release.line, "review",
                        f"审发日期 {release.date} 晚于发布日期 {doc.published}：未经审发就已发布",
                        f"审发 ({release.date}) is after publication ({doc.published}): published before release "
                        "was approved",
                        "核对日期；确属先发布后审发的，撤下补办",
                        "check the dates; if it went out unapproved, withdraw it and have it approved")
        chain = judge(doc)
        for timing in chain.late_steps:
            first = timing.step == REVIEW_STEPS[0]
            line = doc.source.lines.get(f"review[{REVIEW_STEPS.index(timing.step)}]", doc.line("review"))
            yield warning("REVIEW-LATE", doc.path, line, "review",
                          f"{timing.step}在{'成文' if first else '上一步'}后第 {timing.working_days} 个工作日，"
                          f"超过时限（{timing.limit} 个工作日）",
                          f"{timing.step} came {timing.working_days} working days after "
                          f"{'signing' if first else 'the step before'}, past its limit of {timing.limit}",
                          "核对日期；确属逾期，gazette report chain 按发布机构列出",
                          "check the dates; gazette report chain lists late steps per publisher")
        if chain.status == INCOMPLETE and chain.timings and not problems and not doc.is_draft:
            yield warning("REVIEW-INCOMPLETE", doc.path, doc.line("review"), "review",
                          f"发布流程只记到{chain.timings[-1].step}，没有审发",
                          f"the chain stops at {chain.timings[-1].step}: no 审发 is recorded",
                          f"补写其余步骤（{STEPS}）；尚未审发的文件写 status: draft",
                          f"add the remaining steps ({STEPS}); a document not yet released is a draft")
