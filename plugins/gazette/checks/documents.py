"""Documents: required fields, enumerated values, file layout, translations without an original."""

from __future__ import annotations

from collections.abc import Iterator

from ..findings import Finding, error
from ..model import DISCLOSURE_VALUES, Corpus
from . import CheckContext, rule

REQUIRED = ("title", "slug", "lang", "genre", "issuer", "signed", "published", "index_no", "catalogue",
            "disclosure", "secrecy")


@rule
def required_fields(corpus: Corpus, context: CheckContext) -> Iterator[Finding]:
    """DOC-REQUIRED: every required field of the content format is present and non-empty."""
    for doc in corpus.documents.values():
        for key in REQUIRED:
            value = doc.meta.get(key)
            if value is None or value == "" or value == []:
                yield error("DOC-REQUIRED", doc.path, doc.line(key) if key in doc.meta else 1, key,
                            f"缺少必填字段 {key}", f"the required field '{key}' is missing",
                            f"在元数据中写 {key}: …", f"add '{key}: …' to the metadata")


@rule
def disclosure_value(corpus: Corpus, context: CheckContext) -> Iterator[Finding]:
    """DOC-DISCLOSURE: the disclosure attribute is one of the three values."""
    for doc in corpus.documents.values():
        if doc.disclosure and doc.disclosure not in DISCLOSURE_VALUES:
            yield error("DOC-DISCLOSURE", doc.path, doc.line("disclosure"), "disclosure",
                        f"公开属性“{doc.disclosure}”无效", f"unknown disclosure value '{doc.disclosure}'",
                        "写 主动公开、依申请公开 或 不予公开", "write 主动公开, 依申请公开 or 不予公开")


@rule
def slug_matches_file(corpus: Corpus, context: CheckContext) -> Iterator[Finding]:
    """DOC-SLUG: the slug in the metadata is the file's slug; slugs are unique."""
    for doc in corpus.documents.values():
        for source in [doc.source, *[t.source for t in doc.translations.values()]]:
            value = str(source.meta.get("slug", ""))
            if value and value != doc.slug:
                yield error("DOC-SLUG", source.path, source.line("slug"), "slug",
                            f"slug“{value}”与文件名“{doc.slug}”不一致",
                            f"the slug '{value}' differs from the file name's '{doc.slug}'",
                            f"写 slug: {doc.slug}，或改文件名", f"write 'slug: {doc.slug}' or rename the file")
    for source in corpus.duplicates:
        yield error("DOC-SLUG-DUPLICATE", source.path, source.line("slug"), "slug",
                    "另一个文件已使用这个 slug", "another file already uses this slug",
                    "换一个唯一的 slug", "choose a unique slug")


@rule
def orphan_translations(corpus: Corpus, context: CheckContext) -> Iterator[Finding]:
    """TR-ORPHAN: a translation needs its Chinese original with the same slug."""
    for source in corpus.orphans:
        yield error("TR-ORPHAN", source.path, 1, "slug",
                    "译文没有对应的中文原文", "a translation without its Chinese original",
                    "添加同名的 .zh.md 原文，或删除此译文", "add the .zh.md original with the same slug, or remove this file")
