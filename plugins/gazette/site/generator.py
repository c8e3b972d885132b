"""The Pelican generators that write the gazette site from the Publication.

Pelican runs them like its own (context first, then output, with its Writer and the theme's Jinja
environment, whose filters and globals the plugin put into `JINJA_FILTERS` and `JINJA_GLOBALS`);
`gazette.pelican_plugin` registers them and hands each the run it belongs to.

- `GazetteSiteGenerator`: every page `site/pages.py` lists, drawn by Pelican's Writer, or hard-linked from
  the last good build when its key (`site/page_keys.py`) is unchanged.
- `GazetteFilesGenerator`: the attachments and images the Publication lists, and nothing else of content/
  (Pelican's own static generator, which copies whatever its paths hold, is left to the theme's files),
  and the images resized for the pages (`site/images.py`).
"""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path

from pelican.generators import Generator

from .. import urls
from ..generations import PAGE_KEYS
from ..static_files import copy_plain_files
from ..theme import translations
from .page_keys import PageKeys
from .pages import site_pages
from .run import SiteRun, run_for


class _RunGenerator(Generator):
    """A generator that works for one gazette run (none: a Pelican run that is not the gazette's)."""

    run: SiteRun | None

    def generate_context(self) -> None:
        self.run = run_for(self.output_path)


class GazetteSiteGenerator(_RunGenerator):
    def generate_output(self, writer) -> None:
        run = self.run
        if run is None:
            return
        pub, langs, out = run.publication, list(run.config.langs), Path(self.output_path)
        previous = run.dirs.previous / "site"
        old_keys = read_page_keys(run.dirs.previous / PAGE_KEYS)
        keys, new_keys = PageKeys(pub, self.settings, run.pdfs), {}
        drawn = 0
        for number, spec in enumerate(site_pages(pub, langs), 1):
            context = {"available": set(langs), **spec.context}
            name = urls.output_path(spec.url)
            new_keys[spec.url] = key = keys.key(spec.url, spec.lang, context)
            if not (old_keys.get(spec.url) == key and _reuse(previous / name, out / name)):
                self.env.install_gettext_translations(translations(self.settings, spec.lang), newstyle=True)
                writer.write_file(name, self.get_template(spec.template.removesuffix(".html")), self.context,
                                  lang=spec.lang, page_url=spec.url, pub=pub, pdfs=run.pdfs,
                                  images=run.images, settings=self.settings, **context)
                drawn += 1
            run.pages.append((spec.url, spec.lang))
            if number % 1000 == 0:
                run.progress(f"  {number} pages ({drawn} drawn)")
        write_page_keys(run.dirs.site.parent / PAGE_KEYS, new_keys)
        self.env.install_gettext_translations(translations(self.settings, "zh"), newstyle=True)
        writer.write_file("index.html", self.get_template("language_choice"), self.context, lang="zh",
                          page_url="/", pub=pub, pdfs=run.pdfs, settings=self.settings, available=set(langs))
        run.report.written, run.report.reused = drawn, len(run.pages) - drawn


class GazetteFilesGenerator(_RunGenerator):
    def generate_output(self, writer) -> None:
        """The files the Publication lists (attachments of public documents, images that published content
        uses), and nothing else of content/; never through a symbolic link, never outside the web root."""
        if self.run is not None:
            pub = self.run.publication
            copy_plain_files(pub.content_root, pub.static_files, Path(self.output_path))
            self.run.images.write(pub, Path(self.output_path))


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
