"""`gazette build`: check, derive the public view, write every output into a new generation, then switch.

Read → check → publish → write. Nothing is written while anything is still being read or checked. One
build at a time writes an output folder (`<output>/.lock`). Each build writes its outputs into a folder of
its own, `<output>/.generations/<n>/` (`site/`, `search-index/`, `.site-pages.json`, `outputs.json`), and
only when every stage has succeeded does it switch to them, in one step:

    <output>/site          -> current/site
    <output>/search-index  -> current/search-index
    <output>/current       -> .generations/<n>

`site` and `search-index` are fixed symlinks through `current`; the build replaces `current` by a new
symlink with one `rename` (`os.replace`), so the site and the search index always come from the same
build, whenever the build is stopped (even by SIGKILL). The generation it replaced is removed after the
switch; what a killed build left behind is removed when the next build starts. A failed build leaves the
last good output as it was.

Caches keyed by content live in `<output>/.cache/` so that unchanged work is not redone.
"""

from __future__ import annotations

import errno
import fcntl
import json
import os
import shutil
import sqlite3
import sys
import time
import traceback
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .findings import count, format_findings
from .pdf.cache import drop_unpublished
from .publication import Publication, build_publication

# The PDFs come first: the site links them with their sizes.
STAGES = ("pdf", "site", "search")
LINKS = ("site", "search-index")  # what readers of the output open: symlinks through CURRENT
CURRENT = "current"
GENERATIONS = ".generations"
PAGE_KEYS = ".site-pages.json"  # written by the site stage beside its `site/`
MANIFEST = "outputs.json"  # in each generation: the content each stage's output was made from
LOCK = ".lock"
# Left by the layout before generations (real folders swapped one after the other): migrated or removed.
LEGACY = (*LINKS, PAGE_KEYS)
LEGACY_LEFTOVERS = (".staging", *(f".old-{name}" for name in LEGACY))


@dataclass
class BuildDirs:
    site: Path  # this build's web root
    search_index: Path  # this build's search index
    cache: Path  # persistent caches, keyed by content
    previous: Path  # the last good output's generation (read only; may not exist)


class BuildLocked(Exception):
    """Another build holds the output folder's lock."""


def progress(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


Stage = Callable[[Publication, BuildDirs, dict[str, Any], Callable[[str], None]], None]


def _stage(name: str) -> Stage:
    if name == "site":
        from .site.build import write_site

        return write_site
    if name == "pdf":
        from .pdf.build import write_pdfs

        return write_pdfs
    from .search.build import write_index

    return write_index


def build(content: Path, output: Path, only: list[str], settings_path: str | None = None) -> int:
    from .checks import check_content
    from .settings import load_settings

    started = time.monotonic()
    if not content.is_dir():
        print(f"找不到内容目录 {content} / content folder not found: {content}", file=sys.stderr)
        return 1
    settings = load_settings(settings_path, {"PATH": str(content.resolve())})
    progress("检查内容 / checking content …")
    corpus, findings = check_content(content, settings)
    errors, warnings = count(findings)
    if findings:
        print(format_findings(findings), file=sys.stderr)
    if errors:
        print(f"构建已拒绝：{errors} 个错误，未写入任何文件 / build refused: {errors} errors, nothing written",
              file=sys.stderr)
        return 1
    lock = None
    try:
        lock = _lock(output)
        publication = _write(corpus, output, only, settings)
    except BuildLocked:
        print(f"构建正在进行：另一个构建正在写入 {output}，本次未写入任何文件；请等它结束后再构建 / another build "
              f"of this output is running ({output}); nothing was written: build again when it has finished",
              file=sys.stderr)
        return 1
    except (OSError, sqlite3.Error) as exc:
        print(_io_error(exc, output), file=sys.stderr)
        return 1
    except _Failed as failed:
        print(failed.message, file=sys.stderr)
        return 1
    finally:
        if lock is not None:
            os.close(lock)
    print(f"完成：{len(publication.documents)} 篇公开文件，{len(publication.issues)} 期公报，"
          f"{warnings} 个警告，用时 {time.monotonic() - started:.1f} 秒 / built {output} in "
          f"{time.monotonic() - started:.1f} s", file=sys.stderr)
    return 0


class _Failed(Exception):
    """A build that failed once it had begun to write; `message` is for the editor."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


def _lock(output: Path) -> int:
    """An exclusive lock on the output folder, held until the returned descriptor is closed (by the
    kernel too, when the process dies: a killed build never leaves the folder locked)."""
    output.mkdir(parents=True, exist_ok=True)
    fd = os.open(output / LOCK, os.O_RDWR | os.O_CREAT | os.O_CLOEXEC, 0o644)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        os.close(fd)
        raise BuildLocked() from None
    except OSError:
        os.close(fd)
        raise
    return fd


def _write(corpus: Any, output: Path, only: list[str], settings: dict[str, Any]) -> Publication:
    """Everything a build writes, under the lock: the Publication (its Markdown cache), the stages into
    a new generation, the switch."""
    previous = _prepare(output)
    cache = output / ".cache"
    generation = _new_generation(output)
    dirs = BuildDirs(site=generation / "site", search_index=generation / "search-index", cache=cache,
                     previous=previous if previous is not None else generation / "none")
    try:
        publication = build_publication(corpus, cache=cache)
        # Whatever stages run: a rendering of something no longer published does not stay in the cache.
        drop_unpublished(cache, publication)
        dirs.site.mkdir(parents=True)
        made_from = _read_manifest(previous) if previous is not None else {}
        fingerprint = publication.fingerprint()
        for name in STAGES:
            if name in only:
                progress(f"生成 {name} / writing {name} …")
                _stage(name)(publication, dirs, settings, progress)
            elif made_from.get(name) == fingerprint and previous is not None:
                _carry_over(name, previous, dirs)
            elif made_from.get(name):
                progress(f"未保留上次的 {name}：它由其他内容生成 / the previous {name} output is not kept: "
                         f"it was made from other content")
                made_from.pop(name)
        made_from.update({name: fingerprint for name in only})
        _write_manifest(generation, made_from)
    except (Exception, KeyboardInterrupt) as exc:
        # A failed build leaves nothing of its own; the last good output stays as it was. (A killed one
        # cannot clean up: the next build does.)
        shutil.rmtree(generation, ignore_errors=True)
        if not isinstance(exc, Exception):
            raise
        raise _Failed(_failure(exc, output, cache)) from exc
    _switch(output, generation)
    return publication


def _failure(exc: Exception, output: Path, cache: Path) -> str:
    """The editor's message; the traceback, for whoever maintains the system, goes to a file."""
    details = cache / "last-failure.txt"
    try:
        cache.mkdir(parents=True, exist_ok=True)
        details.write_text(traceback.format_exc(), encoding="utf-8")
    except OSError:  # the disk that made the build fail may be full
        if isinstance(exc, (OSError, sqlite3.Error)):
            return _io_error(exc, output)
        return f"构建失败，上次的输出保持不变：{exc} / build failed, the previous output is unchanged: {exc}"
    if isinstance(exc, (OSError, sqlite3.Error)):
        return _io_error(exc, output, details)
    return (f"构建失败，上次的输出保持不变：{exc}（详情见 {details}）/ build failed, the previous output is "
            f"unchanged: {exc} (details in {details})")


def _io_error(exc: OSError | sqlite3.Error, output: Path, details: Path | None = None) -> str:
    """A read-only folder, a full disk, a file where a folder should be: the path and what to do."""
    if isinstance(exc, sqlite3.Error):
        # SQLite does not say which file; the Markdown cache is the build's only database.
        path: str = str(output / ".cache" / "markdown.sqlite")
        reason, code = str(exc), errno.ENOSPC if "full" in str(exc) else errno.EIO
    else:
        path = str(exc.filename) if exc.filename is not None else str(output)
        reason, code = exc.strerror or str(exc), exc.errno
    if code == errno.ENOSPC or code == errno.EDQUOT:
        todo_zh, todo_en = "磁盘已满：请腾出空间后重新构建", "the disk is full: free some space and build again"
    elif code in (errno.EACCES, errno.EPERM, errno.EROFS):
        todo_zh, todo_en = ("请让该目录可写，或用 --output 指定其他目录",
                            "make the folder writable, or choose another folder with --output")
    elif code in (errno.ENOTDIR, errno.EEXIST):
        todo_zh, todo_en = ("路径中有一个文件占了目录的位置：请移走它，或用 --output 指定其他目录",
                            "a file stands where a folder is needed: move it, or choose another folder with --output")
    else:
        todo_zh, todo_en = "请检查该路径和磁盘后重新构建", "check the path and the disk, then build again"
    more_zh, more_en = (f"（详情见 {details}）", f" (details in {details})") if details else ("", "")
    return (f"构建失败，无法读写 {path}（{reason}）；{todo_zh}。上次的输出保持不变{more_zh} / build failed: cannot "
            f"read or write {path} ({reason}); {todo_en}. The previous output is unchanged{more_en}")


def _generations(output: Path) -> Path:
    return output / GENERATIONS


def _current(output: Path) -> Path | None:
    """The generation `current` points to, or None (also for a link this build did not make: only a
    generation folder is ever removed)."""
    link = output / CURRENT
    if not link.is_symlink():
        return None
    parent, _, name = os.readlink(link).partition("/")
    target = _generations(output) / name
    return target if parent == GENERATIONS and name.isdigit() and target.is_dir() else None


def _new_generation(output: Path) -> Path:
    """A new, empty generation folder, numbered after every generation there is."""
    root = _generations(output)
    root.mkdir(exist_ok=True)
    numbers = [int(p.name) for p in root.iterdir() if p.name.isdigit()]
    folder = root / str(max(numbers, default=0) + 1)
    folder.mkdir()
    return folder


def _symlink(target: str, link: Path) -> None:
    """Point `link` at `target` in one step: a new symlink renamed over the old one."""
    temporary = link.with_name(f".{link.name}.new")
    _remove(temporary)
    os.symlink(target, temporary)
    os.replace(temporary, link)


def _prepare(output: Path) -> Path | None:
    """Before a build writes: the output in the layout of generations, nothing left of killed builds.
    Returns the current generation (the last good output), or None when there is none."""
    current_link = output / CURRENT
    if current_link.exists() and not current_link.is_symlink():
        _remove(current_link)  # a copy of the output made by a tool that followed the symlinks
    legacy = [name for name in LEGACY if (output / name).exists() and not (output / name).is_symlink()]
    if legacy:
        _migrate(output, legacy)
    current = _current(output)
    if current is not None:
        _link_outputs(output)
    for name in (*LEGACY_LEFTOVERS, f".{CURRENT}.new", *(f".{name}.new" for name in LINKS)):
        _remove(output / name)
    if _generations(output).is_dir():
        for folder in _generations(output).iterdir():
            if current is None or folder.name != current.name:
                _remove(folder)  # a killed build's, or one a killed build had not yet removed
    return current


def _link_outputs(output: Path) -> None:
    """`site` and `search-index` as symlinks through `current` (made once; they never change)."""
    for name in LINKS:
        link = output / name
        if not (link.is_symlink() and os.readlink(link) == f"{CURRENT}/{name}"):
            _symlink(f"{CURRENT}/{name}", link)


def _migrate(output: Path, names: list[str]) -> None:
    """Move the outputs of the layout before generations (real folders) into a generation, and make it
    current, one output at a time: `site` and `search-index` still show the same (old) build throughout,
    and a migration stopped half-way is taken up again by the next build."""
    current = _current(output)
    if current is None:
        current = _new_generation(output)
        _symlink(f"{GENERATIONS}/{current.name}", output / CURRENT)
    # The old layout recorded what its outputs were made from after swapping them, so it may be wrong
    # after a killed build: nothing is carried over on its word.
    _remove(output / ".cache" / MANIFEST)
    for name in sorted(names, key=lambda n: n != "search-index"):  # the index first, then the site
        if (current / name).exists():
            # Both (only after the output was tampered with): the generation's, made with its other
            # outputs, is kept.
            _remove(output / name)
        else:
            os.rename(output / name, current / name)
        if name in LINKS:
            _symlink(f"{CURRENT}/{name}", output / name)


def _switch(output: Path, generation: Path) -> None:
    """Make `generation` the output, in one step; then remove the generation it replaces."""
    before = _current(output)
    try:
        _link_outputs(output)  # in place already, but for the first build
        _symlink(f"{GENERATIONS}/{generation.name}", output / CURRENT)  # the switch
    except OSError:
        shutil.rmtree(generation, ignore_errors=True)  # not switched to: the last good output stays
        raise
    if before is not None:
        shutil.rmtree(before, ignore_errors=True)


def _read_manifest(generation: Path) -> dict[str, str]:
    """Which content (by Publication fingerprint) each stage's output in `generation` was made from."""
    try:
        data = json.loads((generation / MANIFEST).read_text(encoding="utf-8"))
        return {str(k): str(v) for k, v in data.items()} if isinstance(data, dict) else {}
    except (OSError, ValueError):
        return {}


def _write_manifest(generation: Path, made_from: dict[str, str]) -> None:
    (generation / MANIFEST).write_text(json.dumps(made_from, indent=1, sort_keys=True), encoding="utf-8")


def _carry_over(stage: str, previous: Path, dirs: BuildDirs) -> None:
    """With --only, a stage not run keeps its last output, but only when that output was made from
    exactly the current content: an output made from other content could show what is no longer public."""
    if stage == "pdf" and (previous / "site" / "pdf").is_dir():
        shutil.copytree(previous / "site" / "pdf", dirs.site / "pdf", dirs_exist_ok=True)
    elif stage == "search" and (previous / "search-index").is_dir():
        from .search.build import _link_segment_files

        shutil.copytree(previous / "search-index", dirs.search_index, dirs_exist_ok=True,
                        copy_function=_link_segment_files)
    elif stage == "site" and (previous / "site").is_dir():
        if (previous / PAGE_KEYS).is_file():
            shutil.copy2(previous / PAGE_KEYS, dirs.site.parent / PAGE_KEYS)
        for item in (previous / "site").iterdir():
            target = dirs.site / item.name
            if item.name != "pdf" and not target.exists():
                (shutil.copytree if item.is_dir() else shutil.copy2)(item, target)


def _remove(path: Path) -> None:
    if path.is_symlink() or path.is_file():
        path.unlink()
    elif path.is_dir():
        shutil.rmtree(path, ignore_errors=True)
