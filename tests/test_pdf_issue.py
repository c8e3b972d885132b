"""The printed gazette, read back from the PDFs of a small issue built through the real build stage."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from gazette import urls
from gazette.labels import Labels
from gazette.pdf import readback
from gazette.pdf.furniture import Furniture
from pdf_corpus import ON_REQUEST_PHRASE, WITHHELD_PHRASE, Built


@pytest.fixture(scope="module")
def built(issue_pdfs: Built) -> Built:
    return issue_pdfs


EDITIONS = ("zh", "bo")


def _issue_pdf(built: Built, lang: str) -> Path:
    issue = built.publication.issues[0]
    return built.pdf(urls.issue_pdf(issue.year, issue.number, lang))


@pytest.mark.parametrize("lang", EDITIONS)
def test_issue_pages_in_print_order(built: Built, lang: str) -> None:
    issue = built.publication.issues[0]
    path = _issue_pdf(built, lang)
    pages = readback.page_texts(path)
    flat = [readback.normalise(p) for p in pages]
    name = readback.normalise(built.settings["GAZETTE_NAME"][lang])
    other = readback.normalise(built.settings["GAZETTE_NAME"]["bo" if lang == "zh" else "zh"])
    # 封面: both names; 封二: the inside-front caption; then the contents
    assert name in flat[0] and other in flat[0]
    assert readback.normalise(issue.inside_front[0].caption(lang)) in flat[1]
    assert flat[2].startswith(readback.normalise("目　录" if lang == "zh" else "དཀར་ཆག"))
    # 封三 then 封底 with the masthead close the issue, on the two faces of the last leaf
    assert readback.normalise(issue.inside_back[0].caption(lang)) in flat[-2]
    assert readback.normalise(built.settings["GAZETTE_MASTHEAD"]["free"][lang]) in flat[-1]
    assert len(pages) % 2 == 0
    # the documents follow the sections' print order, each section title before its documents
    positions = []
    for entry, docs in issue.sections:
        label = readback.normalise(entry.label(lang))
        positions.append(next(i for i, p in enumerate(flat) if i > 2 and label in p))
        for doc in docs:
            positions.append(next(i for i, p in enumerate(flat)
                                  if i > 2 and readback.normalise(doc.text(lang).title) in p))
    assert positions == sorted(positions)
    # the body's pages are numbered from 1, covers and contents are not
    folios = [readback.folio(p) for p in pages]
    numbered = [f for f in folios if f is not None]
    assert numbered == list(range(1, len(numbered) + 1))
    assert folios[0] is folios[1] is folios[2] is None and folios[-1] is folios[-2] is None


@pytest.mark.parametrize("lang", EDITIONS)
def test_contents_page_numbers_are_where_documents_start(built: Built, lang: str) -> None:
    path = _issue_pdf(built, lang)
    pages = readback.page_texts(path)
    contents = pages[2]
    marks = {b.title: b.page for b in readback.bookmarks(path)}
    for doc in built.publication.issues[0].documents():
        title = doc.text(lang).title
        listed = re.search(re.escape(title) + r"[\s.]*([0-9༠-༩]+)", contents)
        assert listed, f"{title} not in the contents"
        start = next(i for i in range(3, len(pages))
                     if readback.normalise(title) in readback.normalise(readback.text_block(path, i + 1)))
        assert readback.folio(pages[start]) == readback.arabic(listed[1])
        assert marks[title] == start + 1  # the bookmark opens the same page
        if lang == "bo" and Labels.from_settings(built.settings).tibetan_digits:
            assert not re.search(r"[0-9]", listed[1]) and not re.search(r"—\s*[0-9]", pages[start])


def test_chinese_measure_is_28_characters_by_22_lines(built: Built) -> None:
    """GB/T 9704: a full page of body text holds 22 lines of 28 characters."""
    path = built.pdf(urls.document_pdf("gz-notice", "zh"))
    assert readback.page_count(path) >= 3
    lines = [line.strip() for line in readback.text_block(path, 2).splitlines() if line.strip()]
    assert len(lines) == 22  # page 2 lies inside the long paragraph
    lengths = [len(line) for line in lines]
    assert max(lengths) == 28 and lengths.count(28) >= 18  # a line may end early rather than start with "，"


@pytest.mark.parametrize("lang", EDITIONS)
def test_bookmarks_and_metadata(built: Built, lang: str) -> None:
    issue = built.publication.issues[0]
    path = _issue_pdf(built, lang)
    marks = readback.bookmarks(path)
    sections = [m.title for m in marks if m.level == 1][1:]  # after the contents
    assert sections == [entry.label(lang) for entry, _ in issue.sections]
    assert [m.title for m in marks if m.level == 2] == [d.text(lang).title for d in issue.documents()]
    info = readback.metadata(path)
    assert info["Lang"] == lang
    assert info["Title"].startswith(built.settings["GAZETTE_NAME"][lang])
    assert info["CreationDate"].startswith("D:" + issue.date.strftime("%Y%m%d"))
    assert info["ModDate"] == info["CreationDate"]


def test_every_font_embedded_and_only_the_pinned_ones(built: Built) -> None:
    for url in built.report.files:
        found = readback.fonts(built.pdf(url))
        assert found, url
        for font in found:
            assert font.embedded and font.unicode, (url, font)
            assert font.name.split("+")[-1].startswith("Gazette-"), (url, font.name)


def test_text_round_trip_in_both_scripts(built: Built) -> None:
    """Every block of text (title, heading, paragraph, list item) comes out of pdftotext as written, in
    order, whitespace aside; the layout may only add between blocks (list numbers, running heads)."""
    issue = built.publication.issues[0]
    for lang in EDITIONS:
        issue_text = readback.body_text(_issue_pdf(built, lang))
        for doc in built.publication.full_documents():
            if not doc.translated(lang):
                continue
            source = doc.text(lang)
            blocks = [source.title, *readback.text_blocks(source.html)]
            assert len(blocks) > 1 and (lang != "bo" or re.search("[\u0f00-\u0fff]", source.text))
            document_text = readback.body_text(built.pdf(urls.document_pdf(doc.slug, lang)))
            assert readback.missing_blocks(document_text, blocks) == [], (doc.slug, lang)
            assert readback.normalise(source.text) in readback.normalise(readback.strip_list_numbers(
                document_text)), (doc.slug, lang)
            if doc in issue.documents():
                assert readback.missing_blocks(issue_text, blocks) == [], (doc.slug, lang)


def test_sign_off_once_and_only_for_official_documents(built: Built) -> None:
    """公文 close with the issuer and date: printed from the metadata unless the text already has them."""
    for lang in EDITIONS:
        furniture = Furniture(lang, built.settings)
        for slug, official in (("gz-notice", True), ("gz-office", True), ("gz-speech", False)):
            doc = built.publication.documents[slug]
            text = readback.normalise(readback.body_text(built.pdf(urls.document_pdf(slug, lang))))
            text = text.split(readback.normalise(doc.text(lang).title), 1)[1]  # after the metadata table
            own = readback.normalise(furniture.date(doc.signed))
            typed = readback.normalise("2026年3月2日" if lang == "zh" else "༢༠༢༦ལོའི་ཟླ་༣པའི་ཚེས་༢ཉིན།")
            dates = text.count(own) + (text.count(typed) if typed != own else 0)
            assert dates == (1 if official else 0), (slug, lang)


def test_tibetan_edition_furniture_in_tibetan(built: Built) -> None:
    issue = built.publication.issues[0]
    path = _issue_pdf(built, "bo")
    pages = readback.page_texts(path)
    year = Labels.from_settings(built.settings).digits(issue.year, "bo")
    assert year in pages[0]
    first_body_page = next(i for i, p in enumerate(pages) if readback.folio(p) == 1) + 1
    head = readback.normalise(readback.running_head(path, first_body_page))
    assert not re.search(r"[\u4e00-\u9fff]", head) and year in head
    assert readback.normalise(built.settings["GAZETTE_NAME"]["bo"]) in head
    assert "目录" not in readback.normalise("".join(pages))


def test_on_request_and_withheld_documents_never_print(built: Built) -> None:
    for slug in ("gz-request", "gz-withheld"):
        for lang in EDITIONS:
            assert not built.pdf(urls.document_pdf(slug, lang)).exists()
            assert urls.document_pdf(slug, lang) not in built.report.files
    every_text = "".join(readback.normalise("".join(readback.page_texts(built.pdf(url))))
                         for url in built.report.files)
    assert readback.normalise(ON_REQUEST_PHRASE) not in every_text
    assert readback.normalise(WITHHELD_PHRASE) not in every_text
    # while the public documents are there: the search above can find text
    assert readback.normalise("加强组织领导，落实工作责任") in every_text


def test_the_expected_files_and_an_archive_copy(built: Built) -> None:
    issue = built.publication.issues[0]
    expected = {urls.issue_pdf(issue.year, issue.number, lang) for lang in EDITIONS}
    expected |= {urls.issue_pdfa(issue.year, issue.number, lang) for lang in EDITIONS}
    expected |= {urls.document_pdf(d.slug, lang) for d in built.publication.full_documents()
                 for lang in EDITIONS if d.translated(lang)}
    expected |= {urls.application_form_pdf(lang) for lang in EDITIONS}
    assert set(built.report.files) == expected
    for url, size in built.report.files.items():
        assert built.pdf(url).stat().st_size == size > 0
    archive = built.pdf(urls.issue_pdfa(issue.year, issue.number, "zh"))
    assert readback.archive_conformance(archive) == ("3", "B")
    assert readback.archive_conformance(_issue_pdf(built, "zh")) == ("", "")
    assert readback.page_count(archive) == readback.page_count(_issue_pdf(built, "zh"))


@pytest.mark.parametrize("lang", EDITIONS)
def test_application_form_is_one_a4_page_with_boxes_and_the_office(built: Built, lang: str) -> None:
    """The 申请表 the request page offers, printed by the build: one A4 page in the edition's language, its
    field labels the site's own, ruled boxes to write in, the receiving office from the settings."""
    from gazette import application_form
    from gazette.theme import translations

    path = built.pdf(urls.application_form_pdf(lang))
    assert readback.page_count(path) == 1
    text = readback.normalise(readback.page_texts(path)[0])
    words = translations(built.settings, lang)
    labels = [words.gettext(f.label) for group in application_form.APPLICANT for f in group.fields]
    labels += [words.gettext(f.label) for f in application_form.REQUEST]
    labels += [words.gettext("Application for government information disclosure")]
    assert [label for label in labels if readback.normalise(label) not in text] == []
    # the office, read as laid out (a value wrapped in its column continues on the next line)
    import subprocess

    laid_out = subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True,
                              check=True).stdout
    joined = re.sub(r"\s+", "", laid_out)
    office = built.settings["GAZETTE_REQUEST_OFFICE"]
    for value in (office["name"][lang], office["address"][lang], office["telephone"]):
        assert re.sub(r"\s+", "", value) in joined, value
    from pypdf import PdfReader

    box = PdfReader(path).pages[0].mediabox
    assert (round(float(box.width) / 72 * 25.4), round(float(box.height) / 72 * 25.4)) == (210, 297)
    # the borders across the whole width: the applicant's table (its top, between the citizen's and the
    # organisation's rows, its foot), each of the request's 4 rows, the box of the ways to submit it
    assert len(readback.rules(path, 1, dpi=100)) >= 3 + 5 + 2
