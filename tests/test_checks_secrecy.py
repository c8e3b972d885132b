"""Secrecy, the secrecy review and the disclosure attribute's reasons."""

from __future__ import annotations

import pytest
from factory import ContentFactory
from gazette.findings import Finding


def found(content: ContentFactory, code: str) -> list[Finding]:
    return [f for f in content.findings() if f.code == code]


@pytest.mark.parametrize("value", ["涉密", "秘密", "机密", "绝密", "非涉密 ", "非涉密\u200b", " 非涉密", "否", ""])
def test_anything_but_exactly_not_secret_is_an_error(content: ContentFactory, value: str) -> None:
    content.document("secret", secrecy=value)
    hits = found(content, "SEC-SECRET")
    assert len(hits) == 1 and hits[0].is_error
    assert "remove" in hits[0].fix_en and "删除" in hits[0].fix_zh  # says why and what to do
    assert "secret information does not enter a public system" in hits[0].en


def test_drafts_included(content: ContentFactory) -> None:
    content.document("secret-draft", secrecy="机密", status="draft")
    assert len(found(content, "SEC-SECRET")) == 1


def test_not_secret_passes(content: ContentFactory) -> None:
    content.document("open")
    assert found(content, "SEC-SECRET") == []


def test_translation_stating_another_secrecy(content: ContentFactory) -> None:
    content.document("tr-secret")
    content.translation("tr-secret", title="བརྡ་ཐོ།", secrecy="秘密")
    assert [f.path for f in found(content, "SEC-SECRET")] == ["documents/2026/tr-secret.bo.md"]


def test_secrecy_review_missing(content: ContentFactory) -> None:
    content.document("unreviewed", secrecy_review=None)
    content.document("no-reviewer", disclosure="依申请公开", secrecy_review={"date": "2026-03-03"})
    content.document("withheld-unreviewed", disclosure="不予公开", withheld_reason="内部事务信息",
                     secrecy_review=None)
    hits = found(content, "SEC-REVIEW-MISSING")
    assert sorted(h.path.split("/")[-1] for h in hits) == ["no-reviewer.zh.md", "unreviewed.zh.md"]


def test_secrecy_review_after_publication(content: ContentFactory) -> None:
    content.document("reviewed-late", secrecy_review={"by": "小组", "date": "2026-03-05"})
    content.document("reviewed-same-day", secrecy_review={"by": "小组", "date": "2026-03-04"})
    assert [h.path for h in found(content, "SEC-REVIEW-DATE")] == ["documents/2026/reviewed-late.zh.md"]


def test_withheld_reason(content: ContentFactory) -> None:
    content.document("no-reason", disclosure="不予公开")
    content.document("bad-reason", disclosure="不予公开", withheld_reason="领导不同意")
    content.document("good-reason", disclosure="不予公开", withheld_reason="个人隐私")
    hits = found(content, "DOC-WITHHELD-REASON")
    assert sorted(h.path.split("/")[-1] for h in hits) == ["bad-reason.zh.md", "no-reason.zh.md"]
    assert all("个人隐私" in h.fix_zh for h in hits)
