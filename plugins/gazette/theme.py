"""The theme's filters, globals and UI strings (gettext catalogues compiled by Babel).

Within Pelican, the plugin puts `jinja_filters()` and `jinja_globals()` into Pelican's `JINJA_FILTERS` and
`JINJA_GLOBALS`, and Pelican builds the environment. Outside Pelican (the search service renders its result
pages in the site's look) `environment()` builds the same one, so every page shares one set of templates,
filters and strings. Neither the site writer nor the search service imports the other.
"""

from __future__ import annotations

import gettext
import hashlib
import os
from collections.abc import Callable, Mapping
from functools import cache
from io import BytesIO
from pathlib import Path
from typing import Any

import jinja2
import jinja2.bccache
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from markupsafe import Markup

from . import application_form, urls
from .fonts import TIBETAN_FONT
from .labels import Labels

LANG_NAMES = {"zh": "中文", urls.TRADITIONAL_LANG: "繁體", "bo": "བོད་ཡིག"}


class _CompiledTemplates(jinja2.BytecodeCache):
    """Compiled templates kept for the life of the process, one cache per set of environment options: a
    process that builds many times (the tests, a watcher) compiles each template once rather than once a
    build. With a folder (the build's cache), also between processes: compiling the templates was a
    tenth of a build after one edit. Jinja compares the checksum of a template's source (and its own and
    Python's versions), so an edited template is compiled again; the folder is named by the options."""

    def __init__(self, code: dict[str, bytes] | None = None, folder: Path | None = None) -> None:
        self._code: dict[str, bytes] = {} if code is None else code
        self._folder = folder

    def load_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        code = self._code.get(bucket.key)
        if code is None and self._folder is not None:
            try:  # a link planted in the cache is not followed
                fd = os.open(self._folder / bucket.key, os.O_RDONLY | os.O_NOFOLLOW)
            except OSError:
                return
            with os.fdopen(fd, "rb") as handle:
                code = handle.read()
        if code is not None:
            bucket.bytecode_from_string(code)

    def dump_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        self._code[bucket.key] = code = bucket.bytecode_to_string()
        if self._folder is not None:
            self._folder.mkdir(parents=True, exist_ok=True)
            scratch = self._folder / f".{bucket.key}.{os.getpid()}"
            scratch.write_bytes(code)
            os.replace(scratch, self._folder / bucket.key)


@cache
def _in_memory(options: str) -> dict[str, bytes]:
    """The process's compiled templates for these options, whichever build's cache they are kept in."""
    return {}


@cache
def _compiled_templates(options: str, folder: str | None) -> _CompiledTemplates:
    if folder is None:
        return _CompiledTemplates(_in_memory(options))
    return _CompiledTemplates(_in_memory(options), Path(folder) / hashlib.sha256(options.encode()).hexdigest()[:32])


def environment_options(settings: Mapping[str, Any], cache: Path | None = None) -> dict[str, Any]:
    """The settings' `JINJA_ENVIRONMENT`, with the compiled-template cache for those options (kept in
    `cache` too, when given)."""
    options = dict(settings.get("JINJA_ENVIRONMENT", {"extensions": ["jinja2.ext.i18n"], "autoescape": True}))
    options.pop("bytecode_cache", None)
    return {**options, "bytecode_cache": _compiled_templates(repr(sorted(options.items())),
                                                             str(cache) if cache else None)}
# Names drawn as SVG on pages of another language, so those pages need no web font for them (webfont.py).
DRAWN_NAMES = {"bo": "script-name-bo"}  # language → id of the page's SVG symbol


def theme_dir(settings: Mapping[str, Any]) -> Path:
    return Path(settings["THEME"])


@cache
def _translations(po_file: str, mtime: float) -> gettext.GNUTranslations:
    with open(po_file, "rb") as handle:
        catalog = read_po(handle)
    buffer = BytesIO()
    write_mo(buffer, catalog)
    buffer.seek(0)
    return gettext.GNUTranslations(buffer)


def translations(settings: Mapping[str, Any], lang: str) -> gettext.NullTranslations:
    po = theme_dir(settings) / "translations" / lang / "LC_MESSAGES" / "messages.po"
    if not po.is_file():
        return gettext.NullTranslations()
    return _translations(str(po), po.stat().st_mtime)


def install_ui_strings(env: jinja2.Environment, lang: str, settings: Mapping[str, Any]) -> None:
    """The theme's UI strings in `lang` for `_()` and `{% trans %}`: Jinja's new-style gettext, with each
    string that takes no variables remembered (a page asks for about fifty, the same ones on every page;
    Jinja formats each again on every call, a sixth of the time a page takes to draw)."""
    strings = translations(settings, lang)
    if env.globals.get("gettext") is _remembered_gettext(strings):
        return
    env.install_gettext_translations(strings, newstyle=True)  # type: ignore[attr-defined]
    env.globals["gettext"] = _remembered_gettext(strings)


@cache
def _remembered_gettext(strings: gettext.NullTranslations) -> Callable[..., str]:
    remembered: dict[tuple[str, bool], str] = {}

    @jinja2.pass_context
    def gettext_(context: Any, message: str, **variables: Any) -> str:
        # As Jinja's new-style gettext: the translation, marked safe under autoescape, always formatted.
        autoescape = context.eval_ctx.autoescape
        if not variables and (message, autoescape) in remembered:
            return remembered[message, autoescape]
        text = strings.gettext(message)
        result = (Markup(text) if autoescape else text) % variables
        if not variables:
            remembered[message, autoescape] = result
        return result

    return gettext_


def jinja_filters(settings: Mapping[str, Any]) -> dict[str, Callable[..., Any]]:
    # The same formats as the PDFs and the search index (labels.py), under the same setting.
    labels = Labels.from_settings(settings)
    return {"date_in": labels.date, "digits": labels.digits, "file_size": labels.file_size}


def _language_names(settings: Mapping[str, Any]) -> tuple[Callable[..., Markup], Callable[..., Markup]]:
    """`lang_name(code)`: a language's name marked with its language (`lang`) on a page of another one, and
    drawn as SVG where the page would otherwise need that script's web font; `name_symbols()`: the SVG
    symbols those drawings use, once per page."""
    from . import webfont

    font = Path(settings["THEME"]) / "static" / "fonts" / TIBETAN_FONT
    # Each depends on the page's language and the pinned font alone: made once per language for this
    # environment (a build's), not again on each of the site's tens of thousands of pages.
    names: dict[tuple[str, str], Markup] = {}
    symbols: dict[str, Markup] = {}

    @jinja2.pass_context
    def lang_name(context: Any, code: str) -> Markup:
        page = str(context.get("lang", ""))
        if (page, code) not in names:
            name = LANG_NAMES[code]
            if code.split("-")[0] == page.split("-")[0]:  # zh-Hant on a zh page: one script
                names[page, code] = Markup.escape(name)
            elif code in DRAWN_NAMES and font.is_file():
                names[page, code] = webfont.script_label(name, code, font, DRAWN_NAMES[code])
            else:
                names[page, code] = Markup('<span lang="{}">{}</span>').format(code, name)
        return names[page, code]

    @jinja2.pass_context
    def name_symbols(context: Any) -> Markup:
        page = str(context.get("lang", ""))
        if page not in symbols:
            symbols[page] = Markup("").join(webfont.script_label_symbol(LANG_NAMES[code], font, symbol)
                                            for code, symbol in DRAWN_NAMES.items()
                                            if code != page and font.is_file())
        return symbols[page]

    return lang_name, name_symbols


def jinja_globals(settings: Mapping[str, Any]) -> dict[str, Any]:
    from .config import GazetteConfig

    labels = Labels.from_settings(settings)
    public_url = GazetteConfig.from_settings(settings).public_url if settings.get("THEME") else ""
    lang_name, name_symbols = _language_names(settings)

    def text_in(lang: str, message: str) -> str:
        """A UI string in another language than the page's (the 404 page speaks both)."""
        return translations(settings, lang).gettext(message)

    def request_office(lang: str) -> dict[str, str]:
        return application_form.office(dict(settings), lang)

    return {"public_url": public_url, "text_in": text_in, "lang_name": lang_name, "name_symbols": name_symbols,
            "form": application_form, "request_office": request_office,
            "issue_number": labels.issue, "issue_total": labels.total, "urls": urls, "LANG_NAMES": LANG_NAMES,
            "addressee_line": labels.addressee, "part_word": labels.part, "printed_line": labels.printed,
            "note_line": labels.note}


def environment(settings: Mapping[str, Any]) -> jinja2.Environment:
    """The theme's environment outside Pelican, as Pelican builds it: the settings' `JINJA_ENVIRONMENT`,
    the gazette filters and globals, gettext."""
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(str(theme_dir(settings) / "templates")), **environment_options(settings))
    if "jinja2.ext.InternationalizationExtension" not in env.extensions:
        env.add_extension("jinja2.ext.i18n")
    env.filters.update(jinja_filters(settings))
    env.globals.update(jinja_globals(settings))
    return env


def render_page(env: jinja2.Environment, template_name: str, lang: str, settings: Mapping[str, Any],
                **context: Any) -> str:
    """Render one page in `lang`; `page_url` (root-relative) drives the language switch."""
    install_ui_strings(env, lang, settings)
    context.setdefault("page_url", urls.home(lang))
    context.setdefault("translated", True)
    return env.get_template(template_name).render(lang=lang, settings=settings, **context)
