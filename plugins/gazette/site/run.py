"""One run of the site stage: what the gazette hands to Pelican's generators and signal handlers.

Pelican builds its generators itself, from their classes; the run they serve is found by the output
folder they write to, registered here for the time of the run (`running`), not put into the settings.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..config import GazetteConfig
from ..publication import Publication
from ..stages import BuildDirs, Progress, StageReport
from .images import SiteImages


@dataclass
class SiteRun:
    publication: Publication
    config: GazetteConfig
    dirs: BuildDirs
    pdfs: dict[str, int]  # URL → size of every PDF, from the PDF stage's report
    progress: Progress
    digests: dict[str, str] = field(default_factory=dict)  # URL → SHA-256 of every PDF, as served
    seal: dict[str, Any] = field(default_factory=dict)  # what `seal.apply_seals` recorded ({}: nothing sealed)
    histories: dict[str, Any] = field(default_factory=dict)  # slug → history.History of each 主动公开 document
    pages: list[tuple[str, str]] = field(default_factory=list)  # (URL, language) of every page, in order
    report: StageReport = field(default_factory=lambda: StageReport("site"))
    environment: str = ""  # what every output depends on (`page_keys.environment_key`), once worked out
    images: SiteImages = field(init=False)

    def __post_init__(self) -> None:
        self.images = SiteImages(self.publication, self.dirs.cache / "images")


_RUNS: dict[str, SiteRun] = {}


def _key(output_path: str | Path) -> str:
    return str(Path(output_path).resolve())


@contextmanager
def running(run: SiteRun) -> Iterator[None]:
    key = _key(run.dirs.site)
    _RUNS[key] = run
    try:
        yield
    finally:
        _RUNS.pop(key, None)


def run_for(output_path: str | Path) -> SiteRun | None:
    return _RUNS.get(_key(output_path))
