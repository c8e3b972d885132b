"""The theme's UI strings: the remembered gettext gives what Jinja's own new-style gettext gives, in the
language installed last, with variables escaped."""

from __future__ import annotations

from pathlib import Path

import jinja2
from gazette.theme import install_ui_strings, translations

ROOT = Path(__file__).resolve().parent.parent
SETTINGS = {"THEME": str(ROOT / "themes" / "gazette")}
PAGE = ('{{ _("Search") }}|{{ _("%(count)s entries", count=n) }}|{% trans count=n %}{{ count }} results{% endtrans %}'
        '|{{ _("100%% 公开") }}|{{ gettext("Search") }}')


def _env() -> jinja2.Environment:
    return jinja2.Environment(extensions=["jinja2.ext.i18n"], autoescape=True)


def _jinjas_own(lang: str, n: object) -> str:
    env = _env()
    env.install_gettext_translations(translations(SETTINGS, lang), newstyle=True)  # type: ignore[attr-defined]
    return env.from_string(PAGE).render(n=n)


def test_remembered_strings_are_jinjas_in_the_language_installed_last() -> None:
    env = _env()
    install_ui_strings(env, "zh", SETTINGS)
    template = env.from_string(PAGE)  # compiled for new-style gettext, as the theme's are
    for lang in ("bo", "zh", "bo", "bo", "zh"):
        install_ui_strings(env, lang, SETTINGS)
        for n in (3, "<b>"):
            assert template.render(n=n) == _jinjas_own(lang, n)
    install_ui_strings(env, "bo", SETTINGS)
    page = template.render(n="<b>")
    assert "ཚན་པ་ &lt;b&gt;" in page and "<b>" not in page and "100% 公开" in page
