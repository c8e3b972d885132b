"""Translations and summaries."""

from __future__ import annotations

from factory import ContentFactory
from gazette.findings import Finding

TITLE = "དཀར་མཛེས་ཁུལ་གྱི་བརྡ་ཐོ།"


def found(content: ContentFactory, code: str) -> list[Finding]:
    return [f for f in content.findings() if f.code == code]


def test_translation_without_original(content: ContentFactory) -> None:
    content.translation("lonely", title=TITLE)
    content.document("paired")
    content.translation("paired", title=TITLE)
    assert [f.path for f in found(content, "TR-ORPHAN")] == ["documents/2026/lonely.bo.md"]


def test_stated_fields_must_equal_the_original(content: ContentFactory) -> None:
    content.document("differs")
    content.translation("differs", title=TITLE, signed="2026-03-03", issuer=["forestry"], disclosure="主动公开",
                        secrecy="非涉密", summary="བསྡུས་དོན།", keywords=["བརྡ་ཐོ།"])
    hits = found(content, "TR-FIELD")
    assert sorted(h.field for h in hits) == ["issuer", "signed"]
    assert all(h.path == "documents/2026/differs.bo.md" and h.is_error for h in hits)


def test_field_the_original_lacks(content: ContentFactory) -> None:
    content.document("lacks")
    content.translation("lacks", title=TITLE, doc_number="甘府发〔2026〕1号")
    assert [h.field for h in found(content, "TR-FIELD")] == ["doc_number"]


def test_same_values_written_differently_pass(content: ContentFactory) -> None:
    content.document("same", issuer=["prefecture-government"])
    path = content.translation("same", title=TITLE)
    path.write_text(path.read_text(encoding="utf-8").replace(
        "---\n", "---\nsigned: '2026-03-02'\nissuer: prefecture-government\n", 1).replace(
        "issuer: prefecture-government", "issuer: [prefecture-government]"), encoding="utf-8")
    assert found(content, "TR-FIELD") == []


def test_summary_too_long_and_copy_of_title(content: ContentFactory) -> None:
    content.document("long-summary", summary="要求各县、各部门按时录入、审核、发布应主动公开的政府信息。" * 6)
    content.document("copied", title="关于做好森林草原防火工作的通知", summary="关于做好森林草原防火工作的通知")
    content.document("fine-summary")
    long = found(content, "DOC-SUMMARY-LONG")
    assert [(f.path, f.level.value) for f in long] == [("documents/2026/long-summary.zh.md", "warning")]
    assert [f.path for f in found(content, "DOC-SUMMARY-TITLE")] == ["documents/2026/copied.zh.md"]


def test_translation_summary_copying_its_title(content: ContentFactory) -> None:
    content.document("tr-summary")
    content.translation("tr-summary", title=TITLE, summary=TITLE)
    assert [f.path for f in found(content, "DOC-SUMMARY-TITLE")] == ["documents/2026/tr-summary.bo.md"]
