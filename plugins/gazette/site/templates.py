"""The theme's Jinja environment with its UI strings (gettext catalogues compiled by Babel) and filters.

The site generator, the search service and anything else that renders a page in the site's look uses
`environment()` and `render_page()`, so every page shares one set of templates and strings.
"""

from __future__ import annotations

import gettext
from functools import cache
from io import BytesIO
from pathlib import Path
from typing import Any

import jinja2
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po

from .. import urls
from ..labels import Labels

LANG_NAMES = {"zh": "中文", "bo": "བོད་ཡིག"}


def theme_dir(settings: dict[str, Any]) -> Path:
    return Path(settings["THEME"])


@cache
def _translations(po_file: str, mtime: float) -> gettext.GNUTranslations:
    with open(po_file, "rb") as handle:
        catalog = read_po(handle)
    buffer = BytesIO()
    write_mo(buffer, catalog)
    buffer.seek(0)
    return gettext.GNUTranslations(buffer)


def translations(settings: dict[str, Any], lang: str) -> gettext.NullTranslations:
    po = theme_dir(settings) / "translations" / lang / "LC_MESSAGES" / "messages.po"
    if not po.is_file():
        return gettext.NullTranslations()
    return _translations(str(po), po.stat().st_mtime)


def add_filters(env: jinja2.Environment, settings: dict[str, Any]) -> None:
    # The same formats as the PDFs and the search index (labels.py), under the same setting.
    labels = Labels.from_settings(settings)
    env.filters["date_in"] = labels.date
    env.filters["digits"] = labels.digits
    env.filters["file_size"] = labels.file_size
    env.globals["issue_number"] = labels.issue
    env.globals["issue_total"] = labels.total
    env.globals["urls"] = urls
    env.globals["LANG_NAMES"] = LANG_NAMES


def environment(settings: dict[str, Any], env: jinja2.Environment | None = None) -> jinja2.Environment:
    """The theme's environment (or Pelican's, given as `env`) with the gazette filters and gettext."""
    if env is None:
        env = jinja2.Environment(
            loader=jinja2.FileSystemLoader(str(theme_dir(settings) / "templates")),
            **settings.get("JINJA_ENVIRONMENT", {"extensions": ["jinja2.ext.i18n"], "autoescape": True}),
        )
    if "jinja2.ext.InternationalizationExtension" not in env.extensions:
        env.add_extension("jinja2.ext.i18n")
    add_filters(env, settings)
    return env


def render_page(env: jinja2.Environment, template_name: str, lang: str, settings: dict[str, Any],
                **context: Any) -> str:
    """Render one page in `lang`; `page_url` (root-relative) drives the language switch."""
    env.install_gettext_translations(translations(settings, lang), newstyle=True)  # type: ignore[attr-defined]
    context.setdefault("page_url", urls.home(lang))
    context.setdefault("translated", True)
    return env.get_template(template_name).render(lang=lang, settings=settings, **context)
