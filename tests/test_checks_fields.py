"""Documents' fields: required, types, enumerations, slugs, languages, layout, unknown fields and files."""

from __future__ import annotations

import pytest
from factory import ContentFactory


def codes(content: ContentFactory) -> set[str]:
    return {f.code for f in content.findings()}


def test_factory_default_content_checks_clean(content: ContentFactory) -> None:
    content.document("clean-doc")
    content.translation("clean-doc", title="དཀར་མཛེས་ཁུལ་གྱི་བརྡ་ཐོ།")
    content.issue(2026, 3, sections=[{"section": "prefecture-documents", "items": ["clean-doc"]}])
    content.page("about", "zh", "关于本刊", "本刊由州政府研究室编辑出版。\n")
    assert content.findings() == []


@pytest.mark.parametrize("field", ["title", "genre", "issuer", "signed", "published", "index_no", "catalogue",
                                   "disclosure", "secrecy"])
def test_required_field_missing(content: ContentFactory, field: str) -> None:
    path = content.document("missing-field", **{field: None})
    found = [f for f in content.findings() if f.code == "DOC-REQUIRED"]
    assert [(f.field, f.path) for f in found] == [(field, path.relative_to(content.root).as_posix())]
    assert found[0].is_error and found[0].fix_zh and found[0].fix_en


def test_required_field_blank_points_at_its_line(content: ContentFactory) -> None:
    content.document("blank-title", title="  ")
    found = [f for f in content.findings() if f.code == "DOC-REQUIRED"]
    assert len(found) == 1 and found[0].line == 2  # `title:` is the first line after `---`


def test_translation_requires_title(content: ContentFactory) -> None:
    content.document("tr-title")
    content.translation("tr-title", title=None)
    found = [f for f in content.findings() if f.code == "DOC-REQUIRED"]
    assert [(f.path, f.field) for f in found] == [("documents/2026/tr-title.bo.md", "title")]


def test_field_types(content: ContentFactory) -> None:
    content.document("typed", title=["一", "二"], issuer=[{"id": "x"}], secrecy_review="已审查",
                     attachments=[{"title": "无文件"}])
    found = {f.field for f in content.findings() if f.code == "DOC-FIELD-TYPE"}
    assert found == {"title", "issuer", "secrecy_review", "attachments"}
    content2 = ContentFactory(content.root.parent / "ok")
    content2.document("typed", keywords=["一", "二"])
    assert "DOC-FIELD-TYPE" not in codes(content2)


def test_disclosure_value(content: ContentFactory) -> None:
    content.document("bad-disclosure", disclosure="公开")
    content.document("good-disclosure", disclosure="依申请公开")
    found = [f for f in content.findings() if f.code == "DOC-DISCLOSURE"]
    assert [f.path for f in found] == ["documents/2026/bad-disclosure.zh.md"]


def test_validity_value(content: ContentFactory) -> None:
    content.document("bad-validity", validity="作废")
    content.document("good-validity", validity="失效")
    found = [f for f in content.findings() if f.code == "DOC-VALIDITY"]
    assert [f.path for f in found] == ["documents/2026/bad-validity.zh.md"]


def test_replaced_by(content: ContentFactory) -> None:
    content.document("newer", signed="2026-05-06", published="2026-05-08",
                     secrecy_review={"by": "小组", "date": "2026-05-07"})
    content.document("older", validity="失效", replaced_by="newer")
    content.document("to-nothing", validity="失效", replaced_by="no-such-doc")
    content.document("to-older", signed="2026-06-01", published="2026-06-03", validity="失效",
                     replaced_by="older", secrecy_review={"by": "小组", "date": "2026-06-02"})
    content.document("withheld-new", signed="2026-05-06", published="2026-05-08", disclosure="不予公开",
                     withheld_reason="过程性信息")
    content.document("to-withheld", validity="失效", replaced_by="withheld-new")
    content.document("still-valid", replaced_by="newer")
    found = {f.path.split("/")[-1]: f.code for f in content.findings() if f.code.startswith("DOC-REPLACED-BY")}
    assert found == {"to-nothing.zh.md": "DOC-REPLACED-BY", "to-older.zh.md": "DOC-REPLACED-BY",
                     "to-withheld.zh.md": "DOC-REPLACED-BY", "still-valid.zh.md": "DOC-REPLACED-BY-VALID"}


def test_status_value(content: ContentFactory) -> None:
    content.document("misspelt-draft", status="草稿")
    content.document("real-draft", status="draft")
    found = [f for f in content.findings() if f.code == "DOC-STATUS"]
    assert [f.path for f in found] == ["documents/2026/misspelt-draft.zh.md"]
    assert "draft" in found[0].fix_en


def test_unknown_field_is_a_warning(content: ContentFactory) -> None:
    content.document("typo", keywrods=["通知"])
    content.document("known", public_numbers=["0836-2822114"])
    found = [f for f in content.findings() if f.code == "DOC-FIELD-UNKNOWN"]
    assert [(f.path, f.field, f.level.value) for f in found] == [("documents/2026/typo.zh.md", "keywrods", "warning")]


def test_slug_mismatch_format_and_duplicate(content: ContentFactory) -> None:
    path = content.document("right-slug")
    path.write_text(path.read_text(encoding="utf-8").replace("slug: right-slug", "slug: other-slug"),
                    encoding="utf-8")
    content.document("Bad_Slug")
    content.write("documents/2025/dup.zh.md", content.document("dup").read_text(encoding="utf-8"))
    found = {(f.code, f.path) for f in content.findings() if f.code.startswith("DOC-SLUG")}
    assert ("DOC-SLUG", "documents/2026/right-slug.zh.md") in found
    assert ("DOC-SLUG-FORMAT", "documents/2026/Bad_Slug.zh.md") in found
    assert any(code == "DOC-SLUG-DUPLICATE" for code, _ in found)
    assert not any(path.endswith("/dup.zh.md") and code == "DOC-SLUG" for code, path in found)


def test_lang_matches_file(content: ContentFactory) -> None:
    content.document("lang-doc", lang="bo")
    content.document("lang-ok")
    content.translation("lang-ok", title="བརྡ་ཐོ།", lang="bo")
    found = [f for f in content.findings() if f.code == "DOC-LANG"]
    assert [f.path for f in found] == ["documents/2026/lang-doc.zh.md"]


def test_translation_beside_original(content: ContentFactory) -> None:
    content.document("moved")
    content.translation("moved", year="2025", title="བརྡ་ཐོ།")
    content.document("beside")
    content.translation("beside", title="བརྡ་ཐོ།")
    found = [f for f in content.findings() if f.code == "TR-FOLDER"]
    assert [f.path for f in found] == ["documents/2025/moved.bo.md"]


def test_unexpected_files(content: ContentFactory) -> None:
    content.document("with-docx")
    content.write("documents/2026/with-docx.docx", b"PK\x03\x04")
    content.write("gazette/2026/2026-03.yaml", "year: 2026\n")
    content.write("attachments/2026/with-docx/a.pdf", b"%PDF")
    found = sorted(f.path for f in content.findings() if f.code == "FILE-UNEXPECTED")
    assert found == ["documents/2026/with-docx.docx", "gazette/2026/2026-03.yaml"]


def test_a_page_can_be_a_draft_and_is_not_published(content: ContentFactory) -> None:
    from gazette.loader import load_corpus
    from gazette.publication import build_publication

    content.page("about", "zh", "关于本刊", "正文。\n")
    path = content.write("pages/plans.zh.md",
                         "---\ntitle: 工作计划\nslug: plans\nlang: zh\nstatus: draft\n---\n正文。\n")
    assert [(f.code, f.field) for f in content.findings()] == []
    pub = build_publication(load_corpus(content.root)[0])
    assert set(pub.pages) == {("about", "zh")}
    path.write_text(path.read_text(encoding="utf-8").replace("status: draft", "status: drafts"), encoding="utf-8")
    assert [(f.code, f.field) for f in content.findings()] == [("DOC-STATUS", "status")]


def test_a_page_cannot_take_the_address_of_the_sites_own_pages(content: ContentFactory) -> None:
    content.page("catalogue", "zh", "目录", "编辑自己的目录页。\n")
    content.page("Search", "bo", "འཚོལ།", "ཚིག\n")
    content.page("about", "zh", "关于", "本站。\n")
    assert sorted((f.code, f.path) for f in content.findings() if f.code == "PAGE-RESERVED") == [
        ("PAGE-RESERVED", "pages/Search.bo.md"), ("PAGE-RESERVED", "pages/catalogue.zh.md")]


@pytest.mark.parametrize("key", ["stauts", "secrecy\u200b", "Ｓｅｃｒｅｃｙ", "Disclosure", "Summary"])
def test_a_field_written_so_it_is_not_read_is_an_error(content: ContentFactory, key: str) -> None:
    """A misspelt or look-alike guarding field would let through what it was meant to hold back."""
    content.document("look", **{key: "draft"})
    content.write("pages/note.zh.md", f"---\ntitle: 说明\nslug: note\nlang: zh\n{key}: draft\n---\n正文。\n")
    content.document("other", ceremony="x")  # an unknown field like no guard: a warning only
    found = sorted((f.code, f.path.rsplit("/", 1)[-1], f.is_error) for f in content.findings()
                   if f.code.startswith("DOC-FIELD-"))
    assert found == [("DOC-FIELD-LOOKALIKE", "look.zh.md", True), ("DOC-FIELD-LOOKALIKE", "note.zh.md", True),
                     ("DOC-FIELD-UNKNOWN", "other.zh.md", False)]


def test_identifiers_end_where_they_end(content: ContentFactory) -> None:
    """`$` also matches before a final newline, `\\d` any script's digits: a slug `abc\\n` made folders with a
    newline in their names, in the sitemap and the feeds."""
    content.document("abc\n", index_no="S00000001/2026-00031\n")
    content.document("digits", index_no="S00000001/2026-０００３２")
    found = sorted((f.code, f.field) for f in content.findings() if f.code in ("DOC-SLUG-FORMAT", "IDX-FORMAT"))
    assert found == [("DOC-SLUG-FORMAT", "slug"), ("IDX-FORMAT", "index_no"), ("IDX-FORMAT", "index_no")]


def test_an_unreadable_original_is_said_once(content: ContentFactory) -> None:
    """A key given twice makes the original unreadable: that is the finding; its translation is no orphan,
    its issue item not "missing", a link to it not "not public"."""
    path = content.document("broken")
    path.write_text(path.read_text(encoding="utf-8").replace("genre: notice\n", "genre: notice\ngenre: notice\n"),
                    encoding="utf-8")
    content.translation("broken", title="བརྡ་ཐོ།")
    content.document("linker", body="见[通知]({filename}broken.zh.md)。\n")
    content.issue(2026, 3, sections=[{"section": "prefecture-documents", "items": ["broken"]}])
    codes = sorted({f.code for f in content.findings() if f.is_error})
    assert codes == ["META-DUPLICATE-KEY"], codes
