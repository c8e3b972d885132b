"""The two pandoc runs, through pypandoc: .docx → pandoc's document tree (JSON), and the edited tree →
Markdown that the site's renderer (python-markdown with tables) reads as pandoc meant it.

What the import writes depends on pandoc's Word reader and Markdown writer. The set-up installs pandoc from
Debian 12 (2.17.1.1, document tree API 1.22); the tests expect that version. The tree's shape is the same
from pandoc 2.11 (API 1.22) through 3.x (API 1.23); an older pandoc is refused, a newer major version is
used with a warning, since its Markdown may differ in small ways (escapes, spacing).
"""

from __future__ import annotations

import json
import logging
from pathlib import Path
from typing import Any

from ..new_document import Refused

TESTED_PANDOC = "2.17.1.1"
TREE_API = ((1, 22), (1, 23))  # pandoc-types versions whose tree this package reads and writes
# Strict Markdown plus pipe tables: what python-markdown's "tables" extension reads. Everything else a body
# needs (headings, lists, emphasis, images, links) is in the strict dialect; pandoc escapes the rest, so a
# `<script>` typed in Word arrives as text.
MARKDOWN = "markdown_strict+pipe_tables"
# pandoc's heap, capped (GHC's runtime options): a small .docx whose XML expands to tens of megabytes of
# nested runs took pandoc past 1.5 GB and many minutes; capped, it stops in seconds. Genuine 公文, photographs
# included, stay far below.
PANDOC_LIMITS = ["+RTS", "-M512m", "-RTS"]


def _pypandoc() -> Any:
    import pypandoc

    # pypandoc logs pandoc's own warnings (a style it does not know, a missing translation file) at WARNING;
    # the import reports what it could not place itself.
    logging.getLogger("pypandoc").setLevel(logging.ERROR)
    return pypandoc


def pandoc_version() -> str:
    try:
        return str(_pypandoc().get_pandoc_version())
    except OSError:
        raise Refused("找不到 pandoc：请运行 scripts/setup.sh 安装（Debian 的 pandoc 软件包）",
                      "pandoc is not installed: run scripts/setup.sh (it installs Debian's pandoc package)") from None


def version_warning(version: str) -> str | None:
    """A warning when pandoc is not the major version the import was checked with; Refused when too old."""
    parts = tuple(int(p) for p in version.split(".")[:2] if p.isdigit())
    if parts < (2, 11):
        raise Refused(f"pandoc {version} 太旧（至少需要 2.11）：请运行 scripts/setup.sh",
                      f"pandoc {version} is too old (2.11 or later is needed): run scripts/setup.sh")
    if parts[:1] != (int(TESTED_PANDOC.split(".")[0]),):
        return (f"pandoc {version} 与核验过的版本 {TESTED_PANDOC} 不同，转换结果可能略有差异，请仔细核对正文 / "
                f"pandoc {version} is not the version the import was checked with ({TESTED_PANDOC}); review "
                "the body closely")
    return None


def docx_tree(path: Path) -> dict[str, Any]:
    """pandoc's tree of the (already checked and repacked) .docx."""
    try:
        out = _pypandoc().convert_file(str(path), "json", format="docx", sandbox=True, verify_format=False,
                                       extra_args=PANDOC_LIMITS)
        tree = json.loads(out)
    except (RuntimeError, ValueError) as exc:
        if "Heap exhausted" in str(exc):
            raise Refused("这个 Word 文件太大或结构过于复杂，超出导入的内存上限（512 MB）：请拆分文件，或在 Word 中"
                          "另存为新的 .docx", "this Word file is too large or too intricate for the import's memory "
                          "limit (512 MB): split it, or save it again as a new .docx in Word") from None
        detail = str(exc).strip().splitlines()[-1][:200] if str(exc).strip() else type(exc).__name__
        raise Refused(f"pandoc 无法读取这个 Word 文件（{detail}）：请在 Word 中打开并重新保存为 .docx",
                      f"pandoc cannot read this Word file ({detail}): open it in Word and save it again as "
                      ".docx") from None
    api = tuple(tree.get("pandoc-api-version", [])[:2])
    if api not in TREE_API:
        raise Refused(f"pandoc 的文档树版本 {api} 未经核验：请使用 scripts/setup.sh 安装的 pandoc",
                      f"pandoc's document tree version {api} is not one the import reads: use the pandoc "
                      "scripts/setup.sh installs")
    return tree


def markdown(tree: dict[str, Any]) -> str:
    """The tree's blocks as Markdown, a paragraph a line (an editor's diff then shows paragraphs)."""
    out = _pypandoc().convert_text(json.dumps(tree, ensure_ascii=False), MARKDOWN, format="json",
                                   extra_args=["--wrap=none", *PANDOC_LIMITS], verify_format=False)
    return str(out).replace("\r\n", "\n").strip() + "\n"
