"""Translations and summaries.

A translation (`.bo.md`) carries its own title, slug, lang, body, and may carry its own summary and
keywords; any other field it states must equal the original's (everything it leaves out is taken
from the original). A summary says what the text holds in about 100 characters: a warning past 150,
and it is not a copy of the title.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from ..findings import Finding, error, warning
from ..model import TRANSLATION_OWN_FIELDS, Corpus
from .rules import CheckContext, rule

SUMMARY_LIMIT = 150


@rule
def orphan_translations(corpus: Corpus, context: CheckContext) -> Iterator[Finding]:
    """TR-ORPHAN: a translation needs its Chinese original with the same slug."""
    for source in corpus.orphans:
        yield error("TR-ORPHAN", source.path, 1, "slug",
                    "译文没有对应的中文原文", "a translation without its Chinese original",
                    "添加同名的 .zh.md 原文，或删除此译文", "add the .zh.md original with the same slug, or "
                                              "remove this file")


def _same(value: Any) -> Any:
    """A value in a form that compares as editors mean it (2026-03-02 written quoted or not, etc.)."""
    if isinstance(value, dict):
        return {str(k): _same(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_same(v) for v in value]
    return "" if value is None else str(value).strip()


def _show(value: Any) -> str:
    text = str(value)
    return text if len(text) <= 60 else text[:57] + "…"


@rule
def translation_fields(corpus: Corpus, context: CheckContext) -> Iterator[Finding]:
    """TR-FIELD: a field stated in a translation equals the original's (index_no, dates, issuer …)."""
    for doc in corpus.documents.values():
        for translation in doc.translations.values():
            for key, value in translation.source.meta.items():
                key = str(key)
                if key in TRANSLATION_OWN_FIELDS:
                    continue
                original = doc.meta.get(key)
                if _same(value) != _same(original):
                    shown = _show(original) if original is not None else "（原文未填写）"
                    yield error("TR-FIELD", translation.source.path, translation.source.line(key), key,
                                f"译文的 {key}“{_show(value)}”与原文的“{shown}”不同",
                                f"'{key}' in the translation ({_show(value)}) differs from the original's "
                                f"({_show(original) if original is not None else 'not stated'})",
                                f"删去译文中的 {key}（自动沿用原文），或改为与原文一致",
                                f"remove '{key}' from the translation (the original's is used) or make it "
                                "equal")


@rule
def summaries(corpus: Corpus, context: CheckContext) -> Iterator[Finding]:
    """DOC-SUMMARY-LONG (warning), DOC-SUMMARY-TITLE: about 100 characters, not a copy of the title."""
    for doc in corpus.documents.values():
        sources = [doc.source, *[t.source for t in doc.translations.values()]]
        for source in sources:
            summary = str(source.meta.get("summary") or "").strip()
            title = str(source.meta.get("title") or "").strip()
            if not summary:
                continue
            line = source.line("summary")
            if summary == title or summary.rstrip("。.") == title:
                yield error("DOC-SUMMARY-TITLE", source.path, line, "summary",
                            "内容概述照抄了标题", "the summary copies the title",
                            "用约 100 字概述文件的主要内容；写不出时删去 summary",
                            "say in about 100 characters what the text holds, or leave summary out")
            elif source is doc.source and len(summary) > SUMMARY_LIMIT:
                yield warning("DOC-SUMMARY-LONG", source.path, line, "summary",
                              f"内容概述有 {len(summary)} 字，超过 {SUMMARY_LIMIT} 字",
                              f"the summary has {len(summary)} characters, more than {SUMMARY_LIMIT}",
                              "压缩到 100 字左右", "shorten it to about 100 characters")
