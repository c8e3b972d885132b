"""`gazette build --only`: a stage not run keeps its last output only when that output was made from the
same content; otherwise it is dropped, so a document withdrawn since cannot survive in an old PDF or index."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from factory import ROOT, ContentFactory
from gazette import generations
from gazette.build import build


@pytest.fixture(scope="module")
def first_build(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One full build for the module; each test works on its own copy."""
    root = tmp_path_factory.mktemp("stages")
    content = ContentFactory(root / "content")
    content.document("kept", title="甘孜藏族自治州人民政府关于保留文件的通知")
    content.document("withdrawn", title="甘孜藏族自治州人民政府关于即将撤回文件的通知", body="zqxwithdrawnbody")
    assert build(content.root, root / "build", ["pdf", "site", "search"]) == 0
    assert (root / "build/site/pdf/documents/withdrawn.zh.pdf").is_file()
    assert (root / "build/search-index").is_dir()
    return root


@pytest.fixture
def built(first_build: Path, tmp_path: Path) -> tuple[ContentFactory, Path]:
    shutil.copytree(first_build, tmp_path / "copy", symlinks=True)
    return ContentFactory(tmp_path / "copy" / "content", serial=2), tmp_path / "copy" / "build"


def test_unchanged_content_keeps_the_other_stages(built: tuple[ContentFactory, Path]) -> None:
    content, output = built
    assert build(content.root, output, ["site"]) == 0
    assert (output / "site/pdf/documents/kept.zh.pdf").is_file()
    assert (output / "search-index").is_dir()
    # the site built this time links the PDFs it kept
    assert "/pdf/documents/kept.zh.pdf" in (output / "site/zh/documents/kept/index.html").read_text(encoding="utf-8")


def test_changed_content_drops_stale_outputs(built: tuple[ContentFactory, Path]) -> None:
    content, output = built
    content.document("withdrawn", disclosure="不予公开", withheld_reason="过程性信息", secrecy_review=None,
                     body="zqxwithdrawnbody", index_no="S00000001/2026-00002")
    assert build(content.root, output, ["site"]) == 0
    assert not (output / "site/pdf").exists()
    assert not (output / "search-index").exists()
    assert not (output / "site/zh/documents/withdrawn").exists()
    generations.wait_for_removals()  # the replaced generation, removed after the switch
    leaks = [p for p in output.rglob("*") if p.is_file() and b"zqxwithdrawnbody" in p.read_bytes()]
    assert leaks == []
    # a full build brings the PDFs and the index back, without the withdrawn document
    assert build(content.root, output, ["pdf", "site", "search"]) == 0
    assert (output / "site/pdf/documents/kept.zh.pdf").is_file()
    assert not (output / "site/pdf/documents/withdrawn.zh.pdf").exists()


def _terms(index: Path) -> set[str]:
    """The canary words a tantivy index folder holds (its files are compressed: read through tantivy)."""
    import tantivy

    searcher = tantivy.Index.open(str(index)).searcher()
    return {term for field in ("title", "body", "meta") for term, _ in searcher.terms_with_prefix(field, "zqx")}


def test_tantivys_bucket_store_keeps_no_withdrawn_text(built: tuple[ContentFactory, Path], tmp_path: Path) -> None:
    """tantivy keeps its buckets between builds in the cache, outside the generations: a withdrawn
    document's text leaves it with the update that withdraws it, and the store goes with an index not kept."""
    content, output = built
    settings = tmp_path / "settings.py"
    settings.write_text(f"exec(open({str(ROOT / 'pelicanconf.py')!r}, encoding='utf-8').read())\n"
                        f"THEME = {str(ROOT / 'themes' / 'gazette')!r}\nGAZETTE_SEARCH_ENGINE = 'tantivy'\n",
                        encoding="utf-8")
    store = output / ".cache" / "search-buckets"
    assert build(content.root, output, ["site", "search"], str(settings)) == 0
    assert "zqxwithdrawnbody" in _terms(store) and "zqxwithdrawnbody" in _terms(output / "search-index")
    content.document("withdrawn", disclosure="不予公开", withheld_reason="过程性信息", secrecy_review=None,
                     body="zqxwithdrawnbody", index_no="S00000001/2026-00002")
    assert build(content.root, output, ["site", "search"], str(settings)) == 0
    assert "zqxwithdrawnbody" not in _terms(store) | _terms(output / "search-index")
    # the record of what the entries were made from lists the kept document's alone
    record = (output / "search-index/gazette-entries.json").read_text(encoding="utf-8")
    assert "doc:kept:zh" in record and "withdrawn" not in record
    assert len(list(store.glob("*.entries.json"))) == len(json.loads(
        (output / "search-index/gazette-segments.json").read_text(encoding="utf-8"))["segments"])
    content.document("kept", title="甘孜藏族自治州人民政府关于保留文件的通知（修订）")
    assert build(content.root, output, ["site"], str(settings)) == 0  # the index is not kept: nor its store
    assert not store.exists() and not (output / "search-index").exists()


def test_a_failing_stage_leaves_the_last_good_output(built: tuple[ContentFactory, Path],
                                                     monkeypatch: pytest.MonkeyPatch,
                                                     capsys: pytest.CaptureFixture[str]) -> None:
    import gazette.build as build_module

    content, output = built
    before = {p: p.read_bytes() for p in (output / "site").rglob("*") if p.is_file()}
    content.document("kept", title="甘孜藏族自治州人民政府关于保留文件的通知（修订）")

    def broken(*args: object) -> None:
        raise OSError("disk full")

    real = build_module._stage
    monkeypatch.setattr(build_module, "_stage", lambda name: broken if name == "search" else real(name))
    capsys.readouterr()
    assert build(content.root, output, ["pdf", "site", "search"]) == 1
    err = capsys.readouterr().err
    assert "disk full" in err and "Traceback" not in err
    assert "Traceback" in (output / ".cache" / "last-failure.txt").read_text(encoding="utf-8")
    after = {p: p.read_bytes() for p in (output / "site").rglob("*") if p.is_file()}
    assert after == before
    # nothing of the failed build is left: only the generation of the last good one
    assert [p.name for p in (output / ".generations").iterdir()] == [(output / "current").resolve().name]


def test_what_each_output_was_made_from_switches_with_it(built: tuple[ContentFactory, Path]) -> None:
    # Recorded in the generation beside the outputs, so a build killed after the switch cannot leave a
    # record that vouches for outputs made from other content.
    content, output = built
    made_from = json.loads((output / "current" / "outputs.json").read_text(encoding="utf-8"))
    assert set(made_from) == {"pdf", "site", "search"}
    assert not (output / ".cache" / "outputs.json").exists()
    content.document("kept", title="甘孜藏族自治州人民政府关于保留文件的通知（修订）")
    assert build(content.root, output, ["site"]) == 0
    assert set(json.loads((output / "current" / "outputs.json").read_text(encoding="utf-8"))) == {"site"}


def _live(output: Path) -> str:
    return (output / "current").resolve().name


def test_nothing_changed_writes_nothing(built: tuple[ContentFactory, Path]) -> None:
    from gazette.build import run_build

    content, output = built
    generation = _live(output)
    page = output / "site/zh/documents/kept/index.html"
    inode = page.stat().st_ino
    result = run_build(content.root, output, ["pdf", "site", "search"])
    assert result.status == 0 and result.unchanged
    assert _live(output) == generation and page.stat().st_ino == inode


def test_a_withdrawn_document_is_never_taken_as_unchanged(built: tuple[ContentFactory, Path]) -> None:
    from gazette.build import run_build

    content, output = built
    assert run_build(content.root, output, ["pdf", "site", "search"]).unchanged
    content.document("withdrawn", disclosure="不予公开", withheld_reason="过程性信息", secrecy_review=None,
                     body="zqxwithdrawnbody", index_no="S00000001/2026-00002")
    result = run_build(content.root, output, ["pdf", "site", "search"])
    assert result.status == 0 and not result.unchanged
    assert not (output / "site/zh/documents/withdrawn").exists()


@pytest.mark.parametrize("change", ["content", "new-file", "theme", "code", "settings", "environment", "stages",
                                    "day"])
def test_any_change_of_an_input_changes_the_digest(change: str, tmp_path: Path,
                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    import gazette.build_inputs as build_inputs

    content, theme, code = tmp_path / "content", tmp_path / "theme", tmp_path / "code"
    for folder in (content / "documents", theme / "templates", code):
        folder.mkdir(parents=True)
    (content / "documents" / "a.zh.md").write_text("---\ntitle: a\n---\n正文", encoding="utf-8")
    (theme / "templates" / "base.html").write_text("<html>", encoding="utf-8")
    (code / "rule.py").write_text("X = 1\n", encoding="utf-8")
    settings = tmp_path / "pelicanconf.py"
    settings.write_text("THEME = 'theme'\n", encoding="utf-8")
    real = build_inputs.code_folders
    monkeypatch.setattr(build_inputs, "code_folders", lambda: [*real(), code])
    only, today = ["site"], "2026-11-22"
    before = build_inputs.compute(content, settings, [theme], only, today)
    assert before is not None
    assert build_inputs.compute(content, settings, [theme], only, today, before).digest == before.digest
    if change == "content":
        (content / "documents" / "a.zh.md").write_text("---\ntitle: a\n---\n正文。", encoding="utf-8")
    elif change == "new-file":
        (content / "documents" / "b.zh.md").write_text("", encoding="utf-8")
    elif change == "theme":
        (theme / "templates" / "base.html").write_text("<html lang=zh>", encoding="utf-8")
    elif change == "code":
        (code / "rule.py").write_text("X = 2\n", encoding="utf-8")
    elif change == "settings":
        (tmp_path / "publishconf.py").write_text("from pelicanconf import *\n", encoding="utf-8")
    elif change == "environment":
        monkeypatch.setenv("GAZETTE_SITEURL", "https://elsewhere.example.gov.cn")
    elif change == "stages":
        only = ["site", "search"]
    else:
        today = "2026-11-23"
    after = build_inputs.compute(content, settings, [theme], only, today, before)
    assert after is not None and after.digest != before.digest


def test_a_password_in_the_environment_is_not_in_the_digest(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import gazette.build_inputs as build_inputs

    (tmp_path / "content").mkdir()
    before = build_inputs.compute(tmp_path / "content", None, [], ["site"], "2026-11-22")
    monkeypatch.setenv("GAZETTE_SEAL_PASSWORD", "123456")
    after = build_inputs.compute(tmp_path / "content", None, [], ["site"], "2026-11-22")
    assert before is not None and after is not None and after.digest == before.digest


def test_a_refused_content_folder_is_never_taken_as_unchanged(built: tuple[ContentFactory, Path]) -> None:
    from gazette.build import run_build

    content, output = built
    assert run_build(content.root, output, ["site"]).status == 0
    (content.root / "images").mkdir(exist_ok=True)
    (content.root / "images" / "passwd.jpg").symlink_to("/etc/passwd")
    assert run_build(content.root, output, ["site"]).status == 1


@pytest.mark.parametrize("size", ["small", "large"])
def test_a_file_rewritten_with_its_old_times_is_read_again(tmp_path: Path, size: str,
                                                           monkeypatch: pytest.MonkeyPatch) -> None:
    """A large file's digest is kept with its stat (recorded), a small one's in the process's memory; a
    file rewritten with the same size and modification time is read again all the same (its change time
    moved)."""
    import os

    import gazette.build_inputs as build_inputs

    # The file is written just now: not racy only if nothing is (its change time cannot be set back).
    monkeypatch.setattr(build_inputs, "RACY_SECONDS", 0.0)
    content = tmp_path / "content"
    content.mkdir()
    big = content / "big.bin"
    length = build_inputs.STAT_CACHED + 10 if size == "large" else 100
    big.write_bytes(b"a" * length)
    old = os.stat(big)
    os.utime(big, ns=(old.st_atime_ns, old.st_mtime_ns - 10**10))
    first = build_inputs.compute(content, None, [], ["site"], "2026-11-22")
    assert first is not None
    if size == "large":
        assert str(big.resolve()) in first.stats
    else:
        assert str(big.resolve()) in build_inputs._SEEN_SMALL
    assert build_inputs.compute(content, None, [], ["site"], "2026-11-22", first).digest == first.digest
    stamp = os.stat(big)
    big.write_bytes(b"b" * length)  # same size
    os.utime(big, ns=(stamp.st_atime_ns, stamp.st_mtime_ns))  # and the same modification time
    assert build_inputs.compute(content, None, [], ["site"], "2026-11-22", first).digest != first.digest
