"""The gazette as a Pelican plugin (`PLUGINS = ["gazette.pelican_plugin"]`).

It hooks into Pelican through its signals only:
- `initialized`: the theme's filters and globals into `JINJA_FILTERS` and `JINJA_GLOBALS`, so the
  environment Pelican builds for every generator has them, and the process's compiled templates into
  `JINJA_ENVIRONMENT` (`theme.environment_options`);
- `get_generators`: the gazette's generators (the site's pages; the files the Publication lists);
- `finalized`: what is written from the whole site once its pages exist: feeds, open data, sitemap, and
  the Tibetan web font cut down to the text of the site (`webfont.py`).
"""

from __future__ import annotations

import functools
import hashlib
from pathlib import Path
from typing import Any

from pelican import signals


def _jinja(pelican: Any) -> None:
    from .site.run import run_for
    from .theme import environment_options, jinja_filters, jinja_globals

    settings = pelican.settings
    run = run_for(settings["OUTPUT_PATH"])
    settings["JINJA_ENVIRONMENT"] = environment_options(settings, run.dirs.cache / "jinja" if run else None)
    settings["JINJA_FILTERS"] = {**settings.get("JINJA_FILTERS", {}), **jinja_filters(settings)}
    settings["JINJA_GLOBALS"] = {**settings.get("JINJA_GLOBALS", {}), **jinja_globals(settings)}


def _generators(pelican: Any) -> tuple[type, ...]:
    from .site.generator import GazetteFilesGenerator, GazetteSiteGenerator

    return GazetteSiteGenerator, GazetteFilesGenerator


def _site_wide(pelican: Any) -> None:
    from . import urls, webfont
    from .checksums import write_sha256sums
    from .fonts import TIBETAN_FONT
    from .site import feeds, opendata, sitemap
    from .site.page_keys import environment_key
    from .site.run import run_for
    from .site.site_wide import SiteWideFiles

    run = run_for(pelican.output_path)
    if run is None:
        return
    out, settings, pub, langs = Path(pelican.output_path), pelican.settings, run.publication, list(run.config.langs)
    sealed = set(run.seal.get("sealed", ()))
    environment = run.environment or environment_key(settings)
    wide = SiteWideFiles(out, run.dirs.previous, environment)
    for feed in feeds.feeds(pub, settings, langs):
        wide.group(f"feed {feed.url}", feed.key, functools.partial(feed.write, out))
    registry = hashlib.sha256(b"".join(s.raw for _, s in sorted(pub.registry.sources.items()))).hexdigest()
    records = opendata.RecordDigests(run.dirs.cache / "open-data-records.json", f"{environment}:{registry}")
    wide.group("open data", opendata.fingerprint(pub, settings, run.digests, sealed, records),
               lambda: opendata.write_open_data(pub, out, settings, run.digests, sealed))
    records.write()
    wide.group("sitemap", sitemap.fingerprint(run.pages, run.config),
               lambda: sitemap.write_sitemap(out, run.pages, run.config))
    wide.save()
    write_sha256sums(out, run.publication, run.digests)
    if run.seal.get("sealed"):  # the public certificate, for `pdfsig` / `pyhanko sign validate --trust`
        certificate = out / urls.output_path(urls.seal_certificate())
        certificate.parent.mkdir(parents=True, exist_ok=True)
        certificate.write_text(run.seal["certificate"], encoding="ascii")
    webfont.write_web_font(run.publication, pelican.settings, out, run.config.theme,
                           run.config.fonts / TIBETAN_FONT, run.dirs.cache / "webfont")


def register() -> None:
    signals.initialized.connect(_jinja)
    signals.get_generators.connect(_generators)
    signals.finalized.connect(_site_wide)
