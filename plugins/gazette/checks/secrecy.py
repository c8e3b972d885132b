"""Secrecy (涉密状态, 保密审查): only the exact value 非涉密 may enter a public system, and what is released
has passed a secrecy review before its release."""

from __future__ import annotations

from collections.abc import Iterator

from ..findings import Finding, error
from ..model import NOT_SECRET, ON_REQUEST, PLACEHOLDER, PROACTIVE, Corpus, parse_date
from .rules import CheckContext, rule

SECRET_VALUES = ("涉密", "秘密", "机密", "绝密")


@rule
def secrecy_flag(corpus: Corpus, context: CheckContext) -> Iterator[Finding]:
    """SEC-SECRET: a document not marked exactly 非涉密 stops the build, drafts included."""
    for doc in corpus.documents.values():
        value = doc.meta.get("secrecy")
        if value == NOT_SECRET:
            continue
        if value is None or value == "" or str(value).strip().startswith(PLACEHOLDER):
            # Also the placeholder `gazette import` and `gazette new` write: not yet reviewed, not secret.
            what_zh, what_en = "没有填写涉密状态（尚待保密审查）", "the secrecy state is not filled in yet (awaiting " \
                "the secrecy review)"
        elif str(value).strip() in SECRET_VALUES:
            level = str(value).strip()
            what_zh, what_en = f"涉密文件（{level}）", f"a secret document ({level})"
        else:
            what_zh = f"涉密状态“{value!r}”不是“非涉密”"
            what_en = f"the secrecy state {value!r} is not 非涉密"
        yield error(
            "SEC-SECRET", doc.path, doc.line("secrecy"), "secrecy",
            f"{what_zh}：涉密信息不得进入公开系统，构建已停止",
            f"{what_en}: secret information does not enter a public system; the build stops",
            "若确属涉密，请立即从仓库中删除该文件（包括历史记录）；若已通过保密审查，写 secrecy: 非涉密（不"
            "加空格或其他字符）",
            "if it is secret, remove the file from the repository (and its history) now; if it passed the "
            "secrecy review, write exactly 'secrecy: 非涉密' (no spaces or other characters)")
    # Every other file states secrecy only optionally, but a stated value other than 非涉密 stops the build
    # just the same: the rule applies to every file under content/, fixed pages and issues included.
    translations = [t.source for doc in corpus.documents.values() for t in doc.translations.values()]
    pages = [page.source for page in corpus.pages.values()]
    issues = [issue.source for issue in corpus.issues]
    for source in corpus.orphans + corpus.duplicates + translations + pages + issues:
        value = source.meta.get("secrecy")
        if value is not None and value != NOT_SECRET:
            yield error("SEC-SECRET", source.path, source.line("secrecy"), "secrecy",
                        "涉密状态不是“非涉密”：涉密信息不得进入公开系统，构建已停止",
                        "the secrecy state is not 非涉密: secret information does not enter a public system",
                        "从仓库中删除该文件", "remove the file from the repository")


@rule
def secrecy_review(corpus: Corpus, context: CheckContext) -> Iterator[Finding]:
    """SEC-REVIEW-MISSING, SEC-REVIEW-DATE: 主动公开 and 依申请公开 items name their review, done before "
      "release."""
    for doc in corpus.documents.values():
        if doc.disclosure not in (PROACTIVE, ON_REQUEST):
            continue
        review = doc.secrecy_review
        line = doc.line("secrecy_review")
        missing = [key for key in ("by", "date") if not str(review.get(key) or "").strip()]
        if missing:
            what = "审查人和日期" if len(missing) == 2 else ("审查人" if missing == ["by"] else "审查日期")
            yield error("SEC-REVIEW-MISSING", doc.path, line, "secrecy_review",
                        f"{doc.disclosure}的信息须经保密审查，缺少{what}",
                        f"a {doc.disclosure} item must pass a secrecy review: {' and '.join(missing)} "
                        "missing",
                        "写 secrecy_review: {by: 审查人或审查小组, date: 审查日期}",
                        "write 'secrecy_review: {by: reviewer, date: YYYY-MM-DD}'")
            continue
        reviewed = parse_date(review.get("date"))
        if reviewed and doc.published and reviewed > doc.published:
            yield error("SEC-REVIEW-DATE", doc.path, line, "secrecy_review",
                        f"保密审查日期 {reviewed} 晚于发布日期 {doc.published}：应先审查后发布",
                        f"the secrecy review ({reviewed}) is after publication ({doc.published}): review "
                        "comes first",
                        "核对日期；未经审查已发布的，立即撤下并补审", "check the dates; if it went out "
                                                 "unreviewed, "
                        "withdraw it and have it reviewed")
