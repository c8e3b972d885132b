"""`gazette build --watch`: the watching process builds again after an edit (one saved while a build ran
included), serves the new text and not the old, and stops when its own code changes under it."""

from __future__ import annotations

import queue
import threading
from pathlib import Path

import pytest
from conftest import TODAY
from factory import ContentFactory
from gazette import build_inputs
from gazette import watch as watch_module
from gazette.build import BuildResult, run_build
from gazette.search.index import SearchIndex
from gazette.search.query import parse_request, run
from gazette.watch import _folders, watch


@pytest.fixture(autouse=True)
def _short_pauses(monkeypatch: pytest.MonkeyPatch) -> None:
    """The watch's idle pause (when the inputs are compared after a build) shortened for the tests."""
    monkeypatch.setattr(watch_module, "IDLE_MS", 200)


class Watching:
    """`watch` in a thread; each build's result, then the return value, in a queue."""

    def __init__(self, content: Path, output: Path) -> None:
        self.events: queue.Queue[tuple[str, object]] = queue.Queue()
        self.stop = threading.Event()
        self.thread = threading.Thread(target=self._run, args=(content, output), daemon=True)
        self.thread.start()

    def _renew(self) -> None:
        self.events.put(("renew", None))
        self.stop.set()

    def _run(self, content: Path, output: Path) -> None:
        try:
            ended = watch(content, output, ["search"], today=TODAY, stop=self.stop, renew=self._renew,
                          on_build=lambda result: self.events.put(("built", result)))
        except BaseException as exc:  # handed to the test, which waits on the queue
            self.events.put(("raised", exc))
            return
        self.events.put(("ended", ended))

    def next(self) -> tuple[str, object]:
        return self.events.get(timeout=60)

    def build(self) -> BuildResult:
        kind, value = self.next()
        assert kind == "built", value
        assert isinstance(value, BuildResult)
        return value

    def close(self) -> None:
        self.stop.set()
        self.thread.join(timeout=30)


def found(output: Path, q: str) -> set[str]:
    index = SearchIndex.open(output / "search-index")
    assert index is not None
    return {h.key for h in run(index, parse_request({"q": q})).hits}


def built_then_edited(content: ContentFactory, output: Path) -> Watching:
    """A watch over a first version of doc-a, and the build of its second, saved right after the first
    build (perhaps before the watch has begun: still built, as the inputs are compared)."""
    content.document("doc-a", body="第一版，zqxold。")
    watching = Watching(content.root, output)
    try:
        assert watching.build().status == 0
        content.document("doc-a", body="第二版，zqxnew。")
        second = watching.build()
        assert second.status == 0 and not second.unchanged
        assert found(output, "zqxnew") == {"doc:doc-a:zh"}
        assert found(output, "zqxold") == set()
    except BaseException:
        watching.close()
        raise
    return watching


def test_an_edit_is_live_after_the_watching_process_builds_again(content: ContentFactory, tmp_path: Path):
    output = tmp_path / "build"
    watching = built_then_edited(content, output)
    try:
        # A refused edit leaves the last good output as it was, and the watch goes on.
        content.document("doc-a", body="第三版，zqxbad。", secrecy="秘密")
        assert watching.build().status == 1
        assert found(output, "zqxnew") == {"doc:doc-a:zh"}
        assert found(output, "zqxbad") == set()
    finally:
        watching.close()
    assert watching.next() == ("ended", 0)


def test_a_tree_git_is_writing_is_not_built_until_it_has_finished(content: ContentFactory, tmp_path: Path):
    """A `git pull` into the watched checkout: no build of the half-written tree while git holds its lock."""
    import subprocess
    import time

    content.document("doc-a", body="第一版，zqxold。")
    subprocess.run(["git", "init", "-q", str(content.root)], check=True)
    output = tmp_path / "build"
    watching = Watching(content.root, output)
    try:
        assert watching.build().status == 0
        lock = content.root / ".git" / "index.lock"
        lock.write_text("", encoding="utf-8")  # as git holds it while it checks files out
        content.document("doc-a", body="第二版，zqxnew。")
        time.sleep(0.6)  # the change is seen within 0.1 s: a build would have begun
        assert watching.events.empty()
        assert found(output, "zqxold") == {"doc:doc-a:zh"}
        lock.unlink()
        assert watching.build().status == 0
        assert found(output, "zqxnew") == {"doc:doc-a:zh"}
    finally:
        watching.close()


def test_content_the_check_refused_is_not_checked_again_until_it_changes(content: ContentFactory, tmp_path: Path):
    """After a refused build the watch waits for the next change: it does not check the same content again
    every second (and print the same errors again)."""
    import time

    content.document("doc-a", body="第一版。")
    watching = Watching(content.root, tmp_path / "build")
    try:
        assert watching.build().status == 0
        content.document("doc-a", body="第二版。", secrecy="秘密")
        assert watching.build().status == 1
        time.sleep(1.5)  # past the watch's idle step (1 s), when it compared the inputs again
        assert watching.events.empty()
        content.document("doc-a", body="第三版，zqxfixed。")
        assert watching.build().status == 0
        assert found(tmp_path / "build", "zqxfixed") == {"doc:doc-a:zh"}
    finally:
        watching.close()


def test_the_watch_stops_when_its_code_changes(content: ContentFactory, tmp_path: Path,
                                               monkeypatch: pytest.MonkeyPatch):
    code = tmp_path / "code"
    code.mkdir()
    (code / "module.py").write_text("A = 1\n")
    monkeypatch.setattr(build_inputs, "code_folders", lambda: [code])
    content.document("doc-a", body="正文。")
    watching = Watching(content.root, tmp_path / "build")
    try:
        assert watching.build().status == 0
        assert watching.events.empty()
        (code / "module.py").write_text("A = 2\n")
        assert watching.next() == ("ended", 1)
    finally:
        watching.close()


def test_a_link_in_the_content_is_not_followed_by_the_watch(content: ContentFactory, tmp_path: Path):
    elsewhere = tmp_path / "elsewhere"
    (elsewhere / "deep").mkdir(parents=True)
    (content.root / "documents" / "2026").mkdir(parents=True, exist_ok=True)
    (content.root / "documents" / "2026" / "away").symlink_to(elsewhere)
    (content.root / "root").symlink_to("/")
    folders = _folders([content.root])
    assert str(content.root / "documents" / "2026") in folders
    assert not [f for f in folders if "away" in f or f.startswith(str(content.root / "root"))]


def test_a_watch_grown_past_its_limit_is_renewed_between_builds(content: ContentFactory, tmp_path: Path,
                                                                monkeypatch: pytest.MonkeyPatch):
    monkeypatch.setattr(watch_module, "RENEW_AFTER_MB", -1)  # any size is past it
    content.document("doc-a", body="正文。")
    watching = Watching(content.root, tmp_path / "build")
    try:
        assert watching.build().status == 0
        assert watching.next() == ("renew", None)  # after the build was live and reported
        assert watching.next() == ("ended", 0)
    finally:
        watching.close()


def test_a_watch_whose_first_build_wrote_nothing_is_not_renewed_for_it(content: ContentFactory, tmp_path: Path,
                                                                       monkeypatch: pytest.MonkeyPatch):
    """Its growth counts from the first build that wrote (which fills what the process keeps), not from a
    build that found nothing changed."""
    content.document("doc-a", body="正文。")
    assert run_build(content.root, tmp_path / "build", ["search"], today=TODAY).status == 0
    monkeypatch.setattr(watch_module, "RENEW_AFTER_MB", -1)
    watching = Watching(content.root, tmp_path / "build")
    try:
        assert watching.build().unchanged
        content.document("doc-a", body="正文，改过。")
        assert not watching.build().unchanged
        assert watching.next() == ("renew", None)  # measured from this one: any size is past the limit
    finally:
        watching.close()


def test_a_folder_nested_a_thousand_deep_is_watched_without_error(content: ContentFactory, tmp_path: Path):
    top = content.root / "images"
    top.mkdir(parents=True, exist_ok=True)
    folder = top
    try:
        for _ in range(1100):  # deeper than Python's recursion limit
            folder = folder / "a"
            folder.mkdir()
        found = _folders([content.root])
        assert str(folder) in found and len(found) >= 1101
    finally:  # from the bottom up: pytest removes its old temporary folders by recursion
        while folder != top:
            folder.rmdir()
            folder = folder.parent


def test_a_watch_the_system_refuses_falls_back_to_scanning(content: ContentFactory, tmp_path: Path,
                                                           monkeypatch: pytest.MonkeyPatch):
    """A tree past the system's limit of watched folders (inotify's max_user_watches) is scanned instead."""
    import watchfiles

    real = watchfiles.watch

    def refusing(*paths, force_polling=None, **kwargs):  # type: ignore[no-untyped-def]
        if not force_polling:
            raise OSError(28, "inotify watch limit reached")
        yield from real(*paths, force_polling=True, poll_delay_ms=50, **kwargs)

    monkeypatch.setattr(watchfiles, "watch", refusing)
    built_then_edited(content, tmp_path / "build").close()


@pytest.mark.parametrize("where", ["inside", "around", "dotdot"])
def test_an_output_folder_inside_the_content_or_around_it_is_refused(content: ContentFactory, tmp_path: Path,
                                                                     where: str, capsys: pytest.CaptureFixture):
    from gazette.build import build

    content.document("doc-a")
    before = sorted(p.relative_to(tmp_path) for p in tmp_path.rglob("*"))
    output = {"inside": content.root / "build", "around": tmp_path,
              "dotdot": content.root / "documents" / ".."}[where]  # the content folder itself, by another name
    assert build(content.root, output, ["search"], today=TODAY) == 1
    assert sorted(p.relative_to(tmp_path) for p in tmp_path.rglob("*")) == before  # nothing written
    assert "--output" in capsys.readouterr().err
