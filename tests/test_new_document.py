"""`gazette new ISSUER`: a skeleton with every required field, the next free index number, today's date in
Beijing, and placeholders the check flags until the editor fills them."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from conftest import TODAY
from factory import ContentFactory
from gazette.checks.fields import REQUIRED
from gazette.cli import main
from gazette.frontmatter import parse_markdown


def new(content: ContentFactory, capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(["new", *args, "--content", str(content.root)])
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def _errors(content: ContentFactory, path: str) -> set[tuple[str, str]]:
    return {(f.code, f.field) for f in content.findings() if f.is_error and f.path == path}


def test_skeleton_has_every_field_and_the_next_index_number(content: ContentFactory,
                                                            capsys: pytest.CaptureFixture[str]) -> None:
    content.document("a", issuer=["forestry"], index_no="S00000011/2026-00003")
    content.document("b", issuer=["forestry"], index_no="S00000011/2025-00009", signed="2025-06-02",
                     published="2025-06-04", secrecy_review={"by": "小组", "date": "2025-06-03"})
    content.document("c", index_no="S00000001/2026-00012")  # another body's numbers
    code, out, _ = new(content, capsys, "forestry")
    assert code == 0
    rel = f"documents/2026/forestry-{TODAY.isoformat()}.zh.md"
    assert f"written: {content.root / rel}" in out
    meta = parse_markdown((content.root / rel).read_bytes(), rel).meta
    assert set(REQUIRED) <= set(meta) and "secrecy_review" in meta
    assert meta["issuer"] == ["forestry"] and meta["lang"] == "zh" and meta["slug"] == f"forestry-{TODAY}"
    assert meta["signed"] == TODAY.isoformat()  # today in Beijing
    assert meta["index_no"] == "S00000011/2026-00004"
    assert meta["secrecy"] != "非涉密"
    # A second one the same day: the next slug and the next number.
    assert new(content, capsys, "forestry")[0] == 0
    second = f"documents/2026/forestry-{TODAY}-2.zh.md"
    assert "index_no: S00000011/2026-00005\n" in (content.root / second).read_text(encoding="utf-8")


def test_placeholders_fail_the_check_until_filled(content: ContentFactory,
                                                  capsys: pytest.CaptureFixture[str]) -> None:
    assert new(content, capsys, "finance", "--slug", "czj-2026-test")[0] == 0
    rel = "documents/2026/czj-2026-test.zh.md"
    assert _errors(content, rel) == {
        ("DOC-REQUIRED", "title"), ("REF-GENRE", "genre"), ("DATE-INVALID", "published"),
        ("REF-CATALOGUE", "catalogue"), ("DOC-DISCLOSURE", "disclosure"), ("SEC-SECRET", "secrecy"),
        ("DATE-INVALID", "secrecy_review.date")}
    file = content.root / rel
    text = file.read_text(encoding="utf-8")
    for key, value in (("title", "甘孜藏族自治州财政局关于测试工作的通知"), ("genre", "notice"),
                       ("published", TODAY.isoformat()), ("catalogue", "rules.other"), ("disclosure", "主动公开"),
                       ("secrecy", "非涉密"), ("secrecy_review", f"{{by: 保密审查小组, date: {TODAY}}}")):
        text, n = re.subn(rf"^{key}:.*$", f"{key}: {value}", text, flags=re.M)
        assert n == 1, key
    file.write_text(text + "现将有关事项通知如下。\n", encoding="utf-8")
    assert [f for f in content.findings() if f.path == rel] == []


def test_refusals(content: ContentFactory, capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    code, _, err = new(content, capsys, "no-such-body")
    assert code == 1 and "'no-such-body' is not in registry/agencies.yml" in err and "forestry" in err
    assert new(content, capsys, "forestry", "--slug", "Bad Slug")[0] == 1
    assert new(content, capsys, "forestry", "--slug", "abc\n")[0] == 1  # `$` would let the newline through
    assert not list(content.root.rglob("abc*"))
    content.document("taken")
    before = (content.root / "documents/2026/taken.zh.md").read_bytes()
    code, _, err = new(content, capsys, "forestry", "--slug", "taken")
    assert code == 1 and "already used" in err
    assert (content.root / "documents/2026/taken.zh.md").read_bytes() == before
    assert main(["new", "forestry", "--content", str(tmp_path / "nowhere")]) == 1
    assert "Traceback" not in capsys.readouterr().err
