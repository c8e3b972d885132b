"""PDFs are a function of their input: the same content gives the same bytes, and a build with nothing
changed renders nothing (the cache keyed by content); a change renders only what it touches."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from factory import ContentFactory
from gazette import urls
from gazette.checks import check_content
from gazette.labels import tibetan_digits
from gazette.pdf import build as pdf_build
from gazette.pdf.build import keyed_jobs
from gazette.publication import build_publication
from pdf_corpus import Built, build


@pytest.fixture
def first(issue_pdfs: Built) -> Built:
    return issue_pdfs


@pytest.fixture
def content(first: Built, tmp_path: Path) -> ContentFactory:
    """A copy of the issue's content, for a test to change."""
    shutil.copytree(first.site.parent.parent / "content", tmp_path / "content")
    return ContentFactory(tmp_path / "content", serial=100)


def test_identical_input_identical_bytes_and_no_font_copies_left(content: ContentFactory, first: Built, tmp_path: Path,
                                                               monkeypatch: pytest.MonkeyPatch) -> None:
    # Render an issue edition and a document again from scratch (their cache entries gone): the same bytes.
    # WeasyPrint copies the fonts (about 100 MB) into a temporary folder in each worker: it must go when the
    # worker ends, or every build leaves one behind and the disk fills.
    import tempfile

    from gazette.pdf import render

    temp = tmp_path / "tmp"
    temp.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(temp))  # the workers are forked: they inherit it
    monkeypatch.setattr(render, "_WORKER", render._Worker())  # a worker that has no fonts loaded yet
    output = tmp_path / "build"
    shutil.copytree(first.site.parent, output)
    cache = output / ".cache" / "pdf"
    again = ["2026-03.bo", "gz-notice.zh"]
    for name in again:
        shutil.rmtree(cache / name)
    # What a worker killed with its build left: the workers' temporary files go under the output's cache,
    # where the next pool removes them (in /tmp, 100 MB stayed for good at each kill).
    killed = output / ".cache" / "pdf-scratch" / "weasyprint-killed"
    killed.mkdir(parents=True)
    (killed / "font.otf").write_bytes(b"\0" * 1024)
    second = build(content.root, output)
    assert sorted(r.name for r in second.report.rendered) == again
    assert set(first.report.files) == set(second.report.files)
    for url in first.report.files:
        assert first.pdf(url).read_bytes() == second.pdf(url).read_bytes(), url
    assert list(temp.iterdir()) == []
    assert not (output / ".cache" / "pdf-scratch").exists()


def test_second_build_renders_nothing_and_a_change_renders_only_what_it_touches(
        content: ContentFactory, first: Built, tmp_path: Path) -> None:
    output = tmp_path / "build"
    shutil.copytree(first.site.parent, output)  # the first build's output and its cache
    # the issue in 2 editions, documents in 2, the application form in 2 (rendered, or taken from the
    # test process's shared copy: conftest.shared_form_pdfs)
    jobs = len(first.report.rendered) + len(first.report.cached)
    assert jobs == 2 + 2 * len(first.publication.full_documents()) + 2
    first_bytes = {url: first.pdf(url).read_bytes() for url in first.report.files}

    # the next build's staging folder is new: the PDFs come from the cache, byte for byte
    second = build(content.root, output)
    assert second.report.rendered == [] and len(second.report.cached) == jobs
    assert {url: second.pdf(url).read_bytes() for url in second.report.files} == first_bytes

    # a translation changes: its PDF and the issue's Tibetan edition are rendered again, nothing else (a
    # PDF is keyed by what it prints); the Chinese PDFs stay as they were, the Tibetan ones change
    content.translation("gz-office", title="ཁུལ་སྲིད་གཞུང་གཞུང་ལས་ཁང་གི་བརྡ་ཐོ།", body="ཡིག་ཆ་གསར་པ། བསྒྲུབས་དགོས།\n")
    third = build(content.root, output)
    assert sorted(r.name for r in third.report.rendered) == ["2026-03.bo", "gz-office.bo"]
    assert third.report.pruned == 3  # the replaced entries: the issue edition, its PDF/A copy, the document
    issue = third.publication.issues[0]
    for url, changed in ((urls.issue_pdf(issue.year, issue.number, "bo"), True),
                         (urls.document_pdf("gz-office", "bo"), True),
                         (urls.issue_pdf(issue.year, issue.number, "zh"), False),
                         (urls.document_pdf("gz-office", "zh"), False)):
        assert (third.pdf(url).read_bytes() != first_bytes[url]) is changed, url

    # the settings that shape a PDF are part of every key: with the digits flipped, nothing is cached
    cache = pdf_build.PdfCache(output / ".cache" / "pdf")  # as the build sees it
    assert all(cache.has(job.name, key, job.outputs) for job, key in keyed_jobs(third.publication, third.settings))
    settings = dict(third.settings, GAZETTE_TIBETAN_DIGITS=not tibetan_digits(third.settings))
    assert not any(cache.has(job.name, key, job.outputs) for job, key in keyed_jobs(third.publication, settings))


def _edit(content: ContentFactory, rel: str, old: str, new: str) -> None:
    path = content.root / rel
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def _keys(content: ContentFactory, settings: dict) -> dict[str, str]:
    """Each PDF job's cache key for the content as it is now (the key a build renders or finds by)."""
    corpus, _ = check_content(content.root, settings)
    return {job.name: key for job, key in keyed_jobs(build_publication(corpus), settings)}


def _changed(before: dict[str, str], after: dict[str, str]) -> list[str]:
    assert after.keys() == before.keys()
    return sorted(name for name in before if after[name] != before[name])


def test_a_pdf_is_rendered_again_only_when_what_it_prints_changed(content: ContentFactory, first: Built) -> None:
    """Compared by key, without rendering: a build renders exactly the jobs whose key it does not find
    (test_second_build_renders_nothing_and_a_change_renders_only_what_it_touches renders by them)."""
    keys = {job.name: key for job, key in keyed_jobs(first.publication, first.settings)}
    assert _keys(content, first.settings) == keys  # the copy of the content is the content built

    # the Chinese body of a translated document: its Chinese PDF and the Chinese edition, not the Tibetan ones
    _edit(content, "documents/2026/gz-notice.zh.md", "加强组织领导", "切实加强组织领导")
    zh_keys = _keys(content, first.settings)
    assert _changed(keys, zh_keys) == ["2026-03.zh", "gz-notice.zh"]

    # the document number, which the Tibetan PDF prints too (metadata table, the issue's document heading):
    # the keys of both languages change, so both are rendered again
    _edit(content, "documents/2026/gz-notice.zh.md", "甘府发〔2026〕3号", "甘府发〔2026〕4号")
    assert _changed(zh_keys, _keys(content, first.settings)) == ["2026-03.bo", "2026-03.zh", "gz-notice.bo",
                                                                 "gz-notice.zh"]


def test_the_print_fonts_are_hashed_again_only_when_one_changed(tmp_path: Path, monkeypatch) -> None:
    """The fonts' checksum (in every PDF's key) follows their bytes; unchanged, they are not read again."""
    import hashlib
    import os

    from gazette import build_inputs
    from gazette.config import GazetteConfig
    from gazette.fonts import print_fonts_checksum
    from gazette.settings import load_settings

    monkeypatch.setattr(build_inputs, "RACY_SECONDS", 0.0)
    hashed: list[int] = []

    def counted(*data: bytes):  # type: ignore[no-untyped-def]
        hashed.append(1)
        return hashlib.sha256(*data)

    monkeypatch.setattr(build_inputs, "FILE_HASH", counted)
    installed = GazetteConfig.from_settings(load_settings(None, {})).fonts
    folder = tmp_path / "fonts"
    folder.mkdir()
    for path in installed.iterdir():
        os.link(path, folder / path.name)
    first = print_fonts_checksum(folder)
    assert hashed
    hashed.clear()
    assert print_fonts_checksum(folder) == first and not hashed  # nothing read again
    tibetan = folder / "TibetanMachineUni.ttf"
    original = tibetan.read_bytes()
    tibetan.unlink()
    tibetan.write_bytes(original[:-1] + bytes([original[-1] ^ 1]))  # another file, one byte changed
    assert print_fonts_checksum(folder) != first and len(hashed) == 1
    tibetan.write_bytes(original)  # the same file written again: its stamp changes, its bytes are the first
    assert print_fonts_checksum(folder) == first
