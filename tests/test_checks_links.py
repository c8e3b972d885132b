"""Links between documents, to files, and attachments."""

from __future__ import annotations

from factory import ContentFactory, jpeg


def found(content: ContentFactory, code: str) -> list[tuple[str, int]]:
    return sorted((f.path, f.line) for f in content.findings() if f.code == code)


def test_link_to_missing_document(content: ContentFactory) -> None:
    content.document("target")
    content.document("linker", body="见[目标]({filename}/documents/2026/target.zh.md)。\n\n"
                                     "又见[缺失]({filename}../2026/missing.zh.md)。\n")
    assert found(content, "LINK-MISSING") == [("documents/2026/linker.zh.md", 18)]


def test_relative_link_resolves_from_the_file(content: ContentFactory) -> None:
    content.document("old", signed="2025-03-02", published="2025-03-04", index_no="S00000001/2025-00001",
                     secrecy_review={"by": "小组", "date": "2025-03-03"})
    content.document("new", body="见[旧文件]({filename}../2025/old.zh.md)。\n")
    assert found(content, "LINK-MISSING") == []


def test_filename_link_to_a_file_is_the_wrong_kind(content: ContentFactory) -> None:
    content.write("images/a.jpg", jpeg())
    content.document("img", body="![图]({filename}/images/a.jpg)\n\n![图]({static}/images/a.jpg)\n")
    assert found(content, "LINK-KIND") == [("documents/2026/img.zh.md", 16)]  # body line 1


def test_public_page_linking_to_non_public_documents(content: ContentFactory) -> None:
    content.document("on-request", disclosure="依申请公开")
    content.document("withheld", disclosure="不予公开", withheld_reason="过程性信息")
    content.document("draft", status="draft")
    content.document("public")
    links = "".join(f"[{s}]({{filename}}/documents/2026/{s}.zh.md)\n\n" for s in
                    ("on-request", "withheld", "draft", "public"))
    content.document("linker", body=links)
    content.page("guide", "zh", "指南", links)
    content.document("private-linker", disclosure="不予公开", withheld_reason="过程性信息", body=links)
    hits = found(content, "LINK-NOT-PUBLIC")
    assert [p for p, _ in hits].count("documents/2026/linker.zh.md") == 3
    assert [p for p, _ in hits].count("pages/guide.zh.md") == 3
    assert not any(p == "documents/2026/private-linker.zh.md" for p, _ in hits)


def test_attachment_of_a_non_public_document(content: ContentFactory) -> None:
    content.write("attachments/2026/secret-ish/名单.xlsx", b"PK")
    content.write("attachments/2026/open/表.xlsx", b"PK")
    content.document("secret-ish", disclosure="依申请公开",
                     attachments=[{"file": "attachments/2026/secret-ish/名单.xlsx", "title": "名单"}])
    content.document("open", attachments=[{"file": "attachments/2026/open/表.xlsx", "title": "表"}],
                     body="[表]({static}/attachments/2026/open/表.xlsx)\n")
    content.document("leaker", body="[名单]({static}/attachments/2026/secret-ish/名单.xlsx)\n\n"
                                    "[又一次](/attachments/2026/secret-ish/%E5%90%8D%E5%8D%95.xlsx)\n",
                     attachments=[{"file": "attachments/2026/secret-ish/名单.xlsx", "title": "名单"}])
    hits = found(content, "LINK-ATTACHMENT-NOT-PUBLIC")
    assert [p for p, _ in hits] == ["documents/2026/leaker.zh.md"] * 3


def test_attachments_exist(content: ContentFactory) -> None:
    content.write("attachments/2026/att/有.pdf", b"%PDF")
    content.document("att", attachments=[{"file": "attachments/2026/att/有.pdf", "title": "有"},
                                         {"file": "attachments/2026/att/无.pdf", "title": "无"},
                                         {"file": "../outside.pdf", "title": "外"}])
    codes = sorted(f.code for f in content.findings() if f.code.startswith("ATT-"))
    assert codes == ["ATT-MISSING", "ATT-PATH"]


def test_plain_links_to_sources_are_refused(content: ContentFactory) -> None:
    """A link to a source file without {filename} would publish the file's name (the slug of a withheld or
    draft document) and lead nowhere: every form is refused, in any file; {filename} and web links are not."""
    content.document("withheld", disclosure="不予公开", withheld_reason="过程性信息")
    content.document("public")
    body = ("[甲](../../documents/2026/withheld.zh.md)\n\n"  # line 16
            "[乙](withheld.zh.md#part)\n\n"
            "[丙][ref]\n\n"
            "[ref]: ./withheld.ZH.MD\n\n"
            '<a href="/documents/2026/withheld.zh.md">丁</a>\n\n'
            "[公开]({filename}public.zh.md)\n\n"
            "[外站](https://example.org/readme.md)\n")
    content.document("linker", body=body)
    content.page("guide", "zh", "指南", "[甲](../documents/2026/withheld.zh.md)\n")
    assert found(content, "LINK-PLAIN-SOURCE") == [("documents/2026/linker.zh.md", line) for line in
                                                   (16, 18, 22, 24)] + [("pages/guide.zh.md", 4)]


def test_hand_written_addresses_of_document_pages_must_name_public_documents(content: ContentFactory) -> None:
    content.document("on-request", disclosure="依申请公开")
    content.document("draft", status="draft")
    content.document("public")
    content.document("linker", body="[甲](/zh/documents/on-request/)\n\n"  # line 16
                                    "[乙](https://gazette.example.gov.cn/bo/documents/draft/)\n\n"
                                    '<a href="/zh-hant/documents/public/">丙</a>\n\n'
                                    "[丁](/zh/documents/nowhere/)\n\n"
                                    "[外站](https://www.gov.cn/zh/documents/elsewhere/)\n")
    assert found(content, "LINK-NOT-PUBLIC") == [("documents/2026/linker.zh.md", 16),
                                                 ("documents/2026/linker.zh.md", 18)]
    assert found(content, "LINK-MISSING") == [("documents/2026/linker.zh.md", 22)]
