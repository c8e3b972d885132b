"""Incremental index builds through `gazette build --only search`: a change rewrites its own entries only,
and what is deleted or no longer public leaves no trace in the index files."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from gazette.build import build, run_build
from gazette.search.index import VERSION_FILE, SearchIndex
from gazette.search.query import parse_request, run


def _build(content, output: Path, capsys: pytest.CaptureFixture[str]) -> tuple[int, int, bool]:
    result = run_build(content.root, output, ["search"], force=True)  # the stage's own keys, not the digest
    assert result.status == 0
    report = result.reports["search"]
    return report.written, report.removed, report.rebuilt


def _keys(output: Path, q: str) -> set[str]:
    index = SearchIndex.open(output / "search-index")
    assert index is not None
    return {h.key for h in run(index, parse_request({"q": q, "size": "50"})).hits}


def _files(output: Path) -> bytes:
    return b"".join(p.read_bytes() for p in (output / "search-index").rglob("*") if p.is_file())


@pytest.fixture
def corpus(content):
    for i in range(6):
        content.document(f"doc-{i}", body=f"第{i}号文件正文。zqxoriginal{i}")
    content.translation("doc-0", body="ཡིག་ཆ་དང་པོའི་ནང་དོན།\n")
    return content


def test_changing_one_document_rewrites_only_its_entry(corpus, tmp_path, capsys):
    output = tmp_path / "build"
    assert _build(corpus, output, capsys) == (7, 0, True)
    assert _build(corpus, output, capsys) == (0, 0, False)  # nothing changed, nothing written

    corpus.document("doc-3", body="第3号文件已修订。zqxrevised3")
    assert _build(corpus, output, capsys) == (1, 0, False)
    assert _keys(output, "zqxrevised3") == {"doc:doc-3:zh"}
    assert _keys(output, "zqxoriginal3") == set()
    assert b"zqxoriginal3" not in _files(output)  # the old text is purged, not only marked deleted
    assert _keys(output, "zqxoriginal4") == {"doc:doc-4:zh"}  # the others are still there


def test_a_translation_changes_the_entries_of_its_document(corpus, tmp_path, capsys):
    output = tmp_path / "build"
    _build(corpus, output, capsys)
    corpus.translation("doc-1", body="ཡིག་ཆ་གཉིས་པའི་ནང་དོན།\n")
    assert _build(corpus, output, capsys) == (2, 0, False)  # doc-1 in zh (its hash) and its new bo entry
    assert _keys(output, "གཉིས་པ") == {"doc:doc-1:bo"}


def test_a_deleted_document_leaves_the_index(corpus, tmp_path, capsys):
    output = tmp_path / "build"
    _build(corpus, output, capsys)
    (corpus.root / "documents" / "2026" / "doc-0.zh.md").unlink()
    (corpus.root / "documents" / "2026" / "doc-0.bo.md").unlink()
    assert _build(corpus, output, capsys) == (0, 2, False)
    assert _keys(output, "zqxoriginal0") == set()
    assert b"zqxoriginal0" not in _files(output)


def test_a_document_made_on_request_keeps_its_metadata_and_loses_its_body(corpus, tmp_path, capsys):
    output = tmp_path / "build"
    _build(corpus, output, capsys)
    corpus.document("doc-2", body="第2号文件正文。zqxoriginal2", disclosure="依申请公开")
    assert _build(corpus, output, capsys) == (1, 0, False)
    assert _keys(output, "zqxoriginal2") == set()
    assert b"zqxoriginal2" not in _files(output)
    assert _keys(output, "关于doc-2的通知") == {"doc:doc-2:zh"}


def test_joining_an_issue_rewrites_the_entry_though_the_document_is_unchanged(corpus, tmp_path, capsys):
    output = tmp_path / "build"
    _build(corpus, output, capsys)
    corpus.translation("doc-4", body="ཡིག་ཆ་ལྔ་པའི་ནང་དོན།\n")
    _build(corpus, output, capsys)
    corpus.issue(2026, 3, [{"section": "prefecture-documents", "items": ["doc-4"]}])
    assert _build(corpus, output, capsys) == (2, 0, False)  # doc-4 in zh and bo: its issue is stored


def test_an_index_of_another_analyser_version_is_rebuilt(corpus, tmp_path, capsys):
    output = tmp_path / "build"
    _build(corpus, output, capsys)
    version_file = output / "search-index" / VERSION_FILE
    version_file.write_text(json.dumps({**json.loads(version_file.read_text()), "analysis": 0}))
    assert _build(corpus, output, capsys) == (7, 0, True)


def test_a_failed_build_leaves_the_last_index(corpus, tmp_path, capsys):
    output = tmp_path / "build"
    _build(corpus, output, capsys)
    corpus.document("doc-5", body="正文", secrecy="秘密")  # stops the build
    assert build(corpus.root, output, ["search"]) == 1
    assert _keys(output, "zqxoriginal5") == {"doc:doc-5:zh"}


def test_small_segments_from_many_builds_are_merged(corpus, tmp_path, monkeypatch):
    import gazette.search.index as index
    from gazette.search.index import IndexWriter

    SMALL_SEGMENTS = 3  # the rule, not the number: fewer builds to reach it
    monkeypatch.setattr(index, "SMALL_SEGMENTS", SMALL_SEGMENTS)
    output = tmp_path / "build"
    assert build(corpus.root, output, ["search"]) == 0
    for i in range(SMALL_SEGMENTS + 3):
        corpus.document(f"new-{i}", body=f"新增文件{i}。")
        assert build(corpus.root, output, ["search"]) == 0
    writer = IndexWriter.open(output / "search-index")
    assert writer.segment_count() <= SMALL_SEGMENTS + 1
    writer.close()
    assert len(_keys(output, "新增文件")) == SMALL_SEGMENTS + 3


def test_segments_are_separate_files_not_compound(corpus, tmp_path, capsys):
    # Whoosh copies every file of a compound segment into memory for each searcher (one a thread);
    # separate segment files are read through the OS cache instead.
    output = tmp_path / "build"
    _build(corpus, output, capsys)
    corpus.document("doc-2", body="第2号文件已修订。")
    _build(corpus, output, capsys)
    names = [p.name for p in (output / "search-index").iterdir()]
    assert any(name.endswith(".pst") for name in names)
    assert not any(name.endswith(".seg") for name in names)


def test_an_update_never_changes_the_last_index(corpus, tmp_path):
    # The staging index shares segment files with the last good one (hard links): an update must leave
    # every file of the last index as it was, so a failed build can still fall back on it.
    from gazette.build import build as run_build
    from gazette.search.build import entries as public_entries
    from gazette.search.build import update_index

    output = tmp_path / "build"
    assert run_build(corpus.root, output, ["search"]) == 0
    previous = output / "search-index"
    before = {p.name: p.read_bytes() for p in previous.iterdir() if p.is_file()}
    corpus.document("doc-1", body="第1号文件已修订。zqxrevised1")
    from gazette.checks import check_content
    from gazette.publication import build_publication

    wanted = list(public_entries(build_publication(check_content(corpus.root)[0])))
    stats = update_index(tmp_path / "staging", previous, wanted)
    assert stats.written == 1 and not stats.rebuilt
    after = {p.name: p.read_bytes() for p in previous.iterdir() if p.is_file()}
    assert after == before
