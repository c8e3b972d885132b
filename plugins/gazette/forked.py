"""A stage run in a child process while this one goes on with the others: the search index is written
beside the site on a machine with two cores (Sphinx's `-j` forks its workers the same way).

The child is forked, so it starts with this process's Publication as it is (nothing pickled on the way
in); only what the stage returns, or the exception it raised with its traceback, comes back, pickled
through a pipe. The child dies with its parent (a killed build leaves no writer behind) and is killed when
the parent gives up the build. Nothing the child keeps in memory (a remembered record) comes back: those
are looked up by their file's identity, so the parent misses them and reads the file.
"""

from __future__ import annotations

import contextlib
import ctypes
import os
import pickle
import signal
import sys
import traceback
import warnings
from collections.abc import Callable
from typing import Any

_PR_SET_PDEATHSIG = 1


def can_fork() -> bool:
    """Whether a stage can run beside another: fork exists and this process may use two CPUs."""
    if not hasattr(os, "fork"):
        return False
    try:
        return len(os.sched_getaffinity(0)) >= 2
    except (AttributeError, OSError):
        return (os.cpu_count() or 1) >= 2


class ForkedCall:
    """`function(*args)` running in a child process; `result()` waits for it and returns its value or
    raises its exception (with the child's traceback as a note)."""

    def __init__(self, function: Callable[..., Any], *args: Any) -> None:
        read, write = os.pipe()
        sys.stdout.flush()
        sys.stderr.flush()
        with warnings.catch_warnings():
            # Python 3.12 warns of a fork in a process with threads (the watch's): the child runs only
            # this stage's code, which takes no lock another thread could hold.
            warnings.simplefilter("ignore", DeprecationWarning)
            pid = os.fork()
        if pid == 0:
            os.close(read)
            _child(write, function, args)
        os.close(write)
        self._pid: int | None = pid
        self._read = read

    def result(self) -> Any:
        with os.fdopen(self._read, "rb") as pipe:
            data = pipe.read()
        status = self._wait()
        if not data:
            raise RuntimeError(f"the stage's process ended without a result ({_how(status)})")
        outcome, value, details = pickle.loads(data)  # from our own child
        if outcome == "raised":
            value.add_note(details)
            raise value
        return value

    def cancel(self) -> None:
        """Stop the child (the build failed or was stopped): it writes nothing more."""
        if self._pid is None:
            return
        with contextlib.suppress(ProcessLookupError):
            os.kill(self._pid, signal.SIGKILL)
        self._wait()
        with contextlib.suppress(OSError):
            os.close(self._read)

    def _wait(self) -> int:
        pid, self._pid = self._pid, None
        if pid is None:
            return 0
        while True:
            try:
                return os.waitpid(pid, 0)[1]
            except InterruptedError:
                continue


def _child(write: int, function: Callable[..., Any], args: tuple[Any, ...]) -> None:
    """In the child: run, send the outcome, and leave without running the parent's exit handlers."""
    code = 0
    try:
        with contextlib.suppress(OSError, AttributeError):  # Linux's: die with the parent
            ctypes.CDLL(None).prctl(_PR_SET_PDEATHSIG, signal.SIGKILL)
        if os.getppid() == 1:  # the parent died before the line above
            os._exit(1)
        try:
            outcome: tuple[str, Any, str] = ("returned", function(*args), "")
        except BaseException as exc:  # the parent decides what it means
            outcome = ("raised", exc, "in the stage's process:\n" + traceback.format_exc())
        try:
            data = pickle.dumps(outcome)
        except Exception:  # an exception that does not pickle still reaches the parent
            data = pickle.dumps(("raised", RuntimeError(repr(outcome[1])), outcome[2]))
        with os.fdopen(write, "wb") as pipe:
            pipe.write(data)
    except BaseException:  # the parent sees an empty pipe and says so
        code = 1
    finally:
        with contextlib.suppress(Exception):
            sys.stdout.flush()
            sys.stderr.flush()
        os._exit(code)


def _how(status: int) -> str:
    if os.WIFSIGNALED(status):
        return f"signal {os.WTERMSIG(status)}"
    return f"exit status {os.waitstatus_to_exitcode(status)}"
