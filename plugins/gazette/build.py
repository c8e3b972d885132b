"""`gazette build`: check, derive the public view, write every output into a new generation, then switch.

Read → check → publish → write. Nothing is written while anything is still being read or checked. One
build at a time writes an output folder, and it writes into a generation of its own that replaces the
last good output in one step only when every stage has succeeded (`generations.py`). A failed build
leaves the last good output as it was.

Caches keyed by content live in `<output>/.cache/` so that unchanged work is not redone.
"""

from __future__ import annotations

import datetime as dt
import errno
import os
import shutil
import sqlite3
import sys
import time
import traceback
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from . import build_inputs, collector, generations, workers
from .config import ConfigError, GazetteConfig
from .findings import count, format_findings, format_summary
from .generations import PAGE_KEYS, PAGE_PLAN, BuildLocked, MadeFrom
from .stages import BuildDirs, Stage, StageReport, progress

if TYPE_CHECKING:
    from .publication import Publication

# The PDFs come first: the site links them with their sizes.
STAGES = ("pdf", "site", "search")


def _stage(name: str) -> Stage:
    if name == "site":
        from .site.build import write_site

        return write_site
    if name == "pdf":
        from .pdf.build import write_pdfs

        return write_pdfs
    from .search.build import write_index

    return write_index


@dataclass
class BuildResult:
    """What a build did: its exit status (0 built, 1 refused or failed), what it published, and each
    stage's report (run or carried over)."""

    status: int
    publication: Publication | None = None
    reports: dict[str, StageReport] = field(default_factory=dict)
    unchanged: bool = False  # nothing changed since the last good build: nothing was checked or written
    live: float | None = None  # time.monotonic() when the output became live (the switch)
    # Refused by the check: the digest of the inputs it refused ("" when they had none), which the same
    # content is refused for again
    refused: str | None = None


def build(content: Path, output: Path, only: list[str], settings_path: str | None = None,
          today: dt.date | None = None, verbose: bool = False, *, force: bool = False) -> int:
    """`gazette build`: the exit status."""
    return run_build(content, output, only, settings_path, today, verbose, force=force).status


def run_build(content: Path, output: Path, only: list[str], settings_path: str | None = None,
              today: dt.date | None = None, verbose: bool = False, *, force: bool = False) -> BuildResult:
    """Check, publish, write, switch. `today`: the day the check judges dates by (default: today).
    `verbose`: print every warning, not only their summary (errors are always printed in full).
    When the last good build was made from the same inputs, nothing is done, unless `force`."""
    from .checks import beijing_today, check_content
    from .settings import load_settings, settings_file

    started = time.monotonic()
    if not content.is_dir():
        print(f"找不到内容目录 {content} / content folder not found: {content}", file=sys.stderr)
        return BuildResult(1)
    folder, written = content.resolve(), output.resolve()
    inside, around = written.is_relative_to(folder), folder.is_relative_to(written)
    if inside or around:
        # Written into the content, the output would be read back as content (and watched: build on build).
        where_zh, where_en = ("在内容目录之内", "is inside") if inside else ("包含内容目录", "contains")
        print(f"输出目录 {output} {where_zh}，未写入任何文件；用 --output 指定内容目录以外的目录 / the output folder "
              f"{output} {where_en} the content folder {content}; nothing was written: choose an --output outside "
              "it", file=sys.stderr)
        return BuildResult(1)
    day = today or beijing_today()
    record, previous = _recorded_inputs(output)
    inputs = None
    if previous is not None and not force:
        inputs = _inputs_now(content, settings_path, only, day, previous)
        if inputs is not None and inputs.digest == previous.digest:
            print(_unchanged(record), file=sys.stderr)
            return BuildResult(0, unchanged=True)
    settings = load_settings(settings_path, {"PATH": str(content.resolve())})
    try:
        config = GazetteConfig.from_settings(settings)
        workers.processes(settings)  # a setting that cannot be used is said before anything is read
    except ConfigError as exc:
        print(exc, file=sys.stderr)
        return BuildResult(1)
    # Before the content is read for the check: an edit made while this build runs changes the digest,
    # so the next build sees it, never the other way round. The digest made above serves when it covered
    # the folders these settings name (it does unless the theme moved).
    if inputs is None or inputs.folders != build_inputs.folders_of([config.theme]):
        inputs = build_inputs.compute(content, settings_file(settings_path), [config.theme], only,
                                      day.isoformat(), previous)
    progress("检查内容 / checking content …")
    corpus, findings = check_content(content, settings, day, cache=output / ".cache",
                                     digests=inputs.content if inputs is not None else None)
    errors, warnings = count(findings)
    if findings:
        print(format_findings(findings) if verbose else format_summary(findings), file=sys.stderr)
    if errors:
        print(f"构建已拒绝：{errors} 个错误，未写入任何文件 / build refused: {errors} errors, nothing written",
              file=sys.stderr)
        return BuildResult(1, refused=inputs.digest if inputs is not None else "")
    made_from = {"inputs": inputs.to_json() if inputs is not None else None,
                 "warnings": dict(sorted(Counter(f.code for f in findings if f.level == "warning").items()))}
    lock = None
    try:
        lock = generations.lock(output)
        result = _write(corpus, output, only, settings, made_from, force=force,
                        digests=inputs.content if inputs is not None else None)
    except BuildLocked:
        print(f"构建正在进行：另一个构建正在写入 {output}，本次未写入任何文件；请等它结束后再构建 / another build "
              f"of this output is running ({output}); nothing was written: build again when it has finished",
              file=sys.stderr)
        return BuildResult(1)
    except (OSError, sqlite3.Error) as exc:
        print(_io_error(exc, output), file=sys.stderr)
        return BuildResult(1)
    except _Failed as failed:
        print(failed.message, file=sys.stderr)
        return BuildResult(1)
    finally:
        collector.give_back_all()  # what `_write` set aside is collected as usual again
        if lock is not None:
            os.close(lock)
    publication = result.publication
    assert publication is not None
    print(f"完成：{len(publication.documents)} 篇公开文件，{len(publication.issues)} 期公报，"
          f"{warnings} 个警告，用时 {time.monotonic() - started:.1f} 秒 / built {output} in "
          f"{time.monotonic() - started:.1f} s", file=sys.stderr)
    return result


def outdated(content: Path, output: Path, only: list[str], settings_path: str | None = None,
             today: dt.date | None = None, refused: str | None = None) -> bool:
    """Whether a build now would do anything: False when the last good build was made from these very
    inputs (the test `run_build` makes first), and when they are the ones a build was just refused for
    (`refused`: `BuildResult.refused`, "" when its inputs had no digest): the check would refuse them again."""
    from .checks import beijing_today

    _, previous = _recorded_inputs(output)
    if previous is None:
        return refused is None
    inputs = _inputs_now(content, settings_path, only, today or beijing_today(), previous)
    if inputs is None:
        return refused is None
    return inputs.digest != previous.digest and inputs.digest != refused


def warm(content: Path, output: Path) -> None:
    """Read into this process's memory what the next build takes from the last good output and its caches
    (the Publication's rows, the site's records, the check's findings), as a build that wrote them would
    have left them: a watching process does this after each build, once the output is live, so that the
    next edit does not wait for it. Whatever cannot be read is left to the build."""
    from .checks.incremental import remember as remember_check
    from .findings import Finding
    from .publication_cache import base_key, remember
    from .registry import load_registry
    from .render import MarkdownRenderer
    from .site.page_plan import read_plan

    remember_check(output / ".cache")
    current = generations.current_generation(output)
    if current is None:
        return
    for record in (PAGE_KEYS, generations.COPIED):
        generations.read_page_keys(current / record)
    read_plan(current / PAGE_PLAN)
    problems: list[Finding] = []
    registry = load_registry(content.resolve(), problems)
    if not problems:
        base = base_key((raw.raw for _, raw in sorted(registry.sources.items())), MarkdownRenderer.VERSION)
        remember(output / ".cache" / "publication.sqlite", base)


def _inputs_now(content: Path, settings_path: str | None, only: list[str], day: dt.date,
                previous: build_inputs.Inputs) -> build_inputs.Inputs | None:
    """The inputs' digest now, over the folders the last good build hashed (before the settings are read)."""
    from .settings import settings_file

    return build_inputs.compute(content, settings_file(settings_path), [Path(f) for f in previous.folders],
                                only, day.isoformat(), previous)


class _Failed(Exception):
    """A build that failed once it had begun to write; `message` is for the editor."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


def _recorded_inputs(output: Path) -> tuple[dict[str, Any], build_inputs.Inputs | None]:
    """What the last good build recorded of its inputs (`inputs.json`), and their digest."""
    current = generations.current_generation(output)
    if current is None or not (output / "site").is_dir():
        return {}, None
    record = generations.read_inputs(current)
    return record, build_inputs.Inputs.from_json(record.get("inputs"))


def _unchanged(record: dict[str, Any]) -> str:
    """The message of a build whose inputs are the last good build's: that build's output stands."""
    warned = record.get("warnings")
    counts = {str(k): int(v) for k, v in warned.items() if isinstance(v, int)} if isinstance(warned, dict) else {}
    total = sum(counts.values())
    listed = ", ".join(f"{code} ×{n}" for code, n in counts.items())
    zh, en = "", ""
    if total:
        zh = f"；上次构建的 {total} 个警告（{listed}）可用 gazette check 查看"
        en = f"; its {total} warnings ({listed}): gazette check prints them"
    return (f"无变化：内容、设置、主题、程序和日期与上次成功构建时相同，输出保持不变{zh} / nothing changed since the "
            f"last good build (content, settings, theme, code, date): its output stands{en}")


def _write(corpus: Any, output: Path, only: list[str], settings: dict[str, Any],
           inputs: dict[str, Any], *, force: bool = False, digests: dict[str, str] | None = None) -> BuildResult:
    """Everything a build writes, under the lock: the Publication (its Markdown cache), the stages into
    a generation (the spare tree updated, or a new one), the switch. `force`: a new tree (the output may
    have been altered by hand, so the spare's record is not taken on its word). `digests`: each content
    file's input digest (a file published before with the same bytes is not read again)."""
    # Imported here: a build with nothing changed never needs them (Markdown, Jinja, the PDF stage).
    from .pdf.cache import drop_unpublished
    from .publication import build_publication
    from .seal import apply_seals, write_record

    previous = generations.prepare(output, remove_in_background=True)
    cache = output / ".cache"
    # The spare tree is updated only by a build that writes the site: the site stage is what knows
    # which of its files are still right.
    spare = generations.take_spare(output) if previous is not None and "site" in only and not force else None
    generation = spare.generation if spare is not None else generations.new_generation(output)
    dirs = BuildDirs(site=generation / "site", search_index=generation / "search-index", cache=cache,
                     previous=previous if previous is not None else generation / "none",
                     held=spare.pages if spare is not None else {}, held_files=spare.files if spare is not None else {})
    reports: dict[str, StageReport] = {}
    try:
        publication = build_publication(corpus, cache=cache, digests=digests, processes=workers.processes(settings))
        # The corpus and the Publication live until the build ends: set aside from the cycle collector,
        # whose full collections would otherwise walk their hundreds of thousands of objects again each
        # time the writers' work triggers one (half a second each at 10,000 documents).
        collector.set_aside()
        # Whatever stages run: a rendering of something no longer published does not stay in the cache.
        drop_unpublished(cache, publication)
        dirs.site.mkdir(parents=True, exist_ok=True)
        made_from = generations.read_manifest(previous) if previous is not None else {}
        fingerprint = publication.fingerprint()
        records: dict[str, MadeFrom] = {}
        for name in STAGES:
            record = made_from.get(name)
            if name in only:
                progress(f"生成 {name} / writing {name} …")
                reports[name] = _stage(name)(publication, dirs, settings, progress, reports)
                records[name] = MadeFrom(fingerprint, reports[name].files)
            elif record is not None and record.fingerprint == fingerprint and previous is not None:
                _carry_over(name, previous, dirs)
                reports[name] = StageReport(name, files=record.files)
                records[name] = record
            elif record is not None:
                progress(f"未保留上次的 {name}：它由其他内容生成 / the previous {name} output is not kept: "
                         f"it was made from other content")
            if name == "pdf" and name in reports:
                # The sealed copies `gazette seal` made of exactly these PDFs, if a seal is configured.
                write_record(generation, apply_seals(dirs.site, reports[name].files, cache, settings,
                                                     getattr(reports[name], "digests", None), dirs.previous / "site"))
                records[name] = MadeFrom(records[name].fingerprint, dict(reports[name].files))
        if "search" not in reports:  # no index this time: nor what an engine kept for the last one
            from .search.build import drop_store

            drop_store(cache)
        disclosed = publication.disclosed()
        generations.write_disclosed(generation, disclosed)
        generations.write_manifest(generation, records)
        generations.write_inputs(generation, inputs)
    except (Exception, KeyboardInterrupt) as exc:
        # A failed build leaves nothing of its own; the last good output stays as it was. (A killed one
        # cannot clean up: the next build does.)
        generations.discard(output, generation)
        if not isinstance(exc, Exception):
            raise
        raise _Failed(_failure(exc, output, cache)) from exc
    # The replaced tree is kept as the next build's spare only when it shows nothing this one does not:
    # a document withdrawn or made 依申请公开 leaves no copy of its text behind.
    before = generations.read_disclosed(previous) if previous is not None else None
    generations.switch(output, generation, remove_in_background=True,
                       keep_replaced=before is not None and before <= disclosed)
    live = time.monotonic()
    _write_later(reports, output)
    return BuildResult(0, publication, reports, live=live)


def _write_later(reports: dict[str, StageReport], output: Path) -> None:
    """The records the stages left for after the switch. The output is live: one that cannot be written
    is said, and only costs the next build time."""
    try:
        for report in reports.values():
            for write in report.later:
                write()
    except OSError as exc:
        print(f"警告：输出已更新，但页面记录未能写入（{exc}）；下次构建会重新生成更多页面 / warning: the output is "
              f"live, but its page records could not be written ({exc}): the next build redraws more pages",
              file=sys.stderr)


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


def _carry_over(stage: str, previous: Path, dirs: BuildDirs) -> None:
    """With --only, a stage not run keeps its last output, but only when that output was made from
    exactly the current content: an output made from other content could show what is no longer public."""
    if stage == "pdf" and (previous / "site" / "pdf").is_dir():
        shutil.copytree(previous / "site" / "pdf", dirs.site / "pdf", dirs_exist_ok=True)
    elif stage == "search" and (previous / "search-index").is_dir():
        from .search.build import carry_over_index

        carry_over_index(previous / "search-index", dirs.search_index)
    elif stage == "site" and (previous / "site").is_dir():
        for record in (PAGE_KEYS, PAGE_PLAN):
            if (previous / record).is_file():
                shutil.copy2(previous / record, dirs.site.parent / record)
        for item in (previous / "site").iterdir():
            target = dirs.site / item.name
            if item.name != "pdf" and not target.exists():
                (shutil.copytree if item.is_dir() else shutil.copy2)(item, target)


