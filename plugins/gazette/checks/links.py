"""Links and attachments.

Links between documents use Pelican's `{filename}` syntax; files use `{static}` or `{attach}`. Every link
and every listed file is resolved by `static_files.py`, the same code the build uses to decide what it
copies: `/…` from the content folder, anything else from the linking file's folder, a clean path only.
Public text (主动公开 documents, their translations, published pages) may link only to public documents
and pages, and to files that `StaticFiles` lets through: under attachments/ or images/, a regular file of
a published type, and never a file of a document that is not public.
"""

from __future__ import annotations

import posixpath
import re
from collections.abc import Iterator
from urllib.parse import urlsplit

from ..config import GazetteConfig
from ..findings import Finding, error
from ..frontmatter import Source
from ..model import LANGS, Corpus, as_list
from ..static_files import ATTACHMENTS, BAD_PATH, IMAGES, PELICAN_LINK, Refusal, StaticFiles, clean_target
from ..visibility import Visibility, page_visibility
from .common import LineIndex, all_markdown_sources, public_documents, public_markdown_sources
from .rules import CheckContext, rule

# Plain Markdown/HTML links straight to an attachment, without a Pelican marker.
PLAIN_ATTACHMENT = re.compile(r"(?:\]\(|href=[\"']|src=[\"'])(?P<path>(?:/|\.\./)*attachments/[^\s)\"'>]+)")
# Where a link's address begins: an inline Markdown link or image, a reference definition, an HTML attribute.
_ADDRESS = r"(?:\]\(\s*<?|^\s{0,3}\[[^\]\n]+\]:\s*<?|(?:href|src)\s*=\s*[\"']?)"
# A plain link to a source file (`atk.zh.md`, `../2025/x.bo.md`): Pelican leaves it as written, so the page
# would carry the file's name, the slug of whatever it names, and a dead link. No scheme, no host.
# Each address is taken whole (a possessive run, then judged in Python): a pattern that looked ahead for ".md"
# tried again from every "](" of a line, and a line of them took the check half a minute.
PLAIN_ADDRESS = re.compile(_ADDRESS + r"(?P<path>[^\s)\"'<>]*+)", re.IGNORECASE | re.MULTILINE)
NOT_LOCAL = re.compile(r"[a-z][a-z0-9+.-]*:|//|\{", re.IGNORECASE)
# A document's page on this site, its address written by hand (`/zh/documents/<slug>/`, with or without the
# site's host): it must name a public document like a `{filename}` link.
SITE_DOCUMENT = re.compile(_ADDRESS + r"(?P<path>(?:https?://[^/\s\"'<>)]+)?/(?:zh|bo|zh-hant)/documents/"
                           r"(?P<slug>[^/\s)\"'<>#?]+))", re.IGNORECASE | re.MULTILINE)


def links(source: Source) -> Iterator[tuple[str, str, str | None, int]]:
    """(kind, as written, target under content/ or None when the path is not clean, line) for every
    link of a body to a local file."""
    body = source.body
    if "{" not in body and "attachments/" not in body and ".md" not in body.lower() and "/documents/" not in body:
        return
    lines = LineIndex(body, source.body_line)
    for m in PELICAN_LINK.finditer(body):
        yield m["kind"], m["path"], clean_target(source.path, m["path"]), lines.line(m.start())
    for m in PLAIN_ATTACHMENT.finditer(body):
        yield "plain", m["path"], clean_target(source.path, m["path"]), lines.line(m.start())
    for m in PLAIN_ADDRESS.finditer(body):
        path = m["path"]
        if path.split("#", 1)[0].split("?", 1)[0].lower().endswith(".md") and not NOT_LOCAL.match(path):
            yield "plain-source", path, None, lines.line(m.start("path"))
    for m in SITE_DOCUMENT.finditer(body):
        yield "site-document", m["path"], m["slug"], lines.line(m.start("path"))


def _document_slug(target: str) -> str | None:
    """The slug of documents/<year>/<slug>.<lang>.md, or None for anything else."""
    if not target.startswith("documents/"):
        return None
    name = posixpath.basename(target)
    for lang in LANGS:
        if name.endswith(f".{lang}.md"):
            return name[: -len(f".{lang}.md")]
    return None


def _this_site(address: str, context: CheckContext) -> bool:
    """Whether a hand-written address is on this site: root-relative, or on its public host."""
    if address.startswith("/"):
        return True
    public = GazetteConfig.from_settings(context.settings).public_url if context.settings else ""
    return bool(public) and urlsplit(address).netloc.lower() == urlsplit(public).netloc.lower()


def static_files(corpus: Corpus, context: CheckContext) -> StaticFiles:
    cached = context.cache.get("static_files")
    if cached is None:
        cached = context.cache["static_files"] = StaticFiles(corpus, public_documents(corpus, context))
    return cached


def _refused(refusal: Refusal, path: str, line: int, field: str, written: str) -> Finding:
    return error(refusal.code, path, line, field, f"{refusal.zh}（{written}）", f"{refusal.en} ({written})",
                 refusal.fix_zh, refusal.fix_en)


@rule(across=True)
def link_targets(corpus: Corpus, context: CheckContext) -> Iterator[Finding]:
    """LINK-PATH, LINK-MISSING, LINK-KIND: every local link points at a file that exists, of the right kind."""
    files = corpus.files
    for source in all_markdown_sources(corpus):
        for kind, written, target, line in links(source):
            if kind == "plain-source":
                yield error("LINK-PLAIN-SOURCE", source.path, line, "body",
                            f"链接源文件须写 {{filename}}：{written}（原样发布会露出文件名，且链接无效）",
                            f"a link to a source file needs {{filename}}: {written} (as written, the page would "
                            "show the file's name, and the link would lead nowhere)",
                            f"写 [文字]({{filename}}{written})，路径以 / 开头从 content/ 起算",
                            f"write [text]({{filename}}{written}); a leading / starts at content/")
            elif kind == "site-document":
                if target not in corpus.documents and _this_site(written, context):
                    yield error("LINK-MISSING", source.path, line, "body",
                                f"链接的文件不存在：{written}（没有 slug 为 {target} 的文件）",
                                f"the linked document does not exist: {written} (no document has the slug "
                                f"{target})", "链接文件用 {filename} 和它的源文件路径",
                                "link documents with {filename} and the path of their source")
            elif target is None:
                yield _refused(BAD_PATH, source.path, line, "body", written)
            elif kind == "filename" and not (target.startswith(("documents/", "pages/"))
                                             and target.endswith(".md")):
                yield error("LINK-KIND", source.path, line, "body",
                            f"{{filename}} 只用于链接文件和页面：{written}",
                            f"{{filename}} links documents and pages only: {written}",
                            f"链接附件或图片用 {{static}}{written}", "link files and images with "
                                                             f"{{static}}{written}")
            elif target not in files:
                hint_zh = "核对路径（以 / 开头表示从 content/ 起算）"
                hint_en = "check the path (a leading / starts at content/)"
                slug = _document_slug(target)
                if slug and slug in corpus.documents:
                    hint_zh = f"该文件的原文是 /{corpus.documents[slug].path}"
                    hint_en = f"the document's original is /{corpus.documents[slug].path}"
                yield error("LINK-MISSING", source.path, line, "body",
                            f"链接的文件不存在：{written}（即 content/{target}）",
                            f"the linked file does not exist: {written} (content/{target})", hint_zh, hint_en)


@rule(across=True)
def public_links(corpus: Corpus, context: CheckContext) -> Iterator[Finding]:
    """LINK-NOT-PUBLIC and the file rules of `static_files.py`: public text links only to what is public."""
    vis = public_documents(corpus, context)
    static = static_files(corpus, context)
    for source in public_markdown_sources(corpus, context):
        for kind, written, target, line in links(source):
            if kind == "site-document":
                if target in corpus.documents and _this_site(written, context):
                    yield from _document_link(corpus, vis, source, line, corpus.documents[target].path)
                continue
            if target is None or target not in corpus.files:
                continue  # LINK-PATH, LINK-MISSING, LINK-PLAIN-SOURCE
            if kind == "filename":
                yield from _document_link(corpus, vis, source, line, target)
            elif kind != "plain" or target in static.private:
                refusal = static.refusal(target)
                if refusal is not None:
                    yield _refused(refusal, source.path, line, "body", written)


def _document_link(corpus: Corpus, vis: dict[str, Visibility], source: Source, line: int,
                   target: str) -> Iterator[Finding]:
    if target.startswith("pages/"):
        name = posixpath.basename(target).split(".")
        page = corpus.pages.get((name[0], name[1])) if len(name) == 3 else None
        if page is not None and page_visibility(page) is Visibility.FULL:
            return
        slug, state = target, Visibility.NONE
    else:
        slug = _document_slug(target) or target
        if slug in corpus.unreadable:
            return  # its file could not be read, which is said
        state = vis.get(slug, Visibility.NONE)
        if state is Visibility.FULL:
            return
    what_zh, what_en = (("依申请公开", "on request (依申请公开)") if state is Visibility.METADATA
                        else ("不公开（不予公开、草稿或涉密）", "not public (withheld, a draft or secret)"))
    yield error("LINK-NOT-PUBLIC", source.path, line, "body",
                f"公开的页面链接了{what_zh}的文件 {slug}：读者看不到，且会暴露其存在",
                f"a public page links to {slug}, which is {what_en}",
                "删去此链接，或改为文字说明（依申请公开的可写“可依申请获取”）",
                "remove the link, or say in words that it can be requested")


@rule(across=True)
def attachments_exist(corpus: Corpus, context: CheckContext) -> Iterator[Finding]:
    """ATT-PATH, ATT-MISSING and the file rules of `static_files.py` for a 主动公开 document's attachments."""
    vis = public_documents(corpus, context)
    static = static_files(corpus, context)
    for doc in corpus.documents.values():
        for i, item in enumerate(as_list(doc.meta.get("attachments"))):
            if not isinstance(item, dict) or not isinstance(item.get("file"), str) or not item["file"]:
                continue  # DOC-FIELD-TYPE
            file = item["file"]
            line = doc.source.lines.get(f"attachments[{i}]", doc.line("attachments"))
            target = clean_target("", "/" + file)
            folder = f"{ATTACHMENTS}{doc.signed.year if doc.signed else '<年>'}/{doc.slug}/"
            if file.startswith("/") or target is None or not target.startswith(ATTACHMENTS):
                yield error("ATT-PATH", doc.path, line, "attachments",
                            f"附件路径“{file}”应是 attachments/ 下的直接路径，从 content/ 起算，使用正斜杠",
                            f"the attachment path '{file}' must be a direct path under attachments/, relative "
                            "to content/, with forward slashes",
                            f"写 {folder}文件名", f"write {folder.replace('<年>', '<year>')}<name>")
            elif target not in corpus.files:
                yield error("ATT-MISSING", doc.path, line, "attachments",
                            f"附件不存在（或是符号链接）：content/{file}",
                            f"the attachment does not exist (or is a symbolic link): content/{file}",
                            "把文件本身放到该路径，或改正路径（注意大小写和扩展名）",
                            "put the file itself there or correct the path (mind case and extension)")
            elif vis[doc.slug] is Visibility.FULL:
                refusal = static.refusal(target)
                if refusal is not None:
                    yield _refused(refusal, doc.path, line, "attachments", file)


@rule(across=True)
def issue_images(corpus: Corpus, context: CheckContext) -> Iterator[Finding]:
    """LINK-PATH and the file rules of `static_files.py` for the photographs of a published issue."""
    static = static_files(corpus, context)
    for issue in corpus.issues:
        if not issue.is_published or not isinstance(issue.meta, dict):
            continue
        images = [("cover_image", issue.cover_image)]
        images += [(key, photo.image) for key in ("inside_front", "inside_back", "back_cover")
                   for photo in issue.photos(key)]
        for key, image in images:
            if not image:
                continue
            target = clean_target("", "/" + image.lstrip("/"))
            if target is None or not target.startswith(IMAGES):
                yield error("ISSUE-IMAGE-PATH", issue.path, issue.line(key), key,
                            f"图片路径“{image}”应是 images/ 下的直接路径", f"the image path '{image}' must be a "
                            "direct path under images/", "写 images/gazette/<年>-<期>/文件名.jpg",
                            "write images/gazette/<year>-<NN>/name.jpg")
            elif target in corpus.files:
                refusal = static.refusal(target)
                if refusal is not None:
                    yield _refused(refusal, issue.path, issue.line(key), key, image)
