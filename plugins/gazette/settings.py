"""Settings: pelicanconf.py (or publishconf.py) read through Pelican, so the site and the tools agree."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any


def settings_file(explicit: str | None = None) -> Path | None:
    """The settings file: the one named (`--settings`, else the environment's `GAZETTE_SETTINGS`), or the
    first pelicanconf.py in the working folder or above it (the project's folder, wherever the command is
    run inside it, as git finds its repository)."""
    explicit = explicit or os.environ.get("GAZETTE_SETTINGS")
    if explicit:
        return Path(explicit)
    for folder in (Path.cwd(), *Path.cwd().parents):
        if (folder / "pelicanconf.py").is_file():
            return folder / "pelicanconf.py"
    return None


def load_settings(explicit: str | None = None, override: dict[str, Any] | None = None) -> dict[str, Any]:
    import logging

    from pelican.settings import read_settings

    # Pelican's warnings and errors are shown (Python's last-resort handler prints them on stderr); its INFO
    # lines repeat the gazette's own progress, so they are shown with `gazette build --verbose` only.
    logger = logging.getLogger("pelican")
    if logger.level == logging.NOTSET:
        logger.setLevel(logging.WARNING)
    from .config import ConfigError

    path = settings_file(explicit)
    if path is None:
        # Pelican's own defaults would give another theme, no fonts and no search page, without a word.
        raise ConfigError(f"找不到设置文件：当前目录 {Path.cwd()} 及其上级目录中都没有 pelicanconf.py；请在项目目录中"
                          "运行，或用 --settings（或环境变量 GAZETTE_SETTINGS）指定 / no settings file: there is no "
                          f"pelicanconf.py in {Path.cwd()} or above it; run the command in the project's folder, or "
                          "name the file with --settings (or the environment variable GAZETTE_SETTINGS)")
    try:
        settings = read_settings(str(path) if path else None, override=override or {})
    except ValueError as exc:  # Pelican refuses settings so (a PATH that does not exist, for one)
        raise ConfigError(f"设置文件 {path} 不可用：{exc} / the settings file {path} is refused: {exc}") from exc
    if path:
        # Relative paths in the settings are relative to the settings file, as Pelican does for PATH.
        base = path.resolve().parent
        theme = Path(settings["THEME"])
        if not theme.is_absolute() and (base / theme).is_dir():
            settings["THEME"] = str(base / theme)
    return settings
