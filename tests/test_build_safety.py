"""What `gazette build` does to its output folder when things go wrong: a build killed at any point leaves
the site and the search index of one and the same build; one build writes an output at a time; an output
folder that cannot be written gives a clear error and keeps the last output; and two builds of the same
content give the same search index, byte for byte."""

from __future__ import annotations

import errno
import fcntl
import hashlib
import os
import re
import shutil
import subprocess
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from itertools import count
from pathlib import Path

import gazette.generations as generations
import pytest
from factory import ContentFactory
from gazette.build import build, run_build
from gazette.search.index import SearchIndex
from gazette.search.query import parse_request, run
from gazette.search.service import SearchService

ONLY = ["site", "search"]  # the PDFs are not the point here, and slow


class Killed(BaseException):
    """Stands for SIGKILL: nothing in the build catches it, so nothing is cleaned up."""


@contextmanager
def killed_at(step: int) -> Iterator[Callable[[], int]]:
    """Kill the build at its `step`-th change of the file system's names (a symlink made, a rename, a
    file or folder removed, also inside shutil.rmtree); yields the number of steps taken."""
    taken = 0
    originals = {name: getattr(os, name) for name in ("symlink", "replace", "rename", "unlink", "rmdir")}

    def counted(function: Callable[..., object]) -> Callable[..., object]:
        def step_of_the_build(*args: object, **kwargs: object) -> object:
            nonlocal taken
            if taken == step:
                raise Killed
            taken += 1
            return function(*args, **kwargs)

        return step_of_the_build

    for name, function in originals.items():
        setattr(os, name, counted(function))
    try:
        yield lambda: taken
    finally:
        for name, function in originals.items():
            setattr(os, name, function)


def _hits(index: SearchIndex | None, word: str) -> bool:
    return index is not None and bool(run(index, parse_request({"q": word, "size": "50"})).hits)


def state(output: Path) -> tuple[str | None, str | None]:
    """Which build the site and the search index that readers see come from: "A" (the withheld document
    still public, the added one not there yet), "B" (the other way round), or None (nothing there)."""

    def which(secret: bool, added: bool) -> str:
        return {(True, False): "A", (False, True): "B"}.get((secret, added), f"mixed {secret} {added}")

    documents = output / "site" / "zh" / "documents"
    site = which((documents / "secret").is_dir(), (documents / "added").is_dir()) if documents.is_dir() else None
    index = SearchIndex.open(Path(os.path.realpath(output / "search-index")))
    searched = which(_hits(index, "zqxsecretbody"), _hits(index, "zqxaddedbody")) if index else None
    return site, searched


def tree(folder: Path) -> dict[str, bytes]:
    folder = Path(os.path.realpath(folder))
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def leftovers(output: Path) -> list[str]:
    """What is in the output folder besides the last good output, the spare tree the next build updates
    (a whole one: its site record in place) and the caches, once the generations replaced by this
    process's builds are removed."""
    generations.wait_for_removals()
    kept = {os.readlink(output / "current").split("/")[-1]}
    if (spare := generations.spare(output)) is not None:
        kept.add(spare.name)
    names = [p.name for p in output.iterdir() if p.name not in ("site", "search-index", "current", ".cache",
                                                                 ".generations", ".lock")
             and not (p.name == generations.REMOVING and not any(p.iterdir()))]
    return names + [f".generations/{p.name}" for p in (output / ".generations").iterdir() if p.name not in kept]


def timeless(files: dict[str, bytes]) -> dict[str, bytes]:
    """A site's files, but for the one time-dependent part: a feed without entries is dated by its build."""
    return {name: re.sub(rb"<updated>[^<]*</updated></feed>", b"</feed>", data) if name.endswith(".atom.xml")
            else data for name, data in files.items()}


def copy(source: Path, target: Path) -> Path:
    shutil.copytree(source, target, symlinks=True)
    return target


@pytest.fixture(scope="module")
def builds(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """An output of build A, and the same output with build B written but not yet switched to."""
    root = tmp_path_factory.mktemp("safety")
    content = ContentFactory(root / "content")
    content.document("kept", body="第一号文件正文。zqxkeptbody")
    content.document("secret", body="第二号文件正文。zqxsecretbody")
    output = root / "a"
    assert build(content.root, output, ONLY) == 0
    assert state(output) == ("A", "A")
    a = copy(output, root / "a-copy")

    content.document("secret", body="第二号文件正文。zqxsecretbody", disclosure="不予公开",
                     withheld_reason="过程性信息", secrecy_review=None, index_no="S00000001/2026-00002")
    content.document("added", body="第三号文件正文。zqxaddedbody")
    staged: list[Path] = []
    real_switch = generations.switch
    generations.switch = lambda output, generation, **_: staged.append(generation)
    try:
        assert build(content.root, output, ONLY) == 0
    finally:
        generations.switch = real_switch
    assert state(output) == ("A", "A") and len(staged) == 1
    return {"content": content.root, "a": a, "a+b": output, "b": staged[0]}


def test_a_build_killed_at_any_step_of_the_switch_shows_one_build(builds: dict[str, Path], tmp_path: Path) -> None:
    seen = set()
    for step in count():
        output = copy(builds["a+b"], tmp_path / str(step))
        generation = output / ".generations" / builds["b"].name
        with killed_at(step) as taken:
            try:
                # As a build switches: the replaced generation moved aside, removed by a process of its own.
                generations.switch(output, generation, remove_in_background=True)
                finished = True
            except Killed:
                finished = False
        site, index = state(output)
        assert site == index and site in ("A", "B"), (step, site, index)
        seen.add(site)
        # The next build starts by clearing what the killed one left; the output stays as it was.
        generations.prepare(output)
        assert state(output) == (site, index)
        assert leftovers(output) == []
        if finished:
            break
    assert seen == {"A", "B"} and taken() >= 2  # the new symlink made, then renamed over the old one


def test_the_build_after_a_killed_one_builds_and_cleans_up(builds: dict[str, Path], tmp_path: Path,
                                                          monkeypatch: pytest.MonkeyPatch) -> None:
    output = copy(builds["a"], tmp_path / "out")
    real_switch = generations.switch

    def killed_switch(output: Path, generation: Path, **_: bool) -> None:
        with killed_at(1):  # after the new `current` symlink is made, before it replaces the old one
            real_switch(output, generation)

    monkeypatch.setattr(generations, "switch", killed_switch)
    with pytest.raises(Killed):
        build(builds["content"], output, ONLY)
    assert state(output) == ("A", "A")
    assert leftovers(output) != []  # the killed build's generation and its new symlink
    monkeypatch.setattr(generations, "switch", real_switch)
    assert build(builds["content"], output, ONLY) == 0  # the lock died with the killed build
    assert state(output) == ("B", "B")
    assert leftovers(output) == []


def test_a_build_killed_while_it_updates_the_spare_tree(builds: dict[str, Path], tmp_path: Path) -> None:
    """The spare tree (the build before last) is updated in place; killed at any point of that, the last
    good output stays, and the next build recognises the half-updated tree and builds one equal to a
    fresh build."""
    content = copy(builds["content"], tmp_path / "content")
    kept = next(content.rglob("kept.zh.md"))
    output = copy(builds["a"], tmp_path / "out")
    assert build(content, output, ONLY) == 0  # B; A withdrew a document: not kept as the spare
    generations.wait_for_removals()
    assert generations.spare(output) is None
    kept.write_text(kept.read_text(encoding="utf-8") + "\nzqxfirstedit\n", encoding="utf-8")
    assert build(content, output, ONLY) == 0  # a new tree; B kept as the spare
    assert generations.spare(output) is not None
    updated = copy(output, tmp_path / "updated")
    kept.write_text(kept.read_text(encoding="utf-8") + "\nzqxsecondedit\n", encoding="utf-8")
    fresh = tmp_path / "fresh"
    assert build(content, fresh, ONLY) == 0
    page = Path("site/zh/documents/kept/index.html")
    # killed once the record is renamed (step 0), and while pages are being replaced (after the tree is
    # renamed and the files the stages write anew are moved aside)
    for step in (1, 20):
        output = copy(updated, tmp_path / f"killed-{step}")
        with killed_at(step), pytest.raises(Killed):
            build(content, output, ONLY)
        assert list(output.glob(f".generations/*/{generations.HELD}"))  # the spare, taken up
        assert state(output) == ("B", "B")
        assert "zqxfirstedit" in (output / page).read_text(encoding="utf-8")
        assert "zqxsecondedit" not in (output / page).read_text(encoding="utf-8")
        assert build(content, output, ONLY) == 0
        assert "zqxsecondedit" in (output / page).read_text(encoding="utf-8")
        assert leftovers(output) == []
        assert timeless(tree(output / "site")) == timeless(tree(fresh / "site")), step


def test_the_service_follows_the_switch(builds: dict[str, Path], tmp_path: Path) -> None:
    output = copy(builds["a+b"], tmp_path / "out")
    service = SearchService(output / "search-index")
    assert _hits(service.index(), "zqxsecretbody")
    generations.switch(output, output / ".generations" / builds["b"].name)
    index = service.index()
    assert index is not None and index.folder == Path(os.path.realpath(output / "search-index"))
    assert not _hits(index, "zqxsecretbody") and _hits(index, "zqxaddedbody")


def legacy(output: Path) -> Path:
    """Turn a built output into the layout before generations: real folders, the manifest in the cache."""
    generation = Path(os.path.realpath(output / "current"))
    for name in ("site", "search-index", ".site-pages.json"):
        (output / name).unlink(missing_ok=True)
        (generation / name).rename(output / name)
    (generation / "outputs.json").rename(output / ".cache" / "outputs.json")
    (output / "current").unlink()
    shutil.rmtree(output / ".generations")
    return output


def test_an_output_of_the_old_layout_is_migrated_even_when_killed(builds: dict[str, Path], tmp_path: Path) -> None:
    old = legacy(copy(builds["a"], tmp_path / "old"))
    before = {name: tree(old / name) for name in ("site", "search-index")}
    for step in count():
        output = copy(old, tmp_path / str(step))
        with killed_at(step):
            try:
                generations.prepare(output)
                finished = True
            except Killed:
                finished = False
        assert state(output)[0] in ("A", None) and state(output)[1] in ("A", None)
        generations.prepare(output)
        assert {name: tree(output / name) for name in before} == before, step
        assert (output / "site").is_symlink() and leftovers(output) == []
        if finished:
            break


def test_a_build_on_an_output_of_the_old_layout(builds: dict[str, Path], tmp_path: Path) -> None:
    output = legacy(copy(builds["a"], tmp_path / "old"))
    result = run_build(builds["content"], output, ONLY)
    assert result.status == 0
    assert state(output) == ("B", "B")
    assert not (output / ".cache" / "outputs.json").exists()
    assert leftovers(output) == []
    # the pages of the migrated site were there to be reused
    assert result.reports["site"].reused > 0


def test_a_second_build_of_the_same_output_is_refused(builds: dict[str, Path], tmp_path: Path,
                                                      capsys: pytest.CaptureFixture[str]) -> None:
    output = copy(builds["a"], tmp_path / "out")
    before = tree(output / "site")
    fd = os.open(output / ".lock", os.O_RDWR)  # as a build in another process holds it
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        capsys.readouterr()
        assert build(builds["content"], output, ONLY) == 1
    finally:
        os.close(fd)
    err = capsys.readouterr().err
    assert "构建正在进行" in err and "another build of this output is running" in err
    assert tree(output / "site") == before and state(output) == ("A", "A") and leftovers(output) == []
    assert build(builds["content"], output, ONLY) == 0  # once it has finished


def test_two_builds_at_once_in_two_processes(builds: dict[str, Path], tmp_path: Path) -> None:
    output = copy(builds["a"], tmp_path / "out")
    holder = subprocess.Popen(
        [sys.executable, "-c", "import fcntl, sys; f = open(sys.argv[1]); fcntl.flock(f, fcntl.LOCK_EX); "
         "print('locked', flush=True); sys.stdin.read()", str(output / ".lock")],
        stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout is not None and holder.stdout.readline().strip() == "locked"
        assert build(builds["content"], output, ONLY) == 1
    finally:
        holder.communicate("")
    assert state(output) == ("A", "A")


def test_an_output_path_that_cannot_be_a_folder(builds: dict[str, Path], tmp_path: Path,
                                               capsys: pytest.CaptureFixture[str]) -> None:
    (tmp_path / "file").write_text("not a folder")
    capsys.readouterr()
    assert build(builds["content"], tmp_path / "file" / "build", ONLY) == 1
    err = capsys.readouterr().err
    assert str(tmp_path / "file") in err and "--output" in err
    assert "cannot read or write" in err and "无法读写" in err and "Traceback" not in err


def test_a_full_disk_keeps_the_last_output(builds: dict[str, Path], tmp_path: Path,
                                           monkeypatch: pytest.MonkeyPatch,
                                           capsys: pytest.CaptureFixture[str]) -> None:
    import gazette.search.build as search_build

    output = copy(builds["a"], tmp_path / "out")
    before = {name: tree(output / name) for name in ("site", "search-index")}

    def full(folder: Path, facets: object) -> None:
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC), str(folder / "facets.json"))

    monkeypatch.setattr(search_build, "write_facets", full)
    capsys.readouterr()
    assert build(builds["content"], output, ONLY) == 1
    err = capsys.readouterr().err
    assert "facets.json" in err and "disk is full" in err and "磁盘已满" in err and "Traceback" not in err
    assert {name: tree(output / name) for name in before} == before
    assert leftovers(output) == []


def test_a_markdown_cache_that_cannot_be_opened(builds: dict[str, Path], tmp_path: Path,
                                                capsys: pytest.CaptureFixture[str]) -> None:
    output = copy(builds["a"], tmp_path / "out")
    before = tree(output / "site")
    cache = output / ".cache" / "markdown.sqlite"
    cache.unlink()
    cache.mkdir()  # SQLite cannot open it: as a read-only or damaged cache would fail
    capsys.readouterr()
    assert build(builds["content"], output, ONLY) == 1
    err = capsys.readouterr().err
    assert str(cache) in err and "Traceback" not in err
    assert tree(output / "site") == before and leftovers(output) == []


REBUILD = """
import shutil, sys
from pathlib import Path
from gazette.build import build
v1, v2, output, snapshot = map(Path, sys.argv[1:])
assert build(v1, output, ["search"]) == 0
shutil.copytree((output / "search-index").resolve(), snapshot)
assert build(v2, output, ["search"]) == 0
"""


def test_two_builds_of_the_same_content_give_the_same_index(builds: dict[str, Path], tmp_path: Path) -> None:
    v1 = builds["content"]
    v2 = copy(v1, tmp_path / "v2")
    kept = v2 / "documents" / "2026" / "kept.zh.md"
    kept.write_text(kept.read_text(encoding="utf-8").replace("zqxkeptbody", "zqxkeptrevised"), encoding="utf-8")
    (v2 / "documents" / "2026" / "added.zh.md").unlink()  # its segment is rewritten without it

    here = tmp_path / "here"
    assert build(v1, here, ["search"]) == 0
    first = tree(here / "search-index")
    assert build(v2, here, ["search"]) == 0
    second = tree(here / "search-index")
    assert first != second

    # Again in another process, where Python's string hashes (and so the order of sets) differ.
    seed = "2" if os.environ.get("PYTHONHASHSEED") == "1" else "1"
    subprocess.run([sys.executable, "-c", REBUILD, str(v1), str(v2), str(tmp_path / "there"),
                    str(tmp_path / "snapshot")], check=True, env={**os.environ, "PYTHONHASHSEED": seed},
                   capture_output=True)
    assert tree(tmp_path / "snapshot") == first
    assert tree(tmp_path / "there" / "search-index") == second


def test_the_index_does_not_depend_on_the_number_of_processes(builds: dict[str, Path], tmp_path: Path,
                                                              monkeypatch: pytest.MonkeyPatch) -> None:
    import gazette.search.index as search_index
    from gazette.checks import check_content
    from gazette.publication import build_publication
    from gazette.search.build import entries, update_index

    monkeypatch.setattr(search_index, "SEGMENT_ENTRIES", 1)  # one segment an entry
    wanted = list(entries(build_publication(check_content(builds["content"])[0])))
    digests = []
    for procs in (1, 3):
        update_index(tmp_path / str(procs), tmp_path / "none", wanted, procs)
        digests.append(hashlib.sha256(repr(tree(tmp_path / str(procs))).encode()).hexdigest())
    assert len(list((tmp_path / "1").glob("*.trm"))) == len(wanted) > 1
    assert digests[0] == digests[1]
