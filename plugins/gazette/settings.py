"""Settings: pelicanconf.py (or publishconf.py) read through Pelican, so the site and the tools agree."""

from __future__ import annotations

from pathlib import Path
from typing import Any

PROJECT_ROOT = Path(__file__).resolve().parents[2]


def settings_file(explicit: str | None = None) -> Path | None:
    if explicit:
        return Path(explicit)
    for folder in (Path.cwd(), PROJECT_ROOT):
        if (folder / "pelicanconf.py").is_file():
            return folder / "pelicanconf.py"
    return None


def load_settings(explicit: str | None = None, override: dict[str, Any] | None = None) -> dict[str, Any]:
    import logging

    from pelican.settings import read_settings

    # Pelican logs through `rich` at INFO; the gazette command prints its own progress.
    logging.getLogger("pelican").setLevel(logging.WARNING)
    path = settings_file(explicit)
    settings = read_settings(str(path) if path else None, override=override or {})
    if path:
        # Relative paths in the settings are relative to the settings file, as Pelican does for PATH.
        base = path.resolve().parent
        theme = Path(settings["THEME"])
        if not theme.is_absolute() and (base / theme).is_dir():
            settings["THEME"] = str(base / theme)
    return settings
