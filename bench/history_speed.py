"""How much does the dated history (gazette.history) cost a build of a large content folder?

Makes a git repository of N documents (default 10,000, each with its Tibetan translation) committed
once, then a series of edits (default 30 commits of 50 files each), and times, in the same run:

  baseline     reading every source file's bytes                (what any build does at least)
  cold         the history with no cache: the whole `git log`, each original's first public version
  unchanged    a build with HEAD unchanged: the cache is the answer
  one commit   a build after one new commit changing 10 files: only that commit is read

and prints each with its ratio to the baseline. Target: an incremental build (unchanged or one commit)
costs no more than 1 s per 10,000 documents.

    .venv/bin/python bench/history_speed.py [--documents 10000] [--edits 30] [--keep DIR]
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "plugins"))

from gazette import history  # noqa: E402

FRONT = ("---\ntitle: 甘孜藏族自治州人民政府关于第{n}号事项的通知\nslug: doc-{n}\nlang: zh\ngenre: notice\n"
         "issuer: [prefecture-government]\nsigned: 2026-03-02\npublished: 2026-03-04\n"
         "index_no: S00000001/2026-{n:05d}\ncatalogue: rules.other\ndisclosure: 主动公开\nsecrecy: 非涉密\n"
         "secrecy_review: {{by: 州政府办公室保密审查小组, date: 2026-03-03}}\n---\n")
BODY = "各县（市）人民政府，州级各部门：现将有关事项通知如下。" * 20 + "\n"


def _git(root: Path, *args: str, when: str = "2026-03-05") -> None:
    env = {**os.environ, "GIT_AUTHOR_NAME": "bench", "GIT_AUTHOR_EMAIL": "bench@example.invalid",
           "GIT_COMMITTER_NAME": "bench", "GIT_COMMITTER_EMAIL": "bench@example.invalid",
           "GIT_AUTHOR_DATE": f"{when}T10:00:00+08:00", "GIT_COMMITTER_DATE": f"{when}T10:00:00+08:00"}
    subprocess.run(["git", "-C", str(root), *args], check=True, capture_output=True, env=env)


def _path(n: int, lang: str) -> str:
    return f"documents/2026/doc-{n}.{lang}.md"


def make_repository(root: Path, documents: int, edits: int) -> None:
    content = root / "content"
    (content / "documents/2026").mkdir(parents=True)
    _git(root, "init", "-q")
    for n in range(documents):
        (content / _path(n, "zh")).write_text(FRONT.format(n=n) + BODY, encoding="utf-8")
        (content / _path(n, "bo")).write_text(f"---\ntitle: བརྡ་ཐོ། {n}\nslug: doc-{n}\nlang: bo\n---\nབརྡ་ཐོ།\n",
                                              encoding="utf-8")
    _git(root, "add", "-A")
    _git(root, "commit", "-q", "-m", "all documents")
    day = dt.date(2026, 3, 6)
    for edit in range(edits):
        for n in range(edit * 50 % documents, edit * 50 % documents + 50):
            path = content / _path(n % documents, "zh")
            path.write_text(path.read_text(encoding="utf-8") + f"修订{edit}。\n", encoding="utf-8")
        _git(root, "add", "-A")
        _git(root, "commit", "-q", "-m", f"edit {edit}", when=(day + dt.timedelta(days=edit)).isoformat())


def one_build(content: Path, cache: Path, documents: int) -> float:
    """What the site stage spends on history: the repository's state, then every document's history."""
    started = time.perf_counter()
    state = history.repository_state(content, cache)
    for n in range(documents):
        history.document_history(state, dt.date(2026, 3, 4), (_path(n, "zh"), _path(n, "bo")))
    return time.perf_counter() - started


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--documents", type=int, default=10_000)
    parser.add_argument("--edits", type=int, default=30)
    parser.add_argument("--keep", help="make the repository here and keep it")
    args = parser.parse_args()
    root = Path(args.keep) if args.keep else Path(tempfile.mkdtemp(prefix="history-bench-"))
    try:
        started = time.perf_counter()
        if not (root / "content").is_dir():
            make_repository(root, args.documents, args.edits)
        print(f"repository: {args.documents} documents × 2 files, {args.edits + 1} commits "
              f"({time.perf_counter() - started:.1f} s to make)")
        content, cache = root / "content", root / "cache"
        shutil.rmtree(cache, ignore_errors=True)

        started = time.perf_counter()
        for path in (content / "documents").rglob("*.md"):
            path.read_bytes()
        baseline = time.perf_counter() - started

        cold = one_build(content, cache, args.documents)
        state = history.repository_state(content, cache)
        assert state is not None and len(state.files) == 2 * args.documents
        unchanged = min(one_build(content, cache, args.documents) for _ in range(3))
        for n in range(10):
            path = content / _path(n, "zh")
            path.write_text(path.read_text(encoding="utf-8") + "再次修订。\n", encoding="utf-8")
        _git(root, "add", "-A")
        _git(root, "commit", "-q", "-m", "one more", when="2026-05-01")
        one_commit = one_build(content, cache, args.documents)
        check = history.document_history(history.repository_state(content, cache), dt.date(2026, 3, 4),
                                         (_path(0, "zh"), _path(0, "bo")))
        assert check.revisions[-1] == dt.date(2026, 5, 1), check

        per = 10_000 / args.documents
        print(f"baseline  reading {2 * args.documents} files   {baseline:7.3f} s")
        for name, seconds in (("cold (no cache)", cold), ("unchanged HEAD", unchanged), ("one new commit", one_commit)):
            print(f"{name:18} {seconds:7.3f} s   {seconds / baseline:6.2f}× baseline   "
                  f"{seconds * per:6.3f} s per 10,000 documents")
        ok = max(unchanged, one_commit) * per <= 1.0
        print(f"target: an incremental build ≤ 1 s per 10,000 documents: {'met' if ok else 'NOT met'}")
        return 0 if ok else 1
    finally:
        if not args.keep:
            shutil.rmtree(root, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
