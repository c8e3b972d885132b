"""Disclosure (公开属性): 不予公开 needs one of the reasons the regulations allow.

Links and attachments from public text to what is not public are checked in `links.py`, where links
are read; what each value does to the outputs is decided in `publication.py` alone.
"""

from __future__ import annotations

from collections.abc import Iterator

from ..findings import Finding, error
from ..model import WITHHELD, WITHHELD_REASONS, Corpus
from .rules import CheckContext, rule


@rule
def withheld_reason(corpus: Corpus, context: CheckContext) -> Iterator[Finding]:
    """DOC-WITHHELD-REASON: 不予公开 states one of the six reasons."""
    reasons = "、".join(WITHHELD_REASONS)
    for doc in corpus.documents.values():
        if doc.disclosure != WITHHELD:
            continue
        value = doc.meta.get("withheld_reason")
        if value is None or str(value).strip() == "":
            yield error("DOC-WITHHELD-REASON", doc.path, doc.line("disclosure"), "withheld_reason",
                        "不予公开的信息须写明理由", "a 不予公开 (withheld) item must state why",
                        f"加一行 withheld_reason: 理由（{reasons} 之一）",
                        f"add 'withheld_reason: <reason>', one of {', '.join(WITHHELD_REASONS)}")
        elif str(value).strip() not in WITHHELD_REASONS:
            yield error("DOC-WITHHELD-REASON", doc.path, doc.line("withheld_reason"), "withheld_reason",
                        f"不予公开理由“{value}”不在规定范围内", f"'{value}' is not a reason the regulations "
                                                   "allow",
                        f"写 {reasons} 之一；不属于这些情形的，应当公开",
                        f"write one of {', '.join(WITHHELD_REASONS)}; anything else is disclosed")
