"""Read the content folder into the model. Files that cannot be read become findings, never tracebacks.

The folder is walked without following symbolic links: a link anywhere under it (to a file or a folder,
dangling or looping) and anything that is not a plain file or folder (a FIFO, a socket, a device) is an
error with its path, and is neither listed nor opened. `Corpus.files` holds only regular files reached
without crossing a link, so nothing the build copies from it can come from outside the folder.
"""

from __future__ import annotations

import errno
import os
import re
from collections.abc import Callable, Mapping
from pathlib import Path

from .findings import Finding, error
from .frontmatter import (
    LazySource,
    Source,
    SourceError,
    read_source,
    special_finding,
    symlink_finding,
    unreadable_finding,
)
from .frontmatter_cache import FrontMatterCache
from .holiday_calendar import read_calendar
from .model import LANGS, ORIGINAL_LANG, Corpus, Document, GazetteIssue, Page, Request, Translation, YearlyFigures
from .registry import load_registry
from .workdays import use_added

DOCUMENT_NAME = re.compile(r"^(?P<slug>[^.]+)\.(?P<lang>[a-z]{2})\.md\Z")


def _bad_name(path: str, zh: str, en: str) -> Finding:
    return error("FILE-NAME", path, 1, "", f"文件名不符合约定：{zh}",
                 f"the file name breaks the layout: {en}",
                 "文件名写作 <slug>.zh.md 或 <slug>.bo.md", "name it <slug>.zh.md or <slug>.bo.md")


_FOLDER_FLAGS = os.O_RDONLY | os.O_DIRECTORY | os.O_NOFOLLOW | getattr(os, "O_CLOEXEC", 0)


def _open_folder(root: int, rel: str) -> int:
    """A descriptor of the folder `rel` under `root`, each step opened with O_NOFOLLOW."""
    fd = os.dup(root)
    for part in rel.split("/") if rel else []:
        try:
            inner = os.open(part, _FOLDER_FLAGS, dir_fd=fd)
        finally:
            os.close(fd)
        fd = inner
    return fd


def walk(content: Path, visit: Callable[[int, str, str], None] | None = None) -> tuple[list[str], list[Finding]]:
    """Every regular file under `content` (relative, in path order) and a finding for everything else.

    Each folder is opened step by step from the root with O_NOFOLLOW and listed through its descriptor,
    so a folder swapped for a link while the walk runs is not entered either. Iterative, holding one
    folder open at a time: no depth or breadth of folders exhausts the stack or the descriptors.
    `visit(folder_descriptor, name, relative_path)` is called for each regular file while its folder is
    open (the build's input digest reads the file through it: one pass, no path resolved again).
    """
    files: list[str] = []
    findings: list[Finding] = []
    try:
        root = os.open(content, os.O_RDONLY | os.O_DIRECTORY | getattr(os, "O_CLOEXEC", 0))
    except OSError as exc:
        return [], [unreadable_finding(".", exc)]
    pending = [""]
    try:
        while pending:
            folder = pending.pop()
            try:
                fd = _open_folder(root, folder)
            except OSError as exc:
                findings.append(symlink_finding(folder) if exc.errno == errno.ELOOP
                                else unreadable_finding(folder or ".", exc))
                continue
            try:
                try:
                    with os.scandir(fd) as entries:
                        listed = [(entry.name, entry.is_symlink(), entry.is_dir(follow_symlinks=False),
                                   entry.is_file(follow_symlinks=False)) for entry in entries]
                except OSError as exc:
                    findings.append(unreadable_finding(folder or ".", exc))
                    continue
                for name, is_link, is_dir, is_file in listed:
                    rel = f"{folder}/{name}" if folder else name
                    if is_link:
                        findings.append(symlink_finding(rel))
                    elif is_dir:
                        pending.append(rel)
                    elif is_file:
                        files.append(rel)
                        if visit is not None:
                            visit(fd, name, rel)
                    else:
                        findings.append(special_finding(rel))
            finally:
                os.close(fd)
    finally:
        os.close(root)
    files.sort(key=lambda rel: rel.replace("/", "\0"))  # by path parts: "/" before any character of a name
    return files, findings


def load_corpus(content: Path, kept: FrontMatterCache | None = None, deferred: Mapping[str, str] | None = None,
                walked: list[str] | None = None) -> tuple[Corpus, list[Finding]]:
    """Every file of `content` in the model, and a finding for each that cannot be read. `kept`: the front
    matter kept by earlier builds (`frontmatter_cache.py`); what this reading adds to it is kept by the
    caller's `commit_public` once the check passes. `deferred`: documents' files (path → digest of the
    bytes) that an incremental check found unchanged; each is read only when something asks for it
    (`frontmatter.LazySource`). `walked`: the files `walk` found a moment ago, without a problem (the
    build's input digest walks the folder first)."""
    content = content.resolve()
    files, findings = (walked, []) if walked is not None else walk(content)
    corpus = Corpus(root=str(content), registry=load_registry(content, findings))
    corpus.files = set(files)
    # The holiday calendar's added years count every working day this content's deadlines ask for.
    use_added(read_calendar(content, corpus.files, findings))

    # Relative paths by top folder (strings: ten thousand Path objects cost more than the parsing they
    # lead to), in the walk's order.
    by_folder: dict[str, list[str]] = {}
    for rel in files:
        by_folder.setdefault(rel[: rel.find("/") + 1], []).append(rel)

    def under(folder: str, suffix: str, *, nested: bool = True) -> list[str]:
        return [rel for rel in by_folder.get(folder, ())
                if rel.endswith(suffix) and (nested or "/" not in rel[len(folder):])]

    translations: list[tuple[str, str, Source]] = []
    for rel in under("documents/", ".md"):
        match = DOCUMENT_NAME.match(rel.rpartition("/")[2])
        if not match:
            findings.append(_bad_name(rel, "缺少语言后缀", "no language suffix"))
            continue
        slug, lang = match["slug"], match["lang"]
        digest = deferred.get(rel) if deferred is not None else None
        try:
            source = read_source(content, rel, kept) if digest is None else LazySource(content, rel, digest, kept)
        except SourceError as exc:
            findings.append(exc.finding)
            if lang == ORIGINAL_LANG:
                corpus.unreadable.add(slug)
            continue
        if lang == ORIGINAL_LANG:
            if slug in corpus.documents:
                corpus.duplicates.append(source)
            else:
                corpus.documents[slug] = Document(slug, source)
        elif lang in LANGS:
            translations.append((slug, lang, source))
        else:
            findings.append(_bad_name(rel, f"未知语言 {lang}", f"unknown language {lang}"))

    for slug, lang, source in translations:
        doc = corpus.documents.get(slug)
        if doc is None and slug in corpus.unreadable:
            continue  # its original could not be read, which is said; it is no orphan
        if doc is None:
            corpus.orphans.append(source)
        elif lang in doc.translations:
            corpus.duplicates.append(source)
        else:
            doc.translations[lang] = Translation(lang, source)

    for rel in under("pages/", ".md", nested=False):
        match = DOCUMENT_NAME.match(rel.rpartition("/")[2])
        if not match or match["lang"] not in LANGS:
            findings.append(_bad_name(rel, "页面应为 <name>.<lang>.md", "a page is <name>.<lang>.md"))
            continue
        try:
            source = read_source(content, rel)
        except SourceError as exc:
            findings.append(exc.finding)
            continue
        corpus.pages[(match["slug"], match["lang"])] = Page(match["slug"], match["lang"], source)

    # Gazette issues, the requests register and the yearly figures: YAML mappings. The register and the
    # figures stay in the Corpus, which no writer receives.
    readers = (("gazette/", "ISSUE-FORMAT", "公报期次文件", "a gazette issue file", GazetteIssue, corpus.issues),
               ("requests/", "REQ-FORMAT", "申请登记文件", "a request file", Request, corpus.requests),
               ("annual/", "ANNUAL-FORMAT", "年度数据文件", "a yearly figures file", YearlyFigures, corpus.figures))
    for folder, code, what_zh, what_en, make, into in readers:
        for rel in under(folder, ".yml"):
            try:
                source = read_source(content, rel)
            except SourceError as exc:
                findings.append(exc.finding)
                continue
            if not isinstance(source.meta, dict):
                findings.append(error(
                    code, source.path, 1, "", f"{what_zh}应是“字段: 值”的列表", f"{what_en} must be 'key: value' "
                                                                          "lines",
                    "参照 docs/checks.md 中的示例填写", "follow the example in docs/checks.md"))
                continue
            into.append(make(source))

    corpus.issues.sort(key=lambda i: (i.year or 0, i.number or 0, i.path))
    return corpus, list(dict.fromkeys(findings))  # a link can be met by the walk and by a registry read
