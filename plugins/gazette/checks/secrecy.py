"""Secrecy (涉密状态): only the exact value 非涉密 may enter a public system."""

from __future__ import annotations

from collections.abc import Iterator

from ..findings import Finding, error
from ..model import NOT_SECRET, Corpus
from . import CheckContext, rule

SECRET_VALUES = ("涉密", "秘密", "机密", "绝密")


@rule
def secrecy_flag(corpus: Corpus, context: CheckContext) -> Iterator[Finding]:
    """SEC-SECRET: a document not marked exactly 非涉密 stops the build, drafts included."""
    for doc in corpus.documents.values():
        value = doc.meta.get("secrecy")
        if value == NOT_SECRET:
            continue
        if value is None or value == "":
            what_zh, what_en = "没有填写涉密状态", "the secrecy state is missing"
        elif str(value).strip() in SECRET_VALUES:
            what_zh, what_en = f"涉密文件（{str(value).strip()}）", f"a secret document ({str(value).strip()})"
        else:
            what_zh, what_en = f"涉密状态“{value!r}”不是“非涉密”", f"the secrecy state {value!r} is not 非涉密"
        yield error(
            "SEC-SECRET", doc.path, doc.line("secrecy"), "secrecy",
            f"{what_zh}：涉密信息不得进入公开系统，构建已停止",
            f"{what_en}: secret information does not enter a public system; the build stops",
            "若确属涉密，请立即从仓库中删除该文件（包括历史记录）；若已通过保密审查，写 secrecy: 非涉密（不加空格或其他字符）",
            "if it is secret, remove the file from the repository (and its history) now; if it passed the "
            "secrecy review, write exactly 'secrecy: 非涉密' (no spaces or other characters)")
    for source in corpus.orphans + corpus.duplicates:
        value = source.meta.get("secrecy")
        if value is not None and value != NOT_SECRET:
            yield error("SEC-SECRET", source.path, source.line("secrecy"), "secrecy",
                        "涉密状态不是“非涉密”：涉密信息不得进入公开系统，构建已停止",
                        "the secrecy state is not 非涉密: secret information does not enter a public system",
                        "从仓库中删除该文件", "remove the file from the repository")
