"""What every report shares: CSV text, and where a report may be written.

A report holds what the site does not show (withheld items, the requests register's deadlines), so it is
printed, or written where the office asks with --out, never under the build output folder or a web root.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..generations import CURRENT, GENERATIONS
from ..settings import settings_file
from ..spreadsheet import safe_cell

BUILD_FOLDER = "build"


@dataclass
class Options:
    """What a report is asked for; each report reads the options it has."""

    today: dt.date  # Beijing
    fmt: str = "text"  # text | csv | json (annual: doc too)
    as_of: dt.date | None = None
    year: int | None = None
    months: int = 3
    agency: str | None = None
    lang: str = "zh"


@dataclass
class Rendered:
    """A report's text, and the errors it found (printed apart; the command then exits 1)."""

    text: str
    errors: list[str] = field(default_factory=list)


def csv_text(columns: list[str], rows: Iterable[dict[str, Any]]) -> str:
    """CSV with a header row; None is written empty."""
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=columns, extrasaction="ignore", lineterminator="\n")
    writer.writeheader()
    for row in rows:
        writer.writerow({k: "" if v is None else safe_cell(v) for k, v in row.items()})
    return buffer.getvalue()


# Folders web servers publish by default (Debian, Red Hat, nginx's own packages).
WEB_ROOTS = ("/var/www", "/srv/www", "/usr/share/nginx", "/usr/share/httpd", "/var/lib/nginx")
INDEX_PAGES = ("index.html", "index.htm")


def _both(path: Path) -> list[Path]:
    """`path` as written (made absolute) and with symlinks resolved: a link to a web root is one. (A loop
    of links resolves to nothing: `out_refusal` refuses such a path before it asks.)"""
    try:
        return [path.absolute(), path.resolve()]
    except (OSError, RuntimeError):
        return [path.absolute()]


def _folders(path: Path) -> list[Path]:
    """`path` and its ancestors, both ways."""
    return [*dict.fromkeys(folder for p in _both(path) for folder in (p, *p.parents))]


def _is_build_output(folder: Path) -> bool:
    """A folder `gazette build` writes (its generations, or the link to the current one), wherever it is."""
    try:
        return (folder / GENERATIONS).is_dir() or (folder / CURRENT).is_symlink()
    except OSError:
        return False


def out_refusal(out: Path, output: Path | None = None, what: tuple[str, str] = ("报表", "a report"),
                content: Path | None = None) -> str | None:
    """Why a report (or `what`: an archive package) may not be written at `out`, or None. A report holds
    withheld items, so it is never written where a web server could publish it: the build output (`output`,
    ./build, the project's build/) and its site/, the content folder (`content`, the project's content/:
    what is there is published by the next build, an attachment written over included), a folder holding
    an index page (a web root), or a conventional web root."""
    zh, en = what
    try:
        out.resolve(strict=False)
    except (OSError, RuntimeError):
        return (f"{zh}的位置 {out} 无法解析（符号链接成环？）；请写到其他位置 / {en} cannot be written at {out}: "
                "the path cannot be resolved (a loop of symbolic links?); write it elsewhere")
    project = settings_file()
    sources = [*([content] if content else []), *([project.parent / "content"] if project else [])]
    held = {p for folder in sources for p in _both(folder)}
    for folder in _folders(out):
        if folder in held:
            return (f"{zh}不能写在内容目录 {folder}/ 下（下一次构建会发布那里的文件，包括被覆盖的附件）：{out}；请写到"
                    f"其他位置，如 reports/ / {en} is never written under the content folder {folder}/ (the next "
                    f"build publishes what is there, an attachment written over included): {out}; write it "
                    "elsewhere, e.g. reports/")
    project = settings_file()
    outputs = [Path(BUILD_FOLDER), *([project.parent / BUILD_FOLDER] if project else []), *([output] if output else [])]
    published = {p for o in outputs for folder in (o, o / "site") for p in _both(folder)}
    web_roots = {p for root in WEB_ROOTS for p in _both(Path(root))}
    for folder in _folders(out):
        if folder in published or _is_build_output(folder):
            return (f"{zh}不能写在构建输出目录 {folder}/ 下（该目录会原样发布）：{out}；请写到其他位置，如 "
                    f"reports/ / {en} is never written under the build output folder {folder}/ (it is "
                    f"published as it stands): {out}; write it elsewhere, e.g. reports/")
        if folder in web_roots:
            return (f"{zh}不能写在网站根目录 {folder} 下（会被网站服务器发布）：{out}；请写到其他位置，如 reports/ "
                    f"/ {en} is never written under the web root {folder} (a web server publishes it): "
                    f"{out}; write it elsewhere, e.g. reports/")
        try:
            index = next((folder / name for name in INDEX_PAGES if (folder / name).exists()), None)
        except OSError:  # a folder that cannot be read is no reason to refuse
            index = None
        if index is not None:
            return (f"{zh}不能写在网站根目录下（{index} 表明 {folder} 是网站根目录）：{out}；请写到其他位置，如 "
                    f"reports/ / {en} is never written in a web root ({index} makes {folder} one): {out}; "
                    "write it elsewhere, e.g. reports/")
    return None
