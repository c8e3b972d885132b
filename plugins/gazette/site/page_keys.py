"""Keys for rendered pages, so that a build redraws only the pages whose inputs changed.

A page's key hashes everything its template can show: the page's own context (documents by their
content hash and those they link to, issues by theirs, registry entries by the registry's bytes), the
sizes, checksums and seals of the PDFs it may link, the theme (templates, strings, CSS) and the code that
draws pages, and the settings. A page whose key equals the one it had in the last good build is taken from that build.

Only pages the current Publication lists are ever written, so a page of a document that is no longer
public is never carried over; the key only decides whether a listed page is drawn again.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from .. import urls
from ..config import GazetteConfig
from ..publication import Publication, PublicDocument, PublicIssue, PublicPage, PublicText
from ..registry import Entry
from .pages import LinkedPdfs, Pager, Related
from .side_by_side import SideBySide

PACKAGE = Path(__file__).resolve().parents[1]


def _file_hashes(files: Iterable[Path]) -> str:
    h = hashlib.sha256()
    for file in sorted(files):
        h.update(file.name.encode())
        h.update(hashlib.sha256(file.read_bytes()).digest())
    return h.hexdigest()


def environment_key(settings: dict[str, Any]) -> str:
    """What every page depends on: theme, strings, page-drawing code and settings."""
    theme = Path(settings["THEME"])
    code = [PACKAGE / name for name in ("labels.py", "urls.py", "publication.py", "render.py", "theme.py",
                                        "model.py", "webfont.py", "application_form.py")]
    code += list((PACKAGE / "site").glob("*.py"))
    parts = [
        _file_hashes(p for p in theme.rglob("*") if p.is_file() and p.suffix in {".html", ".po", ".css"}),
        _file_hashes(code),
        repr(sorted((k, repr(v)) for k, v in settings.items() if k.startswith("GAZETTE_")
                    and k not in {"GAZETTE_PUBLICATION", "GAZETTE_PROGRESS", "GAZETTE_BUILD_DIRS"})),
        str(settings.get("SITEURL")),
    ]
    return hashlib.sha256("\0".join(parts).encode()).hexdigest()


class PageKeys:
    def __init__(self, pub: Publication, settings: dict[str, Any], pdfs: dict[str, Any]) -> None:
        self.pub, self.pdfs = pub, pdfs
        self.langs = GazetteConfig.from_settings(settings).langs
        self.registry = hashlib.sha256(b"".join(s.raw for _, s in sorted(pub.registry.sources.items()))).hexdigest()
        self.base = environment_key(settings)
        # What a document or a text contributes to a key, worked out once a build: a document is listed on
        # hundreds of pages (catalogue lists, its class's related documents), and the Publication does not
        # change during the build.
        self._documents: dict[str, tuple[str, tuple[str, ...]]] = {}
        self._texts: dict[int, tuple[PublicText, str]] = {}

    def key(self, url: str, lang: str, context: dict[str, Any]) -> str:
        pdf_urls: set[str] = set()
        parts = [self.base, self.registry, url, lang, self._value(context, pdf_urls)]
        parts += [f"{u}={self.pdfs.get(u)}" for u in sorted(pdf_urls)]
        return hashlib.sha256("\0".join(parts).encode()).hexdigest()

    def _document(self, doc: PublicDocument, pdf_urls: set[str]) -> str:
        known = self._documents.get(doc.slug)
        if known is None:
            related = [doc.replaced_by, *doc.replaces, doc.interprets, *doc.interpreted_by]
            linked = []
            for lang in self.langs:
                linked.append(urls.document_pdf(doc.slug, lang))
                if doc.issue:
                    linked.append(urls.issue_pdf(doc.issue.year, doc.issue.number, lang))
            known = self._documents[doc.slug] = ("|".join([
                doc.slug, doc.content_hash, doc.issue.key if doc.issue else "", doc.section.id if doc.section else "",
                *[f"{slug}:{self.pub.documents[slug].content_hash}" for slug in related if slug in self.pub.documents],
            ]), tuple(linked))
        pdf_urls.update(known[1])
        return known[0]

    def _text(self, text: PublicText) -> str:
        known = self._texts.get(id(text))
        if known is None or known[0] is not text:
            known = self._texts[id(text)] = (text, f"T{text.lang}:{text.title}:{text.summary}:{text.keywords}:"
                                             f"{text.translated}:{text.parts!r}:"
                                             + hashlib.sha256(text.html.encode()).hexdigest())
        return known[1]

    def _value(self, value: Any, pdf_urls: set[str]) -> str:
        kind = type(value)
        # The most frequent first, by their exact type: a catalogue page lists fifty documents, a
        # document page a dozen related ones, 200,000 in all at 10,000 documents.
        if kind is PublicDocument:
            return "D" + self._document(value, pdf_urls)
        if kind is Related:
            return f"R{value.relation}:D" + self._document(value.doc, pdf_urls)
        if kind is list or kind is tuple:
            return "[" + ",".join([self._value(v, pdf_urls) for v in value]) + "]"
        if value is None or isinstance(value, (str, int, float, bool, dt.date)):
            return repr(value)
        if isinstance(value, PublicDocument):
            return "D" + self._document(value, pdf_urls)
        if isinstance(value, PublicIssue):
            for lang in self.langs:
                pdf_urls.add(urls.issue_pdf(value.year, value.number, lang))
                pdf_urls.add(urls.issue_pdfa(value.year, value.number, lang))
            return f"I{value.key}:{value.content_hash}"
        if isinstance(value, PublicText):
            return self._text(value)
        if isinstance(value, PublicPage):
            return f"P{value.slug}:{value.lang}:{value.title}:" + hashlib.sha256(value.html.encode()).hexdigest()
        if isinstance(value, Entry):
            return f"E{type(value).__name__}:{value.id}"
        if isinstance(value, Related):
            return f"R{value.relation}:" + self._value(value.doc, pdf_urls)
        if isinstance(value, SideBySide):
            return "A" + self._document(value.doc, pdf_urls)
        if isinstance(value, LinkedPdfs):
            pdf_urls.update(value.urls)
            return "L" + ",".join(value.urls)
        if isinstance(value, Pager):
            return f"G{value.number}/{value.count}:{value.base_url}"
        if isinstance(value, dict):
            items = sorted(value.items(), key=lambda kv: repr(kv[0]))
            return "{" + ",".join([f"{k!r}:{self._value(v, pdf_urls)}" for k, v in items]) + "}"
        if isinstance(value, (set, frozenset)):
            return "S" + ",".join(sorted(self._value(v, pdf_urls) for v in value))
        if isinstance(value, (list, tuple)):
            return "[" + ",".join([self._value(v, pdf_urls) for v in value]) + "]"
        raise TypeError(f"no page key for a {type(value).__name__}: add it to PageKeys._value")
