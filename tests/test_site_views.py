"""The reading views of the sample site: Traditional-character copies (繁体), large print (适老化), the
Chinese-Tibetan side by side page, related documents, the application form, the 404 page, and the links
every page carries (canonical, description, absolute alternates). All read the session's `sample_site`."""

from __future__ import annotations

import re
from pathlib import Path
from xml.etree import ElementTree as ET

import opencc
import pytest
import yaml
from factory import ROOT
from gazette import urls
from gazette.registry import Agency, Entry, Registry
from gazette.site.side_by_side import align
from gazette.site.traditional import TraditionalConverter

S2T = opencc.OpenCC("s2t")
CONTENT = ROOT / "content"


def read(site: Path, url: str) -> str:
    path = site / urls.output_path(url)
    assert path.is_file(), f"{url} was not written"
    return path.read_text(encoding="utf-8")


def front_matter(path: Path) -> tuple[dict, str]:
    _, head, body = path.read_text(encoding="utf-8").split("---\n", 2)
    return yaml.safe_load(head), body


def sample_documents() -> dict[str, dict]:
    """slug → {meta, body, bo}: the sample's documents as their files give them."""
    docs: dict[str, dict] = {}
    for path in sorted((CONTENT / "documents").rglob("*.zh.md")):
        meta, body = front_matter(path)
        bo = path.with_name(path.name.replace(".zh.md", ".bo.md"))
        docs[meta["slug"]] = {"meta": meta, "body": body, "bo": bo.is_file()}
    return docs


def public(doc: dict) -> bool:
    return doc["meta"]["disclosure"] == "主动公开" and doc["meta"].get("status") != "draft"


def html_files(site: Path) -> list[Path]:
    return [p for p in site.rglob("*.html") if p.is_file()]


# --- 繁体 -------------------------------------------------------------------------------------------------

def test_every_chinese_page_has_its_traditional_copy(sample_site: Path) -> None:
    chinese = [p.relative_to(sample_site / "zh") for p in (sample_site / "zh").rglob("index.html")]
    assert len(chinese) > 100
    for rel in chinese:
        copy = sample_site / urls.TRADITIONAL / rel
        if rel.parts[0] == "search":
            assert not copy.exists()  # the search pages stay Simplified (the search service draws them)
            continue
        html = copy.read_text(encoding="utf-8")
        assert '<html lang="zh-Hant"' in html, rel
        url = "/" + urls.TRADITIONAL + "/" + rel.parent.as_posix().strip(".") + "/"
        url = url.replace("//", "/")
        assert f'<link rel="canonical" href="https://gazette.example.gov.cn{url}">' in html
        assert f'hreflang="zh-Hant" href="https://gazette.example.gov.cn{url}"' in html


def test_traditional_document_page_converts_text_and_keeps_identifiers(sample_site: Path) -> None:
    meta, _ = front_matter(CONTENT / "documents/2026/gzfb-2026-4.zh.md")
    zh = read(sample_site, "/zh/documents/gzfb-2026-4/")
    hant = read(sample_site, "/zh-hant/documents/gzfb-2026-4/")
    title = S2T.convert(meta["title"])
    assert title != meta["title"] and f"<h1>{title}</h1>" in hant and meta["title"] not in hant
    assert S2T.convert(meta["summary"]) in hant  # the meta description and the catalogue record
    # Identifiers are not converted: 甘府发 would become 甘府發.
    assert hant.count(meta["doc_number"]) == zh.count(meta["doc_number"]) >= 2
    assert S2T.convert(meta["doc_number"]) not in hant
    assert meta["index_no"] in hant
    # Its links lead to Traditional pages; the language switch to each version, this one current.
    assert 'href="/zh-hant/catalogue/"' in hant and 'href="/zh/catalogue/"' not in hant
    assert ('<a href="/zh/documents/gzfb-2026-4/" hreflang="zh" lang="zh" translate="no">中文</a>' in hant)
    assert 'hreflang="zh-Hant" lang="zh-Hant" translate="no" aria-current="page">繁體</a>' in hant
    assert 'hreflang="zh" lang="zh" translate="no" aria-current="page">中文</a>' in zh
    # The feeds and the search stay Simplified.
    assert 'href="/zh/feeds/all.atom.xml"' in hant and 'action="/zh/search/"' in hant


def test_registry_names_convert_as_the_registry_says(sample_site: Path) -> None:
    """Every registry name on the Traditional catalogue pages is its `zh_hant`, or OpenCC's s2t of `zh`."""
    registry = {name: yaml.safe_load((CONTENT / "registry" / f"{name}.yml").read_text(encoding="utf-8"))
                for name in ("agencies", "catalogue")}

    def entries(items: list[dict]) -> list[dict]:
        return [e for item in items for e in (item, *entries(item.get("children") or []))]

    overridden = 0
    catalogue = read(sample_site, "/zh-hant/catalogue/")
    for entry in entries(registry["catalogue"]):
        page = sample_site / urls.TRADITIONAL / "catalogue/class" / entry["id"] / "index.html"
        if not page.is_file():
            continue  # a class without documents has no page
        expected = entry.get("zh_hant") or S2T.convert(entry["zh"])
        assert f"<h1>{expected}" in page.read_text(encoding="utf-8"), entry["id"]
        if entry.get("zh_hant"):
            overridden += 1
            assert expected in catalogue and S2T.convert(entry["zh"]) not in catalogue
    assert overridden  # the sample shows the field at work
    for agency in registry["agencies"]:
        page = sample_site / urls.TRADITIONAL / "catalogue/publisher" / agency["id"] / "index.html"
        if page.is_file():
            assert (agency.get("zh_hant") or S2T.convert(agency["zh"])) in page.read_text(encoding="utf-8")


def test_converter_keeps_what_is_not_text() -> None:
    registry = Registry(agencies={"a": Agency(id="a", zh="泸定县人民政府", bo="", zh_hant="瀘定縣政府（示例）")},
                        genres={"g": Entry(id="g", zh="通知", bo="")})
    converter = TraditionalConverter(registry, ["泸府发〔2026〕7号", "泸定县人民政府令第3号"],
                                     "https://example.gov.cn")
    page = ('<html lang="zh"><a href="/attachments/2026/x/统计表.csv">统计表</a>'
            '<span lang="zh" translate="no">这里不变</span><p>根据泸府发〔2026〕7号和泸定县人民政府令第3号，'
            '泸定县人民政府发布通知。</p><link rel="canonical" href="https://example.gov.cn/zh/about/">'
            '<a href="/zh/search/">搜索</a><a href="/zh/about/" hreflang="zh">中文</a></html>')
    out = converter.page(page)
    assert '<html lang="zh-Hant">' in out
    assert 'href="/attachments/2026/x/统计表.csv">統計表</a>' in out
    assert '<span lang="zh" translate="no">这里不变</span>' in out
    assert "根據泸府发〔2026〕7号和泸定县人民政府令第3号，瀘定縣政府（示例）發佈通知。" in out
    assert 'href="https://example.gov.cn/zh-hant/about/"' in out
    assert '<a href="/zh/search/">搜索</a>' in out  # no Traditional search page: the link stays, the text converts
    assert '<a href="/zh/about/" hreflang="zh">中文</a>' in out  # `hreflang` is no `lang`: leads where it says


# --- side by side ------------------------------------------------------------------------------------

def test_side_by_side_for_every_translated_public_document(sample_site: Path) -> None:
    docs = sample_documents()
    translated = [slug for slug, d in docs.items() if d["bo"] and public(d)]
    assert len(translated) >= 5
    for slug in translated:
        for lang in ("zh", "bo"):
            html = read(sample_site, urls.side_by_side(slug, lang))
            assert f'href="{urls.side_by_side(slug, lang)}"' in read(sample_site, urls.document(slug, lang))
            cells = re.findall(r'<div class="body" lang="(zh|bo)">', html)
            assert cells and cells == ["zh", "bo"] * (len(cells) // 2)
    for slug, d in docs.items():
        if not (d["bo"] and public(d)):
            for lang in ("zh", "bo"):
                assert not (sample_site / urls.output_path(urls.side_by_side(slug, lang))).exists(), slug


def test_side_by_side_pairs_paragraphs_where_counts_agree(sample_site: Path) -> None:
    html = read(sample_site, urls.side_by_side("gzfb-2026-4", "zh"))
    rows = re.findall(r'<div class="aligned-row aligned-(\w+)">', html)
    assert rows[0] == "title" and "heading" in rows and "block" in rows
    # Each heading row holds a heading on both sides.
    for zh, bo in re.findall(r'aligned-heading">\s*<div class="body" lang="zh">(.*?)</div>\s*'
                             r'<div class="body" lang="bo">(.*?)</div>', html, re.S):
        assert zh.startswith("<h") and bo.startswith("<h")


def test_alignment_falls_back_to_sections_then_to_the_whole() -> None:
    rows = align("<h2>一</h2>\n<p>a</p>\n<p>b</p>\n<h2>二</h2>\n<p>c</p>",
                 "<h2>1</h2>\n<p>A</p>\n<h2>2</h2>\n<p>C</p>")
    assert [r.kind for r in rows] == ["heading", "section", "heading", "block"]
    assert rows[1].zh == "<p>a</p><p>b</p>" and rows[1].bo == "<p>A</p>"
    whole = align("<h2>一</h2>\n<p>a</p>", "<p>A</p>")
    assert [r.kind for r in whole] == ["section"] and whole[0].zh.startswith("<h2>")


# --- large print -------------------------------------------------------------------------------------

def test_every_page_has_a_large_print_copy(sample_site: Path) -> None:
    for lang in ("zh", urls.TRADITIONAL, "bo"):
        for page in (sample_site / lang).rglob("index.html"):
            rel = page.relative_to(sample_site).as_posix()
            if rel.split("/")[1] == "search":
                assert not page.with_name(urls.LARGE_PRINT).exists()
                continue
            large = page.with_name(urls.LARGE_PRINT).read_text(encoding="utf-8")
            assert large.startswith('<!DOCTYPE html>\n<html class="large-print"'), rel
            url = "/" + rel.removesuffix("index.html")
            assert f'<link rel="canonical" href="https://gazette.example.gov.cn{url}">' in large
            assert f'<a class="to-standard" href="{url}" data-standard>' in large
            # Every link to a page leads to its large-print copy (the search and the feeds have none).
            assert re.search(r'<a [^>]*href="/(?:zh|zh-hant|bo)/[^"]*large\.html"', large)
            assert not re.search(r'<a (?![^>]*data-standard)[^>]*href="/(?:zh|zh-hant|bo)/(?!search/|feeds/)'
                                 r'[^"]*/"', large), rel
    assert "html.large-print" in (sample_site / "theme/css/views.css").read_text(encoding="utf-8")


# --- secrecy -----------------------------------------------------------------------------------------

def test_no_new_view_shows_what_is_not_public(sample_site: Path) -> None:
    """The longest line of every body that is not public, in Simplified and in Traditional characters,
    and the titles of its attachments, appear in no file of the site."""
    secrets: list[str] = []
    for doc in sample_documents().values():
        if public(doc):
            continue
        lines = [line.strip("#>*-0123456789. ") for line in doc["body"].splitlines()]
        longest = max(lines, key=len)
        assert len(longest) >= 12
        secrets += [longest, S2T.convert(longest)]
        if doc["meta"]["disclosure"] != "主动公开":
            secrets += [a["title"] for a in doc["meta"].get("attachments") or []]
    assert secrets
    for path in sample_site.rglob("*"):
        if path.is_file() and path.suffix in (".html", ".xml", ".json", ".csv"):
            text = path.read_text(encoding="utf-8")
            for secret in secrets:
                assert secret not in text, (path, secret)


# --- related documents ------------------------------------------------------------------------------

def test_interpretation_and_policy_link_each_other(sample_site: Path) -> None:
    policy = read(sample_site, "/zh/documents/gzfb-2026-4/")
    reading = read(sample_site, "/zh/documents/jd-gzfb-2026-4/")
    related = re.search(r'<section class="related".*?</section>', policy, re.S).group()
    assert 'href="/zh/documents/jd-gzfb-2026-4/"' in related and "政策解读" in related
    assert 'href="/zh/documents/gzfb-2026-4/"' in re.search(r'<section class="related".*?</section>', reading,
                                                             re.S).group()
    # Others of its catalogue class, most recent first, at most five.
    dates = re.findall(r'同类文件</span>.*?<time datetime="([\d-]+)"', related, re.S)
    assert dates and dates == sorted(dates, reverse=True) and len(dates) <= 5


# --- 404, form, page links -------------------------------------------------------------------------

def test_not_found_page_in_both_languages_served_with_404(sample_site: Path) -> None:
    from gazette.serve import StaticFiles

    html = read(sample_site, urls.NOT_FOUND)
    assert '<section lang="bo"' in html and 'href="/bo/"' in html and 'href="/zh/catalogue/"' in html
    assert "ཤོག་ངོས་རྙེད་མ་སོང་།" in html and "页面不存在" in html
    assert 'rel="canonical"' not in html and 'name="robots" content="noindex"' in html
    answers: list[str] = []
    body = b"".join(StaticFiles(sample_site)({"PATH_INFO": "/zh/no-such-page/", "REQUEST_METHOD": "GET"},
                                             lambda status, headers: answers.append(status)))
    assert answers == ["404 Not Found"] and body.decode() == html


def test_application_form_is_printable_and_collects_nothing(sample_site: Path) -> None:
    for lang in ("zh", "bo"):
        form = read(sample_site, urls.application_form(lang))
        assert "<form" not in form.split("</header>")[1] and "<input" not in form.split("</header>")[1]
        assert '<table class="form-table">' in form and "<script" not in form
        assert f'href="{urls.application_form(lang)}"' in read(sample_site, urls.page("request", lang))
    assert "政府信息公开申请表" in read(sample_site, urls.application_form("zh"))


def test_request_page_says_where_and_how_to_hand_the_form_in(sample_site: Path) -> None:
    """The request page and the form's page, in each language: the ways to submit (in person, by post),
    the receiving office as the settings give it; the form's PDFs where the build made them."""
    from gazette.settings import load_settings
    from gazette.site.pages import LinkedPdfs
    from gazette.theme import environment, translations

    settings = load_settings()
    office = settings["GAZETTE_REQUEST_OFFICE"]
    for lang in ("zh", "bo"):
        words = translations(settings, lang)
        for url in (urls.page("request", lang), urls.application_form(lang)):
            html = read(sample_site, url)
            for value in (office["name"][lang], office["address"][lang], office["postcode"], office["telephone"]):
                assert value in html, (url, value)
            assert words.gettext("Not by telephone.") in html
            assert "/pdf/forms/" not in html  # this build made no PDFs: none is linked
    # With the PDFs made, both languages' forms are offered, with their sizes.
    env = environment(settings)
    env.install_gettext_translations(translations(settings, "bo"), newstyle=True)  # type: ignore[attr-defined]
    forms = LinkedPdfs(tuple(urls.application_form_pdf(lang) for lang in ("zh", "bo")))
    shown = env.from_string('{% import "components.html" as c with context %}{{ c.form_pdfs(forms) }}').render(
        forms=forms, pdfs={forms.urls[0]: 120_000, forms.urls[1]: 95_000}, lang="bo", settings=settings)
    assert shown.count('type="application/pdf"') == 2 and 'href="/pdf/forms/application.bo.pdf"' in shown


def test_every_page_has_canonical_description_and_favicon(sample_site: Path) -> None:
    pages = [p for p in html_files(sample_site) if p.name == "index.html"]  # the root's language choice too
    for page in pages:
        html = page.read_text(encoding="utf-8")
        assert re.search(r'<link rel="canonical" href="https://gazette\.example\.gov\.cn/', html), page
        assert re.search(r'<meta name="description" content="[^"]+">', html), page
        assert '<link rel="icon" href="/theme/favicon.svg"' in html
    assert (sample_site / urls.FAVICON.lstrip("/")).is_file()
    meta, _ = front_matter(CONTENT / "documents/2026/gzfb-2026-4.zh.md")
    assert f'<meta name="description" content="{meta["summary"]}">' in read(sample_site, "/zh/documents/gzfb-2026-4/")


def test_language_choice_offers_traditional(sample_site: Path) -> None:
    html = read(sample_site, "/")
    assert '<a href="/zh-hant/" lang="zh-Hant" hreflang="zh-Hant">繁體</a>' in html
    assert '<link rel="alternate" hreflang="zh-Hant" href="https://gazette.example.gov.cn/zh-hant/">' in html


def test_preview_sitemap_and_feeds_name_the_public_address(sample_site: Path) -> None:
    ns = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9", "x": "http://www.w3.org/1999/xhtml"}
    root = ET.parse(sample_site / "sitemap.xml").getroot()
    locs = [u.find("s:loc", ns).text for u in root.findall("s:url", ns)]
    hrefs = [link.get("href") for link in root.iter(f"{{{ns['x']}}}link")]
    assert locs and all(u.startswith("https://gazette.example.gov.cn/") for u in locs + hrefs)
    assert not any(u.endswith(("large.html", "404.html")) for u in locs)
    assert any("/zh-hant/documents/" in u for u in locs)
    feed = (sample_site / "zh/feeds/all.atom.xml").read_text(encoding="utf-8")
    assert "localhost" not in feed and 'href="https://gazette.example.gov.cn/zh/documents/' in feed


@pytest.mark.parametrize("conf", ["pelicanconf.py", "publishconf.py"])
def test_public_address_of_each_configuration(conf: str, monkeypatch: pytest.MonkeyPatch) -> None:
    from gazette.config import GazetteConfig
    from gazette.settings import load_settings

    monkeypatch.setenv("GAZETTE_SITEURL", "https://gzz.example.cn")
    config = GazetteConfig.from_settings(load_settings(str(ROOT / conf)))
    if conf == "publishconf.py":
        assert config.site_url == config.public_url == "https://gzz.example.cn"
    else:
        assert config.site_url == "" and config.public_url == "https://gazette.example.gov.cn"


def test_footer_identifiers_and_print_header(sample_site: Path) -> None:
    from gazette.settings import load_settings

    ids = load_settings(str(ROOT / "pelicanconf.py"))["GAZETTE_SITE_IDS"]
    for url in ("/zh/", "/bo/catalogue/", "/zh-hant/documents/gzfb-2026-4/"):
        html = read(sample_site, url)
        footer = html.split('<footer class="site-footer">')[1]
        lang = "bo" if url.startswith("/bo/") else "zh"
        host = ids["host"][lang] if url != "/zh-hant/documents/gzfb-2026-4/" else S2T.convert(ids["host"]["zh"])
        assert host in footer and ids["site_code"] in footer
        assert ids["icp"] in footer and ids["police"] in footer  # registration numbers are never converted
        # Printed above the page: the site's name and the page's own address.
        assert re.search(rf'<p class="print-header" aria-hidden="true">[^<]+ <a class="print-url" '
                         rf'href="https://gazette\.example\.gov\.cn{re.escape(url)}"', html)


def test_traditional_copies_depend_on_codes_and_names_not_on_every_number() -> None:
    """A new document redraws no other page's Traditional copy; a new code or registry label does."""
    registry = Registry(agencies={"a": Agency(id="a", zh="泸定县人民政府", bo="")})
    base = TraditionalConverter(registry, ["泸府发〔2026〕7号"]).fingerprint
    assert TraditionalConverter(registry, ["泸府发〔2026〕7号", "泸府发〔2026〕8号"]).fingerprint == base
    assert TraditionalConverter(registry, ["泸府发〔2026〕7号", "泸府办发〔2026〕1号"]).fingerprint != base
    registry.agencies["a"].zh_hant = "瀘定縣人民政府"
    assert TraditionalConverter(registry, ["泸府发〔2026〕7号"]).fingerprint != base


def test_preview_serves_large_print_copies_as_pages(sample_site: Path) -> None:
    from gazette.serve import StaticFiles

    answers: list[tuple[str, dict[str, str]]] = []
    body = b"".join(StaticFiles(sample_site)({"PATH_INFO": "/bo/catalogue/large.html", "REQUEST_METHOD": "GET"},
                                             lambda status, headers: answers.append((status, dict(headers)))))
    status, headers = answers[0]
    assert status == "200 OK" and headers["Content-Type"] == "text/html; charset=utf-8"
    assert "Content-Disposition" not in headers and body.startswith(b'<!DOCTYPE html>\n<html class="large-print"')
