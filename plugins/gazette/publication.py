"""What may be published, derived from the content model by the rules of `visibility.py` (what of an
item) and `static_files.py` (which files of content/).

The writers (site, PDFs, search index, feeds, open data) receive a `Publication` and nothing else, so
a body that is not public never reaches one of them: it is not in the object they are given.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import posixpath
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

from . import urls
from .frontmatter import FILE_HASH, Source
from .model import LANGS, OFFICIAL_GENRES, ORIGINAL_LANG, Corpus, Document, Photo
from .publication_cache import Derived, PublicationCache, base_key, document_key
from .registry import Agency, CatalogueClass, Entry, Registry
from .render import MarkdownRenderer
from .static_files import StaticFiles, clean_target, document_files, hidden, read_plain_file
from .typed_parts import typed_parts
from .visibility import Visibility, corpus_visibility, issue_is_public, page_visibility

__all__ = ["Publication", "PublicDocument", "Unpublishable", "Visibility", "build_publication"]


class Unpublishable(Exception):
    """A link or file the build will not publish. The check refuses each of these first; should one reach
    the build all the same, the build stops rather than publish it."""


@dataclass(frozen=True)
class Part:
    """One official-document part as a page shows it: the text, and its language (a translation that does
    not state a part shows the original's, marked as Chinese)."""

    text: str
    lang: str


@dataclass(frozen=True)
class PublicParts:
    """A 公文's parts in one language, resolved for the writers (GB/T 9704 places each one).

    `official`: it signs off, with the signature and the date under its text (and the 附件说明 above them):
    one of the fifteen kinds of 公文, or any document with a number, an addressee or a signature, unless
    its editors typed the signature and date into the text (the check warns; the outputs do not sign it
    twice). A speech, study or essay shows its `author` under the title instead."""

    official: bool = False
    addressee: Part | None = None
    signature: tuple[Part, ...] = ()
    note: Part | None = None
    cc: tuple[Part, ...] = ()
    printed_by: Part | None = None
    printed_date: dt.date | None = None
    author: Part | None = None

    @property
    def imprint(self) -> bool:
        """The 版记 (抄送, 印发) is set."""
        return bool(self.cc or self.printed_by)


# The fields of a PublicText kept as UTF-8 bytes when pickled and decoded on first use: most of a kept
# Publication's bytes, and most of its documents' pages are not drawn again after one edit.
_LAZY_TEXT = ("html", "text")


@dataclass(frozen=True)
class PublicText:
    """A document's text in one language. `html` and `text` are empty for a metadata-only entry.

    Pickled (the Publication's cache), `html` and `text` are kept as UTF-8 bytes, and an unpickled text
    decodes each only when it is first read (`__getattr__`); they compare, hash and print as strings."""

    lang: str
    title: str
    summary: str
    keywords: tuple[str, ...]
    # By a factory, not `= ""`: a class attribute would answer before `__getattr__` decodes the kept bytes.
    html: str = field(default_factory=str)
    text: str = field(default_factory=str)
    translated: bool = True  # False: this language falls back to the Chinese original
    parts: PublicParts = field(default_factory=PublicParts)

    def __getstate__(self) -> dict[str, object]:
        state = dict(self.__dict__)
        pending: dict[str, bytes] = dict(state.pop("_pending", {}))  # type: ignore[arg-type]
        for name in _LAZY_TEXT:
            if name in state:
                pending[name] = str(state.pop(name)).encode("utf-8", "surrogatepass")
        state["_pending"] = pending
        return state

    def __setstate__(self, state: dict[str, object]) -> None:
        self.__dict__.update(state)

    def __getattr__(self, name: str) -> str:
        """`html` or `text` of an unpickled text, decoded now (called only when it is not set yet)."""
        pending = self.__dict__.get("_pending")
        if name in _LAZY_TEXT and pending is not None and name in pending:
            value = pending.pop(name).decode("utf-8", "surrogatepass")
            self.__dict__[name] = value  # frozen: set once, as the dataclass's own __init__ does
            return value
        raise AttributeError(name)

    def untranslated(self) -> PublicText:
        """This text shown in place of a missing translation: marked Chinese and untranslated, its body
        still not decoded."""
        copy = object.__new__(PublicText)
        copy.__dict__.update(self.__dict__)
        copy.__dict__.update(lang=ORIGINAL_LANG, translated=False)
        if "_pending" in self.__dict__:  # each decodes (and drops) its own
            copy.__dict__["_pending"] = dict(self.__dict__["_pending"])
        return copy

    @property
    def main_html(self) -> str:
        """The body up to the first embedded document (`#` in the source, `<h1>` here): a 公文's own text,
        which its signature and date close."""
        i = self.html.find("<h1")
        return self.html if i < 0 else self.html[:i]

    @property
    def embedded_html(self) -> str:
        """The documents a notice issues (印发), each under its centred title, after the signature."""
        i = self.html.find("<h1")
        return "" if i < 0 else self.html[i:]


@dataclass(frozen=True)
class PublicAttachment:
    file: str  # path under content/ (and under the web root)
    title: str
    size: int
    sha256: str = ""

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
    interprets: str = ""  # on a 解读: the slug of the public policy it explains
    interpreted_by: list[str] = field(default_factory=list)  # slugs of the public 解读 of this document
    # 主动公开 only: language → its source file under content/ (the archive package and the dated history)
    sources: dict[str, str] = field(default_factory=dict)

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
        return self.texts[ORIGINAL_LANG].untranslated()

    def own(self, lang: str, field: str) -> bool:
        """Whether the text in `lang` states its own `field` ("summary" or "keywords"): a translation that
        leaves it out shows the Chinese original's, which is Chinese, not this language's."""
        text, original = self.text(lang), self.texts[ORIGINAL_LANG]
        return text.lang == ORIGINAL_LANG or getattr(text, field) != getattr(original, field)

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
    source: str = ""  # the manifest under content/

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
    # Files under content/ that the site copies (public attachments and the images published content
    # uses) → the SHA-256 of their bytes. Nothing else of content/ is ever copied.
    static_files: dict[str, str]

    def fingerprint(self) -> str:
        """Changes whenever anything that reaches an output changes, the bytes of every copied file included."""
        parts: list[str] = [f"{slug}:{doc.content_hash}" for slug, doc in sorted(self.documents.items())]
        parts += [issue.content_hash for issue in self.issues]
        parts += [f"{slug}:{lang}:{page.html}" for (slug, lang), page in sorted(self.pages.items())]
        parts += [f"{rel}:{digest}" for rel, digest in sorted(self.static_files.items())]
        parts += [source.raw.hex() for _, source in sorted(self.registry.sources.items())]
        return _hash(*parts)

    def disclosed(self) -> set[str]:
        """What this Publication shows, item by item: each document with its visibility and its texts,
        each page, issue and copied file. An output made from another Publication shows nothing this one
        does not when this set covers that one's."""
        items = {f"issue:{issue.key}" for issue in self.issues}
        for slug, doc in self.documents.items():
            items.add(f"document:{slug}:{doc.visibility.name}")
            items.update(f"text:{slug}:{lang}" for lang in doc.texts)
        items.update(f"page:{slug}:{lang}" for slug, lang in self.pages)
        items.update(f"file:{rel}" for rel in self.static_files)
        return items

    def latest_issue(self) -> PublicIssue | None:
        return self.issues[-1] if self.issues else None

    def full_documents(self) -> list[PublicDocument]:
        """主动公开 documents, newest first: the ones with a page, a body, attachments and search text."""
        return [d for d in self.documents.values() if d.full]

    def printable_documents(self) -> list[tuple[PublicDocument, str]]:
        """(document, language) of every per-document PDF: 主动公开, in each language it is written in."""
        return [(d, lang) for d in self.full_documents() for lang in LANGS if d.translated(lang)]

    def feed_documents(self, lang: str) -> list[PublicDocument]:
        """What a feed in `lang` lists: 主动公开 documents written in that language, newest first."""
        return [d for d in self.full_documents() if d.translated(lang)]


class _Links:
    """Resolves the {filename}, {static} and {attach} links of one source file to public URLs, noting in
    `seen` what of other documents, pages and files each answer took."""

    def __init__(self, public: dict[str, Visibility], pages: set[tuple[str, str]], lang: str, source_path: str,
                 static: StaticFiles, used: set[str], seen: Derived | None = None) -> None:
        self.public, self.pages, self.lang, self.source_path = public, pages, lang, source_path
        self.static, self.used, self.seen = static, used, seen

    def __call__(self, kind: str, path: str) -> str:
        target = clean_target(self.source_path, path)
        if target is None:
            raise Unpublishable(f"{self.source_path}: {{{kind}}}{path}")
        if kind == "filename":
            return self._document(target, path)
        refusal = self.static.refusal(target)
        if refusal is not None:
            raise Unpublishable(f"{self.source_path}: {{{kind}}}{path}: {refusal.en}")
        self.used.add(target)
        if self.seen is not None:
            self.seen.static.append(target)
        return urls.static_file(target)

    def _document(self, target: str, written: str) -> str:
        name = posixpath.basename(target)
        slug, _, rest = name.partition(".")
        lang = rest.split(".")[0] if rest else ORIGINAL_LANG
        if target.startswith("pages/"):
            if self.seen is not None:
                self.seen.pages[(slug, lang)] = (slug, lang) in self.pages
            if (slug, lang) in self.pages:
                return urls.page(slug, lang)
        if target.startswith("documents/"):
            if self.seen is not None:
                self.seen.linked[hidden(slug)] = self.public.get(slug, Visibility.NONE).name
            if self.public.get(slug) is Visibility.FULL:
                return urls.document(slug, lang)
        # The check refuses links to what is not public; an anchor without a target says nothing.
        raise Unpublishable(f"{self.source_path}: {{filename}}{written}")


def build_publication(corpus: Corpus, cache: Path | None = None,
                      digests: Mapping[str, str] | None = None, processes: int = 1) -> Publication:
    """Derive the public view. Call only on a corpus that passed the checks.

    `cache`: a folder for the Markdown cache (rendered bodies keyed by their text) and the Publication's
    own (each 主动公开 document's part, `publication_cache.py`). `digests`: every content file's input
    digest (`build_inputs.Inputs.content`), by which a file published before is not read again.
    `processes`: how many may share the rendering of many bodies (`workers.py`)."""
    renderer = MarkdownRenderer(cache / "markdown.sqlite" if cache else None)
    kept = PublicationCache(cache / "publication.sqlite" if cache else None,
                            base_key((raw.raw for _, raw in sorted(corpus.registry.sources.items())),
                                     renderer.VERSION))
    try:
        return _build_publication(corpus, renderer, kept, digests or {}, processes)
    finally:
        kept.close()
        renderer.close()


def _build_publication(corpus: Corpus, renderer: MarkdownRenderer, kept: PublicationCache,
                       inputs: Mapping[str, str], processes: int) -> Publication:
    registry = corpus.registry
    content_root = Path(corpus.root)
    # The documents whose files are the ones an earlier build derived its part from: their visibility
    # and the files they own are known without reading them.
    keys = {slug: document_key(doc) for slug, doc in corpus.documents.items()}
    found = kept.find(keys)
    public = corpus_visibility(corpus, {slug: derived.visibility for slug, derived in found.items()})
    # A file published before with the same bytes passed the sniff then: its first bytes are not read.
    static = StaticFiles(corpus, public, {slug: (d.files, d.folder) for slug, d in found.items()},
                         sniffed=lambda rel: rel in inputs and kept.file(rel, inputs[rel]) is not None)
    published_pages = {key for key, page in corpus.pages.items() if page_visibility(page) is Visibility.FULL}
    static_files: set[str] = set()
    digests = _Digests(content_root, inputs, kept, static)
    documents: dict[str, PublicDocument] = {}
    by_hidden = {hidden(slug): vis.name for slug, vis in public.items()}

    def still(derived: Derived) -> bool:
        """Is everything the kept part took from elsewhere what it was?"""
        return (all(by_hidden.get(slug, Visibility.NONE.name) == vis for slug, vis in derived.linked.items())
                and all(((slug, lang) in published_pages) == was for (slug, lang), was in derived.pages.items())
                and all(static.refusal(file) is None for file in derived.static)
                and all(digests.of(a.file)[1] == a.sha256 for a in derived.document.attachments))

    stale = {slug for slug in corpus.documents if public[slug] is not Visibility.NONE
             and ((derived := found.get(slug)) is None or not still(derived))}
    # The bodies to render, rendered together: shared by processes when there are many (a first build).
    renderer.prepare((source.body for slug in stale if public[slug] is Visibility.FULL
                      for source in _sources(corpus.documents[slug])), processes)
    for slug, doc in corpus.documents.items():
        vis = public[slug]
        derived = found.get(slug)
        if vis is Visibility.NONE:
            if derived is None:  # what it owns, as hashes: nothing of it is kept in readable form
                files, folder = document_files(doc)
                kept.put(slug, keys[slug], Derived(vis, files=[hidden(f) for f in files],
                                                   folder=hidden(folder) if folder else ""))
            continue
        if slug in stale:
            derived = _derive(doc, vis, registry, public, published_pages, static, renderer, digests)
            kept.put(slug, keys[slug], derived)
        else:
            renderer.keep(derived.bodies)
        documents[slug] = _public_document(derived, registry)
        static_files.update(derived.static)
    for doc in documents.values():
        if doc.replaced_by:
            documents[doc.replaced_by].replaces.append(doc.slug)
        if doc.interprets:
            documents[doc.interprets].interpreted_by.append(doc.slug)

    issues: list[PublicIssue] = []
    for issue in corpus.issues:
        if not issue_is_public(issue):
            continue
        assert issue.year is not None and issue.number is not None  # issue_is_public says so
        public_issue = PublicIssue(
            year=issue.year, number=issue.number, total=issue.total or 0, date=issue.date or dt.date.min,
            cover_image=issue.cover_image, inside_front=issue.photos("inside_front"),
            inside_back=issue.photos("inside_back"), back_cover=issue.photos("back_cover"), source=issue.path,
        )
        for section in sorted(issue.sections, key=lambda s: registry.section_order(s.section)):
            entry = registry.sections.get(section.section)
            docs = [documents[s] for s in section.items if s in documents and documents[s].full]
            if entry is None or not docs:
                continue
            for doc in docs:
                doc.issue, doc.section = public_issue, entry
            public_issue.sections.append((entry, docs))
        images = [issue.cover_image, *[p.image for key in ("inside_front", "inside_back", "back_cover")
                                       for p in issue.photos(key)]]
        image_files = [_published_file(static, issue.path, image.lstrip("/")) for image in images if image]
        static_files.update(image_files)
        public_issue.content_hash = _hash(issue.source.raw, *(d.content_hash for d in public_issue.documents()),
                                          *(digests.of(image)[1] for image in image_files))
        issues.append(public_issue)

    pages: dict[tuple[str, str], PublicPage] = {}
    for (slug, lang), page in corpus.pages.items():
        if (slug, lang) not in published_pages:
            continue
        html = renderer.render(page.body, _Links(public, published_pages, lang, page.source.path, static, static_files))
        pages[(slug, lang)] = PublicPage(slug, lang, page.title, html)

    ordered = dict(sorted(documents.items(), key=lambda kv: (kv[1].published, kv[1].signed, kv[0]), reverse=True))
    file_digests = {rel: digests.of(rel)[1] for rel in static_files}
    return Publication(registry, content_root, ordered, issues, pages, file_digests)


def _sources(doc: Document) -> list[Source]:
    """The document's files: the original, then its translations."""
    return [doc.source, *(t.source for t in doc.translations.values())]


def _derive(doc: Document, vis: Visibility, registry: Registry, public: dict[str, Visibility],
            published_pages: set[tuple[str, str]], static: StaticFiles, renderer: MarkdownRenderer,
            digests: _Digests) -> Derived:
    """A document's own part of the Publication, with what it took from other documents, pages and files."""
    files, folder = document_files(doc)
    if vis is not Visibility.FULL:  # an on-request document: its catalogue entry, its files as hashes
        files, folder = [hidden(f) for f in files], hidden(folder) if folder else ""
    derived = Derived(vis, issuers=[i for i in doc.issuers if i in registry.agencies], genre=doc.genre,
                      catalogue=doc.catalogue, files=files, folder=folder)
    used: set[str] = set()
    texts: dict[str, PublicText] = {}
    for lang in LANGS:
        source = doc.source if lang == ORIGINAL_LANG else (
            doc.translations[lang].source if lang in doc.translations else None)
        if source is None:
            continue
        title = str(source.meta.get("title", "")).strip()
        summary = str(source.meta.get("summary") or doc.summary).strip()
        # An on-request entry shows the metadata the content format lists for it (index number, title,
        # publisher, number, dates, class, summary): its keywords are not among them.
        keywords = tuple(str(k) for k in (source.meta.get("keywords") or doc.keywords or [])) \
            if vis is Visibility.FULL else ()
        html = text = ""
        if vis is Visibility.FULL:
            html = renderer.render(source.body, _Links(public, published_pages, lang, source.path, static, used,
                                                       derived))
            text = renderer.text(source.body)
            derived.bodies.append(renderer.key(source.body))
        parts = _parts(doc, lang, registry, source.body) if vis is Visibility.FULL else PublicParts()
        texts[lang] = PublicText(lang, title, summary, keywords, html, text, parts=parts)
    attachments = []
    if vis is Visibility.FULL:
        for att in doc.attachments:
            file = _published_file(static, doc.path, att.file)
            size, digest = digests.of(file)
            attachments.append(PublicAttachment(file, att.title, size, digest))
            derived.static.append(file)
    for other in (doc.replaced_by, doc.interprets):
        if other:
            derived.linked[hidden(other)] = public.get(other, Visibility.NONE).name
    replaced_by = doc.replaced_by if public.get(doc.replaced_by, Visibility.NONE) is not Visibility.NONE else ""
    derived.document = PublicDocument(
        slug=doc.slug, visibility=vis, disclosure=doc.disclosure, index_no=doc.index_no,
        doc_number=doc.doc_number, issuers=[], genre=None, catalogue=None,
        signed=doc.signed or dt.date.min, published=doc.published or dt.date.min, validity=doc.validity,
        replaced_by=replaced_by, texts=texts, attachments=attachments,
        interprets=doc.interprets if vis is Visibility.FULL and public.get(doc.interprets) is Visibility.FULL
        else "",
        # The bytes of the attachments count: a replaced file must not keep its old size or copy.
        content_hash=_hash(doc.content_hash(), vis.value, *(a.sha256 for a in attachments)),
        sources={ORIGINAL_LANG: doc.path, **{lang: t.source.path for lang, t in doc.translations.items()
                                           if lang in texts}}
        if vis is Visibility.FULL else {},
    )
    return derived


def _public_document(derived: Derived, registry: Registry) -> PublicDocument:
    """The derived part with the registry's entries (the registry is in the cache's base) and nothing yet
    of what other documents and the issues add to it. The part is this build's own (unpickled, or just
    derived, and put in the cache before), so it is completed in place."""
    doc = derived.document
    doc.issuers = [registry.agencies[i] for i in derived.issuers]
    doc.genre, doc.catalogue = registry.genres.get(derived.genre), registry.catalogue.get(derived.catalogue)
    doc.replaces, doc.interpreted_by, doc.issue, doc.section = [], [], None, None
    return doc


def _parts(doc: Document, lang: str, registry: Registry, body: str) -> PublicParts:
    """The document's official parts in `lang`: the translation's own where it states them, else the
    original's (marked Chinese); agency ids in cc and printed resolved to the agency's name in `lang`."""
    original = doc.parts
    own = doc.translations[lang].parts if lang in doc.translations else original

    def pick(name: str) -> Part | None:
        value = getattr(own, name) or getattr(original, name)
        return Part(value, lang if getattr(own, name) else ORIGINAL_LANG) if value else None

    def agency(value: str, stated_lang: str) -> Part:
        entry = registry.agencies.get(value)
        return Part(entry.label(lang), lang) if entry else Part(value, stated_lang)

    source_lang = lang if own.signature else ORIGINAL_LANG
    signature = tuple(Part(s, source_lang) for s in (own.signature or original.signature))
    official = bool(doc.doc_number or original.addressee or original.signature or doc.genre in OFFICIAL_GENRES)
    official = official and typed_parts(body).date is None
    if not signature and official:
        signature = tuple(Part(registry.agencies[i].label(lang), lang) for i in doc.issuers if i in registry.agencies)
    cc_lang = lang if own.cc else ORIGINAL_LANG
    printed = own.printed or original.printed
    printed_lang = lang if own.printed else ORIGINAL_LANG
    return PublicParts(
        official=official, addressee=pick("addressee"), signature=signature, note=pick("note"),
        cc=tuple(agency(c, cc_lang) for c in (own.cc or original.cc)),
        printed_by=agency(printed.by, printed_lang) if printed and printed.by else None,
        printed_date=printed.date if printed else None, author=pick("author"),
    )


def _published_file(static: StaticFiles, source_path: str, written: str) -> str:
    """A file an item lists (an attachment, an issue's photograph), if it may be published."""
    target = clean_target("", "/" + written)
    refusal = static.refusal(target) if target is not None else None
    if target is None or refusal is not None:
        raise Unpublishable(f"{source_path}: {written}: {refusal.en if refusal else 'not a clean path'}")
    return target


class _Digests:
    """Size and SHA-256 of each published file: kept by its input digest (the bytes the build's digest
    hashed), else read once per build (without following links)."""

    def __init__(self, root: Path, inputs: Mapping[str, str], kept: PublicationCache, static: StaticFiles) -> None:
        self.root, self.inputs, self.kept, self.static = root, inputs, kept, static
        self._known: dict[str, tuple[int, str]] = {}

    def of(self, rel: str) -> tuple[int, str]:
        if rel in self._known:
            return self._known[rel]
        digest = self.inputs.get(rel)
        found = self.kept.file(rel, digest) if digest is not None else None
        if found is None:
            data = read_plain_file(self.root, rel)
            found = (len(data), hashlib.sha256(data).hexdigest())
            # Kept only for the bytes the input digest hashed (a file edited since is read again next
            # time) and that passed the sniff (every file asked for here did, as it is published).
            if (digest is not None and FILE_HASH(data).hexdigest() == digest
                    and self.static.sniff(rel) is None):
                self.kept.put_file(rel, digest, *found)
        self._known[rel] = found
        return found


def _hash(*parts: bytes | str) -> str:
    h = hashlib.sha256()
    for part in parts:
        h.update(part if isinstance(part, bytes) else part.encode())
        h.update(b"\0")
    return h.hexdigest()
