"""Rendered PDFs under `<output>/.cache/pdf/`, named by a key of everything that shapes them.

The key hashes the job's content hash (document or issue, from the Publication), its HTML (which holds
the furniture drawn from the settings), the bytes of the images it embeds, the print theme (templates
and CSS), the pinned fonts' checksums, the settings that shape a PDF, and the versions of WeasyPrint
and pydyf. A build with nothing changed finds every key and renders nothing.
"""

from __future__ import annotations

import hashlib
import os
import shutil
from pathlib import Path

from .html import Output, PdfJob

# Raise when the rendering code changes what it writes (options, post-processing).
RENDER_VERSION = "1"


def environment_key(theme: str, fonts: str, settings: str) -> str:
    from importlib.metadata import version

    # Read from the package metadata: importing WeasyPrint here would load Pango into the parent process.
    return _hash(RENDER_VERSION, theme, fonts, settings, version("weasyprint"), version("pydyf"))


def job_key(job: PdfJob, environment: str, content_root: Path) -> str:
    images = [hashlib.sha256((content_root / image).read_bytes()).hexdigest() for image in job.images]
    return _hash(environment, job.kind, job.content_hash, job.html, *job.images, *images)


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

    def path(self, key: str, output: Output) -> Path:
        suffix = ".pdfa.pdf" if output.variant else ".pdf"
        return self.folder / key[:2] / f"{key}{suffix}"

    def has(self, key: str, outputs: tuple[Output, ...]) -> bool:
        return all(self.path(key, output).is_file() for output in outputs)

    def place(self, source: Path, target: Path) -> None:
        """Put a cached PDF into the web root: a hard link where the file system allows, else a copy."""
        target.parent.mkdir(parents=True, exist_ok=True)
        target.unlink(missing_ok=True)
        try:
            os.link(source, target)
        except OSError:
            shutil.copyfile(source, target)

    def prune(self, keep: set[Path]) -> int:
        """Remove the entries the current build did not use; returns how many."""
        removed = 0
        for path in self.folder.rglob("*"):
            if path.is_file() and path not in keep:
                path.unlink()
                removed += 1
        for folder in self.folder.iterdir():
            if folder.is_dir() and not any(folder.iterdir()):
                folder.rmdir()
        return removed
