"""Personal data in public text: identity numbers, mobile numbers, bank cards; public numbers."""

from __future__ import annotations

import pytest
from factory import ContentFactory
from gazette.checks.personal_data import luhn, valid_id_number


def with_check_digit(first17: str) -> str:
    weights = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
    return first17 + "10X98765432"[sum(int(d) * w for d, w in zip(first17, weights, strict=True)) % 11]


def with_luhn(prefix: str) -> str:
    return next(prefix + str(d) for d in range(10) if luhn(prefix + str(d)))


ID = with_check_digit("51330119850312002")
ID_BAD_CHECK = ID[:-1] + ("0" if ID[-1] != "0" else "1")
CARD = with_luhn("622202123456789012")  # 19 digits
CARD_BAD = CARD[:-1] + str((int(CARD[-1]) + 1) % 10)


def pii(content: ContentFactory) -> list[tuple[str, str]]:
    return sorted((f.code, f.path.split("/")[-1]) for f in content.findings() if f.code.startswith("PII-"))


def test_validators() -> None:
    assert valid_id_number(ID) and not valid_id_number(ID_BAD_CHECK)
    assert valid_id_number("11010519491231002X")  # GB 11643's own example
    assert luhn(CARD) and not luhn(CARD_BAD)


@pytest.mark.parametrize(("text", "code"), [
    (f"申请人身份证号{ID}。", "PII-ID-NUMBER"),
    ("联系人：张三，13812345678。", "PII-MOBILE"),
    ("联系人电话 138-1234-5678。", "PII-MOBILE"),
    (f"收款账号{CARD}。", "PII-BANK-CARD"),
    (f"账号 {CARD[:4]} {CARD[4:8]} {CARD[8:12]} {CARD[12:16]} {CARD[16:]}。", "PII-BANK-CARD"),
])
def test_personal_numbers_in_public_body(content: ContentFactory, text: str, code: str) -> None:
    content.document("public", body=f"第一段。\n\n{text}\n")
    hits = [f for f in content.findings() if f.code.startswith("PII-")]
    assert [(h.code, h.line, h.is_error) for h in hits] == [(code, 18, True)]
    assert "public_numbers" in hits[0].fix_en


@pytest.mark.parametrize("text", [
    f"编号{ID_BAD_CHECK}。", f"账号{CARD_BAD}。", "座机 0836-2822114。", "索引号 S00000001/2026-00012。",
    "统计数 12345678901234567890123。", "时间 2026-03-02 至 2026-03-31。", "电话 12812345678。",
])
def test_not_personal_numbers(content: ContentFactory, text: str) -> None:
    content.document("public", body=text + "\n")
    assert pii(content) == []


def test_title_summary_of_on_request_item_are_public(content: ContentFactory) -> None:
    content.document("on-request", disclosure="依申请公开", summary="联系 13812345678 获取，本摘要说明文件的主要内容。",
                     body="正文里的 13912345678 不公开。\n")
    content.document("withheld", disclosure="不予公开", withheld_reason="个人隐私",
                     body="13812345678\n", summary="联系 13812345678。")
    content.document("draft", status="draft", body="13812345678\n")
    assert pii(content) == [("PII-MOBILE", "on-request.zh.md")]


def test_translations_and_pages_are_public(content: ContentFactory) -> None:
    content.document("doc")
    content.translation("doc", title="བརྡ་ཐོ།", body="ཁ་པར་ 13812345678\n")
    content.page("contact", "zh", "联系我们", "值班手机 13912345678。\n")
    assert pii(content) == [("PII-MOBILE", "contact.zh.md"), ("PII-MOBILE", "doc.bo.md")]


def test_public_numbers_are_not_reported(content: ContentFactory) -> None:
    content.document("hotline", public_numbers=["138-1234-5678", 13912345678],
                     body="热线 13812345678，值班 139 1234 5678，另 13712345678。\n")
    content.translation("hotline", title="བརྡ་ཐོ།", body="ཁ་པར་ 13812345678\n")
    hits = [f for f in content.findings() if f.code.startswith("PII-")]
    assert [(h.path.split("/")[-1], "137****5678" in h.zh) for h in hits] == [("hotline.zh.md", True)]


def test_official_parts_are_public_text_too(content: ContentFactory) -> None:
    """Every official-document part a page or PDF prints is checked; an on-request item's are not printed."""
    parts = {"addressee": "各县人民政府（联系人 13812345601）", "signature": ["甘孜藏族自治州人民政府", f"经办 {ID}"],
             "note": "此件公开发布，联系 13812345603", "cc": ["州委办公室 13812345604"],
             "printed": {"by": "甘孜州人民政府办公室 13812345605", "date": "2026-11-06"},
             "author": "州长 13812345606"}
    content.document("parts", signed="2026-11-02", published="2026-11-07", **parts)
    content.translation("parts", title="བརྡ་ཐོ།", addressee="རྫོང་ 13812345607", body="ལས་དོན།\n")
    content.document("quiet", disclosure="依申请公开", signed="2026-11-02", published="2026-11-07", **parts)
    hits = [(f.code, f.path.split("/")[-1], f.field) for f in content.findings() if f.code.startswith("PII-")]
    assert sorted(hits) == sorted([
        ("PII-MOBILE", "parts.zh.md", "addressee"), ("PII-ID-NUMBER", "parts.zh.md", "signature[1]"),
        ("PII-MOBILE", "parts.zh.md", "note"), ("PII-MOBILE", "parts.zh.md", "cc[0]"),
        ("PII-MOBILE", "parts.zh.md", "printed.by"), ("PII-MOBILE", "parts.zh.md", "author"),
        ("PII-MOBILE", "parts.bo.md", "addressee")])


@pytest.mark.parametrize("text", [
    "联系人手机 １３８１２３４５６７８。",  # full-width digits
    "ཁ་པར་ ༡༣༨༡༢༣༤༥༦༧༨",  # Tibetan digits
])
def test_numbers_in_other_digits_are_read_as_numbers(content: ContentFactory, text: str) -> None:
    content.document("public", body=f"第一段。\n\n{text}\n")
    assert [(f.code, f.line) for f in content.findings() if f.code.startswith("PII-")] == [("PII-MOBILE", 18)]


def test_an_identity_number_cannot_be_listed_as_public(content: ContentFactory) -> None:
    content.document("listed", public_numbers=[ID, "0836-2822114"], body=f"编号 {ID}。\n")
    assert pii(content) == [("PII-PUBLIC-ID", "listed.zh.md")]
