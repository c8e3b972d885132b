"""`gazette new ISSUER`: a new document's skeleton, and what `gazette import` shares with it.

A new file states every required field. What only an editor can decide (publication date, catalogue
class, disclosure, secrecy and its review) is left as a placeholder that `gazette check` reports as an
error, so a skeleton or an imported file cannot be published before someone has filled it in. `secrecy`
in particular is never written as 非涉密: that value is the editor's statement that the review passed.
"""

from __future__ import annotations

import argparse
import contextlib
import datetime as dt
import os
import re
import stat
import sys
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from .checks.fields import SLUG
from .checks.numbers import INDEX_NO
from .findings import Finding
from .frontmatter import SourceError, parse_markdown
from .loader import load_corpus
from .model import PLACEHOLDER, Corpus
from .registry import Agency

# PLACEHOLDER (model.py) is the value the editor replaces. Each field it stands in fails its own check with a
# message that says what to write: DATE-INVALID (published, secrecy_review.date), REF-CATALOGUE,
# DOC-DISCLOSURE, SEC-SECRET, REF-GENRE; an empty title fails DOC-REQUIRED (a placeholder title would pass).
# Written after the placeholder lines, so the editor sees the choices in the file itself.
PLACEHOLDER_COMMENTS = {
    "title": "标题 / the title",
    "genre": "registry/genres.yml 中的 id，如 notice / a genre id",
    "published": "发布日期 YYYY-MM-DD / publication date",
    "catalogue": "registry/catalogue.yml 中的末级分类 id / a leaf of the catalogue",
    "disclosure": "主动公开 | 依申请公开 | 不予公开",
    "secrecy": "保密审查通过后写 非涉密 / write 非涉密 once the secrecy review has passed",
    "secrecy_review": "审查人和审查日期；不予公开的可删去 / reviewer and date; may go for 不予公开",
    "signed": "成文日期 YYYY-MM-DD / signing date",
    "issuer": "registry/agencies.yml 中的 id / an agency id",
    "index_no": "<组织机构代码>/<年>-<5 位序号> / <org code>/<year>-<serial>",
}
ISO_DATE = re.compile(r"^[0-9]{4}-[0-9]{2}-[0-9]{2}\Z")


class Refused(Exception):
    """The command refuses; `zh` and `en` say why and what to do. Exit status 1, no traceback."""

    def __init__(self, zh: str, en: str) -> None:
        super().__init__(f"{zh} / {en}")
        self.zh = zh
        self.en = en


def beijing_today() -> dt.date:
    # Looked up on the checks package at call time, so a test that fixes "today" for the checks fixes it here.
    from . import checks

    return checks.beijing_today()


# ---- front matter -------------------------------------------------------------------------------------

def _scalar(value: Any) -> str:
    """A YAML scalar that reads back as the same text, plain where YAML allows (dates stay unquoted, as
    editors write them; the reader keeps dates as text)."""
    if value is None:
        return ""
    if isinstance(value, str) and ISO_DATE.match(value):
        return value
    dumped = yaml.safe_dump([value], allow_unicode=True, default_flow_style=True, width=1 << 20).strip()
    return dumped[1:-1]  # "[x]" → "x": the scalar as YAML writes it inside a flow collection


def yaml_value(value: Any) -> str:
    """One field's value on one line: lists and mappings in flow style (`[a, b]`, `{by: …, date: …}`)."""
    if isinstance(value, dict):
        inner = ", ".join(f"{k}: {_scalar(v)}" for k, v in value.items())  # `by: ,` is an empty value
        return "{" + inner + "}"
    if isinstance(value, list):
        return "[" + ", ".join(yaml_value(v) for v in value) + "]"
    return _scalar(value)


def front_matter(fields: dict[str, Any], placeholders: Iterable[str] = ()) -> str:
    """`---` … `---`, a line per field (a list of mappings one item a line, as the content format shows)."""
    marked = set(placeholders)
    lines = ["---"]
    for key, value in fields.items():
        if isinstance(value, list) and value and all(isinstance(v, dict) for v in value):
            lines.append(f"{key}:")
            lines.extend(f"  - {yaml_value(v)}" for v in value)
            continue
        line = f"{key}: {yaml_value(value)}".rstrip()
        if key in marked and key in PLACEHOLDER_COMMENTS:
            line += f"  # {PLACEHOLDER_COMMENTS[key]}"
        lines.append(line)
    lines.append("---")
    return "\n".join(lines) + "\n"


# The order of the content format's example; fields it does not list follow in the order given.
FIELD_ORDER = ("title", "slug", "lang", "genre", "issuer", "doc_number", "signed", "published", "index_no",
               "catalogue", "keywords", "summary", "disclosure", "secrecy", "secrecy_review", "validity",
               "attachments")


def in_format_order(fields: dict[str, Any]) -> dict[str, Any]:
    ordered = {k: fields[k] for k in FIELD_ORDER if k in fields}
    return ordered | {k: v for k, v in fields.items() if k not in ordered}


def placeholder_fields() -> dict[str, Any]:
    """The fields an editor decides, as placeholders the check flags."""
    return {"published": PLACEHOLDER, "catalogue": PLACEHOLDER, "disclosure": PLACEHOLDER,
            "secrecy": PLACEHOLDER, "secrecy_review": {"by": None, "date": PLACEHOLDER}}


# ---- numbers and names --------------------------------------------------------------------------------

def next_index_no(corpus: Corpus, agency: Agency, year: int) -> str:
    """The first serial after every index number of this organisation code and year, drafts and withheld
    documents included (an index number is never reused)."""
    highest = 0
    for doc in corpus.documents.values():
        m = INDEX_NO.match(doc.index_no)
        if m and m["org"] == agency.org_code and int(m["year"]) == year:
            highest = max(highest, int(m["serial"]))
    return f"{agency.org_code}/{year}-{highest + 1:05d}"


def slug_taken(corpus: Corpus, content: Path, slug: str) -> bool:
    """A document (or a stray translation) already has this slug, in any year's folder."""
    if slug in corpus.documents or any(s.path.split("/")[-1].split(".")[0] == slug
                                       for s in corpus.orphans + corpus.duplicates):
        return True
    documents = content / "documents"
    return documents.is_dir() and any(documents.glob(f"*/{slug}.*.md"))


def free_slug(corpus: Corpus, content: Path, base: str) -> str:
    """`base`, or `base-2`, `base-3`, … : the first one no document has."""
    slug, n = base, 1
    while slug_taken(corpus, content, slug):
        n += 1
        slug = f"{base}-{n}"
    return slug


def check_slug(slug: str) -> None:
    if not SLUG.match(slug):
        raise Refused(f"slug“{slug}”只能包含小写字母、数字和连字符", f"the slug '{slug}' may contain only "
                      "lower-case letters, digits and hyphens")


def load_content(content: Path) -> tuple[Corpus, list[Finding]]:
    if not (content / "registry").is_dir():
        raise Refused(f"找不到内容目录（或其中的 registry/）：{content}", f"content folder (with its "
                      f"registry/) not found: {content}")
    return load_corpus(content)


# ---- writing without overwriting ----------------------------------------------------------------------

@dataclass
class Writer:
    """Creates files under the content folder and never replaces one.

    Every folder on the way is a real folder (a symbolic link in content/ would lead the write elsewhere),
    and every file is created with O_EXCL. If anything fails, what this writer created is removed again, so
    a refused import leaves the content folder as it was."""

    content: Path
    created: list[Path] = field(default_factory=list)
    folders: list[Path] = field(default_factory=list)

    def folder(self, rel: str) -> Path:
        current = self.content
        for part in rel.split("/"):
            current = current / part
            try:
                mode = os.lstat(current).st_mode
            except FileNotFoundError:
                current.mkdir()
                self.folders.append(current)
                continue
            if not stat.S_ISDIR(mode):
                raise Refused(f"{current} 不是普通文件夹（可能是符号链接），未写入",
                              f"{current} is not a plain folder (perhaps a symbolic link); nothing written")
        return current

    def write(self, rel: str, data: bytes) -> Path:
        folder, _, name = rel.rpartition("/")
        path = self.folder(folder) / name
        try:
            fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW | getattr(os, "O_CLOEXEC", 0),
                         0o644)
        except FileExistsError:
            raise Refused(f"文件已存在，不覆盖：{path}", f"the file exists and is not overwritten: {path}") from None
        self.created.append(path)
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
        return path

    def undo(self) -> None:
        for path in reversed(self.created):
            path.unlink(missing_ok=True)
        for folder in reversed(self.folders):
            with contextlib.suppress(OSError):  # a folder someone else filled meanwhile stays
                folder.rmdir()


def document_text(fields: dict[str, Any], body: str, placeholders: Iterable[str] = ()) -> str:
    """The file's text, read back with the project's own reader before it is written: a value the import
    produced that the reader would refuse is a bug here, not a finding for the editor."""
    text = front_matter(fields, placeholders) + body
    try:
        parse_markdown(text.encode("utf-8"), "new.md")
    except SourceError as exc:  # pragma: no cover - guards the writer above
        raise Refused("生成的元数据无法读回", f"the front matter written could not be read back: {exc}") from None
    return text


def print_refused(exc: Refused) -> int:
    print(f"未写入：{exc.zh}\nnothing written: {exc.en}", file=sys.stderr)
    return 1


# ---- gazette new --------------------------------------------------------------------------------------

def new_document(content: Path, issuer: str, slug: str | None = None,
                 today: dt.date | None = None) -> Path:
    """Write `documents/<year>/<slug>.zh.md` for a document of `issuer`, signed today; returns its path."""
    corpus, _ = load_content(content)
    agencies = corpus.registry.agencies
    agency = agencies.get(issuer)
    if agency is None:
        ids = "、".join(agencies)
        raise Refused(f"“{issuer}”不在 registry/agencies.yml 中；可用的 id：{ids}",
                      f"'{issuer}' is not in registry/agencies.yml; the ids are: {', '.join(agencies)}")
    today = today or beijing_today()
    if slug:
        check_slug(slug)
        if slug_taken(corpus, content, slug):
            raise Refused(f"slug“{slug}”已被使用", f"the slug '{slug}' is already used")
    else:
        slug = free_slug(corpus, content, f"{issuer}-{today.isoformat()}")
    fields: dict[str, Any] = {
        "title": None, "slug": slug, "lang": "zh", "genre": PLACEHOLDER, "issuer": [issuer],
        "signed": today.isoformat(),
        "index_no": next_index_no(corpus, agency, today.year) if agency.org_code else PLACEHOLDER,
        **placeholder_fields(),
    }
    fields = in_format_order(fields)
    marked = ["title", "genre", "published", "catalogue", "disclosure", "secrecy", "secrecy_review"]
    if not agency.org_code:
        marked.append("index_no")
    text = document_text(fields, "", marked)
    writer = Writer(content)
    try:
        return writer.write(f"documents/{today.year}/{slug}.zh.md", text.encode("utf-8"))
    except BaseException:
        writer.undo()
        raise


def new_command(args: argparse.Namespace) -> int:
    content = Path(args.content)
    try:
        path = new_document(content, args.issuer, args.slug)
    except Refused as exc:
        return print_refused(exc)
    print(f"已写入 / written: {path}")
    print("待填写 / to fill in: title, genre, published, catalogue, disclosure, secrecy, secrecy_review "
          "（gazette check 逐项列出 / gazette check lists each）")
    return 0
