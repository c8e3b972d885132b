"""Reading a .docx as an untrusted archive, before pandoc or an XML parser sees any of it.

A .docx is a zip of XML parts and media. What arrives by e-mail from a county may be an old .doc, a
password-protected file (an encrypted .docx is an OLE container, not a zip), another office format, a
damaged download, or a crafted archive: a zip bomb, member names that climb out of a folder (`../`,
`/etc/…`), XML with entity declarations. Each is refused here with a message in both languages. What
passes is copied, member by member and within the size limits, into a clean archive that pandoc reads;
no name from inside the archive is ever used as a path on disk.
"""

from __future__ import annotations

import io
import os
import stat
import zipfile
import zlib
from dataclasses import dataclass
from pathlib import Path

from ..new_document import Refused

# Limits, far above a real 公文 (a long notice with photographs is a few MB): a bigger file or archive is
# refused before anything is unpacked or converted.
MAX_FILE_BYTES = 50 * 1024 * 1024
MAX_UNPACKED_BYTES = 200 * 1024 * 1024  # all members, as actually decompressed (declared sizes can lie)
MAX_XML_BYTES = 30 * 1024 * 1024  # the XML pandoc and the layout reader parse
MAX_MEMBERS = 5000

OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
ZIP_MAGIC = b"PK\x03\x04"
WORD_TYPES = ("wordprocessingml.document.main+xml", "wordprocessingml.template.main+xml",
              "ms-word.document.macroEnabled.main+xml", "ms-word.template.macroEnabledTemplate.main+xml")


def _size(n: int) -> str:
    return f"{n >> 20} MB" if n >= 1 << 20 else f"{n >> 10} KB"


def _utf16(name: str) -> bytes:
    return name.encode("utf-16-le")


@dataclass
class Package:
    """The members of a checked .docx, by name."""

    members: dict[str, bytes]

    def get(self, name: str) -> bytes | None:
        return self.members.get(name)

    def write_clean(self, path: Path) -> None:
        """The members again, into a new archive for pandoc."""
        with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as out:
            for name, data in self.members.items():
                out.writestr(name, data)


def _not_word(zh: str, en: str) -> Refused:
    return Refused(f"{zh}。gazette import 只读取 Word 的 .docx 文件", f"{en}. gazette import reads Word .docx "
                   "files only")


def _ole(data: bytes) -> Refused:
    # An OLE compound file: an encrypted OOXML package names its streams EncryptionInfo and EncryptedPackage;
    # a Word 97–2003 document has a WordDocument stream.
    if _utf16("EncryptedPackage") in data or _utf16("EncryptionInfo") in data:
        return Refused("文件设有打开密码（已加密），无法读取：请在 Word 中取消密码（文件 → 信息 → 保护文档 → "
                       "用密码进行加密，清空密码）后另存为 .docx",
                       "the file is password-protected (encrypted) and cannot be read: remove the password "
                       "in Word (File → Info → Protect Document → Encrypt with Password, clear it) and save it "
                       "again as .docx")
    if _utf16("WordDocument") in data:
        return Refused("这是旧版 Word 文件（.doc），无法直接导入：请在 Word 或 WPS 中打开，另存为 .docx 后再导入",
                       "this is an old Word file (.doc), which cannot be imported as it is: open it in Word or "
                       "WPS, save it as .docx and import that")
    return _not_word("这是旧版 Office 文件（如 .xls、.ppt 或 .wps），不是 Word .docx",
                     "this is an old Office file (such as .xls, .ppt or .wps), not a Word .docx")


def _sniff(data: bytes) -> Refused | None:
    if data.startswith(OLE_MAGIC):
        return _ole(data)
    if data.startswith(ZIP_MAGIC):
        return None
    head = data[:16].lstrip()
    if head.startswith(b"{\\rtf"):
        return _not_word("这是 RTF 文件：请在 Word 中另存为 .docx", "this is an RTF file: save it as .docx in Word")
    if head.startswith(b"%PDF"):
        return _not_word("这是 PDF 文件，无法转换为正文：请取得 Word 原件；PDF 可用 --attach 作为附件",
                         "this is a PDF, whose text cannot be converted: get the Word original; a PDF can be "
                         "given with --attach as an attachment")
    if not data:
        return _not_word("文件是空的", "the file is empty")
    return _not_word("文件不是 Word 文档（也可能已损坏）", "the file is not a Word document (or it is damaged)")


def _bad_name(name: str) -> bool:
    """A member name no genuine Word file has, and that could climb out of a folder if used as a path."""
    if not name or name.startswith(("/", "\\")) or "\\" in name or "\x00" in name or ":" in name.split("/")[0]:
        return True
    return any(part in ("..", ".") for part in name.split("/"))


def _corrupt(detail: str) -> Refused:
    return Refused(f"Word 文件已损坏，无法读取（{detail}）：请在 Word 中打开并重新保存，或重新索取原件",
                   f"the Word file is damaged and cannot be read ({detail}): open it in Word and save it "
                   "again, or ask for the file again")


def _bomb() -> Refused:
    mb = _size(MAX_UNPACKED_BYTES)
    return Refused(f"Word 文件解压后超过 {mb}，拒绝读取：请压缩其中的图片，或把大表格、扫描件作为附件",
                   f"the Word file unpacks to more than {mb} and is refused: compress its pictures, or "
                   "give large tables and scans as attachments")


def _read_members(archive: zipfile.ZipFile) -> dict[str, bytes]:
    infos = archive.infolist()
    if len(infos) > MAX_MEMBERS:
        raise _corrupt(f"{len(infos)} 个部件 / {len(infos)} parts")
    for info in infos:
        if _bad_name(info.filename):
            raise Refused(f"压缩包内有不安全的文件名“{info.filename}”：这不是正常的 Word 文件，拒绝导入",
                          f"the archive holds an unsafe member name '{info.filename}': not a genuine Word "
                          "file; refused")
        if info.flag_bits & 0x1:
            raise _ole(_utf16("EncryptedPackage"))
    if sum(info.file_size for info in infos) > MAX_UNPACKED_BYTES:
        raise _bomb()
    members: dict[str, bytes] = {}
    total = xml_total = 0
    for info in infos:
        if info.is_dir():
            continue
        chunks: list[bytes] = []
        with archive.open(info) as member:
            while chunk := member.read(1 << 20):
                total += len(chunk)
                if total > MAX_UNPACKED_BYTES:
                    raise _bomb()
                chunks.append(chunk)
        data = b"".join(chunks)
        # Any part may be the one pandoc reads (a relationship can name `word/doc.dat` as the document): every
        # part but pictures and embedded files is taken for XML when it reads as text, and Word writes
        # UTF-8 alone, so a part in UTF-16 (where a byte search finds no DTD) is refused.
        media = info.filename.startswith(("word/media/", "word/embeddings/"))
        if not media and data[:2] in (b"\xff\xfe", b"\xfe\xff", b"<\x00", b"\x00<"):
            raise Refused(f"文件中的 {info.filename} 是 UTF-16 编码：这不是正常的 Word 文件，拒绝导入",
                          f"{info.filename} is in UTF-16: not a genuine Word file; refused")
        if info.filename.endswith((".xml", ".rels")) or (not media and b"\x00" not in data[:1024]):
            xml_total += len(data)
            if xml_total > MAX_XML_BYTES:
                raise _bomb()
            # No Word part declares a DTD; one that does may define entities that expand without end.
            if b"<!DOCTYPE" in data or b"<!ENTITY" in data:
                raise Refused(f"文件中的 {info.filename} 含有 DTD 声明：这不是正常的 Word 文件，拒绝导入",
                              f"{info.filename} declares a DTD: not a genuine Word file; refused")
        members[info.filename] = data
    return members


def read_docx(path: Path) -> Package:
    """The checked members of the .docx at `path`; Refused with the reason otherwise."""
    try:
        mode = os.stat(path).st_mode
    except OSError as exc:
        raise Refused(f"找不到文件：{path}（{exc.strerror}）", f"file not found: {path} ({exc.strerror})") from None
    if not stat.S_ISREG(mode):
        raise Refused(f"不是普通文件：{path}", f"not a regular file: {path}")
    with open(path, "rb") as handle:
        data = handle.read(MAX_FILE_BYTES + 1)
    if len(data) > MAX_FILE_BYTES:
        mb = _size(MAX_FILE_BYTES)
        raise Refused(f"文件超过 {mb}，拒绝读取：请压缩其中的图片，或把大表格、扫描件作为附件",
                      f"the file is over {mb} and is refused: compress its pictures, or give large tables "
                      "and scans as attachments")
    refused = _sniff(data)
    if refused:
        raise refused
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            members = _read_members(archive)
    except Refused:
        raise
    except (zipfile.BadZipFile, zlib.error, EOFError, NotImplementedError, ValueError, OSError) as exc:
        raise _corrupt(f"{type(exc).__name__}: {exc}"[:120]) from None
    types = members.get("[Content_Types].xml", b"")
    if "word/document.xml" not in members or not any(t.encode() in types for t in WORD_TYPES):
        if b"spreadsheetml" in types or "xl/workbook.xml" in members:
            raise _not_word("这是 Excel 文件", "this is an Excel file")
        if b"presentationml" in types or "ppt/presentation.xml" in members:
            raise _not_word("这是 PowerPoint 文件", "this is a PowerPoint file")
        if members.get("mimetype", b"").startswith(b"application/vnd.oasis.opendocument"):
            raise _not_word("这是 OpenDocument 文件：请另存为 .docx", "this is an OpenDocument file: save it as .docx")
        raise _not_word("压缩包中没有 Word 正文（word/document.xml）", "the archive holds no Word body "
                        "(word/document.xml)")
    return Package(members)
