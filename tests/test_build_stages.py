"""`gazette build --only`: a stage not run keeps its last output only when that output was made from the
same content; otherwise it is dropped, so a document withdrawn since cannot survive in an old PDF or index."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from factory import ContentFactory
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
    leaks = [p for p in output.rglob("*") if p.is_file() and b"zqxwithdrawnbody" in p.read_bytes()]
    assert leaks == []
    # a full build brings the PDFs and the index back, without the withdrawn document
    assert build(content.root, output, ["pdf", "site", "search"]) == 0
    assert (output / "site/pdf/documents/kept.zh.pdf").is_file()
    assert not (output / "site/pdf/documents/withdrawn.zh.pdf").exists()


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
