"""The Pelican generators that write the gazette site from the Publication.

Pelican runs them like its own (context first, then output, with its Writer and the theme's Jinja
environment, whose filters and globals the plugin put into `JINJA_FILTERS` and `JINJA_GLOBALS`);
`gazette.pelican_plugin` registers them and hands each the run it belongs to.

- `GazetteSiteGenerator`: every page `site/pages.py` lists, drawn by Pelican's Writer only when its key
  (`site/page_keys.py`) changed: when the tree being written already holds the page with that key (the
  spare tree, `generations.take_spare`) it is left alone, else it is hard-linked from the last good build
  when that one has it; with each Chinese page its Traditional-character copy (`site/traditional.py`),
  and with every page its large-print copy (`site/large_print.py`), keyed the same way. Held pages no
  longer listed are removed.
- `GazetteFilesGenerator`: the attachments and images the Publication lists, and nothing else of content/
  (Pelican's own static generator, which copies whatever its paths hold, is left to the theme's files),
  and the images resized for the pages (`site/images.py`).
"""

from __future__ import annotations

import hashlib
import os
import shutil
import stat
from collections.abc import Callable
from functools import partial
from pathlib import Path
from typing import Any

from pelican.generators import Generator

from .. import urls, workers
from ..generations import COPIED, HELD, PAGE_KEYS, PAGE_PLAN, read_copied, read_page_keys, write_copied, write_page_keys
from ..render import MarkdownRenderer
from ..static_files import copy_plain_files
from ..theme import install_ui_strings
from ..workers import Job
from . import traditional
from .large_print import large_print_page
from .page_keys import KEY_LENGTH, PageKeys
from .page_plan import SEPARATOR, Plan, PlannedPage, plan_base, read_plan, write_plan
from .pages import PageSpec, seal_page, site_pages, structure
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
        pages = _PageWriter(self, writer, run, out)
        seal = seal_page(run.seal)
        plan = Plan(pages.plan_base, structure(pub, langs, seal))
        kept = read_plan(run.dirs.previous / PAGE_PLAN)
        if kept is not None and (kept.base, kept.structure) == (plan.base, plan.structure) and pages.agrees(kept):
            # The same pages, laid out the same: only those showing a changed entity are keyed again.
            digests = pages.keys.entities(kept.entities)
            for spec in site_pages(pub, langs, seal, run.histories, only=kept.touched(digests)):
                pages.page(spec)
            pages.keep_the_rest()
            pages.draw()
            plan.pages = [pages.planned.get(p.url, p) for p in kept.pages]
            run.pages[:] = kept.listing
            # What the pages keyed again show besides (an entity no page shows any more stays, harmlessly).
            shown = {name for p in pages.planned.values() for name in p.entities.split(SEPARATOR)} - {""}
            plan.entities = {**digests, **pages.keys.entities(shown - digests.keys())}
        else:
            for number, spec in enumerate(site_pages(pub, langs, seal, run.histories), 1):
                pages.page(spec)
                if number % 1000 == 0:
                    run.progress(f"  {number} pages ({pages.drawn} to draw)")
            pages.draw()
            plan.pages = list(pages.planned.values())
            shown = {name for p in plan.pages for name in p.entities.split(SEPARATOR)} - {""}
            plan.entities = pages.keys.entities(shown)
        plan.listing = list(run.pages)
        pages.remove_unlisted()
        generation = run.dirs.site.parent
        # The page records only make later builds faster (they vouch for the pages this tree holds): the
        # build writes them once the output is live. Until they are, the tree is no spare (it has no page
        # record); `HELD` goes only once the record replacing it is whole.
        keys, held = pages.new_keys, generation / HELD
        run.report.later += [lambda: write_page_keys(generation / PAGE_KEYS, keys),
                             lambda: write_plan(generation / PAGE_PLAN, plan),
                             lambda: held.unlink(missing_ok=True)]
        install_ui_strings(self.env, "zh", self.settings)
        writer.write_file("index.html", self.get_template("language_choice"), self.context, lang="zh",
                          page_url="/", pub=pub, pdfs=run.pdfs, images=run.images, settings=self.settings,
                          available=set(langs), **pages.proof)
        run.report.written, run.report.reused = pages.drawn, len(run.pages) - pages.drawn


class _PageWriter:
    """Writes one listed page and the copies made from it, each drawn only when its key changed. Every page
    is planned first (its key, the link from the last build, its place in the listing); the drawing is
    then done together (`draw`), over several processes when there is much of it (`workers.py`)."""

    def __init__(self, generator: GazetteSiteGenerator, writer, run: SiteRun, out: Path) -> None:
        self.generator, self.writer, self.run, self.out = generator, writer, run, out
        pub, settings = run.publication, generator.settings
        self.previous = run.dirs.previous / "site"
        self.old_keys = read_page_keys(run.dirs.previous / PAGE_KEYS)
        self.held = run.dirs.held  # what this tree holds already (the spare tree), by URL
        sealed = set(run.seal.get("sealed", ()))
        # A page shows each PDF's size, checksum and whether it is sealed: all three in its key.
        pdf_keys = {url: f"{size}:{run.digests.get(url, '')}:{url in sealed}" for url, size in run.pdfs.items()}
        self.keys, self.new_keys = PageKeys(pub, settings, pdf_keys, run.histories), {}
        run.environment = self.keys.base
        self.planned: dict[str, PlannedPage] = {}
        self.proof = {"digests": run.digests, "sealed": sealed}
        self.drawn = 0
        self.jobs: list[Job] = []  # per listed page that needs drawing: its drawing and its copies', in order
        self.processes = workers.processes(settings)
        self.converter = traditional.TraditionalConverter(
            pub.registry, (d.doc_number for d in pub.documents.values()), run.config.public_url)
        self.plan_base = plan_base(self.keys.base, self.keys.registry, self.converter.fingerprint,
                                   MarkdownRenderer.VERSION, run.config.langs)
        self._folders: set[Path] = set()
        self._inside = _Inside(out)

    def agrees(self, plan: Plan) -> bool:
        """Whether `plan` is the record of the build whose page keys this build starts from."""
        old = self.old_keys
        return bool(plan.pages) and all(old.get(p.url) == p.key for p in plan.pages)

    def page(self, spec: PageSpec) -> None:
        langs = list(self.run.config.langs)
        context = {"available": set(langs), **spec.context}
        key, entities = self.keys.key_and_entities(spec.url, spec.lang, context)
        self.planned[spec.url] = PlannedPage(spec.url, spec.lang, key, SEPARATOR.join(sorted(entities)))
        work: list[Job] = []
        self._one(spec.url, spec.lang, key, lambda name: self._draw(name, spec, context), work)
        if urls.has_traditional(spec.url):
            # Made from the Chinese page's HTML: it shows what that page shows, converted.
            source = self.out / urls.output_path(spec.url)
            self._one(urls.traditional(spec.url), urls.TRADITIONAL_LANG, _derived(key, self.converter.fingerprint),
                      lambda name: self._write(name, self.converter.page(source.read_text(encoding="utf-8"))),
                      work)
        if work:
            self.jobs.append(work[0] if len(work) == 1 else partial(_in_order, work))

    def draw(self) -> None:
        """Draw what the planned pages need; the copies of a page in the same process, after it."""
        jobs, self.jobs = self.jobs, []
        shared = workers.run_jobs(jobs, self.processes,
                                  lambda done, total: self.run.progress(f"  {done} of {total} pages drawn"))
        if shared > 1:
            self.run.progress(f"  {len(jobs)} pages drawn by {shared} processes")

    def keep_the_rest(self) -> None:
        """Every file of the last good build not keyed again keeps its key: left alone when this tree holds
        it with that key, else linked from there (a page whose file is missing there is drawn)."""
        missing: set[str] = set()
        keyed = self.new_keys
        held = self.held.get
        for url, key in self.old_keys.items():
            if url in keyed or held(url) == key:  # keyed again, or held as it is
                continue
            name = urls.output_path(url)
            if self.held:
                self._inside.make_way(name)
            if url in self.held:
                (self.out / name).unlink(missing_ok=True)  # possibly a link to the live tree's file
            if not _reuse(self.previous / name, self.out / name):
                missing.add(urls.simplified(urls.standard_print(url)))
        self.new_keys = {**self.old_keys, **keyed}
        if missing:
            run = self.run
            for spec in site_pages(run.publication, list(run.config.langs), seal_page(run.seal), run.histories,
                                   only=missing):
                self.page(spec)

    def _one(self, url: str, lang: str, key: str, draw: Callable[[str], None], work: list[Job]) -> None:
        """The page at `url` (to draw, or taken from the last build now), then its large-print copy (made from
        the page's file, once it is drawn)."""
        name = urls.output_path(url)
        if self._needed(url, key):
            work.append(lambda: draw(name))
            self.drawn += 1
        self.run.pages.append((url, lang))
        if urls.has_large_print(url):
            large = urls.large_print(url)
            if self._needed(large, _derived(key, "large")):
                work.append(lambda: self._write(urls.output_path(large),
                                                large_print_page((self.out / name).read_text(encoding="utf-8"))))

    def _needed(self, url: str, key: str) -> bool:
        """Whether the file at `url` must be made: not when this tree holds it with `key` (nothing to do),
        nor when the last good build has it with `key` (linked from there)."""
        self.new_keys[url] = key
        held = self.held.get(url)
        if held == key:
            return False
        name = urls.output_path(url)
        if self.held:  # a tree written before (the spare): no link on the way to what is written
            self._inside.make_way(name)
        if held is not None:
            # Possibly a link to the live tree's file: replaced, never written through.
            (self.out / name).unlink(missing_ok=True)
        return not (self.old_keys.get(url) == key and _reuse(self.previous / name, self.out / name))

    def remove_unlisted(self) -> None:
        """Remove the held pages this build does not list, and the folders they leave empty."""
        inside = _Inside(self.out)
        for url in self.held.keys() - self.new_keys.keys():
            _remove_file(self.out, urls.output_path(url), inside)

    def _write(self, name: str, html: str) -> None:
        path = self.out / name
        if path.parent not in self._folders:
            path.parent.mkdir(parents=True, exist_ok=True)
            self._folders.add(path.parent)
        path.write_text(html, encoding="utf-8")

    def _draw(self, name: str, spec: PageSpec, context: dict[str, Any]) -> None:
        generator, run = self.generator, self.run
        install_ui_strings(generator.env, spec.lang, generator.settings)
        self.writer.write_file(name, generator.get_template(spec.template.removesuffix(".html")),
                               generator.context, lang=spec.lang, page_url=spec.url, pub=run.publication,
                               pdfs=run.pdfs, images=run.images, settings=generator.settings, **self.proof,
                               **context)


class GazetteFilesGenerator(_RunGenerator):
    def generate_output(self, writer) -> None:
        """The files the Publication lists (attachments of public documents, images that published content
        uses), and nothing else of content/; never through a symbolic link, never outside the web root."""
        if self.run is not None:
            pub, out = self.run.publication, Path(self.output_path)
            generation = self.run.dirs.site.parent
            copied = read_copied(self.run.dirs.previous / COPIED)
            recorded = self.run.dirs.held_files
            # What the tree being written holds (the spare), as its record says, where that is a plain
            # file inside the site (a record or a tree altered by hand is not taken on its word).
            inside = _Inside(out)
            if recorded:  # a tree written before (the spare): no link on the way to what is written
                for rel in {*recorded, *pub.static_files}:
                    inside.make_way(rel)
            held = {rel: digest for rel, digest in recorded.items() if _plain_file_inside(out, rel, inside)}
            # A held file with the SHA-256 listed stays; one with other bytes, or no longer listed, goes,
            # with the folders it leaves empty (their names are slugs). A held file may be a link shared
            # with the live tree: unlinked, never written through.
            for rel in recorded:
                if pub.static_files.get(rel) != held.get(rel):
                    _remove_file(out, rel, inside)
            # A file the last good build copied with the same SHA-256 is linked from there: its bytes are
            # the ones listed. Any other is copied from content/.
            fresh = [rel for rel, digest in pub.static_files.items() if held.get(rel) != digest and (
                     copied.get(rel) != digest or not _reuse(self.run.dirs.previous / "site" / rel, out / rel))]
            copy_plain_files(pub.content_root, fresh, out)
            write_copied(generation / COPIED, pub.static_files)
            self.run.images.write(pub, out)


class _Inside:
    """Whether a name is of a place under `out` reached through plain folders: relative, no `..`, and no
    link on the way (one planted in a spare tree would have a write or a removal land elsewhere: outside
    the output, or on another page). Each folder is resolved once for the run (a spare's 800 attachments
    share their year folders)."""

    def __init__(self, out: Path) -> None:
        self.out, self.root = out, out.resolve()
        self.folders: dict[str, bool] = {}

    def __call__(self, rel: str) -> bool:
        parts = rel.split("/")
        if not rel or rel.startswith("/") or ".." in parts or "" in parts or "." in parts:
            return False
        folder = rel.rpartition("/")[0]
        if folder not in self.folders:
            self.folders[folder] = (self.out / rel).parent.resolve() == self.root.joinpath(*parts[:-1])
        return self.folders[folder]

    def make_way(self, rel: str) -> None:
        """Unlink the links on the way to `rel` in a spare tree altered by hand (the link goes, never what it
        names; the folder is made anew when written), so that writing or removing `rel` stays in the tree."""
        if self(rel) or not rel or rel.startswith("/") or ".." in rel.split("/"):
            return
        path = self.out
        for part in rel.split("/")[:-1]:
            path = path / part
            if path.is_symlink():
                path.unlink()
                break
        self.folders.clear()


def _plain_file_inside(out: Path, rel: str, inside: _Inside) -> bool:
    if not inside(rel):
        return False
    try:
        return stat.S_ISREG(os.lstat(out / rel).st_mode)
    except OSError:
        return False


def _remove_file(out: Path, rel: str, inside: _Inside) -> None:
    """Remove `rel` under `out`, and the folders that leaves empty; nothing when `rel` leads out of it."""
    if not inside(rel):
        return
    path = out / rel
    path.unlink(missing_ok=True)
    for folder in path.parents:
        if folder == out:
            break
        try:
            folder.rmdir()
        except OSError:
            break


def _in_order(jobs: list[Job]) -> None:
    for job in jobs:
        job()


def _derived(key: str, what: str) -> str:
    """The key of a copy made from the page with `key` by `what` (its digest: records stay small)."""
    return hashlib.sha256(f"{key}:{what}".encode()).hexdigest()[:KEY_LENGTH]


def _reuse(previous: Path, target: Path) -> bool:
    """Take an unchanged file from the last good build (a hard link: no bytes copied)."""
    if previous.is_symlink() or not previous.is_file():
        return False
    target.parent.mkdir(parents=True, exist_ok=True)
    try:
        os.link(previous, target)
    except OSError:
        shutil.copy2(previous, target)
    return True


