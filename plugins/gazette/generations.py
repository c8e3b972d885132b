"""The output folder's layout: generations switched in one step, and one build at a time.

Each build writes its outputs into a folder of its own, `<output>/.generations/<n>/` (`site/`,
`search-index/`, `.site-pages.json`, `.site-plan.json`, `.site-wide.json`, `.site-files.json`,
`outputs.json`, `disclosed.json`), and only when every stage has succeeded does it switch to them, in one
step:

    <output>/site          -> current/site
    <output>/search-index  -> current/search-index
    <output>/current       -> .generations/<n>

`site` and `search-index` are fixed symlinks through `current`; `switch` replaces `current` by a new
symlink with one `rename` (`os.replace`), so the site and the search index always come from the same
build, whenever the build is stopped (even by SIGKILL).

Two trees in turn: the generation a switch replaces is kept as the *spare* when it discloses nothing the new
one does not (`disclosed.json`: every document, text, page, issue and file it shows), and the next build
updates the spare in place (`take_spare`) rather than write a new tree: the site stage rewrites only the
pages whose keys differ from what the spare records, removes what is gone, and everything else of the spare
(the search index, the PDFs, the site-wide files) is moved aside and written anew. The spare's record is
renamed (`HELD`) before its first file changes, so a spare left half-updated by a killed build is
recognised as such and removed by the next one, which then writes a new tree. A generation not kept is
removed after the switch, by a process of its own when the build asks for it (removing twenty thousand
folders can take a minute on a busy disk, and the new output is live the moment `current` is replaced),
after a grace of `REMOVAL_GRACE` seconds during which a search begun on the old index still finds its
files; the spare is taken up no sooner than that grace after the switch that replaced it. What a killed
build left behind is moved under `.removing/` and removed the same way by `prepare` when the next build
starts.
"""

from __future__ import annotations

import fcntl
import json
import os
import shutil
import subprocess
import time
from dataclasses import dataclass
from pathlib import Path
from typing import NamedTuple

from .file_memo import FileMemo, identity

LINKS = ("site", "search-index")  # what readers of the output open: symlinks through CURRENT
CURRENT = "current"
GENERATIONS = ".generations"
PAGE_KEYS = ".site-pages.json"  # written by the site stage beside its `site/`
PAGE_PLAN = ".site-plan.json"  # beside it: what each page was made from (`site/page_plan.py`)
COPIED = ".site-files.json"  # beside it: each file copied from content/ → its SHA-256
HELD = ".site-pages.held.json"  # a spare's record while it is updated: it no longer vouches for the files
DISCLOSED = "disclosed.json"  # in each generation: what it shows (`Publication.disclosed`)
MANIFEST = "outputs.json"  # in each generation: what each stage's output was made from, and its files
LOCK = ".lock"
REMOVING = ".removing"  # replaced generations, being removed after the switch
INPUTS = "inputs.json"  # in each generation: the digest of what it was built from (build_inputs.py)
# Left by the layout before generations (real folders swapped one after the other): migrated or removed.
LEGACY = (*LINKS, PAGE_KEYS)
LEGACY_LEFTOVERS = (".staging", *(f".old-{name}" for name in LEGACY))
_RM = "/bin/rm"
_removals: list[subprocess.Popen[bytes]] = []  # this process's removals still running
# Seconds a replaced generation stays in place after the switch: a search answered from the old index when
# the link moved reads its files for a few more milliseconds (Whoosh opens segment files as it searches).
REMOVAL_GRACE = 10.0
# A spare whose pages differ from the live tree's in more than this many files and in more than half is
# not updated but replaced by a new tree (below it, either costs well under a second).
SPARE_OUT_OF_DATE = 1000


class BuildLocked(Exception):
    """Another build holds the output folder's lock."""


def lock(output: Path) -> int:
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

def _generations(output: Path) -> Path:
    return output / GENERATIONS

def current_generation(output: Path) -> Path | None:
    """The generation of the last good output, or None."""
    return _current(output)


def _current(output: Path) -> Path | None:
    """The generation `current` points to, or None (also for a link this build did not make: only a
    generation folder is ever removed)."""
    link = output / CURRENT
    if not link.is_symlink():
        return None
    parent, _, name = os.readlink(link).partition("/")
    target = _generations(output) / name
    return target if parent == GENERATIONS and name.isdigit() and target.is_dir() else None

def new_generation(output: Path) -> Path:
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
    remove(temporary)
    os.symlink(target, temporary)
    os.replace(temporary, link)

def prepare(output: Path, *, remove_in_background: bool = False) -> Path | None:
    """Before a build writes: the output in the layout of generations, nothing left of killed builds.
    Returns the current generation (the last good output), or None when there is none. With
    `remove_in_background`, leftovers are moved aside and removed by processes of their own (a removal
    an earlier build started may still be running: it is not waited for)."""
    current_link = output / CURRENT
    if current_link.exists() and not current_link.is_symlink():
        remove(current_link)  # a copy of the output made by a tool that followed the symlinks
    legacy = [name for name in LEGACY if (output / name).exists() and not (output / name).is_symlink()]
    if legacy:
        _migrate(output, legacy)
    current = _current(output)
    if current is not None:
        _link_outputs(output)
    for name in (*LEGACY_LEFTOVERS, f".{CURRENT}.new", *(f".{name}.new" for name in LINKS)):
        remove(output / name)
    leftovers = []
    if _generations(output).is_dir():
        # a killed build's, or one a killed build had not yet removed; the spare is kept
        kept = {g.name for g in (current, spare(output)) if g is not None}
        leftovers = [f for f in _generations(output).iterdir() if f.name not in kept]
    if remove_in_background and os.access(_RM, os.X_OK):
        for folder in leftovers:
            _remove_later(output, folder)
        if (output / REMOVING).is_dir():
            for folder in (output / REMOVING).iterdir():
                _spawn_removal(folder)
    else:
        for folder in [*leftovers, output / REMOVING]:
            remove(folder)
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
        current = new_generation(output)
        _symlink(f"{GENERATIONS}/{current.name}", output / CURRENT)
    # The old layout recorded what its outputs were made from after swapping them, so it may be wrong
    # after a killed build: nothing is carried over on its word.
    remove(output / ".cache" / MANIFEST)
    for name in sorted(names, key=lambda n: n != "search-index"):  # the index first, then the site
        if (current / name).exists():
            # Both (only after the output was tampered with): the generation's, made with its other
            # outputs, is kept.
            remove(output / name)
        else:
            os.rename(output / name, current / name)
        if name in LINKS:
            _symlink(f"{CURRENT}/{name}", output / name)

def switch(output: Path, generation: Path, *, remove_in_background: bool = False, keep_replaced: bool = False) -> None:
    """Make `generation` the output, in one step; then remove the generation it replaces, unless
    `keep_replaced` and it has a site record to be updated by the next build (the spare), and any older
    spare. With `remove_in_background`: moved under `.removing/` and removed by a process of its own, so
    that the build returns as soon as its output is live."""
    before = _current(output)
    try:
        _link_outputs(output)  # in place already, but for the first build
        _symlink(f"{GENERATIONS}/{generation.name}", output / CURRENT)  # the switch
    except OSError:
        shutil.rmtree(generation, ignore_errors=True)  # not switched to: the last good output stays
        raise
    if before is None:
        return
    kept = {generation.name} | ({before.name} if keep_replaced and (before / PAGE_KEYS).is_file() else set())
    for folder in sorted(_generations(output).iterdir()):
        if folder.name in kept:
            continue
        if not remove_in_background or not os.access(_RM, os.X_OK):
            shutil.rmtree(folder, ignore_errors=True)
        elif folder == before:
            # In place for the grace (a search may be reading it), so never to be taken as the spare.
            (before / PAGE_KEYS).unlink(missing_ok=True)
            _spawn_removal(before, REMOVAL_GRACE)
        else:
            _remove_later(output, folder)


def spare(output: Path) -> Path | None:
    """The generation kept for the next build to update: the newest one besides `current` whose site
    record is whole (a spare being updated has renamed its record to `HELD`)."""
    current = _current(output)
    root = _generations(output)
    if not root.is_dir():
        return None
    found = [g for g in root.iterdir() if g.name.isdigit() and (current is None or g.name != current.name)
             and (g / PAGE_KEYS).is_file() and not (g / PAGE_KEYS).is_symlink()]
    return max(found, key=lambda g: int(g.name), default=None)


class Spare(NamedTuple):
    """A spare tree taken up by a build: the generation it now is, and what its site holds as its records
    said when it was taken (URL of each page → its key; each file copied from content/ → its SHA-256)."""

    generation: Path
    pages: dict[str, str]
    files: dict[str, str]


def take_spare(output: Path) -> Spare | None:
    """The spare, made this build's generation, with what its site holds: its record renamed first (from
    then on a killed build leaves it half-updated, to be removed), then the folder renamed to the next
    number, and everything but the recorded pages and copied files moved aside and removed by a process
    of its own (the search index, the PDFs, the files written from the whole site, the records of the
    other stages): the stages write those anew. None when there is no spare, or when most of its pages
    differ from the live tree's."""
    from .urls import output_path

    folder = spare(output)
    current = _current(output)
    if folder is None or current is None:
        return None
    held = read_page_keys(folder / PAGE_KEYS)
    files = read_copied(folder / COPIED)
    if _leads_out(held, urls=True) or _leads_out(files, urls=False):  # altered by hand: not updated, replaced
        return None
    live = read_page_keys(current / PAGE_KEYS)
    spare_key = held.get
    if sum(1 for url, key in live.items() if spare_key(url) != key) > max(SPARE_OUT_OF_DATE, len(live) // 2):
        # Mostly out of date (the theme or the code changed since): replacing most of its files costs more
        # than linking them all into a new tree; it is removed after the switch.
        return None
    # A search answered from this tree's index just before the last switch may still read its files.
    replaced = os.lstat(output / CURRENT).st_mtime
    time.sleep(max(0.0, min(REMOVAL_GRACE, replaced + REMOVAL_GRACE - time.time())))
    os.replace(folder / PAGE_KEYS, folder / HELD)
    numbers = [int(p.name) for p in _generations(output).iterdir() if p.name.isdigit()]
    generation = _generations(output) / str(max(numbers) + 1)
    os.rename(folder, generation)
    site = generation / "site"
    # What holds recorded pages or copied files, two levels down (`zh/documents`, `attachments/2026`, not
    # `zh/feeds`): the rest is moved aside.
    keep: dict[tuple[str, ...], set[str]] = {(): set()}
    # The first two parts of each URL's path, each pair once (a set made in C: 84,000 URLs at 10,000
    # documents), then of its file's path (`output_path`: a folder's URL is its index.html).
    firsts = {tuple(url.split("/", 3)[1:3]) for url in held}
    held_paths = {output_path("/" + "/".join(first_two)) for first_two in firsts}
    for path in held_paths | set(files):
        parts = path.split("/", 2)
        keep[()].add(parts[0])
        if len(parts) > 1:
            keep.setdefault((parts[0],), set()).add(parts[1])
    aside = [p for p in generation.iterdir() if p.name not in ("site", HELD)]
    if site.is_dir():
        for parent, names in keep.items():
            where = site.joinpath(*parent)
            if where.is_dir() and not where.is_symlink():
                aside += [p for p in where.iterdir() if p.name not in names]
    else:
        held, files = {}, {}
    if aside:
        holder = output / REMOVING / f"{generation.name}-aside-{os.getpid()}-{time.time_ns()}"
        holder.mkdir(parents=True)
        for number, path in enumerate(aside):
            os.rename(path, holder / str(number))
        if os.access(_RM, os.X_OK):
            _spawn_removal(holder)
        else:
            shutil.rmtree(holder, ignore_errors=True)
    return Spare(generation, held, files)


# A "." or ".." part (between the start or end of a name and "/"), or an empty one ("//"): looked for as
# plain substrings of the names joined by newlines, since `str.__contains__` runs at memory speed where a
# pattern beginning with an alternation tries each place in turn (0.1 s for the 42,000 names of 10,000
# documents, on every build that takes the spare).
_OUT = [f"{before}{dots}{after}" for before in ("\n", "/") for dots in (".", "..") for after in ("/", "\n")] + ["//"]


def _leads_out(record: dict[str, str], urls: bool) -> bool:
    """Whether a record names what is not a plain place under the site: a URL not starting with "/", a
    file's path starting with it, or either with a ".", ".." or empty part."""
    names = "\n" + "\n".join(record) + "\n"
    # Each a scan in C (a name is a page's URL or a file's path: no newline in it; one that has one is
    # taken apart here and found out all the same): the ones that can match first, the rest only then.
    if ("/." in names or "\n." in names or "//" in names) and any(part in names for part in _OUT):
        return True
    starting = names.count("\n/")  # names starting with "/"
    return starting != len(record) if urls else starting != 0


def discard(output: Path, generation: Path) -> None:
    """Remove a generation that was not switched to (a failed build's): in the background when it can."""
    if os.access(_RM, os.X_OK) and generation.is_dir():
        try:
            _remove_later(output, generation)
            return
        except OSError:
            pass
    shutil.rmtree(generation, ignore_errors=True)


def read_page_keys(path: Path) -> dict[str, str]:
    """A site record: the URL of each page in the generation's `site/` → the key it was drawn with."""
    seen = identity(path)
    remembered = _records.get(path, seen) if seen is not None else None
    if remembered is not None:  # written or read by this process, and unchanged since
        return dict(remembered)
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    if not isinstance(data, dict):
        return {}
    keys = data if all(type(v) is str for v in data.values()) else {str(k): str(v) for k, v in data.items()}
    _records.put(path, keys, seen)
    return dict(keys)


# The site records (page keys, copied files) this process last wrote or read: the live tree's and the
# spare's, read again by the next build (a build reads five and writes two).
_records = FileMemo(8)


def write_page_keys(path: Path, keys: dict[str, str]) -> None:
    write_record_file(path, json.dumps(keys, separators=(",", ":")))
    _records.put(path, dict(keys))


def write_record_file(path: Path, text: str) -> None:
    """A site record, whole or not at all (written beside it, then renamed): a record cut short by a full
    disk would vouch for files it does not list."""
    partial = path.with_name(path.name + ".part")
    try:
        partial.unlink(missing_ok=True)  # whatever stands there (a planted link) is not written through
        partial.write_text(text, encoding="utf-8")
        os.replace(partial, path)
    finally:
        partial.unlink(missing_ok=True)


def read_copied(path: Path) -> dict[str, str]:
    """The files of content/ a generation's site holds (path → SHA-256 of the bytes copied)."""
    return read_page_keys(path)


def write_copied(path: Path, files: dict[str, str]) -> None:
    write_page_keys(path, files)


def read_disclosed(generation: Path) -> set[str] | None:
    """What `generation` shows (`DISCLOSED`); None when it has no readable record."""
    try:
        data = json.loads((generation / DISCLOSED).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return {str(item) for item in data} if isinstance(data, list) else None


def write_disclosed(generation: Path, items: set[str]) -> None:
    (generation / DISCLOSED).write_text(json.dumps(sorted(items), ensure_ascii=False), encoding="utf-8")


def _remove_later(output: Path, folder: Path) -> None:
    """Move `folder` under `.removing/` (one `rename`, under a name no other removal uses) and remove it
    there in a process of its own."""
    removing = output / REMOVING
    removing.mkdir(exist_ok=True)
    moved = removing / f"{folder.name}-{os.getpid()}-{time.time_ns()}"
    os.rename(folder, moved)
    _spawn_removal(moved)


def _spawn_removal(folder: Path, grace: float = 0.0) -> None:
    # Detached: it outlives the build; the next build's `prepare` takes over whatever it has not finished.
    command = [_RM, "-rf", "--one-file-system", "--", str(folder)]
    if grace > 0:
        command = ["/bin/sh", "-c", 'sleep "$0" && exec "$@"', f"{grace:g}", *command]
    _removals.append(subprocess.Popen(
        command, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        start_new_session=True, close_fds=True))


def reap_removals() -> None:
    """Forget the removals that have finished (a process that builds again and again, `gazette build
    --watch`, would otherwise keep each one's exit status, a zombie process, until it ends)."""
    _removals[:] = [process for process in _removals if process.poll() is None]


def wait_for_removals() -> None:
    """Wait until the replaced generations this process set to be removed are gone (for a caller that
    goes on to read the whole output folder)."""
    while _removals:
        _removals.pop().wait()

@dataclass(frozen=True)
class MadeFrom:
    """What one stage's output in a generation was made from (the Publication's fingerprint), and the
    files it wrote that other stages link to (URL → size)."""

    fingerprint: str
    files: dict[str, int]


def read_manifest(generation: Path) -> dict[str, MadeFrom]:
    """Each stage's record in `generation`; a missing or unreadable record vouches for nothing."""
    try:
        data = json.loads((generation / MANIFEST).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    records: dict[str, MadeFrom] = {}
    for stage, record in (data.items() if isinstance(data, dict) else ()):
        if isinstance(record, dict) and isinstance(record.get("fingerprint"), str):
            files = record.get("files")
            records[str(stage)] = MadeFrom(record["fingerprint"], {
                str(url): int(size) for url, size in files.items() if isinstance(size, int)
            } if isinstance(files, dict) else {})
    return records


def write_manifest(generation: Path, records: dict[str, MadeFrom]) -> None:
    data = {stage: {"fingerprint": r.fingerprint, "files": r.files} for stage, r in records.items()}
    (generation / MANIFEST).write_text(json.dumps(data, indent=1, sort_keys=True), encoding="utf-8")


def read_inputs(generation: Path) -> dict[str, object]:
    """The record of what `generation` was built from (`build.py` writes it); empty when missing."""
    try:
        data = json.loads((generation / INPUTS).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return data if isinstance(data, dict) else {}


def write_inputs(generation: Path, record: dict[str, object]) -> None:
    (generation / INPUTS).write_text(json.dumps(record, sort_keys=True), encoding="utf-8")


def remove(path: Path) -> None:
    if path.is_symlink() or path.is_file():
        path.unlink()
    elif path.is_dir():
        shutil.rmtree(path, ignore_errors=True)
