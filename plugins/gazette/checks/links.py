"""Links and attachments.

Links between documents use Pelican's `{filename}` syntax; files use `{static}` or `{attach}`. A link
resolves as `publication.py` resolves it: `/…` from the content folder, anything else from the linking
file's folder. Public text (主动公开 documents, their translations, pages) may link only to public
documents, and never to a file of a document that is not public: the catalogue entry of an
依申请公开 item carries no body and no attachments.
"""

from __future__ import annotations

import posixpath
import re
from collections.abc import Iterator
from urllib.parse import unquote

from ..findings import Finding, error
from ..frontmatter import Source
from ..model import LANGS, Corpus, as_list
from ..publication import Visibility
from . import CheckContext, rule
from .common import all_markdown_sources, public_documents, public_markdown_sources

PELICAN_LINK = re.compile(r"\{(?P<kind>filename|static|attach)\}(?P<path>[^\s)\"'>\]]+)")
# Plain Markdown/HTML links straight to an attachment, without a Pelican marker.
PLAIN_ATTACHMENT = re.compile(r"(?:\]\(|href=[\"']|src=[\"'])(?P<path>(?:/|\.\./)*attachments/[^\s)\"'>]+)")


def resolve(source_path: str, path: str) -> str:
    """A link's target as a path under content/ (as publication._Links resolves it)."""
    path = unquote(path.split("#", 1)[0].split("?", 1)[0])
    if path.startswith("/"):
        return posixpath.normpath(path.lstrip("/"))
    return posixpath.normpath(posixpath.join(posixpath.dirname(source_path), path))


def links(source: Source) -> Iterator[tuple[str, str, str, int]]:
    """(kind, as written, target under content/, line) for every link of a body to a local file."""
    body = source.body
    if "{" not in body and "attachments/" not in body:
        return
    for m in PELICAN_LINK.finditer(body):
        line = source.body_line + body.count("\n", 0, m.start())
        yield m["kind"], m["path"], resolve(source.path, m["path"]), line
    for m in PLAIN_ATTACHMENT.finditer(body):
        line = source.body_line + body.count("\n", 0, m.start())
        yield "plain", m["path"], resolve(source.path, m["path"]), line


def _document_slug(target: str) -> str | None:
    """The slug of documents/<year>/<slug>.<lang>.md, or None for anything else."""
    if not target.startswith("documents/"):
        return None
    name = posixpath.basename(target)
    for lang in LANGS:
        if name.endswith(f".{lang}.md"):
            return name[: -len(f".{lang}.md")]
    return None


def _private_attachments(corpus: Corpus, context: CheckContext) -> dict[str, str]:
    """Files of documents that are not 主动公开 → the slug they belong to."""
    vis = public_documents(corpus, context)
    private: dict[str, str] = {}
    folders: dict[str, str] = {}
    for slug, doc in corpus.documents.items():
        if vis[slug] is Visibility.FULL:
            continue
        for att in doc.attachments:
            private[posixpath.normpath(att.file)] = slug
        if doc.signed:
            folders[f"attachments/{doc.signed.year}/{slug}/"] = slug
    if folders:
        for rel in corpus.files:
            if rel.startswith("attachments/"):
                folder = rel[: rel.rfind("/") + 1]
                if folder in folders:
                    private.setdefault(rel, folders[folder])
    return private


@rule
def link_targets(corpus: Corpus, context: CheckContext) -> Iterator[Finding]:
    """LINK-MISSING, LINK-KIND: every local link points at a file that exists, of the right kind."""
    files = corpus.files
    for source in all_markdown_sources(corpus):
        for kind, written, target, line in links(source):
            if kind == "filename" and not target.startswith(("documents/", "pages/")):
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


@rule
def public_links(corpus: Corpus, context: CheckContext) -> Iterator[Finding]:
    """LINK-NOT-PUBLIC, LINK-ATTACHMENT-NOT-PUBLIC: public text links only to what is public."""
    vis = public_documents(corpus, context)
    private = _private_attachments(corpus, context)
    for source in public_markdown_sources(corpus, context):
        for kind, written, target, line in links(source):
            if kind == "filename":
                slug = _document_slug(target)
                if slug is None or target not in corpus.files:
                    continue
                state = vis.get(slug, Visibility.NONE)
                if state is Visibility.FULL:
                    continue
                what_zh, what_en = (("依申请公开", "on request (依申请公开)") if state is Visibility.METADATA
                                    else ("不公开（不予公开、草稿或涉密）", "not public (withheld, a draft "
                                                             "or secret)"))
                yield error("LINK-NOT-PUBLIC", source.path, line, "body",
                            f"公开的页面链接了{what_zh}的文件 {slug}：读者看不到，且会暴露其存在",
                            f"a public page links to {slug}, which is {what_en}",
                            "删去此链接，或改为文字说明（依申请公开的可写“可依申请获取”）",
                            "remove the link, or say in words that it can be requested")
            elif target in private:
                yield _attachment_not_public(source.path, line, "body", written, private[target])
    for slug, doc in corpus.documents.items():
        if vis[slug] is not Visibility.FULL:
            continue
        for i, att in enumerate(doc.attachments):
            owner = private.get(posixpath.normpath(att.file))
            if owner and owner != slug:
                line = doc.source.lines.get(f"attachments[{i}]", doc.line("attachments"))
                yield _attachment_not_public(doc.path, line, "attachments", att.file, owner)


def _attachment_not_public(path: str, line: int, field: str, written: str, owner: str) -> Finding:
    return error("LINK-ATTACHMENT-NOT-PUBLIC", path, line, field,
                 f"公开内容引用了不公开文件 {owner} 的附件：{written}",
                 f"public text refers to an attachment of {owner}, which is not public: {written}",
                 "删去引用；确需公开的附件，应随一份主动公开的文件发布",
                 "remove the reference; an attachment to publish goes with a 主动公开 document")


@rule
def attachments_exist(corpus: Corpus, context: CheckContext) -> Iterator[Finding]:
    """ATT-MISSING, ATT-PATH: every attachment listed exists under content/."""
    for doc in corpus.documents.values():
        for i, item in enumerate(as_list(doc.meta.get("attachments"))):
            if not isinstance(item, dict) or not isinstance(item.get("file"), str) or not item["file"]:
                continue  # DOC-FIELD-TYPE
            file = item["file"]
            line = doc.source.lines.get(f"attachments[{i}]", doc.line("attachments"))
            norm = posixpath.normpath(file)
            if file.startswith("/") or norm.startswith("..") or "\\" in file:
                yield error("ATT-PATH", doc.path, line, "attachments",
                            f"附件路径“{file}”应从 content/ 起算，使用正斜杠", "the attachment path "
                                                                 f"'{file}' must be "
                            "relative to content/, with forward slashes",
                            f"写 attachments/{doc.signed.year if doc.signed else '<年>'}/{doc.slug}/文件名",
                            "write "
                            f"attachments/{doc.signed.year if doc.signed else '<year>'}/{doc.slug}/<name>")
            elif norm not in corpus.files:
                yield error("ATT-MISSING", doc.path, line, "attachments",
                            f"附件不存在：content/{file}", f"the attachment does not exist: content/{file}",
                            "把文件放到该路径，或改正路径（注意大小写和扩展名）",
                            "put the file there or correct the path (mind case and extension)")
