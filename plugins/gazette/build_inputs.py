"""What a build's output is made from, as one digest, so that a build with nothing changed does nothing.

The digest covers every input that can change an output: the bytes of every file under content/ (walked as
the loader walks it, never through a link), the settings files, the theme folders (templates, static files,
print theme, fonts), the code of this package, the installed libraries and their versions, the Python
running it, the last commit that touched the content (the pages show each document's dated history), the
`GAZETTE_*` environment variables (but those named for a password, secret, token or key,
which outputs never depend on and a digest must not hold), the day the check judges dates by, and the stages asked
for. The last good generation records the digest (`outputs.json`); a build whose digest equals it has
nothing to write, and says so instead of checking and rendering again (the `make` / `ninja` idea, with
contents instead of times).

Large files that rarely change (the fonts: tens of megabytes) are not read again while their device,
inode, size, modification and change times are those recorded with their digest, as git's index does:
the change time cannot be set back by a program, and a file changed less than `RACY_SECONDS` before it
is looked at is read again (and its stamp not kept). A process that builds again and again keeps the
same stamps of the small files it read (in memory only), and reads again only those whose stamp changed.
"""

from __future__ import annotations

import hashlib
import os
import subprocess
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from stat import S_ISREG

from .frontmatter import FILE_HASH
from .loader import walk

# Above this size a file's digest is kept with its stat and reused while the stat is unchanged.
STAT_CACHED = 256 * 1024
# A file modified this close to when its digest was recorded may have changed within the same tick.
RACY_SECONDS = 2.0
ENVIRONMENT_PREFIXES = ("GAZETTE_", "PELICAN_")
# Never hashed into the recorded digest: a short password could be found again from it by trying.
SECRET_NAMES = ("PASSWORD", "PASSPHRASE", "SECRET", "TOKEN", "KEY")

# Non-blocking: a FIFO in a theme or code folder is never waited on (it is not a regular file: not hashed).
_READ_FLAGS = os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_CLOEXEC", 0)


@dataclass
class Inputs:
    """A build's inputs: their digest, the folders hashed (so that a later build can hash the same
    ones before reading the settings), and the digests of large files by their stat."""

    digest: str
    folders: list[str]
    stats: dict[str, list[int | str]] = field(default_factory=dict)
    # Every content file's digest (relative path → hex, in the loader's order): the incremental check
    # finds the changed files by them instead of reading every file again (`checks/incremental.py`, which
    # also verifies the bytes of each file it reads later against them). Not recorded.
    content: dict[str, str] = field(default_factory=dict)

    def to_json(self) -> dict[str, object]:
        return {"digest": self.digest, "folders": self.folders, "stats": self.stats}

    @classmethod
    def from_json(cls, data: object) -> Inputs | None:
        if not isinstance(data, dict):
            return None
        digest, folders, stats = data.get("digest"), data.get("folders"), data.get("stats")
        if not (isinstance(digest, str) and isinstance(folders, list) and isinstance(stats, dict)):
            return None
        # A digest kept by another hash than the one every cache compares it with is not reused.
        return cls(digest, [str(f) for f in folders], {
            str(k): v for k, v in stats.items() if isinstance(v, list) and len(v) == 7 and v[6] == FILE_HASH().name})


def settings_files(settings_file: Path | None) -> list[Path]:
    """The settings file and the Python files beside it (publishconf.py imports pelicanconf.py)."""
    if settings_file is None:
        return []
    folder = settings_file.resolve().parent
    return sorted({settings_file.resolve(), *folder.glob("*.py")})


def code_folders() -> list[Path]:
    """This package's own code."""
    return [Path(__file__).resolve().parent]


def libraries() -> list[str]:
    """The installed distributions (name and version, from their metadata folders' names) and Python's
    version: a new WeasyPrint or Markdown can change an output."""
    names: set[str] = {sys.version}  # not the executable's path: python and python3 are one interpreter
    for entry in sys.path:
        if entry.endswith("site-packages") and os.path.isdir(entry):
            names.update(name for name in os.listdir(entry) if name.endswith(".dist-info"))
    return sorted(names)


def _content_history(content: Path) -> Callable[[], bytes]:
    """The last commit that touched the content folder, and whether the clone is shallow: the document
    pages' dated history (`history.py`) is read from git, and changes with them, not with the bytes.
    Both questions are asked at once and answered when called for, so git runs while the files are hashed."""
    try:
        asked = [subprocess.Popen(["git", "-C", str(content), *args], stdout=subprocess.PIPE,
                                  stderr=subprocess.DEVNULL, stdin=subprocess.DEVNULL)
                 for args in (["log", "-1", "--format=%H", "--", "."], ["rev-parse", "--is-shallow-repository"])]
    except OSError:
        return lambda: b"no git"

    def answer() -> bytes:
        try:
            out, shallow = (process.communicate(timeout=30)[0] for process in asked)
        except subprocess.SubprocessError:
            for process in asked:
                process.kill()
            return b"no git"
        return out.strip() + b" " + shallow.strip()

    return answer


# The large files this process has hashed, by the same stamp: a build into another output folder (a
# preview beside the build, the tests) does not hash the fonts again.
_SEEN: dict[str, list[int | str]] = {}


# The small files this process has read, by the same stamp (not recorded: a new process reads them all
# once). A process that builds again and again (`gazette build --watch`) then reads only the files that
# changed: ten thousand documents are ten thousand reads otherwise.
_SEEN_SMALL: dict[str, tuple[int, int, int, int, int, bytes]] = {}


def _stamp(st: os.stat_result) -> tuple[int, int, int, int, int]:
    return (st.st_dev, st.st_ino, st.st_size, st.st_mtime_ns, st.st_ctime_ns)


def _racy(st: os.stat_result, now: float) -> bool:
    """Changed so recently that another change within the same tick of the file system's clock would
    leave the same stamp: its digest is neither taken from nor kept by its stamp."""
    return now - max(st.st_mtime_ns, st.st_ctime_ns) / 1e9 < RACY_SECONDS


def _file_digest(path: Path | str, previous: dict[str, list[int | str]], stats: dict[str, list[int | str]],
                 now: float, dir_fd: int | None = None, key: str = "") -> bytes | None:
    """The file's digest, or None when it is not a regular file reached without a link. `dir_fd`: the
    open folder `path` (a name) is in; `key`: then the file's whole path, which its stat is kept by."""
    key = key or str(path)
    small = _SEEN_SMALL.get(key)
    if small is not None:
        try:
            st = os.stat(path, dir_fd=dir_fd, follow_symlinks=False)
        except OSError:
            return None
        if S_ISREG(st.st_mode) and small[:5] == _stamp(st) and not _racy(st, now):
            return small[5]
    try:
        fd = os.open(path, _READ_FLAGS, dir_fd=dir_fd)
    except OSError:
        return None
    try:
        st = os.fstat(fd)
        if not S_ISREG(st.st_mode):
            return None
        if st.st_size < STAT_CACHED:
            # Most content files: one read of the whole file, one call into the hash. (A read cut short
            # gives a digest of other bytes: the file counts as changed, and whoever reads it compares.)
            data = os.read(fd, st.st_size + 1)
            if len(data) > st.st_size:  # it grew since fstat: read the rest
                data += b"".join(iter(lambda: os.read(fd, 1 << 20), b""))
            value = FILE_HASH(data).digest()
            if len(data) == st.st_size and not _racy(st, now):
                _SEEN_SMALL[key] = (*_stamp(st), value)
            return value
        stamp: list[int | str] = list(_stamp(st))
        known = previous.get(key) or _SEEN.get(key)
        racy = _racy(st, now)
        if known is not None and known[:5] == stamp and not racy:
            stats[key] = known
            return bytes.fromhex(str(known[5]))
        digest = FILE_HASH()
        while chunk := os.read(fd, 1 << 20):
            digest.update(chunk)
        value = digest.digest()
        if not racy:  # a stamp that another change could leave as it is vouches for nothing
            stats[key] = _SEEN[key] = [*stamp, value.hex(), digest.name]
        return value
    finally:
        os.close(fd)


def file_digest(path: Path) -> str:
    """The hex digest of a file's bytes as a build's digest takes them: a large file (a font) is read again
    only when its stamp has changed since this process last read it (a build of the PDFs asks for the print
    fonts' digests: tens of megabytes each time otherwise)."""
    value = _file_digest(path, {}, {}, time.time())
    return value.hex() if value is not None else FILE_HASH(path.read_bytes()).hexdigest()  # a link: followed


def folder_files(folder: Path) -> list[Path]:
    """Every regular file under `folder`, in a fixed order, links not followed; caches skipped."""
    found: list[Path] = []
    for root, dirs, files in os.walk(folder):
        dirs[:] = sorted(d for d in dirs if d not in ("__pycache__", ".cache"))
        found.extend(Path(root) / name for name in sorted(files) if not name.endswith(".pyc"))
    return found


def folders_of(folders: list[Path]) -> list[str]:
    """The folders a digest covers: those named, and this package's code."""
    return sorted({str(f.resolve()) for f in (*folders, *code_folders())})


def compute(content: Path, settings_file: Path | None, folders: list[Path], only: list[str], today: str,
            previous: Inputs | None = None) -> Inputs | None:
    """The digest of a build's inputs, or None when the content folder holds what the check refuses
    (a link, a FIFO, an unreadable file): such a build is never skipped."""
    now = time.time()
    known = previous.stats if previous is not None else {}
    stats: dict[str, list[int | str]] = {}
    digest = hashlib.blake2b(digest_size=32)

    def part(label: str, value: bytes) -> None:
        digest.update(label.encode() + b"\0" + len(value).to_bytes(8, "big") + value)

    part("today", today.encode())
    part("only", ",".join(sorted(only)).encode())
    part("environment", repr(sorted((k, v) for k, v in os.environ.items()
                                    if k.startswith(ENVIRONMENT_PREFIXES)
                                    and not any(word in k.upper() for word in SECRET_NAMES))).encode())
    part("libraries", "\n".join(libraries()).encode())
    content = content.resolve()
    history = _content_history(content)
    # One pass over the content: each file read through its folder's open descriptor as the walk lists it.
    found: dict[str, bytes | None] = {}
    prefix = f"{content}/"

    def visit(folder: int, name: str, rel: str) -> None:
        found[rel] = _file_digest(name, known, stats, now, dir_fd=folder, key=prefix + rel)

    files, problems = walk(content, visit)
    part("history", history())
    if problems or None in found.values():
        return None
    digests = {rel: found[rel].hex() for rel in files}  # type: ignore[union-attr]
    # The files' names and digests in the loader's order, as one part: fed to the hash at once
    part("content", "\0".join(f"{rel}\0{digest}" for rel, digest in digests.items()).encode())
    all_folders = folders_of(folders)
    for path in settings_files(settings_file):
        part("settings " + str(path), _file_digest(path, known, stats, now) or b"missing")
    for folder in all_folders:
        part("folder " + folder, b"")
        for path in folder_files(Path(folder)):
            part(str(path), _file_digest(path, known, stats, now) or b"unreadable")
    return Inputs(digest.hexdigest(), all_folders, stats, digests)
