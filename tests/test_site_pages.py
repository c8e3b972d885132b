"""The site, built from a small bilingual corpus: every page kind in both languages, the language switch,
the metadata table, feeds, sitemap and open data."""

from __future__ import annotations

import csv
import json
import re
from pathlib import Path
from xml.etree import ElementTree as ET

import pytest
from gazette.build import build
from site_corpus import build_site_corpus


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    from factory import ContentFactory

    root = tmp_path_factory.mktemp("site")
    content = ContentFactory(root / "content")
    build_site_corpus(content)
    assert build(content.root, root / "build", ["site"]) == 0
    return root / "build" / "site"


def read(site: Path, url: str) -> str:
    path = site / (url.lstrip("/") + ("index.html" if url.endswith("/") else ""))
    assert path.is_file(), f"{url} was not written"
    return path.read_text(encoding="utf-8")


PAGE_URLS = [
    "/{lang}/", "/{lang}/gazette/", "/{lang}/gazette/2026/", "/{lang}/gazette/2026/03/",
    "/{lang}/documents/notice-a/", "/{lang}/documents/county-report/", "/{lang}/documents/on-request/",
    "/{lang}/catalogue/", "/{lang}/catalogue/class/rules.normative/", "/{lang}/catalogue/class/rules/",
    "/{lang}/catalogue/publisher/kangding/", "/{lang}/catalogue/year/2026/", "/{lang}/about/",
    "/{lang}/guide/", "/{lang}/request/", "/{lang}/search/",
]


@pytest.mark.parametrize("lang", ["zh", "bo"])
@pytest.mark.parametrize("pattern", PAGE_URLS)
def test_every_page_kind_exists_in_both_languages(site: Path, pattern: str, lang: str) -> None:
    url = pattern.format(lang=lang)
    html = read(site, url)
    other = "bo" if lang == "zh" else "zh"
    assert f'<html lang="{lang}"' in html
    # hreflang alternates and a language switch to the same page in the other language
    # (the alternates are absolute, on the public address, a preview's too)
    assert re.search(f'hreflang="{other}" href="https://[^"/]+{re.escape(url.replace(f"/{lang}/", f"/{other}/", 1))}"',
                     html)
    assert f'<a href="{url.replace(f"/{lang}/", f"/{other}/", 1)}" hreflang="{other}"' in html
    # the search box and the stylesheet served by the site itself
    assert f'action="/{lang}/search/"' in html
    assert 'href="/theme/css/gazette.css"' in html
    assert "<script" not in html


def test_ui_strings_are_translated(site: Path) -> None:
    zh, bo = read(site, "/zh/catalogue/"), read(site, "/bo/catalogue/")
    assert "信息公开目录" in zh and "按发布机构" in zh
    assert "ཆ་འཕྲིན་ཁྱབ་བསྒྲགས་དཀར་ཆག" in bo
    assert "Disclosure catalogue" not in zh + bo


def test_document_page_has_metadata_table_and_body(site: Path) -> None:
    html = read(site, "/zh/documents/notice-a/")
    for label, value in [("索引号", "S00000001/2026-00001"), ("发布机构", "甘孜藏族自治州人民政府"),
                         ("文号", "甘府发〔2026〕3号"), ("成文日期", "2026年3月2日"), ("发布日期", "2026年3月4日"),
                         ("主题分类", "行政规范性文件"), ("有效性", "有效")]:
        assert re.search(rf"<th scope=\"row\">{label}</th><td[^>]*>.*?{re.escape(value)}", html, re.S), label
    assert "<table>" in html and "康定市" in html  # the body's table
    assert 'href="/zh/documents/notice-b/"' in html  # {filename} link resolved
    assert 'href="/zh/gazette/2026/03/"' in html  # the issue it appeared in
    # replaced document: its validity names what replaced it, and the new one says what it replaces
    old = read(site, "/zh/documents/old-rule/")
    assert "失效" in old and 'href="/zh/documents/notice-a/"' in old
    assert 'href="/zh/documents/old-rule/"' in html


def test_tibetan_document_page_and_untranslated_notice(site: Path) -> None:
    bo = read(site, "/bo/documents/notice-a/")
    assert "དང་པོ། སྤྱིའི་བླང་བྱ།" in bo and 'class="document" lang="bo"' in bo
    untranslated = read(site, "/bo/documents/notice-b/")
    assert "ཡིག་ཆ་འདི་ད་དུང་བོད་ཡིག་ཏུ་བསྒྱུར་མེད།" in untranslated
    assert 'href="/zh/documents/notice-b/"' in untranslated
    assert "各县（市）人民政府" not in untranslated  # the Chinese body is linked, not repeated
    zh = read(site, "/zh/documents/notice-b/")
    assert "尚无译文" in zh  # the switch says the Tibetan does not exist yet


def test_on_request_entry_is_metadata_only(site: Path) -> None:
    html = read(site, "/zh/documents/on-request/")
    assert "甘孜藏族自治州林业局关于林地审批情况的报告" in html and "S00000011/2026-00001" in html
    assert "本信息依申请公开" in html and 'href="/zh/request/"' in html
    assert "zqxrequestbody" not in html and "审批明细" not in html
    assert "zqxrequestattachtitle" not in html and not (site / "attachments/2026/on-request").exists()


def test_public_attachment_is_copied_and_linked(site: Path) -> None:
    html = read(site, "/zh/documents/county-report/")
    assert 'href="/attachments/2026/county-report/统计表.csv"' in html and "公开情况统计表" in html
    assert (site / "attachments/2026/county-report/统计表.csv").read_text(encoding="utf-8").startswith("县,条数")


def test_unreviewed_tibetan_names_are_marked(site: Path) -> None:
    """A registry name with bo_reviewed: false carries a small mark on Tibetan pages, and only there."""
    bo = read(site, "/bo/documents/notice-a/")
    rows = dict(re.findall(r'<tr><th scope="row">([^<]*)</th><td[^>]*>(.*?)</td></tr>', bo, re.S))
    mark = 'class="unreviewed"'
    assert mark not in rows["ཁྱབ་བསྒྲགས་བྱེད་མཁན།"]  # the prefecture government's name is reviewed
    assert mark in rows["དཀར་ཆག་གི་རིགས།"] and mark in rows["ཡིག་ཆའི་རིགས།"]  # class and genre are not
    assert re.search(r"<h1>[^<]+<sup " + mark, read(site, "/bo/catalogue/publisher/kangding/"))
    assert mark not in read(site, "/zh/documents/notice-a/") + read(site, "/zh/catalogue/publisher/kangding/")


def test_catalogue_counts(site: Path) -> None:
    html = read(site, "/zh/catalogue/")
    # five public entries: four proactive, one on request; the withheld and the draft are not counted
    assert "共 5 条" in html
    assert re.search(r'/zh/catalogue/class/rules.normative/">行政规范性文件</a> <span class="count">2<', html)
    assert re.search(r'/zh/catalogue/publisher/forestry/">甘孜藏族自治州林业局</a> <span class="count">1<', html)
    bo = read(site, "/bo/catalogue/")
    assert re.search(r'<span class="count">[༠-༩]+</span>', bo)  # Tibetan digits in counts
    assert not re.search(r'<span class="count">[0-9]+</span>', bo)
    assert "ཚན་པ་ ༥" in bo


def test_issue_pages(site: Path) -> None:
    zh = read(site, "/zh/gazette/2026/03/")
    assert "2026年第3期" in zh and "总第40期" in zh and "州政府文件" in zh
    assert 'href="/zh/documents/notice-a/"' in zh
    bo = read(site, "/bo/gazette/2026/03/")
    assert "སྤྱི་ལོ་༢༠༢༦" in bo and "དེབ་བསྡོམས་ ༤༠ པ།" in bo


def test_feeds(site: Path) -> None:
    ns = {"a": "http://www.w3.org/2005/Atom"}
    zh = ET.parse(site / "zh/feeds/all.atom.xml").getroot()
    links = {e.find("a:link", ns).get("href") for e in zh.findall("a:entry", ns)}
    assert {link.split("/documents/")[1] for link in links} == {"notice-a/", "notice-b/", "old-rule/", "county-report/"}
    bo = ET.parse(site / "bo/feeds/all.atom.xml").getroot()
    assert [e.find("a:title", ns).text for e in bo.findall("a:entry", ns)] == [
        "དཀར་མཛེས་ཁུལ་སྲིད་གཞུང་གི་ཆ་འཕྲིན་ཁྱབ་བསྒྲགས་སྐོར་གྱི་བརྡ་ཐོ།"]
    county = ET.parse(site / "zh/feeds/publisher/kangding.atom.xml").getroot()
    assert len(county.findall("a:entry", ns)) == 1
    # The summary is plain text: in an HTML-typed element, escaped once more, so a reader shows "<b>" and
    # "&" as written and no markup of the summary is ever rendered.
    summary = county.find("a:entry/a:summary", ns)
    assert summary.get("type") == "html"
    assert summary.text == ("康定市推进政务公开标准化建设的做法：&lt;b&gt;目录&lt;/b&gt;、指南和年报按期更新，"
                            "R&amp;D 经费公开。")
    assert not (site / "zh/feeds/publisher/forestry.atom.xml").exists()  # only an on-request entry


def test_sitemap_lists_pages_with_alternates(site: Path) -> None:
    root = ET.parse(site / "sitemap.xml").getroot()
    ns = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9", "x": "http://www.w3.org/1999/xhtml"}
    locs = [u.find("s:loc", ns).text for u in root.findall("s:url", ns)]
    assert any(loc.endswith("/zh/documents/notice-a/") for loc in locs)
    assert any(loc.endswith("/bo/catalogue/") for loc in locs)
    assert not any("withheld" in loc or "draft" in loc for loc in locs)
    first = root.find("s:url", ns)
    assert {link.get("hreflang") for link in first.findall("x:link", ns)} == {"zh", "zh-Hant", "bo"}


def test_open_data(site: Path) -> None:
    data = json.loads((site / "data/catalogue.json").read_text(encoding="utf-8"))
    by_index = {r["index_no"]: r for r in data["records"]}
    assert data["count"] == 5 == len(by_index)
    request = by_index["S00000011/2026-00001"]
    assert request["disclosure"] == "依申请公开" and request["attachments"] == []
    assert by_index["S00000101/2026-00001"]["attachments"][0]["url"].endswith("统计表.csv")
    with (site / "data/catalogue.csv").open(encoding="utf-8-sig") as handle:
        rows = list(csv.DictReader(handle))
    assert {r["index_no"] for r in rows} == set(by_index)
    # A cell that would start a spreadsheet formula is written as text; the JSON keeps the value.
    assert by_index["S00000101/2026-00001"]["keywords"] == ["=1+2", "政务公开", "@SUM(1+1)"]
    # each keyword guarded: a spreadsheet splitting the cell at ";" meets no formula either
    assert {r["index_no"]: r["keywords"] for r in rows}["S00000101/2026-00001"] == "'=1+2;政务公开;'@SUM(1+1)"


def test_language_choice_and_web_font(site: Path) -> None:
    html = read(site, "/")
    assert 'href="/bo/"' in html and 'href="/zh/"' in html
    assert 5_000 < (site / "theme/fonts/gazette-tibetan.woff2").stat().st_size < 100_000  # the subset
    css = (site / "theme/css/gazette.css").read_text(encoding="utf-8")
    assert "gazette-tibetan.woff2" in css and "http" not in css.split("@font-face")[1].split("}")[0]
    assert not list(site.rglob("TibetanMachineUni*"))
    assert not list(site.rglob("*.otf")) and not list(site.rglob("*.ttf"))


def test_a_translation_without_its_own_summary_shows_the_chinese_one_marked_chinese(site: Path) -> None:
    """The Tibetan page's description is its Tibetan title, not the Chinese summary it shows below."""
    page = read(site, "/bo/documents/notice-a/")
    assert '<meta name="description" content="དཀར་མཛེས་ཁུལ་སྲིད་གཞུང་' in page
    assert '<td lang="zh">这是一份用于测试的文件摘要' in page
