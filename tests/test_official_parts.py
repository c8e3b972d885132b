"""The official-document parts (公文要素): read, checked, resolved per language, and set on the web page where
GB/T 9704 puts them."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from factory import ContentFactory
from gazette.build import build
from gazette.checks import check_content
from gazette.publication import build_publication
from gazette.render import MarkdownRenderer

NOTICE = """现将《甘孜藏族自治州森林防火办法》印发给你们，请认真贯彻执行。

# 甘孜藏族自治州森林防火办法

## 一、总则

第一条　为预防森林火灾，制定本办法。
"""


def codes(content: ContentFactory) -> list[tuple[str, str, int]]:
    return sorted((f.code, f.path, f.line) for f in content.findings() if f.code.startswith("OFFICIAL-"))


def test_parts_typed_into_the_body_are_warnings_naming_the_field(content: ContentFactory) -> None:
    content.document("typed", body="各县（市）人民政府，州级各部门：\n\n现将有关事项通知如下。\n\n"
                                   "甘孜藏族自治州人民政府\n\n2026年3月2日\n\n（此件公开发布）\n")
    content.document("numerals", body="请遵照执行。\n\n甘孜藏族自治州人民政府\n\n二〇二六年三月二日\n")
    content.translation("numerals", body="ལག་བསྟར་གནང་རོགས།\n\nདཀར་མཛེས་ཁུལ་མི་དམངས་སྲིད་གཞུང་།\n\n"
                                         "༢༠༢༦ལོའི་ཟླ་༣པའི་ཚེས་༢ཉིན།\n")
    content.document("issuing", body="现将办法印发给你们。\n\n甘孜藏族自治州人民政府\n\n2026年3月2日\n\n"
                                     "# 某某办法\n\n第一条　内容。\n")
    found = codes(content)
    assert ("OFFICIAL-ADDRESSEE-IN-BODY", "documents/2026/typed.zh.md", 16) in found
    assert ("OFFICIAL-SIGNATURE-IN-BODY", "documents/2026/typed.zh.md", 20) in found
    assert ("OFFICIAL-NOTE-IN-BODY", "documents/2026/typed.zh.md", 24) in found
    assert ("OFFICIAL-SIGNATURE-IN-BODY", "documents/2026/numerals.zh.md", 18) in found
    assert ("OFFICIAL-SIGNATURE-IN-BODY", "documents/2026/numerals.bo.md", 6) in found
    assert ("OFFICIAL-SIGNATURE-IN-BODY", "documents/2026/issuing.zh.md", 18) in found
    assert all(f.level.value == "warning" for f in content.findings() if f.code.endswith("-IN-BODY"))


def test_clean_parts_give_no_finding(content: ContentFactory) -> None:
    content.document("clean", body=NOTICE, addressee="各县（市）人民政府，州级各部门", note="此件公开发布",
                     cc=["州委办公室", "general-office"], printed={"by": "general-office", "date": "2026-03-03"})
    assert codes(content) == []


def test_printed_before_signed_and_unknown_agency_ids_are_errors(content: ContentFactory) -> None:
    content.document("early", printed={"by": "no-such-office", "date": "2026-03-01"}, cc=["county-x", "州委办公室"])
    content.document("shapes", addressee=["甲", "乙"], signature={"a": "b"}, printed="办公室")
    found = codes(content)
    assert [c for c in found if c[1].endswith("early.zh.md")] == [
        ("OFFICIAL-AGENCY", "documents/2026/early.zh.md", 15), ("OFFICIAL-AGENCY", "documents/2026/early.zh.md", 16),
        ("OFFICIAL-PRINTED-DATE", "documents/2026/early.zh.md", 15)]
    assert [c[0] for c in found if c[1].endswith("shapes.zh.md")] == ["OFFICIAL-FIELD-TYPE"] * 3
    assert all(f.level.value == "error" for f in content.findings() if f.code.startswith("OFFICIAL-")
               and not f.code.endswith("-IN-BODY"))


def test_parts_are_resolved_for_each_language(content: ContentFactory) -> None:
    content.document("notice", body=NOTICE, doc_number="甘府发〔2026〕3号", addressee="各县（市）人民政府，州级各部门",
                     note="此件公开发布", cc=["州委办公室", "general-office"],
                     printed={"by": "general-office", "date": "2026-03-03"})
    content.translation("notice", note="ཡིག་ཆ་འདི་ཁྱབ་བསྒྲགས་བྱེད།")
    content.document("speech", genre="speech", author="州长", body="同志们：今天开会。\n")
    corpus, _ = check_content(content.root)
    pub = build_publication(corpus)
    zh, bo = pub.documents["notice"].text("zh").parts, pub.documents["notice"].text("bo").parts
    assert zh.official and [s.text for s in zh.signature] == ["甘孜藏族自治州人民政府"]  # the issuer by default
    assert [(s.text, s.lang) for s in bo.signature] == [("དཀར་མཛེས་བོད་རིགས་རང་སྐྱོང་ཁུལ་མི་དམངས་སྲིད་གཞུང་།", "bo")]
    assert (bo.note.text, bo.note.lang) == ("ཡིག་ཆ་འདི་ཁྱབ་བསྒྲགས་བྱེད།", "bo")  # the translation's own
    assert (bo.addressee.text, bo.addressee.lang) == ("各县（市）人民政府，州级各部门", "zh")  # the original's, marked
    assert [(c.text, c.lang) for c in bo.cc] == [("州委办公室", "zh"),
                                                ("དཀར་མཛེས་བོད་རིགས་རང་སྐྱོང་ཁུལ་མི་དམངས་སྲིད་གཞུང་གི་གཞུང་ལས་ཁང་།", "bo")]
    assert zh.printed_by.text == "甘孜藏族自治州人民政府办公室" and zh.imprint
    speech = pub.documents["speech"].text("zh").parts
    assert not speech.official and speech.author.text == "州长" and speech.signature == ()


def test_verse_keeps_its_lines_and_stanzas() -> None:
    html = MarkdownRenderer().render("| 秋风吹过雅砻江，\n| 吹黄了河谷的*青杠林*。\n|\n| 湖边的经幡，\n"
                                     "| 在风中翻动。\n\n| 甲 | 乙 |\n|---|---|\n| 1 | 2 |\n")
    assert html.count('<p class="verse">') == 2
    assert "秋风吹过雅砻江，<br>" in html and "<em>青杠林</em>" in html
    assert "<table>" in html  # a table is still a table


def test_the_page_sets_each_part_in_its_place(content: ContentFactory, tmp_path: Path) -> None:
    content.write("attachments/2026/notice/名单.pdf", b"%PDF-1.4\n")
    content.document("notice", body=NOTICE, doc_number="甘府发〔2026〕3号", addressee="各县（市）人民政府，州级各部门",
                     signature=["甘孜藏族自治州人民政府", "甘孜藏族自治州林业局"], note="此件公开发布",
                     cc=["州委办公室"], printed={"by": "general-office", "date": "2026-03-03"},
                     attachments=[{"file": "attachments/2026/notice/名单.pdf", "title": "防火责任单位名单"}])
    content.translation("notice", addressee="རྫོང་ཁག་གི་མི་དམངས་སྲིད་གཞུང་ཁག")
    assert build(content.root, tmp_path / "build", ["site"]) == 0
    page = (tmp_path / "build/site/zh/documents/notice/index.html").read_text(encoding="utf-8")
    page = page[page.index('<div class="official">'):]
    order = [page.index(marker) for marker in (
        '<p class="addressee">各县（市）人民政府，州级各部门：</p>', "现将《甘孜藏族自治州森林防火办法》",
        '<div class="attachment-note">', "防火责任单位名单", '<div class="signature">',
        '<p class="signer">甘孜藏族自治州林业局</p>', '<p class="date">2026年3月2日</p>',
        '<p class="note">（此件公开发布）</p>', "<h1", "第一条", '<footer class="imprint">', "抄送",
        "甘孜藏族自治州人民政府办公室", "2026年3月3日印发")]
    assert order == sorted(order)
    bo = (tmp_path / "build/site/bo/documents/notice/index.html").read_text(encoding="utf-8")
    assert '<p class="addressee">རྫོང་ཁག་གི་མི་དམངས་སྲིད་གཞུང་ཁག་ལ།</p>' in bo
    assert re.search(r'<p class="note" lang="zh">（此件公开发布）</p>', bo)  # the original's, marked Chinese
    assert '<p class="date">སྤྱི་ལོ་༢༠༢༦ ལོའི་ཟླ་ ༣ ཚེས་ ༢ ཉིན།</p>' in bo


@pytest.mark.parametrize("lang", ["zh", "bo"])
def test_the_sample_notice_sets_its_parts(lang: str, sample_site: Path) -> None:
    page = (sample_site / f"{lang}/documents/gzfb-2026-21/index.html").read_text(encoding="utf-8")
    assert page.index('class="addressee"') < page.index('class="signature"') < page.index("<h1 id=") \
        < page.index('class="imprint"')


def test_the_markdown_cache_key_is_the_same_in_every_process() -> None:
    # A key that changed with the process (the repr of a set of strings does: string hashing is randomised)
    # would make every build render every body again, whatever the cache holds.
    import os
    import subprocess
    import sys

    from gazette.render import MarkdownRenderer

    keys = {subprocess.run([sys.executable, "-c", "from gazette.render import MarkdownRenderer as M; print(M.VERSION)"],
                           capture_output=True, text=True, check=True,
                           env={**os.environ, "PYTHONHASHSEED": seed}).stdout.strip() for seed in ("1", "2")}
    assert keys == {MarkdownRenderer.VERSION}
