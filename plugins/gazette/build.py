"""`gazette build`: check, derive the public view, write every output into a staging folder, then swap.

Read → check → publish → write. Nothing is written while anything is still being read or checked, and
the outputs are written to `<output>/.staging/` first: only when every stage has succeeded do they
replace `<output>/site` and `<output>/search-index`. A failed build leaves the last good output as it was.

Caches keyed by content live in `<output>/.cache/` so that unchanged work is not redone.
"""

from __future__ import annotations

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
OUTPUTS = ("site", "search-index")


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
    try:
        for name in STAGES:
            if name in only:
                progress(f"生成 {name} / writing {name} …")
                _stage(name)(publication, dirs, settings, progress)
        _carry_over(output, dirs, only)
    except Exception as exc:  # any failure: the staging folder goes, the last good output stays
        shutil.rmtree(staging, ignore_errors=True)
        print(f"构建失败，上次的输出保持不变 / build failed, the previous output is unchanged: {exc}",
              file=sys.stderr)
        traceback.print_exc(file=sys.stderr)
        return 1
    _swap(staging, output)
    print(f"完成：{len(publication.documents)} 篇公开文件，{len(publication.issues)} 期公报，"
          f"{warnings} 个警告，用时 {time.monotonic() - started:.1f} 秒 / built {output} in "
          f"{time.monotonic() - started:.1f} s", file=sys.stderr)
    return 0


def _carry_over(output: Path, dirs: BuildDirs, only: list[str]) -> None:
    """With --only, outputs of the stages not run are kept from the last good build."""
    if "pdf" not in only and (output / "site" / "pdf").is_dir():
        shutil.copytree(output / "site" / "pdf", dirs.site / "pdf", dirs_exist_ok=True)
    if "search" not in only and (output / "search-index").is_dir() and not dirs.search_index.exists():
        shutil.copytree(output / "search-index", dirs.search_index)
    if "site" not in only and (output / "site").is_dir():
        for item in (output / "site").iterdir():
            target = dirs.site / item.name
            if item.name != "pdf" and not target.exists():
                (shutil.copytree if item.is_dir() else shutil.copy2)(item, target)


def _swap(staging: Path, output: Path) -> None:
    """Replace each output folder by its staged version; the old one is removed only after the move."""
    for name in OUTPUTS:
        new, current, old = staging / name, output / name, output / f".old-{name}"
        if not new.exists():
            continue
        shutil.rmtree(old, ignore_errors=True)
        if current.exists():
            current.rename(old)
        new.rename(current)
        shutil.rmtree(old, ignore_errors=True)
    shutil.rmtree(staging, ignore_errors=True)
