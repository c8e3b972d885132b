"""What may be published, derived from the content model. The disclosure rules live here and only here.

| value                   | what reaches the outputs                                             |
|-------------------------|----------------------------------------------------------------------|
| 主动公开 + 非涉密        | everything: page, body, attachments, PDF, search, feeds, open data   |
| 依申请公开 + 非涉密      | a catalogue entry: metadata only, no body, no attachments            |
| 不予公开, drafts, 涉密   | nothing (and 涉密 stops the build before this is ever called)        |

The writers (site, PDFs, search index, feeds, open data) receive a `Publication` and nothing else, so
a body that is not public never reaches one of them: it is not in the object they are given.
"""

from __future__ import annotations

import datetime as dt
import posixpath
from dataclasses import dataclass, field
from enum import Enum
from pathlib import Path

from . import urls
from .model import LANGS, NOT_SECRET, ON_REQUEST, ORIGINAL_LANG, PROACTIVE, Corpus, Document, Photo
from .registry import Agency, CatalogueClass, Entry, Registry
from .render import MarkdownRenderer, plain_text


class Visibility(Enum):
    FULL = "full"  # 主动公开
    METADATA = "metadata"  # 依申请公开: the catalogue entry only
    NONE = "none"


def visibility(doc: Document) -> Visibility:
    """The one rule that decides what of a document may appear in any output."""
    if doc.is_draft or doc.secrecy != NOT_SECRET:
        return Visibility.NONE
    if doc.disclosure == PROACTIVE:
        return Visibility.FULL
    if doc.disclosure == ON_REQUEST:
        return Visibility.METADATA
    return Visibility.NONE


@dataclass(frozen=True)
class PublicText:
    """A document's text in one language. `html` and `text` are empty for a metadata-only entry."""

    lang: str
    title: str
    summary: str
    keywords: tuple[str, ...]
    html: str = ""
    text: str = ""
    translated: bool = True  # False: this language falls back to the Chinese original


@dataclass(frozen=True)
class PublicAttachment:
    file: str  # path under content/ (and under the web root)
    title: str
    size: int

    @property
    def url(self) -> str:
        return urls.static_file(self.file)

    @property
    def extension(self) -> str:
        return posixpath.splitext(self.file)[1].lstrip(".").lower()


@dataclass
class PublicDocument:
    slug: str
    visibility: Visibility
    disclosure: str
    index_no: str
    doc_number: str
    issuers: list[Agency]
    genre: Entry | None
    catalogue: CatalogueClass | None
    signed: dt.date
    published: dt.date
    validity: str
    replaced_by: str  # slug of a public document, or ""
    texts: dict[str, PublicText]
    attachments: list[PublicAttachment] = field(default_factory=list)
    content_hash: str = ""
    issue: PublicIssue | None = None
    section: Entry | None = None
    replaces: list[str] = field(default_factory=list)  # slugs this document replaced

    @property
    def full(self) -> bool:
        return self.visibility is Visibility.FULL

    @property
    def publisher(self) -> Agency | None:
        return self.issuers[0] if self.issuers else None

    def translated(self, lang: str) -> bool:
        return lang in self.texts and self.texts[lang].translated

    def text(self, lang: str) -> PublicText:
        """The text in `lang`, or the Chinese original marked as untranslated."""
        if lang in self.texts:
            return self.texts[lang]
        original = self.texts[ORIGINAL_LANG]
        return PublicText(lang=ORIGINAL_LANG, title=original.title, summary=original.summary,
                          keywords=original.keywords, html=original.html, text=original.text, translated=False)

    def url(self, lang: str) -> str:
        return urls.document(self.slug, lang)


@dataclass
class PublicIssue:
    year: int
    number: int
    total: int
    date: dt.date
    cover_image: str
    inside_front: list[Photo]
    inside_back: list[Photo]
    back_cover: list[Photo]
    sections: list[tuple[Entry, list[PublicDocument]]] = field(default_factory=list)
    content_hash: str = ""

    @property
    def key(self) -> str:
        return f"{self.year}-{self.number:02d}"

    def url(self, lang: str) -> str:
        return urls.issue(self.year, self.number, lang)

    def documents(self) -> list[PublicDocument]:
        return [doc for _, docs in self.sections for doc in docs]


@dataclass
class PublicPage:
    slug: str
    lang: str
    title: str
    html: str

    def url(self, lang: str | None = None) -> str:
        return urls.page(self.slug, lang or self.lang)


@dataclass
class Publication:
    registry: Registry
    content_root: Path
    documents: dict[str, PublicDocument]  # newest published first
    issues: list[PublicIssue]  # published issues, oldest first
    pages: dict[tuple[str, str], PublicPage]
    static_files: set[str]  # files under content/ that the site copies: public attachments and used images

    def fingerprint(self) -> str:
        """Changes whenever anything that reaches an output changes."""
        parts: list[str] = [f"{slug}:{doc.content_hash}" for slug, doc in sorted(self.documents.items())]
        parts += [issue.content_hash for issue in self.issues]
        parts += [f"{slug}:{lang}:{page.html}" for (slug, lang), page in sorted(self.pages.items())]
        parts += sorted(self.static_files)
        parts += [source.raw.hex() for _, source in sorted(self.registry.sources.items())]
        return _hash(*parts)

    def latest_issue(self) -> PublicIssue | None:
        return self.issues[-1] if self.issues else None

    def full_documents(self) -> list[PublicDocument]:
        return [d for d in self.documents.values() if d.full]


class _Links:
    """Resolves {filename} and {static} links of one source file to public URLs."""

    def __init__(self, corpus: Corpus, public: dict[str, Visibility], lang: str, source_path: str,
                 static_files: set[str]) -> None:
        self.corpus, self.public, self.lang = corpus, public, lang
        self.folder = posixpath.dirname(source_path)
        self.static_files = static_files

    def _target(self, path: str) -> str:
        path = path.split("#", 1)[0]
        if path.startswith("/"):
            return posixpath.normpath(path.lstrip("/"))
        return posixpath.normpath(posixpath.join(self.folder, path))

    def __call__(self, kind: str, path: str) -> str:
        target = self._target(path)
        if kind == "filename":
            name = posixpath.basename(target)
            slug, _, rest = name.partition(".")
            lang = rest.split(".")[0] if rest else ORIGINAL_LANG
            if target.startswith("pages/"):
                return urls.page(slug, lang)
            # Links to documents that are not public resolve to nothing (the check refuses them first).
            return urls.document(slug, lang) if self.public.get(slug) is Visibility.FULL else ""
        if target.startswith("attachments/") and not self._attachment_public(target):
            return ""
        self.static_files.add(target)
        return urls.static_file(target)

    def _attachment_public(self, target: str) -> bool:
        return any(a.file == target for slug, vis in self.public.items() if vis is Visibility.FULL
                   for a in self.corpus.documents[slug].attachments)


def build_publication(corpus: Corpus, cache: Path | None = None) -> Publication:
    """Derive the public view. Call only on a corpus that passed the checks.

    `cache`: a folder for the Markdown cache (rendered bodies keyed by their text)."""
    renderer = MarkdownRenderer(cache / "markdown.sqlite" if cache else None)
    try:
        return _build_publication(corpus, renderer)
    finally:
        renderer.close()


def _build_publication(corpus: Corpus, renderer: MarkdownRenderer) -> Publication:
    registry = corpus.registry
    content_root = Path(corpus.root)
    public = {slug: visibility(doc) for slug, doc in corpus.documents.items()}
    static_files: set[str] = set()
    documents: dict[str, PublicDocument] = {}

    for slug, doc in corpus.documents.items():
        vis = public[slug]
        if vis is Visibility.NONE:
            continue
        texts: dict[str, PublicText] = {}
        for lang in LANGS:
            source = doc.source if lang == ORIGINAL_LANG else (
                doc.translations[lang].source if lang in doc.translations else None)
            if source is None:
                continue
            title = str(source.meta.get("title", "")).strip()
            summary = str(source.meta.get("summary") or doc.summary).strip()
            keywords = tuple(str(k) for k in (source.meta.get("keywords") or doc.keywords or []))
            html = text = ""
            if vis is Visibility.FULL:
                html = renderer.render(source.body, _Links(corpus, public, lang, source.path, static_files))
                text = plain_text(html)
            texts[lang] = PublicText(lang, title, summary, keywords, html, text)
        attachments = []
        if vis is Visibility.FULL:
            for att in doc.attachments:
                file = content_root / att.file
                attachments.append(PublicAttachment(att.file, att.title, file.stat().st_size))
                static_files.add(att.file)
        replaced_by = doc.replaced_by if public.get(doc.replaced_by, Visibility.NONE) is not Visibility.NONE else ""
        documents[slug] = PublicDocument(
            slug=slug, visibility=vis, disclosure=doc.disclosure, index_no=doc.index_no,
            doc_number=doc.doc_number, issuers=[registry.agencies[i] for i in doc.issuers if i in registry.agencies],
            genre=registry.genres.get(doc.genre), catalogue=registry.catalogue.get(doc.catalogue),
            signed=doc.signed or dt.date.min, published=doc.published or dt.date.min, validity=doc.validity,
            replaced_by=replaced_by, texts=texts, attachments=attachments,
            content_hash=doc.content_hash() + vis.value,
        )
    for doc in documents.values():
        if doc.replaced_by:
            documents[doc.replaced_by].replaces.append(doc.slug)

    issues: list[PublicIssue] = []
    for issue in corpus.issues:
        if not issue.is_published or issue.year is None or issue.number is None:
            continue
        public_issue = PublicIssue(
            year=issue.year, number=issue.number, total=issue.total or 0, date=issue.date or dt.date.min,
            cover_image=issue.cover_image, inside_front=issue.photos("inside_front"),
            inside_back=issue.photos("inside_back"), back_cover=issue.photos("back_cover"),
        )
        for section in sorted(issue.sections, key=lambda s: registry.section_order(s.section)):
            entry = registry.sections.get(section.section)
            docs = [documents[s] for s in section.items if s in documents and documents[s].full]
            if entry is None or not docs:
                continue
            for doc in docs:
                doc.issue, doc.section = public_issue, entry
            public_issue.sections.append((entry, docs))
        public_issue.content_hash = _hash(issue.source.raw, *(d.content_hash for d in public_issue.documents()))
        for image in [issue.cover_image, *[p.image for key in ("inside_front", "inside_back", "back_cover")
                                           for p in issue.photos(key)]]:
            if image:
                static_files.add(image)
        issues.append(public_issue)

    pages: dict[tuple[str, str], PublicPage] = {}
    for (slug, lang), page in corpus.pages.items():
        if page.is_draft:
            continue
        html = renderer.render(page.body, _Links(corpus, public, lang, page.source.path, static_files))
        pages[(slug, lang)] = PublicPage(slug, lang, page.title, html)

    ordered = dict(sorted(documents.items(), key=lambda kv: (kv[1].published, kv[1].signed, kv[0]), reverse=True))
    return Publication(registry, content_root, ordered, issues, pages, static_files)


def _hash(*parts: bytes | str) -> str:
    import hashlib

    h = hashlib.sha256()
    for part in parts:
        h.update(part if isinstance(part, bytes) else part.encode())
        h.update(b"\0")
    return h.hexdigest()
