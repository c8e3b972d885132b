"""Hostile inputs to what keeps work between builds (the input digest, the kept front matter and findings)
and to the archive command's output path: nothing outside content/ is read, nothing non-public is kept,
nothing is written outside the folder asked for."""

from __future__ import annotations

import os
import sqlite3
from pathlib import Path

import pytest
from factory import ContentFactory
from gazette import build_inputs
from gazette.checks import check_content


def test_a_fifo_or_a_link_in_a_theme_folder_is_neither_waited_on_nor_followed(tmp_path: Path) -> None:
    content, theme = tmp_path / "content", tmp_path / "theme"
    content.mkdir()
    theme.mkdir()
    os.mkfifo(theme / "pipe.css")  # opened blocking, it would hang the build for ever
    (theme / "passwd.html").symlink_to("/etc/passwd")
    first = build_inputs.compute(content, None, [theme], ["site"], "2026-11-22")
    (theme / "passwd.html").unlink()
    (theme / "passwd.html").symlink_to("/etc/hostname")  # another target: not read, so the same digest
    second = build_inputs.compute(content, None, [theme], ["site"], "2026-11-22")
    assert first is not None and second is not None and first.digest == second.digest


@pytest.mark.parametrize("attack", ["symlink", "fifo"])
def test_a_content_folder_with_a_link_or_a_fifo_has_no_digest(tmp_path: Path, attack: str) -> None:
    content = ContentFactory(tmp_path / "content")
    content.document("kept")
    path = content.root / "documents" / "2026" / "other.zh.md"
    if attack == "symlink":
        path.symlink_to("/etc/passwd")
    else:
        os.mkfifo(path)
    assert build_inputs.compute(content.root, None, [], ["site"], "2026-11-22") is None  # never skipped


def test_front_matter_that_is_refused_is_never_kept(tmp_path: Path) -> None:
    content = ContentFactory(tmp_path / "content")
    content.document("kept")
    bomb = "a: &a [x, x, x, x, x, x, x, x]\nb: &b [*a, *a, *a, *a, *a, *a, *a, *a]\nc: [*b, *b, *b, *b, *b, *b]"
    content.write("documents/2026/bomb.zh.md", f"---\n{bomb}\ntitle: zqxbombtitle\n---\nzqxbombbody\n")
    deep = "title: " + "[" * 200 + "]" * 200
    content.write("documents/2026/deep.zh.md", f"---\n{deep}\nslug: deep\n---\nzqxdeepbody\n")
    cache = tmp_path / "cache"
    cache.mkdir()
    _, findings = check_content(content.root, cache=cache)
    assert {"META-YAML", "META-DEPTH"} & {f.code for f in findings} or any(f.is_error for f in findings)
    # the check found errors: neither cache is written, so nothing of the refused files is kept
    assert sorted(p.name for p in cache.iterdir()) == []


def test_a_public_document_made_secret_is_checked_again_not_taken_from_the_cache(tmp_path: Path) -> None:
    content = ContentFactory(tmp_path / "content")
    content.document("kept")
    content.document("turned", body="zqxturnedbody")
    cache = tmp_path / "cache"
    cache.mkdir()
    assert not any(f.is_error for f in check_content(content.root, cache=cache)[1])
    assert b"zqxturned" not in b"".join(r[0].encode() for r in sqlite3.connect(cache / "check.sqlite").execute(
        "SELECT findings FROM unit"))
    content.document("turned", body="zqxturnedbody", secrecy="秘密")
    _, findings = check_content(content.root, cache=cache)
    assert any(f.code.startswith("SEC") and f.is_error and "turned" in f.path for f in findings)


@pytest.mark.parametrize("how", ["dotdot", "symlink"])
def test_the_archive_is_never_written_under_the_web_root_by_a_roundabout_path(
        tmp_path: Path, how: str, capsys: pytest.CaptureFixture[str]) -> None:
    from gazette.cli import main

    output = tmp_path / "build"
    (output / "site").mkdir(parents=True)
    if how == "dotdot":
        out = tmp_path / "elsewhere" / ".." / "build" / "site" / "bag"
        (tmp_path / "elsewhere").mkdir()
    else:
        (tmp_path / "link").symlink_to(output / "site")
        out = tmp_path / "link" / "bag"
    assert main(["archive", "2026-10", "--out", str(out), "--output", str(output)]) == 1
    assert "web root" in capsys.readouterr().err
    assert list((output / "site").iterdir()) == []
