"""What both search engines index: one `Entry` per document and language or fixed page, the values an
engine is given for it and the dict a hit carries back, and the files beside an engine's own in an index
folder. No engine here (engine.py chooses one), so both engine modules import this one."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field, fields
from pathlib import Path
from typing import Any

VERSION_FILE = "gazette-index.json"  # engine, schema and analyser versions of an index folder
FACETS_FILE = "facets.json"
FIELD_BOOSTS = {"title": 4.0, "meta": 2.0, "body": 1.0}
# Indexed, not shown: the rest of an entry is what a hit carries back.
UNSTORED = frozenset({"meta", "number_key", "index_no_key", "issuers", "classes"})


@dataclass
class Entry:
    """One index entry: a document in one language, or a fixed page. Only what may be published."""

    key: str  # "doc:<slug>:<lang>" or "page:<slug>:<lang>"
    kind: str  # "document" | "page"
    slug: str
    lang: str
    url: str
    title: str
    body: str = ""  # the full text; empty for an on-request (依申请公开) entry
    summary: str = ""
    meta: str = ""  # searched, not shown: summary, keywords, number, publisher and genre labels
    number: str = ""  # 发文字号 as written
    number_key: str = ""
    index_no: str = ""  # 索引号
    index_no_key: str = ""
    publisher: str = ""  # the lead issuer's id
    issuers: list[str] = field(default_factory=list)
    class_id: str = ""
    classes: list[str] = field(default_factory=list)  # the leaf and its ancestors
    genre: str = ""
    signed: str = ""  # ISO dates
    published: str = ""
    year: int = 0  # of `signed`: the year a catalogue entry belongs to
    validity: str = ""
    disclosure: str = ""  # "full" | "metadata"
    issue: str = ""  # "2026-08"
    labels: dict[str, str] = field(default_factory=dict)  # publisher, genre, class, issue: in `lang`
    content_hash: str = ""
    fingerprint: str = ""  # of everything above: an entry is rewritten when it changes


_FIELDS = tuple(f.name for f in fields(Entry))


@dataclass(frozen=True)
class Held:
    """An entry known by its key, slug and fingerprint only: the last index's record says what it was
    made from, and that is unchanged (`search/build.py`). An engine compares it as an `Entry` and makes it
    (`make`) only when it must write it; nothing is written from a `Held` itself."""

    key: str
    slug: str
    fingerprint: str
    make: Callable[[], Entry] = field(compare=False, repr=False)


Wanted = Entry | Held  # an entry an index is to hold, made or known by its fingerprint


def made(items: Iterable[Wanted]) -> list[Entry]:
    """The entries themselves, a `Held` made now: what an engine writes."""
    return [item if isinstance(item, Entry) else item.make() for item in items]


@dataclass
class Changes:
    """What an update of an index must do to hold the wanted entries."""

    changed: list[Wanted]  # to write: new entries and entries whose fingerprint changed
    gone: list[str]  # keys to delete: entries no longer wanted
    replaced: list[str]  # keys of changed entries the index holds an older version of
    held: int  # entries the index holds now
    # The entries are the same but in another order, in parts of an index whose order of equal scores is
    # the build's (tantivy's buckets): those parts are written again, so the index is the one a fresh
    # build would write.
    reordered: bool = False


def changes_from(have: dict[str, str], wanted: list[Wanted]) -> Changes:
    """The changes, from the key → fingerprint of every entry the index holds."""
    keys = {e.key for e in wanted}
    changed = [e for e in wanted if have.get(e.key) != e.fingerprint]
    return Changes(changed=changed, gone=[k for k in have if k not in keys],
                   replaced=[e.key for e in changed if e.key in have], held=len(have))


def entry_fields(entry: Entry) -> dict[str, Any]:
    """The values an engine is given for an entry: lists as space-separated ids, empty values left out
    (the body is always there, so a hit without text still has one)."""
    values = {name: getattr(entry, name) for name in _FIELDS}  # not asdict: its deep copies cost more
    values["issuers"] = " ".join(entry.issuers)
    values["classes"] = " ".join(entry.classes)
    values["labels"] = dict(entry.labels)
    return {k: v for k, v in values.items() if v not in ("", None) or k in ("body",)}


def stored_fields(entry: Entry) -> dict[str, Any]:
    """What a hit of this entry carries back (the same dict from either engine)."""
    return {k: v for k, v in entry_fields(entry).items() if k not in UNSTORED}


def write_facets(folder: Path, facets: dict[str, Any]) -> None:
    (folder / FACETS_FILE).write_text(json.dumps(facets, ensure_ascii=False, indent=1), encoding="utf-8")


def written_version(folder: Path) -> Any:
    """What an index folder records of its engine, schema and analyser (None when unreadable)."""
    try:
        return json.loads((folder / VERSION_FILE).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
