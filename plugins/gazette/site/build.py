"""The site stage of `gazette build`: Pelican, with the gazette plugin, writes the web root."""

from __future__ import annotations

import contextlib
import io
import time
from collections.abc import Mapping
from typing import Any

from ..checksums import pdf_digests
from ..config import GazetteConfig
from ..history import histories
from ..publication import Publication
from ..seal import read_record
from ..stages import BuildDirs, Progress, StageReport
from ..webfont import kept_labels
from .run import SiteRun, running

PLUGIN = "gazette.pelican_plugin"


def write_site(publication: Publication, dirs: BuildDirs, settings: Mapping[str, Any], progress: Progress,
               reports: Mapping[str, StageReport]) -> StageReport:
    from pelican import Pelican

    started = time.monotonic()
    config = GazetteConfig.from_settings(settings)
    _require_web_fonts(config)
    site_settings = {**settings, "OUTPUT_PATH": str(dirs.site), "DELETE_OUTPUT_DIRECTORY": False}
    if PLUGIN not in site_settings.get("PLUGINS", []):
        site_settings["PLUGINS"] = [*site_settings.get("PLUGINS", []), PLUGIN]
    pdfs = dict(reports["pdf"].files) if "pdf" in reports else {}
    # The PDF stage's checksums (sealed copies' included); read from the files for a stage carried over.
    known = getattr(reports.get("pdf"), "digests", None) or {}
    digests = known if set(known) >= set(pdfs) else pdf_digests(dirs.site, list(pdfs))
    run = SiteRun(publication, config, dirs, pdfs, progress, digests=digests,
                  seal=read_record(dirs.site.parent), histories=histories(publication, dirs.cache))
    with running(run), kept_labels(dirs.cache / "webfont"), contextlib.redirect_stdout(io.StringIO()):
        # Pelican prints a summary of its own articles and pages, of which the gazette has none (its pages
        # come from its own generator); the gazette reports its own progress.
        Pelican(site_settings).run()
    report = run.report
    report.seconds = time.monotonic() - started
    progress(f"  {len(run.pages) + 1} pages, {report.written} drawn, {report.reused} unchanged")
    return report


def _require_web_fonts(config: GazetteConfig) -> None:
    """The web font is cut from the pinned Tibetan font; a missing one is an error, not boxes."""
    from ..fonts import TIBETAN_FONT, font_path

    font_path(TIBETAN_FONT, config.fonts)
