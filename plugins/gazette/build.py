"""`gazette build`: check, derive the public view, write every output into a staging folder, then swap.

Read → check → publish → write. Nothing is written while anything is still being read or checked, and
the outputs are written to `<output>/.staging/` first: only when every stage has succeeded do they
replace `<output>/site` and `<output>/search-index`. A failed build leaves the last good output as it was.

Caches keyed by content live in `<output>/.cache/` so that unchanged work is not redone.
"""

from __future__ import annotations

import json
import shutil
import sys
import time
import traceback
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .findings import count, format_findings
from .publication import Publication, build_publication

# The PDFs come first: the site links them with their sizes.
STAGES = ("pdf", "site", "search")
OUTPUTS = ("site", "search-index", ".site-pages.json")
MANIFEST = "outputs.json"


@dataclass
class BuildDirs:
    site: Path  # staging web root
    search_index: Path  # staging search index
    cache: Path  # persistent caches, keyed by content
    previous: Path  # the last good output (read only)


def progress(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


Stage = Callable[[Publication, BuildDirs, dict[str, Any], Callable[[str], None]], None]


def _stage(name: str) -> Stage:
    if name == "site":
        from .site.build import write_site

        return write_site
    if name == "pdf":
        from .pdf.build import write_pdfs

        return write_pdfs
    from .search.build import write_index

    return write_index


def build(content: Path, output: Path, only: list[str], settings_path: str | None = None) -> int:
    from .checks import check_content
    from .settings import load_settings

    started = time.monotonic()
    if not content.is_dir():
        print(f"找不到内容目录 {content} / content folder not found: {content}", file=sys.stderr)
        return 1
    settings = load_settings(settings_path, {"PATH": str(content.resolve())})
    progress("检查内容 / checking content …")
    corpus, findings = check_content(content, settings)
    errors, warnings = count(findings)
    if findings:
        print(format_findings(findings), file=sys.stderr)
    if errors:
        print(f"构建已拒绝：{errors} 个错误，未写入任何文件 / build refused: {errors} errors, nothing written",
              file=sys.stderr)
        return 1
    output.mkdir(parents=True, exist_ok=True)
    publication = build_publication(corpus, cache=output / ".cache")

    staging = output / ".staging"
    shutil.rmtree(staging, ignore_errors=True)
    dirs = BuildDirs(site=staging / "site", search_index=staging / "search-index", cache=output / ".cache",
                     previous=output)
    dirs.site.mkdir(parents=True)
    dirs.cache.mkdir(exist_ok=True)
    made_from = _read_manifest(dirs.cache)
    fingerprint = publication.fingerprint()
    try:
        for name in STAGES:
            if name in only:
                progress(f"生成 {name} / writing {name} …")
                _stage(name)(publication, dirs, settings, progress)
            elif made_from.get(name) == fingerprint:
                _carry_over(name, output, dirs)
            elif made_from.get(name):
                progress(f"未保留上次的 {name}：它由其他内容生成 / the previous {name} output is not kept: "
                         f"it was made from other content")
                made_from.pop(name)
    except Exception as exc:  # any failure: the staging folder goes, the last good output stays
        shutil.rmtree(staging, ignore_errors=True)
        # The details are for whoever maintains the system; the editor gets the message.
        details = dirs.cache / "last-failure.txt"
        details.write_text(traceback.format_exc(), encoding="utf-8")
        print(f"构建失败，上次的输出保持不变：{exc}（详情见 {details}）/ build failed, the previous output is "
              f"unchanged: {exc} (details in {details})", file=sys.stderr)
        return 1
    _swap(staging, output)
    made_from.update({name: fingerprint for name in only})
    _write_manifest(dirs.cache, made_from)
    print(f"完成：{len(publication.documents)} 篇公开文件，{len(publication.issues)} 期公报，"
          f"{warnings} 个警告，用时 {time.monotonic() - started:.1f} 秒 / built {output} in "
          f"{time.monotonic() - started:.1f} s", file=sys.stderr)
    return 0


def _read_manifest(cache: Path) -> dict[str, str]:
    """Which content (by Publication fingerprint) each stage's current output was made from."""
    try:
        data = json.loads((cache / MANIFEST).read_text(encoding="utf-8"))
        return {str(k): str(v) for k, v in data.items()} if isinstance(data, dict) else {}
    except (OSError, ValueError):
        return {}


def _write_manifest(cache: Path, made_from: dict[str, str]) -> None:
    (cache / MANIFEST).write_text(json.dumps(made_from, indent=1, sort_keys=True), encoding="utf-8")


def _carry_over(stage: str, output: Path, dirs: BuildDirs) -> None:
    """With --only, a stage not run keeps its last output, but only when that output was made from
    exactly the current content: an output made from other content could show what is no longer public."""
    if stage == "pdf" and (output / "site" / "pdf").is_dir():
        shutil.copytree(output / "site" / "pdf", dirs.site / "pdf", dirs_exist_ok=True)
    elif stage == "search" and (output / "search-index").is_dir():
        shutil.copytree(output / "search-index", dirs.search_index, dirs_exist_ok=True)
    elif stage == "site" and (output / "site").is_dir():
        if (output / ".site-pages.json").is_file():
            shutil.copy2(output / ".site-pages.json", dirs.site.parent / ".site-pages.json")
        for item in (output / "site").iterdir():
            target = dirs.site / item.name
            if item.name != "pdf" and not target.exists():
                (shutil.copytree if item.is_dir() else shutil.copy2)(item, target)


def _remove(path: Path) -> None:
    if path.is_dir():
        shutil.rmtree(path, ignore_errors=True)
    elif path.exists():
        path.unlink()


def _swap(staging: Path, output: Path) -> None:
    """Replace each output folder by its staged version; the old one is removed only after the move."""
    for name in OUTPUTS:
        new, current, old = staging / name, output / name, output / f".old-{name}"
        _remove(old)
        if not new.exists():
            # Not made this time and not carried over: a stale output must not stay beside the new one.
            _remove(current)
            continue
        if current.exists():
            current.rename(old)
        new.rename(current)
        _remove(old)
    shutil.rmtree(staging, ignore_errors=True)
