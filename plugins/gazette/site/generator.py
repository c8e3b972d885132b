"""The Pelican generator that writes the gazette site from the Publication.

Pelican runs it like its own generators (context first, then output, with its Writer and the theme's
Jinja environment); the plugin in `gazette.pelican_plugin` registers it.
"""

from __future__ import annotations

import shutil
from pathlib import Path

from pelican.generators import Generator

from .. import urls
from ..publication import Publication
from . import feeds, opendata, sitemap
from .pages import site_pages
from .templates import environment, translations


class GazetteSiteGenerator(Generator):
    def generate_context(self) -> None:
        self.publication: Publication | None = self.settings.get("GAZETTE_PUBLICATION")
        environment(self.settings, self.env)

    def generate_output(self, writer) -> None:  # noqa: ANN001 (Pelican's Writer)
        pub = self.publication
        if pub is None:
            return
        langs = list(self.settings.get("GAZETTE_LANGS", ["zh", "bo"]))
        progress = self.settings.get("GAZETTE_PROGRESS") or (lambda message: None)
        out = Path(self.output_path)
        pdfs = _pdf_sizes(out)
        written: list[tuple[str, str]] = []  # (url, lang) of every HTML page, for the sitemap
        for number, spec in enumerate(site_pages(pub, langs), 1):
            self.env.install_gettext_translations(translations(self.settings, spec.lang), newstyle=True)
            writer.write_file(
                urls.output_path(spec.url), self.get_template(spec.template.removesuffix(".html")), self.context,
                lang=spec.lang, page_url=spec.url, pub=pub, pdfs=pdfs, settings=self.settings,
                **{"available": set(langs), **spec.context})
            written.append((spec.url, spec.lang))
            if number % 500 == 0:
                progress(f"  {number} pages")
        self.env.install_gettext_translations(translations(self.settings, "zh"), newstyle=True)
        writer.write_file("index.html", self.get_template("language_choice"), self.context, lang="zh",
                          page_url="/", pub=pub, pdfs=pdfs,
                          settings=self.settings, available=set(langs))
        _copy_static(pub, out)
        _require_web_fonts()
        feeds.write_feeds(pub, out, self.settings, langs)
        opendata.write_open_data(pub, out, self.settings)
        sitemap.write_sitemap(out, written, self.settings)
        progress(f"  {len(written) + 1} pages")


def _pdf_sizes(out: Path) -> dict[str, int]:
    """URL → size of every PDF the pdf stage has already written into the staging web root."""
    folder = out / "pdf"
    if not folder.is_dir():
        return {}
    return {"/" + p.relative_to(out).as_posix(): p.stat().st_size for p in folder.rglob("*.pdf")}


def _copy_static(pub: Publication, out: Path) -> None:
    """Attachments of public documents and the images published content uses; nothing else of content/."""
    for rel in sorted(pub.static_files):
        source = pub.content_root / rel
        if source.is_file():
            target = out / rel
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, target)


def _require_web_fonts() -> None:
    """Pelican copies the theme's static files (web fonts included); a missing one is an error, not boxes."""
    from ..fonts import WEB_FONTS, font_path

    for web_font in WEB_FONTS.values():
        font_path(web_font)
