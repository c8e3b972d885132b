"""Documents' fields: required fields, their types, enumerated values, slugs, file layout, unknown files."""

from __future__ import annotations

import difflib
import posixpath
import re
import unicodedata
from collections.abc import Iterator

from .. import urls
from ..findings import Finding, error, warning
from ..frontmatter import Source
from ..model import DISCLOSURE_VALUES, LANGS, OFFICIAL_FIELDS, VALIDITY_VALUES, Corpus, as_list
from ..visibility import Visibility
from .common import public_documents
from .rules import CheckContext, rule

REQUIRED = ("title", "slug", "lang", "genre", "issuer", "signed", "published", "index_no", "catalogue",
            "disclosure", "secrecy")
TRANSLATION_REQUIRED = ("title", "slug", "lang")
PAGE_REQUIRED = ("title",)
SLUG = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*\Z")
STATUS_VALUES = ("draft",)

# Every field the content format names, and the optional ones the checks read (public_numbers, ceased).
KNOWN_FIELDS = frozenset({
    "title", "slug", "lang", "genre", "issuer", "doc_number", "signed", "published", "index_no", "catalogue",
    "keywords", "summary", "disclosure", "withheld_reason", "secrecy", "secrecy_review", "validity",
    "replaced_by", "attachments", "status", "public_numbers", "interprets", "review", "ceased", *OFFICIAL_FIELDS,
})
# A gazette issue's manifest (content format, "A gazette issue"); `secrecy` as on every file: anything but
# 非涉密 stops the build.
ISSUE_FIELDS = frozenset({"year", "number", "total", "date", "status", "cover_image", "inside_front", "inside_back",
                          "back_cover", "sections", "secrecy"})
# A page may be a draft too (status: draft), which is never published. It may state its secrecy and
# disclosure: anything but 非涉密 stops the build, anything but 主动公开 keeps it unpublished.
PAGE_FIELDS = frozenset({"title", "slug", "lang", "summary", "keywords", "public_numbers", "status", "secrecy",
                         "disclosure", "secrecy_review"})


def _missing(value: object) -> bool:
    return value is None or (isinstance(value, str) and not value.strip()) or value == [] or value == {}


def _required(source: Source, keys: tuple[str, ...]) -> Iterator[Finding]:
    for key in keys:
        if _missing(source.meta.get(key)):
            yield error("DOC-REQUIRED", source.path, source.line(key), key,
                        f"缺少必填字段 {key}", f"the required field '{key}' is missing",
                        f"在元数据中写 {key}: …", f"add '{key}: …' to the metadata")


@rule
def required_fields(corpus: Corpus, context: CheckContext) -> Iterator[Finding]:
    """DOC-REQUIRED: every required field of the content format is present and non-empty."""
    for doc in corpus.documents.values():
        yield from _required(doc.source, REQUIRED)
        for translation in doc.translations.values():
            yield from _required(translation.source, TRANSLATION_REQUIRED)
    for page in corpus.pages.values():
        yield from _required(page.source, PAGE_REQUIRED)


def _type_error(source: Source, key: str, zh: str, en: str, fix_zh: str, fix_en: str) -> Finding:
    return error("DOC-FIELD-TYPE", source.path, source.line(key), key, zh, en, fix_zh, fix_en)


@rule
def field_types(corpus: Corpus, context: CheckContext) -> Iterator[Finding]:
    """DOC-FIELD-TYPE: fields that hold text hold text, lists hold lists, mappings hold mappings."""
    sources = [doc.source for doc in corpus.documents.values()]
    sources += [t.source for doc in corpus.documents.values() for t in doc.translations.values()]
    for source in sources:
        meta = source.meta
        for key in ("title", "slug", "lang", "genre", "doc_number", "index_no", "catalogue", "summary",
                    "disclosure", "withheld_reason", "validity", "replaced_by", "status", "interprets"):
            value = meta.get(key)
            if value is not None and not isinstance(value, str):
                yield _type_error(source, key, f"字段 {key} 应为一段文字", f"'{key}' must be a piece of text",
                                  f"写 {key}: 文字（不要写成列表或键值对）", f"write '{key}: text' (not a "
                                                              "list or mapping)")
        for key in ("issuer", "keywords", "public_numbers"):
            for i, item in enumerate(as_list(meta.get(key))):
                if not isinstance(item, (str, int)) or isinstance(item, bool):
                    line = source.lines.get(f"{key}[{i}]", source.line(key))
                    yield error("DOC-FIELD-TYPE", source.path, line, key,
                                f"{key} 的第 {i + 1} 项应为一段文字", f"item {i + 1} of '{key}' must be text",
                                f"写 {key}: [甲, 乙]", f"write '{key}: [a, b]'")
        review = meta.get("secrecy_review")
        if review is not None and not isinstance(review, dict):
            yield _type_error(source, "secrecy_review", "secrecy_review 应写审查人和日期",
                              "secrecy_review must give the reviewer and the date",
                              "写 secrecy_review: {by: 审查人, date: 2026-03-03}",
                              "write 'secrecy_review: {by: reviewer, date: 2026-03-03}'")
        for i, item in enumerate(as_list(meta.get("attachments"))):
            if not isinstance(item, dict) or not isinstance(item.get("file"), str) or not item.get("file"):
                line = source.lines.get(f"attachments[{i}]", source.line("attachments"))
                yield error("DOC-FIELD-TYPE", source.path, line, "attachments",
                            f"附件第 {i + 1} 项缺少 file", f"attachment {i + 1} has no 'file'",
                            "写 - {file: attachments/<年>/<slug>/文件名, title: 附件标题}",
                            "write '- {file: attachments/<year>/<slug>/name, title: title}'")


@rule
def disclosure_value(corpus: Corpus, context: CheckContext) -> Iterator[Finding]:
    """DOC-DISCLOSURE: the disclosure attribute is one of the three values."""
    sources = [(doc.source, doc.disclosure) for doc in corpus.documents.values()]
    sources += [(page.source, page.source.meta.get("disclosure")) for page in corpus.pages.values()]
    for source, value in sources:
        if value is not None and value != "" and value not in DISCLOSURE_VALUES:
            yield error("DOC-DISCLOSURE", source.path, source.line("disclosure"), "disclosure",
                        f"公开属性“{value}”无效", f"unknown disclosure value '{value}'",
                        "写 主动公开、依申请公开 或 不予公开", "write 主动公开, 依申请公开 or 不予公开")


@rule
def validity_value(corpus: Corpus, context: CheckContext) -> Iterator[Finding]:
    """DOC-VALIDITY: validity is 有效, 失效 or 废止."""
    for doc in corpus.documents.values():
        value = doc.meta.get("validity")
        if value is not None and value not in VALIDITY_VALUES:
            yield error("DOC-VALIDITY", doc.path, doc.line("validity"), "validity",
                        f"有效性“{value}”无效", f"unknown validity '{value}'",
                        "写 有效、失效 或 废止（不写即为有效）", "write 有效, 失效 or 废止 (left out: 有效)")


@rule(across=True)
def interprets(corpus: Corpus, context: CheckContext) -> Iterator[Finding]:
    """DOC-INTERPRETS: a 解读 names the policy it explains: an existing 主动公开 document, not itself."""
    vis = public_documents(corpus, context)
    for doc in corpus.documents.values():
        target = doc.meta.get("interprets")
        if not isinstance(target, str) or not target:
            continue  # DOC-FIELD-TYPE
        line = doc.line("interprets")
        other = corpus.documents.get(target)
        if other is None or other is doc:
            what_zh, what_en = ("不存在", "does not exist") if other is None else ("是本文件自身", "is this document")
            yield error("DOC-INTERPRETS", doc.path, line, "interprets", f"interprets 指向的“{target}”{what_zh}",
                        f"'interprets' names '{target}', which {what_en}", "写所解读政策文件的 slug",
                        "write the slug of the policy this interpretation explains")
        elif vis[doc.slug] is Visibility.FULL and vis[other.slug] is not Visibility.FULL:
            yield error("DOC-INTERPRETS", doc.path, line, "interprets",
                        f"所解读的“{target}”不是主动公开的文件：公开的解读不能链接到它",
                        f"'{target}' is not a 主动公开 document: a public interpretation cannot link to it",
                        "先公开政策文件，或删去此字段", "publish the policy first, or remove the field")


@rule(across=True)
def replaced_by(corpus: Corpus, context: CheckContext) -> Iterator[Finding]:
    """DOC-REPLACED-BY: replaced_by names an existing public document signed later."""
    vis = public_documents(corpus, context)
    for doc in corpus.documents.values():
        target = doc.meta.get("replaced_by")
        if target is None or target == "":
            continue
        line = doc.line("replaced_by")
        other = corpus.documents.get(str(target))
        if other is None:
            yield error("DOC-REPLACED-BY", doc.path, line, "replaced_by",
                        f"replaced_by 指向的文件“{target}”不存在", f"replaced_by names '{target}', which "
                                                           "does not exist",
                        "写取代本文件的新文件的 slug", "write the slug of the document that replaces this "
                                            "one")
        elif other is doc:
            yield error("DOC-REPLACED-BY", doc.path, line, "replaced_by", "文件不能被自身取代",
                        "a document cannot replace itself", "写取代本文件的新文件的 slug",
                        "write the slug of the document that replaces this one")
        elif vis.get(other.slug, Visibility.NONE) is Visibility.NONE:
            yield error("DOC-REPLACED-BY", doc.path, line, "replaced_by",
                        f"取代本文件的“{target}”不公开（不予公开、涉密或草稿）",
                        f"'{target}', which replaces this document, is not public (withheld, secret or a "
                        "draft)",
                        "replaced_by 只能指向已公开的文件；否则删去此字段",
                        "replaced_by may name only a public document; otherwise remove the field")
        elif doc.signed and other.signed and other.signed <= doc.signed:
            yield error("DOC-REPLACED-BY", doc.path, line, "replaced_by",
                        f"取代本文件的“{target}”成文日期（{other.signed}）不晚于本文件（{doc.signed}）",
                        f"'{target}' was signed on {other.signed}, not after this document ({doc.signed})",
                        "检查 replaced_by 是否写反了", "check that replaced_by is not the wrong way round")
        elif doc.validity == "有效":
            yield warning("DOC-REPLACED-BY-VALID", doc.path, line, "replaced_by",
                          "文件已被取代，但有效性仍为“有效”", "the document is replaced but still marked 有"
                                               "效 (in force)",
                          "写 validity: 失效 或 废止", "write 'validity: 失效' or '废止'")


@rule
def status_value(corpus: Corpus, context: CheckContext) -> Iterator[Finding]:
    """DOC-STATUS: status is `draft` or absent; a misspelt draft would otherwise be published."""
    for source in [d.source for d in corpus.documents.values()] + [p.source for p in corpus.pages.values()]:
        value = source.meta.get("status")
        if value is not None and value not in STATUS_VALUES:
            yield error("DOC-STATUS", source.path, source.line("status"), "status",
                        f"status“{value}”无效：只有 draft 表示草稿，其他写法会被当作正式文件发布",
                        f"unknown status '{value}': only 'draft' marks a draft, anything else would be "
                        "published",
                        "草稿写 status: draft；正式文件删去 status", "write 'status: draft', or remove the "
                                                           "field to publish")


@rule
def unknown_fields(corpus: Corpus, context: CheckContext) -> Iterator[Finding]:
    """DOC-FIELD-UNKNOWN, DOC-FIELD-LOOKALIKE: a field the format does not know (a warning), or one written so
    that a field that decides publication is not read (an error: `stauts: draft`)."""
    for doc in corpus.documents.values():
        for source in [doc.source, *[t.source for t in doc.translations.values()]]:
            for key in source.meta:
                if str(key) not in KNOWN_FIELDS:
                    yield _unknown(source, str(key))
    for page in corpus.pages.values():
        for key in page.source.meta:
            if str(key) not in PAGE_FIELDS:
                yield _unknown(page.source, str(key), PAGE_FIELDS)
    for issue in corpus.issues:
        for key in issue.meta if isinstance(issue.meta, dict) else ():
            if str(key) not in ISSUE_FIELDS:
                yield _unknown(issue.source, str(key), ISSUE_FIELDS)


@rule
def page_names(corpus: Corpus, context: CheckContext) -> Iterator[Finding]:
    """PAGE-RESERVED: a fixed page does not take the address of the site's own pages."""
    for (slug, _lang), page in corpus.pages.items():
        if slug.lower() in urls.SITE_FOLDERS:
            yield error("PAGE-RESERVED", page.source.path, 1, "slug",
                        f"页面名“{slug}”是网站自己的栏目地址（/{slug}/），发布会覆盖该栏目",
                        f"the page name '{slug}' is the address of the site's own pages (/{slug}/): it would "
                        "replace them", "给页面换个文件名，如 about-catalogue.zh.md",
                        "give the page another file name, e.g. about-catalogue.zh.md")


# The fields that decide whether a file is published: one written so that it is not read (`stauts`,
# `secrecy` with a zero-width space, `Ｓｅｃｒｅｃｙ`) would let through what it was written to hold back.
GUARDS = ("status", "secrecy", "disclosure", "withheld_reason")


def _looks_like(key: str, known: frozenset[str]) -> str | None:
    """The known field `key` was probably meant as: the same once normalised (width, case, invisible
    characters), or a guarding field misspelt."""
    plain = "".join(c for c in unicodedata.normalize("NFKC", key).casefold()
                    if unicodedata.category(c) not in ("Cf", "Cc", "Zs") and not c.isspace())
    if plain != key and plain in known:
        return plain
    close = difflib.get_close_matches(plain, GUARDS, n=1, cutoff=0.75)
    return close[0] if close else None


def _unknown(source: Source, key: str, known: frozenset[str] = KNOWN_FIELDS) -> Finding:
    meant = _looks_like(key, known)
    if meant is not None:
        return error("DOC-FIELD-LOOKALIKE", source.path, source.line(key), key,
                     f"字段名“{key}”像是“{meant}”但不是：它不会被读取，它要管住的内容可能被发布",
                     f"the field '{key}' looks like '{meant}' but is not: it is not read, and what it was "
                     "meant to hold back could be published",
                     f"写成 {meant}:（半角小写，无空格或不可见字符）", f"write '{meant}:' (plain lower-case "
                                                                "letters, no invisible character)")
    return warning("DOC-FIELD-UNKNOWN", source.path, source.line(key), key,
                   f"未知字段“{key}”，不会被使用", f"unknown field '{key}': it is ignored",
                   "检查拼写（见 docs/checks.md 的字段表），或删去", "check the spelling (see "
                                                      "docs/checks.md) or remove it")


@rule(across=True)
def slug_matches_file(corpus: Corpus, context: CheckContext) -> Iterator[Finding]:
    """DOC-SLUG, DOC-SLUG-FORMAT, DOC-SLUG-DUPLICATE: the slug is the file's, well-formed and unique."""
    for doc in corpus.documents.values():
        if not SLUG.match(doc.slug):
            fixed = re.sub(r"[^a-z0-9]+", "-", doc.slug.lower()).strip("-") or "document-1"
            yield error("DOC-SLUG-FORMAT", doc.path, doc.line("slug"), "slug",
                        f"slug“{doc.slug}”只能包含小写字母、数字和连字符",
                        f"the slug '{doc.slug}' may contain only lower-case letters, digits and hyphens",
                        f"改为如 {fixed}（文件名同步修改）", f"use e.g. {fixed} (and rename the files)")
        for source in [doc.source, *[t.source for t in doc.translations.values()]]:
            value = source.meta.get("slug")
            if value is not None and str(value) != doc.slug:
                yield error("DOC-SLUG", source.path, source.line("slug"), "slug",
                            f"slug“{value}”与文件名“{doc.slug}”不一致",
                            f"the slug '{value}' differs from the file name's '{doc.slug}'",
                            f"写 slug: {doc.slug}，或改文件名", f"write 'slug: {doc.slug}' or rename the "
                                                         "file")
    for source in corpus.duplicates:
        yield error("DOC-SLUG-DUPLICATE", source.path, source.line("slug"), "slug",
                    "另一个文件已使用这个 slug", "another file already uses this slug",
                    "换一个唯一的 slug", "choose a unique slug")


@rule
def lang_matches_file(corpus: Corpus, context: CheckContext) -> Iterator[Finding]:
    """DOC-LANG: `lang` is zh or bo and matches the file name."""
    sources = [(doc.source, "zh") for doc in corpus.documents.values()]
    sources += [(t.source, t.lang) for doc in corpus.documents.values() for t in doc.translations.values()]
    sources += [(p.source, p.lang) for p in corpus.pages.values()]
    for source, expected in sources:
        value = source.meta.get("lang")
        if value is not None and str(value) != expected:
            yield error("DOC-LANG", source.path, source.line("lang"), "lang",
                        f"lang“{value}”与文件名的语言“{expected}”不一致",
                        f"lang '{value}' differs from the file name's language '{expected}'",
                        f"写 lang: {expected}（可用 {'、'.join(LANGS)}）", f"write 'lang: {expected}'")


@rule
def translation_folder(corpus: Corpus, context: CheckContext) -> Iterator[Finding]:
    """TR-FOLDER: a translation sits beside its original (documents/<year>/<slug>.bo.md)."""
    for doc in corpus.documents.values():
        folder = posixpath.dirname(doc.path)
        for translation in doc.translations.values():
            if posixpath.dirname(translation.source.path) != folder:
                name = posixpath.basename(translation.source.path)
                yield error("TR-FOLDER", translation.source.path, 1, "",
                            f"译文与原文 {doc.path} 不在同一目录", "the translation is not beside its "
                                                        f"original {doc.path}",
                            f"移到 {folder}/{name}", f"move it to {folder}/{name}")


EXPECTED_FILES = {"documents/": (".md",), "gazette/": (".yml",), "pages/": (".md",), "registry/": (".yml",),
                  "requests/": (".yml",), "annual/": (".yml",)}


@rule(across=True)
def unexpected_files(corpus: Corpus, context: CheckContext) -> Iterator[Finding]:
    """FILE-UNEXPECTED: a file the build does not read where it reads files (e.g. a .docx in documents/)."""
    for rel in corpus.files:  # sixteen thousand paths at ten thousand documents: one lookup each
        folder = rel[: rel.find("/") + 1]
        suffixes = EXPECTED_FILES.get(folder) if folder else None
        if suffixes is not None and not rel.endswith(suffixes) and not posixpath.basename(rel).startswith("."):
            yield warning("FILE-UNEXPECTED", rel, 1, "",
                          f"{folder} 下只读取 {'/'.join(suffixes)} 文件，此文件不会被使用",
                          f"only {'/'.join(suffixes)} files are read in {folder}; this file is ignored",
                          "附件放在 attachments/<年>/<slug>/ 下，并在 attachments 中列出；否则删除",
                          "put attachments under attachments/<year>/<slug>/ and list them; otherwise remove it")
