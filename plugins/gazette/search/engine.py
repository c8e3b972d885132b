"""The two search engines behind one interface: Whoosh (index.py, the embedded default for one
prefecture's site) and tantivy (tantivy_index.py, for large corpora). The setting GAZETTE_SEARCH_ENGINE
chooses which one `gazette build` writes; the service and `gazette search` open whichever the index
folder records and refuse an index of the other engine.

Both engines index the same tokens (analysis.py) and answer the same `SearchRequest` with a `RawPage`:
`query.run` turns that into results, snippets and messages, so the pages and the API do not know which
engine runs. This module imports neither engine until one is asked for.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any, Protocol

from ..config import ConfigError
from .entry import (
    FACETS_FILE,
    FIELD_BOOSTS,
    VERSION_FILE,
    Changes,
    Entry,
    Held,
    Wanted,
    entry_fields,
    made,
    stored_fields,
    write_facets,
)
from .query import RawPage, SearchRequest

__all__ = ["FACETS_FILE", "FIELD_BOOSTS", "VERSION_FILE", "Changes", "Entry", "Held", "Wanted", "entry_fields", "made",
           "stored_fields",
           "write_facets"]

ENGINES = ("whoosh", "tantivy")
DEFAULT_ENGINE = "whoosh"


class Index(Protocol):
    """An opened index, as the query side uses it. Safe to share between threads."""

    folder: Path
    facets: dict[str, Any]  # the publishers, classes, genres and years present (facets.json)

    def search(self, request: SearchRequest) -> RawPage: ...

    def doc_count(self) -> int: ...


class Writer(Protocol):
    """Writes one index folder, from scratch or on a copy of the last one."""

    # Whether `update` leaves no trace of a removed entry in the files. Without it the build stage
    # writes the whole index again whenever an entry is removed or changed.
    purges_in_place: bool

    def fingerprints(self) -> dict[str, str]: ...

    def changes(self, wanted: list[Wanted]) -> Changes:
        """What `update` must do for the index to hold `wanted`."""
        ...

    def add_all(self, entries: Iterable[Wanted], procs: int = 1) -> int: ...

    def update(self, remove: Iterable[str], add: list[Wanted], wanted: list[Wanted]) -> None:
        """Delete the entries `remove` (keys), add `add`; `wanted` is every entry the index is to hold
        afterwards (an engine that rewrites a part of its files writes that part's entries from it).
        Whatever an engine writes it makes first (`entry.made`): a `Held` is known by its fingerprint."""
        ...

    def close(self) -> None: ...


class EngineMismatch(Exception):
    """The index folder was written by the engine the settings do not choose."""


def engine_setting(settings: Mapping[str, Any]) -> str:
    """GAZETTE_SEARCH_ENGINE, checked: "whoosh" (default) or "tantivy"."""
    engine = str(settings.get("GAZETTE_SEARCH_ENGINE") or DEFAULT_ENGINE)
    if engine not in ENGINES:
        raise ConfigError(f"GAZETTE_SEARCH_ENGINE: 不支持的检索引擎 {engine!r}，可用 {list(ENGINES)} / "
                          f"unknown search engine {engine!r}; use one of {list(ENGINES)}")
    return engine


def recorded_engine(folder: Path) -> str | None:
    """The engine an index folder was written by (its version file), or None without one."""
    try:
        written = json.loads((folder / VERSION_FILE).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    name = written.get("engine") if isinstance(written, dict) else None
    # Whoosh's folders have always recorded the fork's name.
    return {"whoosh-reloaded": "whoosh", "tantivy": "tantivy"}.get(str(name))


def _module(engine: str) -> Any:
    if engine == "tantivy":
        from . import tantivy_index

        return tantivy_index
    from . import index

    return index


def is_compatible(folder: Path, engine: str = DEFAULT_ENGINE) -> bool:
    """An index folder `engine` can update in place: its engine, schema and analyser versions."""
    return recorded_engine(folder) == engine and bool(_module(engine).is_compatible(folder))


def open_index(folder: Path, engine: str = DEFAULT_ENGINE, fast: bool = True) -> Index | None:
    """The index in `folder` for searching, or None when there is none (not built yet, or of other
    versions). Raises EngineMismatch for an index written by the other engine."""
    found = recorded_engine(folder)
    if found is not None and found != engine:
        raise EngineMismatch(
            f"检索索引 {folder} 由 {found} 生成，而设置 GAZETTE_SEARCH_ENGINE 为 {engine}：请重新运行 gazette build / "
            f"the search index in {folder} was written by {found}, but GAZETTE_SEARCH_ENGINE is {engine}: "
            f"run gazette build again, or set GAZETTE_SEARCH_ENGINE = {found!r}")
    if engine == "tantivy":
        return _module(engine).TantivyIndex.open(folder)  # type: ignore[no-any-return]
    return _module(engine).SearchIndex.open(folder, fast=fast)  # type: ignore[no-any-return]


def create_writer(folder: Path, engine: str = DEFAULT_ENGINE, store: Path | None = None) -> Writer:
    """A writer of a new index in `folder`. `store`: where tantivy keeps its buckets between builds
    (tantivy_index.py; default: beside `folder`); Whoosh keeps everything in `folder`."""
    if engine == "tantivy":
        return _module(engine).TantivyWriter.create(folder, store)  # type: ignore[no-any-return]
    return _module(engine).IndexWriter.create(folder)  # type: ignore[no-any-return]


def open_writer(folder: Path, engine: str = DEFAULT_ENGINE, store: Path | None = None) -> Writer:
    """A writer of the index in `folder` (a copy of the last one), to update it in place."""
    if engine == "tantivy":
        return _module(engine).TantivyWriter.open(folder, store)  # type: ignore[no-any-return]
    return _module(engine).IndexWriter.open(folder)  # type: ignore[no-any-return]
