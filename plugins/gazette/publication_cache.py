"""What the Publication keeps of each document between builds, so that a build after one edit derives
again only the documents whose inputs changed and leaves the other files unread.

Kept in `publication.sqlite` in the build's cache folder (`<output>/.cache/`, never under the site), one
row per document, by the hash of its slug:

- a 主动公开 document: its part of the Publication (its `PublicDocument`) and the files it owns;
- a 依申请公开 document: what is published of it, its catalogue entry (no body, no attachment), and the
  files it owns as hashes;
- a withheld, draft or secret document: its visibility and the files it owns as hashes, nothing else
  (what `StaticFiles` needs to refuse them without reading the document).

A row is used when

- its **key** is the document's now: the digests of the bytes of its original and translations (with
  their paths), under a **base** made of this package's code, the Markdown cache's version and the
  registry's bytes (a change to any of them empties the table); the document's visibility is a function of
  its original's bytes under that code, so a document made 不予公开, 依申请公开 or a draft has another key
  and is derived afresh;
- and every fact it took from elsewhere is still what it was: the visibility of each document it links,
  is replaced by or interprets (by the hash of its slug), each page it links, each file it links or
  lists still publishable, and the bytes of its attachments (their SHA-256, which the Publication reads
  for every published file anyway).

What depends on other documents in the other direction (the issue and section a document is in, the
documents that replace it or interpret it) is not kept: the Publication sets it every build.

Beside the documents, each published file's size and SHA-256 (and that its first bytes passed the
sniff of `static_files.py`), by the hash of its path and of its bytes' digest as the build's input digest
made it (`build_inputs.py` hashes every content file): an unchanged attachment is not read again.

Rows no build used are deleted at the end of the build, with SQLite's secure_delete on, so a document
that stops being public leaves no text in the file.

A process that builds again and again (`gazette build --watch`) keeps the rows it left in the file in
memory too, and takes them from there instead of reading and unpickling ten thousand rows again, while the
file is the one it left: each build that changes the table writes a new random `token` into it in the same
transaction, and the rows in memory are used only under the same base and token (another process's build,
or a table emptied for another base, changes one of them).
"""

from __future__ import annotations

import hashlib
import pickle
import secrets
import sqlite3
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .cache_rows import keep_only
from .collector import paused
from .frontmatter import LazySource, Source, file_digest
from .model import Document
from .static_files import hidden
from .visibility import Visibility

SCHEMA = 2


@dataclass
class Derived:
    """One document's part of the Publication, and what it was derived from besides its files."""

    visibility: Visibility
    # publication.PublicDocument (not imported: publication.py imports this module), without issue,
    # section, replaces, interpreted_by and the registry's entries; None for a document not published
    document: Any = None
    issuers: list[str] = field(default_factory=list)  # the registry's keys of what `document` holds as entries
    genre: str = ""
    catalogue: str = ""
    # Which attachment files are its own (for StaticFiles): the files it lists and its folder
    # attachments/<year>/<slug>/; as written for a 主动公开 document, as hashes (`hidden`) for any other
    files: list[str] = field(default_factory=list)
    folder: str = ""
    linked: dict[str, str] = field(default_factory=dict)  # hidden(slug) → the visibility it had (its name)
    pages: dict[tuple[str, str], bool] = field(default_factory=dict)  # (slug, lang) → was it published
    static: list[str] = field(default_factory=list)  # files linked or listed, each publishable then
    bodies: list[str] = field(default_factory=list)  # the Markdown cache's keys of its bodies


def source_digest(source: Source) -> str:
    """The digest of a source's bytes: a file the check left unread carries the one it was judged by."""
    if isinstance(source, LazySource):
        return source.digest
    return file_digest(source.raw)


def document_key(doc: Document) -> str:
    parts = [doc.slug, doc.source.path, source_digest(doc.source)]
    for lang in sorted(doc.translations):
        source = doc.translations[lang].source
        parts += [lang, source.path, source_digest(source)]
    return hashlib.blake2b("\0".join(parts).encode(), digest_size=32).hexdigest()


class PublicationCache:
    """The kept rows, read one document at a time; without a file, a cache that keeps nothing."""

    def __init__(self, file: Path | None, base: str) -> None:
        self._db: sqlite3.Connection | None = None
        self._file = str(file)
        self._used: dict[str, tuple[str, Derived]] = {}  # hidden slug → (key, row) of each row this build uses
        self._files: dict[str, tuple[int, str]] = {}  # hidden(path, digest) → (size, SHA-256)
        self._files_used: set[str] = set()
        # The rows this process left in the file at its last build, when the file still holds exactly them.
        self._remembered: dict[str, tuple[str, Derived]] | None = None
        if file is None:
            return
        file.parent.mkdir(parents=True, exist_ok=True)
        self._db = sqlite3.connect(file)
        self._db.execute("PRAGMA secure_delete = ON")
        self._db.execute("CREATE TABLE IF NOT EXISTS meta (name TEXT PRIMARY KEY, value TEXT NOT NULL)")
        self._db.execute("CREATE TABLE IF NOT EXISTS document (slug TEXT PRIMARY KEY, key TEXT NOT NULL, "
                         "data BLOB NOT NULL)")
        self._db.execute("CREATE TABLE IF NOT EXISTS file (key TEXT PRIMARY KEY, size INTEGER NOT NULL, "
                         "sha256 TEXT NOT NULL)")
        meta = dict(self._db.execute("SELECT name, value FROM meta WHERE name IN ('base', 'token')").fetchall())
        self._base = base = f"{SCHEMA}:{base}"
        if meta.get("base") != base:
            self._db.execute("DELETE FROM document")
            self._db.execute("DELETE FROM file")  # the sniff is code too
            self._db.execute("DELETE FROM meta WHERE name = 'token'")
            self._db.execute("INSERT OR REPLACE INTO meta VALUES ('base', ?)", (base,))
        elif (remembered := _memory.get(self._file)) is not None and remembered[:2] == (base, meta.get("token")):
            self._remembered = remembered[2]
        # This build changes the file: what was remembered of it is this build's to set again.
        _memory.pop(self._file, None)
        self._files = {key: (size, sha) for key, size, sha in self._db.execute("SELECT key, size, sha256 FROM file")}

    def find(self, keys: dict[str, str]) -> dict[str, Derived]:
        """The kept rows of these documents (slug → key) whose key is still theirs, in one pass over the
        table (a query per document costs more than the rows it reads)."""
        if self._db is None:
            return {}
        # a slug of a withheld document is not kept in readable form either
        wanted = {hidden(slug): (slug, key) for slug, key in keys.items()}
        found: dict[str, Derived] = {}
        if self._remembered is not None:
            for name, (slug, key) in wanted.items():
                row = self._remembered.get(name)
                if row is not None and row[0] == key:
                    found[slug] = row[1]
                    self._used[name] = row
            return found
        with paused():
            for name, key, data in self._db.execute("SELECT slug, key, data FROM document"):
                slug, wanted_key = wanted.get(name, ("", ""))
                if key == wanted_key:
                    derived = pickle.loads(data)
                    if isinstance(derived, Derived):
                        found[slug] = derived
                        self._used[name] = (key, derived)
        return found

    def put(self, slug: str, key: str, derived: Derived) -> None:
        if self._db is None:
            return
        slug = hidden(slug)
        self._used[slug] = (key, derived)
        self._db.execute("INSERT OR REPLACE INTO document VALUES (?, ?, ?)",
                         (slug, key, pickle.dumps(derived, protocol=pickle.HIGHEST_PROTOCOL)))

    def file(self, path: str, digest: str) -> tuple[int, str] | None:
        """(size, SHA-256) of a file published before with these bytes (`digest`: the input digest)."""
        key = hidden(f"{path}\0{digest}")
        found = self._files.get(key)
        if found is not None:
            self._files_used.add(key)
        return found

    def put_file(self, path: str, digest: str, size: int, sha256: str) -> None:
        """A published file: its bytes (whose input digest is `digest`) passed the sniff."""
        key = hidden(f"{path}\0{digest}")
        self._files[key] = (size, sha256)
        self._files_used.add(key)
        if self._db is not None:
            self._db.execute("INSERT OR REPLACE INTO file VALUES (?, ?, ?)", (key, size, sha256))

    def close(self) -> None:
        """Keep only the rows this build used: a document no longer public (or gone) leaves the file."""
        if self._db is None:
            return
        if self._remembered is not None:  # the table holds exactly these: delete the ones not used
            self._db.executemany("DELETE FROM document WHERE slug = ?",
                                 ((name,) for name in self._remembered.keys() - self._used.keys()))
        else:
            keep_only(self._db, "document", "slug", self._used)
        keep_only(self._db, "file", "key", self._files_used)
        token = secrets.token_hex(16)
        self._db.execute("INSERT OR REPLACE INTO meta VALUES ('token', ?)", (token,))
        self._db.commit()
        self._db.close()
        self._db = None
        # The rows are the Publication's documents, completed in place by each build (`publication.py`
        # sets again everything it adds to them), so the next build can take them as they are.
        _memory[self._file] = (self._base, token, self._used)
        while len(_memory) > REMEMBERED_FILES:
            del _memory[next(iter(_memory))]


def remember(file: Path, base: str) -> int:
    """Read every row of `file` into this process's memory, as a build that used them all leaves them (a
    watching process does this while it waits for the first edit); the number of rows. Nothing when the
    file is of another base or was written without a token."""
    if str(file) in _memory or not file.is_file():
        return 0
    db = sqlite3.connect(f"file:{file}?mode=ro", uri=True)
    try:
        meta = dict(db.execute("SELECT name, value FROM meta WHERE name IN ('base', 'token')").fetchall())
        base = f"{SCHEMA}:{base}"
        if meta.get("base") != base or "token" not in meta:
            return 0
        rows: dict[str, tuple[str, Derived]] = {}
        with paused():
            for name, key, data in db.execute("SELECT slug, key, data FROM document"):
                derived = pickle.loads(data)
                if not isinstance(derived, Derived):  # not this code's row: left to a build to delete
                    return 0
                rows[name] = (key, derived)
    except sqlite3.Error:
        return 0
    finally:
        db.close()
    _memory[str(file)] = (base, meta["token"], rows)
    while len(_memory) > REMEMBERED_FILES:
        del _memory[next(iter(_memory))]
    return len(rows)


# What the last PublicationCaches closed by this process left in their files: file → (base, token, rows).
# A process builds one output, or a build and a preview beside it.
REMEMBERED_FILES = 2
_memory: dict[str, tuple[str, str, dict[str, tuple[str, Derived]]]] = {}


def base_key(registry_bytes: Iterable[bytes], renderer_version: str) -> str:
    """What every document's part depends on: the code that derives it, the Markdown cache's version and
    the registry (agencies' names, genres, catalogue classes and sections)."""
    from .checks.incremental import code_digest

    digest = hashlib.blake2b(digest_size=32)
    digest.update(code_digest() + renderer_version.encode())
    for raw in registry_bytes:
        digest.update(len(raw).to_bytes(8, "big") + raw)
    return digest.hexdigest()
