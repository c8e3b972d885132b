"""Which files of content/ may be copied into the site, and where a link points: one resolver for the
check and the build alike.

A file reaches the web root only when all of these hold:
- it lies under `attachments/` or `images/` after normalisation, reached by a clean path: no `..` inside
  the path (only leading `../` of a relative link), no backslash, bracket, quote, control character or
  leftover percent sign;
- it is a regular file reached without crossing a symbolic link (`Corpus.files` lists only those, and the
  copy checks again with `lstat` and `O_NOFOLLOW`);
- its type is one readers download (PDF, office files, images, …), never a source file (`.md`, `.yml`)
  and never active content (HTML, SVG, XML, scripts), whatever its name says: its first bytes are looked at;
- under `attachments/`, it belongs to a 主动公开 document (listed in its `attachments`, or inside its folder
  `attachments/<year>/<slug>/`) and to no document that is not public.

The check turns every refusal into a finding with the file and line; the build asks the same questions
and stops rather than copy anything the check did not see.
"""

from __future__ import annotations

import functools
import hashlib
import os
import posixpath
import re
import stat
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import unquote

from .model import Corpus, Document
from .visibility import Visibility

ATTACHMENTS, IMAGES = "attachments/", "images/"
# What readers download. Office formats include the Chinese ones (WPS, OFD) that counties send.
ATTACHMENT_TYPES = frozenset({
    "pdf", "ofd", "doc", "docx", "wps", "xls", "xlsx", "et", "csv", "ods", "odt", "odp", "ppt", "pptx", "dps",
    "txt", "rtf", "zip", "7z", "rar", "jpg", "jpeg", "png", "gif", "webp", "tif", "tiff", "mp3", "mp4",
})
IMAGE_TYPES = frozenset({"jpg", "jpeg", "png", "gif", "webp"})
# Formats whose first bytes are fixed: a file named .pdf that starts with "<html" is not a PDF.
MAGIC = {
    "pdf": (b"%PDF-",), "png": (b"\x89PNG\r\n\x1a\n",), "jpg": (b"\xff\xd8\xff",), "jpeg": (b"\xff\xd8\xff",),
    "gif": (b"GIF87a", b"GIF89a"), "webp": (b"RIFF",), "zip": (b"PK",), "docx": (b"PK",), "xlsx": (b"PK",),
    "pptx": (b"PK",), "odt": (b"PK",), "ods": (b"PK",), "odp": (b"PK",), "ofd": (b"PK",),
    "7z": (b"7z\xbc\xaf\x27\x1c",), "rar": (b"Rar!",), "tif": (b"II*\0", b"MM\0*"), "tiff": (b"II*\0", b"MM\0*"),
}
# Text a browser would run or render as a document, if a server ever sent it with a guessed type: any markup
# (a tag, a comment, a declaration), not only a page's first tags (`<p><script>` is a page to a browser).
MARKUP_START = re.compile(rb"\s*<[A-Za-z!?/]")
_TEXT_BOMS = ((b"\xef\xbb\xbf", "utf-8"), (b"\xff\xfe", "utf-16-le"), (b"\xfe\xff", "utf-16-be"))


def looks_active(head: bytes) -> bool:
    """Whether a file's first bytes (after a byte-order mark, UTF-16 included) begin markup."""
    for bom, codec in _TEXT_BOMS:
        if head.startswith(bom):
            head = head[len(bom):].decode(codec, "ignore").encode("utf-8")
            break
    return MARKUP_START.match(head) is not None

UNSAFE_CHARS = re.compile(r"[\x00-\x1f\x7f\\\[\]<>\"'|*?%]")
# A Pelican link in Markdown or raw HTML, as far as a URL can reach: to whitespace, ")", a quote or ">".
PELICAN_LINK = re.compile(r"\{(?P<kind>filename|static|attach)\}(?P<path>[^\s)\"'>]*)")


@dataclass(frozen=True)
class Refusal:
    """Why a link or a listed file may not be published, in the words of a finding."""

    code: str
    zh: str
    en: str
    fix_zh: str
    fix_en: str


def _refusal(code: str, zh: str, en: str, fix_zh: str, fix_en: str) -> Refusal:
    return Refusal(code, zh, en, fix_zh, fix_en)


BAD_PATH = _refusal("LINK-PATH", "路径不规范：不得含 ..、反斜杠、方括号、引号、% 或控制字符",
                    "the path is not clean: no '..' inside it, no backslash, bracket, quote, '%' or control "
                    "character", "写从 content/ 起算的直接路径，如 /attachments/2026/<slug>/文件.pdf",
                    "write the direct path from content/, e.g. /attachments/2026/<slug>/file.pdf")
NOT_STATIC = _refusal("LINK-STATIC-FOLDER", "只能链接 attachments/ 或 images/ 下的文件；源文件（.md、.yml）和其他"
                      "目录的文件不会发布", "only files under attachments/ or images/ can be linked; source "
                      "files (.md, .yml) and other folders are never published",
                      "链接文件用 {filename}；附件放进 attachments/<年>/<slug>/ 并列在 attachments 中",
                      "link documents with {filename}; put attachments in attachments/<year>/<slug>/ and "
                      "list them under 'attachments'")


def clean_target(source_path: str, written: str) -> str | None:
    """A link's target as a path under content/, or None when the path is not clean.

    `/…` starts at content/, anything else at the linking file's folder. Percent-escapes are decoded
    once (as a web server would); a `%` left after that, `..` anywhere but at the start, and characters
    that no file name here needs are refused, so that the path the check reads is the path the build
    copies and the path a server resolves."""
    path = unquote(written.split("#", 1)[0].split("?", 1)[0])
    if not path or UNSAFE_CHARS.search(path):
        return None
    absolute = path.startswith("/")
    segments = path.lstrip("/").split("/") if absolute else path.split("/")
    climbing = not absolute
    for segment in segments:
        if segment == ".." and climbing:
            continue
        climbing = False
        if segment in ("", ".", ".."):
            return None
    base = "" if absolute else posixpath.dirname(source_path)
    target = posixpath.normpath(posixpath.join(base, *segments))
    if target.startswith("../") or target in ("..", ".") or target.startswith("/"):
        return None
    return target


def extension(path: str) -> str:
    return posixpath.splitext(path)[1].lstrip(".").lower()


def document_files(doc: Document) -> tuple[list[str], str]:
    """What of a document says which attachment files are its own: the files it lists, and its folder
    attachments/<year signed>/<slug>/ (or "")."""
    return ([posixpath.normpath(att.file) for att in doc.attachments],
            f"{ATTACHMENTS}{doc.signed.year}/{doc.slug}/" if doc.signed else "")


@functools.lru_cache(maxsize=1 << 16)  # the same slugs and paths, build after build of a watching process
def hidden(name: str) -> str:
    """What a cache keeps of a name of what is not public (a slug, a file, a folder): its hash."""
    return hashlib.blake2b(name.encode(), digest_size=16).hexdigest()


class StaticFiles:
    """The files of one corpus that may be published, given each document's visibility."""

    def __init__(self, corpus: Corpus, vis: dict[str, Visibility],
                 known: Mapping[str, tuple[list[str], str]] | None = None,
                 sniffed: Callable[[str], bool] | None = None) -> None:
        """`known`: `document_files` of some documents as an earlier build read them from the same bytes
        (the Publication's cache), so that their files stay unread: as they are for a 主动公开 document,
        as hashes (`hidden`) for any other. `sniffed(path)`: the file's bytes are ones whose first bytes
        passed `sniff` before (the Publication's cache, by the input digest), so they are not read again."""
        self._sniffed_before = sniffed
        self.root = Path(corpus.root)
        self.files = corpus.files
        self.private: dict[str, str] = {}  # attachment file → the non-public document it belongs to
        self.owned: dict[str, str] = {}  # attachment file → a 主动公开 document it belongs to
        private_folders: dict[str, str] = {}
        public_folders: dict[str, str] = {}
        hidden_files: dict[str, str] = {}  # hidden(file) → the non-public document it belongs to
        hidden_folders: dict[str, str] = {}
        known = known or {}
        for slug, doc in corpus.documents.items():
            public = vis[slug] is Visibility.FULL
            files, folder = known[slug] if slug in known else document_files(doc)
            if not public and slug in known:
                owners, folders = hidden_files, hidden_folders
            else:
                owners, folders = (self.owned, public_folders) if public else (self.private, private_folders)
            for file in files:
                owners.setdefault(file, slug)
            if folder:
                folders.setdefault(folder, slug)
        for rel in self.files:
            if rel.startswith(ATTACHMENTS):
                folder = rel[: rel.rfind("/") + 1]
                if hidden_files and (owner := hidden_files.get(hidden(rel))) is not None:
                    self.private.setdefault(rel, owner)
                if folder in private_folders:
                    self.private.setdefault(rel, private_folders[folder])
                elif hidden_folders and hidden(folder) in hidden_folders:
                    self.private.setdefault(rel, hidden_folders[hidden(folder)])
                elif folder in public_folders:
                    self.owned.setdefault(rel, public_folders[folder])
        self._sniffed: dict[str, Refusal | None] = {}

    def refusal(self, target: str) -> Refusal | None:
        """Why `target` (a clean path under content/) may not be copied into the site, or None."""
        if not target.startswith((ATTACHMENTS, IMAGES)):
            return NOT_STATIC
        kind = extension(target)
        allowed = ATTACHMENT_TYPES if target.startswith(ATTACHMENTS) else IMAGE_TYPES
        if kind not in allowed:
            return _refusal("LINK-FILE-TYPE", f"不发布此类文件（.{kind}）：{target}",
                            f"files of this type (.{kind}) are not published: {target}",
                            f"改为 PDF 等可下载格式；允许的类型：{', '.join(sorted(allowed))}",
                            f"convert it to a download format such as PDF; allowed: {', '.join(sorted(allowed))}")
        if target not in self.files:
            return _refusal("LINK-MISSING", f"文件不存在（或是符号链接）：content/{target}",
                            f"the file does not exist (or is a symbolic link): content/{target}",
                            "把文件本身放到该路径，或改正路径（注意大小写和扩展名）",
                            "put the file itself there or correct the path (mind case and extension)")
        if target.startswith(ATTACHMENTS):
            if target in self.private:
                owner = self.private[target]
                return _refusal("LINK-ATTACHMENT-NOT-PUBLIC", f"这是不公开文件 {owner} 的附件：{target}",
                                f"this is an attachment of {owner}, which is not public: {target}",
                                "删去引用；确需公开的附件，应随一份主动公开的文件发布",
                                "remove the reference; an attachment to publish goes with a 主动公开 document")
            if target not in self.owned:
                return _refusal("LINK-ATTACHMENT-UNOWNED", f"附件不属于任何主动公开的文件：{target}",
                                f"the attachment belongs to no 主动公开 document: {target}",
                                "把它放进该文件的 attachments/<年>/<slug>/ 目录，或列在其 attachments 中",
                                "put it in that document's attachments/<year>/<slug>/ folder or list it under "
                                "its 'attachments'")
        return self.sniff(target)

    def sniff(self, target: str) -> Refusal | None:
        """Refuse a file whose first bytes say it is not what its name says, or is active content."""
        if target not in self._sniffed:
            passed = self._sniffed_before is not None and self._sniffed_before(target)
            self._sniffed[target] = None if passed else self._sniff(target)
        return self._sniffed[target]

    def _sniff(self, target: str) -> Refusal | None:
        kind = extension(target)
        try:  # a photograph whole (it must decode: below; one over 64 MB does not), any other file's first bytes
            data = read_plain_file(self.root, target, limit=MAX_IMAGE_BYTES if kind in IMAGE_TYPES else 1024)
        except OSError:
            return _refusal("LINK-MISSING", f"文件无法读取（或是符号链接）：content/{target}",
                            f"the file cannot be read (or is a symbolic link): content/{target}",
                            "把文件本身放到该路径", "put the file itself there")
        head = data[:1024]
        expected = MAGIC.get(kind)
        active = looks_active(head)
        if active or (expected and not head.startswith(expected)):
            return _refusal("LINK-FILE-CONTENT", f"文件内容与扩展名 .{kind} 不符，或含网页/脚本内容：{target}",
                            f"the file's bytes do not match its extension .{kind}, or are a web page or script: "
                            f"{target}", "换成真正的 PDF、图片或办公文件", "replace it with a real PDF, image "
                            "or office file")
        if kind in IMAGE_TYPES and shown_size(data) is None:  # the photographs Pillow decodes
            return _refusal("LINK-IMAGE-UNREADABLE", f"图片无法完整解码，或超过 {MAX_PIXELS // 1_000_000} "
                            f"百万像素：{target}", f"the image cannot be decoded whole, or is over "
                            f"{MAX_PIXELS // 1_000_000} megapixels: {target}",
                            "用图片软件重新导出（JPEG 或 PNG，长边 4000 像素以内）",
                            "export it again from an image program (JPEG or PNG, at most 4000 px on the long "
                            "side)")
        return None


# A photograph larger than this is no photograph a page shows: refused (a "pixel bomb" of a few megabytes
# that declares 50,000 × 50,000 would have every reader's browser decode 2.5 billion pixels).
MAX_PIXELS = 60_000_000
MAX_IMAGE_BYTES = 64 << 20  # read whole to be decoded: more is no photograph for a page


def shown_size(data: bytes) -> tuple[int, int] | None:
    """Width and height as shown (EXIF orientation applied); None for a file Pillow cannot decode whole,
    or one over MAX_PIXELS. The check refuses such an image (`LINK-IMAGE-UNREADABLE`); the site resizes
    the others."""
    import io

    from PIL import Image, ImageFile

    # A truncated file fails to load, also where an import (WeasyPrint's) has told Pillow to fill the gap.
    tolerant, ImageFile.LOAD_TRUNCATED_IMAGES = ImageFile.LOAD_TRUNCATED_IMAGES, False
    try:
        with Image.open(io.BytesIO(data)) as image:
            width, height = image.size
            if width * height > MAX_PIXELS:
                return None
            rotated = image.getexif().get(0x0112, 1) in (5, 6, 7, 8)  # a quarter turn
            if image.format == "JPEG":
                image.draft("RGB", (max(1, width // 8), max(1, height // 8)))  # decoded at an eighth: quick
            image.load()  # the whole stream decodes: a truncated file fails here
            return (height, width) if rotated else (width, height)
    except (OSError, ValueError, SyntaxError, Image.DecompressionBombError):
        return None
    finally:
        ImageFile.LOAD_TRUNCATED_IMAGES = tolerant


def read_plain_file(root: Path, rel: str, limit: int | None = None) -> bytes:
    """Read a file under `root` without following a symbolic link at any step; OSError otherwise."""
    fd = open_plain_file(root, rel)
    with os.fdopen(fd, "rb") as handle:
        return handle.read(limit) if limit is not None else handle.read()


def open_plain_file(root: Path, rel: str) -> int:
    """Open `root/rel` for reading; every folder on the way and the file itself must not be a symlink."""
    current = root
    for part in rel.split("/")[:-1]:
        current = current / part
        if not stat.S_ISDIR(os.lstat(current).st_mode):
            raise OSError(f"not a plain folder: {current}")
    fd = os.open(current / rel.split("/")[-1], os.O_RDONLY | os.O_NOFOLLOW | getattr(os, "O_NONBLOCK", 0))
    if not stat.S_ISREG(os.fstat(fd).st_mode):
        os.close(fd)
        raise OSError(f"not a regular file: {root / rel}")
    return fd


def copy_plain_files(root: Path, files: Iterable[str], out: Path) -> dict[str, int]:
    """Copy each file (relative to `root`) to the same path under `out`; returns each one's size.

    The destination is checked to stay inside `out`, and the source is opened without following links."""
    sizes: dict[str, int] = {}
    out_resolved = out.resolve()
    for rel in sorted(files):
        target = (out / rel).resolve()
        if out_resolved not in target.parents:
            raise OSError(f"refusing to write outside the output: {rel}")
        fd = open_plain_file(root, rel)
        target.parent.mkdir(parents=True, exist_ok=True)
        with os.fdopen(fd, "rb") as source, open(target, "wb") as dest:
            while chunk := source.read(1 << 20):
                dest.write(chunk)
        sizes[rel] = target.stat().st_size
    return sizes
