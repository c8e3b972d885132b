"""The Pelican generator that writes the gazette site from the Publication.

Pelican runs it like its own generators (context first, then output, with its Writer and the theme's
Jinja environment); the plugin in `gazette.pelican_plugin` registers it.
"""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path

from pelican.generators import Generator

from .. import urls
from ..publication import Publication
from ..static_files import copy_plain_files
from . import feeds, opendata, sitemap
from .page_keys import PageKeys
from .pages import site_pages
from .templates import environment, translations

# Which key each page of the site had when drawn; kept beside build/site and swapped in with it.
PAGE_KEYS = ".site-pages.json"


class GazetteSiteGenerator(Generator):
    def generate_context(self) -> None:
        self.publication: Publication | None = self.settings.get("GAZETTE_PUBLICATION")
        environment(self.settings, self.env)

    def generate_output(self, writer) -> None:
        pub = self.publication
        if pub is None:
            return
        langs = list(self.settings.get("GAZETTE_LANGS", ["zh", "bo"]))
        progress = self.settings.get("GAZETTE_PROGRESS") or (lambda message: None)
        out = Path(self.output_path)
        pdfs = _pdf_sizes(out)
        dirs = self.settings.get("GAZETTE_BUILD_DIRS")
        previous = dirs.previous / "site" if dirs else None
        old_keys = read_page_keys(dirs.previous / PAGE_KEYS) if dirs else {}
        keys, new_keys = PageKeys(pub, self.settings, pdfs), {}
        written: list[tuple[str, str]] = []  # (url, lang) of every HTML page, for the sitemap
        drawn = 0
        for number, spec in enumerate(site_pages(pub, langs), 1):
            context = {"available": set(langs), **spec.context}
            name = urls.output_path(spec.url)
            new_keys[spec.url] = key = keys.key(spec.url, spec.lang, context)
            if not (previous and old_keys.get(spec.url) == key and _reuse(previous / name, out / name)):
                self.env.install_gettext_translations(translations(self.settings, spec.lang), newstyle=True)
                writer.write_file(name, self.get_template(spec.template.removesuffix(".html")), self.context,
                                  lang=spec.lang, page_url=spec.url, pub=pub, pdfs=pdfs, settings=self.settings,
                                  **context)
                drawn += 1
            written.append((spec.url, spec.lang))
            if number % 1000 == 0:
                progress(f"  {number} pages ({drawn} drawn)")
        if dirs:
            write_page_keys(dirs.site.parent / PAGE_KEYS, new_keys)
        self.env.install_gettext_translations(translations(self.settings, "zh"), newstyle=True)
        writer.write_file("index.html", self.get_template("language_choice"), self.context, lang="zh",
                          page_url="/", pub=pub, pdfs=pdfs,
                          settings=self.settings, available=set(langs))
        _copy_static(pub, out)
        _require_web_fonts()
        feeds.write_feeds(pub, out, self.settings, langs)
        opendata.write_open_data(pub, out, self.settings)
        sitemap.write_sitemap(out, written, self.settings)
        progress(f"  {len(written) + 1} pages, {drawn} drawn, {len(written) - drawn} unchanged")
        self.pages_drawn = drawn


def _reuse(previous: Path, target: Path) -> bool:
    """Take an unchanged page from the last good build (a hard link: no bytes copied)."""
    if not previous.is_file():
        return False
    target.parent.mkdir(parents=True, exist_ok=True)
    try:
        os.link(previous, target)
    except OSError:
        shutil.copy2(previous, target)
    return True


def read_page_keys(path: Path) -> dict[str, str]:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        return data if isinstance(data, dict) else {}
    except (OSError, ValueError):
        return {}


def write_page_keys(path: Path, keys: dict[str, str]) -> None:
    path.write_text(json.dumps(keys, separators=(",", ":")), encoding="utf-8")


def _pdf_sizes(out: Path) -> dict[str, int]:
    """URL → size of every PDF the pdf stage has already written into the staging web root."""
    folder = out / "pdf"
    if not folder.is_dir():
        return {}
    return {"/" + p.relative_to(out).as_posix(): p.stat().st_size for p in folder.rglob("*.pdf")}


def _copy_static(pub: Publication, out: Path) -> None:
    """The files the Publication lists (attachments of public documents, images that published content
    uses), and nothing else of content/; never through a symbolic link, never outside the web root."""
    copy_plain_files(pub.content_root, pub.static_files, out)


def _require_web_fonts() -> None:
    """Pelican copies the theme's static files (web fonts included); a missing one is an error, not boxes."""
    from ..fonts import WEB_FONTS, font_path

    for web_font in WEB_FONTS.values():
        font_path(web_font)
