"""The files written from the whole site (feeds, open data, sitemap), each group keyed by what it is made
from: a group whose key equals the one it had in the last good build is hard-linked from there, not
written again (the sitemap alone is some 28,000 entries at 10,000 documents).

Each generation records its groups beside its `site/` (`RECORD`: group → key and the files written), as
`.site-pages.json` records the pages. A spare tree's site-wide files are moved aside before it is
updated (`generations.take_spare`), so a linked file is never written through.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
from collections.abc import Callable
from pathlib import Path

RECORD = ".site-wide.json"


class SiteWideFiles:
    def __init__(self, out: Path, previous: Path, environment: str) -> None:
        """`out`: the web root being written; `previous`: the last good build's generation;
        `environment`: what every output depends on (`page_keys.environment_key`)."""
        self.out, self.previous, self.environment = out, previous, environment
        self.old = _read(previous / RECORD)
        self.new: dict[str, dict[str, object]] = {}

    def group(self, name: str, key: str, write: Callable[[], list[str]]) -> None:
        """The files of group `name`, made from what `key` hashes: linked from the last good build when
        it made them from the same, else written by `write` (which returns their paths under `out`)."""
        key = hashlib.sha256(f"{self.environment}\0{name}\0{key}".encode()).hexdigest()
        old = self.old.get(name, {})
        files = old.get("files")
        if not (old.get("key") == key and isinstance(files, list) and self._link(files)):
            files = write()
        self.new[name] = {"key": key, "files": files}

    def _link(self, files: list[object]) -> bool:
        source = self.previous / "site"
        if not all(isinstance(f, str) and (source / f).is_file() and not (source / f).is_symlink() for f in files):
            return False
        for name in files:
            target = self.out / str(name)
            target.parent.mkdir(parents=True, exist_ok=True)
            try:
                os.link(source / str(name), target)
            except OSError:
                shutil.copy2(source / str(name), target)
        return True

    def save(self) -> None:
        (self.out.parent / RECORD).write_text(json.dumps(self.new, sort_keys=True), encoding="utf-8")


def _read(path: Path) -> dict[str, dict[str, object]]:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return {str(k): v for k, v in data.items() if isinstance(v, dict)} if isinstance(data, dict) else {}
