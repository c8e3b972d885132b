"""What several rule families share: the texts of the corpus with where they stand, and Markdown masking.

A `Text` is one piece of writing an editor typed (a title, a summary, a keyword, a body, a registry
label, a photo caption) with its file, field, first line and language, and whether it is published.
The list is built once per check run and shared by the families (text, Tibetan, personal data, fonts).
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cached_property

from ..frontmatter import Source
from ..model import LANGS, OFFICIAL_FIELDS, ORIGINAL_LANG, Corpus, Document, as_list
from ..visibility import Visibility, corpus_visibility
from .rules import CheckContext

# Markdown and HTML that is syntax, not text: code, URLs, link targets, tags, Pelican link markers.
# Masked (replaced by spaces, newlines kept) so that text rules do not read syntax as writing and
# offsets still map to the same lines. One pattern per kind, each applied only when its marker occurs
# in the text: most paragraphs have none, and a single alternation would be tried at every character.
_URL_END = "[^\\s<>()（）\"'\u3000-\u303f\uff01-\uff5e]*"
_MASKS: tuple[tuple[tuple[str, ...], re.Pattern[str]], ...] = (
    (("```", "~~~"), re.compile(r"```.*?(?:```|\Z)|~~~.*?(?:~~~|\Z)", re.DOTALL)),  # fenced code
    (("`",), re.compile(r"`[^`\n]*`")),  # inline code
    (("<!--",), re.compile(r"<!--.*?-->", re.DOTALL)),  # comments
    (("<",), re.compile(r"</?[A-Za-z][^>\n]*>")),  # tags
    (("](",), re.compile(r"\]\([^)\n]*\)")),  # link targets ](…)
    (("]:",), re.compile(r"^\s{0,3}\[[^\]\n]+\]:[^\n]*$", re.MULTILINE)),  # reference definitions
    (("{",), re.compile(r"\{(?:filename|static|attach)\}[^\s)\"'>]*")),  # Pelican links
    ((":",), re.compile(r"\b(?:https?|ftp|mailto|tel|javascript):" + _URL_END)),  # URLs
    (("www.",), re.compile(r"www\.[A-Za-z0-9.-]+" + _URL_END)),
    (("@",), re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")),  # e-mail addresses
)


def _blank(m: re.Match[str]) -> str:
    text = m.group()
    return " " * len(text) if "\n" not in text else re.sub(r"[^\n]", " ", text)


def mask_markup(text: str) -> str:
    for markers, pattern in _MASKS:
        if any(marker in text for marker in markers):
            text = pattern.sub(_blank, text)
    return text


class LineIndex:
    """The file line of any offset in a text, found by bisection: counting newlines from the start for
    every finding would make a body with many findings quadratic."""

    def __init__(self, text: str, first_line: int) -> None:
        self.first_line = first_line
        self.newlines = [m.start() for m in _NEWLINE.finditer(text)]

    def line(self, pos: int) -> int:
        return self.first_line + bisect.bisect_left(self.newlines, pos)


_NEWLINE = re.compile("\n")


@dataclass
class Text:
    """One field's text in one file."""

    source: Source | None
    path: str
    field: str
    text: str
    line: int  # file line of the text's first character
    lang: str
    public: bool  # appears in some output
    body: bool = False  # Markdown body (offsets map to lines)

    def line_at(self, pos: int) -> int:
        return self._lines.line(pos) if self.body else self.line

    @cached_property
    def _lines(self) -> LineIndex:
        return LineIndex(self.text, self.line)

    @cached_property
    def masked(self) -> str:
        return mask_markup(self.text) if self.body else self.text


def lang_of(path: str) -> str:
    for lang in LANGS:
        if path.endswith(f".{lang}.md"):
            return lang
    return ORIGINAL_LANG


def source_texts(source: Source, public: bool, *, metadata_only: bool = False,
                 fields: tuple[str, ...] = ("title", "summary")) -> Iterator[Text]:
    """Title, summary, keywords, attachments' titles, official parts and body of a Markdown source (a
    metadata-only item's title and summary alone are public)."""
    lang = lang_of(source.path)
    meta = source.meta
    for key in fields:
        value = meta.get(key)
        if isinstance(value, str) and value:
            yield Text(source, source.path, key, value, source.line(key), lang, public)
    for i, keyword in enumerate(as_list(meta.get("keywords"))):
        if isinstance(keyword, str) and keyword:  # not in an on-request entry
            yield Text(source, source.path, f"keywords[{i}]", keyword,
                       source.lines.get(f"keywords[{i}]", source.line("keywords")), lang,
                       public and not metadata_only)
    for i, item in enumerate(as_list(meta.get("attachments"))):
        if isinstance(item, dict) and isinstance(item.get("title"), str):
            yield Text(source, source.path, f"attachments[{i}].title", item["title"],
                       source.lines.get(f"attachments[{i}]", source.line("attachments")), lang,
                       public and not metadata_only)
    yield from _official_texts(source, lang, public and not metadata_only)
    if source.body:
        yield Text(source, source.path, "body", source.body, source.body_line, lang,
                   public and not metadata_only, body=True)


def _official_texts(source: Source, lang: str, public: bool) -> Iterator[Text]:
    """The official-document parts a full page and its PDFs print (addressee, signature, note, cc, the
    printing body, author): checked as every other printed text is (personal data, invisible characters,
    fonts). A shape the parts' own check refuses is left to it."""
    meta = source.meta
    for key in OFFICIAL_FIELDS:
        value = meta.get(key)
        if key == "printed":
            value = value.get("by") if isinstance(value, dict) else None
            key = "printed.by"
        values = [(key, value)] if isinstance(value, str) else [
            (f"{key}[{i}]", v) for i, v in enumerate(value)] if isinstance(value, list) else []
        for field, text in values:
            if isinstance(text, str) and text:
                yield Text(source, source.path, field, text, source.line(key.partition(".")[0]), lang, public)


def document_texts(doc: Document, vis: Visibility) -> Iterator[Text]:
    metadata_only = vis is Visibility.METADATA
    public = vis is not Visibility.NONE
    yield from source_texts(doc.source, public, metadata_only=metadata_only,
                            fields=("title", "summary", "doc_number"))
    for translation in doc.translations.values():
        yield from source_texts(translation.source, public, metadata_only=metadata_only)


def registry_texts(corpus: Corpus) -> Iterator[Text]:
    reg = corpus.registry
    registries = (("agencies", reg.agencies), ("catalogue", reg.catalogue), ("sections", reg.sections),
                  ("genres", reg.genres))
    for name, entries in registries:
        source = reg.sources.get(name)
        for entry in entries.values():
            for lang in LANGS:
                value = getattr(entry, lang, "")
                if value:
                    yield Text(source, entry.path, lang, value, entry.line, lang, True)


def issue_texts(corpus: Corpus) -> Iterator[Text]:
    for issue in corpus.issues:
        if not isinstance(issue.meta, dict):
            continue
        for key in ("inside_front", "inside_back", "back_cover"):
            items = issue.meta.get(key)
            items = [items] if isinstance(items, dict) else as_list(items)
            for i, photo in enumerate(items):
                if not isinstance(photo, dict):
                    continue
                line = issue.source.lines.get(f"{key}[{i}]", issue.line(key))
                for lang in LANGS:
                    value = photo.get(lang)
                    if isinstance(value, str) and value:
                        yield Text(issue.source, issue.path, f"{key}[{i}].{lang}", value, line, lang,
                                   issue.is_published)


def all_texts(corpus: Corpus, context: CheckContext) -> list[Text]:
    """Every text of the corpus, drafts and non-public items included; built once per run."""
    cached = context.cache.get("texts")
    if cached is None:
        texts: list[Text] = []
        for doc in corpus.documents.values():
            texts.extend(document_texts(doc, public_documents(corpus, context)[doc.slug]))
        for source in corpus.orphans + corpus.duplicates:
            texts.extend(source_texts(source, False))
        for page in corpus.pages.values():
            texts.extend(source_texts(page.source, True))
        texts.extend(registry_texts(corpus))
        texts.extend(issue_texts(corpus))
        cached = context.cache["texts"] = texts
    return cached


def public_documents(corpus: Corpus, context: CheckContext) -> dict[str, Visibility]:
    cached = context.cache.get("visibility")
    if cached is None:
        cached = corpus_visibility(corpus)
        context.cache["visibility"] = cached
    return cached


def all_markdown_sources(corpus: Corpus) -> Iterator[Source]:
    """Every Markdown source: originals, translations, pages, and files the loader could not place."""
    for doc in corpus.documents.values():
        yield doc.source
        for translation in doc.translations.values():
            yield translation.source
    yield from corpus.orphans
    yield from corpus.duplicates
    for page in corpus.pages.values():
        yield page.source


def public_markdown_sources(corpus: Corpus, context: CheckContext) -> Iterator[Source]:
    """Markdown whose body is published: 主动公开 documents (and their translations) and pages."""
    vis = public_documents(corpus, context)
    for slug, doc in corpus.documents.items():
        if vis[slug] is Visibility.FULL:
            yield doc.source
            for translation in doc.translations.values():
                yield translation.source
    for page in corpus.pages.values():
        yield page.source


def excerpt(text: str, pos: int, width: int = 12) -> str:
    """A short piece of text around `pos`, on one line, for a message."""
    start, end = max(0, pos - width), min(len(text), pos + width)
    return text[start:end].replace("\n", " ").strip()


def codepoint(char: str) -> str:
    return f"U+{ord(char):04X}"
