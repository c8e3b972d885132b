"""Parsed front matter kept between builds, keyed by the front matter's text.

Reading the YAML of ten thousand documents is most of what reading the content costs; a document whose
front matter did not change need not be parsed again. Only public documents' front matter is kept (the
loader says which, by `visibility.py`): what a withheld, on-request, draft or secret document says about
itself is never kept under the output. Nor is the front matter of a file that names its release chain
(`review`): who did each step appears in no output, the cache under the output folder included (such a
file is parsed again when it is read). Values are stored in a tagged JSON form that cannot be confused with
what an editor writes (every mapping, list and date is tagged), so a kept value is exactly the parsed one.
The key includes this module's and the parser's code, so a changed parser never serves an old reading.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import sqlite3
from contextlib import closing
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from collections.abc import Mapping

    from .model import Corpus
    from .visibility import Visibility

NAME = "frontmatter.sqlite"
BULK_AFTER = 200  # readings asked one by one; past this many, the rest read in one query


def _code_key() -> bytes:
    import yaml

    here = Path(__file__).resolve().parent
    return hashlib.blake2b((here / "frontmatter.py").read_bytes() + Path(__file__).read_bytes()
                           + yaml.__version__.encode(), digest_size=16).digest()


def _encode(value: Any) -> Any:
    if isinstance(value, str) or value is None or isinstance(value, bool):
        return value
    if isinstance(value, (int, float)):
        return ["n", value]
    if isinstance(value, dict):
        return ["d", [[_encode(k), _encode(v)] for k, v in value.items()]]
    if isinstance(value, list):
        return ["l", [_encode(v) for v in value]]
    if isinstance(value, dt.datetime):
        return ["T", value.isoformat()]
    if isinstance(value, dt.date):
        return ["t", value.isoformat()]
    raise TypeError(type(value).__name__)


def _decode(value: Any) -> Any:
    if not isinstance(value, list):
        return value
    tag, data = value
    if tag == "n":
        return data
    if tag == "d":
        return {_decode(k): _decode(v) for k, v in data}
    if tag == "l":
        return [_decode(v) for v in data]
    if tag == "T":
        return dt.datetime.fromisoformat(data)
    return dt.date.fromisoformat(data)


class FrontMatterCache:
    """The kept readings of one build folder's cache; `get` while reading, `commit` once the loader knows
    which documents are public."""

    def __init__(self, folder: Path) -> None:
        self.path = folder / NAME
        self.code = _code_key()
        self.used: set[str] = set()
        self.pending: dict[str, tuple[str, Any, dict[str, int]]] = {}
        self.keys: dict[str, str] = {}  # path → the key of the reading it was given or made
        # Asked row by row: an incremental check reads a few files, the Publication then the public ones
        # (a lazy source may be read in another thread than the one that made this object: reads only).
        self._db: sqlite3.Connection | None = None
        self._asked = 0
        self._rows: dict[str, str] | None = None
        try:
            if self.path.is_file():  # never created by reading: a refused build writes nothing
                self._db = sqlite3.connect(self.path, check_same_thread=False)
                self._db.execute("SELECT key FROM meta LIMIT 1").fetchall()
        except sqlite3.Error:
            self._db = None

    def _row(self, key: str) -> str | None:
        if self._db is None:
            return None
        self._asked += 1
        try:
            if self._asked == BULK_AFTER:  # the Publication reading every public document: all at once
                self._rows = dict(self._db.execute("SELECT key, data FROM meta"))
            if self._rows is not None:
                return self._rows.get(key)
            row = self._db.execute("SELECT data FROM meta WHERE key = ?", (key,)).fetchone()
        except sqlite3.Error:
            return None
        return row[0] if row else None

    def _all_keys(self) -> list[str]:
        try:
            return [k for k, in self._db.execute("SELECT key FROM meta")] if self._db is not None else []
        except sqlite3.Error:
            return []

    def key(self, front: str) -> str:
        return hashlib.blake2b(self.code + front.encode("utf-8"), digest_size=32).hexdigest()

    def get(self, path: str, front: str) -> tuple[Any, dict[str, int]] | None:
        key = self.keys[path] = self.key(front)
        data = self._row(key)
        if data is None:
            return None
        self.used.add(key)
        meta, lines = json.loads(data)
        return _decode(meta), lines

    def parsed(self, path: str, front: str, meta: Any, lines: dict[str, int]) -> None:
        """A reading made this time, kept by `commit` if `path` turns out public."""
        self.pending[path] = (self.key(front), meta, lines)

    def commit_public(self, corpus: Corpus, visibility: Mapping[str, Visibility],
                      dropped: set[str] | None = None) -> None:
        """Keep the readings of public documents' files (`visibility`: what `visibility.py` said of each
        document read); call only once the check found no error. `dropped`: see `commit`."""
        from .visibility import Visibility

        self.commit({source.path for slug, v in visibility.items() if v is Visibility.FULL
                     for source in (corpus.documents[slug].source,
                                    *(t.source for t in corpus.documents[slug].translations.values()))}, dropped)

    def commit(self, public_paths: set[str], dropped: set[str] | None = None) -> None:
        """Keep the readings of public files; drop every kept reading this build did not use, or, given
        `dropped` (the readings of the documents an incremental check found changed or gone, whose other
        documents it did not read), those of `dropped` this build did not use again."""
        new: dict[str, str] = {}
        for path, (key, meta, lines) in self.pending.items():
            if path in public_paths and not meta.get("review"):
                try:
                    new[key] = json.dumps([_encode(meta), lines], ensure_ascii=False)
                except TypeError:
                    continue  # a value of a kind the tagged form does not hold: parsed each time
        keep = self.used | set(new)
        gone = [k for k in (self._all_keys() if dropped is None else dropped) if k not in keep]
        try:
            with closing(sqlite3.connect(self.path)) as db:
                db.execute("PRAGMA secure_delete = ON")
                db.execute("CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, data TEXT NOT NULL)")
                db.executemany("DELETE FROM meta WHERE key = ?", [(k,) for k in gone])
                db.executemany("INSERT OR REPLACE INTO meta VALUES (?, ?)", list(new.items()))
                db.commit()
        except sqlite3.Error:
            pass  # a cache that cannot be written only costs the next build the parsing
