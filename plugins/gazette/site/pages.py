"""Which pages the site has, in each language: one `PageSpec` per HTML file.

The list is derived from the Publication alone. Each page knows its URL (the language is the first
path segment, so the language switch swaps it) and the template that draws it.
"""

from __future__ import annotations

import hashlib
from collections import defaultdict
from collections.abc import Container, Iterator
from dataclasses import dataclass, field
from itertools import islice
from typing import Any

from .. import urls
from ..publication import Publication, PublicDocument
from .side_by_side import SideBySide

PER_PAGE = 50  # entries on one page of a catalogue list
RELATED_IN_CLASS = 5  # others of a document's catalogue class listed on its page, most recent first


@dataclass
class PageSpec:
    url: str
    template: str
    lang: str
    context: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class Related:
    """A document listed on another's page, and why: replaced_by, replaces, interprets, interpreted_by
    (its 解读) or same_class."""

    relation: str
    doc: PublicDocument


def related_documents(doc: PublicDocument, pub: Publication,
                      by_leaf: dict[str, list[PublicDocument]]) -> list[Related]:
    docs = pub.documents
    related = [Related("replaced_by", docs[doc.replaced_by])] if doc.replaced_by in docs else []
    related += [Related("replaces", docs[s]) for s in doc.replaces if s in docs]
    related += [Related("interprets", docs[doc.interprets])] if doc.interprets in docs else []
    related += [Related("interpreted_by", docs[s]) for s in doc.interpreted_by if s in docs]
    shown = {doc.slug, *(r.doc.slug for r in related)}
    same = by_leaf.get(doc.catalogue.id, []) if doc.catalogue else []
    # The Publication lists documents newest published first.
    related += [Related("same_class", d) for d in islice((d for d in same if d.slug not in shown),
                                                          RELATED_IN_CLASS)]
    return related


def has_side_by_side(doc: PublicDocument) -> bool:
    """A public text written in both languages."""
    return doc.full and doc.translated("zh") and doc.translated("bo")


@dataclass(frozen=True)
class LinkedPdfs:
    """PDFs a page links that belong to no document or issue (the application form's): their sizes and
    checksums are part of the page's key, as a document's PDFs are."""

    urls: tuple[str, ...]


@dataclass
class Pager:
    """A page of a long list. Pelican's paginator needs its own URL patterns; ours are urls.py's."""

    number: int
    count: int
    base_url: str

    def url(self, number: int) -> str:
        return self.base_url if number == 1 else f"{self.base_url}page/{number}/"

    @property
    def previous_url(self) -> str:
        return self.url(self.number - 1) if self.number > 1 else ""

    @property
    def next_url(self) -> str:
        return self.url(self.number + 1) if self.number < self.count else ""


def _paged(url: str, template: str, lang: str, entries: list[PublicDocument], only: Container[str] | None,
           **context: Any) -> Iterator[PageSpec]:
    count = max(1, -(-len(entries) // PER_PAGE))
    for number in range(1, count + 1):
        pager = Pager(number, count, url)
        if only is not None and pager.url(number) not in only:
            continue
        chunk = entries[(number - 1) * PER_PAGE: number * PER_PAGE]
        yield PageSpec(pager.url(number), template, lang,
                       {**context, "entries": chunk, "pager": pager, "total": len(entries)})


def seal_page(record: dict[str, Any]) -> dict[str, str]:
    """What the verification page shows of the seal `seal.apply_seals` recorded ({}: no page)."""
    if not record.get("sealed"):
        return {}
    from ..seal import certificate_details

    return {"fingerprint": record["fingerprint"], **certificate_details(record["certificate"])}


def structure(pub: Publication, langs: list[str], seal: dict[str, str] | None = None) -> str:
    """A digest of what decides which pages `site_pages` lists and how each one's context is laid out
    (which documents, issues and pages it shows, in what order, the counts), leaving out what those
    documents, issues and pages are: `page_plan.py` follows them by their own digests. Everything
    `site_pages` reads of the Publication to choose, group, order or count is here."""
    parts: list[str] = [repr(langs), repr(sorted((seal or {}).items())), repr(sorted(pub.pages))]
    for doc in pub.documents.values():  # in the Publication's order: newest published first
        parts.append(repr((doc.slug, doc.catalogue.id if doc.catalogue else None, [a.id for a in doc.issuers],
                           doc.signed.year, doc.full, sorted(doc.texts), [doc.translated(lg) for lg in langs],
                           doc.replaced_by, doc.replaces, doc.interprets, doc.interpreted_by)))
    parts += [f"{i.key}:{i.year}:{i.number}" for i in pub.issues]
    return hashlib.sha256("\n".join(parts).encode()).hexdigest()


def site_pages(pub: Publication, langs: list[str], seal: dict[str, str] | None = None,
               histories: dict[str, Any] | None = None, only: Container[str] | None = None) -> Iterator[PageSpec]:
    """Every page; `seal` (from `seal_page`): the verification page, only when PDFs are sealed;
    `histories` (slug → `history.History`): the dated history a document page shows; `only`: the URLs of
    the pages wanted (None: all), the others' contexts are not built."""
    histories = histories or {}
    reg = pub.registry
    docs = list(pub.documents.values())
    by_class: dict[str, list[PublicDocument]] = defaultdict(list)
    by_publisher: dict[str, list[PublicDocument]] = defaultdict(list)
    by_year: dict[int, list[PublicDocument]] = defaultdict(list)
    by_leaf: dict[str, list[PublicDocument]] = defaultdict(list)
    for doc in docs:
        if doc.catalogue:
            by_leaf[doc.catalogue.id].append(doc)
            by_class[doc.catalogue.id].append(doc)
            parent = doc.catalogue.parent
            while parent:
                by_class[parent].append(doc)
                parent = reg.catalogue[parent].parent
        for agency in doc.issuers:
            by_publisher[agency.id].append(doc)
        by_year[doc.signed.year].append(doc)
    class_counts = {cid: len(items) for cid, items in by_class.items()}
    publisher_counts = {aid: len(items) for aid, items in by_publisher.items()}
    years = sorted(by_year, reverse=True)
    issue_years = sorted({i.year for i in pub.issues}, reverse=True)

    def wanted(url: str) -> bool:
        return only is None or url in only

    for lang in langs:
        if wanted(url := urls.home(lang)):
            yield PageSpec(url, "home.html", lang, {
                "issue": pub.latest_issue(), "latest": docs[:10], "roots": reg.catalogue_roots(),
                "class_counts": class_counts})
        if wanted(url := urls.gazette_archive(lang)):
            yield PageSpec(url, "gazette_archive.html", lang, {
                "years": [(y, [i for i in reversed(pub.issues) if i.year == y]) for y in issue_years]})
        for year in issue_years:
            if wanted(url := urls.gazette_year(year, lang)):
                yield PageSpec(url, "gazette_year.html", lang, {
                    "year": year, "issues": [i for i in pub.issues if i.year == year]})
        for issue in pub.issues:
            if wanted(url := issue.url(lang)):
                yield PageSpec(url, "issue.html", lang, {"issue": issue})
        for doc in docs:
            both = has_side_by_side(doc)
            if wanted(url := doc.url(lang)):
                yield PageSpec(url, "document.html", lang, {
                    "doc": doc, "text": doc.text(lang), "translated": doc.translated(lang),
                    "available": set(doc.texts),
                    "history": histories[doc.slug].as_context() if doc.slug in histories else None,
                    "related": related_documents(doc, pub, by_leaf),
                    "side_by_side": urls.side_by_side(doc.slug, lang) if both else ""})
            if both and wanted(url := urls.side_by_side(doc.slug, lang)):
                yield PageSpec(url, "side_by_side.html", lang, {
                    "doc": doc, "zh": doc.text("zh"), "bo": doc.text("bo"), "aligned": SideBySide(doc)})

        if wanted(url := urls.catalogue(lang)):
            yield PageSpec(url, "catalogue.html", lang, {
                "roots": reg.catalogue_roots(), "class_counts": class_counts, "total": len(docs),
                "agencies": [a for a in reg.agencies.values() if a.id in publisher_counts],
                "publisher_counts": publisher_counts, "years": [(y, len(by_year[y])) for y in years]})
        for cid, node in reg.catalogue.items():
            if cid in by_class:
                yield from _paged(urls.catalogue_class(cid, lang), "catalogue_list.html", lang, by_class[cid],
                                  only, heading=node, kind="class")
        for aid, agency in reg.agencies.items():
            if aid in by_publisher:
                yield from _paged(urls.catalogue_publisher(aid, lang), "catalogue_list.html", lang,
                                  by_publisher[aid], only, heading=agency, kind="publisher")
        for year in years:
            yield from _paged(urls.catalogue_year(year, lang), "catalogue_list.html", lang, by_year[year],
                              only, heading=year, kind="year")

        # The application form as PDFs, in every language: offered on the request page and the form's page.
        form_pdfs = LinkedPdfs(tuple(urls.application_form_pdf(edition) for edition in langs))
        for slug in sorted({s for s, _ in pub.pages}):
            page = pub.pages.get((slug, lang))
            if wanted(url := urls.page(slug, lang)):
                yield PageSpec(url, "page.html", lang, {
                    "page": page or next(p for (s, _), p in pub.pages.items() if s == slug),
                    "translated": page is not None, "available": {lg for s, lg in pub.pages if s == slug},
                    **({"form_pdfs": form_pdfs} if slug == "request" else {})})
        if wanted(url := urls.application_form(lang)):
            yield PageSpec(url, "application_form.html", lang, {"form_pdfs": form_pdfs})
        if wanted(url := urls.search(lang)):
            yield PageSpec(url, "search_unavailable.html", lang, {})
        if seal and wanted(url := urls.seal_verification(lang)):
            yield PageSpec(url, "verify.html", lang, {"seal": seal})
    # One page for both languages: a server answering a wrong address cannot tell which one it wanted.
    if wanted(urls.NOT_FOUND):
        yield PageSpec(urls.NOT_FOUND, "not_found.html", langs[0], {})
