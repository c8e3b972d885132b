"""Document numbers (发文字号) and index numbers (索引号)."""

from __future__ import annotations

import pytest
from factory import ContentFactory
from gazette.checks.numbers import corrected_number
from gazette.findings import Finding


def number_findings(content: ContentFactory) -> list[Finding]:
    return [f for f in content.findings() if f.code.startswith(("NUM-", "IDX-"))]


@pytest.mark.parametrize(("written", "fixed"), [
    ("甘府发[2026]12号", "甘府发〔2026〕12号"),
    ("甘府发(2026)12号", "甘府发〔2026〕12号"),
    ("甘府发（2026）12号", "甘府发〔2026〕12号"),
    ("甘府发【2026】12号", "甘府发〔2026〕12号"),
    ("甘府发［2026］12号", "甘府发〔2026〕12号"),
    ("甘府发﹝2026﹞12号", "甘府发〔2026〕12号"),
])
def test_brackets_get_the_corrected_number(content: ContentFactory, written: str, fixed: str) -> None:
    content.document("bracket", doc_number=written)
    found = number_findings(content)
    assert [f.code for f in found] == ["NUM-BRACKETS"]
    assert fixed in found[0].fix_zh and fixed in found[0].fix_en
    assert found[0].field == "doc_number" and found[0].line > 1
    assert corrected_number(written) == fixed


def test_correct_number_passes(content: ContentFactory) -> None:
    content.document("ok-number", doc_number="甘府发〔2026〕12号")
    content.document("office", doc_number="甘府办发〔2026〕3号", issuer=["general-office"],
                     index_no="S00000002/2026-00001")
    content.document("order", genre="order", doc_number="甘孜藏族自治州人民政府令第3号")
    assert number_findings(content) == []


def test_leading_zero_di_and_year(content: ContentFactory) -> None:
    content.document("zero", doc_number="甘府发〔2026〕012号")
    content.document("di", doc_number="甘府发〔2026〕第14号")
    content.document("year", doc_number="甘府发〔2025〕12号")
    content.document("short-year", doc_number="甘府发〔26〕12号")
    found = {(f.path.split("/")[-1], f.code) for f in number_findings(content)}
    assert found == {("zero.zh.md", "NUM-LEADING-ZERO"), ("di.zh.md", "NUM-DI"), ("year.zh.md", "NUM-YEAR"),
                     ("short-year.zh.md", "NUM-YEAR")}
    zero = next(f for f in number_findings(content) if f.code == "NUM-LEADING-ZERO")
    assert "甘府发〔2026〕12号" in zero.fix_zh


def test_malformed_number_and_order_leading_zero(content: ContentFactory) -> None:
    content.document("garbled", doc_number="2026年第12号文")
    content.document("order-zero", genre="order", doc_number="甘孜藏族自治州人民政府令第03号")
    found = {(f.path.split("/")[-1], f.code) for f in number_findings(content)}
    assert found == {("garbled.zh.md", "NUM-FORMAT"), ("order-zero.zh.md", "NUM-LEADING-ZERO")}


def test_code_must_be_the_issuers(content: ContentFactory) -> None:
    content.document("office-code", doc_number="甘府办发〔2026〕3号")  # issuer: prefecture-government
    content.document("other-code", doc_number="川府发〔2026〕3号")
    found = [f for f in number_findings(content) if f.code == "NUM-CODE"]
    assert sorted(f.path.split("/")[-1] for f in found) == ["office-code.zh.md", "other-code.zh.md"]
    assert "甘府" in found[0].fix_zh


def test_duplicate_numbers(content: ContentFactory) -> None:
    content.document("first", doc_number="甘府发〔2026〕12号")
    content.document("second", doc_number="甘府发[2026]12号")
    content.document("third", doc_number="甘府发〔2026〕13号")
    dup = [f for f in number_findings(content) if f.code == "NUM-DUPLICATE"]
    assert [f.path for f in dup] == ["documents/2026/second.zh.md"]


def test_index_number_format_org_year(content: ContentFactory) -> None:
    content.document("idx-format", index_no="S00000001-2026-00001")
    content.document("idx-org", index_no="S00000011/2026-00002")
    content.document("idx-year", index_no="S00000001/2025-00003")
    content.document("idx-ok", index_no="S00000001/2026-00004")
    found = {(f.path.split("/")[-1], f.code) for f in number_findings(content)}
    assert found == {("idx-format.zh.md", "IDX-FORMAT"), ("idx-org.zh.md", "IDX-ORG"),
                     ("idx-year.zh.md", "IDX-YEAR")}
    fmt = next(f for f in number_findings(content) if f.code == "IDX-FORMAT")
    assert "S00000001/2026-" in fmt.fix_zh


def test_index_number_unique(content: ContentFactory) -> None:
    content.document("idx-a", index_no="S00000001/2026-00007")
    content.document("idx-b", index_no="S00000001/2026-00007")
    dup = [f for f in number_findings(content) if f.code == "IDX-DUPLICATE"]
    assert [f.path for f in dup] == ["documents/2026/idx-b.zh.md"]


def test_index_number_identical_in_translation(content: ContentFactory) -> None:
    content.document("idx-tr", index_no="S00000001/2026-00008")
    content.translation("idx-tr", title="བརྡ་ཐོ།", index_no="S00000001/2026-00009")
    content.document("idx-same", index_no="S00000001/2026-00010")
    content.translation("idx-same", title="བརྡ་ཐོ།", index_no="S00000001/2026-00010")
    found = [f for f in content.findings() if f.code == "TR-FIELD"]
    assert [(f.path, f.field) for f in found] == [("documents/2026/idx-tr.bo.md", "index_no")]
