"""`gazette build --watch`: build, then build again each time the content, the settings or the theme change,
in the same process (Pelican's `--autoreload`, for the whole build).

The second and later builds skip what a new `gazette build` process pays before it reads a file: starting
Python, importing Pelican, Markdown, Jinja and the checks, setting up Pelican, and loading the compiled
templates (kept in memory by `theme.py`). Every build is still a whole `run_build`: the inputs' digest, the
check, the Publication, every stage and the switch, with the same promises (a failed build leaves the last
good output; nothing changed, nothing written).

What a running process cannot take on is new code: its modules are the ones it imported. A change to this
package's files or to the installed libraries stops the watch with a message, instead of a build whose
record would name code it did not run. A change of the Beijing day builds again (the check judges dates by
it). The settings files are compared by their stat each second (watching a single file misses an editor's
save-by-rename); the content and theme folders are watched through the operating system (watchfiles, which
Pelican itself uses), folder by folder, never through a link.
"""

from __future__ import annotations

import contextlib
import ctypes
import datetime as dt
import gc
import itertools
import os
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from pathlib import Path

from . import build_inputs
from .build import BuildResult, outdated, run_build, warm
from .generations import reap_removals

# Milliseconds: changes arriving closer together than STEP are one build (a `git pull` writes many files);
# a stream of changes is cut after DEBOUNCE. IDLE: how often the settings and the day are looked at.
STEP_MS = 50
DEBOUNCE_MS = 1600
IDLE_MS = 1000
# Seconds a build waits for git to finish writing the content's working tree (its index lock).
GIT_WAIT_S = 120.0
# A long watch grows a few MB a build even so (memory C code keeps in its own pools): past this growth the
# process starts itself afresh, as a web server's worker is renewed after so many requests.
RENEW_AFTER_MB = 300
_SKIPPED_DIRS = frozenset({".git", "__pycache__", ".cache"})


def _stamps(paths: list[Path]) -> list[tuple[int, int, int, int]]:
    """What changes when a file is saved, in place or by rename."""
    found = []
    for path in paths:
        try:
            st = os.stat(path)
        except OSError:
            found.append((0, 0, 0, 0))
            continue
        found.append((st.st_ino, st.st_size, st.st_mtime_ns, st.st_ctime_ns))
    return found


def _program(code: list[Path]) -> tuple[list[str], list[tuple[int, int, int, int]]]:
    """The installed libraries and the stat of every file of this package: what the running process
    cannot take on (a hundred files: looked at every second, whether or not a change was noticed)."""
    files = [path for folder in code for path in build_inputs.folder_files(folder)]
    return build_inputs.libraries() + [str(p) for p in files], _stamps(files)


def _input_change(_change: object, path: str) -> bool:
    """Every change counts but those in git's and Python's own folders (a build that finds nothing
    changed costs a digest, a fraction of a second)."""
    return not _SKIPPED_DIRS.intersection(Path(path).parts) and not path.endswith(".pyc")


def _theme(settings_path: str | None, content: Path) -> Path | None:
    from .config import ConfigError, GazetteConfig
    from .settings import load_settings

    try:
        return GazetteConfig.from_settings(load_settings(settings_path, {"PATH": str(content.resolve())})).theme
    except ConfigError:
        return None


def _git_index_lock(content: Path) -> Path | None:
    """The lock git holds on the content's repository while it writes the working tree (a `git pull`, a
    checkout): None outside a repository."""
    try:
        found = subprocess.run(["git", "-C", str(content), "rev-parse", "--absolute-git-dir"], capture_output=True,
                               text=True, timeout=30, check=False, stdin=subprocess.DEVNULL)
    except (OSError, subprocess.SubprocessError):
        return None
    folder = found.stdout.strip()
    return Path(folder) / "index.lock" if found.returncode == 0 and folder else None


def _wait_while_git_writes(lock: Path | None, stop: threading.Event | None) -> None:
    """Build no tree that git is half-way through writing (a pull on the publishing server): wait until its
    lock is gone, or GIT_WAIT_S (a lock a crashed git left behind is said, then built past)."""
    waited = 0.0
    while lock is not None and lock.exists() and not (stop is not None and stop.is_set()):
        if waited >= GIT_WAIT_S:
            print(f"git 的锁 {lock} 已存在 {GIT_WAIT_S:.0f} 秒，仍然构建；若没有 git 命令在运行，删除该文件 / "
                  f"git's lock {lock} has stood for {GIT_WAIT_S:.0f} s: building all the same; if no git command "
                  "is running, remove it", file=sys.stderr)
            return
        time.sleep(0.05)
        waited += 0.05


def _resident_mb() -> float:
    try:
        return int(Path("/proc/self/statm").read_text().split()[1]) * os.sysconf("SC_PAGE_SIZE") / 1e6
    except (OSError, ValueError, IndexError):
        return 0.0


def _tidy() -> None:
    """What one short `gazette build` leaves to its exit, done after each build of the watch (once its output is
    live, so no edit waits for it). The build's corpus and Publication hold reference cycles, which the
    command's collector thresholds (`cli.tune_process`) would leave for a long time; the memory C code
    freed (the JSON records, tantivy's and SQLite's buffers) stays with the process until it is trimmed;
    finished removals of old generations are reaped. Measured at 10,000 documents: without this the
    process grew by about 35 MB a build, with it by 3–5 MB."""
    gc.collect()
    reap_removals()
    with contextlib.suppress(OSError, AttributeError):  # glibc's; elsewhere freed memory is only reused
        ctypes.CDLL(None).malloc_trim(0)


def _folders(roots: list[Path]) -> list[str]:
    """Every folder under the roots, reached without a link, each watched on its own. (A recursive watch
    follows links: one to / in the content folder, which the check refuses, would have the watch walk
    and hold the whole file system.) Walked with a list, not by recursion: a folder nested a thousand deep
    is no error of the content's, and must not end the watch."""
    found: list[str] = []
    for root in roots:
        pending = [str(root)]
        while pending:
            folder = pending.pop()
            found.append(folder)
            try:
                with os.scandir(folder) as entries:
                    inner = sorted(e.path for e in entries
                                   if e.name not in _SKIPPED_DIRS and e.is_dir(follow_symlinks=False))
            except OSError:  # gone, or unreadable: the build says so
                continue
            pending.extend(reversed(inner))
    return found


def watch(content: Path, output: Path, only: list[str], settings_path: str | None = None,
          today: dt.date | None = None, verbose: bool = False, *,
          force: bool = False, on_build: Callable[[BuildResult], None] | None = None,
          stop: threading.Event | None = None, renew: Callable[[], None] | None = None) -> int:
    """Build (`force`: the first build even when nothing changed), then build after every change until
    stopped (Ctrl-C, or `stop`): 0; 1 when the code changed under the running process (start it again).
    `on_build`: called with every build's result. `renew`: called (between builds) once the process has
    grown by RENEW_AFTER_MB since its first build that wrote anything; `gazette build --watch` starts itself
    afresh there."""
    from watchfiles import watch as changes_of

    from .checks import beijing_today
    from .settings import settings_file

    program = _program([Path(f) for f in build_inputs.folders_of([])])
    settings = build_inputs.settings_files(settings_file(settings_path))

    first: list[float] = []

    git_lock = _git_index_lock(content)

    refused: list[str | None] = [None]  # the inputs the last build was refused for: not built again as they are

    def build(force: bool = False) -> None:
        _wait_while_git_writes(git_lock, stop)
        result = run_build(content, output, only, settings_path, today, verbose, force=force)
        refused[0] = result.refused
        result.publication = None
        if on_build is not None:  # the build's output is live now: what follows is the watch's own
            on_build(result)
        with contextlib.suppress(Exception):  # a head start only: the next build reads what it needs, and
            warm(content, output)  # says what is wrong
        _tidy()
        if result.status != 0 or (result.unchanged and not first):
            return
        # Measured from the first build that wrote: it fills what the process keeps for the next builds
        # (the Publication's rows, the records), which is working memory, not growth.
        resident = _resident_mb()
        first[:] = first or [resident]
        grown = resident - first[0]
        if renew is not None and grown > RENEW_AFTER_MB:
            print(f"进程内存已增长 {grown:.0f} MB，重新启动监视 / the process grew by {grown:.0f} MB since its first "
                  "build that wrote: the watch starts afresh", file=sys.stderr)
            renew()

    build(force)
    print(f"等待修改（Ctrl-C 停止）/ watching {content} for changes (Ctrl-C stops)", file=sys.stderr)
    polling = False
    while True:  # a new watch when folders come or go, or the settings (and so perhaps the theme) change
        theme = _theme(settings_path, content)
        roots = [p for p in (content, theme) if p is not None and p.is_dir()]
        folders = _folders(roots)
        stamps, day = _stamps(settings), beijing_today()
        # An edit saved while a build ran, or before this watch began, is found by comparing the inputs
        # with the last good build's once the watch has begun (its first pause).
        settled = False
        watching = changes_of(*folders, watch_filter=_input_change, step=STEP_MS, debounce=DEBOUNCE_MS,
                              rust_timeout=IDLE_MS, yield_on_timeout=True, stop_event=stop, raise_interrupt=False,
                              recursive=False, ignore_permission_denied=True, force_polling=polling)
        try:
            begun = next(watching, None)  # the watch begins here: a refused one says so now
        except OSError as exc:  # the system's limit of watched folders (inotify's), reached by a huge tree
            if polling:
                raise
            print(f"无法由系统监视 {len(folders)} 个目录（{exc}），改为定时扫描 / the system cannot watch "
                  f"{len(folders)} folders ({exc}): they are scanned in turn instead", file=sys.stderr)
            polling = True
            continue
        for changes in itertools.chain([begun] if begun is not None else [], watching):
            if _program([Path(f) for f in build_inputs.folders_of([])]) != program:
                print("程序（本系统的代码或已安装的库）已更改，请重新启动 gazette build --watch / the program (this "
                      "system's code or the installed libraries) changed: start gazette build --watch again",
                      file=sys.stderr)
                return 1
            if _stamps(settings) != stamps:
                build()
                break
            if not changes:
                if settled:
                    if today is not None or beijing_today() == day:
                        continue
                else:
                    settled = True
                    if not outdated(content, output, only, settings_path, today, refused[0]):
                        continue
            day = beijing_today()
            build()
            settled = False
            if _folders(roots) != folders:
                break
        else:
            return 0
