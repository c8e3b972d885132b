"""Characters that are not text, forum junk, half-width punctuation, encodings."""

from __future__ import annotations

import pytest
from factory import ContentFactory
from gazette.findings import Finding


def found(content: ContentFactory, code: str) -> list[Finding]:
    return [f for f in content.findings() if f.code == code]


BODY_LINE = 16  # the factory's documents have 15 lines of front matter (with the --- lines)


@pytest.mark.parametrize(("char", "code"), [
    ("\x07", "TEXT-CONTROL"), ("\u202e", "TEXT-CONTROL"), ("\ue123", "TEXT-PRIVATE-USE"),
    ("\U000f0001", "TEXT-PRIVATE-USE"), ("\ufffd", "TEXT-REPLACEMENT"), ("\u200b", "TEXT-ZERO-WIDTH"),
    ("\u200d", "TEXT-ZERO-WIDTH"), ("\ufeff", "TEXT-BOM"), ("\u3164", "TEXT-ZERO-WIDTH"),  # a Hangul filler
    ("\u115f", "TEXT-ZERO-WIDTH"),
])
def test_not_text_in_the_body(content: ContentFactory, char: str, code: str) -> None:
    content.document("dirty", body=f"第一段。\n\n第二段有{char}问题。\n")
    hits = found(content, code)
    assert [(h.line, h.field) for h in hits] == [(BODY_LINE + 2, "body")]
    assert hits[0].is_error and f"U+{ord(char):04X}" in hits[0].zh


def test_not_text_in_title_summary_keywords_and_pages(content: ContentFactory) -> None:
    content.document("dirty-meta", title="关于\u200b通知", summary="摘要\ufffd内容说明文件的主要内容。",
                     keywords=["关键\ue000词"])
    content.translation("dirty-meta", title="བརྡ་ཐོ\u200c།")
    content.page("about", "zh", "关于\x0b本刊", "正文。\n")
    hits = {(f.path.split("/")[-1], f.field) for f in content.findings() if f.code.startswith("TEXT-")}
    assert hits == {("dirty-meta.zh.md", "title"), ("dirty-meta.zh.md", "summary"),
                    ("dirty-meta.zh.md", "keywords[0]"), ("dirty-meta.bo.md", "title"), ("about.zh.md", "title")}


def test_leading_bom_and_crlf_are_accepted(content: ContentFactory) -> None:
    path = content.document("windows")
    text = path.read_text(encoding="utf-8").replace("\n", "\r\n")
    path.write_bytes(b"\xef\xbb\xbf" + text.encode("utf-8"))
    assert content.findings() == []


def test_gbk_file_says_how_to_convert(content: ContentFactory) -> None:
    path = content.document("gbk")
    path.write_bytes(path.read_text(encoding="utf-8").encode("gbk"))
    hits = found(content, "TEXT-ENCODING-GBK")
    assert len(hits) == 1 and "iconv -f GB18030 -t UTF-8" in hits[0].fix_zh


@pytest.mark.parametrize("junk", ['8 A2 c" C* R  @2 ]', '" e" k( M5 [* r/ P( L. u'])
def test_forum_junk_at_paragraph_end(content: ContentFactory, junk: str) -> None:
    content.document("junk", body=f"第一段。\n\n本通知自印发之日起施行。{junk}\n\n第三段。\n")
    hits = found(content, "TEXT-JUNK")
    assert [(h.line, h.level.value) for h in hits] == [(BODY_LINE + 2, "warning")]
    assert junk.strip() in hits[0].zh


@pytest.mark.parametrize("text", ["使用 GIS 和 GPS 定位", "公式 1 + 2 = 3 + 0", "版本 v1.2 和 v2.0 均可",
                                  "| 县 | 数 |\n| --- | --- |\n| a1 | b2 | c3 | d4 |", "`a1 b2 c3 d4 e5`"])
def test_forum_junk_not_confused_with_text(content: ContentFactory, text: str) -> None:
    content.document("not-junk", body=f"说明：{text}\n")
    assert found(content, "TEXT-JUNK") == []


def test_half_width_punctuation(content: ContentFactory) -> None:
    content.document("half", body="各县(市)人民政府,州级各部门:请于10:30前报送.\n")
    hits = found(content, "TEXT-HALFWIDTH")
    assert len(hits) == 1 and hits[0].level.value == "warning" and hits[0].line == BODY_LINE
    for pair in ("“(”→“（”", "“,”→“，”", "“:”→“：”", "“.”→“。”"):
        assert pair in hits[0].fix_zh


@pytest.mark.parametrize("body", [
    "会议于10:30召开，增长1.5%。",
    "详见[网站](https://www.gov.cn/a,b;c)。",
    "网址 https://www.gov.cn/zhengce/a.htm?x=1,2 可查。",
    "代码 `a,b:c` 不查。",
    "```\n中文,代码:块\n```",
    "依据甘府发[2026]12号文件办理。",
    "<span title=\"中文,属性\">文字</span>",
    "- 第一项\n1. 第二项\n\n**加粗**文字。",
])
def test_half_width_not_flagged_in_syntax(content: ContentFactory, body: str) -> None:
    content.document("syntax", body=body + "\n")
    assert found(content, "TEXT-HALFWIDTH") == []
