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
import tempfile
import time
import warnings
from dataclasses import dataclass
from pathlib import Path
from typing import Any

_EMPTY_FONTCONFIG = ('<?xml version="1.0"?>\n<!DOCTYPE fontconfig SYSTEM "urn:fontconfig:fonts.dtd">\n'
                     "<fontconfig></fontconfig>\n")


@dataclass(frozen=True)
class RenderTask:
    """What a worker needs: plain data only (WeasyPrint's objects cannot be pickled)."""

    name: str
    html: str
    base_url: str
    stylesheets: tuple[str, ...]
    targets: tuple[tuple[str, str | None], ...]  # (file to write, pdf_variant)


@dataclass(frozen=True)
class RenderResult:
    name: str
    pages: int
    seconds: float


class _Worker:
    """Per-process state: one font configuration and the compiled style sheets, reused across tasks."""

    def __init__(self) -> None:
        self.font_config: Any = None
        self.stylesheets: dict[tuple[str, ...], list[Any]] = {}

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
                finally:
                    if previous is None:
                        del os.environ["FONTCONFIG_FILE"]
                    else:
                        os.environ["FONTCONFIG_FILE"] = previous
        return self.font_config

    def css(self, texts: tuple[str, ...]) -> list[Any]:
        if texts not in self.stylesheets:
            from weasyprint import CSS

            self.stylesheets[texts] = [CSS(string=text, font_config=self.font_configuration(),
                                           url_fetcher=url_fetcher()) for text in texts]
        return self.stylesheets[texts]


_WORKER = _Worker()


def url_fetcher() -> Any:
    from weasyprint import URLFetcher

    return URLFetcher(allowed_protocols={"file"}, fail_on_errors=True)


def render(task: RenderTask) -> RenderResult:
    """Render one HTML document and write each target PDF (the plain one and, for issues, PDF/A-3b)."""
    from weasyprint import HTML

    started = time.monotonic()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # "no fonts configured": intended, only @font-face fonts exist
        font_config = _WORKER.font_configuration()
    document = HTML(string=task.html, base_url=task.base_url, url_fetcher=url_fetcher()).render(
        font_config=font_config, stylesheets=_WORKER.css(task.stylesheets))
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
