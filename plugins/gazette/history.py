"""Dated history of each public document, from git: the dates of its public revisions, never their text.

A revision is a commit that changed one of the document's source files (the original or a translation:
its text or its metadata). It is public when the original was public (主动公开, by the rule of
`visibility.py`, read from the original's bytes at that commit) at that commit or at an earlier one;
revisions from before the document was first public are never shown, and no diff is ever read, so a
passage removed for privacy cannot come back through the history. Dates are the commit dates in Beijing
time, and none is earlier than the document's `published` date (a commit made before the official
publication date counts as the publication itself).

Cached in `<output>/.cache/history.json`, keyed by the HEAD commit (which names the whole history): with
HEAD unchanged the cache is the answer; when HEAD has moved on from the cached commit, only the new
commits are read (`git log <cached>..HEAD`); a rewritten history is read again in full. In a shallow clone,
or outside git, the history is unknown: each document shows its `published` date with a note.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import json
import os
import subprocess
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .model import ORIGINAL_LANG
from .publication import Publication
from .visibility import Visibility, past_visibility

VERSION = "1"  # of what the cache holds: bump when the meaning of a public revision changes
BEIJING = dt.timezone(dt.timedelta(hours=8))
CACHE = "history.json"


@dataclass(frozen=True)
class History:
    """What a document page shows: first published, public text last changed, each public revision's
    date (oldest first). `known` is False when git could not tell (the dates are then `published`)."""

    first_published: dt.date
    last_changed: dt.date
    revisions: tuple[dt.date, ...]
    known: bool

    def as_context(self) -> dict[str, Any]:
        return {"first_published": self.first_published, "last_changed": self.last_changed,
                "revisions": list(self.revisions), "known": self.known}


class _NoHistory(Exception):
    pass


def _git(content: Path, *args: str, stdin: str | None = None) -> str:
    try:
        done = subprocess.run(["git", "-C", str(content), *args], capture_output=True, text=True, input=stdin,
                              timeout=600, env={**os.environ, "GIT_OPTIONAL_LOCKS": "0", "LC_ALL": "C"})
    except (OSError, subprocess.SubprocessError) as exc:
        raise _NoHistory(str(exc)) from None
    if done.returncode != 0:
        raise _NoHistory(done.stderr.strip())
    return done.stdout


def _log(content: Path, prefix: str, since: str | None) -> list[tuple[int, list[tuple[str, str]]]]:
    """(commit time, [(file under content/, the blob it became)]) of each commit, oldest first. The blob
    ids come with the log (`--raw`), so reading a version never looks a path up in a tree."""
    args = ["log", "--format=%x00%ct", "--raw", "--no-abbrev", "--no-renames", "--reverse"]
    out = _git(content, *args, f"{since}..HEAD" if since else "HEAD", "--", ".")
    commits = []
    for chunk in out.split("\0")[1:]:
        head, _, raw = chunk.partition("\n")
        files = []
        for line in raw.splitlines():
            # :<old mode> <new mode> <old blob> <new blob> <status>\t<path>
            fields, _, path = line.partition("\t")
            parts = fields.split()
            if len(parts) == 5 and parts[4] != "D" and path.startswith(prefix) and path.endswith(".md"):
                files.append((path[len(prefix):], parts[3]))
        commits.append((int(head.strip()), files))
    return commits


def _public_at(asks: list[tuple[str, str]], content: Path) -> list[bool]:
    """Whether each (blob, original's path) is a public version: one `git cat-file --batch`."""
    if not asks:
        return []
    process = subprocess.Popen(["git", "-C", str(content), "cat-file", "--batch"], stdin=subprocess.PIPE,
                               stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)
    # communicate() writes the questions while it reads the answers: no deadlock on a full pipe.
    request = "".join(f"{blob}\n" for blob, _ in asks).encode()
    out, _ = process.communicate(request, timeout=600)
    answers, at = [], 0
    for _, path in asks:
        end = out.index(b"\n", at)
        header = out[at:end].split()
        at = end + 1
        if len(header) < 3 or header[1] != b"blob":
            answers.append(False)
            continue
        size = int(header[2])
        answers.append(past_visibility(out[at:at + size], path) is Visibility.FULL)
        at += size + 1
    return answers


@dataclass
class _State:
    """Per source file: the times of the commits that changed it, and from which one on it was public
    (originals; -1: not yet). A translation's revisions are public from its original's first public time."""

    head: str
    files: dict[str, list[int]]
    public_from: dict[str, int]

    def to_json(self) -> str:
        return json.dumps({"version": VERSION, "head": self.head, "files": self.files,
                           "public_from": self.public_from}, separators=(",", ":"))


def _original(path: str) -> str:
    stem, _, _ = path.rpartition(".")  # documents/2026/<slug>.<lang>.md → …/<slug>.<lang>
    base, _, _ = stem.rpartition(".")
    return f"{base}.{ORIGINAL_LANG}.md"


def _apply(state: _State, content: Path, commits: list[tuple[int, list[tuple[str, str]]]]) -> None:
    """Add commits (oldest first) to `state`, reading an original's bytes only while it is not yet public."""
    pending: dict[str, list[tuple[str, int]]] = {}  # original not yet public → (blob, index) of new revisions
    for when, files in commits:
        for path, blob in files:
            times = state.files.setdefault(path, [])
            times.append(when)
            if path == _original(path) and state.public_from.get(path, -1) < 0:
                pending.setdefault(path, []).append((blob, len(times) - 1))
    # Round k asks each undecided original about its k-th new revision: usually one round.
    round_ = 0
    while pending:
        asks = [(path, revs[round_]) for path, revs in pending.items() if round_ < len(revs)]
        if not asks:
            break
        for (path, (_, index)), public in zip(asks, _public_at([(b, p) for p, (b, _) in asks], content),
                                              strict=True):
            if public:
                state.public_from[path] = index
                del pending[path]
            else:
                state.public_from.setdefault(path, -1)
        round_ += 1


def _load(cache: Path) -> _State | None:
    try:
        data = json.loads((cache / CACHE).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    if not isinstance(data, dict) or data.get("version") != VERSION:
        return None
    return _State(str(data["head"]), {str(k): [int(t) for t in v] for k, v in data["files"].items()},
                  {str(k): int(v) for k, v in data["public_from"].items()})


def _save(cache: Path, state: _State) -> None:
    cache.mkdir(parents=True, exist_ok=True)
    temporary = cache / f".{CACHE}.{os.getpid()}.tmp"
    temporary.write_text(state.to_json(), encoding="utf-8")
    os.replace(temporary, cache / CACHE)


def repository_state(content: Path, cache: Path) -> _State | None:
    """The revisions of every source file under `content`, brought up to HEAD; None without a full
    history (not a git work tree, no commit, a shallow clone)."""
    try:
        if _git(content, "rev-parse", "--is-shallow-repository").strip() != "false":
            return None
        head = _git(content, "rev-parse", "HEAD").strip()
        prefix = _git(content, "rev-parse", "--show-prefix").strip()
        state = _load(cache)
        if state is not None and state.head == head:
            return state
        since = None
        if state is not None:
            try:
                _git(content, "merge-base", "--is-ancestor", state.head, head)
                since = state.head
            except _NoHistory:  # history rewritten: read it all again
                state = None
        if state is None:
            state = _State(head, {}, {})
        _apply(state, content, _log(content, prefix, since))
        state.head = head
    except _NoHistory:
        return None
    with contextlib.suppress(OSError):  # a cache that cannot be written costs time, not correctness
        _save(cache, state)
    return state


def _date(when: int) -> dt.date:
    return dt.datetime.fromtimestamp(when, BEIJING).date()


def document_history(state: _State | None, published: dt.date, sources: Iterable[str]) -> History:
    """One document's history from its source files (original first)."""
    sources = list(sources)
    unknown = History(published, published, (), False)
    if state is None or not sources:
        return unknown
    original = _original(sources[0])
    start = state.public_from.get(original, -1)
    times = state.files.get(original, [])
    if start < 0 or start >= len(times):
        return unknown  # not public in any commit (not committed yet): nothing git can vouch for
    since = times[start]
    public = [t for path in sources for t in state.files.get(path, []) if t >= since]
    dates = sorted({max(_date(t), published) for t in public})
    return History(published, max(dates[-1], published), tuple(dates), True)


def histories(pub: Publication, cache: Path) -> dict[str, History]:
    """Slug → History of every 主动公开 document of the Publication."""
    state = repository_state(pub.content_root, cache)
    return {slug: document_history(state, doc.published, doc.sources.values())
            for slug, doc in pub.documents.items() if doc.full}
