"""Pages drawn by several processes at once, when a build draws many (the first build, a new theme or code).

Drawing a page is Jinja and string work: Python runs it on one core, and the machines that publish have two
or more. Each job draws one listed page and the copies made from it (its Traditional and large-print
copies, which read the page from disk), so a job is whole in the process that runs it.

Why `os.fork` rather than a `multiprocessing` pool: a job is a closure over the run (the Publication, the
page's context, the theme's environment with its compiled templates), which a pool would pickle for every
page; a forked process has all of it already and only writes files. It reports nothing back but whether it
finished: what a page shows was decided, and recorded, before the drawing starts (`_PageWriter` plans
every page first: keys, links from the last build, the listing), and what the later stages need comes
from the Publication, never from a drawing (`SiteImages.planned`, the web font's words).

A job that fails in any process fails the build with the same error as in one process (a full disk is
said as a full disk), its traceback added as a note for `last-failure.txt`, and the output is not switched:
the last good output stays. A process that dies is a failure too.
"""

from __future__ import annotations

import gc
import os
import pickle
import signal
import sys
import threading
import traceback
from collections.abc import Callable, Mapping, Sequence
from typing import Any

Job = Callable[[], None]
# Below this many jobs one process draws them: starting another costs more than it saves (an edit draws a
# few dozen pages).
SHARED_FROM = 200


class DrawingFailed(RuntimeError):
    """A process drawing pages ended without saying why (killed), or with an error that could not be sent."""


def processes(settings: Mapping[str, Any]) -> int:
    """`GAZETTE_SITE_WORKERS`, or one process per core this process may use."""
    configured = settings.get("GAZETTE_SITE_WORKERS")
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else (os.cpu_count() or 1)
    return max(1, int(configured or cores))


def run_jobs(jobs: Sequence[Job], count: int, progress: Callable[[int, int], None] | None = None) -> int:
    """Run every job, over `count` processes (this one and `count - 1` forked from it) when there are enough
    jobs and this process may fork; returns how many processes ran them. `progress(done, total)` is called
    by this process now and then, its share's progress counted for all."""
    count = min(count, max(1, len(jobs) // (SHARED_FROM // 2)))
    if count <= 1 or len(jobs) < SHARED_FROM or not _may_fork():
        _run(jobs, progress, len(jobs), 1)
        return 1
    # The first job in this process, before forking: what every page uses once (templates compiled, the
    # drawn language names, OpenCC's dictionaries) is then made once and shared, not made in each process.
    jobs[0]()
    rest = jobs[1:]
    sys.stdout.flush()
    sys.stderr.flush()
    gc.freeze()  # the collector's passes would write to every shared page and copy it
    children: list[tuple[int, int]] = []  # (pid, read end of its pipe)
    try:
        for number in range(1, count):
            read, write = os.pipe()
            pid = os.fork()
            if pid == 0:  # the child: its share, then out without running the parent's exit handlers
                os.close(read)
                _child(rest[number::count], write)
            os.close(write)
            children.append((pid, read))
        _run(rest[0::count], progress, len(rest[0::count]), count)
    except BaseException:
        for pid, read in children:
            os.kill(pid, signal.SIGKILL)
            os.waitpid(pid, 0)
            os.close(read)
        raise
    finally:
        gc.unfreeze()
    failures = [failure for pid, read in children if (failure := _wait(pid, read)) is not None]
    if failures:
        raise failures[0]
    return count


def _may_fork() -> bool:
    """Not with other threads running: a lock one of them holds would stay held in the child for good."""
    return hasattr(os, "fork") and threading.active_count() == 1


def _run(jobs: Sequence[Job], progress: Callable[[int, int], None] | None, total: int, shares: int) -> None:
    """This process's share; progress counted for all (the shares are equal, so about right)."""
    for done, job in enumerate(jobs, 1):
        job()
        if progress is not None and done % 1000 == 0:
            progress(done * shares, total * shares)


def _child(jobs: Sequence[Job], write: int) -> None:
    status = 0
    try:
        for job in jobs:
            job()
    except BaseException as exc:  # everything is sent to the parent, which fails the build
        status = 1
        told = traceback.format_exc()
        try:
            sent = pickle.dumps((exc, told))
        except Exception:  # an error that does not pickle is sent as its text
            sent = pickle.dumps((DrawingFailed(f"{type(exc).__name__}: {exc}"), told))
        with os.fdopen(write, "wb", closefd=False) as pipe:
            pipe.write(sent)
    finally:
        os._exit(status)  # a forked child must not return into the parent's code nor run its exit handlers


def _wait(pid: int, read: int) -> BaseException | None:
    """The child's error (None when it finished), once it has exited."""
    with os.fdopen(read, "rb") as pipe:
        sent = pipe.read()
    _, status = os.waitpid(pid, 0)
    code = os.waitstatus_to_exitcode(status)
    if code == 0:
        return None
    try:
        exc, told = pickle.loads(sent)  # from this process's own child
    except Exception:  # nothing sent: the child was killed
        return DrawingFailed(f"绘制页面的进程 {pid} 异常退出（{code}）/ the process drawing pages ({pid}) ended "
                             f"with status {code}")
    exc.add_note(f"in the process drawing pages ({pid}):\n{told}")
    return exc
