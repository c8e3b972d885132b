"""Raw HTML in Markdown; glyphs in the pinned fonts."""

from __future__ import annotations

from pathlib import Path

import pytest
from factory import ContentFactory
from gazette import fonts
from gazette.checks import check_content
from gazette.config import GazetteConfig
from gazette.settings import load_settings

FONTS = GazetteConfig.from_settings(load_settings()).fonts


def html(content: ContentFactory) -> list[tuple[str, int]]:
    return [(f.code, f.line) for f in content.findings() if f.code.startswith("HTML-")]


@pytest.mark.parametrize(("snippet", "code"), [
    ("<script>alert(1)</script>", "HTML-SCRIPT"),
    ("<SCRIPT src=x.js></SCRIPT>", "HTML-SCRIPT"),
    ('<img src="a.jpg" onerror="alert(1)">', "HTML-EVENT"),
    ('<a href="#" ONCLICK=steal()>点</a>', "HTML-EVENT"),
    ('<a href="javascript:alert(1)">点</a>', "HTML-JS-URL"),
    ('<a href="jav&#x61;script:alert(1)">点</a>', "HTML-JS-URL"),
    ("[点我](javascript:alert(1))", "HTML-JS-URL"),
    ('<iframe src="https://example.com"></iframe>', "HTML-EMBED"),
    ('<object data="x.swf"></object>', "HTML-EMBED"),
    ('<embed src="x.swf">', "HTML-EMBED"),
    ('<form action="https://example.com"><input name="id"></form>', "HTML-FORM"),
    ("![统计图](https://evil.example/track.png)", "HTML-EXTERNAL-IMAGE"),
    ("![统计图]( <//evil.example/t.png> )", "HTML-EXTERNAL-IMAGE"),
    ('<img alt="图" SRC="HTTP://evil.example/t.gif">', "HTML-EXTERNAL-IMAGE"),
])
def test_refused_html(content: ContentFactory, snippet: str, code: str) -> None:
    content.document("html", body=f"第一段。\n\n{snippet}\n")
    found = [c for c, line in html(content) if c != "HTML-STRIPPED"]
    assert code in found
    assert all(line == 18 for c, line in html(content) if c == code)


@pytest.mark.parametrize("body", [
    "<table><tr><td>甲</td></tr></table>",
    '<span lang="bo">བོད</span> 与 <sup>1</sup>',
    "代码示例：`<script>alert(1)</script>` 不会执行。",
    "```\n<iframe src=x></iframe>\n```",
    "[网站](https://www.gov.cn/) 与 [邮件](mailto:a@b.cn)",
    "![图]({static}/images/a.jpg) 与 `![外](https://x.example/a.png)`",
])
def test_allowed_html_and_code(content: ContentFactory, body: str) -> None:
    content.document("html", body=body + "\n")
    assert html(content) == []


def test_other_tags_are_a_warning(content: ContentFactory) -> None:
    content.document("font-tag", body='<font color="red">红字</font>与<center>居中</center>\n')
    found = [f for f in content.findings() if f.code == "HTML-STRIPPED"]
    assert sorted(f.zh.split("<")[1].split(">")[0] for f in found) == ["center", "font"]
    assert all(f.level.value == "warning" for f in found)


@pytest.fixture(params=["pattern", "sets"])
def glyph_scan(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> None:
    """Both ways the glyph rule looks: the compiled pattern (a whole corpus) and each text's characters
    compared with the fonts' (the few texts of an incremental check)."""
    from gazette.checks import fonts as glyph_rule

    monkeypatch.setattr(glyph_rule, "FEW_CHARACTERS", 0 if request.param == "pattern" else 10**9)


def test_glyphs_missing_from_the_fonts(content: ContentFactory, glyph_scan: None) -> None:
    # U+2A6D6 (CJK Extension B) is not in Noto CJK SC.
    tibetan, cjk = fonts.coverage(FONTS)
    rare = "\U0002a6d6"
    assert rare not in cjk
    content.document("rare", body=f"古地名{rare}在此。\n")
    content.document("rare-withheld", disclosure="不予公开", withheld_reason="过程性信息", body=f"{rare}\n")
    found = [f for f in content.findings() if f.code == "FONT-GLYPH"]
    assert [(f.path, f.line) for f in found] == [("documents/2026/rare.zh.md", 16)]
    assert "U+2A6D6" in found[0].zh


def test_common_text_has_glyphs(content: ContentFactory, glyph_scan: None) -> None:
    content.document("common", body="甘孜藏族自治州人民政府“通知”——《条例》第二十条、1.5%、①②③。\n")
    content.translation("common", title="དཀར་མཛེས་ཁུལ་གྱི་བརྡ་ཐོ།", body="བཀྲ་ཤིས་བདེ་ལེགས། ༡༢༣ ཀ\u0f71\u0f72\n")
    assert [f for f in content.findings() if f.code.startswith("FONT-")] == []


def test_fonts_not_installed(content: ContentFactory, tmp_path: Path) -> None:
    theme = tmp_path / "theme-without-fonts"
    theme.mkdir()
    content.document("any")
    content.document("other")
    found = [f for f in check_content(content.root, {**load_settings(), "THEME": str(theme)})[1]
             if f.code.startswith("FONT-")]
    assert [f.code for f in found] == ["FONT-NOT-INSTALLED"]
    assert "scripts/setup.sh" in found[0].fix_zh
    assert found[0].path.startswith(str(theme))


def test_font_coverage_cache(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    cache = tmp_path / "glyphs-test.json"
    monkeypatch.setattr(fonts, "_cache_file", lambda folder, paths: cache)
    fonts.coverage.cache_clear()
    try:
        read = fonts.coverage(FONTS)
        assert not cache.exists()  # a check only reads the cache: `gazette.fonts install` writes it
        fonts.coverage.cache_clear()
        assert fonts.coverage(FONTS, write_cache=True) == read
        files = list(tmp_path.glob("glyphs-*.json"))
        assert len(files) == 1
        fonts.coverage.cache_clear()
        assert fonts.coverage(FONTS) == read  # now from the JSON file
        files[0].write_text("not json", encoding="utf-8")
        fonts.coverage.cache_clear()
        assert fonts.coverage(FONTS) == read  # a damaged cache is read again from the fonts
    finally:
        fonts.coverage.cache_clear()
