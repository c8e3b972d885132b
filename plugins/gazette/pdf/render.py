"""HTML → PDF bytes with WeasyPrint, in a worker process.

Two things keep the output a product of the project's files alone:
- Fontconfig is given an empty configuration while WeasyPrint's font configuration is made, so only the
  @font-face files (the pinned fonts) exist for it: a machine's own fonts can neither fill in a missing
  glyph nor change a metric. A missing glyph shows as a box in our own output, where the tests see it.
- The URL fetcher reads local files only: a PDF build never reaches the network.

And two make it byte-for-byte repeatable: the creation and modification dates come from the content
(the <meta> elements of the HTML), and the file identifier is derived from the file's bytes.
"""

from __future__ import annotations

import os
import shutil
import tempfile
import time
import warnings
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import unquote

from ..static_files import read_plain_file

_EMPTY_FONTCONFIG = ('<?xml version="1.0"?>\n<!DOCTYPE fontconfig SYSTEM "urn:fontconfig:fonts.dtd">\n'
                     "<fontconfig></fontconfig>\n")


@dataclass(frozen=True)
class Roots:
    """Where the fixed URLs point on this machine, and which content files a job may read."""

    content: str
    fonts: str
    images: frozenset[str] = frozenset()


@dataclass(frozen=True)
class RenderTask:
    """What a worker needs: plain data only (WeasyPrint's objects cannot be pickled)."""

    name: str
    html: str
    base_url: str
    stylesheets: tuple[str, ...]
    targets: tuple[tuple[str, str | None], ...]  # (file to write, pdf_variant)
    roots: Roots  # what the fixed URLs of the HTML and style sheets stand for


@dataclass(frozen=True)
class RenderResult:
    name: str
    pages: int
    seconds: float


class _Worker:
    """Per-process state: one font configuration and the compiled style sheets, reused across tasks."""

    def __init__(self) -> None:
        self.font_config: Any = None
        self.stylesheets: dict[tuple[tuple[str, ...], str], list[Any]] = {}

    def font_configuration(self) -> Any:
        if self.font_config is None:
            from weasyprint.text.fonts import FontConfiguration

            with tempfile.TemporaryDirectory() as folder:
                conf = Path(folder) / "fonts.conf"
                conf.write_text(_EMPTY_FONTCONFIG, encoding="utf-8")
                previous = os.environ.get("FONTCONFIG_FILE")
                os.environ["FONTCONFIG_FILE"] = str(conf)
                try:
                    self.font_config = FontConfiguration()
                    # WeasyPrint copies the @font-face files into a temporary folder of its own (about
                    # 100 MB with the pinned fonts) and removes it in FontConfiguration.__del__, which a
                    # pool's worker never runs: it ends with os._exit. Multiprocessing's exit handlers do
                    # run (in a worker and, through atexit, in the main process), so remove it there.
                    from multiprocessing import util

                    util.Finalize(self, _remove_font_folder, args=(self.font_config,), exitpriority=0)
                finally:
                    if previous is None:
                        del os.environ["FONTCONFIG_FILE"]
                    else:
                        os.environ["FONTCONFIG_FILE"] = previous
        return self.font_config

    def css(self, texts: tuple[str, ...], roots: Roots) -> list[Any]:
        key = (texts, roots.fonts)
        if key not in self.stylesheets:
            from weasyprint import CSS

            fetcher = url_fetcher(Roots(roots.content, roots.fonts))
            self.stylesheets[key] = [CSS(string=text, font_config=self.font_configuration(), url_fetcher=fetcher)
                                     for text in texts]
        return self.stylesheets[key]


def _remove_font_folder(font_config: Any) -> None:
    folder = getattr(font_config, "_folder", None)  # WeasyPrint's; None until a font face is added
    if folder:
        shutil.rmtree(folder, ignore_errors=True)


_WORKER = _Worker()


# The PDFs name what they embed by URL (WeasyPrint names an image by the MD5 of its URL), so the print HTML
# uses these fixed URLs rather than the files' places on this machine: the same content gives the same
# bytes wherever the project is checked out. The fetcher maps them back, and reads nothing else.
VIRTUAL_ROOT = "file:///gazette/"
CONTENT_URL = VIRTUAL_ROOT + "content/"
FONTS_URL = VIRTUAL_ROOT + "fonts/"


def url_fetcher(roots: Roots) -> Any:
    """WeasyPrint's fetcher confined to the files a PDF may embed: the job's listed images under the
    content folder and the pinned fonts; never a symlink, never anything else, never the network."""
    from weasyprint import URLFetcher
    from weasyprint.urls import URLFetcherResponse

    class _Response(URLFetcherResponse):
        def __init__(self, url: str, body: bytes, path: str) -> None:
            super().__init__(url, body)
            self._path = path

        @property
        def path(self) -> str:  # the real file, for WeasyPrint's pass-through of JPEG data
            return self._path

    class ConfinedFetcher(URLFetcher):
        def fetch(self, url: str, headers: Any = None) -> Any:
            for prefix, folder, allowed in ((CONTENT_URL, roots.content, roots.images),
                                            (FONTS_URL, roots.fonts, None)):
                if url.startswith(prefix):
                    rel = unquote(url[len(prefix):].split("?", 1)[0])
                    if (allowed is not None and rel not in allowed) or (allowed is None and "/" in rel):
                        break
                    root = Path(folder)
                    return _Response(url, read_plain_file(root, rel), str(root / rel))
            raise ValueError(f"not a file this PDF may embed: {url}")

    return ConfinedFetcher(fail_on_errors=True)




def render(task: RenderTask) -> RenderResult:
    """Render one HTML document and write each target PDF (the plain one and, for issues, PDF/A-3b)."""
    from weasyprint import HTML

    started = time.monotonic()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # "no fonts configured": intended, only @font-face fonts exist
        font_config = _WORKER.font_configuration()
    document = HTML(string=task.html, base_url=task.base_url, url_fetcher=url_fetcher(task.roots)).render(
        font_config=font_config, stylesheets=_WORKER.css(task.stylesheets, task.roots))
    for target, variant in task.targets:
        # pdf_identifier=True: pydyf derives the file identifier from the file's own bytes (an MD5 of the
        # body), so it is fixed by the content instead of being random or absent.
        data = document.write_pdf(pdf_variant=variant, pdf_identifier=True)
        path = Path(target)
        path.parent.mkdir(parents=True, exist_ok=True)
        partial = path.with_name(f".{path.name}.{os.getpid()}.part")
        partial.write_bytes(data)
        partial.replace(path)  # a cache entry is complete or absent
    return RenderResult(task.name, len(document.pages), time.monotonic() - started)
