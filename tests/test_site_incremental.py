"""Pages are redrawn only when what they show changed, and an incremental build equals a fresh one, also
when it updates the spare tree (the build before last) in place."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

from factory import ContentFactory
from gazette import generations
from gazette.build import build, run_build
from site_corpus import build_site_corpus


def _tree(folder: Path) -> dict[str, bytes]:
    # A feed without entries is dated by its build: the one part of the site that depends on the time.
    return {p.relative_to(folder).as_posix(): re.sub(rb"<updated>[^<]*</updated></feed>", b"</feed>", p.read_bytes())
            for p in sorted(folder.rglob("*")) if p.is_file()}


def _folders(folder: Path) -> set[str]:
    return {p.relative_to(folder).as_posix() for p in folder.rglob("*") if p.is_dir()}


def _drawn(content: ContentFactory, output: Path, *, force: bool = False) -> tuple[int, int]:
    result = run_build(content.root, output, ["site"], force=force)
    assert result.status == 0
    return result.reports["site"].written, result.reports["site"].reused


def _same_as_fresh(content: ContentFactory, output: Path, fresh: Path) -> dict[str, bytes]:
    assert build(content.root, fresh, ["site"]) == 0
    incremental_tree, fresh_tree = _tree(output / "site"), _tree(fresh / "site")
    assert incremental_tree.keys() == fresh_tree.keys()
    # no folder left behind either (an attachment's folder is named by its document's slug)
    assert _folders(output / "site") == _folders(fresh / "site")
    assert [name for name in fresh_tree if incremental_tree[name] != fresh_tree[name]] == []
    return fresh_tree


def test_incremental_build_equals_fresh_build(content: ContentFactory, tmp_path: Path) -> None:
    build_site_corpus(content)
    output = tmp_path / "incremental"
    assert build(content.root, output, ["site"]) == 0
    # the site stage's own keys, not the digest; a new tree (the spare is not taken on its word)
    drawn, unchanged = _drawn(content, output, force=True)
    assert drawn == 0 and unchanged > 50
    assert generations.spare(output) is not None  # the first build's tree, kept for the next one

    # the spare updated: an edited title, a new translation, an added document, an edited body
    content.document("notice-b", signed="2026-03-05", published="2026-03-09",
                     secrecy_review={"by": "州政府办公室保密审查小组", "date": "2026-03-06"},
                     title="甘孜藏族自治州人民政府关于政府信息公开工作的补充通知（修订）", catalogue="rules.other",
                     index_no="S00000001/2026-00002")
    content.translation("notice-b", title="ཁ་སྐོང་བརྡ་ཐོ།")
    added = content.document("added-doc", index_no="S00000001/2026-00050", catalogue="rules.other",
                             title="甘孜藏族自治州人民政府关于新增文件的通知", body="新增文件正文。zqxaddedbody")
    county = {"issuer": ["kangding"], "index_no": "S00000101/2026-00001", "catalogue": "other.news",
              "genre": "article", "title": "康定市推进政务公开标准化建设",
              "attachments": [{"file": "attachments/2026/county-report/统计表.csv", "title": "公开情况统计表"}]}
    content.document("county-report", body="康定市政务公开情况。zqxcountybody", **county)
    taken = generations.spare(output)
    drawn, unchanged = _drawn(content, output)
    assert drawn > 0 and unchanged > 0
    assert taken is not None and not taken.exists()  # renamed: it is the tree now live
    assert generations.spare(output) is not None
    assert any("zqxcountybody" in v.decode(errors="ignore") for v in _same_as_fresh(content, output,
                                                                                   tmp_path / "fresh-1").values())

    # a document made 依申请公开, two removed (one the spare shows): the spare is updated, and the tree it
    # replaced (which showed them) is not kept
    content.document("county-report", body="康定市政务公开情况。zqxcountybody", disclosure="依申请公开",
                     **county)
    for path in (added, content.root / "documents/2025/old-rule.zh.md"):
        path.unlink()
    assert _drawn(content, output)[0] > 0
    fresh_tree = _same_as_fresh(content, output, tmp_path / "fresh-2")
    assert not any(slug in name for name in fresh_tree for slug in ("added-doc", "old-rule", "county-report/统计表"))
    generations.wait_for_removals()
    assert generations.spare(output) is None
    leaks = [p for p in output.rglob("*") if p.is_file() and not p.is_relative_to(output / ".cache")
             and (b"zqxcountybody" in p.read_bytes() or b"zqxaddedbody" in p.read_bytes())]
    assert leaks == []


def test_the_spare_trees_copied_files_are_kept_replaced_or_removed(content: ContentFactory, tmp_path: Path) -> None:
    """The spare tree keeps the attachments it holds with the listed bytes; one with other bytes is replaced
    (never written through: it may be a link to the live tree's file), and one no longer published goes
    with its folder."""
    rel = "attachments/2026/att-doc/表.csv"
    attached = {"attachments": [{"file": rel, "title": "统计表"}]}
    content.document("att-doc", **attached)
    content.document("other-doc")
    content.write(rel, "县,条数\n康定,1 zqxoldbytes\n")
    output = tmp_path / "out"
    assert build(content.root, output, ["site"]) == 0  # A
    content.document("other-doc", body="改动一。\n")
    assert build(content.root, output, ["site"]) == 0  # B, a new tree; A kept as the spare
    spare = generations.spare(output)
    assert spare is not None and (spare / "site" / rel).is_file()
    b_file = (output / "site" / rel).resolve()  # a link to A's file: the same bytes, one inode
    assert b_file.stat().st_ino == (spare / "site" / rel).stat().st_ino
    content.write(rel, "县,条数\n康定,2 zqxnewbytes\n")
    assert build(content.root, output, ["site"]) == 0  # C: A updated in place
    assert not spare.exists()
    assert b"zqxnewbytes" in (output / "site" / rel).read_bytes()
    assert b"zqxoldbytes" in b_file.read_bytes()  # B's file, not written through
    _same_as_fresh(content, output, tmp_path / "fresh-1")
    content.document("other-doc", body="改动二。\n")
    assert build(content.root, output, ["site"]) == 0  # D: B updated (it holds the old bytes)
    assert b"zqxnewbytes" in (output / "site" / rel).read_bytes()
    _same_as_fresh(content, output, tmp_path / "fresh-2")
    content.document("att-doc", disclosure="不予公开", withheld_reason="内部事务信息", secrecy_review=None,
                     **attached)
    assert build(content.root, output, ["site"]) == 0  # E: C updated (it holds the attachment)
    assert not (output / "site" / "attachments" / "2026" / "att-doc").exists()
    _same_as_fresh(content, output, tmp_path / "fresh-3")


def test_page_records_that_cannot_be_written_after_the_switch(content: ContentFactory, tmp_path: Path,
                                                              monkeypatch, capsys) -> None:  # type: ignore[no-untyped-def]
    """The page records are written once the output is live: when they cannot be (a full disk), the new
    output stands, the build says so, no half record is left, and the next builds (the tree without a
    record is no spare) equal a fresh one."""
    import errno
    import os

    content.document("first-doc", body="第一版。zqxfirst\n")
    output = tmp_path / "out"
    assert build(content.root, output, ["site"]) == 0
    content.document("other-doc", body="另一份。\n")
    assert build(content.root, output, ["site"]) == 0  # the first tree kept as the spare
    real = generations.write_record_file

    def full(path: Path, text: str) -> None:
        if path.name not in (generations.PAGE_KEYS, generations.PAGE_PLAN):
            return real(path, text)

        def no_space(*args: object) -> None:  # the whole text written, not renamed into place
            raise OSError(errno.ENOSPC, "No space left on device", str(path))

        with monkeypatch.context() as during:
            during.setattr(os, "replace", no_space)
            real(path, text)

    monkeypatch.setattr(generations, "write_record_file", full)
    import gazette.site.page_plan as page_plan

    monkeypatch.setattr(page_plan, "write_record_file", full)
    content.document("first-doc", body="第二版。zqxsecond\n")
    capsys.readouterr()
    assert build(content.root, output, ["site"]) == 0
    assert "zqxsecond" in (output / "site/zh/documents/first-doc/index.html").read_text(encoding="utf-8")
    assert "page records could not be written" in capsys.readouterr().err
    live = (output / "current").resolve()
    assert not (live / generations.PAGE_KEYS).exists() and not list(live.glob("*.part"))
    monkeypatch.setattr(generations, "write_record_file", real)
    monkeypatch.setattr(page_plan, "write_record_file", real)
    for step in ("第三版。zqxthird\n", "第四版。zqxfourth\n"):
        content.document("first-doc", body=step)
        assert build(content.root, output, ["site"]) == 0
        _same_as_fresh(content, output, tmp_path / f"fresh-{step[:3]}")


ATTACHED = "attachments/2026/att-doc/表.csv"


def _with_a_spare(content: ContentFactory, output: Path, *slugs: str) -> Path:
    """A document with an attachment and `slugs` built twice (the second time after an edit of the first
    of them), so that the first tree is kept as the spare; returns the spare."""
    content.document("att-doc", attachments=[{"file": ATTACHED, "title": "统计表"}])
    for slug in slugs:
        content.document(slug)
    content.write(ATTACHED, "县,条数\n康定,1\n")
    assert build(content.root, output, ["site"]) == 0
    content.document(slugs[0], body="改动一。\n")
    assert build(content.root, output, ["site"]) == 0
    spare = generations.spare(output)
    assert spare is not None
    return spare


def test_a_spare_tree_altered_by_hand_is_not_taken_on_its_word(content: ContentFactory, tmp_path: Path) -> None:
    """A held attachment made a link to a host file is replaced by the attachment's own bytes; a spare whose
    records name paths out of the site (`..`) is not updated at all; nothing outside the output is removed."""
    import json

    rel = ATTACHED
    output = tmp_path / "out"
    spare = _with_a_spare(content, output, "other-doc")
    host = tmp_path / "host.txt"
    host.write_text("zqxhostfile\n", encoding="utf-8")
    other = tmp_path / "other.txt"
    other.write_text("kept\n", encoding="utf-8")

    def leaks() -> list[Path]:
        return [p for p in (output / "site").rglob("*")
                if p.is_symlink() or (p.is_file() and b"zqxhostfile" in p.read_bytes())]

    held = spare / "site" / rel
    held.unlink()
    held.symlink_to(host)  # recorded with the right SHA-256, but a link to a host file
    content.document("other-doc", body="改动二。\n")
    assert build(content.root, output, ["site"]) == 0
    assert not spare.exists()  # taken up
    live = output / "site" / rel
    assert not live.is_symlink() and live.read_text(encoding="utf-8") == "县,条数\n康定,1\n"
    assert leaks() == [] and host.read_text(encoding="utf-8") == "zqxhostfile\n"

    spare = generations.spare(output)
    assert spare is not None
    for record, name in ((generations.COPIED, "../../../other.txt"), (generations.PAGE_KEYS, "/../../../other.txt")):
        data = json.loads((spare / record).read_text(encoding="utf-8"))
        data[name] = "0" * 32
        (spare / record).write_text(json.dumps(data), encoding="utf-8")
    content.document("other-doc", body="改动三。\n")
    assert build(content.root, output, ["site"]) == 0  # a new tree: that spare is not updated
    assert other.read_text(encoding="utf-8") == "kept\n"
    assert leaks() == []
    _same_as_fresh(content, output, tmp_path / "fresh")


def test_a_link_planted_on_the_way_in_a_spare_tree_is_cut_not_followed(content: ContentFactory,
                                                                       tmp_path: Path) -> None:
    """A folder of the spare made a link (to a folder outside the output holding a file of the same name,
    or to another page's folder): the build neither writes nor removes through it; it cuts the link."""
    rel = ATTACHED
    output = tmp_path / "out"
    spare = _with_a_spare(content, output, "other-doc", "third-doc")
    site = spare / "site"
    outside = {}
    for folder, name in (("attachments/2026/att-doc", "表.csv"), ("zh/documents/other-doc", "index.html")):
        host = tmp_path / "host" / folder.replace("/", "-")
        host.mkdir(parents=True)
        (host / name).write_text("zqxhostfile\n", encoding="utf-8")
        outside[host / name] = "zqxhostfile\n"
        shutil.rmtree(site / folder)
        (site / folder).symlink_to(host, target_is_directory=True)
    shutil.rmtree(site / "bo/documents/other-doc")  # the Tibetan page's folder: a link to another page's
    (site / "bo/documents/other-doc").symlink_to(site / "bo/documents/third-doc", target_is_directory=True)
    third = (site / "bo/documents/third-doc/index.html").read_bytes()
    content.document("other-doc", body="改动二。zqxeditedbody\n")
    content.document("att-doc", attachments=[{"file": rel, "title": "统计表"}], body="改动。\n")
    assert build(content.root, output, ["site"]) == 0
    assert not spare.exists()  # taken up
    for path, text in outside.items():
        assert path.read_text(encoding="utf-8") == text  # neither written nor removed through the link
    live = output / "site"
    assert [p for p in live.rglob("*") if p.is_symlink()] == []
    assert (live / "bo/documents/third-doc/index.html").read_bytes() == third
    assert "zqxeditedbody" in (live / "zh/documents/other-doc/index.html").read_text(encoding="utf-8")
    assert (live / rel).read_text(encoding="utf-8") == "县,条数\n康定,1\n"
    _same_as_fresh(content, output, tmp_path / "fresh")
