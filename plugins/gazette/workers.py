"""Work shared by processes forked from the build, when a build has much of it: the documents' bodies
rendered from Markdown (`render.MarkdownRenderer.prepare`) and the site's pages drawn (`site/generator.py`),
as in a first build, or after a new theme or code.

Rendering Markdown and drawing pages are Python work, which runs on one core; the machines that publish
have two or more (`GAZETTE_BUILD_WORKERS`, default one process per core).

Why `os.fork` rather than a `multiprocessing` pool: a job is a closure over the run (the Publication, the
page's context, the theme's environment with its compiled templates), which a pool would pickle for every
page; a forked process has all of it already. A drawing process reports nothing back but whether it
finished: what a page shows was decided, and recorded, before the drawing starts (`_PageWriter` plans
every page first: keys, links from the last build, the listing), and what the later stages need comes from
the Publication, never from a drawing (`SiteImages.planned`, the web font's words). A rendering process
sends its results back through a pipe; the build keeps them as if it had rendered them itself.

A job that fails in any process fails the build with the same error as in one process (a full disk is
said as a full disk), its traceback added as a note for `last-failure.txt`, and the output is not switched:
the last good output stays. A process that dies is a failure too.
"""

from __future__ import annotations

import contextlib
import ctypes
import os
import pickle
import signal
import sys
import threading
import traceback
from collections.abc import Callable, Mapping, Sequence
from typing import Any, TypeVar

from . import collector

Job = Callable[[], None]
T = TypeVar("T")
R = TypeVar("R")
# Below this many jobs one process does them: starting another costs more than it saves (an edit draws a
# few dozen pages and renders one or two bodies).
SHARED_FROM = 200
MOST = 64  # processes at most: each may need a share of the build's memory
_PR_SET_PDEATHSIG = 1  # prctl(2): the signal a process gets when its parent dies
# Items shared out at a time: the forked processes end after each batch. A process that runs long copies,
# page by page, nearly all the memory it shares with the build (reading an object writes its reference
# count); one per batch copies only what its batch reads, and gives it back when it ends.
BATCH = 2000


class WorkerFailed(RuntimeError):
    """A process sharing the work ended without saying why (killed), or with an error that could not be sent."""


def processes(settings: Mapping[str, Any]) -> int:
    """`GAZETTE_BUILD_WORKERS`, or one process per core this process may use."""
    from .config import ConfigError

    configured = settings.get("GAZETTE_BUILD_WORKERS")
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else (os.cpu_count() or 1)
    if configured is None:
        return cores
    if isinstance(configured, bool) or not isinstance(configured, int) or not 1 <= configured <= MOST:
        raise ConfigError(f"GAZETTE_BUILD_WORKERS = {configured!r}：应为 1 到 {MOST} 的整数，或删去这一行（每个处理器"
                          f"核一个进程）/ GAZETTE_BUILD_WORKERS = {configured!r}: write a whole number from 1 to "
                          f"{MOST}, or remove the line (one process per core)")
    return configured


def run_jobs(jobs: Sequence[Job], count: int, progress: Callable[[int, int], None] | None = None) -> int:
    """Run every job, over `count` processes (this one and `count - 1` forked from it, a batch at a time)
    when there are enough jobs and this process may fork; returns how many processes ran them.
    `progress(done, total)` is called after each batch."""
    count = _shared_by(len(jobs), count)
    done = 0
    if count > 1:
        # The first job in this process, before forking: what every page uses once (templates compiled, the
        # drawn language names, OpenCC's dictionaries) is then made once and shared, not made in each process.
        jobs[0]()
        done = 1
    while done < len(jobs):
        batch = jobs[done:done + BATCH]
        if count > 1 and len(batch) >= SHARED_FROM:
            _forked(batch, count, _run_all)
        else:
            _run_all(batch)
        done += len(batch)
        if progress is not None and done < len(jobs):
            progress(done, len(jobs))
    return count


def map_shared(function: Callable[[T], R], items: Sequence[T], count: int) -> list[R]:
    """`[function(item) for item in items]`, over `count` processes (a batch at a time) when there are
    enough items."""
    count = _shared_by(len(items), count)
    results: list[Any] = []
    for start in range(0, len(items), BATCH):
        batch = items[start:start + BATCH]
        if count == 1 or len(batch) < SHARED_FROM:
            results += [function(item) for item in batch]
            continue
        ordered: list[Any] = [None] * len(batch)
        for number, share in enumerate(_forked(batch, count, lambda part: [function(item) for item in part])):
            ordered[number::count] = share
        results += ordered
    return results


def _run_all(jobs: Sequence[Job]) -> None:
    for job in jobs:
        job()


def _shared_by(jobs: int, count: int) -> int:
    if count <= 1 or jobs < SHARED_FROM or not _may_fork():
        return 1
    return min(count, max(1, jobs // (SHARED_FROM // 2)))


def _may_fork() -> bool:
    """Not with other threads running: a lock one of them holds would stay held in the child for good."""
    return hasattr(os, "fork") and threading.active_count() == 1


def _forked(items: Sequence[Any], count: int, work: Callable[[Sequence[Any]], Any]) -> list[Any]:
    """Share `items` out (this process takes every `count`-th from the first, each child its own stride) and
    return `work`'s result for each share, this process's first."""
    sys.stdout.flush()
    sys.stderr.flush()
    collector.set_aside()  # the collector's passes would write to every shared page and copy it
    children: list[tuple[int, int]] = []  # (pid, read end of its pipe)
    try:
        for number in range(1, count):
            read, write = os.pipe()
            parent = os.getpid()
            pid = os.fork()
            if pid == 0:  # the child: its share, then out without running the parent's exit handlers
                os.close(read)
                end_with(parent)
                _child(lambda number=number: work(items[number::count]), write)
            os.close(write)
            children.append((pid, read))
        results = [work(items[0::count])]
    except BaseException:
        for pid, read in children:
            os.kill(pid, signal.SIGKILL)
            os.waitpid(pid, 0)
            os.close(read)
        raise
    finally:
        collector.give_back()  # a build's own set-aside objects stay set aside
    failure: BaseException | None = None
    for pid, read in children:
        ok, value = _wait(pid, read)
        if ok:
            results.append(value)
        elif failure is None:
            failure = value
    if failure is not None:
        raise failure
    return results


def end_with(parent: int) -> None:
    """Have the kernel kill this child when the build that forked it dies (killed, out of memory, ended by
    SIGTERM), so that no process goes on drawing into a generation that will never be switched to, or
    holds the output's lock that every later build waits for (Linux; elsewhere the child ends with its
    batch). Also the initializer of the PDF stage's and the archive's process pools."""
    with contextlib.suppress(OSError, AttributeError):
        ctypes.CDLL(None, use_errno=True).prctl(_PR_SET_PDEATHSIG, signal.SIGKILL)
    if os.getppid() != parent:  # it died before that took effect
        os._exit(1)


def _child(work: Callable[[], Any], write: int) -> None:
    status = 0
    try:
        sent = pickle.dumps((True, work()))
    except BaseException as exc:  # everything is sent to the parent, which fails the build
        status = 1
        told = traceback.format_exc()
        try:
            sent = pickle.dumps((False, (exc, told)))
        except Exception:  # an error that does not pickle is sent as its text
            sent = pickle.dumps((False, (WorkerFailed(f"{type(exc).__name__}: {exc}"), told)))
    try:
        with os.fdopen(write, "wb", closefd=False) as pipe:
            pipe.write(sent)
    finally:
        os._exit(status)  # a forked child must not return into the parent's code nor run its exit handlers


def _wait(pid: int, read: int) -> tuple[bool, Any]:
    """(True, the child's result) or (False, its error), once it has exited."""
    with os.fdopen(read, "rb") as pipe:
        sent = pipe.read()
    _, status = os.waitpid(pid, 0)
    code = os.waitstatus_to_exitcode(status)
    try:
        ok, value = pickle.loads(sent)  # from this process's own child
    except Exception:  # nothing sent: the child was killed
        return False, WorkerFailed(f"构建的辅助进程 {pid} 异常退出（{code}）/ the build's helper process {pid} "
                                   f"ended with status {code}")
    if ok:
        return True, value
    exc, told = value
    exc.add_note(f"in the build's helper process {pid}:\n{told}")
    return False, exc
