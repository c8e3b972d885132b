"""The site stage of `gazette build`: Pelican, with the gazette plugin, writes the web root."""

from __future__ import annotations

import contextlib
import io
from collections.abc import Callable
from typing import Any

from ..build import BuildDirs
from ..publication import Publication


def write_site(publication: Publication, dirs: BuildDirs, settings: dict[str, Any],
               progress: Callable[[str], None]) -> None:
    from pelican import Pelican

    site_settings = dict(settings)
    site_settings.update({
        "OUTPUT_PATH": str(dirs.site),
        "GAZETTE_PUBLICATION": publication,
        "GAZETTE_PROGRESS": progress,
        "GAZETTE_BUILD_DIRS": dirs,
        "DELETE_OUTPUT_DIRECTORY": False,
    })
    if "gazette.pelican_plugin" not in site_settings.get("PLUGINS", []):
        site_settings["PLUGINS"] = [*site_settings.get("PLUGINS", []), "gazette.pelican_plugin"]
    # Pelican prints a summary of its own (empty) article count; the gazette reports its own progress.
    with contextlib.redirect_stdout(io.StringIO()):
        Pelican(site_settings).run()
