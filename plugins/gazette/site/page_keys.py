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
KEY_LENGTH = 32  # hex digits of SHA-256 kept: 128 bits, and records a third smaller


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


def _issue_fields(issue: PublicIssue | None) -> str:
    """What a page showing a document shows of its issue (its label: number, running total, date)."""
    return "" if issue is None else f"{issue.key}:{issue.total}:{issue.date}:{issue.cover_image}"


class PageKeys:
    def __init__(self, pub: Publication, settings: dict[str, Any], pdfs: dict[str, Any],
                 histories: dict[str, Any] | None = None) -> None:
        """`pdfs`: URL → what a page shows of each PDF; `histories`: slug → `history.History` of each
        document that has one (what its page shows of it)."""
        self.pub, self.pdfs, self.histories = pub, pdfs, histories or {}
        self.langs = GazetteConfig.from_settings(settings).langs
        self.registry = hashlib.sha256(b"".join(s.raw for _, s in sorted(pub.registry.sources.items()))).hexdigest()
        self.base = environment_key(settings)
        # What a document or a text contributes to a key, worked out once a build: a document is listed on
        # hundreds of pages (catalogue lists, its class's related documents), and the Publication does not
        # change during the build.
        self._documents: dict[str, tuple[str, tuple[str, ...]]] = {}
        self._texts: dict[int, tuple[PublicText, str]] = {}
        self._issue_map: dict[str, PublicIssue] | None = None
        self._issue_urls: dict[str, tuple[str, ...]] = {}  # an issue's key → its PDFs' URLs

    def key(self, url: str, lang: str, context: dict[str, Any]) -> str:
        return self.key_and_entities(url, lang, context)[0]

    def key_and_entities(self, url: str, lang: str, context: dict[str, Any]) -> tuple[str, set[str]]:
        """The page's key, and the entities its context shows (`entity` gives each one's digest): a
        document (`d/<slug>`) or an issue (`i/<key>`), each with its PDFs; a page (`p/<slug>/<lang>`); a PDF
        of neither (`f/<url>`)."""
        seen: set[str] = set()
        parts = [self.base, self.registry, url, lang, self._value(context, seen)]
        parts += [f"{u}={self.pdfs.get(u)}" for u in sorted(self._pdf_urls(seen))]
        return hashlib.sha256("\0".join(parts).encode()).hexdigest()[:KEY_LENGTH], seen

    def _pdf_urls(self, seen: set[str]) -> set[str]:
        found: set[str] = set()
        for name in seen:
            kind, rest = name[0], name[2:]
            if kind == "d":
                found.update(self._documents[rest][1])
            elif kind == "i":
                found.update(self._issue_urls[rest])
            elif kind == "f":
                found.add(rest)
        return found

    def entity(self, name: str) -> str:
        """The digest of what a page's key takes from entity `name` ("-": it is gone). A text is shown with
        its document, whose content hash covers the text's sources (its HTML is made from them by the code
        and the Markdown renderer, both in `plan_base`); a document's dated history is shown on its page."""
        kind, _, rest = name.partition("/")
        seen: set[str] = set()
        if kind == "f":
            return repr(self.pdfs.get(rest))
        if kind == "d":
            doc = self.pub.documents.get(rest)
            if doc is None:
                return "-"
            return self.entities([name])[name]
        elif kind == "i":
            issue = self._issues().get(rest)
            if issue is None:
                return "-"
            text = self._value(issue, seen)
        elif kind == "p":
            slug, _, lang = rest.partition("/")
            page = self.pub.pages.get((slug, lang))
            if page is None:
                return "-"
            text = self._value(page, seen)
        else:
            return "-"
        text += "".join(f"\0{u}={self.pdfs.get(u)}" for u in sorted(self._pdf_urls(seen)))
        return hashlib.sha256(text.encode()).hexdigest()[:32]

    def entities(self, names: Iterable[str]) -> dict[str, str]:
        """`entity` of each of `names`; a document's in a tighter loop (there are thousands)."""
        found: dict[str, str] = {}
        documents, histories, pdfs = self.pub.documents, self.histories, self.pdfs
        sha256, no_pdfs = hashlib.sha256, not pdfs
        for name in names:
            doc = documents.get(name[2:]) if name.startswith("d/") else None
            if doc is None:
                found[name] = self.entity(name)
                continue
            text = self._document(doc, set())
            history = histories.get(doc.slug)
            if history is not None:
                text += "\0" + repr(history.as_context())
            if not no_pdfs:
                text += "".join(f"\0{u}={pdfs.get(u)}" for u in sorted(self._documents[doc.slug][1]))
            found[name] = sha256(text.encode()).hexdigest()[:32]
        return found

    def _issues(self) -> dict[str, PublicIssue]:
        if self._issue_map is None:
            self._issue_map = {issue.key: issue for issue in self.pub.issues}
        return self._issue_map

    def _document(self, doc: PublicDocument, seen: set[str]) -> str:
        known = self._documents.get(doc.slug)
        if known is None:
            related = [doc.replaced_by, *doc.replaces, doc.interprets, *doc.interpreted_by]
            linked = []
            for lang in self.langs:
                linked.append(urls.document_pdf(doc.slug, lang))
                if doc.issue:
                    linked.append(urls.issue_pdf(doc.issue.year, doc.issue.number, lang))
            known = self._documents[doc.slug] = ("|".join([
                doc.slug, doc.content_hash, _issue_fields(doc.issue), doc.section.id if doc.section else "",
                *[f"{slug}:{self.pub.documents[slug].content_hash}" for slug in related if slug in self.pub.documents],
            ]), tuple(linked))
        seen.add("d/" + doc.slug)
        return known[0]

    def _text(self, text: PublicText) -> str:
        known = self._texts.get(id(text))
        if known is None or known[0] is not text:
            known = self._texts[id(text)] = (text, f"T{text.lang}:{text.title}:{text.summary}:{text.keywords}:"
                                             f"{text.translated}:{text.parts!r}:"
                                             + hashlib.sha256(text.html.encode()).hexdigest())
        return known[1]

    def _value(self, value: Any, seen: set[str]) -> str:
        kind = type(value)
        # The most frequent first, by their exact type: a catalogue page lists fifty documents, a
        # document page a dozen related ones, 200,000 in all at 10,000 documents.
        if kind is PublicDocument:
            return "D" + self._document(value, seen)
        if kind is Related:
            return f"R{value.relation}:D" + self._document(value.doc, seen)
        if kind is list or kind is tuple:
            return "[" + ",".join([self._value(v, seen) for v in value]) + "]"
        if value is None or isinstance(value, (str, int, float, bool, dt.date)):
            return repr(value)
        if isinstance(value, PublicDocument):
            return "D" + self._document(value, seen)
        if isinstance(value, PublicIssue):
            seen.add(f"i/{value.key}")
            if value.key not in self._issue_urls:
                self._issue_urls[value.key] = tuple(url for lang in self.langs for url in (
                    urls.issue_pdf(value.year, value.number, lang), urls.issue_pdfa(value.year, value.number, lang)))
            return f"I{value.key}:{value.content_hash}"
        if isinstance(value, PublicText):
            return self._text(value)
        if isinstance(value, PublicPage):
            seen.add(f"p/{value.slug}/{value.lang}")
            return f"P{value.slug}:{value.lang}:{value.title}:" + hashlib.sha256(value.html.encode()).hexdigest()
        if isinstance(value, Entry):
            return f"E{type(value).__name__}:{value.id}"
        if isinstance(value, Related):
            return f"R{value.relation}:" + self._value(value.doc, seen)
        if isinstance(value, SideBySide):
            return "A" + self._document(value.doc, seen)
        if isinstance(value, LinkedPdfs):
            seen.update("f/" + u for u in value.urls)
            return "L" + ",".join(value.urls)
        if isinstance(value, Pager):
            return f"G{value.number}/{value.count}:{value.base_url}"
        if isinstance(value, dict):
            items = sorted(value.items(), key=lambda kv: repr(kv[0]))
            return "{" + ",".join([f"{k!r}:{self._value(v, seen)}" for k, v in items]) + "}"
        if isinstance(value, (set, frozenset)):
            return "S" + ",".join(sorted(self._value(v, seen) for v in value))
        if isinstance(value, (list, tuple)):
            return "[" + ",".join([self._value(v, seen) for v in value]) + "]"
        raise TypeError(f"no page key for a {type(value).__name__}: add it to PageKeys._value")
