"""`gazette import FILE.docx`: a Word 公文 → a content file, its parts in front matter, its pictures and
attachments beside it, placeholders for what the editor decides. Never overwrites; exit 0 written, 1 refused."""

from __future__ import annotations

import argparse
import os
import re
import stat
import tempfile
import unicodedata
import xml.etree.ElementTree as ET
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..frontmatter import MAX_MARKDOWN_BYTES
from ..model import Corpus
from ..new_document import (
    PLACEHOLDER,
    Refused,
    Writer,
    beijing_today,
    check_slug,
    document_text,
    free_slug,
    in_format_order,
    load_content,
    next_index_no,
    placeholder_fields,
    print_refused,
    slug_taken,
    yaml_value,
)
from ..registry import Agency, Registry
from ..static_files import ATTACHMENT_TYPES, MAGIC, UNSAFE_CHARS, looks_active
from . import convert
from . import patterns as P
from .layout import Layout, Table, read_layout
from .lift import Block, Lifted, Lifter
from .package import Package, read_docx

MAX_ATTACHMENT_BYTES = 200 * 1024 * 1024
# Pictures a page can show; Word's own vector formats (EMF, WMF) cannot be, and are reported instead.
PICTURES = {b"\x89PNG\r\n\x1a\n": "png", b"\xff\xd8\xff": "jpg", b"GIF87a": "gif", b"GIF89a": "gif"}


@dataclass
class Report:
    lifted: list[tuple[str, str]] = field(default_factory=list)  # (field, value as shown)
    unplaced: list[tuple[str, str]] = field(default_factory=list)  # (zh, en)
    warnings: list[str] = field(default_factory=list)

    def add(self, key: str, value: object) -> None:
        self.lifted.append((key, value if isinstance(value, str) else yaml_value(value)))

    def cannot(self, zh: str, en: str) -> None:
        self.unplaced.append((zh, en))


# ---- agencies -----------------------------------------------------------------------------------------

def _subsequence(short: str, full: str) -> bool:
    chars = iter(full)
    return all(ch in chars for ch in short)


def agency_named(name: str, registry: Registry) -> tuple[Agency | None, bool]:
    """The registry agency a signature names: by its full Chinese name, or by an abbreviation of it that
    fits one agency alone (甘孜州财政局 for 甘孜藏族自治州财政局: its characters in order, the same last one).
    The flag says the match was by abbreviation."""
    key = P.squeeze(name)
    for agency in registry.agencies.values():
        if P.squeeze(agency.zh) == key:
            return agency, False
    if len(key) >= 4:
        fits = [a for a in registry.agencies.values() if a.zh.endswith(key[-1]) and _subsequence(key, a.zh)]
        if len(fits) == 1:
            return fits[0], True
    return None, False


def _by_code(doc_number: str, registry: Registry) -> Agency | None:
    """The agency whose code_prefix begins the document number (the longest: 甘府办 before 甘府)."""
    best: Agency | None = None
    for agency in registry.agencies.values():
        if agency.code_prefix and doc_number.startswith(agency.code_prefix) and (
                best is None or len(agency.code_prefix) > len(best.code_prefix)):
            best = agency
    return best


def _as_agency_ids(names: list[str], registry: Registry) -> list[str]:
    """抄送 names that are a registry agency's full name become its id, so the Tibetan page names it in Tibetan."""
    out = []
    for name in names:
        agency, abbreviated = agency_named(name, registry)
        out.append(agency.id if agency and not abbreviated else name)
    return out


def issuers_of(lifted: Lifted, registry: Registry, report: Report) -> list[Agency]:
    found: list[Agency] = []
    for name in lifted.signature:
        agency, abbreviated = agency_named(name, registry)
        if agency is None:
            report.cannot(f"署名“{name}”不在 registry/agencies.yml 中：先登记该机关，再把 id 写进 issuer",
                          f"the signature '{name}' is not in registry/agencies.yml: register the body, then add "
                          "its id to 'issuer'")
        elif agency not in found:
            found.append(agency)
            if abbreviated:
                report.cannot(f"署名“{name}”按简称对应为 {agency.id}（{agency.zh}），请核对",
                              f"the signature '{name}' was read as the abbreviation of {agency.id}: check it")
    if found:
        return found
    for text in lifted.masthead:
        agency, _ = agency_named(re.sub(r"(文件|令)$", "", text), registry)
        if agency:
            report.cannot(f"发文机关由版头“{text}”确定", f"the issuer was taken from the masthead '{text}'")
            return [agency]
    agency = _by_code(lifted.doc_number, registry) if lifted.doc_number else None
    if agency:
        report.cannot(f"发文机关由文号的机关代字确定：{agency.id}", f"the issuer was taken from the document number's "
                      f"code: {agency.id}")
        return [agency]
    return []


# ---- files beside the document ------------------------------------------------------------------------

def safe_name(name: str, fallback: str) -> str:
    """A file name for content/: no folder, no character a link or a server would trip on, no leading dot."""
    name = unicodedata.normalize("NFC", Path(name).name)
    stem, dot, ext = name.rpartition(".")
    if not dot:
        stem, ext = name, ""
    stem = re.sub(r"[\s/]+", "-", UNSAFE_CHARS.sub("-", stem)).strip(".-")[:80] or fallback
    return f"{stem}.{ext.lower()}" if ext else stem


def _check_attachment(path: Path) -> bytes:
    try:
        mode = os.lstat(path).st_mode
    except OSError as exc:
        raise Refused(f"找不到附件：{path}（{exc.strerror}）",
                      f"attachment not found: {path} ({exc.strerror})") from None
    kind = path.suffix.lstrip(".").lower()
    if stat.S_ISLNK(mode):  # it would copy whatever the link names (a host file), as the site never does
        raise Refused(f"附件是符号链接：{path}；请给出文件本身", f"the attachment is a symbolic link: {path}; give the "
                      "file itself")
    if not stat.S_ISREG(mode):
        raise Refused(f"附件不是普通文件：{path}", f"the attachment is not a regular file: {path}")
    if kind not in ATTACHMENT_TYPES:
        raise Refused(f"不发布此类附件（.{kind}）：{path}；允许的类型：{', '.join(sorted(ATTACHMENT_TYPES))}",
                      f"attachments of this type (.{kind}) are not published: {path}; allowed: "
                      f"{', '.join(sorted(ATTACHMENT_TYPES))}")
    try:
        with os.fdopen(os.open(path, os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK), "rb") as handle:
            data = handle.read(MAX_ATTACHMENT_BYTES + 1)
    except OSError as exc:  # replaced by a link or a pipe since it was looked at
        raise Refused(f"无法读取附件：{path}（{exc.strerror}）", f"cannot read the attachment: {path} "
                      f"({exc.strerror})") from None
    if len(data) > MAX_ATTACHMENT_BYTES:
        raise Refused(f"附件超过 {MAX_ATTACHMENT_BYTES >> 20} MB：{path}", f"the attachment is over "
                      f"{MAX_ATTACHMENT_BYTES >> 20} MB: {path}")
    expected = MAGIC.get(kind)
    if looks_active(data[:1024]) or (expected and not data.startswith(expected)):
        raise Refused(f"附件内容与扩展名 .{kind} 不符，或是网页/脚本：{path}", f"the attachment's bytes do not match "
                      f"its extension .{kind}, or it is a web page or script: {path}")
    return data


@dataclass
class Attached:
    files: list[tuple[str, bytes]]  # (name in the document's folder, bytes)
    entries: list[dict[str, str]]  # the `attachments` field


def attach(titles: list[str], given: list[Path], datas: list[bytes], folder: str, report: Report) -> Attached:
    """附件说明's titles matched with the files given by --attach; both kept, whatever does not match reported."""
    names: list[str] = []
    for i, path in enumerate(given):
        name = safe_name(path.name, f"attachment-{i + 1}")
        stem, _, ext = name.rpartition(".")
        n = 1
        while name in names:
            n += 1
            name = f"{stem}-{n}.{ext}"
        names.append(name)
    matches = P.match_attachments(titles, [p.name for p in given])
    entries: list[dict[str, str]] = []
    for i, title in enumerate(titles):
        if i in matches:
            entries.append({"file": f"{folder}/{names[matches[i]]}", "title": title})
        else:
            entries.append({"file": PLACEHOLDER, "title": title})
            report.cannot(f"附件 {i + 1}“{title}”没有对应的文件：用 --attach 给出，或放进 {folder}/ 后填写 file",
                          f"attachment {i + 1} '{title}' has no file: give it with --attach, or put it in "
                          f"{folder}/ and fill in 'file'")
    for j, path in enumerate(given):
        if j not in matches.values():
            entries.append({"file": f"{folder}/{names[j]}", "title": path.stem})
            report.cannot(f"文件 {path.name} 不在附件说明中，已按文件名列入 attachments，请改写标题",
                          f"{path.name} is not named in the 附件说明; listed under its file name: give it its title")
    return Attached(list(zip(names, datas, strict=True)), entries)


def _walk_inlines(node: Any, visit: Any) -> None:
    """Every inline node of a block (or list of blocks), in order, nested ones included."""
    if isinstance(node, list):
        for item in node:
            _walk_inlines(item, visit)
    elif isinstance(node, dict):
        if node.get("t") == "Image":
            visit(node)
        if "c" in node:
            _walk_inlines(node["c"], visit)


def pictures(blocks: list[Block], package: Package, folder: str, prefix: str,
             report: Report) -> list[tuple[str, bytes]]:
    """The body's pictures as files of the document's folder (image-1.png, …), linked with {static}. The
    name inside the .docx is only looked up, never used as a path."""
    files: list[tuple[str, bytes]] = []
    by_target: dict[str, str] = {}
    dropped: list[dict[str, Any]] = []

    def visit(node: dict[str, Any]) -> None:
        target = node["c"][2][0]
        if target not in by_target:
            data = package.get(f"word/{target}") if not target.startswith(("/", "..")) else None
            kind = next((k for magic, k in PICTURES.items() if data and data.startswith(magic)), None)
            if data is None or kind is None:
                what = Path(target).suffix.lstrip(".").lower() or "?"
                report.cannot(f"图片 {target}（{what}）无法在网页上显示，未导入：请另存为 PNG 或 JPEG 后手工加入",
                              f"the picture {target} ({what}) cannot be shown on a web page and was not "
                              "imported: save it as PNG or JPEG and add it by hand")
                by_target[target] = ""
            else:
                name = f"{prefix}-{len(files) + 1}.{kind}"
                files.append((name, data))
                by_target[target] = f"{{static}}/{folder}/{name}"
        if by_target[target]:
            node["c"][0] = ["", [], []]  # Word's sizes in inches mean nothing on a page
            node["c"][2] = [by_target[target], ""]
        else:
            dropped.append(node)

    _walk_inlines(blocks, visit)
    for node in dropped:  # an unusable picture becomes nothing rather than a broken link
        node.clear()
        node.update({"t": "Str", "c": ""})
    return files


def _cell(text: str) -> str:
    out = text.replace("\\", "\\\\")
    for ch in "|*_`[]":
        out = out.replace(ch, "\\" + ch)
    return out.replace("<", "&lt;").replace("\n", "<br>")


def table_markdown(table: Table) -> str:
    """A pipe table, the first row as its header (python-markdown's tables need one)."""
    rows = [[_cell(c) for c in row] for row in table.rows] or [[""]]
    width = max(len(r) for r in rows)
    lines = ["| " + " | ".join(rows[0]) + " |", "|" + "|".join(["---"] * width) + "|"]
    lines += ["| " + " | ".join(r) + " |" for r in rows[1:]]
    return "\n".join(lines)


def tables(blocks: list[Block], layout: Layout, report: Report) -> None:
    """pandoc's tables replaced by the grids layout.py read, where merged cells keep their text."""
    found = [i for i, b in enumerate(blocks) if b.get("t") == "Table"]
    if not found:
        return
    if len(found) != len(layout.tables):
        report.cannot("表格未能与 Word 的版式对应，按 pandoc 的转换写入：合并的单元格可能为空，请核对",
                      "the tables could not be matched with Word's layout and are written as pandoc reads "
                      "them: merged cells may be empty; check them")
        return
    for k, (i, table) in enumerate(zip(found, layout.tables, strict=True)):
        blocks[i] = {"t": "RawBlock", "c": ["markdown", table_markdown(table)]}
        if table.merged:
            report.cannot(f"表格 {k + 1} 有合并的单元格：其文字在所跨的每一格中重复，请核对",
                          f"table {k + 1} has merged cells: their text is repeated in each cell they cover; "
                          "check it")
        if table.pictures:
            report.cannot(f"表格 {k + 1} 中的图片未导入", f"the pictures in table {k + 1} were not imported")


# ---- the command --------------------------------------------------------------------------------------

@dataclass
class Result:
    path: Path
    report: Report


def _convert(file: Path, lang: str, registry: Registry,
             report: Report) -> tuple[Package, Layout, dict[str, Any], Lifted]:
    package = read_docx(file)
    try:
        layout = read_layout(package)
    except ET.ParseError as exc:
        raise Refused(f"Word 文件已损坏（word/document.xml：{exc}）：请在 Word 中打开并重新保存",
                      f"the Word file is damaged (word/document.xml: {exc}): open it in Word and save it "
                      "again") from None
    warning = convert.version_warning(convert.pandoc_version())
    if warning:
        report.warnings.append(warning)
    with tempfile.TemporaryDirectory(prefix="gazette-import-") as tmp:
        clean = Path(tmp) / "in.docx"
        package.write_clean(clean)
        tree = convert.docx_tree(clean)
    names = frozenset(P.squeeze(a.label(lang)).rstrip("།་") for a in registry.agencies.values())
    if not tree.get("blocks") and not tree.get("meta"):
        raise Refused("Word 文件中没有文字，未导入", "the Word file holds no text; nothing to import")
    lifted = Lifter(tree, layout, lang, names).run()
    if lifted.secret_mark:
        raise Refused(f"文件标有密级“{lifted.secret_mark}”：涉密文件不得进入公开系统，未导入",
                      f"the file is marked '{lifted.secret_mark}': a secret document never enters a public "
                      "system; not imported")
    report.unplaced.extend(lifted.unplaced)
    if lifted.masthead:
        text = " ".join(lifted.masthead)
        report.cannot(f"版头“{text}”未保留（网页和印刷版自有版头）", f"the masthead '{text}' is not kept (the "
                      "site and the print set their own)")
    return package, layout, tree, lifted


def _body(tree: dict[str, Any], blocks: list[Block]) -> str:
    text = convert.markdown({"pandoc-api-version": tree["pandoc-api-version"], "meta": {}, "blocks": blocks})
    return text if text.strip() else ""


def _derive_slug(corpus: Corpus, content: Path, lifted: Lifted, issuers: list[Agency], genre: str | None,
                 year: int) -> tuple[str, str]:
    """<issuer>-<year>-<n> from the document number (prefecture-government-2026-21 for 甘府发〔2026〕21号);
    if another series of the same body has that number, <issuer>-<genre>-<year>-<n>; without a number,
    <issuer>-<signing date>. ASCII from the registry's ids: no transliteration of Chinese."""
    lead = issuers[0].id.replace(".", "-") if issuers else "document"  # a registry id may hold a dot; a slug not
    if lifted.doc_serial:
        base = f"{lead}-{lifted.doc_year or year}-{lifted.doc_serial}"
        for slug in (base, f"{lead}-{genre}-{lifted.doc_year or year}-{lifted.doc_serial}" if genre else ""):
            if slug and not slug_taken(corpus, content, slug):
                return slug, "由发文机关和文号 / from the issuer and the document number"
        raise Refused(f"slug {base} 已被其他文件使用：用 --slug 指定",
                      f"the slug {base} is taken: give one with --slug")
    date = lifted.signed.isoformat() if lifted.signed else beijing_today().isoformat()
    return free_slug(corpus, content, f"{lead}-{date}"), "由发文机关和成文日期 / from the issuer and the signing date"


def import_original(content: Path, file: Path, slug: str | None, attach_files: list[Path]) -> Result:
    report = Report()
    corpus, _ = load_content(content)
    registry = corpus.registry
    datas = [_check_attachment(p) for p in attach_files]  # before the conversion: a bad file stops at once
    package, layout, tree, lifted = _convert(file, "zh", registry, report)
    if lifted.doc_number:
        for doc in corpus.documents.values():
            if P.squeeze(doc.doc_number) == lifted.doc_number:
                raise Refused(f"文号 {lifted.doc_number} 已在 {doc.path} 中：不重复导入",
                              f"the document number {lifted.doc_number} is already in {doc.path}: not imported "
                              "again")
    issuers = issuers_of(lifted, registry, report)
    genre = P.genre_of(lifted.title, registry.genres) if lifted.title else None
    year = lifted.signed.year if lifted.signed else beijing_today().year
    if slug:
        check_slug(slug)
        if slug_taken(corpus, content, slug):
            raise Refused(f"slug“{slug}”已被使用", f"the slug '{slug}' is already used")
        how = "--slug"
    else:
        slug, how = _derive_slug(corpus, content, lifted, issuers, genre, year)
    folder = f"attachments/{year}/{slug}"
    if (content / folder).exists() and any((content / folder).iterdir()):
        raise Refused(f"{folder}/ 中已有文件：先移走，或换一个 slug", f"{folder}/ already holds files: move them, or "
                      "choose another slug")

    placeholders = ["published", "catalogue", "disclosure", "secrecy", "secrecy_review"]
    fields: dict[str, Any] = {"title": lifted.title or None, "slug": slug, "lang": "zh"}
    if not lifted.title:
        placeholders.append("title")
        report.cannot("未找到标题（居中的大字标题行）：请填写 title", "no title found (the large centred lines): "
                      "fill in 'title'")
    elif lifted.title_guessed:
        report.cannot("标题按第一行推定（文件中没有居中或大字的标题）", "the title is the first line, as the file "
                      "has no centred or large title")
    fields["genre"] = genre or PLACEHOLDER
    if not genre:
        placeholders.append("genre")
        report.cannot("标题末尾不是已登记的文种：请填写 genre", "the title does not end with a registered kind of "
                      "document (文种): fill in 'genre'")
    fields["issuer"] = [a.id for a in issuers] or [PLACEHOLDER]
    if not issuers:
        placeholders.append("issuer")
    if lifted.doc_number:
        fields["doc_number"] = lifted.doc_number
    fields["signed"] = lifted.signed.isoformat() if lifted.signed else PLACEHOLDER
    if not lifted.signed:
        placeholders.append("signed")
        report.cannot("未找到成文日期：请填写 signed（文件已放在今年的目录下，必要时移到成文年份的目录）",
                      "no signing date found: fill in 'signed' (the file is in this year's folder; move it to "
                      "the year of signing if that differs)")
    lead = issuers[0] if issuers else None
    fields["index_no"] = next_index_no(corpus, lead, year) if lead and lead.org_code else PLACEHOLDER
    if fields["index_no"] == PLACEHOLDER:
        placeholders.append("index_no")
    fields |= placeholder_fields()

    attached = attach(lifted.attachment_titles, attach_files, datas, folder, report)
    if attached.entries:
        fields["attachments"] = attached.entries
    _official_fields(fields, lifted, registry)

    blocks = lifted.blocks
    tables(blocks, layout, report)
    images = pictures(blocks, package, folder, "image", report)
    body = _body(tree, blocks)
    text = document_text(in_format_order(fields), body, placeholders)
    _report_fields(report, lifted, fields, how, issuers, genre, attached, images, folder)
    path = _write(content, f"documents/{year}/{slug}.zh.md", text,
                  [(f"{folder}/{n}", d) for n, d in attached.files + images])
    return Result(path, report)


def _official_fields(fields: dict[str, Any], lifted: Lifted, registry: Registry | None) -> None:
    if lifted.addressee:
        fields["addressee"] = lifted.addressee
    if lifted.signature:
        fields["signature"] = lifted.signature[0] if len(lifted.signature) == 1 else lifted.signature
    if lifted.note:
        fields["note"] = lifted.note
    if lifted.cc:
        fields["cc"] = _as_agency_ids(lifted.cc, registry) if registry else lifted.cc
    if lifted.printed_by or lifted.printed_date:
        by = lifted.printed_by
        if registry and by:
            by = _as_agency_ids([by], registry)[0]
        fields["printed"] = {"by": by or None,
                             "date": lifted.printed_date.isoformat() if lifted.printed_date else PLACEHOLDER}


def _report_fields(report: Report, lifted: Lifted, fields: dict[str, Any], how: str, issuers: list[Agency],
                   genre: str | None, attached: Attached, images: list[tuple[str, bytes]], folder: str) -> None:
    if lifted.title:
        report.add("title", lifted.title)
    report.add("slug", f"{fields['slug']}（{how}）")
    if lifted.doc_number:
        written = f"（原文 / as written: {lifted.doc_number_written}）" if lifted.doc_number_written and \
            lifted.doc_number_written != lifted.doc_number else ""
        report.add("doc_number", f"{lifted.doc_number}{written}")
    if issuers:
        report.add("issuer", ", ".join(a.id for a in issuers))
    if genre:
        report.add("genre", f"{genre}（由标题的文种 / from the title）")
    if lifted.signed:
        report.add("signed", f"{lifted.signed.isoformat()}（{lifted.signed_written}）")
    if fields.get("index_no") != PLACEHOLDER:
        report.add("index_no", f"{fields['index_no']}（下一个未用序号 / the next free serial）")
    for key in ("addressee", "signature", "note", "cc", "printed"):
        if key in fields:
            report.add(key, fields[key])
    for i, entry in enumerate(attached.entries):
        report.add(f"attachments[{i + 1}]", f"{entry['title']} → {entry['file']}")
    for name, _ in images:
        report.add("image", f"{folder}/{name}")


def _write(content: Path, rel: str, text: str, files: list[tuple[str, bytes]]) -> Path:
    data = text.encode("utf-8")
    if len(data) > MAX_MARKDOWN_BYTES:
        raise Refused(f"转换后的文本有 {len(data) >> 20} MB，超过内容文件的上限 "
                      f"{MAX_MARKDOWN_BYTES >> 20} MB：请拆分文件",
                      f"the converted text is {len(data) >> 20} MB, over the {MAX_MARKDOWN_BYTES >> 20} MB limit "
                      "of a content file: split the document")
    writer = Writer(content)
    if (content / rel).exists() or (content / rel).is_symlink():
        raise Refused(f"文件已存在，不覆盖：{content / rel}",
                      f"the file exists and is not overwritten: {content / rel}")
    try:
        for name, blob in files:
            writer.write(name, blob)
        return writer.write(rel, data)  # the document last: a file that exists is a complete import
    except BaseException:
        writer.undo()
        raise


def import_translation(content: Path, file: Path, slug: str | None) -> Result:
    """A Tibetan (or other) Word file as the translation of an existing original: title, body and its own
    公文 parts; everything else is the original's."""
    report = Report()
    corpus, _ = load_content(content)
    package, layout, tree, lifted = _convert(file, "bo", corpus.registry, report)
    original = None
    if slug:
        original = corpus.documents.get(slug)
    elif lifted.doc_number:
        original = next((d for d in corpus.documents.values() if P.squeeze(d.doc_number) == lifted.doc_number),
                        None)
    if original is None:
        which = f"“{slug}”" if slug else ""
        raise Refused(f"找不到原文{which}：译文要有中文原文，用 --slug 给出原文的 slug",
                      f"no original {slug or ''} found: a translation needs its Chinese original; give its slug "
                      "with --slug")
    year_folder = original.path.rsplit("/", 1)[0]
    rel = f"{year_folder}/{original.slug}.bo.md"
    year = original.signed.year if original.signed else beijing_today().year
    folder = f"attachments/{year}/{original.slug}"
    fields: dict[str, Any] = {"title": lifted.title or None, "slug": original.slug, "lang": "bo"}
    _official_fields(fields, lifted, None)
    if lifted.signed and original.signed and lifted.signed != original.signed:
        report.cannot(f"译文的日期 {lifted.signed} 与原文的成文日期 {original.signed} 不同：以原文为准",
                      f"the translation's date {lifted.signed} differs from the original's {original.signed}; the "
                      "original's is used")
    if lifted.attachment_titles:
        report.cannot("译文的附件说明未保留：附件随原文列出", "the translation's 附件说明 is not kept: attachments "
                      "are the original's")
    if lifted.doc_number:
        report.add("doc_number", f"{lifted.doc_number}（原文 / original: {original.path}）")
    if not lifted.title:
        report.cannot("未找到标题：请填写 title", "no title found: fill in 'title'")
    blocks = lifted.blocks
    tables(blocks, layout, report)
    images = pictures(blocks, package, folder, "image-bo", report)
    text = document_text(fields, _body(tree, blocks), [] if lifted.title else ["title"])
    report.add("slug", f"{original.slug}（{original.path} 的译文 / translation of {original.path}）")
    for key in ("title", "addressee", "signature", "note", "cc", "printed"):
        if fields.get(key):
            report.add(key, fields[key])
    for name, _ in images:
        report.add("image", f"{folder}/{name}")
    path = _write(content, rel, text, [(f"{folder}/{n}", d) for n, d in images])
    return Result(path, report)


def import_command(args: argparse.Namespace) -> int:
    content = Path(args.content)
    attach_files = [Path(p) for p in args.attach or []]
    try:
        if args.lang == "bo":
            if attach_files:
                raise Refused("--attach 只用于中文原文：译文的附件与原文相同", "--attach is for the Chinese original "
                              "only: a translation has the original's attachments")
            result = import_translation(content, Path(args.file), args.slug)
        else:
            result = import_original(content, Path(args.file), args.slug, attach_files)
    except Refused as exc:
        return print_refused(exc)
    except Exception as exc:  # a file no rule above foresaw: say so, in words, rather than with a traceback
        return print_refused(Refused(f"无法导入这个文件（{type(exc).__name__}: {exc}）：请在 Word 中重新保存后再试，"
                                     "仍不行请把文件交给系统维护人员",
                                     f"this file could not be imported ({type(exc).__name__}: {exc}): save it "
                                     "again in Word and retry, or give the file to the maintainers"))
    report = result.report
    for warning in report.warnings:
        print(f"注意 / warning: {warning}")
    print(f"已写入 / written: {result.path}")
    print("取出的要素 / lifted:")
    for key, value in report.lifted:
        print(f"  {key}: {value}")
    if report.unplaced:
        print("未能归位 / not placed:")
        for zh, en in report.unplaced:
            print(f"  - {zh} / {en}")
    if args.lang != "bo":
        print("待编辑填写 / for the editor: published, catalogue, disclosure, secrecy, secrecy_review"
              "（gazette check 逐项报错，直到填写 / gazette check reports each until it is filled）")
    return 0
