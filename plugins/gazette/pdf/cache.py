"""Rendered PDFs under `<output>/.cache/pdf/`, named by a key of everything that shapes them.

The key hashes what the renderer reads and nothing else: the job's HTML (everything the PDF prints: its
language's text and parts, the fields of the original it shows, the furniture drawn from the settings), the
paths and bytes of the images it embeds, the print theme (templates and CSS), the pinned fonts' checksums,
the settings that shape a PDF, and the versions of WeasyPrint and pydyf. Not the document's or issue's
`content_hash`: that covers every language's source, so an edit of the Chinese text would re-render the
Tibetan PDF, which does not print it. A build with nothing changed finds every key and renders nothing.

Each entry sits in a folder named for its job (`<slug>.<lang>`, `<year>-<NN>.<lang>`,
`form.application.<lang>`), so that every build, whichever stages it runs, can drop the renderings of
items that are no longer published (`drop_unpublished`): a document made 不予公开 leaves no PDF behind,
not even in the cache.
"""

from __future__ import annotations

import hashlib
import os
import re
import shutil
from pathlib import Path

from ..publication import Publication
from ..static_files import read_plain_file
from .html import FORM_ITEM, Output, PdfJob

# Raise when the rendering code changes what it writes (options, post-processing).
RENDER_VERSION = "1"
_SAFE_NAME = re.compile(r"^[a-z0-9][a-z0-9.-]*\Z")


def environment_key(theme: str, fonts: str, settings: str) -> str:
    from importlib.metadata import version

    # Read from the package metadata: importing WeasyPrint here would load Pango into the parent process.
    return _hash(RENDER_VERSION, theme, fonts, settings, version("weasyprint"), version("pydyf"))


def job_key(job: PdfJob, environment: str, content_root: Path) -> str:
    images = [hashlib.sha256(read_plain_file(content_root, image)).hexdigest() for image in job.images]
    # The worker renders job.html with these images and the environment's style sheets and fonts, and
    # reads nothing else (its fetcher is confined to them): these determine the PDF's bytes.
    return _hash(environment, job.kind, job.html, *job.images, *images)


def _hash(*parts: str) -> str:
    h = hashlib.sha256()
    for part in parts:
        h.update(part.encode())
        h.update(b"\0")
    return h.hexdigest()


class PdfCache:
    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.folder.mkdir(parents=True, exist_ok=True)

    def path(self, name: str, key: str, output: Output) -> Path:
        if not _SAFE_NAME.match(name):
            raise ValueError(f"not a PDF job name: {name!r}")
        suffix = ".pdfa.pdf" if output.variant else ".pdf"
        return self.folder / name / f"{key}{suffix}"

    def has(self, name: str, key: str, outputs: tuple[Output, ...]) -> bool:
        return all(self.path(name, key, output).is_file() for output in outputs)

    @staticmethod
    def digest_file(source: Path) -> Path:
        return source.with_name(source.name + ".sha256")

    def digest(self, source: Path) -> str:
        """The SHA-256 of a cached PDF, from the file beside it (written once: an entry never changes), so
        that a build with nothing changed does not read every PDF again to publish its checksum."""
        sidecar = self.digest_file(source)
        try:
            known = sidecar.read_text(encoding="ascii").strip()
            if re.fullmatch(r"[0-9a-f]{64}", known):
                return known
        except OSError:
            pass
        h = hashlib.sha256()
        with source.open("rb") as handle:
            for block in iter(lambda: handle.read(1 << 20), b""):
                h.update(block)
        partial = sidecar.with_name(f".{sidecar.name}.{os.getpid()}.part")
        partial.write_text(h.hexdigest(), encoding="ascii")
        partial.replace(sidecar)
        return h.hexdigest()

    def place(self, source: Path, target: Path) -> None:
        """Put a cached PDF into the web root: a hard link where the file system allows, else a copy."""
        target.parent.mkdir(parents=True, exist_ok=True)
        target.unlink(missing_ok=True)
        try:
            os.link(source, target)
        except OSError:
            shutil.copyfile(source, target)

    def drop_unpublished(self, items: set[str]) -> int:
        """Remove the entries of every job whose item (a document's slug, an issue's `<year>-<NN>`, the
        application form) is not in `items`, the items published now; returns how many PDFs went (with their
        checksum files)."""
        removed = 0
        for folder in self.folder.iterdir():
            if folder.name.rsplit(".", 1)[0] not in items:
                removed += sum(1 for p in folder.rglob("*.pdf") if p.is_file()) if folder.is_dir() else 1
                shutil.rmtree(folder) if folder.is_dir() and not folder.is_symlink() else folder.unlink()
        return removed

    def prune(self, keep: set[Path]) -> int:
        """Remove the entries the current build did not use; returns how many PDFs went (with their
        checksum files)."""
        removed = 0
        for path in self.folder.rglob("*"):
            if path.is_file() and path not in keep:
                path.unlink()
                removed += path.suffix == ".pdf"
        for folder in self.folder.iterdir():
            if folder.is_dir() and not any(folder.iterdir()):
                folder.rmdir()
        return removed


def drop_unpublished(cache: Path, publication: Publication) -> int:
    """Called by every build: forget the renderings of what is no longer published."""
    folder = cache / "pdf"
    if not folder.is_dir():
        return 0
    items = {doc.slug for doc in publication.full_documents()} | {issue.key for issue in publication.issues}
    items.add(FORM_ITEM)  # the application form is printed whatever is published
    return PdfCache(folder).drop_unpublished(items)
