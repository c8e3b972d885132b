"""Pages are redrawn only when what they show changed, and an incremental build equals a fresh one."""

from __future__ import annotations

from pathlib import Path

from factory import ContentFactory
from gazette.build import build, run_build
from site_corpus import build_site_corpus


def _tree(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def _drawn(content: ContentFactory, output: Path) -> tuple[int, int]:
    result = run_build(content.root, output, ["site"], force=True)  # the site stage's own keys, not the digest
    assert result.status == 0
    return result.reports["site"].written, result.reports["site"].reused


def test_incremental_build_equals_fresh_build(content: ContentFactory, tmp_path: Path) -> None:
    build_site_corpus(content)
    output = tmp_path / "incremental"
    assert build(content.root, output, ["site"]) == 0
    drawn, unchanged = _drawn(content, output)
    assert drawn == 0 and unchanged > 50

    # an edited title, a document withdrawn, a new translation
    content.document("notice-b", signed="2026-03-05", published="2026-03-09",
                     secrecy_review={"by": "州政府办公室保密审查小组", "date": "2026-03-06"},
                     title="甘孜藏族自治州人民政府关于政府信息公开工作的补充通知（修订）", catalogue="rules.other",
                     index_no="S00000001/2026-00002")
    content.document("county-report", issuer=["kangding"], index_no="S00000101/2026-00001", catalogue="other.news",
                     genre="article", title="康定市推进政务公开标准化建设", disclosure="不予公开",
                     withheld_reason="过程性信息", secrecy_review=None)
    content.translation("notice-b", title="ཁ་སྐོང་བརྡ་ཐོ།")
    drawn, unchanged = _drawn(content, output)
    assert drawn > 0 and unchanged > 0

    fresh = tmp_path / "fresh"
    assert build(content.root, fresh, ["site"]) == 0
    incremental_tree, fresh_tree = _tree(output / "site"), _tree(fresh / "site")
    assert incremental_tree.keys() == fresh_tree.keys()
    assert [name for name in fresh_tree if incremental_tree[name] != fresh_tree[name]] == []
    assert not any("county-report" in name for name in fresh_tree)
