"""The gazette's configuration, built once from Pelican's settings (pelicanconf.py / publishconf.py).

Settings are Pelican's plain `UPPER_CASE` names; this object is what the code reads from them, each
with its default in one place: the languages of the outputs, the theme's folders, the digits.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .model import LANGS


class ConfigError(ValueError):
    """A setting that cannot be used; the message says which and what to write."""


@dataclass(frozen=True)
class GazetteConfig:
    langs: tuple[str, ...]  # the site's languages, in the order of the language switch
    theme: Path  # the theme folder: templates/, static/, pdf/, translations/
    tibetan_digits: bool  # dates, numbers and page numbers in Tibetan digits in the Tibetan outputs
    site_url: str  # the public address, "" for a preview with root-relative links
    public_url: str = ""  # where the public site is (SITEURL, else GAZETTE_PUBLIC_URL): absolute URLs

    @property
    def templates(self) -> Path:
        return self.theme / "templates"

    @property
    def fonts(self) -> Path:
        """The pinned fonts (`gazette.fonts install` puts them there): print and web alike."""
        return self.theme / "static" / "fonts"

    @property
    def print_theme(self) -> Path:
        return self.theme / "pdf"

    @classmethod
    def from_settings(cls, settings: Mapping[str, Any]) -> GazetteConfig:
        langs = tuple(settings.get("GAZETTE_LANGS") or LANGS)
        unknown = [lang for lang in langs if lang not in LANGS]
        if unknown:
            raise ConfigError(f"GAZETTE_LANGS: 不支持的语言 {unknown}，可用 {list(LANGS)} / unsupported languages "
                              f"{unknown}; use some of {list(LANGS)}")
        theme = settings.get("THEME")
        if not theme:
            raise ConfigError("THEME 未设置 / THEME is not set: name the theme folder in pelicanconf.py")
        return cls(langs=langs, theme=Path(theme), tibetan_digits=bool(settings.get("GAZETTE_TIBETAN_DIGITS", True)),
                   site_url=str(settings.get("SITEURL") or "").rstrip("/"),
                   public_url=str(settings.get("SITEURL") or settings.get("GAZETTE_PUBLIC_URL") or "").rstrip("/"))
