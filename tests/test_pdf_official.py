"""A 公文 as printed, read back from its PDF in both languages: each part where GB/T 9704-2012 puts it.

One notice with every part (addressee, two attachments, signature, note, an issued 办法 under a `#` title,
cc and printed) and its Tibetan translation, through the real PDF stage; positions come from pdftotext's
boxes, rules from the page drawn in grey.
"""

from __future__ import annotations

import functools
import re
from pathlib import Path

import pytest
from factory import ContentFactory
from gazette import urls
from gazette.labels import Labels
from gazette.pdf import readback
from gazette.pdf.official import title_html
from gazette.pdf.readback import Line
from pdf_corpus import Built, build

# 41 characters: set greedily, 20 + 20 would leave 知 alone on a third line.
TITLE = "甘孜藏族自治州人民政府关于印发《甘孜州行政规范性文件制定和备案审查管理办法》的通知"
BO_TITLE = ("དཀར་མཛེས་བོད་རིགས་རང་སྐྱོང་ཁུལ་མི་དམངས་སྲིད་གཞུང་གིས་《དཀར་མཛེས་ཁུལ་གྱི་སྲིད་འཛིན་ཚད་ལྡན་ཡིག་ཆ་དོ་དམ་"
            "བྱེད་ཐབས》པར་སྐྲུན་གྱིས་བསྐུར་བའི་སྐོར་གྱི་བརྡ་ཐོ།")
EMBEDDED = "甘孜州行政规范性文件制定和备案审查管理办法"
ADDRESSEE = {"zh": "各县（市）人民政府，州级各部门", "bo": "རྫོང་དང་གྲོང་ཁྱེར་ཁག་གི་མི་དམངས་སྲིད་གཞུང་"}
NOTE = {"zh": "此件公开发布", "bo": "ཡིག་ཆ་འདི་ཁྱབ་བསྒྲགས་བྱེད།"}
BODY = {
    "zh": ("现将《甘孜州行政规范性文件制定和备案审查管理办法》印发给你们，请认真贯彻执行。\n\n"
           f"# {EMBEDDED}\n\n## 一、总则\n\n### （一）适用范围\n\n"
           + "第一条　为加强行政规范性文件管理，推进依法行政，根据国家和省有关规定，制定本办法。\n\n" * 3
           + "#### 1. 备案\n\n第二条　本办法自印发之日起施行。\n"),
    "bo": ("ད་ལྟ་བྱེད་ཐབས་འདི་ཁྱེད་ཚོར་པར་སྐྲུན་གྱིས་བསྐུར་ན་ནན་ཏན་གྱིས་ལག་བསྟར་གནང་རོགས།\n\n"
           "# དཀར་མཛེས་ཁུལ་གྱི་སྲིད་འཛིན་ཚད་ལྡན་ཡིག་ཆ་དོ་དམ་བྱེད་ཐབས།\n\n"
           + "དོན་ཚན་དང་པོ། སྲིད་འཛིན་ཚད་ལྡན་ཡིག་ཆའི་དོ་དམ་ཤུགས་ཆེར་གཏོང་ཆེད་བྱེད་ཐབས་འདི་བཟོས།\n\n" * 3),
}
ATTACHMENTS = ["行政规范性文件备案审查登记表", "甘孜州行政规范性文件制定和备案审查工作流程图及各环节办理时限说明"]
CHARACTER = 15.75  # pt: one character of the Chinese body, GB/T 9704's unit in both editions
EDITIONS = ("zh", "bo")


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Built:
    root = tmp_path_factory.mktemp("official")
    content = ContentFactory(root / "content")
    files = []
    for i, title in enumerate(ATTACHMENTS, 1):
        rel = f"attachments/2026/gz-official/fujian-{i}.pdf"
        content.write(rel, b"%PDF-1.4\n%%EOF\n")
        files.append({"file": rel, "title": title})
    content.document("gz-official", title=TITLE, doc_number="甘府发〔2026〕21号", body=BODY["zh"],
                     addressee=ADDRESSEE["zh"], note=NOTE["zh"], attachments=files,
                     cc=["州委办公室", "州人大常委会办公室", "州政协办公室", "州中级人民法院", "州人民检察院"],
                     printed={"by": "general-office", "date": "2026-03-03"})
    content.translation("gz-official", title=BO_TITLE,
                        body=BODY["bo"], addressee=ADDRESSEE["bo"], note=NOTE["bo"])
    return build(content.root, root / "build")


def _pdf(built: Built, lang: str) -> Path:
    return built.pdf(urls.document_pdf("gz-official", lang))


@functools.cache
def _document_lines(path: Path, title: str) -> tuple[tuple[int, Line], ...]:
    """The document's lines (page, line), from its title on: inside the text block, after the metadata
    table of a document's PDF. Read once a PDF (the module's PDFs are built once): the tests look for
    one part after another in the same lines."""
    top, bottom = (readback.TEXT_BLOCK_TOP - 1) * readback.MM, (readback.TEXT_BLOCK_TOP +
                                                                  readback.TEXT_BLOCK_HEIGHT + 1) * readback.MM
    found = [(page, line) for page in range(1, readback.page_count(path) + 1)
             for line in readback.lines(path, page) if top < line.y0 and line.y1 < bottom]
    start = next(i for i, (_, line) in enumerate(found) if readback.normalise(line.text)
                 and readback.normalise(title).startswith(readback.normalise(line.text)))
    return tuple(found[start:])


def _find(built: Built, lang: str, text: str, whole: bool = False,
          after: tuple[int, float] = (0, 0.0)) -> tuple[int, Line]:
    """The first line of the document (from its title on, below `after`: a page and a height) that holds
    `text` (whitespace aside), or, `whole`, that is `text`."""
    title = built.publication.documents["gz-official"].text(lang).title
    wanted = readback.normalise(text)
    for page, line in _document_lines(_pdf(built, lang), title):
        found = readback.normalise(line.text)
        if (page, line.y0) > after and (found == wanted if whole else wanted in found):
            return page, line
    raise AssertionError(f"{text!r} not in the {lang} PDF")


@pytest.mark.parametrize("lang", EDITIONS)
def test_addressee_flush_left_with_its_colon(built: Built, lang: str) -> None:
    page, line = _find(built, lang, Labels().addressee(ADDRESSEE[lang], lang))
    left, _ = readback.text_block_edges(page)
    assert abs(line.x0 - left) < 1
    assert readback.normalise(line.text).startswith(readback.normalise(ADDRESSEE[lang])[:6])


@pytest.mark.parametrize("lang", EDITIONS)
def test_signature_centred_over_the_date_four_characters_from_the_right(built: Built, lang: str) -> None:
    doc = built.publication.documents["gz-official"]
    page, date = _find(built, lang, Labels().date(doc.signed, lang))
    signer_page, signer = _find(built, lang, doc.issuers[0].label(lang), whole=True)
    _, right = readback.text_block_edges(page)
    assert signer_page == page and signer.y1 <= date.y0 + 1  # the signature right above the date
    assert abs(signer.centre - date.centre) < 1
    assert abs(right - date.x1 - 4 * CHARACTER) < 1
    # 附注: in parentheses, 居左空二字, on the line under the date
    note_page, note = _find(built, lang, NOTE[lang])
    left, _ = readback.text_block_edges(note_page)
    assert note_page == page and 0 < note.y0 - date.y1 < 10
    assert abs(note.x0 - left - 2 * CHARACTER) < 1
    assert note.text.strip()[0] in "（(" and note.text.strip()[-1] in "）)"


@pytest.mark.parametrize("lang", EDITIONS)
def test_embedded_title_centred_after_the_signature(built: Built, lang: str) -> None:
    title = BODY[lang].split("\n# ", 1)[1].split("\n", 1)[0]
    note_page, note = _find(built, lang, NOTE[lang])
    page, line = _find(built, lang, title[:6], after=(note_page, note.y1))
    left, right = readback.text_block_edges(page)
    assert abs(line.centre - (left + right) / 2) < 1.5


def test_attachments_numbered_with_titles_aligned(built: Built) -> None:
    """附件说明: 附件：1. …, 左空二字, the numbers under each other, a title's wrapped lines under its first
    character."""
    page, first = _find(built, "zh", "附件：1.")
    left, _ = readback.text_block_edges(page)
    assert abs(first.x0 - left - 2 * CHARACTER) < 1
    lines = [line for p, line in _document_lines(_pdf(built, "zh"), TITLE) if p == page]
    at = lines.index(first)
    second, wrapped = lines[at + 1], lines[at + 2]
    assert readback.normalise(second.text).startswith("2.")
    assert abs(second.x0 - first.x0 - 3 * CHARACTER) < 1  # 附件： is three characters
    assert abs(wrapped.x0 - second.x0 - 1.6 * CHARACTER) < 1  # the number's width
    assert readback.normalise(ATTACHMENTS[1]) == readback.normalise(second.text[2:] + wrapped.text)


@pytest.mark.parametrize("lang", EDITIONS)
def test_imprint_at_the_foot_of_the_last_page_between_rules(built: Built, lang: str) -> None:
    """版记: on the document's last page, below its text; a thick rule above 抄送, a thin one between 抄送
    and 印发, a thick one under 印发 on the text block's lower edge; 印发机关 and 印发日期 one character
    from the edges."""
    path = _pdf(built, lang)
    last = readback.page_count(path)
    labels = Labels.from_settings(built.settings)
    cc_page, cc = _find(built, lang, labels.part("cc", lang))
    printed_page, printed = _find(built, lang, labels.printed(built.publication.documents["gz-official"].text(lang)
                                                      .parts.printed_date, lang))
    assert cc_page == printed_page == last
    body = [ln for ln in readback.lines(path, last) if ln.y1 < cc.y0]
    assert body, "the imprint shares its page with the document's last lines"
    top = (readback.TEXT_BLOCK_TOP + readback.TEXT_BLOCK_HEIGHT) * readback.MM
    found = [r for r in readback.rules(path, last) if r.y0 > body[-1].y1]
    assert len(found) == 3, found
    above, between, below = found
    # (a Tibetan line's box reaches a little into the rules' own thickness)
    assert above.y1 <= cc.y0 + 1 and cc.y1 <= between.y0 + 1 and between.y1 <= printed.y0 + 1
    assert printed.y1 <= below.y0 + 1
    assert abs(below.y1 - top) < 1  # the last rule on the text block's lower edge
    assert above.thickness > between.thickness and below.thickness > between.thickness
    # 印发机关 左空一字, 印发日期 右空一字: a character of the 版记's 4号 (14 pt; Tibetan is set at 17 pt)
    character = 17 if lang == "bo" else 14
    left, right = readback.text_block_edges(last)
    _, by = _find(built, lang, built.publication.registry.agencies["general-office"].label(lang)[:10],
                  after=(last, between.y0 - 10))
    assert by.y1 <= below.y0 + 1 and abs(by.x0 - left - character) < 1
    assert abs(right - printed.x1 - character) < 1


@pytest.mark.parametrize("lang", EDITIONS)
def test_title_never_ends_with_one_character_alone(built: Built, lang: str) -> None:
    path = _pdf(built, lang)
    title = readback.normalise(built.publication.documents["gz-official"].text(lang).title)
    texts = [readback.normalise(line.text) for _, line in _document_lines(path, title)]
    joined, end = "", 0
    while joined != title:
        joined += texts[end]
        end += 1
        assert title.startswith(joined), (joined, title)
    title_lines = texts[:end]
    assert len(title_lines) >= 2
    if lang == "zh":
        assert len(title_lines[-1]) >= 2 and len(title_lines[0]) <= 20
    else:
        assert title_lines[-1].count("་") >= 1  # two syllables at least


def test_kai_face_embedded_for_second_level_headings(built: Built) -> None:
    names = [font.name.split("+")[-1] for font in readback.fonts(_pdf(built, "zh"))]
    assert "Gazette-Kai" in names and "Gazette-Hei" in names


def test_no_page_with_fewer_than_three_lines_unless_the_document_ends_there(built: Built,
                                                                            issue_pdfs: Built) -> None:
    for source in (built, issue_pdfs):
        for url in source.report.files:
            if "/documents/" not in url:
                continue
            path = source.pdf(url)
            count = readback.page_count(path)
            for page in range(1, count):
                text = [ln for ln in readback.text_block(path, page).splitlines() if ln.strip()]
                assert len(text) >= 3, (url, page)


NAMES = ("甘孜藏族自治州人民政府办公室", "甘孜藏族自治州人民政府", "甘孜藏族自治州")


@pytest.mark.parametrize(("title", "lines"), [
    # after the issuing body's name, before 关于, never between 2027年 and 度
    ("甘孜藏族自治州人民政府关于2026—2027年度森林草原防火期有关事项的通告",
     ["甘孜藏族自治州人民政府", "关于2026—2027年度森林", "草原防火期有关事项的通告"]),
    ("甘孜藏族自治州人民政府办公室关于做好2026年冬季农牧民工返乡就业创业服务工作的通知",
     ["甘孜藏族自治州人民政府办公室", "关于做好2026年冬季农牧民工", "返乡就业创业服务工作的通知"]),
    # a title of one line is left alone
    ("州长在全州第四季度经济工作推进会上的讲话", ["州长在全州第四季度经济工作推进会上的讲话"]),
])
def test_title_lines_even_and_words_whole(title: str, lines: list[str]) -> None:
    html = str(title_html(title, "zh", NAMES))
    assert [re.sub(r"<[^>]+>", "", line) for line in html.split("<br>")] == lines
    assert html.endswith('<span class="keep">' + lines[-1][-2:] + "</span>")


def test_names_absent_from_a_title_change_nothing() -> None:
    # Every agency and place of the registry is passed for every title; only those in it may count.
    title = "甘孜藏族自治州人民政府关于2026—2027年度森林草原防火期有关事项的通告"
    others = tuple(f"{place}县人民政府" for place in ("康定", "泸定", "丹巴", "九龙", "雅江", "道孚", "炉霍"))
    assert title_html(title, "zh", (*others, *NAMES, *others)) == title_html(title, "zh", NAMES)


def test_tibetan_title_keeps_its_last_two_syllables_together() -> None:
    html = str(title_html("དཀར་མཛེས་ཁུལ་སྲིད་གཞུང་གི་བརྡ་ཐོ།", "bo"))
    assert html.endswith('<span class="keep">བརྡ་ཐོ།</span>') and "<br>" not in html
