"""The Publication → one HTML string per PDF, from the print templates in <THEME>/pdf/.

Everything a PDF shows is decided here, from the Publication alone: each job carries its HTML as plain
data, so it can be rendered in another process and its bytes hashed for the cache.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import quote, unquote

import jinja2
from markupsafe import Markup

from .. import application_form, urls
from ..config import GazetteConfig
from ..fonts import PRINT_FACES, font_path
from ..model import ORIGINAL_LANG
from ..publication import Part, Publication, PublicDocument, PublicIssue
from ..theme import install_ui_strings, translations
from .furniture import Furniture
from .official import embedded_titles, listed, title_html
from .render import CONTENT_URL, FONTS_URL

EDITIONS = ("zh", "bo")
# Settings that shape a PDF (also hashed into the cache key, though their effect is in the HTML).
PDF_SETTINGS = ("GAZETTE_NAME", "GAZETTE_SITE_NAME", "GAZETTE_MASTHEAD", "GAZETTE_TIBETAN_DIGITS",
                "GAZETTE_SAMPLE", "GAZETTE_REQUEST_OFFICE", "SITEURL")
GENERATOR = "gazette"
# The form's PDF dates: fixed, so its bytes change only when what it prints does.
FORM_DATE = dt.date(2026, 1, 1)
# The application form's jobs are "<FORM_ITEM>.<lang>": a dot no slug or issue key can hold, so their cache
# entries are never taken for a document's.
FORM_ITEM = "form.application"
# The fifteen kinds of 公文 (2012 党政机关公文处理工作条例), ids of registry/genres.yml: these close with the
# issuing body and the date (发文机关署名, 成文日期); speeches, studies and articles do not.
@dataclass(frozen=True)
class Output:
    url: str  # where the site serves it (urls.py)
    variant: str | None = None  # WeasyPrint pdf_variant, e.g. "pdf/a-3b"


@dataclass(frozen=True)
class PdfJob:
    """One rendering: an HTML string and the PDFs written from it (plain data: it is pickled)."""

    name: str  # for progress: "2026-08.zh", "gzfb-2026-12.bo"
    kind: str  # "issue" | "document" | "form"
    html: str
    base_url: str
    outputs: tuple[Output, ...]
    images: tuple[str, ...] = field(default=())  # image files the HTML embeds


def theme_dir(settings: Mapping[str, Any]) -> Path:
    return GazetteConfig.from_settings(settings).print_theme


def stylesheet_texts(settings: Mapping[str, Any]) -> list[str]:
    """The print style sheets: @font-face rules for the pinned files, then gazette.css."""
    fonts = GazetteConfig.from_settings(settings).fonts
    faces = "\n".join(
        f'@font-face {{ font-family: "{face.family}"; font-weight: {face.weight}; '
        f'src: url("{FONTS_URL}{font_path(face.file, fonts).name}"); }}' for face in PRINT_FACES)
    return [faces, (theme_dir(settings) / "gazette.css").read_text(encoding="utf-8")]


def theme_checksum(settings: Mapping[str, Any]) -> str:
    """Every file of the print theme (templates and CSS)."""
    h = hashlib.sha256()
    folder = theme_dir(settings)
    for path in sorted(p for p in folder.rglob("*") if p.is_file()):
        h.update(path.relative_to(folder).as_posix().encode() + b"\0" + path.read_bytes() + b"\0")
    return h.hexdigest()


def settings_checksum(settings: Mapping[str, Any]) -> str:
    data = {key: settings.get(key) for key in PDF_SETTINGS}
    return hashlib.sha256(json.dumps(data, ensure_ascii=False, sort_keys=True).encode()).hexdigest()


def _css_string(value: str) -> Markup:
    """A CSS string literal, safe inside <style>: "<" is escaped so no text can close the element."""
    escaped = value.replace("\\", "\\\\").replace('"', '\\"').replace("\n", " ").replace("<", "\\3C ")
    return Markup(f'"{escaped}"')


def _photo_layout(photos: list[Any]) -> str:
    """Extra classes of a page of photographs: two columns past two photographs, smaller past four."""
    return (" grid" if len(photos) > 2 else "") + (" dense" if len(photos) > 4 else "")


def environment(settings: Mapping[str, Any]) -> jinja2.Environment:
    # The site theme's templates under "site/": the parts both print and the site show (the office
    # receiving requests) are kept in one place, the site's.
    loader = jinja2.ChoiceLoader([
        jinja2.FileSystemLoader(str(theme_dir(settings))),
        jinja2.PrefixLoader({"site": jinja2.FileSystemLoader(str(Path(settings["THEME"]) / "templates"))})])
    env = jinja2.Environment(loader=loader, autoescape=True,
                             trim_blocks=True, lstrip_blocks=True, undefined=jinja2.StrictUndefined,
                             extensions=["jinja2.ext.i18n"])
    env.filters["css_string"] = _css_string
    env.filters["photo_layout"] = _photo_layout
    return env


def _names(publication: Publication) -> tuple[str, ...]:
    """Names a title line must not split: every agency's Chinese name, and the place it governs (the name
    before 人民政府: 甘孜藏族自治州, 德格县), longest first."""
    labels = {agency.label("zh") for agency in publication.registry.agencies.values()}
    places = {label.split("人民政府")[0] for label in labels if "人民政府" in label[1:]}
    return tuple(sorted(labels | places, key=len, reverse=True))


def _timestamp(day: dt.date) -> str:
    """A date as the PDF's creation/modification time: midnight, Beijing time (fixed, so bytes are too)."""
    return f"{day.isoformat()}T00:00:00+08:00"


class HtmlBuilder:
    """Builds the jobs of one build. Holds the Jinja environment and the content root."""

    def __init__(self, publication: Publication, settings: Mapping[str, Any]) -> None:
        self.publication = publication
        self.settings = settings
        self.env = environment(settings)
        self.root = publication.content_root.resolve()
        self.site_url = str(settings.get("SITEURL") or "").rstrip("/")
        self.names = _names(publication)

    # --- links and images -------------------------------------------------------------------------
    def _image(self, content_path: str, used: list[str]) -> str:
        """A content image as a file URL, or "" when it is not a file the Publication lists (it is then left
        out): a PDF embeds exactly what the site may copy, nothing else of content/."""
        rel = unquote(content_path).lstrip("/")
        if rel not in self.publication.static_files:
            return ""
        used.append(rel)
        return CONTENT_URL + quote(rel)

    def _body_html(self, html: str, used: list[str]) -> str:
        """Site URLs in a body → what a PDF can use: images as local files, links absolute or dropped."""

        def src(match: re.Match[str]) -> str:
            uri = self._image(match["url"], used)
            return f'src="{uri}"' if uri else 'src=""'

        def href(match: re.Match[str]) -> str:
            return f'href="{self.site_url}{match["url"]}"' if self.site_url else ""

        # Every src, relative and remote ones included: a PDF embeds only files the Publication lists, so a
        # body's `<img src="../../../usr/share/…">` reads nothing outside content/.
        html = re.sub(r'src="(?P<url>[^"]*)"', src, html)
        return re.sub(r'href="(?P<url>/[^"]*)"', href, html)

    # --- shared pieces ----------------------------------------------------------------------------
    def _name(self, lang: str) -> str:
        return self.settings["GAZETTE_NAME"][lang]

    def _document(self, doc: PublicDocument, lang: str, used: list[str]) -> dict[str, Any]:
        """One document's print data, its 公文 parts placed as GB/T 9704 sets them (the site's page sets the
        same parts in the same order)."""
        furniture = Furniture(lang, self.settings)
        labels = furniture.labels
        text = doc.text(lang)
        parts = text.parts
        signs_off = parts.official  # the Publication decides whether a text closes with signature and date
        count = len(doc.attachments)

        def part(value: Part | None, shown: str | None = None) -> dict[str, str] | None:
            return {"text": shown if shown is not None else value.text, "lang": value.lang} if value else None

        note = None
        if parts.note:
            note = part(parts.note, labels.note(parts.note.text, parts.note.lang))
        return {
            "anchor": f"doc-{doc.slug}",
            "lang": text.lang,
            "title": text.title,
            "title_html": title_html(text.title, text.lang, self.names),
            "doc_number": doc.doc_number,
            "author": part(parts.author),
            "addressee": part(parts.addressee, labels.addressee(parts.addressee.text, parts.addressee.lang)
                              if parts.addressee else None),
            "html": embedded_titles(self._body_html(text.main_html, used), text.lang, self.names),
            "attachments_label": labels.part("attachments", lang) + ("：" if lang == "zh" else " "),
            "attachments": [{"number": f"{labels.digits(i, lang)}." if count > 1 else "", "title": a.title}
                            for i, a in enumerate(doc.attachments, 1)] if signs_off else [],
            "signature": [part(s) for s in parts.signature],
            "date": furniture.date(doc.signed) if signs_off else "",
            "note": note,
            "embedded": embedded_titles(self._body_html(text.embedded_html, used), text.lang, self.names),
            "cc_label": labels.part("cc", lang) + ("：" if lang == "zh" else " "),
            "cc": listed([(c.text, c.lang) for c in parts.cc]),
            "printed_by": part(parts.printed_by),
            "printed_date": labels.printed(parts.printed_date, lang),
        }

    def _context(self, lang: str, meta: dict[str, Any], running_head: str) -> dict[str, Any]:
        furniture = Furniture(lang, self.settings)
        return {"lang": lang, "meta": meta, "running_head": running_head, "words": furniture.words,
                "counter_style": furniture.counter_style}

    # --- issues -----------------------------------------------------------------------------------
    def issue_job(self, issue: PublicIssue, lang: str) -> PdfJob:
        furniture = Furniture(lang, self.settings)
        used: list[str] = []
        masthead = self.settings.get("GAZETTE_MASTHEAD") or {}
        colon = furniture.word("colon")

        def value(key: str) -> str:
            item = masthead.get(key, "")
            return str(item.get(lang) or item.get(ORIGINAL_LANG, "")) if isinstance(item, dict) else str(item)

        numbers = ("telephone", "postcode")  # in the edition's digits
        shown = {key: furniture.digits(value(key)) if key in numbers else value(key) for key in masthead}
        rows = [f"{furniture.word(key)}{colon}{shown[key]}"
                for key in ("supervisor", "sponsor", "editor", "address", *numbers) if value(key)]
        names = [{"lang": lang, "text": self._name(lang)}] + [
            {"lang": other, "text": self._name(other)} for other in EDITIONS if other != lang]
        issue_line = furniture.issue(issue.year, issue.number)
        title = f"{self._name(lang)} {issue_line}"

        def photos(items: list[Any]) -> list[dict[str, str]]:
            return [{"image": uri, "caption": photo.caption(lang)} for photo in items
                    if (uri := self._image(photo.image, used))]

        meta = {
            "title": title,
            "author": value("editor"),
            "description": f"{title} {furniture.total(issue.total)}",
            "keywords": [],
            "generator": GENERATOR,
            "created": _timestamp(issue.date),
            "modified": _timestamp(issue.date),
        }
        context = self._context(lang, meta, f"{self._name(lang)}　{issue_line}")
        context.update(
            cover={"names": names, "issue": issue_line, "total": furniture.total(issue.total),
                   "date": furniture.date(issue.date), "image": self._image(issue.cover_image, used),
                   "sample": furniture.word("sample") if self.settings.get("GAZETTE_SAMPLE") else ""},
            inside_front=photos(issue.inside_front),
            inside_back=photos(issue.inside_back),
            back_cover=photos(issue.back_cover),
            masthead=rows,
            masthead_free=value("free"),
            sections=[{"id": entry.id, "title": entry.label(lang),
                       "documents": [self._document(doc, lang, used) for doc in docs]}
                      for entry, docs in issue.sections],
        )
        html = self.env.get_template("issue.html").render(context)
        outputs = (Output(urls.issue_pdf(issue.year, issue.number, lang)),
                   Output(urls.issue_pdfa(issue.year, issue.number, lang), "pdf/a-3b"))
        return PdfJob(f"{issue.key}.{lang}", "issue", html, CONTENT_URL, outputs, tuple(sorted(set(used))))

    # --- documents --------------------------------------------------------------------------------
    def document_job(self, doc: PublicDocument, lang: str) -> PdfJob:
        furniture = Furniture(lang, self.settings)
        used: list[str] = []
        text = doc.text(lang)
        publisher = doc.publisher.label(lang) if doc.publisher else ""
        metadata = [(furniture.word("index_no"), doc.index_no), (furniture.word("publisher"), publisher)]
        if doc.doc_number:
            metadata.append((furniture.word("doc_number"), doc.doc_number))
        metadata += [(furniture.word("signed"), furniture.date(doc.signed)),
                     (furniture.word("published"), furniture.date(doc.published))]
        if doc.issue is not None:
            running = f"{self._name(lang)}　{furniture.issue(doc.issue.year, doc.issue.number)}"
        else:
            running = self.settings.get("GAZETTE_SITE_NAME", {}).get(lang) or self._name(lang)
        meta = {"title": text.title, "author": publisher, "description": text.summary,
                "keywords": list(text.keywords), "generator": GENERATOR,
                "created": _timestamp(doc.signed), "modified": _timestamp(doc.published)}
        context = self._context(lang, meta, running)
        context.update(metadata=metadata, doc=self._document(doc, lang, used))
        html = self.env.get_template("document.html").render(context)
        return PdfJob(f"{doc.slug}.{lang}", "document", html, CONTENT_URL,
                      (Output(urls.document_pdf(doc.slug, lang)),), tuple(sorted(set(used))))

    # --- the application form ---------------------------------------------------------------------
    def form_job(self, lang: str) -> PdfJob:
        """The 政府信息公开申请表 on one A4 page, in the words of the site's form (the theme's UI strings)."""
        furniture = Furniture(lang, self.settings)
        install_ui_strings(self.env, lang, self.settings)
        office = application_form.office(dict(self.settings), lang)
        office["postcode"] = furniture.digits(office["postcode"])
        site_name = self.settings.get("GAZETTE_SITE_NAME", {}).get(lang) or self._name(lang)
        meta = {"title": translations(self.settings, lang).gettext("Application for government information disclosure"),
                "author": office["name"], "description": site_name, "keywords": [], "generator": GENERATOR,
                "created": _timestamp(FORM_DATE), "modified": _timestamp(FORM_DATE)}
        context = self._context(lang, meta, site_name)
        context.update(form=application_form, office=office, site_name=site_name,
                       sample=furniture.word("sample") if self.settings.get("GAZETTE_SAMPLE") else "")
        html = self.env.get_template("application_form.html").render(context)
        return PdfJob(f"{FORM_ITEM}.{lang}", "form", html, CONTENT_URL,
                      (Output(urls.application_form_pdf(lang)),))

    def jobs(self) -> list[PdfJob]:
        """Issues first (the longest renders), then every 主动公开 document in each language it has, then the
        application form in each language."""
        jobs = [self.issue_job(issue, lang) for issue in self.publication.issues for lang in EDITIONS]
        jobs += [self.document_job(doc, lang) for doc, lang in self.publication.printable_documents()]
        jobs += [self.form_job(lang) for lang in EDITIONS]
        return jobs
