"""Dated history from git: the dates of public revisions only (never one from before the document was
public, never the text), cached by commit and brought up to date from the new commits alone, a shallow
clone falling back to the `published` date; the sample's document pages show it."""

from __future__ import annotations

import datetime as dt
import json
import os
import subprocess
from pathlib import Path

import pytest
from factory import ContentFactory
from gazette import history
from gazette.checks import check_content
from gazette.publication import build_publication

SECRET = "为保护个人隐私已删除的段落甲乙丙"


def _git(root: Path, *args: str, when: str | None = None) -> str:
    env = {**os.environ, "GIT_AUTHOR_NAME": "editor", "GIT_AUTHOR_EMAIL": "editor@example.invalid",
           "GIT_COMMITTER_NAME": "editor", "GIT_COMMITTER_EMAIL": "editor@example.invalid"}
    if when:
        env["GIT_AUTHOR_DATE"] = env["GIT_COMMITTER_DATE"] = f"{when}T10:00:00+08:00"
    return subprocess.run(["git", "-C", str(root), *args], check=True, capture_output=True, text=True,
                          env=env).stdout


def _commit(root: Path, when: str) -> None:
    _git(root, "add", "-A")
    _git(root, "commit", "-q", "-m", f"content of {when}", when=when)


def _make_repo(root: Path) -> tuple[Path, ContentFactory]:
    """A draft committed on 03-01, made public on 03-05 (published 03-04), a passage removed on 03-10,
    its translation added on 03-12; another document never public."""
    content = ContentFactory(root / "content")
    _git(root, "init", "-q")
    content.document("notice", body=f"正文。{SECRET}\n", status="draft")
    content.document("hidden", body="不予公开。\n", disclosure="不予公开", withheld_reason="内部事务信息")
    _commit(root, "2026-03-01")
    content.document("notice", body=f"正文。{SECRET}\n")
    _commit(root, "2026-03-05")
    content.document("notice", body="正文。\n")
    _commit(root, "2026-03-10")
    content.translation("notice")
    _commit(root, "2026-03-12")
    return root, content


@pytest.fixture(scope="module")
def repo(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, ContentFactory]:
    """The repository, for the tests that only read it."""
    return _make_repo(tmp_path_factory.mktemp("history") / "repo")


def _histories(content: Path, cache: Path) -> dict[str, history.History]:
    corpus, _ = check_content(content)
    return history.histories(build_publication(corpus), cache)


def test_only_public_revisions_are_dated(repo: tuple[Path, ContentFactory], tmp_path: Path) -> None:
    root, content = repo
    found = _histories(content.root, tmp_path / "cache")
    assert set(found) == {"notice"}
    notice = found["notice"]
    assert notice.known
    assert notice.first_published == dt.date(2026, 3, 4)
    assert notice.revisions == (dt.date(2026, 3, 5), dt.date(2026, 3, 10), dt.date(2026, 3, 12))
    assert notice.last_changed == dt.date(2026, 3, 12)
    # Dates only: nothing of any revision's text is kept, not even in the cache.
    assert SECRET not in (tmp_path / "cache" / history.CACHE).read_text(encoding="utf-8")
    assert SECRET not in repr(notice.as_context())


def test_the_cache_is_keyed_by_commit_and_updated_from_new_commits(tmp_path: Path) -> None:
    root, content = _make_repo(tmp_path / "repo")
    cache = tmp_path / "cache"
    _histories(content.root, cache)
    head = _git(root, "rev-parse", "HEAD").strip()
    assert json.loads((cache / history.CACHE).read_text(encoding="utf-8"))["head"] == head
    content.document("notice", body="正文，改过一次。\n")
    _commit(root, "2026-04-01")
    assert _histories(content.root, cache)["notice"].revisions[-1] == dt.date(2026, 4, 1)
    # A rewritten history (the last commit amended to another date) is read again in full.
    _git(root, "commit", "-q", "--amend", "--no-edit", "--date=2026-04-02T10:00:00+08:00", when="2026-04-02")
    assert _histories(content.root, cache)["notice"].revisions[-1] == dt.date(2026, 4, 2)
    assert dt.date(2026, 4, 1) not in _histories(content.root, cache)["notice"].revisions


def test_a_shallow_clone_falls_back_to_the_published_date(repo: tuple[Path, ContentFactory], tmp_path: Path) -> None:
    root, _ = repo
    clone = tmp_path / "clone"
    subprocess.run(["git", "clone", "-q", "--depth", "1", f"file://{root}", str(clone)], check=True)
    notice = _histories(clone / "content", tmp_path / "cache")["notice"]
    assert not notice.known and notice.revisions == ()
    assert notice.first_published == notice.last_changed == dt.date(2026, 3, 4)


def test_outside_git_the_history_is_unknown(tmp_path: Path) -> None:
    content = ContentFactory(tmp_path / "content")
    content.document("notice")
    assert not _histories(content.root, tmp_path / "cache")["notice"].known


def test_the_sample_pages_show_their_history(sample_site: Path) -> None:
    page = (sample_site / "zh/documents/gzfb-2026-21/index.html").read_text(encoding="utf-8")
    assert "版本记录" in page and "首次发布" in page
    assert "公开文本最后修改" in page or "无法获得修订记录" in page
