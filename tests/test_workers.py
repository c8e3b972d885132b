"""Work shared by processes forked from the build: every job run once, results in order, the same bodies
and site as one process makes, and a failure in any process fails the build with its own error, the last
good output untouched."""

from __future__ import annotations

import errno
import os
import signal
import threading
from pathlib import Path

import pytest
from factory import ContentFactory, jpeg
from gazette import workers
from gazette.build import run_build
from gazette.checks import check_content
from gazette.loader import load_corpus
from gazette.publication import Unpublishable, build_publication
from gazette.render import MarkdownRenderer
from gazette.site import generator
from test_leak_paths import CANARY, add_private
from test_site_incremental import _tree

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(autouse=True)
def forking(monkeypatch: pytest.MonkeyPatch) -> None:
    """Share from a few jobs on; and fork although a module run before in this test process left a server's
    thread waiting (the fallback for other threads is tested on its own)."""
    monkeypatch.setattr(workers, "SHARED_FROM", 4)
    monkeypatch.setattr(workers, "_may_fork", lambda: True)


def _jobs(folder: Path, count: int, fail: int = -1, how: str = "") -> list[workers.Job]:
    parent = os.getpid()

    def job(number: int) -> None:
        if number == fail and os.getpid() != parent:
            if how == "kill":
                os.kill(os.getpid(), signal.SIGKILL)
            raise OSError(errno.ENOSPC, "No space left on device") if how == "disk" else ValueError("zqx-broken")
        with (folder / f"{number}.txt").open("a", encoding="utf-8") as handle:
            handle.write(f"{os.getpid()}\n")

    return [lambda number=number: job(number) for number in range(count)]


def test_every_job_runs_once_over_the_processes(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    progress: list[tuple[int, int]] = []
    assert workers.run_jobs(_jobs(tmp_path, 3004), 3, lambda done, total: progress.append((done, total))) == 3
    pids = [(tmp_path / f"{n}.txt").read_text(encoding="utf-8").splitlines() for n in range(3004)]
    assert all(len(p) == 1 for p in pids)  # each once
    # two batches after the first job, each shared with two processes of its own
    assert len({p[0] for p in pids}) == 5 and [str(os.getpid())] in pids
    assert progress == [(2001, 3004)]


def test_few_jobs_or_other_threads_keep_to_this_process(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(workers, "SHARED_FROM", 200)
    (tmp_path / "few").mkdir()
    assert workers.run_jobs(_jobs(tmp_path / "few", 199), 4) == 1
    monkeypatch.undo()  # the real check of threads
    monkeypatch.setattr(workers, "SHARED_FROM", 4)
    stop = threading.Event()
    other = threading.Thread(target=stop.wait)
    other.start()
    try:
        (tmp_path / "threads").mkdir()
        assert workers.run_jobs(_jobs(tmp_path / "threads", 40), 4) == 1
    finally:
        stop.set()
        other.join()
    pids = {p.read_text(encoding="utf-8").strip() for p in tmp_path.rglob("*.txt")}
    assert pids == {str(os.getpid())} and len(list(tmp_path.rglob("*.txt"))) == 239


@pytest.mark.parametrize("how", ["error", "disk", "kill"])
def test_a_failed_process_fails_the_run_with_its_error(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                       how: str) -> None:
    expected = {"error": ValueError, "disk": OSError, "kill": workers.WorkerFailed}[how]
    with pytest.raises(expected) as raised:
        workers.run_jobs(_jobs(tmp_path, 40, fail=6, how=how), 2)  # job 6: the child's share
    if how == "disk":
        assert raised.value.errno == errno.ENOSPC  # said as a full disk, as in one process
    if how != "kill":
        assert any("zqx-broken" in note or "No space" in note for note in raised.value.__notes__)


def test_results_come_back_in_order_from_every_process() -> None:
    got = workers.map_shared(lambda n: (n * n, os.getpid()), list(range(4005)), 3)
    assert [square for square, _ in got] == [n * n for n in range(4005)]
    assert len({pid for _, pid in got}) == 7  # this process, and two new ones for each of three batches


def test_bodies_rendered_ahead_by_processes_are_those_one_process_renders(tmp_path: Path) -> None:
    bodies = [f"## 第{n}条\n\n正文 **{n}**，见[附件](/attachments/2026/x/{n}.pdf)。\n\n| 项 | 数 |\n|---|---|\n"
              f"| a | {n} |\n" for n in range(300)]
    shared = MarkdownRenderer(tmp_path / "shared.sqlite")
    assert shared.prepare([*bodies, bodies[0]], 2) == 300  # each once
    assert shared.prepare(bodies, 2) == 0  # remembered now
    one = MarkdownRenderer(tmp_path / "one.sqlite")
    assert [shared.render(b) for b in bodies] == [one.render(b) for b in bodies]
    assert [shared.text(b) for b in bodies] == [one.text(b) for b in bodies]
    shared.close()
    # kept in the cache like any other: a new run renders nothing again
    again = MarkdownRenderer(tmp_path / "shared.sqlite")
    assert again.prepare(bodies, 2) == 0
    again.markdown = None  # type: ignore[assignment,method-assign]  # would fail if a body were rendered
    assert again.render(bodies[7]) == one.render(bodies[7])


def _settings(tmp_path: Path, processes: int) -> str:
    conf = tmp_path / f"workers{processes}.py"
    conf.write_text(f"import sys\nsys.path.insert(0, {str(ROOT)!r})\nfrom pelicanconf import *  # noqa\n"
                    f"THEME = {str(ROOT / 'themes/gazette')!r}\nGAZETTE_BUILD_WORKERS = {processes}\n",
                    encoding="utf-8")
    return str(conf)


def test_pages_drawn_by_three_processes_equal_one_process_s(content: ContentFactory, tmp_path: Path,
                                                             monkeypatch: pytest.MonkeyPatch,
                                                             capsys: pytest.CaptureFixture[str]) -> None:
    content.document("notice-a", body="第一条 正文。\n\n## 一、总则\n\n第二条 正文。", doc_number="甘府发〔2026〕3号")
    content.translation("notice-a", title="བརྡ་ཐོ།")
    content.document("notice-b", index_no="S00000001/2026-00002", title="甘孜藏族自治州人民政府关于第二件事的通知")
    shared = run_build(content.root, tmp_path / "three", ["site"], _settings(tmp_path, 3))
    assert shared.status == 0 and "pages drawn by 3 processes" in capsys.readouterr().err
    assert run_build(content.root, tmp_path / "one", ["site"], _settings(tmp_path, 1)).status == 0
    assert "pages drawn by" not in capsys.readouterr().err
    three, one = _tree(tmp_path / "three" / "site"), _tree(tmp_path / "one" / "site")
    assert three.keys() == one.keys() and len(three) > 50
    assert [name for name in one if three[name] != one[name]] == []

    # A page that fails in another process fails the build; the last good output stays as it was.
    parent, draw = os.getpid(), generator._PageWriter._draw

    def failing(self: generator._PageWriter, name: str, *args: object) -> None:
        if os.getpid() != parent and "notice-a" in name:
            raise OSError(errno.ENOSPC, "No space left on device")
        draw(self, name, *args)

    monkeypatch.setattr(generator._PageWriter, "_draw", failing)
    content.document("notice-a", body="改过的正文。zqxnewbody", doc_number="甘府发〔2026〕3号")
    failed = run_build(content.root, tmp_path / "three", ["site"], _settings(tmp_path, 3))
    assert failed.status == 1
    err = capsys.readouterr().err
    assert "磁盘" in err or "disk" in err
    assert _tree(tmp_path / "three" / "site") == three
    assert [p.name for p in (tmp_path / "three" / ".generations").iterdir()] == [
        os.readlink(tmp_path / "three" / "current").split("/")[-1]]


@pytest.mark.parametrize("value", ["2", 0, 65, True])
def test_a_setting_that_cannot_be_used_is_said_before_anything_is_written(
        content: ContentFactory, tmp_path: Path, capsys: pytest.CaptureFixture[str], value: object) -> None:
    content.document("notice-a")
    conf = tmp_path / "bad.py"
    conf.write_text(f"import sys\nsys.path.insert(0, {str(ROOT)!r})\nfrom pelicanconf import *  # noqa\n"
                    f"THEME = {str(ROOT / 'themes/gazette')!r}\nGAZETTE_BUILD_WORKERS = {value!r}\n", encoding="utf-8")
    assert run_build(content.root, tmp_path / "out", ["site"], str(conf)).status == 1
    err = capsys.readouterr().err
    assert "GAZETTE_BUILD_WORKERS" in err and "whole number from 1 to 64" in err and "Traceback" not in err
    assert not (tmp_path / "out" / "site").exists()


def test_a_killed_build_takes_its_processes_with_it(tmp_path: Path) -> None:
    """`kill -9` on a build (or the kernel's out-of-memory killer): its drawing processes die with it, rather
    than go on writing into a generation that will never be live."""
    import subprocess
    import sys
    import time

    script = f"""
import os, signal, sys, time
sys.path.insert(0, {str(ROOT / "plugins")!r})
from gazette import workers
workers.SHARED_FROM = 4
folder = {str(tmp_path)!r}
parent = os.getpid()

def job(number):
    if os.getpid() == parent:
        if number == 7:  # this process takes the first job, then every other one
            time.sleep(0.5)  # the child is at work by now
            os.kill(parent, signal.SIGKILL)
    else:
        open(os.path.join(folder, "child"), "w").write(str(os.getpid()))
        time.sleep(0.2)  # a child's share takes eight seconds

workers.run_jobs([lambda n=n: job(n) for n in range(81)], 2)
"""
    assert subprocess.run([sys.executable, "-c", script], timeout=60).returncode == -9
    child = int((tmp_path / "child").read_text(encoding="utf-8"))
    deadline = time.monotonic() + 3
    while time.monotonic() < deadline:
        try:
            state = Path(f"/proc/{child}/stat").read_text().rsplit(")", 1)[1].split()[0]
        except OSError:
            break  # gone
        if state in ("Z", "X"):
            break  # dead, not yet reaped
        time.sleep(0.05)
    else:
        raise AssertionError(f"the drawing process {child} outlived the build by 3 s")


# --- attacks, with the work shared (every test here shares from four items on) ---------------------------

@pytest.fixture
def private(content: ContentFactory) -> ContentFactory:
    return add_private(content)


def _public(content: ContentFactory, count: int = 4) -> None:
    for n in range(count):
        content.document(f"public-{n}", index_no=f"S00000001/2026-{n + 100:05d}", body=f"公开正文第{n}号。\n",
                         title=f"甘孜藏族自治州人民政府关于第{n}号事项的通知")


def test_shared_work_renders_and_keeps_nothing_that_is_not_public(private: ContentFactory, tmp_path: Path,
                                                                   capsys: pytest.CaptureFixture[str],
                                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    """Withheld, on-request and draft texts: not rendered ahead (in any process), not drawn, not in any file
    under the output (the Markdown cache included)."""
    _public(private)
    rendered = tmp_path / "rendered.txt"  # written by whichever process renders a body
    markdown = MarkdownRenderer.markdown

    def noted(self: MarkdownRenderer, body: str) -> str:
        with rendered.open("a", encoding="utf-8") as note:
            note.write(body)
        return markdown(self, body)

    monkeypatch.setattr(MarkdownRenderer, "markdown", noted)
    output = tmp_path / "out"
    assert run_build(private.root, output, ["site", "search"], _settings(tmp_path, 3)).status == 0
    assert "pages drawn by 3 processes" in capsys.readouterr().err
    assert (output / ".cache" / "markdown.sqlite").is_file()
    leaks = [p for p in output.rglob("*") if p.is_file() and CANARY.encode() in p.read_bytes()]
    assert leaks == []
    bodies = rendered.read_text(encoding="utf-8")
    assert "公开正文第3号" in bodies and CANARY not in bodies


@pytest.mark.parametrize("body", [
    "[原文]({static}/documents/2026/withheld.zh.md)\n",
    "[原文]({static}../../documents/2026/on-request.zh.md)\n",
    '<a href="{static}/images/a.jpg]/../../../../../../etc/hostname">x</a>\n',
    "[原文]({filename}/pages/draft.zh.md)\n",
])
def test_a_link_out_of_the_public_is_refused_with_the_rendering_shared(private: ContentFactory, body: str) -> None:
    private.write("images/a.jpg", jpeg())
    _public(private)
    private.document("public", body=body)
    assert [f for f in check_content(private.root)[1] if f.level == "error"]  # the check refuses it
    corpus, _ = load_corpus(private.root)
    with pytest.raises(Unpublishable):  # and so does the Publication, its bodies rendered by three processes
        build_publication(corpus, processes=3)


def test_a_body_nested_past_the_limit_is_refused_before_anything_is_shared(content: ContentFactory,
                                                                          tmp_path: Path) -> None:
    _public(content)
    content.document("deep", body="".join("    " * i + "- 第一项\n" for i in range(1_000)))
    output = tmp_path / "out"
    assert run_build(content.root, output, ["site"], _settings(tmp_path, 3)).status == 1
    assert not (output / "site").exists()


@pytest.mark.parametrize("attack", ["source of a withheld document", "link to a host file"])
def test_an_attachment_out_of_the_public_stops_a_shared_build(private: ContentFactory, tmp_path: Path,
                                                              attack: str) -> None:
    _public(private)
    if attack == "link to a host file":
        host = tmp_path / "host.txt"
        host.write_text(f"{CANARY}\n", encoding="utf-8")
        (private.root / "attachments/2026/public").mkdir(parents=True)
        (private.root / "attachments/2026/public/a.pdf").symlink_to(host)
        file = "attachments/2026/public/a.pdf"
    else:
        file = "attachments/2026/public/../../../documents/2026/withheld.zh.md"
    private.document("public", attachments=[{"file": file, "title": "附件"}])
    output = tmp_path / "out"
    assert run_build(private.root, output, ["site"], _settings(tmp_path, 3)).status == 1
    assert not (output / "site").exists()
    assert [p for p in output.rglob("*") if p.is_file() and CANARY.encode() in p.read_bytes()] == []


def _square(number: int) -> int:
    return number * number


def test_work_shared_inside_a_build_leaves_the_builds_objects_set_aside() -> None:
    """The processes sharing the work set aside what they share and give it back, not what the build set
    aside before them; a `paused` block adds what it made to the build's; the build's end gives all back."""
    import gc

    from gazette import collector

    assert gc.get_freeze_count() == 0
    collector.set_aside()
    try:
        assert workers.map_shared(_square, list(range(10)), 2) == [n * n for n in range(10)]
        held = gc.get_freeze_count()
        assert held > 0
        with collector.paused():
            made = [[n] for n in range(1000)]
        assert gc.get_freeze_count() >= held + 1000
    finally:
        collector.give_back_all()
    assert gc.get_freeze_count() == 0
    with collector.paused():
        made = [[n] for n in range(1000)]
    assert gc.get_freeze_count() == 0 and made  # nothing held: what the block made is collected as usual


def test_a_pool_worker_dies_with_the_build_that_started_it(tmp_path: Path) -> None:
    """The PDF stage's and the archive's pools start their workers with `end_with`: a build ended by SIGTERM
    left them alive, holding the output's lock, and every later build was refused as "another is running"."""
    import subprocess
    import sys
    import textwrap
    import time

    script = tmp_path / "pool.py"
    script.write_text(textwrap.dedent(f"""
        import multiprocessing, os, sys, time
        sys.path.insert(0, {str(ROOT / "plugins")!r})
        from concurrent.futures import ProcessPoolExecutor
        from gazette.workers import end_with

        def child(path):
            with open(path, "w") as handle:
                handle.write(str(os.getpid()))
            time.sleep(30)

        if __name__ == "__main__":
            with ProcessPoolExecutor(1, mp_context=multiprocessing.get_context("fork"), initializer=end_with,
                                     initargs=(os.getpid(),)) as pool:
                pool.submit(child, sys.argv[1])
                time.sleep(30)
        """), encoding="utf-8")
    marker = tmp_path / "pid"
    build = subprocess.Popen([sys.executable, str(script), str(marker)])
    try:
        for _ in range(200):
            if marker.exists() and marker.read_text(encoding="utf-8"):
                break
            time.sleep(0.05)
        child = int(marker.read_text(encoding="utf-8"))
        build.send_signal(signal.SIGTERM)
        build.wait(timeout=10)
        for _ in range(60):
            try:
                os.kill(child, 0)
            except ProcessLookupError:
                break
            time.sleep(0.05)
        else:
            os.kill(child, signal.SIGKILL)
            raise AssertionError("the pool's worker outlived the build")
    finally:
        if build.poll() is None:
            build.kill()
