"""Writes the theme's gettext catalogues (themes/gazette/translations/<lang>/LC_MESSAGES/messages.po)
from the table below, with Babel. Run after adding a string to a template:
    .venv/bin/python scripts/ui_strings.py
The table is the source: each English message id with its Chinese and Tibetan text.
"""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

import yaml
from babel.messages.catalog import Catalog
from babel.messages.pofile import write_po

ROOT = Path(__file__).resolve().parents[1]
THEME = ROOT / "themes" / "gazette"


def main() -> None:
    table = yaml.safe_load((THEME / "translations" / "strings.yml").read_text(encoding="utf-8"))
    for extra in sorted((THEME / "translations").glob("*.yml")):
        if extra.name != "strings.yml":
            table.update(yaml.safe_load(extra.read_text(encoding="utf-8")) or {})
    for lang in ("zh", "bo"):
        # Fixed dates: the catalogues change only when the strings do.
        catalog = Catalog(locale=lang, project="gazette", version="1", fuzzy=False,
                          creation_date=datetime(2026, 1, 1), revision_date=datetime(2026, 1, 1))
        for msgid, texts in sorted(table.items()):
            catalog.add(msgid, texts[lang])
        target = THEME / "translations" / lang / "LC_MESSAGES" / "messages.po"
        target.parent.mkdir(parents=True, exist_ok=True)
        with target.open("wb") as handle:
            write_po(handle, catalog, omit_header=False, no_location=True, width=0)


if __name__ == "__main__":
    main()
